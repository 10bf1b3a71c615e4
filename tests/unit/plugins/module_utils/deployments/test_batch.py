# Copyright: (c) 2026, rapyuta.rio contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""rio_deployment_batch's plan: the real RioApi over an in-memory transport that counts requests.

The transport answers the handful of routes a deployment run uses, in the wire shapes of the
reference, so the tests can say exactly which requests a batch made (one list per kind, no
per-device configuration read, no write when converged) and that one item's failure stays its own.
"""

import copy
import threading

import pytest

from deployment_fakes import AMD64, CPUARCH, OFFLINE, device, load_manifest, stored_package
from fake_clock import FakeClock

from ansible_collections.rapyuta.rio.plugins.module_utils.v1.api import LookupCache, RioApi
from ansible_collections.rapyuta.rio.plugins.module_utils.deployments.batch import (
    BatchItem,
    BatchItemTask,
    BatchRun,
    ItemApi,
    summarize,
)
from ansible_collections.rapyuta.rio.plugins.module_utils.transport.client import RioNotFound, RioUnauthorized
from ansible_collections.rapyuta.rio.plugins.module_utils.deployments.arguments import deployment_options
from ansible_collections.rapyuta.rio.plugins.module_utils.v1 import wait

PACKAGE_ID = "pkg-talker-docker"
ARM = "11111111-1111-4111-8111-111111111102"
AMD64_B = "11111111-1111-4111-8111-111111111106"


class FakeTransport:
    """A RioClient stand-in: routes -> in-memory project, every request logged (thread-safe)."""

    def __init__(self, ready_after=0.0, offline=(OFFLINE,), clock=None):
        self.clock = clock or FakeClock()
        self.log = []
        self._lock = threading.Lock()
        self.packages = {PACKAGE_ID: stored_package(load_manifest("talker-docker.json"), PACKAGE_ID)}
        self.devices = [device(AMD64, "robot-docker-amd64"), device(ARM, "robot-docker-arm64"),
                        device(OFFLINE, "robot-offline", status="OFFLINE"), device(AMD64_B, "robot-docker-amd64-b")]
        self.offline = set(offline)
        self.architectures = {AMD64: "amd64", AMD64_B: "amd64", ARM: "arm64v8", OFFLINE: "amd64"}
        self.deployments = {}
        self.ready_after = ready_after
        self.stats = {"requests": 0}

    def backoff_delays(self):
        return []

    def requests(self, method=None, prefix=""):
        return [entry for entry in self.log if (method is None or entry[0] == method) and entry[1].startswith(prefix)]

    def writes(self):
        """Every request but the reads (the device selection query is a read sent as POST)."""
        return [entry for entry in self.log if entry[0] != "GET" and "/selection/query/" not in entry[1]]

    def request(self, method, service, path, params=None, json_body=None, envelope=False, retry=None):
        with self._lock:
            self.log.append((method, path))
            return copy.deepcopy(self._route(method, path, params, json_body))

    def _route(self, method, path, params, body):
        if (method, path) == ("GET", "/v2/catalog"):
            return {"services": [{"id": pid, "name": info["packageName"], "metadata": {
                "packageVersion": info["packageVersion"]}, "plans": []} for pid, info in self.packages.items()]}
        if (method, path) == ("GET", "/serviceclass/status"):
            return {"packageInfo": self.packages[params["package_uid"]]}
        if (method, path) == ("GET", "/api/device-manager/v0/devices/"):
            return self.devices
        if (method, path) == ("POST", "/api/device-manager/v0/selection/query/"):
            wanted = set(CPUARCH[clause["args"][1]] for clause in body["specs"]["args"])
            return [{"uuid": dev["uuid"]} for dev in self.devices
                    if dev["status"] == "ONLINE" and self.architectures.get(dev["uuid"]) in wanted]
        if path.startswith("/api/device-manager/v0/config_variables/device/"):
            uuid = path.rsplit("/", 1)[1]
            return next(dev["config_variables"] for dev in self.devices if dev["uuid"] == uuid)
        if (method, path) == ("GET", "/deployment/list"):
            phases = (params or {}).get("phase")
            listed = [self._partial(self._settle(dep)) for dep in self.deployments.values()]
            return [dep for dep in listed if not phases or dep["phase"] in phases]
        if method == "GET" and path.startswith("/serviceinstance/"):
            return self._read(path.rsplit("/", 1)[1])
        if (method, path) == ("PUT", "/v2/service_instances/instanceId"):
            return {"operation": self._provision(body)}
        if method == "DELETE" and path.startswith("/v2/service_instances/"):
            self.deployments[path.rsplit("/", 1)[1]].update(phase="Deployment stopped", status="Stopped")
            return None
        raise AssertionError("unexpected request %s %s" % (method, path))

    def _partial(self, dep):
        partial = dict((key, value) for key, value in dep.items()
                       if key not in ("status", "errors", "componentInfo", "provisionContext", "created"))
        partial["componentInstanceIds"] = [{"errorCode": info["errorCode"] or ""} for info in dep["componentInfo"]]
        return partial

    def _read(self, deployment_id):
        if deployment_id not in self.deployments:
            raise RioNotFound(404, "GET", "/serviceinstance/" + deployment_id, "not found")
        return self._settle(self.deployments[deployment_id])

    def _settle(self, dep):
        """Phases move with the (fake) time since provisioning, as on the platform."""
        if dep["phase"] == "In progress" and self.clock.now - dep["created"] >= self.ready_after:
            devices = set(value.get("device_id") for value in dep["parameters"].values() if isinstance(value, dict))
            if devices & self.offline:
                dep.update(phase="Failed to start", status="Error", errors=["DEP_E151"])
                dep["componentInfo"][0]["errorCode"] = ["DEP_E151"]
            else:
                dep.update(phase="Succeeded", status="Running")
        return dep

    def _provision(self, body):
        deployment_id = "dep-%04d" % (len(self.deployments) + 1)
        package = self.packages[body["service_id"]]
        plan = next(plan for plan in package["plans"] if plan["planId"] == body["plan_id"])
        context = copy.deepcopy(body["context"])
        self.deployments[deployment_id] = {
            "deploymentId": deployment_id, "name": context["name"], "packageId": body["service_id"],
            "packageName": package["packageName"], "planId": body["plan_id"], "phase": "In progress",
            "status": "Pending", "errors": None, "created": self.clock.now, "parameters": copy.deepcopy(body["parameters"]),
            "provisionContext": context, "labels": context.get("labels") or [],
            "dependentDeployments": context.get("dependentDeployments") or [],
            "componentInfo": [{"componentID": comp["componentId"], "name": comp["componentName"], "runtime": "device",
                               "phase": "In progress", "status": "running", "errorCode": None}
                              for comp in plan["internalComponents"]],
        }
        return deployment_id


def item_params(name, device_name="robot-docker-amd64", **overrides):
    params = dict((key, copy.deepcopy(spec.get("default"))) for key, spec in deployment_options().items())
    params.update(name=name, package_name="talker-docker", package_version="v1.0.0",
                  components=[{"name": "default", "device": device_name, "parameters": {"RATE": "10"},
                               "ignore_device_config": [], "set_component_alias": True, "set_ros_namespace": False,
                               "alias": None, "restart_policy": None, "rosbag_jobs": [], "static_routes": {},
                               "volumes": []}],
                  wait=True, wait_timeout=60, wait_sleep=1.0)
    params.update(overrides)
    return params


def run(transport, items, **kwargs):
    clock = transport.clock
    batch_items = [entry if isinstance(entry, BatchItem) else BatchItem(index, entry["name"], params=entry)
                   for index, entry in enumerate(items)]
    return BatchRun(RioApi(transport), batch_items, clock=clock, sleeper=clock.sleep, **kwargs).run()


def fleet(count):
    return [item_params("talker-%02d" % index, device_name=("robot-docker-amd64", "robot-docker-amd64-b")[index % 2])
            for index in range(count)]


def test_rollout_reads_every_list_once_and_writes_one_provision_per_item():
    transport = FakeTransport(ready_after=1.0)
    results, summary = run(transport, fleet(6), workers=4)
    assert summary["changed"] == 6 and summary["failed"] == 0
    assert [result["name"] for result in results] == ["talker-%02d" % index for index in range(6)]
    assert all(result["deployment"]["status"] == "Running" for result in results)
    assert len(transport.requests("PUT")) == 6
    assert len(transport.requests("GET", "/v2/catalog")) == 1
    assert len(transport.requests("GET", "/serviceclass/status")) == 1
    assert len(transport.requests("GET", "/api/device-manager/v0/devices/")) == 1
    assert transport.requests("GET", "/api/device-manager/v0/config_variables") == []
    # the waits share the list: one list up front, then one per watcher round (0, 0.25, 0.75, 1.75 s)
    assert len(transport.requests("GET", "/deployment/list")) == 1 + 4
    # each deployment is read in full once, when the list says it is done (not right after the PUT)
    assert len(transport.requests("GET", "/serviceinstance/")) == 6
    assert transport.clock.now == 1.75


def test_converged_run_compares_from_the_list_and_makes_no_write():
    transport = FakeTransport()
    run(transport, fleet(10), workers=4)
    transport.log[:] = []
    results, summary = run(transport, fleet(10), workers=4)
    assert summary == dict(summary, changed=0, unchanged=10, failed=0)
    assert transport.writes() == []
    # the deployment list, the catalog, the package and the device list: nothing per deployment
    assert sorted(set(transport.log)) == sorted(transport.log) and len(transport.log) == 4, transport.log
    assert results[0]["deployment"]["phase"] == "Succeeded" and results[0]["deployment"]["status"] is None
    assert results[0]["deployment"]["config"]["components"]["default"]["parameters"] == {"RATE": "10"}


def test_compare_full_reads_each_live_deployment_once():
    transport = FakeTransport()
    run(transport, fleet(10), workers=4)
    transport.log[:] = []
    results, summary = run(transport, fleet(10), workers=4, compare="full")
    assert summary["unchanged"] == 10 and transport.writes() == []
    assert len(transport.requests("GET", "/serviceinstance/")) == 10 and len(transport.log) == 14
    assert results[0]["deployment"]["status"] == "Running"


def test_options_the_list_does_not_show_are_compared_on_the_full_deployment():
    transport = FakeTransport()
    items = [item_params("talker-00"), item_params("talker-01")]
    items[1]["components"][0]["restart_policy"] = "always"
    run(transport, items)
    for dep in transport.deployments.values():  # as provisioned without the record (test_context_record.py)
        dep["labels"] = dep["provisionContext"]["labels"] = []
    transport.log[:] = []
    run(transport, items)
    assert transport.requests("GET", "/serviceinstance/") == [("GET", "/serviceinstance/dep-0002")]


def test_a_difference_seen_in_the_list_is_acted_on():
    transport = FakeTransport()
    run(transport, fleet(2))
    changed = fleet(2)
    changed[1]["components"][0]["parameters"] = {"RATE": "20"}
    changed[1]["on_change"] = "recreate"
    transport.log[:] = []
    results, summary = run(transport, changed)
    assert summary["changed_names"] == ["talker-01"]
    assert results[1]["differences"] == [{"field": "components.default.parameters.RATE", "desired": "20", "live": "10"}]
    assert [entry[0] for entry in transport.writes()] == ["DELETE", "PUT"]


def test_a_listed_deployment_still_starting_is_read_and_waited_for():
    transport = FakeTransport(ready_after=1.0)
    items = fleet(1)
    items[0]["wait"] = False
    run(transport, items)
    transport.log[:] = []
    results, summary = run(transport, fleet(1))
    assert summary["unchanged"] == 1 and results[0]["deployment"]["status"] == "Running"
    assert len(transport.requests("GET", "/serviceinstance/")) >= 1


def test_one_failing_item_is_its_own_result():
    transport = FakeTransport()
    items = fleet(2) + [item_params("talker-offline", device_name="robot-offline"),
                        item_params("talker-nowhere", device_name="no-such-robot"),
                        item_params("talker-arm", device_name="robot-docker-arm64")]
    results, summary = run(transport, items, workers=2)
    assert summary["failed_names"] == ["talker-offline", "talker-nowhere", "talker-arm"]
    assert summary["changed_names"] == ["talker-00", "talker-01"]
    offline = results[2]
    assert offline["failed"] and not offline["changed"] and offline["deployment"] == {}
    assert offline["msg"].startswith("Refused to provision deployment talker-offline: components.default.device: ")
    assert "robot-offline" in offline["msg"] and "OFFLINE" in offline["msg"]
    nowhere = results[3]
    assert not nowhere["changed"] and nowhere["deployment"] == {}
    assert "components.default.device: device 'no-such-robot' not found" in nowhere["msg"]
    arm = results[4]
    assert not arm["changed"] and "needs architecture amd64, but device robot-docker-arm64" in arm["msg"]
    assert "is arm64v8" in arm["msg"]
    assert len(transport.requests("PUT")) == 2
    # each selection query once for the whole batch: amd64, then the others to name the mismatch
    assert len(transport.requests("POST", "/api/device-manager/v0/selection/")) == 3


def test_wait_timeout_is_per_item_and_reported():
    transport = FakeTransport(ready_after=10 ** 6)
    clock = transport.clock
    results, summary = run(transport, [item_params("slow", wait_timeout=5)])
    assert summary["failed_names"] == ["slow"]
    assert "not ready after 5s" in results[0]["msg"] and results[0]["changed"]
    assert 5 <= clock.now <= 7
    assert results[0]["deployment"]["phase"] == "In progress"


def test_no_wait_leaves_deployments_starting():
    transport = FakeTransport(ready_after=3)
    results, _summary = run(transport, [item_params("quick", wait=False)])
    assert len(transport.requests("GET", "/deployment/list")) == 1
    # without a wait, the read after the provisioning request is what the result shows
    assert len(transport.requests("GET", "/serviceinstance/")) == 1
    assert results[0]["changed"] and results[0]["deployment"]["phase"] == "In progress"
    assert "duration" not in results[0]


def test_check_mode_predicts_and_writes_nothing():
    transport = FakeTransport()
    results, summary = run(transport, fleet(3), check_mode=True, diff_mode=True)
    assert summary["changed"] == 3 and transport.writes() == []
    assert results[0]["diff"]["before"] == {}
    assert results[0]["diff"]["after"]["components"]["default"]["parameters"] == {"RATE": "10"}
    assert results[0]["deployment"]["deployment_id"] is None


def test_change_refused_and_recreated():
    transport = FakeTransport()
    run(transport, fleet(2))
    changed = fleet(2)
    changed[0]["components"][0]["parameters"] = {"RATE": "20"}
    results, summary = run(transport, changed)
    assert summary["failed_names"] == ["talker-00"] and summary["unchanged"] == 1
    assert results[0]["differences"][0]["field"] == "components.default.parameters.RATE"
    assert not results[0]["changed"] and transport.writes() == [("PUT", "/v2/service_instances/instanceId")] * 2
    changed[0]["on_change"] = "recreate"
    results, summary = run(transport, changed, diff_mode=True)
    assert summary["changed_names"] == ["talker-00"]
    assert results[0]["diff"]["before"]["components"]["default"]["parameters"] == {"RATE": "10"}
    assert results[0]["deployment"]["status"] == "Running"


def test_absent_items():
    transport = FakeTransport()
    run(transport, fleet(2))
    gone = [item_params("talker-00", state="absent"), item_params("never-there", state="absent")]
    _results, summary = run(transport, gone)
    assert summary["changed_names"] == ["talker-00"] and summary["failed"] == 0
    assert len(transport.requests("DELETE")) == 1


def test_duplicates_and_dependencies_inside_the_batch_are_refused_before_any_request():
    transport = FakeTransport()
    items = [item_params("a"), item_params("a"), item_params("b", depends_on=["c"]), item_params("c")]
    results, summary = run(transport, items)
    assert summary["failed_names"] == ["a", "a", "b"]
    assert "listed 2 times" in results[0]["msg"]
    assert "depends_on[0]: deployment c is converged by this same task" in results[2]["msg"]
    assert transport.requests("PUT") == [("PUT", "/v2/service_instances/instanceId")]


def test_items_that_failed_validation_are_reported_and_nothing_is_read_for_them():
    transport = FakeTransport()
    results, summary = run(transport, [BatchItem(0, "deployments[0]", error="deployments[0]: missing name")])
    assert results == [dict(results[0], name="deployments[0]", failed=True, changed=False,
                            msg="deployments[0]: missing name")]
    assert transport.log == []
    assert summary["failed"] == 1


def test_shared_look_up_failures_propagate():
    transport = FakeTransport()

    def refuse(*_args, **_kwargs):
        raise RioUnauthorized(401, "GET", "/deployment/list", "bad token")
    transport.request = refuse
    with pytest.raises(RioUnauthorized):
        run(transport, fleet(1))


def test_item_api_keeps_its_own_deployment_list_after_a_write():
    transport = FakeTransport()
    shared = RioApi(transport)
    shared.live_deployments()
    first, second = ItemApi(shared), ItemApi(shared)
    first.forget("deployments", "packages")
    assert shared.cache.peek(("deployments",)) is not None and shared.cache.peek(("packages",)) is None
    second.live_deployments()
    first.live_deployments()
    first.live_deployments()
    assert len(transport.requests("GET", "/deployment/list")) == 2


def test_item_apis_share_the_cache_and_sleeper_they_are_given():
    transport = FakeTransport()
    cache = LookupCache()
    shared = RioApi(transport, sleeper=transport.clock.sleep, cache=cache)
    view = ItemApi(shared)
    assert view.cache is cache and view.sleeper == transport.clock.sleep and view.client is transport
    view.list_devices()
    ItemApi(shared).list_devices()
    shared.list_devices()
    assert len(transport.requests("GET", "/api/device-manager/v0/devices/")) == 1
    view.forget("devices")  # a kind other than the deployment list is forgotten for everyone
    shared.list_devices()
    assert len(transport.requests("GET", "/api/device-manager/v0/devices/")) == 2


def test_item_api_reads_config_variables_only_for_devices_listed_without_them():
    transport = FakeTransport()
    transport.devices[1]["config_variables"] = []
    view = ItemApi(RioApi(transport))
    view.list_devices()
    assert view.get_device_config_variables(AMD64)[0]["key"] == "runtime"
    assert transport.requests("GET", "/api/device-manager/v0/config_variables") == []
    view.get_device_config_variables(ARM)
    assert len(transport.requests("GET", "/api/device-manager/v0/config_variables")) == 1


# -- which waits go to the watcher: a named hook, not the shape of the call --------------------------
def item_task(transport, name, watched=True, **overrides):
    clock = transport.clock
    return BatchItemTask(ItemApi(RioApi(transport), watched=watched), item_params(name, **overrides),
                         clock=clock, sleeper=clock.sleep)


def with_first_sleep(kwargs):
    return dict(kwargs, first_sleep=0.25)


def without_keywords(_kwargs):
    return {}


@pytest.mark.parametrize("reshape", [with_first_sleep, without_keywords])
def test_only_the_own_wait_is_deferred_whatever_keywords_the_waits_carry(reshape):
    """A task whose every wait call is reshaped (a keyword added, or all dropped) on its way to the
    base class: the dependency is still polled by the item, and the item's own deployment still goes
    to the watcher, because the batch overrides the named hook, not _wait."""
    polled = []

    class ReshapingTask(BatchItemTask):
        def _wait(self, waiter, deployment_id, **kwargs):
            polled.append((waiter.__name__, deployment_id))
            return super()._wait(waiter, deployment_id, **reshape(kwargs))

    transport = FakeTransport(ready_after=1.0)
    run(transport, [item_params("base", wait=False)])
    clock = transport.clock
    task = ReshapingTask(ItemApi(RioApi(transport), watched=True), item_params("app", depends_on=["base"]),
                         clock=clock, sleeper=clock.sleep)
    result = task.present()
    assert polled == [("wait_for_deployment", "dep-0001")]
    assert transport.deployments["dep-0001"]["phase"] == "Succeeded"
    assert task.deferred.deployment_id == "dep-0002" and result["deployment"]["phase"] is None


def test_a_plain_deployment_wait_is_polled_not_mistaken_for_the_own_wait():
    transport = FakeTransport(ready_after=1.0)
    run(transport, [item_params("base", wait=False)])
    task = item_task(transport, "app")
    full = task._wait(wait.wait_for_deployment, "dep-0001")
    assert full["phase"] == "Succeeded" and task.deferred is None and task.waited > 0
    assert task._wait_for_own_deployment("dep-0001") == {"deploymentId": "dep-0001", "name": "app"}
    assert task.deferred.deployment_id == "dep-0001"


def test_summary_counts():
    results = [dict(name="a", changed=True, failed=False), dict(name="b", changed=False, failed=True),
               dict(name="c", changed=False, failed=False)]
    assert summarize(results) == {"total": 3, "ok": 2, "changed": 1, "unchanged": 1, "failed": 1,
                                  "changed_names": ["a"], "failed_names": ["b"]}


def test_a_removal_others_depend_on_is_refused_unless_the_batch_removes_them_too():
    transport = FakeTransport()
    run(transport, [item_params("base")])
    run(transport, [item_params("child", depends_on=["base"])])
    writes = len(transport.writes())
    results, _summary = run(transport, [item_params("base", state="absent")])
    assert results[0]["failed"] and "depend on it: child (" in results[0]["msg"]
    assert len(transport.writes()) == writes
    results, summary = run(transport, [item_params("base", state="absent"), item_params("child", state="absent")])
    assert summary["changed_names"] == ["base", "child"] and summary["failed"] == 0
