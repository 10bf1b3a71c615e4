# Copyright: (c) 2026, rapyuta.rio contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""rio_deployment and rio_deployment_info on v2: options mapped to one Deployment document, v1-only
options refused before any request, the checks before a creation, the applier's results in the
module's keys, and the info filters; against the in-memory v2 platform of the applier's tests."""

import copy

import pytest

from fake_clock import FakeClock
from v2_fakes import FakeV2Api, FakeV2Devices, deployment, disk, network, package

from ansible_collections.rapyuta.rio.plugins.module_utils.deployments import v2
from ansible_collections.rapyuta.rio.plugins.module_utils.deployments.arguments import deployment_argument_spec
from ansible_collections.rapyuta.rio.plugins.module_utils.v1.wait import DeploymentFailed
from ansible_collections.rapyuta.rio.plugins.module_utils.v2.apply import ApplyRefused, ManifestApply, prepare

ROBOT = {"name": "robot-1", "uuid": "11111111-1111-4111-8111-111111111101"}


class Platform(FakeV2Api):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.devices = FakeV2Devices([ROBOT])


def params(**options):
    """rio_deployment's parameters as Ansible gives them: every option, defaults filled."""
    spec = deployment_argument_spec()
    out = dict((key, copy.deepcopy(value.get("default"))) for key, value in spec.items())
    out.update(name="talker-1", package_name="talker", package_version="v1.0.0", on_change="fail",
               on_dependents="fail", wait=True, wait_timeout=60, wait_sleep=0.8)
    out.update(options)
    return out


def component(**options):
    entry = dict(name="talker", device=None, ignore_device_config=[], alias=None, set_ros_namespace=False,
                 set_component_alias=True, parameters={}, restart_policy=None, rosbag_jobs=[], static_routes={},
                 volumes=[])
    entry.update(options)
    return entry


def applier(api, origins=None, clock=None, **kwargs):
    clock = clock or FakeClock()
    kwargs.setdefault("wait", {"timeout": 60, "sleep": 0.8})
    return v2.DeploymentApply(api, origins=origins, clock=clock, sleeper=clock.sleep, **kwargs)


def seeded(*docs, **kwargs):
    api = Platform(**kwargs)
    for doc in docs:
        api.seed(prepare(doc)[0][0])
    return api


# -- refusals --------------------------------------------------------------------------------------

@pytest.mark.parametrize("options, expected", [
    (dict(plan="default"), "plan: v2 packages have no plans"),
    (dict(package_id="pkg-1", package_name=None, package_version=None), "package_id: v2 addresses a package by its name"),
    (dict(components=[component(), component(name="other")]), "components: a v2 deployment runs one package"),
    (dict(components=[component(alias="left")]), "components[0].alias: v2 has no component alias"),
    (dict(components=[component(set_ros_namespace=True)]), "components[0].set_ros_namespace: v2 has no"),
    (dict(components=[component(set_component_alias=False)]), "components[0].set_component_alias: v2 has no"),
    (dict(components=[component(ignore_device_config=["ros_distro"])]), "components[0].ignore_device_config: v2 copies"),
    (dict(components=[component(rosbag_jobs=[{"name": "all"}])]), "components[0].rosbag_jobs: v2 has no ROS bag jobs"),
    (dict(components=[component(volumes=[{"volume": "data", "mount_path": "/data"}])]),
     "components[0].volumes[0].mount_path: v2 mounts a disk per executable; give executable_mounts"),
    (dict(components=[component(parameters={"A": {"b": 1}})]), "components[0].parameters.A: v2 passes parameters as strings"),
    (dict(definition={"kind": "Deployment"}, labels={"a": "b"}, package_name=None, package_version=None),
     "definition: mutually exclusive with labels"),
])
def test_each_option_v2_does_not_have_is_refused_naming_it(options, expected):
    problems = v2.refusals(params(**options))
    assert len(problems) == 1 and problems[0].startswith(expected), problems
    with pytest.raises(v2.V2InputError) as raised:
        v2.deployment_body(params(**options))
    assert expected in str(raised.value)


def test_the_defaults_of_the_v1_options_are_not_refused():
    assert v2.refusals(params(components=[component(device="robot-1")])) == []
    assert v2.refusals(params()) == []


def test_every_refusal_is_reported_at_once():
    problems = v2.refusals(params(plan="p", components=[component(alias="a", rosbag_jobs=[{"name": "x"}])]))
    assert [problem.split(":")[0] for problem in problems] == ["plan", "components[0].alias", "components[0].rosbag_jobs"]


# -- options -> document ---------------------------------------------------------------------------

def test_a_device_component_maps_to_the_v2_fields():
    body, origins, warnings = v2.deployment_body(params(
        labels={"site": "alpha", "floor": 2},
        depends_on=["master"],
        routed_networks=[{"name": "fleet-net", "network_interface": "eth0"}],
        native_networks=[{"name": "local-net", "network_interface": None}],
        components=[component(device="robot-1", restart_policy="on_failure", parameters={"RATE": 10, "DEBUG": True},
                              volumes=[{"device_volume": True, "volume": None, "mount_path": None,
                                        "executable_mounts": [{"exec_name": "talker", "mount_path": "/data",
                                                               "sub_path": None}]}])]))
    assert warnings == []
    assert body["metadata"] == {"name": "talker-1", "labels": {"site": "alpha", "floor": "2"},
                                "depends": {"kind": "package", "nameOrGUID": "talker", "version": "v1.0.0"}}
    spec = body["spec"]
    assert spec["runtime"] == "device"
    assert spec["device"] == {"depends": {"kind": "device", "nameOrGUID": "robot-1"}}
    assert spec["restart"] == "onfailure"
    assert spec["envArgs"] == [{"name": "RATE", "value": "10"}, {"name": "DEBUG", "value": "true"}]
    assert spec["depends"] == [{"kind": "deployment", "nameOrGUID": "master", "wait": False}]
    assert spec["rosNetworks"] == [{"depends": {"kind": "network", "nameOrGUID": "fleet-net"}, "interface": "eth0"},
                                   {"depends": {"kind": "network", "nameOrGUID": "local-net"}}]
    assert spec["volumes"] == [{"execName": "talker", "mountPath": "/data", "subPath": "/"}]
    assert origins["spec.rosNetworks[1]"] == "native_networks[0]"


def test_a_cloud_component_maps_routes_and_disks():
    body, _origins, _warnings = v2.deployment_body(params(components=[component(
        static_routes={"http": "dash"},
        volumes=[{"volume": "data", "device_volume": None, "mount_path": None,
                  "executable_mounts": [{"exec_name": "web", "mount_path": "/data", "sub_path": "web"}]}])]))
    spec = body["spec"]
    assert spec["runtime"] == "cloud" and "device" not in spec
    assert spec["staticRoutes"] == [{"name": "http", "depends": {"kind": "staticroute", "nameOrGUID": "dash"}}]
    assert spec["volumes"] == [{"execName": "web", "mountPath": "/data", "subPath": "web",
                                "depends": {"kind": "disk", "nameOrGUID": "data"}}]


def test_a_validation_problem_names_the_option_it_came_from():
    bad_mount = {"volume": "data", "device_volume": None, "mount_path": None,
                 "executable_mounts": [{"exec_name": "web", "mount_path": "data", "sub_path": None}]}
    with pytest.raises(v2.V2InputError) as raised:
        v2.deployment_body(params(components=[component(volumes=[bad_mount], restart_policy="always")]))
    text = str(raised.value)
    assert "components[0].volumes (spec.volumes[0].mountPath)" in text
    assert "components[0].restart_policy (spec.restart): only a device deployment has it" in text


def test_labels_that_are_not_text_are_refused():
    with pytest.raises(v2.V2InputError) as raised:
        v2.deployment_body(params(labels={"a": ["x"]}))
    assert "labels.a: a label value must be a string" in str(raised.value)


def test_a_definition_is_one_deployment_named_as_the_task():
    doc = deployment(name="talker-1")
    del doc["metadata"]["name"]
    body, origins, _warnings = v2.deployment_body(params(package_name=None, package_version=None, definition=doc))
    assert origins is None and body["metadata"]["name"] == "talker-1"
    text = "kind: Deployment\nmetadata: {depends: {kind: package, nameOrGUID: talker, version: v1}}\nspec: {runtime: cloud}\n"
    body, _origins, _warnings = v2.deployment_body(params(package_name=None, package_version=None, definition=text))
    assert body["spec"] == {"runtime": "cloud"}


@pytest.mark.parametrize("definition, expected", [
    (deployment(name="other"), "definition.metadata.name: 'other' differs from the task's name 'talker-1'"),
    (package(), "definition.kind: rio_deployment applies a Deployment, got 'Package'"),
    ([deployment(), deployment()], "definition: give one Deployment document"),
    (dict(deployment(), spec={"runtime": "moon"}), "definition.spec.runtime: must be one of"),
])
def test_a_definition_that_cannot_be_used_is_refused_naming_the_path(definition, expected):
    with pytest.raises(v2.V2InputError) as raised:
        v2.deployment_body(params(package_name=None, package_version=None, definition=definition))
    assert expected in str(raised.value)


# -- the checks before a creation ------------------------------------------------------------------

def mapped(**options):
    body, origins, _warnings = v2.deployment_body(params(**options))
    return body, origins


def test_a_converged_deployment_costs_one_read():
    body, origins = mapped(components=[component(device="robot-1")])
    api = seeded(package(), deployment(device="robot-1"))
    api.calls = []
    outcome = applier(api, origins).run([body])
    assert outcome["changed"] is False and outcome["resources"][0]["action"] == "unchanged"
    assert api.calls == [("get", "Deployment", "talker-1", None)] and api.devices.calls == []


def test_a_creation_reads_what_it_names_first_and_creates_once():
    body, origins = mapped(components=[component(device="robot-1")], routed_networks=[{"name": "net", "network_interface": None}])
    api = seeded(package(), network())
    outcome = applier(api, origins).run([body])
    assert outcome["resources"][0]["action"] == "created"
    assert [call[1] for call in api.calls if call[0] == "get"][:3] == ["Deployment", "Package", "Network"]
    assert [call[:2] for call in api.writes()] == [("create", "Deployment")]


@pytest.mark.parametrize("options, docs, expected", [
    (dict(), [], "package_name (metadata.depends): no v2 package talker version v1.0.0 in the project"),
    (dict(), [package()], "components[0].device: package talker v1.0.0 is a device package; give the device"),
    (dict(components=[component(device="robot-1")]), [package(runtime="cloud")],
     "components[0].device: package talker v1.0.0 runs in the cloud; remove the device"),
    (dict(components=[component(device="robot-9")]), [package()],
     "components[0].device (spec.device.depends.nameOrGUID): no device named (or with uuid) 'robot-9'"),
    (dict(components=[component(device="robot-1")], depends_on=["master"]), [package()],
     "depends_on[0] (spec.depends[0]): no live deployment named 'master'"),
    (dict(components=[component(device="robot-1")], native_networks=[{"name": "net", "network_interface": None}]),
     [package(), network()], "native_networks[0] (spec.rosNetworks[0]): network 'net' is a routed network"),
    (dict(components=[component(static_routes={"http": "dash"}, volumes=[
        {"volume": "data", "device_volume": None, "mount_path": None,
         "executable_mounts": [{"exec_name": "web", "mount_path": "/d", "sub_path": None}]}])]),
     [package(runtime="cloud"), disk(name="other")],
     "components[0].volumes (spec.volumes[0]): no Disk named 'data'"),
])
def test_what_a_creation_needs_is_checked_before_any_write(options, docs, expected):
    body, origins = mapped(**options)
    api = seeded(*docs)
    with pytest.raises(ApplyRefused) as raised:
        applier(api, origins).run([body])
    assert expected in str(raised.value) and "nothing was written" in str(raised.value)
    assert api.writes() == []


OFFLINE_ROBOT = {"name": "robot-off", "uuid": "u-off", "status": "OFFLINE"}
ARM_ROBOT = {"name": "robot-arm", "uuid": "u-arm", "arch": "arm64v8"}


@pytest.mark.parametrize("device, arch, expected", [
    ("robot-off", None, "components[0].device (spec.device.depends.nameOrGUID): the deployment runs on device robot-off "
                        "(u-off), which is OFFLINE, not ONLINE: the platform would fail the deployment (DEP_E151"),
    ("robot-arm", None, "components[0].device (spec.device.depends.nameOrGUID): package talker v1.0.0 needs "
                        "architecture amd64, but device robot-arm (u-arm) is arm64v8: the platform would fail the "
                        "deployment (DEP_E162"),
    ("robot-1", "arm32v7", "needs architecture arm32v7, but device robot-1 (11111111-1111-4111-8111-111111111101) "
                           "is amd64"),
])
def test_a_device_the_platform_would_fail_the_deployment_on_is_refused_before_any_write(device, arch, expected):
    body, origins = mapped(components=[component(device=device)])
    api = seeded(dict(package(), spec=dict(package()["spec"], device={"arch": arch})) if arch else package())
    api.devices = FakeV2Devices([ROBOT, OFFLINE_ROBOT, ARM_ROBOT])
    with pytest.raises(ApplyRefused) as raised:
        applier(api, origins).run([body])
    assert expected in str(raised.value) and str(raised.value).endswith("nothing was written")
    assert api.writes() == []


def test_a_device_of_the_package_architecture_costs_the_device_list_and_one_selection_query():
    body, origins = mapped(components=[component(device="robot-arm")])
    api = seeded(dict(package(), spec=dict(package()["spec"], device={"arch": "arm64v8"})))
    api.devices = FakeV2Devices([ROBOT, ARM_ROBOT])
    assert applier(api, origins).run([body])["resources"][0]["action"] == "created"
    assert api.devices.calls == [("find_device", "robot-arm"), ("select_devices", ("arm64v8",))]


def resource_applier(api, **kwargs):
    clock = FakeClock()
    return v2.ResourceApply(api, clock=clock, sleeper=clock.sleep, **kwargs)


@pytest.mark.parametrize("later, expected", [
    (deployment(name="dangling", package_name="nowhere"),
     "Deployment 'dangling': metadata.depends: no v2 package nowhere version v1.0.0 in the project"),
    (deployment(name="off", device="robot-off"),
     "Deployment 'off': spec.device.depends.nameOrGUID: the deployment runs on device robot-off (u-off), which is "
     "OFFLINE"),
    (deployment(name="networked", rosNetworks=[{"depends": {"kind": "network", "nameOrGUID": "missing"}}]),
     "Deployment 'networked': spec.rosNetworks[0]: no Network named 'missing'"),
])
def test_rio_resource_checks_every_deployment_before_its_first_write(later, expected):
    api = seeded(package())
    api.devices = FakeV2Devices([ROBOT, OFFLINE_ROBOT])
    bodies, _warnings = prepare([disk(name="first"), later])
    with pytest.raises(ApplyRefused) as raised:
        resource_applier(api, wait={"timeout": 60, "sleep": 0.8}).run(bodies)
    assert expected in str(raised.value) and "nothing was written" in str(raised.value)
    assert api.writes() == []


def test_rio_resource_takes_what_its_own_documents_create_as_resolved():
    api = seeded()
    docs = [dict(package(), spec=dict(package()["spec"], device={"arch": "arm64v8"})), network(),
            deployment(name="base", device="robot-arm"),
            deployment(device="robot-arm", depends=[{"kind": "deployment", "nameOrGUID": "base"}],
                       rosNetworks=[{"depends": {"kind": "network", "nameOrGUID": "net"}}])]
    api.devices = FakeV2Devices([ARM_ROBOT])
    bodies, _warnings = prepare(docs)
    outcome = resource_applier(api).run(bodies)
    assert [entry["action"] for entry in outcome["resources"]] == ["created"] * 4
    assert set(api.devices.calls) == {("find_device", "robot-arm"), ("select_devices", ("arm64v8",))}


def test_rio_resource_leaves_a_starting_dependency_to_the_platform_when_it_does_not_wait():
    api = seeded(package(runtime="cloud"))
    api.seed(prepare(deployment(name="master"))[0][0], phase=("Provisioning", "Pending"))
    body = dict(deployment(depends=[{"kind": "deployment", "nameOrGUID": "master"}]))
    body["spec"] = {"runtime": "cloud", "depends": body["spec"]["depends"]}
    outcome = resource_applier(api).run(prepare(body)[0])
    assert outcome["resources"][0]["action"] == "created"


def test_rio_resource_with_on_dependents_break_deletes_a_disk_a_live_deployment_mounts():
    mounted = dict(deployment(name="web", device=None), spec={"runtime": "cloud", "volumes": [
        {"execName": "main", "mountPath": "/d", "depends": {"kind": "disk", "nameOrGUID": "logs"}}]})
    api = seeded(package(runtime="cloud"), disk(), mounted)
    outcome = resource_applier(api, on_dependents="break").run(prepare(disk())[0], "absent")
    assert outcome["resources"][0]["action"] == "deleted" and api.writes() == [("delete", "Disk", "logs", None)]


def test_check_mode_refuses_alike_and_writes_nothing():
    body, origins = mapped()
    api = seeded(package())
    with pytest.raises(ApplyRefused):
        applier(api, origins, check_mode=True).run([body])
    assert api.writes() == []


def test_a_starting_dependency_is_waited_for_before_the_creation():
    body, origins = mapped(depends_on=["master"])
    api = seeded(package(runtime="cloud"), deployment(name="master"))
    api.phases = [("Provisioning", "Pending"), ("Succeeded", "Running")]
    api._reads[api.key("Deployment", "master")] = 0
    outcome = applier(api, origins).run([body])
    assert outcome["resources"][0]["action"] == "created"
    master_reads = [call for call in api.calls if call[:3] == ("get", "Deployment", "master")]
    assert len(master_reads) >= 2


def test_check_mode_does_not_wait_for_a_starting_dependency():
    body, origins = mapped(depends_on=["master"])
    api = seeded(package(runtime="cloud"))
    api.seed(prepare(deployment(name="master"))[0][0], phase=("Provisioning", "Pending"))
    clock = FakeClock()
    outcome = applier(api, origins, clock=clock, check_mode=True).run([body])
    assert outcome["resources"][0]["action"] == "would_create"
    assert len([call for call in api.calls if call[:3] == ("get", "Deployment", "master")]) == 1
    assert api.writes() == []


def test_a_starting_dependency_without_wait_is_refused():
    body, origins = mapped(depends_on=["master"])
    api = seeded(package(runtime="cloud"))
    api.seed(prepare(deployment(name="master"))[0][0], phase=("Provisioning", "Pending"))
    with pytest.raises(ApplyRefused) as raised:
        applier(api, origins, wait=None).run([body])
    assert "is not ready yet (phase 'Provisioning'); set wait: true" in str(raised.value)
    assert api.writes() == []


def test_a_failed_dependency_is_refused_with_its_cause():
    body, origins = mapped(depends_on=["master"])
    api = seeded(package(runtime="cloud"))
    api.error_codes = ["DEP_E153"]
    api.seed(prepare(deployment(name="master"))[0][0], phase=("Provisioning", "Error"))
    with pytest.raises(ApplyRefused) as raised:
        applier(api, origins).run([body])
    assert "deployment 'master' is not running" in str(raised.value) and "DEP_E153" in str(raised.value)


def test_a_dependency_that_fails_while_waited_for_stops_the_task_before_any_write():
    body, origins = mapped(depends_on=["master"])
    api = seeded(package(runtime="cloud"), deployment(name="master"))
    api.phases = [("InProgress", "Pending"), ("FailedToStart", "Error")]
    api._reads[api.key("Deployment", "master")] = 0
    with pytest.raises(DeploymentFailed) as raised:
        applier(api, origins).run([body])
    assert "depends_on[0] (spec.depends[0]): deployment 'master' failed: phase 'FailedToStart'" in str(raised.value)
    assert api.writes() == []


def test_on_dependents_break_is_refused_before_any_write_as_the_platform_would_refuse_the_delete():
    body, origins = mapped(labels={"tier": "new"})
    api = seeded(package(runtime="cloud"), dict(deployment(), spec={"runtime": "cloud"}),
                 deployment(name="robot", depends=[{"kind": "deployment", "nameOrGUID": "talker-1"}]))
    with pytest.raises(ApplyRefused) as raised:
        applier(api, origins, on_change="recreate", on_dependents="break").run([body])
    assert "live deployments 'robot' depend on it" in str(raised.value)
    assert "refuses to delete a deployment others depend on, even with on_dependents=break" in str(raised.value)
    assert api.writes() == []


def test_the_applier_hook_sees_only_creations_and_recreations():
    seen = []

    class Probe(ManifestApply):
        def before_writes(self, steps):
            seen.append([(step.key[1], step.action) for step in steps])

    api = seeded(package(runtime="cloud"), disk(name="kept"))
    bodies = prepare([disk(name="kept"), disk(name="new"), package(runtime="cloud")])[0]
    Probe(api, check_mode=True).run(bodies)
    assert seen == [[("new", "create")]]
    Probe(api, check_mode=True).run(bodies, state="absent")
    assert len(seen) == 1  # never on a removal


# -- the module's flow -----------------------------------------------------------------------------

class Finished(Exception):
    pass


class FakeRio:
    def __init__(self, api, params, check_mode=False, diff_mode=False):
        self.v2_api = api
        self.params = params
        self.check_mode = check_mode
        self.diff_mode = diff_mode
        self.warnings = []
        self.result = None

    def warn(self, msg):
        self.warnings.append(msg)

    def fail(self, msg, **extra):
        self.result = dict(extra, failed=True, msg=msg)
        raise Finished()

    def fail_from_error(self, exc, action, **extra):
        self.fail("%s: %s" % (action, exc), **extra)

    def exit(self, changed, before=None, after=None, **result):
        self.result = dict(result, changed=changed)
        if self.diff_mode:
            self.result["diff"] = {"before": before, "after": after}
        raise Finished()


def run(api, check_mode=False, diff_mode=True, **options):
    rio = FakeRio(api, params(**options), check_mode=check_mode, diff_mode=diff_mode)
    with pytest.raises(Finished):
        v2.run_deployment_v2(rio)
    return rio.result


def test_a_creation_returns_the_summary_the_object_and_the_diff():
    api = seeded(package(runtime="cloud"))
    preview = run(api, check_mode=True, labels={"a": "b"})
    assert preview["changed"] is True and preview["action"] == "would_create"
    assert preview["deployment"]["deployment_id"] is None and preview["deployment"]["labels"] == {"a": "b"}
    assert preview["diff"]["before"] == {} and preview["diff"]["after"]["metadata"]["labels"] == {"a": "b"}
    assert api.writes() == []
    made = run(api, labels={"a": "b"})
    assert made["action"] == "created" and made["diff"] == preview["diff"]
    assert made["deployment"]["deployment_id"].startswith("deployment-")
    assert made["deployment"]["phase"] == "Succeeded" and made["resource"]["kind"] == "Deployment"
    again = run(api, labels={"a": "b"})
    assert again["changed"] is False and again["action"] == "unchanged"
    assert again["diff"]["before"] == again["diff"]["after"]


def test_drift_fails_listing_the_differences_in_the_v1_form():
    api = seeded(package(runtime="cloud"), dict(deployment(), spec={"runtime": "cloud"}))
    result = run(api, labels={"a": "b"})
    assert result["failed"] and result["changed"] is False
    assert result["differences"] == [{"field": "metadata.labels", "desired": {"a": "b"}, "live": None}]
    assert "on_change=recreate" in result["msg"] and api.writes() == []


def test_an_input_refusal_is_one_message_and_no_request():
    api = Platform()
    result = run(api, plan="default")
    assert result["msg"].startswith("Refused deployment talker-1 (api_version v2): plan: v2 packages have no plans")
    assert result["msg"].endswith("nothing was written") and api.calls == []


def test_a_wait_failure_reports_the_decoded_cause_and_that_it_wrote():
    api = seeded(package(runtime="cloud"), error_codes=["DEP_E153"])
    api.phases = [("Provisioning", "Error")]
    result = run(api)
    assert result["failed"] and result["changed"] is True
    assert "DEP_E153: the image could not be pulled or built" in result["msg"]
    assert result["deployment"]["errors"] == ["DEP_E153"]


def test_absent_deletes_then_finds_nothing():
    api = seeded(package(runtime="cloud"), dict(deployment(), spec={"runtime": "cloud"}))
    removed = run(api, state="absent", package_name=None, package_version=None)
    assert removed["changed"] is True and removed["action"] == "deleted" and removed["deployment"] == {}
    assert removed["diff"]["after"] == {} and removed["diff"]["before"]["spec"] == {"runtime": "cloud"}
    again = run(api, state="absent", package_name=None, package_version=None)
    assert again["changed"] is False and again["action"] == "absent"


# -- rio_deployment_info ---------------------------------------------------------------------------

def test_summary_keeps_the_v1_keys_that_map():
    obj = prepare(deployment(depends=[{"kind": "deployment", "nameOrGUID": "master"}]))[0][0]
    obj["metadata"].update(guid="dep-1", labels={"a": "b"}, region="jp")
    obj["status"] = {"phase": "FailedToStart", "status": "Error", "error_codes": ["DEP_E151"]}
    shaped = v2.summary(obj)
    assert shaped["deployment_id"] == "dep-1" and shaped["package_name"] == "talker"
    assert shaped["package_version"] == "v1.0.0" and shaped["device"] == "robot-1" and shaped["region"] == "jp"
    assert shaped["errors"] == ["DEP_E151"] and shaped["error_explanations"] == ["DEP_E151: the device is offline or unreachable"]
    assert shaped["depends_on"] == ["master"] and shaped["labels"] == {"a": "b"}
    assert v2.summary({}) == {}


def info_api():
    api = Platform()
    api.devices = FakeV2Devices([ROBOT, {"name": "robot-2", "uuid": "u-2"}])
    for name, device, labels in (("b-dep", "robot-1", {"site": "x"}), ("a-dep", ROBOT["uuid"], {}),
                                 ("c-dep", "robot-2", {"site": "x"})):
        api.seed(prepare(dict(deployment(name=name, device=device), metadata=dict(
            deployment(name=name)["metadata"], labels=labels, region="us" if name == "c-dep" else "jp")))[0][0])
    return api


def test_info_filters_by_device_name_or_uuid_labels_region_and_sorts():
    api = info_api()
    filters = dict(name=None, package_name="talker", package_version=None, device=ROBOT["uuid"], phases=None,
                   labels=None, region=None)
    summaries, objects = v2.deployment_infos_v2(api, filters)
    assert [item["name"] for item in summaries] == ["a-dep", "b-dep"]
    assert [obj["metadata"]["name"] for obj in objects] == ["a-dep", "b-dep"]
    listed = next(call for call in api.calls if call[0] == "list")[2]
    assert listed["deviceName"] == "robot-1" and listed["packageName"] == "talker"
    assert listed["phases"] == ["InProgress", "Provisioning", "Succeeded", "FailedToStart", "FailedToUpdate"]
    by_labels = v2.deployment_infos_v2(api, dict(filters, device=None, labels={"site": "x"}, region="us"))[0]
    assert [item["name"] for item in by_labels] == ["c-dep"]
    assert v2.deployment_infos_v2(api, dict(filters, device="robot-9")) == ([], [])


def test_info_takes_v1_phase_spellings_and_refuses_what_has_no_counterpart():
    api = info_api()
    filters = dict(name="a-dep", phases=["Failed to start", "Succeeded"])
    assert [item["name"] for item in v2.deployment_infos_v2(api, filters)[0]] == ["a-dep"]
    assert next(call for call in api.calls if call[0] == "list")[2]["phases"] == ["FailedToStart", "Succeeded"]
    assert v2.info_refusals({"phases": ["Partially deprovisioned"]})[0].startswith(
        "phases: 'Partially deprovisioned' has no v2 counterpart")
    assert v2.info_refusals({"package_id": "pkg-1"})[0].startswith("package_id: v2 lists filter packages by name")
    assert v2.v1_info_refusals({"region": "jp", "phases": ["InProgress"]}) == [
        "region: v1 deployments have no region; remove it, or set api_version: v2",
        "phases: 'InProgress' is a v2 phase; on v1 use 'In progress'"]


# -- the networks and disks it uses: created without waiting for them, waited for with the deployment ---
DISK_MOUNT = {"volume": "logs", "device_volume": None, "mount_path": None,
              "executable_mounts": [{"exec_name": "main", "mount_path": "/logs", "sub_path": None}]}


def starting_cloud_side(phases, disk_statuses=("Pending", "Available")):
    """A cloud deployment's package, and its network and disk just created (still starting)."""
    api = seeded(package(runtime="cloud"))
    api.phases, api.disk_statuses = list(phases), list(disk_statuses)
    for doc in (network(), disk()):
        api.create(doc["kind"], prepare(doc)[0][0])
    api.calls = []
    body, origins = mapped(routed_networks=[{"name": "net", "network_interface": None}],
                           components=[component(volumes=[DISK_MOUNT])])
    return api, body, origins


def test_starting_networks_and_disks_are_waited_for_after_the_creation():
    api, body, origins = starting_cloud_side([("InProgress", "Pending"), ("Succeeded", "Running")])
    outcome = applier(api, origins).run([body])
    assert outcome["resources"][0]["action"] == "created"
    assert [call[:2] for call in api.writes()] == [("create", "Deployment")]
    created = api.calls.index(("create", "Deployment", "talker-1"))
    for kind, name in (("Network", "net"), ("Disk", "logs")):
        reads = [index for index, call in enumerate(api.calls) if call[:3] == ("get", kind, name)]
        assert reads[0] < created < reads[-1], api.calls  # read before, waited for after the creation


def test_a_network_that_fails_fails_the_wait_naming_it_after_the_creation():
    api, body, origins = starting_cloud_side([("InProgress", "Pending"), ("FailedToStart", "Error")])
    with pytest.raises(DeploymentFailed) as raised:
        applier(api, origins).run([body])
    assert "routed_networks[0] (spec.rosNetworks[0]): network 'net' failed: phase 'FailedToStart'" in str(raised.value)
    assert raised.value.changed is True and [call[:2] for call in api.writes()] == [("create", "Deployment")]


def test_a_converged_deployment_waits_for_what_its_status_shows_starting():
    body, origins = mapped(routed_networks=[{"name": "net", "network_interface": None}],
                           components=[component(volumes=[DISK_MOUNT])])
    api = seeded(package(runtime="cloud"), network(), disk())
    live = api.seed(body)
    live["status"]["dependencies"] = {"networks": [{"name": "net", "phase": "Succeeded", "status": "Running"}],
                                      "disk": [{"name": "logs", "status": "Bound", "error_codes": ""}]}
    api.calls = []
    assert applier(api, origins).run([body])["changed"] is False
    assert api.calls == [("get", "Deployment", "talker-1", None)]  # shown running: nothing more is read
    live["status"]["dependencies"]["networks"][0].update(phase="Provisioning", status="Pending")
    api.calls = []
    assert applier(api, origins).run([body])["changed"] is False
    assert api.calls == [("get", "Deployment", "talker-1", None), ("get", "Network", "net", None)]


def test_check_mode_and_no_wait_do_not_wait_for_starting_networks():
    for kwargs in (dict(check_mode=True), dict(wait=None)):
        api, body, origins = starting_cloud_side([("InProgress", "Pending")])
        applier(api, origins, **kwargs).run([body])
        assert len([call for call in api.calls if call[:3] == ("get", "Network", "net")]) == 1
