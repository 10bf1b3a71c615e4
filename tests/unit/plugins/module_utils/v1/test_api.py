# Copyright: (c) 2026, rapyuta.rio contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""RioApi: the wire paths and parameters per resource, the per-run cache, and duplicate-safe creations.

A scripted client stands in for RioClient: it answers by (method, path) and records every call, so
each test states exactly which requests a call made (and, for creations, that a lost answer is
followed by a look-up and never by a blind second creation).
"""

import threading

import pytest

from ansible_collections.rapyuta.rio.plugins.module_utils.v1.api import (
    LookupCache,
    RioApi,
    RioLookupError,
    is_auth_error,
    network_phase,
    rows_by,
    summarize_package,
)
from ansible_collections.rapyuta.rio.plugins.module_utils.transport.client import (
    RioConnectionError,
    RioError,
    RioNotFound,
    RioServerError,
    RioUnauthorized,
)

AMD64 = "11111111-1111-4111-8111-111111111101"


class ScriptedClient:
    """Answers by (method, path): a value, an exception, or a list consumed in order (last repeats)."""

    def __init__(self, retries=2):
        self.answers = {}
        self.calls = []
        self.retries = retries

    def on(self, method, path, *answers):
        self.answers[(method, path)] = list(answers)
        return self

    def backoff_delays(self):
        return [0.0] * self.retries

    def request(self, method, service, path, params=None, json_body=None, envelope=False, retry=None):
        self.calls.append((method, service, path, params, json_body, envelope))
        queue = self.answers.get((method, path))
        if not queue:
            raise AssertionError("unscripted call %s %s" % (method, path))
        answer = queue.pop(0) if len(queue) > 1 else queue[0]
        if isinstance(answer, Exception):
            raise answer
        return answer

    def paths(self, method=None):
        return [call[2] for call in self.calls if method is None or call[0] == method]


def lost_answer(method, path):
    return RioConnectionError(method, path, "connection reset by peer", ambiguous=True)


def catalog_entry(package_id, name, version):
    return {"id": package_id, "name": name, "description": "",
            "plans": [{"id": "plan-" + package_id, "name": "default"}],
            "metadata": {"packageVersion": version}}


@pytest.fixture
def client():
    return ScriptedClient()


@pytest.fixture
def api(client):
    return RioApi(client, sleeper=lambda seconds: None)


# -- the cache of one run ---------------------------------------------------------------------------
def test_the_cache_loads_a_key_once_and_forgets_by_kind():
    cache = LookupCache()
    loads = []

    def loader(value):
        return lambda: loads.append(value) or value
    assert cache.get(("device", "a"), loader("A")) == "A"
    assert cache.get(("device", "a"), loader("other")) == "A"
    assert cache.get(("devices",), loader([1])) == [1]
    assert cache.peek(("device", "a")) == "A" and cache.peek(("device", "b")) is None
    cache.forget("device")
    assert cache.peek(("device", "a")) is None and cache.peek(("devices",)) == [1]
    assert cache.get(("device", "a"), loader("B")) == "B"
    assert loads == ["A", [1], "B"]


def test_a_failed_load_caches_nothing_and_the_next_caller_loads_again():
    cache = LookupCache()

    def failing():
        raise RioNotFound(404, "GET", "/x", "not found")
    with pytest.raises(RioNotFound):
        cache.get(("x",), failing)
    assert cache.get(("x",), lambda: "loaded") == "loaded"


def test_concurrent_callers_of_one_key_share_one_load():
    cache = LookupCache()
    started, release = threading.Event(), threading.Event()
    loads = []

    def slow_loader():
        loads.append(1)
        started.set()
        release.wait(5)
        return "value"
    results = []
    threads = [threading.Thread(target=lambda: results.append(cache.get(("devices",), slow_loader)))
               for _index in range(8)]
    for thread in threads:
        thread.start()
    started.wait(5)
    # another key is not held up by the load in flight
    assert cache.get(("packages",), lambda: "other") == "other"
    release.set()
    for thread in threads:
        thread.join(5)
    assert loads == [1] and results == ["value"] * 8


def test_apis_built_on_one_cache_share_look_ups_and_forgetting(client):
    client.on("GET", "/api/device-manager/v0/devices/", [{"uuid": AMD64, "name": "r1"}])
    cache = LookupCache()
    first, second = RioApi(client, cache=cache), RioApi(client, cache=cache)
    first.list_devices()
    assert second.list_devices()[0]["uuid"] == AMD64 and len(client.calls) == 1
    second.forget("devices")
    first.list_devices()
    assert len(client.calls) == 2
    assert RioApi(client).cache is not cache  # without one, each RioApi has its own


# -- packages --------------------------------------------------------------------------------------
def test_summarize_package_maps_the_catalog_fields():
    summary = summarize_package(catalog_entry("pkg-a", "talker", "v1"))
    assert summary == {"packageId": "pkg-a", "packageName": "talker", "packageVersion": "v1", "description": "",
                       "plans": [{"planId": "plan-pkg-a", "planName": "default"}]}


def test_package_list_is_read_once_filtered_like_the_sdk_and_hides_the_volume_package(client, api):
    client.on("GET", "/v2/catalog", {"services": [
        catalog_entry("pkg-a", "talker", "v1"), catalog_entry("pkg-b", "talker-docker", "v2"),
        catalog_entry("io-public-persistent-volume", "Rapyuta IO Persistent Volume", "v0.1.0")]})
    assert [p["packageId"] for p in api.list_packages()] == ["pkg-a", "pkg-b"]
    assert [p["packageId"] for p in api.list_packages(name="talker")] == ["pkg-a", "pkg-b"]  # substring
    assert [p["packageId"] for p in api.list_packages(name="talker", version="v2")] == ["pkg-b"]
    assert client.paths() == ["/v2/catalog"]


def test_get_package_sends_the_id_as_package_uid_and_caches_it(client, api):
    client.on("GET", "/serviceclass/status", {"packageInfo": {"packageName": "talker"}})
    assert api.get_package("pkg-a") == {"packageName": "talker", "guid": "pkg-a"}
    api.get_package("pkg-a")
    assert client.calls == [("GET", "catalog", "/serviceclass/status", {"package_uid": "pkg-a"}, None, False)]


def test_get_package_without_package_info_is_an_error(client, api):
    client.on("GET", "/serviceclass/status", {"packageUrl": ""})
    with pytest.raises(RioError, match="no packageInfo"):
        api.get_package("pkg-a")


def test_find_package_matches_name_and_version_exactly(client, api):
    client.on("GET", "/v2/catalog", {"services": [catalog_entry("pkg-a", "talker", "v1"),
                                                  catalog_entry("pkg-b", "talker-docker", "v1")]})
    client.on("GET", "/serviceclass/status", {"packageInfo": {"guid": "pkg-b"}})
    assert api.find_package("talker-docker", "v1")["guid"] == "pkg-b"
    assert api.find_package("talker", "v9") is None


def test_find_package_refuses_a_name_and_version_held_twice(client, api):
    client.on("GET", "/v2/catalog", {"services": [catalog_entry("pkg-a", "talker", "v1"),
                                                  catalog_entry("pkg-b", "talker", "v1")]})
    with pytest.raises(RioLookupError, match="pkg-a, pkg-b"):
        api.find_package("talker", "v1")


def test_create_package_after_a_lost_answer_finds_it_instead_of_creating_it_again(client, api):
    client.on("POST", "/serviceclass/add", lost_answer("POST", "/serviceclass/add"))
    client.on("GET", "/v2/catalog", {"services": [catalog_entry("pkg-a", "talker", "v1")]})
    client.on("GET", "/serviceclass/status", {"packageInfo": {"guid": "pkg-a", "packageName": "talker"}})
    created = api.create_package({"name": "talker", "packageVersion": "v1"})
    assert created["guid"] == "pkg-a"
    assert client.paths("POST") == ["/serviceclass/add"]


def test_create_package_repeats_only_when_the_look_up_finds_nothing(client, api):
    client.on("POST", "/serviceclass/add", lost_answer("POST", "/serviceclass/add"),
              {"packageId": "pkg-new", "planIds": []})
    client.on("GET", "/v2/catalog", {"services": []})
    client.on("GET", "/serviceclass/status", {"packageInfo": {"packageName": "talker"}})
    assert api.create_package({"name": "talker", "packageVersion": "v1"})["guid"] == "pkg-new"
    assert client.paths("POST") == ["/serviceclass/add", "/serviceclass/add"]


def test_a_definite_refusal_is_never_repeated(client, api):
    client.on("POST", "/serviceclass/add", RioUnauthorized(401, "POST", "/serviceclass/add", "bad token"))
    with pytest.raises(RioUnauthorized):
        api.create_package({"name": "talker", "packageVersion": "v1"})
    assert client.paths() == ["/serviceclass/add"]


def test_creation_gives_up_after_the_retry_budget(client, api):
    failure = RioServerError(503, "POST", "/serviceclass/add", "unavailable")
    client.on("POST", "/serviceclass/add", failure)
    client.on("GET", "/v2/catalog", {"services": []})
    with pytest.raises(RioServerError):
        api.create_package({"name": "talker", "packageVersion": "v1"})
    assert client.paths("POST") == ["/serviceclass/add"] * (client.retries + 1)


def test_delete_package_forgets_the_cached_list(client, api):
    client.on("GET", "/v2/catalog", {"services": [catalog_entry("pkg-a", "talker", "v1")]}, {"services": []})
    client.on("DELETE", "/serviceclass/delete", None)
    assert len(api.list_packages()) == 1
    api.delete_package("pkg-a")
    assert api.list_packages() == []
    assert client.calls[1][3] == {"package_uid": "pkg-a"}


# -- deployments -----------------------------------------------------------------------------------
def test_list_deployments_sends_the_filters_by_their_wire_names(client, api):
    client.on("GET", "/deployment/list", None)
    assert api.list_deployments(phases=["Succeeded", "Provisioning"], package_id="pkg-a", device_id=AMD64) == []
    assert client.calls[0][3] == {"phase": ["Succeeded", "Provisioning"], "package_uid": "pkg-a", "device_uid": AMD64}
    api.list_deployments()
    assert client.calls[1][3] is None


def test_live_deployments_are_listed_once_per_run(client, api):
    client.on("GET", "/deployment/list", [{"deploymentId": "dep-1", "name": "a"}, {"deploymentId": "dep-2", "name": "b"}])
    assert [d["deploymentId"] for d in api.find_deployments("b")] == ["dep-2"]
    assert api.find_deployments("c") == []
    assert client.paths() == ["/deployment/list"]
    assert "Deployment stopped" not in client.calls[0][3]["phase"]


def test_look_ups_by_name_keep_the_list_order_and_follow_a_fresh_read(client, api):
    client.on("GET", "/deployment/list",
              [{"deploymentId": "dep-1", "name": "a"}, {"deploymentId": "dep-2", "name": "b"},
               {"deploymentId": "dep-3", "name": "a"}, {"deploymentId": "dep-4", "name": ["odd"]}],
              [{"deploymentId": "dep-5", "name": "a"}])
    assert [d["deploymentId"] for d in api.find_deployments("a")] == ["dep-1", "dep-3"]
    assert api.live_deployments_by("deploymentId")["dep-2"][0]["name"] == "b"
    api.find_deployments("a").clear()  # a caller's list, not the index
    assert len(api.find_deployments("a")) == 2
    api.forget("deployments")
    assert [d["deploymentId"] for d in api.find_deployments("a")] == ["dep-5"]
    assert client.paths() == ["/deployment/list", "/deployment/list"]


def test_rows_by_skips_unhashable_values_and_keeps_order():
    rows = [{"k": "x", "i": 1}, {"k": {"not": "hashable"}}, {"i": 2}, {"k": "x", "i": 3}]
    assert rows_by(rows, "k") == {"x": [rows[0], rows[3]], None: [rows[2]]}


def test_provision_puts_to_the_placeholder_path_and_reads_the_new_deployment(client, api):
    client.on("PUT", "/v2/service_instances/instanceId", {"operation": "dep-new"})
    client.on("GET", "/serviceinstance/dep-new", {"deploymentId": "dep-new", "phase": "In progress"})
    body = {"service_id": "pkg-a", "context": {"name": "web"}}
    assert api.provision(body)["deploymentId"] == "dep-new"
    assert client.calls[0][4] is body


def test_provision_after_a_lost_answer_adopts_the_deployment_the_server_made(client, api):
    client.on("PUT", "/v2/service_instances/instanceId", lost_answer("PUT", "/v2/service_instances/instanceId"))
    client.on("GET", "/deployment/list", [{"deploymentId": "dep-made", "name": "web"}])
    client.on("GET", "/serviceinstance/dep-made", {"deploymentId": "dep-made", "name": "web"})
    assert api.provision({"context": {"name": "web"}})["deploymentId"] == "dep-made"
    assert client.paths("PUT") == ["/v2/service_instances/instanceId"]


def test_deprovision_sends_plan_and_package_of_the_deployment(client, api):
    client.on("DELETE", "/v2/service_instances/dep-1", None)
    api.deprovision({"deploymentId": "dep-1", "planId": "plan-a", "packageId": "pkg-a"})
    assert client.calls[0][3] == {"plan_id": "plan-a", "service_id": "pkg-a", "accepts_incomplete": "false"}


def test_deprovision_whose_answer_was_lost_succeeds_when_the_deployment_stopped(client, api):
    client.on("DELETE", "/v2/service_instances/dep-1", lost_answer("DELETE", "/v2/service_instances/dep-1"))
    client.on("GET", "/serviceinstance/dep-1", {"deploymentId": "dep-1", "phase": "Deployment stopped"})
    api.deprovision({"deploymentId": "dep-1", "planId": "plan-a", "packageId": "pkg-a"})


def test_deprovision_failure_stands_when_the_deployment_still_runs(client, api):
    client.on("DELETE", "/v2/service_instances/dep-1", RioServerError(500, "DELETE", "/x", "boom"))
    client.on("GET", "/serviceinstance/dep-1", {"deploymentId": "dep-1", "phase": "Succeeded"})
    with pytest.raises(RioServerError):
        api.deprovision({"deploymentId": "dep-1", "planId": "plan-a", "packageId": "pkg-a"})


def test_deprovision_auth_errors_are_not_second_guessed(client, api):
    client.on("DELETE", "/v2/service_instances/dep-1", RioUnauthorized(401, "DELETE", "/x", "no"))
    with pytest.raises(RioUnauthorized):
        api.deprovision({"deploymentId": "dep-1"})
    assert client.paths() == ["/v2/service_instances/dep-1"]


def test_update_deployment_patches_by_id(client, api):
    client.on("PATCH", "/v2/service_instances/dep-1", {"ok": True})
    assert api.update_deployment({"deployment_id": "dep-1"}) == {"ok": True}


# -- devices ---------------------------------------------------------------------------------------
def devices(client):
    return client.on("GET", "/api/device-manager/v0/devices/", [
        {"uuid": AMD64, "name": "robot-1"},
        {"uuid": "11111111-1111-4111-8111-111111111102", "name": "twin"},
        {"uuid": "11111111-1111-4111-8111-111111111103", "name": "twin"}])


def test_devices_are_unwrapped_from_the_device_manager_envelope_and_listed_once(client, api):
    devices(client)
    assert api.find_device("robot-1")["uuid"] == AMD64
    assert api.find_device(AMD64)["name"] == "robot-1"
    assert client.calls == [("GET", "core", "/api/device-manager/v0/devices/", None, None, True)]


def test_a_device_name_held_twice_asks_for_the_uuid(client, api):
    devices(client)
    with pytest.raises(RioLookupError, match="use the uuid"):
        api.find_device("twin")


def test_an_unlisted_uuid_is_read_directly_and_a_missing_one_is_none(client, api):
    devices(client)
    other = "22222222-2222-4222-8222-222222222222"
    client.on("GET", "/api/device-manager/v0/devices/%s" % other, RioNotFound(404, "GET", "/x", "not found"))
    assert api.find_device(other) is None
    assert api.find_device("no-such-robot") is None


def test_config_variables_come_from_the_device_list_once_it_is_read(client, api):
    client.on("GET", "/api/device-manager/v0/devices/", [
        {"uuid": AMD64, "name": "robot-1", "config_variables": [{"key": "runtime", "value": "docker"}]},
        {"uuid": "11111111-1111-4111-8111-111111111102", "name": "robot-2", "config_variables": []}])
    path = "/api/device-manager/v0/config_variables/device/11111111-1111-4111-8111-111111111102"
    client.on("GET", path, [{"key": "runtime", "value": "preinstalled"}])
    assert api.list_devices(name="robot-2")[0]["uuid"].endswith("102")
    assert api.get_device_config_variables(AMD64) == [{"key": "runtime", "value": "docker"}]
    assert api.get_device_config_variables("11111111-1111-4111-8111-111111111102")[0]["value"] == "preinstalled"
    assert client.paths() == ["/api/device-manager/v0/devices/", path]


def test_config_variables_are_read_once_per_device(client, api):
    path = "/api/device-manager/v0/config_variables/device/%s" % AMD64
    client.on("GET", path, [{"key": "runtime", "value": "dockercompose"}])
    api.get_device_config_variables(AMD64)
    api.get_device_config_variables(AMD64)
    assert client.paths() == [path]


def test_a_selection_query_is_sent_once_per_query_and_run(client, api):
    path = "/api/device-manager/v0/selection/query/"
    client.on("POST", path, [{"uuid": AMD64}])
    amd64 = {"operator": "$or", "specs": {"operator": "$or", "args": [
        {"operator": "$eq", "args": ["cpuarch", "x86_64"]}, {"operator": "$eq", "args": ["cpuarch", "amd64"]}]}}
    arm64 = {"operator": "$or", "specs": {"operator": "$or", "args": [
        {"operator": "$in", "args": ["cpuarch", "aarch64"]}]}}
    assert api.select_devices(amd64) == [{"uuid": AMD64}]
    assert api.select_devices(dict(reversed(list(amd64.items())))) == [{"uuid": AMD64}]  # same query
    api.select_devices(arm64)
    assert [(call[0], call[2], call[4], call[5]) for call in client.calls] == [
        ("POST", path, amd64, True), ("POST", path, arm64, True)]


# -- networks, disks, static routes ----------------------------------------------------------------
def test_network_phase_reads_either_place():
    assert network_phase({"phase": "Succeeded"}) == "Succeeded"
    assert network_phase({"internalDeploymentStatus": {"phase": "Provisioning"}}) == "Provisioning"


def test_find_network_ignores_stopped_ones_and_refuses_ambiguity(client, api):
    client.on("GET", "/routednetwork", [
        {"guid": "net-old", "name": "fleet", "internalDeploymentStatus": {"phase": "Deployment stopped"}},
        {"guid": "net-new", "name": "fleet", "internalDeploymentStatus": {"phase": "Succeeded"}},
        {"guid": "net-x", "name": "dup", "internalDeploymentStatus": {"phase": "Succeeded"}},
        {"guid": "net-y", "name": "dup", "internalDeploymentStatus": {"phase": "Succeeded"}}])
    assert api.find_network("routednetwork", "fleet")["guid"] == "net-new"
    assert api.find_network("routednetwork", "none") is None
    with pytest.raises(RioLookupError, match="net-x, net-y"):
        api.find_network("routednetwork", "dup")
    assert client.paths() == ["/routednetwork"]


def test_get_network_lifts_the_internal_status_to_the_top(client, api):
    client.on("GET", "/nativenetwork/net-1", {"guid": "net-1", "internalDeploymentStatus": {
        "phase": "Failed to start", "status": "Error", "error_code": ["DEP_E209"]}})
    network = api.get_network("nativenetwork", "net-1")
    assert (network["phase"], network["status"], network["error_code"]) == ("Failed to start", "Error", ["DEP_E209"])


def test_create_network_after_a_lost_answer_finds_the_live_one(client, api):
    client.on("POST", "/routednetwork", lost_answer("POST", "/routednetwork"))
    client.on("GET", "/routednetwork", [{"guid": "net-1", "name": "fleet", "phase": "Provisioning"}])
    client.on("GET", "/routednetwork/net-1", {"guid": "net-1", "name": "fleet"})
    assert api.create_network("routednetwork", {"name": "fleet"})["guid"] == "net-1"
    assert client.paths("POST") == ["/routednetwork"]
    client.on("DELETE", "/routednetwork/net-1", {})
    api.delete_network("routednetwork", "net-1")
    assert client.paths("DELETE") == ["/routednetwork/net-1"]


def test_disks_by_name_and_duplicate_safe_creation(client, api):
    client.on("GET", "/disk", [], [{"guid": "disk-1", "name": "data"}])
    client.on("POST", "/disk", lost_answer("POST", "/disk"))
    client.on("GET", "/disk/disk-1", {"guid": "disk-1", "name": "data", "status": "Available"})
    assert api.find_disk("data") is None
    assert api.create_disk("data", 4)["guid"] == "disk-1"
    assert client.calls[1][4] == {"name": "data", "runtime": "cloud", "capacity": 4, "diskType": "ssd"}
    assert client.paths("POST") == ["/disk"]
    client.on("DELETE", "/disk/disk-1", {})
    api.delete_disk("disk-1")


def test_a_disk_name_held_twice_is_refused(client, api):
    client.on("GET", "/disk", [{"guid": "disk-1", "name": "data"}, {"guid": "disk-2", "name": "data"}])
    with pytest.raises(RioLookupError, match="disk-1, disk-2"):
        api.find_disk("data")


def test_static_routes_on_the_core_host(client, api):
    client.on("GET", "/api/staticroute/list", [{"guid": "staticroute-1", "urlPrefix": "web"}])
    client.on("POST", "/api/staticroute/create", {"guid": "staticroute-2", "urlPrefix": "api"})
    client.on("GET", "/api/staticroute/staticroute-1/get", {"guid": "staticroute-1"})
    client.on("DELETE", "/api/staticroute/delete", {"success": True})
    assert api.find_static_route("web")["guid"] == "staticroute-1"
    assert api.find_static_route("api") is None
    assert api.create_static_route("api")["guid"] == "staticroute-2"
    assert api.get_static_route("staticroute-1") == {"guid": "staticroute-1"}
    api.delete_static_route("staticroute-1")
    assert {call[1] for call in client.calls} == {"core"}
    assert client.calls[-1][4] == {"guid": "staticroute-1"}


def test_is_auth_error():
    assert is_auth_error(RioUnauthorized(401, "GET", "/", "no"))
    assert not is_auth_error(RioNotFound(404, "GET", "/", "no"))
