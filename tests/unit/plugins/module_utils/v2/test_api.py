# Copyright: (c) 2026, rapyuta.rio contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""RioV2Api over a real RioClient against a local HTTP server: request lines, headers, paging,
error mapping, the rules that keep a repeated creation from duplicating, and the run's cache."""

import pytest

from http_server import Reply

from ansible_collections.rapyuta.rio.plugins.module_utils.transport.client import (
    RioBadRequest,
    RioClient,
    RioConflict,
    RioConnectionError,
    RioError,
    RioForbidden,
    RioNotFound,
    RioServerError,
    RioUnauthorized,
)
from ansible_collections.rapyuta.rio.plugins.module_utils.v1.api import LookupCache, RioApi
from ansible_collections.rapyuta.rio.plugins.module_utils.v2 import api as v2api
from ansible_collections.rapyuta.rio.plugins.module_utils.v2.api import RioV2Api, kind_of, sent_differences

TOKEN = "v2-unit-token"
PROJECT = "project-aaaaaaaaaaaaaaaaaaaaaaaa"
ORG = "org-bbbbbbbbbbbbbbbbbbbbbbbb"


class Sleeps(list):
    def __call__(self, seconds):
        self.append(seconds)


def make_api(server, retries=2, **kwargs):
    kwargs.setdefault("organization", ORG)
    client = RioClient(TOKEN, project=PROJECT, v2_api_host=server.url, catalog_host=server.url,
                       core_api_host=server.url, environ={}, retries=retries, timeout=5, sleeper=Sleeps(),
                       api_version="v2", **kwargs)
    return RioV2Api(client, sleeper=Sleeps())


def package(name="talker", version="v1.0.0", image="ros:noetic"):
    return {"apiVersion": "api.rapyuta.io/v2", "kind": "Package",
            "metadata": {"name": name, "version": version, "labels": {"app": "demo"}, "guid": None},
            "spec": {"runtime": "cloud", "cloud": {"replicas": 1},
                     "executables": [{"name": "web", "type": "docker", "docker": {"image": image}, "runAsBash": False}]}}


def stored(document, **metadata):
    """What the server returns: the document as sent, nulls dropped, server fields added."""
    result = {"apiVersion": document["apiVersion"], "kind": document["kind"],
              "metadata": dict((key, value) for key, value in document["metadata"].items() if value is not None),
              "spec": document["spec"], "status": {"phase": "InProgress"}}
    result["metadata"].update(guid="pkg-abcdefghij0123456789", createdAt="2026-01-01T00:00:00Z", **metadata)
    return result


def deployment(name="web-dep", generation=1):
    return {"apiVersion": "api.rapyuta.io/v2", "kind": "Deployment",
            "metadata": {"name": name, "guid": "dep-abc", "generation": generation,
                         "depends": {"kind": "package", "nameOrGUID": "talker", "version": "v1.0.0"}},
            "spec": {"runtime": "cloud"}, "status": {"phase": "Succeeded", "status": "Running"}}


# -- hosts and headers (docs/reference/v2-api.md#hosts-and-headers) -----------------------------------
def test_a_v2_call_goes_to_the_v2_host_with_the_project_and_organizationguid_headers(rio_server):
    rio_server.script("GET", "/v2/disks/data/", Reply(200, {"kind": "Disk", "metadata": {"name": "data"}}))
    rio_server.script("GET", "/api/device-manager/v0/devices/", Reply(200, {"response": {"data": []}}))
    api = make_api(rio_server)
    assert api.get("Disk", "data")["metadata"]["name"] == "data"
    api.devices.list_devices()
    v2_call, device_call = rio_server.requests
    assert v2_call.headers["Authorization"] == "Bearer " + TOKEN
    assert v2_call.headers["project"] == PROJECT and v2_call.headers["organizationguid"] == ORG
    assert v2_call.headers.get("organization") is None
    # The device manager (a v1 host) keeps the v1 header name.
    assert device_call.headers["organization"] == ORG and device_call.headers.get("organizationguid") is None


def test_without_an_organization_no_organization_header_is_sent(rio_server):
    rio_server.script("GET", "/v2/disks/data/", Reply(200, {"metadata": {"name": "data"}}))
    make_api(rio_server, organization=None).get("Disk", "data")
    assert rio_server.requests[0].headers.get("organizationguid") is None


def test_the_organization_is_read_without_the_project_header(rio_server):
    rio_server.script("GET", "/v2/organizations/%s/" % ORG, Reply(200, {"metadata": {"shortGUID": "emuorg"}}))
    api = make_api(rio_server)
    assert api.get_organization(ORG)["metadata"]["shortGUID"] == "emuorg"
    assert api.get_organization(ORG)["metadata"]["shortGUID"] == "emuorg"
    (request,) = rio_server.requests
    assert request.headers.get("project") is None and request.headers["organizationguid"] == ORG


def test_devices_share_the_client_and_the_cache(rio_server):
    api = make_api(rio_server)
    assert isinstance(api.devices, RioApi) and api.devices is api.devices
    assert api.devices.client is api.client and api.devices.cache is api.cache


# -- reads (docs/reference/v2-api.md#packages, #deployments, #static-routes) ---------------------------
def test_a_package_is_read_by_name_and_version_or_latest(rio_server):
    rio_server.script("GET", "/v2/packages/talker/", Reply(200, stored(package())))
    api = make_api(rio_server)
    api.get("Package", "talker", version="v1.0.0")
    api.get("package", "talker")
    assert [request.query for request in rio_server.requests] == [{"version": ["v1.0.0"]}, {"version": [""]}]


def test_a_deployment_is_read_live_or_by_guid(rio_server):
    rio_server.script("GET", "/v2/deployments/web-dep/", Reply(200, deployment()))
    api = make_api(rio_server)
    api.get("Deployment", "web-dep")
    api.get("Deployment", "web-dep", guid="dep-old")
    assert [request.query for request in rio_server.requests] == [{"guid": [""]}, {"guid": ["dep-old"]}]


def test_a_static_route_is_read_by_its_name_quoted_in_the_path(rio_server):
    rio_server.script("GET", "/v2/staticroutes/my%20route/", Reply(200, {"metadata": {"name": "my route-emuorg"}}))
    make_api(rio_server).get("StaticRoute", "my route")
    assert rio_server.requests[0].path == "/v2/staticroutes/my%20route/" and rio_server.requests[0].query == {}


def test_versions_and_guids_belong_to_their_kinds_and_unknown_kinds_are_refused(rio_server):
    api = make_api(rio_server)
    with pytest.raises(RioError, match="only packages have versions"):
        api.get("Deployment", "d", version="v1")
    with pytest.raises(RioError, match="only deployments are read by guid"):
        api.get("Package", "p", guid="dep-x")
    with pytest.raises(RioError, match="kind 'Robot'"):
        api.get("Robot", "r")
    assert kind_of("STATICROUTE").plural == "staticroutes"
    assert rio_server.requests == []


def test_a_missing_object_is_none_for_find_and_the_apis_404_for_get_and_both_are_cached(rio_server):
    rio_server.script("GET", "/v2/deployments/gone/", Reply(404, {"error": "deployment gone not found"}))
    api = make_api(rio_server)
    assert api.find("Deployment", "gone") is None
    with pytest.raises(RioNotFound) as caught:
        api.get("Deployment", "gone")
    assert caught.value.message == "deployment gone not found" and caught.value.status == 404
    assert len(rio_server.requests) == 1
    assert api.find("Deployment", "gone", cached=False) is None
    with pytest.raises(RioNotFound):
        api.get("Deployment", "gone", cached=False)
    assert len(rio_server.requests) == 3


# -- lists (docs/reference/v2-api.md#lists-and-pagination) ----------------------------------------------
def paged(items, page_size):
    def answer(request):
        offset, limit = int(request.query["continue"][0]), int(request.query["limit"][0])
        assert limit == page_size
        page = items[offset:offset + limit]
        return Reply(200, {"kind": "DeploymentList", "metadata": {"continue": offset + len(page)}, "items": page})
    return answer


def test_a_list_reads_every_page_and_stops_at_the_short_one(rio_server, monkeypatch):
    monkeypatch.setattr(v2api, "LIST_LIMIT", 2)
    items = [{"metadata": {"name": "d%d" % index}} for index in range(5)]
    rio_server.script("GET", "/v2/deployments/", paged(items, 2))
    assert make_api(rio_server).list_objects("Deployment") == items
    assert [request.query["continue"] for request in rio_server.requests] == [["0"], ["2"], ["4"]]


def test_a_full_last_page_costs_one_more_request_and_an_absent_items_key_is_empty(rio_server, monkeypatch):
    monkeypatch.setattr(v2api, "LIST_LIMIT", 2)
    items = [{"metadata": {"name": "d%d" % index}} for index in range(4)]
    rio_server.script("GET", "/v2/deployments/", paged(items, 2))
    assert len(make_api(rio_server).list_objects("Deployment")) == 4
    assert len(rio_server.requests) == 3
    rio_server.script("GET", "/v2/disks/", Reply(200, {"kind": "DiskList", "metadata": {"continue": 0}}))
    assert make_api(rio_server).list_objects("Disk") == []


def test_a_list_without_a_cursor_is_one_page_and_the_default_limit_is_the_largest(rio_server):
    rio_server.script("GET", "/v2/packages/", Reply(200, {"items": [{"metadata": {"name": "p"}}]}))
    assert len(make_api(rio_server).list_objects("Package")) == 1
    assert rio_server.requests[0].query["limit"] == [str(v2api.LIST_LIMIT)] and v2api.LIST_LIMIT == 1000


def test_a_cursor_that_does_not_move_ends_the_list(rio_server, monkeypatch):
    monkeypatch.setattr(v2api, "LIST_LIMIT", 1)
    rio_server.script("GET", "/v2/packages/", Reply(200, {"metadata": {"continue": 0}, "items": [{"metadata": {}}]}))
    assert len(make_api(rio_server).list_objects("Package")) == 1
    assert len(rio_server.requests) == 1


def test_filters_go_on_the_wire_as_the_reference_spells_them(rio_server):
    rio_server.script("GET", "/v2/deployments/", Reply(200, {"metadata": {"continue": 0}, "items": []}))
    make_api(rio_server).list_objects("Deployment", names=["a", "b"], phases=["InProgress", "Succeeded"],
                                      labelSelector={"site": "alpha", "app": "web"}, deviceName="robot-1",
                                      dependencies=False, packageName=None, regions=[])
    query = rio_server.requests[0].query
    assert query == {"continue": ["0"], "limit": [str(v2api.LIST_LIMIT)], "names": ["a", "b"],
                     "phases": ["InProgress", "Succeeded"], "labelSelector": ["app=web", "site=alpha"],
                     "deviceName": ["robot-1"], "dependencies": ["false"]}


def test_a_label_selector_may_be_strings_and_an_unknown_filter_is_refused_before_any_request(rio_server):
    rio_server.script("GET", "/v2/secrets/", Reply(200, {"items": []}))
    api = make_api(rio_server)
    api.list_objects("Secret", labelSelector="team=ops")
    api.list_objects("Secret", labelSelector=["a=1", "b"])
    assert [request.query["labelSelector"] for request in rio_server.requests] == [["team=ops"], ["a=1", "b"]]
    with pytest.raises(RioError, match="no filter 'deviceName'"):
        api.list_objects("Secret", deviceName="robot-1")
    assert len(rio_server.requests) == 2


def test_lists_are_cached_per_filter_and_can_be_read_again(rio_server):
    rio_server.script("GET", "/v2/networks/", Reply(200, {"items": []}))
    api = make_api(rio_server)
    api.list_objects("Network")
    api.list_objects("Network")
    api.list_objects("Network", names=["n"])
    api.list_objects("Network", cached=False)
    assert len(rio_server.requests) == 3


def test_remembered_list_objects_answer_finds_and_the_names_it_lacks_are_absent_until_forgotten(rio_server):
    rio_server.script("GET", "/v2/deployments/gone/", Reply(404, {"error": "deployment gone not found"}))
    rio_server.script("GET", "/v2/deployments/web-dep/", Reply(200, deployment(generation=2)))
    api = make_api(rio_server)
    api.remember("Deployment", [deployment()], ["web-dep", "gone"])
    assert api.find("Deployment", "web-dep")["metadata"]["generation"] == 1
    assert api.find("Deployment", "gone") is None
    with pytest.raises(RioNotFound, match="deployment gone not found"):
        api.get("Deployment", "gone")
    assert rio_server.requests == []
    api.forget("Deployment")
    assert api.find("Deployment", "web-dep")["metadata"]["generation"] == 2
    assert len(rio_server.requests) == 1
    with pytest.raises(RioError, match="packages are read by name and version"):
        api.remember("Package", [], ["talker"])


# -- errors (docs/reference/v2-api.md#errors) ---------------------------------------------------------
@pytest.mark.parametrize("status, error_class", [
    (400, RioBadRequest), (401, RioUnauthorized), (403, RioForbidden), (404, RioNotFound),
    (409, RioConflict), (500, RioServerError)])
def test_error_bodies_map_to_the_transports_classes(rio_server, status, error_class):
    rio_server.script("GET", "/v2/networks/net/", Reply(status, {"error": "spec.rosDistro: required"}))
    with pytest.raises(error_class) as caught:
        make_api(rio_server).get("Network", "net")
    assert caught.value.status == status and caught.value.message == "spec.rosDistro: required"
    assert caught.value.option == "v2_api_host" and caught.value.base_url == rio_server.url
    assert len(rio_server.requests) == 1


# -- creations (docs/reference/v2-api.md#errors) ------------------------------------------------------
def test_a_creation_posts_the_document_and_returns_the_stored_object(rio_server):
    rio_server.script("POST", "/v2/packages/", Reply(201, stored(package())))
    created = make_api(rio_server).create("Package", package())
    assert created["metadata"]["guid"] == "pkg-abcdefghij0123456789"
    (request,) = rio_server.requests
    assert request.json == package() and request.headers["Content-Type"] == "application/json"


def test_a_first_409_with_the_same_object_stored_adopts_it(rio_server):
    # Another run created it at the same moment (a slice of the same AWX job): names are unique on v2.
    rio_server.script("POST", "/v2/packages/", Reply(409, {"error": "package talker v1.0.0 already exists"}))
    rio_server.script("GET", "/v2/packages/talker/", Reply(200, stored(package())))
    created = make_api(rio_server).create("Package", package())
    assert created["metadata"]["guid"] == "pkg-abcdefghij0123456789"
    assert [request.method for request in rio_server.requests] == ["POST", "GET"]


def test_a_first_409_with_another_object_stored_is_the_callers_conflict(rio_server):
    rio_server.script("POST", "/v2/packages/", Reply(409, {"error": "package talker v1.0.0 already exists"}))
    rio_server.script("GET", "/v2/packages/talker/", Reply(200, stored(package(image="ros:humble"))))
    with pytest.raises(RioConflict, match=r"differs from what this run sent in spec\.executables\[0\]\.docker\.image"):
        make_api(rio_server).create("Package", package())
    assert [request.method for request in rio_server.requests] == ["POST", "GET"]


def test_a_lost_answer_is_followed_by_a_read_and_the_object_stored_as_sent_is_this_runs(rio_server):
    rio_server.script("POST", "/v2/packages/", Reply(drop=True))
    rio_server.script("GET", "/v2/packages/talker/", Reply(200, stored(package())))
    api = make_api(rio_server)
    assert api.create("Package", package())["metadata"]["guid"] == "pkg-abcdefghij0123456789"
    assert [request.method for request in rio_server.requests] == ["POST", "GET"]
    assert rio_server.requests[1].query == {"version": ["v1.0.0"]}
    assert api.sleeper == [0.5]


def test_a_lost_answer_and_nothing_stored_sends_the_creation_again(rio_server):
    rio_server.script("POST", "/v2/packages/", Reply(drop=True), Reply(201, stored(package())))
    rio_server.script("GET", "/v2/packages/talker/", Reply(404, {"error": "package talker not found"}))
    make_api(rio_server).create("Package", package())
    assert [request.method for request in rio_server.requests] == ["POST", "GET", "POST"]


def test_a_409_to_the_repeated_creation_is_this_runs_when_the_stored_object_is_what_was_sent(rio_server):
    rio_server.script("POST", "/v2/packages/", Reply(503, {"error": "busy"}), Reply(409, {"error": "exists"}))
    rio_server.script("GET", "/v2/packages/talker/", Reply(404, {"error": "not found"}), Reply(200, stored(package())))
    created = make_api(rio_server).create("Package", package())
    assert created["metadata"]["guid"] == "pkg-abcdefghij0123456789"
    assert [request.method for request in rio_server.requests] == ["POST", "GET", "POST", "GET"]


def test_a_409_to_the_repeated_creation_with_another_object_stored_is_a_conflict(rio_server):
    rio_server.script("POST", "/v2/packages/", Reply(503, {"error": "busy"}), Reply(409, {"error": "exists"}))
    rio_server.script("GET", "/v2/packages/talker/", Reply(404, {"error": "not found"}),
                      Reply(200, stored(package(image="ros:humble"))))
    with pytest.raises(RioConflict, match=r"differs from what this run sent in spec\.executables\[0\]\.docker\.image"):
        make_api(rio_server).create("Package", package())


def test_a_409_to_the_repeated_creation_with_nothing_stored_is_raised(rio_server):
    rio_server.script("POST", "/v2/packages/", Reply(503, {"error": "busy"}), Reply(409, {"error": "exists"}))
    rio_server.script("GET", "/v2/packages/talker/", Reply(404, {"error": "not found"}))
    with pytest.raises(RioConflict, match="no such object"):
        make_api(rio_server).create("Package", package())


def test_a_lost_answer_with_a_different_object_stored_is_a_conflict_and_nothing_is_sent_again(rio_server):
    rio_server.script("POST", "/v2/packages/", Reply(drop=True))
    rio_server.script("GET", "/v2/packages/talker/", Reply(200, stored(package(image="other:1"))))
    with pytest.raises(RioConflict, match="created by someone else"):
        make_api(rio_server).create("Package", package())
    assert [request.method for request in rio_server.requests] == ["POST", "GET"]


def test_a_refused_creation_is_never_repeated(rio_server):
    rio_server.script("POST", "/v2/packages/", Reply(400, {"error": "metadata.version: required"}))
    with pytest.raises(RioBadRequest):
        make_api(rio_server).create("Package", package())
    assert [request.method for request in rio_server.requests] == ["POST"]


def test_lost_answers_stop_after_the_retries(rio_server):
    rio_server.script("POST", "/v2/packages/", Reply(drop=True))
    rio_server.script("GET", "/v2/packages/talker/", Reply(404, {"error": "not found"}))
    with pytest.raises(RioConnectionError):
        make_api(rio_server, retries=1).create("Package", package())
    assert [request.method for request in rio_server.requests] == ["POST", "GET", "POST"]


def test_a_recovered_secret_is_put_again_since_its_values_are_never_returned(rio_server):
    secret = {"apiVersion": "api.rapyuta.io/v2", "kind": "Secret", "metadata": {"name": "regcred"},
              "spec": {"type": "Docker", "docker": {"username": "u", "password": "hunter2"}}}
    shown = {"kind": "Secret", "metadata": {"name": "regcred", "guid": "secret-x"},
             "spec": {"type": "Docker", "docker": {"username": "u"}, "secretKeys": ["password"]}}
    rio_server.script("POST", "/v2/secrets/", Reply(drop=True))
    rio_server.script("GET", "/v2/secrets/regcred/", Reply(200, shown))
    rio_server.script("PUT", "/v2/secrets/regcred/", Reply(200, shown))
    assert make_api(rio_server).create("secret", secret) == shown
    assert [request.method for request in rio_server.requests] == ["POST", "GET", "PUT"]
    assert rio_server.requests[2].json == secret


def test_a_document_without_its_identity_is_refused_before_any_request(rio_server):
    api = make_api(rio_server)
    with pytest.raises(RioError, match=r"no metadata\.name"):
        api.create("Disk", {"kind": "Disk", "metadata": {}})
    with pytest.raises(RioError, match=r"no metadata\.version"):
        api.create("Package", {"kind": "Package", "metadata": {"name": "p"}})
    assert rio_server.requests == []


# -- what was sent, in what is stored -----------------------------------------------------------------
@pytest.mark.parametrize("sent, kept, expected", [
    ({"a": None, "b": {}, "c": []}, {}, []),
    ({"spec": {"x": 1}}, {"spec": {"x": 1, "y": 2}}, []),
    ({"spec": {"x": 1}}, {"spec": {"x": 2}}, ["spec.x"]),
    ({"spec": {"flag": True}}, {"spec": {"flag": 1}}, ["spec.flag"]),
    ({"spec": {"list": [1, 2]}}, {"spec": {"list": [1]}}, ["spec.list"]),
    ({"spec": {"list": [{"a": 1}]}}, {"spec": {"list": [{"a": 2}]}}, ["spec.list[0].a"]),
    ({"spec": {"d": {"a": 1}}}, {"spec": {"d": "text"}}, ["spec.d"]),
    ({"metadata": {"name": "r", "guid": "x"}, "status": {"phase": "A"}, "apiVersion": "apiextensions.rapyuta.io/v1"},
     {"metadata": {"name": "r-emuorg"}, "status": {"phase": "B"}, "apiVersion": "api.rapyuta.io/v2"}, []),
])
def test_sent_differences(sent, kept, expected):
    assert sent_differences(sent, kept) == expected


# -- deletions ----------------------------------------------------------------------------------------
def test_a_package_is_deleted_by_name_and_version_and_needs_the_version(rio_server):
    rio_server.script("DELETE", "/v2/packages/talker/", Reply(200, {"success": True}))
    api = make_api(rio_server)
    api.delete("Package", "talker", version="v1.0.0")
    assert rio_server.requests[0].query == {"version": ["v1.0.0"]}
    with pytest.raises(RioError, match="needs its version"):
        api.delete("Package", "talker")
    assert len(rio_server.requests) == 1


def test_deleting_what_is_not_there_raises_the_apis_404(rio_server):
    rio_server.script("DELETE", "/v2/deployments/gone/", Reply(404, {"error": "deployment gone not found"}))
    with pytest.raises(RioNotFound, match="deployment gone not found"):
        make_api(rio_server).delete("Deployment", "gone")
    assert rio_server.requests[0].query == {}


def test_a_lost_delete_answer_with_the_object_gone_is_a_success_without_a_second_delete(rio_server):
    rio_server.script("DELETE", "/v2/deployments/web-dep/", Reply(drop=True))
    rio_server.script("GET", "/v2/deployments/web-dep/", Reply(404, {"error": "not found"}))
    make_api(rio_server).delete("Deployment", "web-dep")
    assert [request.method for request in rio_server.requests] == ["DELETE", "GET"]


def test_a_lost_delete_answer_with_the_object_still_there_deletes_again_and_a_404_then_is_success(rio_server):
    rio_server.script("DELETE", "/v2/deployments/web-dep/", Reply(503, {"error": "busy"}), Reply(404, {"error": "gone"}))
    rio_server.script("GET", "/v2/deployments/web-dep/", Reply(200, deployment()))
    make_api(rio_server).delete("Deployment", "web-dep")
    assert [request.method for request in rio_server.requests] == ["DELETE", "GET", "DELETE"]


def test_a_refused_delete_is_raised_at_once(rio_server):
    rio_server.script("DELETE", "/v2/disks/data/", Reply(409, {"error": "disk data is in use by deployment web"}))
    with pytest.raises(RioConflict, match="in use"):
        make_api(rio_server).delete("Disk", "data")
    assert len(rio_server.requests) == 1


def test_lost_delete_answers_stop_after_the_retries(rio_server):
    rio_server.script("DELETE", "/v2/disks/data/", Reply(503, {"error": "busy"}))
    rio_server.script("GET", "/v2/disks/data/", Reply(200, {"metadata": {"name": "data"}}))
    with pytest.raises(RioServerError):
        make_api(rio_server, retries=1).delete("Disk", "data")
    assert [request.method for request in rio_server.requests] == ["DELETE", "GET", "DELETE"]


# -- updates --------------------------------------------------------------------------------------------
def test_secrets_and_static_routes_are_put_and_a_put_is_repeated_after_a_503(rio_server):
    body = {"kind": "StaticRoute", "metadata": {"name": "web"}, "spec": {"sourceIPRange": ["10.0.0.0/8"]}}
    rio_server.script("PUT", "/v2/staticroutes/web/", Reply(503, {"error": "busy"}), Reply(200, body))
    api = make_api(rio_server)
    assert api.put("StaticRoute", "web", body) == body
    assert [request.method for request in rio_server.requests] == ["PUT", "PUT"]
    with pytest.raises(RioError, match="no update for this kind"):
        api.put("Package", "talker", package())


def test_a_deployment_is_patched_with_its_whole_object(rio_server):
    rio_server.script("PATCH", "/v2/deployments/web-dep/", Reply(200, deployment(generation=2)))
    assert make_api(rio_server).patch_deployment(deployment())["metadata"]["generation"] == 2
    assert rio_server.requests[0].json == deployment()


def test_a_lost_patch_answer_is_a_restart_only_when_the_generation_moved(rio_server):
    rio_server.script("PATCH", "/v2/deployments/web-dep/", Reply(drop=True))
    rio_server.script("GET", "/v2/deployments/web-dep/", Reply(200, deployment(generation=2)), Reply(200, deployment()))
    api = make_api(rio_server)
    assert api.patch_deployment(deployment())["metadata"]["generation"] == 2
    with pytest.raises(RioConnectionError):
        api.patch_deployment(deployment())
    assert [request.method for request in rio_server.requests] == ["PATCH", "GET", "PATCH", "GET"]


def test_a_refused_patch_is_raised_and_a_nameless_one_is_refused_before_any_request(rio_server):
    rio_server.script("PATCH", "/v2/deployments/web-dep/", Reply(400, {"error": "cannot update while Provisioning"}))
    api = make_api(rio_server)
    with pytest.raises(RioBadRequest):
        api.patch_deployment(deployment())
    with pytest.raises(RioError, match=r"no metadata\.name"):
        api.patch_deployment({"metadata": {}})
    assert len(rio_server.requests) == 1


# -- the run's cache --------------------------------------------------------------------------------------
def test_reads_are_cached_and_a_write_forgets_its_kind_and_the_kinds_whose_status_it_changes(rio_server):
    rio_server.script("GET", "/v2/disks/", Reply(200, {"items": []}))
    rio_server.script("GET", "/v2/packages/", Reply(200, {"items": []}))
    rio_server.script("GET", "/v2/deployments/web-dep/", Reply(404, {"error": "not found"}))
    rio_server.script("POST", "/v2/deployments/", Reply(201, deployment()))
    api = make_api(rio_server)

    def reads():
        api.list_objects("Disk")
        api.list_objects("Package")
        api.find("Deployment", "web-dep")

    reads()
    reads()
    assert len(rio_server.calls("GET")) == 3
    api.create("Deployment", deployment())
    reads()
    # The deployment and the disks (a deployment binds them) are read again, the packages are not.
    assert [request.path for request in rio_server.calls("GET")][3:] == ["/v2/disks/", "/v2/deployments/web-dep/"]


def test_a_kind_whose_writes_forget_one_keeps_the_other_names_and_the_other_kinds(rio_server):
    rio_server.script("GET", "/v2/disks/", Reply(200, {"items": []}))
    rio_server.script("GET", "/v2/deployments/", Reply(200, {"items": []}))
    rio_server.script("GET", "/v2/deployments/web-dep/", Reply(404, {"error": "not found"}))
    rio_server.script("GET", "/v2/deployments/other/", Reply(200, deployment(name="other")))
    rio_server.script("POST", "/v2/deployments/", Reply(201, deployment()))
    api = make_api(rio_server)
    api.writes_forget_one = frozenset(["Deployment"])

    def reads():
        api.list_objects("Disk")
        api.list_objects("Deployment")
        api.find("Deployment", "web-dep")
        api.find("Deployment", "other")

    reads()
    assert len(rio_server.calls("GET")) == 4
    api.create("Deployment", deployment())
    reads()
    # The written deployment and the deployment lists are read again; the other deployment and the disks are not.
    assert [request.path for request in rio_server.calls("GET")][4:] == ["/v2/deployments/", "/v2/deployments/web-dep/"]


def test_a_shared_cache_serves_the_v1_api_of_the_same_run(rio_server):
    cache = LookupCache()
    rio_server.script("GET", "/api/device-manager/v0/devices/", Reply(200, {"response": {"data": [{"uuid": "u"}]}}))
    api = RioV2Api(make_api(rio_server).client, cache=cache)
    RioApi(api.client, cache=cache).list_devices()
    assert api.devices.list_devices() == [{"uuid": "u"}]
    assert len(rio_server.requests) == 1
