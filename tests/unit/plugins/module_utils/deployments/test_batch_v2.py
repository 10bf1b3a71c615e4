# Copyright: (c) 2026, rapyuta.rio contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""rio_deployment_batch on v2: the batch's deployments read with a few name lists, a converged batch
answered from them with no other request, each item applied (created, refused, waited for) as
rio_deployment on v2 applies it, and one item's failure kept to that item; against the in-memory
v2 platform of the applier's tests."""

import copy

import pytest

from fake_clock import FakeClock
from v2_fakes import FakeV2Api, FakeV2Devices, deployment, package

from ansible_collections.rapyuta.rio.plugins.module_utils.deployments import batch_v2
from ansible_collections.rapyuta.rio.plugins.module_utils.deployments.arguments import deployment_options
from ansible_collections.rapyuta.rio.plugins.module_utils.deployments.batch import BatchItem
from ansible_collections.rapyuta.rio.plugins.module_utils.deployments.batch_v2 import BatchRunV2
from ansible_collections.rapyuta.rio.plugins.module_utils.v2.apply import prepare

ROBOTS = [{"name": "robot-%d" % number, "uuid": "11111111-1111-4111-8111-11111111110%d" % number}
          for number in range(1, 6)]


class Platform(FakeV2Api):
    """The applier tests' platform with the ``names`` filter and RioV2Api's ``remember``: a remembered
    read answers ``find`` without a request until a write of the kind forgets it, as the run's cache does."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.devices = FakeV2Devices(ROBOTS)
        self.remembered = {}

    def list_objects(self, kind, cached=True, **filters):
        # A listed object has moved on as a read of it would have (the watcher polls with lists).
        for key, obj in self.objects.items():
            if key[0] == kind:
                self._status(obj)
        found = super().list_objects(kind, cached=cached, **filters)
        if filters.get("names"):
            found = [obj for obj in found if obj["metadata"]["name"] in filters["names"]]
        return found

    def remember(self, kind, objects, names):
        listed = dict((obj["metadata"]["name"], obj) for obj in objects)
        for name in names:
            self.remembered[(kind, name)] = copy.deepcopy(listed.get(name))

    def find(self, kind, name, version=None, cached=True):
        if cached and (kind, name) in self.remembered:
            return copy.deepcopy(self.remembered[(kind, name)])
        return super().find(kind, name, version, cached)

    def _forget_written(self, kind, name):
        if kind in getattr(self, "writes_forget_one", ()):
            self.remembered.pop((kind, name), None)
        else:
            self.remembered.clear()

    def create(self, kind, body):
        self._forget_written(kind, body["metadata"]["name"])
        return super().create(kind, body)

    def delete(self, kind, name, version=None):
        self._forget_written(kind, name)
        return super().delete(kind, name, version)


def seeded(*docs, **kwargs):
    api = Platform(**kwargs)
    for doc in docs:
        api.seed(prepare(doc)[0][0])
    api.calls = []
    return api


def item_params(name, device="robot-1", rate="10", **options):
    out = dict((key, copy.deepcopy(value.get("default"))) for key, value in deployment_options().items())
    out.update(name=name, package_name="talker", package_version="v1.0.0", definition=None,
               components=[dict(name="talker", device=device, ignore_device_config=[], alias=None,
                                set_ros_namespace=False, set_component_alias=True, parameters={"RATE": rate},
                                restart_policy=None, rosbag_jobs=[], static_routes={}, volumes=[])],
               wait=True, wait_timeout=60, wait_sleep=0.5)
    out.update(options)
    return out


def items(*params_list):
    return [BatchItem(index, params["name"], params=params) for index, params in enumerate(params_list)]


def fleet(count=3, **options):
    return [item_params("talker-%d" % number, device="robot-%d" % number, **options) for number in range(1, count + 1)]


def live(count=3):
    return [deployment(name="talker-%d" % number, device="robot-%d" % number, env={"RATE": "10"})
            for number in range(1, count + 1)]


def run(api, params_list, workers=1, **kwargs):
    clock = FakeClock()
    batch = BatchRunV2(api, items(*params_list), workers=workers, clock=clock, sleeper=clock.sleep, **kwargs)
    return batch.run()


def test_a_converged_batch_is_one_name_list_and_nothing_else():
    api = seeded(package(), *live())
    results, summary = run(api, fleet(), workers=3)
    assert summary["unchanged"] == 3 and summary["changed"] == 0 and summary["failed"] == 0
    assert [result["name"] for result in results] == ["talker-1", "talker-2", "talker-3"]
    assert set(result["action"] for result in results) == {"unchanged"}
    assert results[0]["deployment"]["phase"] == "Succeeded" and results[0]["deployment"]["device"] == "robot-1"
    assert api.calls == [("list", "Deployment", {"names": ["talker-1", "talker-2", "talker-3"],
                                                 "phases": ["InProgress", "Provisioning", "Succeeded",
                                                            "FailedToStart", "FailedToUpdate"]})]


def test_more_names_than_one_list_carries_are_read_with_one_list_of_the_project(monkeypatch):
    monkeypatch.setattr(batch_v2, "NAMES_PER_LIST", 2)
    others = [deployment(name="other-%d" % number, device="robot-%d" % number) for number in range(1, 3)]
    api = seeded(package(), *(live(5) + others))
    results, summary = run(api, fleet(5))
    assert summary["unchanged"] == 5 and [result["name"] for result in results] == ["talker-%d" % n for n in range(1, 6)]
    assert api.calls == [("list", "Deployment", {"phases": ["InProgress", "Provisioning", "Succeeded",
                                                            "FailedToStart", "FailedToUpdate"]})]


def test_the_waits_are_one_list_per_round_for_all_new_deployments():
    api = seeded(package(), phases=[("InProgress", "Pending"), ("Provisioning", "Pending"), ("Succeeded", "Running")])
    results, summary = run(api, fleet(4), workers=2)
    assert summary["changed"] == 4 and summary["failed"] == 0
    assert all(result["deployment"]["status"] == "Running" and "duration" in result for result in results)
    deployment_calls = [call[0] for call in api.calls if call[1] == "Deployment"]
    # the prefetch, the four creations (no read of a deployment again), then one list per round for
    # all four: InProgress, Provisioning, Succeeded
    assert deployment_calls == ["list"] + ["create"] * 4 + ["list"] * 3
    assert api.calls[-1][2]["names"] == ["talker-1", "talker-2", "talker-3", "talker-4"]


def test_a_watched_deployment_that_fails_or_times_out_fails_its_item_alone():
    api = seeded(package(), phases=[("InProgress", "Pending")])
    items_params = fleet(2, wait_timeout=3)
    results, summary = run(api, items_params)
    assert summary["failed_names"] == ["talker-1", "talker-2"]
    assert "Deployment 'talker-1' is not ready after 3s: phase 'InProgress', status 'Pending'" in results[0]["msg"]
    assert results[0]["changed"] is True and results[0]["deployment"]["phase"] == "InProgress"
    lists = [call for call in api.calls if call[0] == "list"]
    assert 2 <= len(lists) - 1 <= 8  # the prefetch, then a few rounds until the 3 s are up

    api = seeded(package(), *live(1), phases=[("InProgress", "Pending"), ("FailedToStart", "Error")])
    results, summary = run(api, fleet(2))
    assert summary["failed_names"] == ["talker-2"] and results[0]["failed"] is False
    assert results[1]["msg"].startswith("Failed to apply deployment talker-2: Deployment 'talker-2' failed: phase "
                                        "'FailedToStart'")
    assert results[1]["changed"] is True and results[1]["resource"]["status"]["phase"] == "FailedToStart"


def test_a_rollout_creates_one_deployment_per_new_robot_and_waits_for_it():
    api = seeded(package(), *live(1), phases=[("InProgress", "Pending"), ("Succeeded", "Running")])
    results, summary = run(api, fleet(3), diff_mode=True)
    assert summary["changed_names"] == ["talker-2", "talker-3"] and summary["unchanged"] == 1
    assert [call[:3] for call in api.writes()] == [("create", "Deployment", "talker-2"), ("create", "Deployment", "talker-3")]
    assert results[1]["action"] == "created" and results[1]["deployment"]["status"] == "Running"
    assert results[1]["diff"]["before"] == {} and results[1]["diff"]["after"]["spec"]["envArgs"] == [
        {"name": "RATE", "value": "10"}]
    assert "duration" in results[1] and "duration" not in results[0]


def test_check_mode_previews_each_item_and_writes_nothing():
    api = seeded(package(), *live(1))
    results, summary = run(api, fleet(2, rate="20"), check_mode=True, diff_mode=True)
    assert api.writes() == []
    assert summary["failed_names"] == ["talker-1"] and results[0]["differences"][0]["desired"] == "20"
    assert results[1]["action"] == "would_create" and results[1]["changed"]
    assert results[1]["deployment"]["deployment_id"] is None and results[1]["diff"]["before"] == {}


def test_drift_fails_its_item_naming_the_fields_and_the_others_converge():
    api = seeded(package(), *live())
    drifted = fleet()
    drifted[1] = item_params("talker-2", device="robot-2", rate="25")
    results, summary = run(api, drifted)
    assert summary["failed_names"] == ["talker-2"] and summary["unchanged"] == 2 and api.writes() == []
    assert results[1]["differences"] == [{"field": "spec.envArgs[RATE].value", "desired": "25", "live": "10"}]
    assert "on_change=recreate" in results[1]["msg"] and results[1]["changed"] is False


def test_on_change_recreate_replaces_only_the_drifted_item():
    api = seeded(package(), *live())
    drifted = fleet(on_change="recreate")
    drifted[1] = item_params("talker-2", device="robot-2", rate="25", on_change="recreate")
    results, summary = run(api, drifted)
    assert summary["changed_names"] == ["talker-2"] and results[1]["action"] == "recreated"
    assert [call[:3] for call in api.writes()] == [("delete", "Deployment", "talker-2"), ("create", "Deployment", "talker-2")]


def test_a_failing_item_reports_its_decoded_cause_and_that_it_wrote():
    api = seeded(package(), *live(1), error_codes=["DEP_E153"])
    api.phases = [("Provisioning", "Error")]
    api.objects[("Deployment", "talker-1", None)]["status"] = {"phase": "Succeeded", "status": "Running"}
    results, summary = run(api, fleet(2))
    assert summary["failed_names"] == ["talker-2"] and results[0]["failed"] is False
    assert results[1]["changed"] is True and "DEP_E153: the image could not be pulled or built" in results[1]["msg"]
    assert results[1]["deployment"]["errors"] == ["DEP_E153"]


def test_input_refusals_fail_their_items_before_any_request():
    api = seeded(package())
    bad = [item_params("talker-1", plan="default"),
           item_params("talker-2", components=[dict(fleet(1)[0]["components"][0], alias="left")]),
           item_params("talker-3", labels={"fleet": "x"}, package_name=None, package_version=None, components=[],
                       definition={"kind": "Deployment", "spec": {"runtime": "cloud"}})]
    results, summary = run(api, bad)
    assert summary["failed"] == 3 and api.calls == []
    assert "Refused deployment talker-1 (api_version v2): plan: v2 packages have no plans" in results[0]["msg"]
    assert "components[0].alias: v2 has no component alias" in results[1]["msg"]
    assert "definition: mutually exclusive with labels" in results[2]["msg"]
    assert all(result["msg"].endswith("nothing was written") for result in results)


def test_a_definition_item_is_named_as_its_item():
    api = seeded(package())
    definition = {"apiVersion": "apiextensions.rapyuta.io/v1", "kind": "Deployment",
                  "metadata": {"depends": {"kind": "package", "nameOrGUID": "talker", "version": "v1.0.0"}},
                  "spec": {"runtime": "device", "device": {"depends": {"kind": "device", "nameOrGUID": "robot-3"}}}}
    results, _summary = run(api, [item_params("talker-3", package_name=None, package_version=None, components=[],
                                              definition=definition)])
    assert results[0]["action"] == "created" and results[0]["resource"]["metadata"]["name"] == "talker-3"


def test_names_twice_and_dependencies_within_the_batch_are_refused():
    api = seeded(package())
    results, summary = run(api, [item_params("talker-1"), item_params("talker-1"),
                                 item_params("talker-2", depends_on=["talker-3"]), item_params("talker-3")])
    assert "deployment talker-1 is listed 2 times in this task (deployments[0], deployments[1])" in results[0]["msg"]
    assert results[0]["msg"] == results[1]["msg"]
    assert "spec.depends[0]: deployment talker-3 is converged by this same task" in results[2]["msg"]
    assert summary["changed_names"] == ["talker-3"]


def test_removals_read_the_live_deployments_once_and_a_dependent_removed_alongside_is_no_obstacle():
    base = deployment(name="base", device="robot-1")
    child = deployment(name="child", device="robot-2", depends=[{"kind": "deployment", "nameOrGUID": "base"}])
    other = deployment(name="other", device="robot-3", depends=[{"kind": "deployment", "nameOrGUID": "kept"}])
    kept = deployment(name="kept", device="robot-4")
    api = seeded(package(), base, child, kept, other)
    absent = dict(state="absent", package_name=None, package_version=None, components=[])
    results, summary = run(api, [item_params("child", **absent), item_params("kept", **absent),
                                 item_params("nothing", **absent)])
    assert summary["failed_names"] == ["kept"] and "'other'" in results[1]["msg"]
    assert results[0]["action"] == "deleted" and results[2]["action"] == "absent"
    full_lists = [call for call in api.calls if call[0] == "list" and "names" not in call[2]]
    assert len(full_lists) == 1


@pytest.mark.parametrize("workers", [1, 4])
def test_results_keep_the_order_of_the_items_whatever_the_workers(workers):
    api = seeded(package())
    results, summary = run(api, fleet(5), workers=workers)
    assert [result["name"] for result in results] == ["talker-%d" % number for number in range(1, 6)]
    assert summary["changed"] == 5 and len(api.writes()) == 5


def test_items_on_devices_the_platform_would_fail_them_on_are_refused_and_only_creations_read_devices():
    api = seeded(package(), *live(2))
    api.devices = FakeV2Devices(ROBOTS[:2] + [dict(ROBOTS[2], status="OFFLINE"), dict(ROBOTS[3], arch="arm64v8"),
                                              ROBOTS[4]])
    results, summary = run(api, fleet(5), workers=2)
    assert summary["unchanged"] == 2 and summary["changed_names"] == ["talker-5"]
    assert summary["failed_names"] == ["talker-3", "talker-4"] and len(api.writes()) == 1
    assert "components[0].device (spec.device.depends.nameOrGUID): the deployment runs on device robot-3" in results[2]["msg"]
    assert "needs architecture amd64, but device robot-4" in results[3]["msg"] and "is arm64v8" in results[3]["msg"]
    assert all(result["msg"].endswith("nothing was written") for result in results[2:4])
    assert ("find_device", "robot-1") not in api.devices.calls and ("find_device", "robot-2") not in api.devices.calls
