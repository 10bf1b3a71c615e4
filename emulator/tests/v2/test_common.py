"""What every v2 route shares: auth and headers, bodies, the envelope, lists and pagination, label
selectors, errors, stats by route, the status page and the --organization setting."""
import re

import pytest

from emulator_helpers import DOCKER_AMD64, FLEET, PROJECT, TOKEN, make_api
from rio_emulator.__main__ import parser
from rio_emulator.errors import ApiError
from rio_emulator.launcher import EmulatorProcess
from rio_emulator.settings import DEFAULT_ORGANIZATION, Settings
from rio_emulator.v2 import common

from .resource_helpers import ORG, cloud_network, error_of, sdk_cloud_package

RFC3339 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")


# -- auth and headers ------------------------------------------------------------------------------
def test_missing_or_wrong_token_is_401_with_an_error_body(api):
    assert error_of(api.get("/v2/packages/", headers={"Authorization": ""}), 401)
    assert error_of(api.get("/v2/packages/", headers={"Authorization": "Bearer nope"}), 401)
    assert error_of(api.client.get("/v2/users/me/"), 401)


def test_token_is_checked_before_the_headers(api):
    answer = api.client.get("/v2/packages/", headers={"organizationguid": "org-other"})
    assert error_of(answer, 401)


def test_organization_header_absent_or_equal_passes_and_different_is_403(api):
    assert api.get("/v2/packages/").status_code == 200
    assert api.get("/v2/packages/", headers={"organizationguid": ORG}).status_code == 200
    assert error_of(api.get("/v2/packages/", headers={"organizationguid": "org-other"}), 403) == common.DENIED
    assert error_of(api.get("/v2/projects/", headers={"organizationguid": "org-other"}), 403) == common.DENIED


def test_project_header_absent_is_400_and_unknown_is_403(api):
    assert error_of(api.get("/v2/networks/", headers={"project": ""}), 400) == "project header required"
    assert error_of(api.get("/v2/disks/", headers={"project": "project-unknown"}), 403) == common.DENIED


def test_user_and_organization_routes_need_no_project_header(api):
    headers = {"Authorization": "Bearer " + TOKEN}
    assert api.client.get("/v2/users/me/", headers=headers).status_code == 200
    assert api.client.get("/v2/projects/", headers=headers).status_code == 200


def test_unknown_v2_route_is_404_with_an_error_body(api):
    assert "not found" in error_of(api.get("/v2/nothing-here/"), 404)


# -- bodies ----------------------------------------------------------------------------------------
def test_read_body_drops_nulls_status_and_read_only_metadata():
    body = common.read_body({"kind": "Disk", "status": {"status": "Bound"},
                             "metadata": {"name": "d", "guid": "disk-x", "createdAt": "2020-01-01T00:00:00Z",
                                          "projectGUID": "project-x", "generation": 3, "labels": None,
                                          "region": "us"},
                             "spec": {"capacity": 4, "nested": {"a": None, "b": [1, None, {"c": None}]}}}, "Disk")
    assert body == {"kind": "Disk", "metadata": {"name": "d", "region": "us"},
                    "spec": {"capacity": 4, "nested": {"b": [1, {}]}}}


@pytest.mark.parametrize("body, message", [
    ([], "the body must be a JSON object"),
    (None, "the body must be a JSON object"),
    ({"metadata": "x"}, "metadata: must be an object"),
    ({"kind": "Network", "metadata": {}}, "kind: must be Disk"),
    ({"apiVersion": "v1", "metadata": {}}, "apiVersion: must be one of api.rapyuta.io/v2, apiextensions.rapyuta.io/v1"),
])
def test_read_body_refuses_what_is_not_an_object(body, message):
    with pytest.raises(ApiError) as caught:
        common.read_body(body, "Disk")
    assert (caught.value.status, caught.value.message) == (400, message)


def test_a_body_that_is_not_json_is_400(api):
    answer = api.post("/v2/disks/", content=b"{nope", headers={"Content-Type": "application/json"})
    assert error_of(answer, 400)


def test_new_objects_carry_the_server_metadata(api):
    created = api.post("/v2/networks/", json=cloud_network()).json()
    meta = created["metadata"]
    assert re.match(r"^network-[a-z]{24}$", meta["guid"])
    assert (meta["projectGUID"], meta["organizationGUID"], meta["creatorGUID"]) == (PROJECT, ORG, common.USER_GUID)
    assert RFC3339.match(meta["createdAt"]) and meta["createdAt"] == meta["updatedAt"]
    assert (meta["labels"], meta["region"]) == ({}, "jp")
    assert created["apiVersion"] == "api.rapyuta.io/v2" and created["kind"] == "Network"


def test_name_must_be_usable_in_a_path(api):
    body = cloud_network(name="bad/name")
    assert error_of(api.post("/v2/networks/", json=body), 400).startswith("metadata.name: must start with")
    body = cloud_network(name="")
    assert error_of(api.post("/v2/networks/", json=body), 400) == "metadata.name: required"


# -- lists -----------------------------------------------------------------------------------------
def _create_networks(api, count, labels=None):
    for index in range(count):
        body = cloud_network(name="net-%d" % index)
        body["metadata"]["labels"] = (labels or {}).get(index, {})
        assert api.post("/v2/networks/", json=body).status_code == 201


def test_pages_follow_the_continue_cursor_to_the_end(api):
    _create_networks(api, 5)
    names, cursor, cursors = [], 0, []
    while True:
        page = api.get("/v2/networks/", params={"continue": cursor, "limit": 2}).json()
        assert page["kind"] == "NetworkList" and page["apiVersion"] == "api.rapyuta.io/v2"
        if not page["items"]:
            break
        names += [n["metadata"]["name"] for n in page["items"]]
        cursor = page["metadata"]["continue"]
        cursors.append(cursor)
    assert names == ["net-%d" % i for i in range(5)]
    assert cursors == [2, 4, 5]
    assert page["metadata"] == {"continue": 5}


def test_default_limit_is_50_and_empty_values_mean_absent(api):
    _create_networks(api, 52)
    page = api.get("/v2/networks/", params={"continue": "", "limit": "", "names": "", "labelSelector": ""}).json()
    assert len(page["items"]) == 50 and page["metadata"]["continue"] == 50


@pytest.mark.parametrize("params, message", [
    ({"limit": 0}, "limit: must be an integer between 1 and 1000"),
    ({"limit": 1001}, "limit: must be an integer between 1 and 1000"),
    ({"limit": "ten"}, "limit: must be an integer between 1 and 1000"),
    ({"continue": -1}, "continue: must be a non-negative integer"),
    ({"continue": "x"}, "continue: must be a non-negative integer"),
])
def test_malformed_paging_is_400(api, params, message):
    assert error_of(api.get("/v2/networks/", params=params), 400) == message


def test_limit_1000_is_accepted(api):
    assert api.get("/v2/networks/", params={"limit": 1000}).status_code == 200


def test_label_selectors_and_repeated_keys(api):
    _create_networks(api, 4, labels={0: {"app": "a", "tier": "x"}, 1: {"app": "a"}, 2: {"app": "b"}})

    def names(query):
        return [n["metadata"]["name"] for n in api.get("/v2/networks/?" + query).json()["items"]]

    assert names("labelSelector=app%3Da") == ["net-0", "net-1"]
    assert names("labelSelector=app%3Da&labelSelector=tier%3Dx") == ["net-0"]
    assert names("labelSelector=app%3Da%2Ctier%3Dx") == ["net-0"]
    assert names("labelSelector=app%21%3Da") == ["net-2", "net-3"]
    assert names("labelSelector=app") == ["net-0", "net-1", "net-2"]
    assert names("names=net-1&names=net-3") == ["net-1", "net-3"]
    assert names("names=net") == []
    assert error_of(api.get("/v2/networks/?labelSelector=%3Dv"), 400).startswith("labelSelector: invalid entry")


def test_selector_parsing_and_matching():
    selector = common.parse_selector(["a=1,b==2", "c!=3", "d"])
    assert selector == [("a", "=", "1"), ("b", "=", "2"), ("c", "!=", "3"), ("d", "exists", None)]
    assert common.labels_match({"a": "1", "b": "2", "d": ""}, selector)
    assert not common.labels_match({"a": "1", "b": "2", "c": "3", "d": ""}, selector)
    assert not common.labels_match({"a": "1", "b": "2"}, selector)
    assert common.labels_match(None, [])


# -- references ------------------------------------------------------------------------------------
def test_devices_resolve_by_name_or_uuid(api):
    ctx = common.V2Context(api.emu, None, PROJECT, ORG)
    assert common.find_device(ctx, "docker-amd64")["uuid"] == DOCKER_AMD64
    assert common.find_device(ctx, DOCKER_AMD64)["name"] == "docker-amd64"
    assert common.find_device(ctx, "docker") is None
    assert common.find_device(ctx, "") is None


def test_deployment_references_read_the_object_as_sent():
    dep = {"metadata": {"name": "d", "depends": {"kind": "package", "nameOrGUID": "p", "version": "v1"}},
           "spec": {"runtime": "device", "device": {"depends": {"kind": "device", "nameOrGUID": "robot"}},
                    "depends": [{"kind": "deployment", "nameOrGUID": "other"}],
                    "rosNetworks": [{"depends": {"kind": "network", "nameOrGUID": "net"}}],
                    "volumes": [{"execName": "e", "depends": {"kind": "disk", "nameOrGUID": "disk"}}, {"execName": "e"}],
                    "staticRoutes": [{"name": "r", "depends": {"kind": "staticroute", "nameOrGUID": "route"}}],
                    "envArgs": [{"name": "X", "valueFrom": {"secretKeyRef": {"name": "sec", "key": "k"}}},
                                {"name": "Y", "value": "1"}],
                    "features": {"params": {"enabled": True, "trees": ["tree"]}}}}
    assert common.deployment_references(dep) == {
        "package": [("p", "v1")], "network": ["net"], "disk": ["disk"], "staticroute": ["route"],
        "secret": ["sec"], "configtree": ["tree"], "deployment": ["other"], "device": ["robot"]}


# -- stats, status page, settings ------------------------------------------------------------------
def test_stats_count_v2_requests_by_route_template(api):
    api.post("/v2/packages/", json=sdk_cloud_package())
    api.get("/v2/packages/demo-web/", params={"version": "v1.0.0"})
    api.get("/v2/packages/other/", params={"version": "v1.0.0"})
    api.get("/v2/users/me/")
    by_route = api.client.get("/_emulator/stats").json()["by_route"]
    assert by_route["POST /v2/packages/"] == 1
    assert by_route["GET /v2/packages/{name}/"] == 2
    assert by_route["GET /v2/users/me/"] == 1


def test_status_page_shows_v2_objects(api):
    api.post("/v2/packages/", json=sdk_cloud_package(name="page-pkg"))
    api.post("/v2/networks/", json=cloud_network(name="page-net"))
    page = api.client.get("/").text
    assert "v2 packages" in page and "page-pkg" in page
    assert "v2 networks" in page and "page-net" in page and "Succeeded" in page


def test_health_names_the_organization(api):
    assert api.client.get("/_emulator/health").json()["organization"] == ORG


def test_organization_setting_and_flag():
    assert Settings().organization == DEFAULT_ORGANIZATION == ORG
    args = parser().parse_args(["serve", "--organization", "org-abcdefghijklmnopqrstuvwx"])
    assert args.organization == "org-abcdefghijklmnopqrstuvwx"
    assert parser().parse_args(["serve"]).organization == ORG
    with pytest.raises(SystemExit):
        parser().parse_args(["serve", "--organization", "acme"])


def test_another_organization_is_the_one_checked():
    api = make_api(organization="org-abcdefghijklmnopqrstuvwx")
    assert api.get("/v2/packages/", headers={"organizationguid": "org-abcdefghijklmnopqrstuvwx"}).status_code == 200
    assert error_of(api.get("/v2/packages/", headers={"organizationguid": ORG}), 403) == common.DENIED
    me = api.get("/v2/users/me/").json()
    assert me["spec"]["organizations"][0]["guid"] == "org-abcdefghijklmnopqrstuvwx"


def test_served_process_takes_the_organization_flag():
    with EmulatorProcess(fleet=FLEET, token=TOKEN, project=PROJECT, organization="org-abcdefghijklmnopqrstuvwx") as proc:
        assert proc.admin("health")["organization"] == "org-abcdefghijklmnopqrstuvwx"
        me = proc.call("GET", "/v2/users/me/", headers={"Authorization": "Bearer " + TOKEN})
        assert me["spec"]["organizations"][0]["guid"] == "org-abcdefghijklmnopqrstuvwx"
