"""users/me, organizations, projects and the auth answers, as sdk-v2 maps them
(docs/reference/v2-api.md#projects-and-users, docs/reference/v2-api.md#hosts-and-headers,
docs/reference/v2-api.md#errors)."""
import pytest
from rapyuta_io_sdk_v2.exceptions import HttpNotFoundError, MethodNotAllowedError, UnauthorizedAccessError
from rapyuta_io_sdk_v2.models import Organization, Project, ProjectList, User

from .sdkv2_support import (DENIED, ORGANIZATION, ORGANIZATION_SHORT_ID, OTHER_ORGANIZATION, PROJECT, TOKEN,
                            UNKNOWN_PROJECT, cloud_package)


def project_body(name, labels=None):
    return {"apiVersion": "api.rapyuta.io/v2", "kind": "Project",
            "metadata": {"name": name, "organizationGUID": ORGANIZATION, "labels": labels},
            "spec": {"features": {"vpn": {"enabled": False}, "tracing": {"enabled": False}}}}


def test_users_me_names_the_organization_and_its_short_id(sdk):
    me = sdk.get_myself()
    assert isinstance(me, User)
    organizations = {org.guid: org for org in me.spec.organizations or []}
    assert ORGANIZATION in organizations, organizations
    # riocli learns the short id here, and forms static-route names with it.
    assert organizations[ORGANIZATION].short_guid == ORGANIZATION_SHORT_ID
    assert me.spec.email_id


def test_users_me_lists_the_default_project(sdk):
    me = sdk.get_myself()
    assert PROJECT in [project.guid for project in me.spec.projects or []]


def test_get_organization(sdk):
    organization = sdk.get_organization()
    assert isinstance(organization, Organization)
    assert organization.metadata.guid == ORGANIZATION
    assert organization.metadata.shortGUID == ORGANIZATION_SHORT_ID


def test_get_the_default_project(sdk):
    project = sdk.get_project()
    assert isinstance(project, Project)
    assert project.metadata.guid == PROJECT
    assert project.metadata.organizationGUID == ORGANIZATION


def test_create_list_get_delete_project(sdk, emulator):
    created = sdk.create_project(project_body("sdk-v2-second", labels={"team": "ops"}))
    assert isinstance(created, Project)
    guid = created.metadata.guid
    assert guid and guid.startswith("project-") and guid != PROJECT
    assert created.metadata.name == "sdk-v2-second"
    assert created.metadata.labels == {"team": "ops"}

    listed = sdk.list_projects()
    assert isinstance(listed, ProjectList)
    guids = [p.metadata.guid for p in listed.items]
    assert PROJECT in guids and guid in guids
    assert [p.metadata.guid for p in sdk.list_projects(name="sdk-v2-second").items] == [guid]
    assert [p.metadata.guid for p in sdk.list_projects(label_selector=["team=ops"]).items] == [guid]

    assert sdk.get_project(guid).metadata.name == "sdk-v2-second"
    sdk.delete_project(guid)
    assert guid not in [p.metadata.guid for p in sdk.list_projects().items]


def test_projects_isolate_their_objects(sdk, emulator):
    guid = sdk.create_project(project_body("sdk-v2-isolated")).metadata.guid
    other = emulator.client(project=guid)
    other.create_package(cloud_package("only-in-second"))
    assert [p.metadata.name for p in other.list_packages().items] == ["only-in-second"]
    assert sdk.list_packages().items in ([], None)
    with pytest.raises(HttpNotFoundError):
        sdk.get_package("only-in-second", "v1.0.0")
    # The same name can exist once per project.
    sdk.create_package(cloud_package("only-in-second"))
    assert other.get_package("only-in-second", "v1.0.0").metadata.projectGUID == guid
    assert sdk.get_package("only-in-second", "v1.0.0").metadata.projectGUID == PROJECT


def test_a_duplicate_project_name_is_a_conflict(sdk):
    from rapyuta_io_sdk_v2.exceptions import HttpAlreadyExistsError
    sdk.create_project(project_body("sdk-v2-twice"))
    with pytest.raises(HttpAlreadyExistsError):
        sdk.create_project(project_body("sdk-v2-twice"))


@pytest.mark.parametrize("call", ["list_packages", "list_deployments", "get_myself", "list_projects"])
def test_a_wrong_token_is_unauthorized(emulator, call):
    client = emulator.client(token="not-the-token")
    with pytest.raises(UnauthorizedAccessError):
        getattr(client, call)()


def test_no_token_is_unauthorized(emulator):
    client = emulator.client(token=None)
    with pytest.raises(UnauthorizedAccessError):
        client.list_packages()


def test_an_explicit_bearer_prefix_is_accepted(emulator):
    assert emulator.client(token="Bearer " + TOKEN).list_packages().items in ([], None)


def test_another_organization_is_denied(emulator):
    client = emulator.client(organization=OTHER_ORGANIZATION)
    with pytest.raises(MethodNotAllowedError, match=DENIED):
        client.list_packages()


def test_an_unknown_project_is_denied(emulator):
    client = emulator.client(project=UNKNOWN_PROJECT)
    with pytest.raises(MethodNotAllowedError, match=DENIED):
        client.list_deployments()


def test_a_missing_project_header_is_a_bad_request(emulator):
    status, answer = emulator.raw("GET", "/v2/packages/", headers={"Authorization": "Bearer " + TOKEN})
    assert status == 400 and isinstance(answer, dict) and "project" in answer["error"]


def test_no_organization_header_means_the_emulators_organization(emulator):
    status, answer = emulator.raw("GET", "/v2/packages/",
                                  headers={"Authorization": "Bearer " + TOKEN, "project": PROJECT})
    assert status == 200 and isinstance(answer, dict)
