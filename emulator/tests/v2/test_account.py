"""The signed-in user, the organization and projects."""
import re

from emulator_helpers import PROJECT, TOKEN
from rio_emulator.v2 import common

from .resource_helpers import ORG, cloud_network, error_of

TOKEN_ONLY = {"Authorization": "Bearer " + TOKEN}
# What sdk-v2's Project model allows at the top level (it forbids anything else).
PROJECT_KEYS = {"apiVersion", "kind", "metadata", "spec", "status"}


def sdk_project(name="demo-project", org=ORG):
    """The captured sdk-v2 create_project body."""
    return {"apiVersion": "api.rapyuta.io/v2", "kind": "Project",
            "metadata": {"name": name, "guid": None, "projectGUID": None, "organizationGUID": org,
                         "organizationCreatorGUID": None, "creatorGUID": None, "labels": {"team": "ops"},
                         "region": None, "createdAt": None, "updatedAt": None, "deletedAt": None,
                         "organizationName": None, "shortGUID": None, "projectName": None},
            "spec": {"members": None, "features": {
                "vpn": {"enabled": False, "subnets": None}, "tracing": {"enabled": False},
                "dockerCache": {"enabled": False, "proxyDevice": None, "proxyInterface": None, "registrySecret": None,
                                "registryURL": None, "dataDirectory": None}}},
            "status": None}


def org_call(api, method, path, **kw):
    """An organization-scoped call: token and organization, no project header (as sdk-v2 sends it)."""
    return api.client.request(method, path, headers=dict(TOKEN_ONLY, organizationguid=ORG), **kw)


def test_me_names_the_organization_with_its_short_guid_and_the_projects(api):
    me = api.client.get("/v2/users/me/", headers=TOKEN_ONLY).json()
    assert me["kind"] == "User" and me["metadata"]["guid"] == common.USER_GUID
    assert me["spec"]["emailID"] == me["metadata"]["name"]
    [org] = me["spec"]["organizations"]
    assert org == {"guid": ORG, "name": "emulator-org", "creator": common.USER_GUID, "shortGUID": "emuorg",
                   "roleNames": ["admin"]}
    [project] = me["spec"]["projects"]
    assert project["guid"] == PROJECT and project["organizationGUID"] == ORG
    assert {"organizationCreator", "roleNames", "name"} <= set(project)


def test_me_lists_created_projects_too(api):
    created = org_call(api, "POST", "/v2/projects/", json=sdk_project()).json()
    me = api.get("/v2/users/me/").json()
    assert [p["guid"] for p in me["spec"]["projects"]] == [PROJECT, created["metadata"]["guid"]]


def test_put_me_changes_the_names_only(api):
    me = api.get("/v2/users/me/").json()
    me["spec"]["firstName"], me["spec"]["emailID"] = "Ada", "other@example.com"
    me["spec"]["organizations"] = []
    answer = api.put("/v2/users/me/", json=me)
    assert answer.status_code == 200, answer.text
    again = api.get("/v2/users/me/").json()
    assert again["spec"]["firstName"] == "Ada" and again["spec"]["lastName"] == "User"
    assert again["spec"]["emailID"] == common.USER_EMAIL and len(again["spec"]["organizations"]) == 1
    assert error_of(api.put("/v2/users/me/", json=["x"]), 400) == "the body must be a JSON object"
    assert error_of(api.put("/v2/users/me/", json={"spec": {"firstName": 3}}), 400) == "spec.firstName: must be a string"


def test_organization_by_guid(api):
    org = org_call(api, "GET", "/v2/organizations/%s/" % ORG).json()
    assert org["metadata"]["shortGUID"] == "emuorg" and org["metadata"]["guid"] == ORG
    assert org["spec"]["members"][0]["subject"]["guid"] == common.USER_GUID
    assert error_of(api.client.get("/v2/organizations/org-other/", headers=TOKEN_ONLY), 404) == \
        "organization org-other not found"
    answer = api.client.get("/v2/organizations/org-other/", headers=dict(TOKEN_ONLY, organizationguid="org-other"))
    assert error_of(answer, 403) == common.DENIED


def test_default_project_is_listed_and_readable(api):
    page = org_call(api, "GET", "/v2/projects/", params={"continue": 0, "limit": 50}).json()
    assert page["kind"] == "ProjectList" and page["metadata"] == {"continue": 1}
    [project] = page["items"]
    assert set(project) == PROJECT_KEYS
    assert project["metadata"]["guid"] == PROJECT and project["status"]["status"] == "Success"
    got = api.get("/v2/projects/%s/" % PROJECT).json()
    assert got == project


def test_create_project_from_a_null_filled_body(api):
    answer = org_call(api, "POST", "/v2/projects/", json=sdk_project())
    assert answer.status_code == 201, answer.text
    project = answer.json()
    assert set(project) == PROJECT_KEYS
    meta = project["metadata"]
    assert re.match(r"^project-[a-z]{24}$", meta["guid"])
    assert meta["organizationGUID"] == ORG and meta["labels"] == {"team": "ops"} and "projectGUID" not in meta
    assert project["spec"]["features"]["vpn"] == {"enabled": False}
    assert project["spec"]["members"][0]["roleNames"] == ["admin"]
    assert org_call(api, "GET", "/v2/projects/%s/" % meta["guid"]).json() == project


def test_created_project_is_usable_as_project_header_until_deleted(api):
    guid = org_call(api, "POST", "/v2/projects/", json=sdk_project()).json()["metadata"]["guid"]
    assert api.post("/v2/networks/", json=cloud_network(), headers={"project": guid}).status_code == 201
    # projects are separate namespaces
    assert api.get("/v2/networks/", headers={"project": guid}).json()["metadata"]["continue"] == 1
    assert api.get("/v2/networks/").json()["items"] == []
    assert org_call(api, "DELETE", "/v2/projects/%s/" % guid).json() == {"success": True}
    assert error_of(api.get("/v2/networks/", headers={"project": guid}), 403) == common.DENIED
    assert error_of(org_call(api, "GET", "/v2/projects/%s/" % guid), 404) == "project %s not found" % guid


def test_project_names_are_unique_in_the_organization(api):
    assert org_call(api, "POST", "/v2/projects/", json=sdk_project()).status_code == 201
    assert error_of(org_call(api, "POST", "/v2/projects/", json=sdk_project()), 409) == \
        "project demo-project already exists"
    assert error_of(org_call(api, "POST", "/v2/projects/", json=sdk_project(name="emulator-project")), 409)


def test_project_list_filters(api):
    org_call(api, "POST", "/v2/projects/", json=sdk_project("one"))
    org_call(api, "POST", "/v2/projects/", json=sdk_project("two"))

    def names(params):
        return [p["metadata"]["name"] for p in org_call(api, "GET", "/v2/projects/", params=params).json()["items"]]

    assert names({"name": "two"}) == ["two"]
    assert names({"organizations": ORG}) == ["emulator-project", "one", "two"]
    assert names({"organizations": "org-other"}) == []
    assert names({"labelSelector": "team=ops"}) == ["one", "two"]
    assert names({"status": "Success", "limit": 2}) == ["emulator-project", "one"]
    assert names({"continue": 2}) == ["two"]


def test_project_create_checks(api):
    assert error_of(org_call(api, "POST", "/v2/projects/", json=sdk_project(org="org-other")), 403) == common.DENIED
    body = sdk_project()
    body["metadata"]["name"] = None
    assert error_of(org_call(api, "POST", "/v2/projects/", json=body), 400) == "metadata.name: required"
    body = sdk_project()
    body["spec"]["members"] = [{"subject": {"kind": "Robot", "name": "x"}}]
    assert error_of(org_call(api, "POST", "/v2/projects/", json=body), 400) == \
        "spec.members[0].subject.kind: must be one of User, UserGroup, ServiceAccount"
    body = sdk_project()
    body["spec"]["features"]["vpn"]["enabled"] = "yes"
    assert error_of(org_call(api, "POST", "/v2/projects/", json=body), 400) == \
        "spec.features.vpn.enabled: must be a boolean"


def test_put_project_replaces_labels_and_features(api):
    guid = org_call(api, "POST", "/v2/projects/", json=sdk_project()).json()["metadata"]["guid"]
    body = sdk_project()
    body["metadata"]["labels"] = {"team": "dev"}
    body["spec"]["features"]["vpn"] = {"enabled": True, "subnets": ["10.0.0.0/8"]}
    answer = api.put("/v2/projects/%s/" % guid, json=body, headers={"project": guid})
    assert answer.status_code == 200, answer.text
    project = answer.json()
    assert project["metadata"]["labels"] == {"team": "dev"}
    assert project["spec"]["features"]["vpn"] == {"enabled": True, "subnets": ["10.0.0.0/8"]}
    body["metadata"]["name"] = "renamed"
    assert error_of(api.put("/v2/projects/%s/" % guid, json=body), 400).startswith("metadata.name: cannot be changed")
    assert error_of(api.put("/v2/projects/project-nope/", json=sdk_project()), 404) == "project project-nope not found"


def test_default_project_can_be_edited_but_not_deleted(api):
    body = sdk_project(name="emulator-project")
    body["metadata"]["labels"] = {"k": "v"}
    assert api.put("/v2/projects/%s/" % PROJECT, json=body).status_code == 200
    assert api.get("/v2/projects/%s/" % PROJECT).json()["metadata"]["labels"] == {"k": "v"}
    assert error_of(api.delete("/v2/projects/%s/" % PROJECT), 400).startswith("the emulator's default project")
    assert api.get("/v2/networks/").status_code == 200


def test_login_host_user_info_names_the_user(api):
    # `rio auth login --auth-token` reads data.email from the login host
    assert api.client.get("/user/info", headers=TOKEN_ONLY).json()["data"]["email"] == common.USER_EMAIL
    assert error_of(api.client.get("/user/info"), 401)


def test_a_put_of_the_same_project_or_user_changes_nothing(api):
    project = org_call(api, "POST", "/v2/projects/", json=sdk_project()).json()
    guid = project["metadata"]["guid"]
    me = api.get("/v2/users/me/").json()
    api.clock.advance(60)
    assert api.put("/v2/projects/%s/" % guid, json=sdk_project()).json() == project
    assert api.put("/v2/users/me/", json=me).json() == me
    body = sdk_project()
    body["metadata"]["labels"] = {"team": "dev"}
    assert api.put("/v2/projects/%s/" % guid, json=body).json()["metadata"]["updatedAt"] > \
        project["metadata"]["updatedAt"]
