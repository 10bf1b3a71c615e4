# Copyright: (c) 2026, rapyuta.rio contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""rio_deployment's plan of action (DeploymentTask) against an in-memory platform: the real
resolver and builder, a fake API that records every call (deployment_fakes.py). What a run reads,
writes and waits for; the name and builder rules themselves are tested in test_resolve and test_build.
"""

import re

import pytest
from deployment_fakes import AMD64, ARM, OFFLINE, add_volume, component, device, load_manifest, make_api, params, \
    stored_package, talker
from fake_clock import FakeClock

from ansible_collections.rapyuta.rio.plugins.module_utils.transport.client import RioError, RioUnauthorized
from ansible_collections.rapyuta.rio.plugins.module_utils.deployments.task import ChangeRefused, DeploymentTask
from ansible_collections.rapyuta.rio.plugins.module_utils.deployments.checks import DeploymentInputError, check_spec
from ansible_collections.rapyuta.rio.plugins.module_utils.v1.provision import CONTEXT_RECORD_LABEL
from ansible_collections.rapyuta.rio.plugins.module_utils.v1.wait import DeploymentFailed, WaitTimeout

from .test_batch import FakeTransport, item_params, run as run_batch


def run(api, check_mode=False, diff_mode=False, **options):
    clock = FakeClock()
    task = DeploymentTask(api, params(**options), check_mode=check_mode, diff_mode=diff_mode,
                          clock=clock, sleeper=clock.sleep)
    result = task.present() if task.params["state"] == "present" else task.absent()
    return task, result


@pytest.fixture
def api():
    return make_api()


def test_a_new_cloud_deployment_is_provisioned_and_waited_for(api):
    task, result = run(api, labels={"tier": "front"})
    assert result["changed"] is True
    assert [call[0] for call in api.writes()] == ["provision"]
    assert result["deployment"]["phase"] == "Succeeded" and result["deployment"]["status"] == "Running"
    assert result["deployment"]["labels"] == {"tier": "front"}
    assert result["before"] == {} and result["after"] == result["deployment"]["config"]
    assert task.waited > 0


def test_check_mode_predicts_the_creation_without_writes(api):
    _task, checked = run(api, check_mode=True, labels={"tier": "front"})
    assert checked["changed"] is True and api.writes() == []
    assert checked["deployment"]["deployment_id"] is None
    _task, real = run(api, labels={"tier": "front"})
    assert real["after"] == checked["after"]


def test_a_converged_run_only_reads_a_few_things(api):
    run(api, **talker())
    api.calls = []
    _task, result = run(api, **talker(components=[component("default", device=AMD64, parameters={"RATE": "10"},
                                                            restart_policy="on_failure")]))
    assert result["changed"] is False
    assert api.writes() == []
    names = sorted(call[0] for call in api.calls)
    assert names == ["config_variables", "get_deployment", "get_package", "list_devices", "list_packages",
                     "live_deployments"], names


def test_a_changed_parameter_is_refused_naming_the_field(api):
    run(api, **talker())
    api.calls = []
    with pytest.raises(ChangeRefused) as err:
        run(api, **talker(components=[component("default", device="robot-docker-amd64", parameters={"RATE": "20"},
                                                restart_policy="on_failure")]))
    assert "components.default.parameters.RATE" in str(err.value)
    assert api.writes() == []


def test_check_mode_refuses_the_same_change(api):
    run(api, **talker())
    with pytest.raises(ChangeRefused):
        run(api, check_mode=True, **talker(labels={"site": "beta"}))


def test_recreate_replaces_the_deployment(api):
    _task, first = run(api, labels={"tier": "front"})
    _task, checked = run(api, check_mode=True, labels={"tier": "back"}, on_change="recreate")
    assert checked["changed"] is True and [call[0] for call in api.writes()] == ["provision"]
    assert [item["field"] for item in checked["differences"]] == ["labels.tier"]
    _task, second = run(api, labels={"tier": "back"}, on_change="recreate")
    assert [call[0] for call in api.writes()] == ["provision", "deprovision", "provision"]
    assert second["deployment"]["deployment_id"] != first["deployment"]["deployment_id"]
    assert second["after"] == checked["after"]
    assert api.deployments[first["deployment"]["deployment_id"]]["phase"] == "Deployment stopped"


@pytest.mark.parametrize("options, field, value", [
    (dict(components=[component("default", device="robot-nowhere")]), "components.default.device", "robot-nowhere"),
    (dict(package_version="v9"), "package_name", "v9"),
    (dict(depends_on=["ghost"]), "depends_on[0]", "ghost"),
])
def test_bad_names_fail_before_any_write(api, options, field, value):
    opts = talker()
    opts.update(options)
    with pytest.raises(DeploymentInputError) as err:
        run(api, **opts)
    assert err.value.field == field and value in str(err.value)
    assert api.writes() == []


def test_two_live_deployments_with_the_name_fail_listing_both(api):
    run(api)
    # a second one made behind the module's back, e.g. by another tool
    api.provision({"service_id": "pkg-nginx-single-component", "plan_id": api.deployments["dep-0001"]["planId"],
                   "parameters": {}, "context": {"name": "web"}})
    with pytest.raises(RioError) as err:
        run(api)
    assert "dep-0001" in str(err.value) and "dep-0002" in str(err.value)


def test_a_failing_deployment_fails_fast_with_the_decoded_cause(api):
    api.fail_with["web"] = "DEP_E153"  # a cloud component whose image cannot be pulled
    with pytest.raises(DeploymentFailed) as err:
        run(api)
    message = str(err.value)
    assert "DEP_E153" in message and "image" in message and "nginx" in message
    assert err.value.last["phase"] == "Failed to start"


# -- devices are checked before provisioning, never on a converged run -------------------------------
def calls_named(api, name):
    return [call for call in api.calls if call[0] == name]


@pytest.mark.parametrize("check_mode", [False, True])
def test_an_offline_device_is_refused_before_any_write(api, check_mode):
    with pytest.raises(DeploymentInputError) as err:
        run(api, check_mode=check_mode, **talker(components=[component("default", device="robot-offline")]))
    message = str(err.value)
    assert err.value.field == "components.default.device"
    for needle in ("component default", "robot-offline", OFFLINE, "OFFLINE", "DEP_E151", "nothing was written"):
        assert needle in message, message
    assert api.writes() == [] and api.deployments == {}
    assert calls_named(api, "select_devices") == []  # the listed status was enough


@pytest.mark.parametrize("check_mode", [False, True])
def test_a_device_of_another_architecture_is_refused_before_any_write(api, check_mode):
    with pytest.raises(DeploymentInputError) as err:
        run(api, check_mode=check_mode, **talker(components=[component("default", device="robot-docker-arm64")]))
    message = str(err.value)
    assert err.value.field == "components.default.device"
    for needle in ("component default needs architecture amd64", "robot-docker-arm64", ARM, "is arm64v8",
                   "DEP_E162"):
        assert needle in message, message
    assert api.writes() == []


@pytest.mark.parametrize("check_mode", [False, True])
def test_a_device_of_another_ros_distro_is_refused_before_any_write(api, check_mode):
    api.devices[0]["config_variables"][1]["value"] = "noetic"
    with pytest.raises(DeploymentInputError) as err:
        run(api, check_mode=check_mode, **talker())
    message = str(err.value)
    assert err.value.field == "components.default.device"
    for needle in ("component default needs ROS distro melodic", "robot-docker-amd64", AMD64, "runs noetic",
                   "DEP_E162", "nothing was written"):
        assert needle in message, message
    assert api.writes() == []
    assert calls_named(api, "select_devices") == []  # refused on what was read already


def test_a_device_without_a_ros_distro_variable_is_not_refused(api):
    del api.devices[0]["config_variables"][1]
    _task, result = run(api, **talker())
    assert result["changed"] is True and [call[0] for call in api.writes()] == ["provision"]


def test_the_run_refusal_reports_no_change(api):
    from ansible_collections.rapyuta.rio.plugins.module_utils.deployments.task import run_deployment
    rio = FakeRio(api, **talker(components=[component("default", device="robot-offline")]))
    run_deployment(rio)
    kind, result = rio.outcome
    assert kind == "fail" and result["msg"].startswith("Refused to provision deployment talker: components.default")
    assert "changed" not in result and api.writes() == []


def test_a_matching_device_costs_one_selection_query(api):
    task, result = run(api, **talker())
    assert result["changed"] is True and task.warnings == []
    assert len(calls_named(api, "select_devices")) == 1


def test_a_converged_deployment_on_a_robot_gone_offline_is_ok(api):
    api.devices[2]["status"] = "ONLINE"
    run(api, **talker(components=[component("default", device="robot-offline")]))
    api.devices[2]["status"] = "OFFLINE"
    api.calls = []
    task, result = run(api, **talker(components=[component("default", device="robot-offline")]))
    assert result["changed"] is False and result["deployment"]["status"] == "Running" and task.warnings == []
    assert api.writes() == [] and calls_named(api, "select_devices") == []


def test_a_recreation_on_a_robot_gone_offline_is_refused_and_keeps_the_live_one(api):
    api.devices[2]["status"] = "ONLINE"
    run(api, **talker(components=[component("default", device="robot-offline")]))
    api.devices[2]["status"] = "OFFLINE"
    with pytest.raises(DeploymentInputError) as err:
        run(api, on_change="recreate", **talker(components=[component("default", device="robot-offline")],
                                                labels={"site": "beta"}))
    assert "OFFLINE" in str(err.value)
    assert [call[0] for call in api.writes()] == ["provision"]
    assert api.deployments["dep-0001"]["phase"] == "Succeeded"


def test_an_architecture_no_query_matches_is_a_warning(api):
    api.architectures[AMD64] = "riscv64"
    task, result = run(api, **talker())
    assert result["changed"] is True
    assert len(task.warnings) == 1 and "architecture of device robot-docker-amd64" in task.warnings[0]
    assert len(calls_named(api, "select_devices")) == 3  # its own, then the two others


def test_a_component_without_a_known_architecture_costs_no_query(api):
    for comp in api.packages["pkg-talker-docker"]["plans"][0]["components"]["components"]:
        comp.pop("architecture", None)
    _task, result = run(api, **talker(components=[component("default", device="robot-docker-arm64")]))
    assert result["changed"] is True and calls_named(api, "select_devices") == []


def test_an_unavailable_selection_query_is_a_warning_but_auth_errors_fail(api):
    api.selection_error = RioError("HTTP 404: not found")
    task, result = run(api, **talker())
    assert result["changed"] is True and "selection query failed (HTTP 404" in task.warnings[0]
    api.selection_error = RioUnauthorized(401, "POST", "/selection/query/", "invalid token")
    with pytest.raises(RioUnauthorized):
        run(api, **talker(name="talker-2"))
    assert len(api.writes()) == 1


def test_the_read_after_provisioning_is_the_first_poll(api):
    api.ready_after = 1  # already running when provision() reads it
    _task, result = run(api)
    assert result["deployment"]["status"] == "Running"
    assert len(calls_named(api, "get_deployment")) == 1  # no second read of what was just read


def test_a_converged_deployment_is_not_read_twice_in_a_row(api):
    api.ready_after = 2
    api.fail_with["web"] = "DEP_E153"
    run(api, wait=False)
    api.calls = []
    with pytest.raises(DeploymentFailed) as err:
        run(api)  # the read the comparison was made on already says it failed: the wait decides on it
    assert "DEP_E153" in str(err.value)
    assert len(calls_named(api, "get_deployment")) == 1


def test_a_slow_deployment_times_out_with_its_last_phase(api):
    api.ready_after = 1000
    with pytest.raises(WaitTimeout) as err:
        run(api, wait_timeout=2)
    assert "In progress" in str(err.value)


def test_dependencies_still_starting_are_waited_for(api):
    _task, base = run(api, name="base", wait=False)
    assert base["deployment"]["phase"] == "In progress"
    with pytest.raises(DeploymentInputError) as err:
        run(api, name="app", depends_on=["base"], wait=False)
    assert err.value.field == "depends_on[0]" and "not ready" in str(err.value)
    _task, app = run(api, name="app", depends_on=["base"])
    assert api.deployments["dep-0001"]["phase"] == "Succeeded"
    assert app["deployment"]["depends_on"] == ["dep-0001"]
    _task, again = run(api, name="app", depends_on=["dep-0001"])
    assert again["changed"] is False


def test_absent_deprovisions_once(api):
    run(api)
    _task, checked = run(api, state="absent", check_mode=True, diff_mode=True)
    assert checked["changed"] is True and checked["before"] and checked["after"] == {}
    assert [call[0] for call in api.writes()] == ["provision"]
    _task, gone = run(api, state="absent")
    _task, again = run(api, state="absent")
    assert gone["changed"] is True and again["changed"] is False
    assert [call[0] for call in api.writes()] == ["provision", "deprovision"]


def test_a_starting_volume_is_waited_for_then_mounted(api):
    add_volume(api)
    nginx = component("nginx", volumes=[{"volume": "data", "mount_path": "/data"}],
                      static_routes={"test": "staticroute-aaaa"})
    _task, result = run(api, components=[nginx], routed_networks=[{"name": "fleet-net", "network_interface": None}])
    assert api.deployments["dep-vol"]["phase"] == "Succeeded"
    assert result["deployment"]["depends_on"] == ["dep-vol"]
    assert result["deployment"]["status"] == "Running"
    _task, again = run(api, components=[nginx], routed_networks=[{"name": "fleet-net", "network_interface": None}])
    assert again["changed"] is False


def test_a_failed_dependency_is_refused_before_any_write(api):
    api.fail_with["base"] = "DEP_E153"
    with pytest.raises(DeploymentFailed):
        run(api, name="base")
    with pytest.raises(DeploymentInputError) as err:
        run(api, name="app", depends_on=["base"])
    assert err.value.field == "depends_on[0]" and "DEP_E153" in str(err.value)
    assert [call[0] for call in api.writes()] == ["provision"]


def test_aliases_the_plan_does_not_use_are_warned_about(api):
    task, _result = run(api, **talker(components=[component("default", device="robot-docker-amd64", alias="one",
                                                            parameters={"RATE": "10"})]))
    assert len(task.warnings) == 1 and "components.default" in task.warnings[0]
    task, _result = run(api, name="web")
    assert task.warnings == []


# -- issue 17: rules the platform applies after the write, checked before it -----------------------
def on_fleet_net(**options):
    base = dict(package_name="scoped-cloud", routed_networks=[{"name": "fleet-net", "network_interface": None}])
    base.update(options)
    return base


@pytest.mark.parametrize("check_mode", [False, True])
def test_an_alias_used_by_another_deployment_on_the_routed_network_is_refused(api, check_mode):
    api.add_package("scoped-cloud.json")
    run(api, name="ping-a", **on_fleet_net())
    api.calls = []
    with pytest.raises(DeploymentInputError) as err:
        run(api, check_mode=check_mode, name="ping-b", **on_fleet_net())
    message = str(err.value)
    assert err.value.field == "components.cloudping.alias", message
    for needle in ("'cloudping'", "ping-a", "dep-0001", "DEP_E171", "nothing was written"):
        assert needle in message, message
    assert api.writes() == []


def test_an_alias_clash_needs_a_shared_routed_network_and_spares_the_replaced_deployment(api):
    api.add_package("scoped-cloud.json")
    run(api, name="ping-a", **on_fleet_net())
    _task, result = run(api, name="ping-b", package_name="scoped-cloud")  # no routed network: no clash
    assert result["changed"] is True
    _task, result = run(api, name="ping-a", on_change="recreate", **on_fleet_net(labels={"v": "2"}))
    assert result["changed"] is True and [call[0] for call in api.writes()][-2:] == ["deprovision", "provision"]


@pytest.mark.parametrize("check_mode", [False, True])
def test_a_device_on_a_cloud_component_is_refused(api, check_mode):
    with pytest.raises(DeploymentInputError) as err:
        run(api, check_mode=check_mode, components=[component("nginx", device="robot-docker-amd64")])
    assert err.value.field == "components.nginx.device", str(err.value)
    assert "runs in the cloud" in str(err.value) and "robot-docker-amd64" in str(err.value)
    assert api.writes() == []


@pytest.mark.parametrize("check_mode", [False, True])
def test_a_device_network_interface_the_device_lacks_is_refused(api, check_mode):
    api.networks["routednetwork"].append({"guid": "net-dev", "name": "robot-net", "runtime": "device",
                                          "phase": "Succeeded",
                                          "parameters": {"device_id": AMD64, "NETWORK_INTERFACE": "eth0"}})
    with pytest.raises(DeploymentInputError) as err:
        run(api, check_mode=check_mode, routed_networks=[{"name": "robot-net", "network_interface": "wlan9"}])
    message = str(err.value)
    assert err.value.field == "routed_networks[0].network_interface", message
    for needle in ("'wlan9'", "robot-docker-amd64", "eth0", "nothing was written"):
        assert needle in message, message
    assert api.writes() == []
    _task, result = run(api, routed_networks=[{"name": "robot-net", "network_interface": "eth0"}])
    assert result["changed"] is True


def test_a_device_variable_the_task_never_declared_is_not_a_difference(api):
    api.devices[0]["config_variables"].append({"key": "max_speed", "value": "1.5"})
    run(api, **talker())
    api.devices[0]["config_variables"][-1]["value"] = "2.0"  # changed on the device since
    _task, result = run(api, **talker())
    assert result["changed"] is False and [call[0] for call in api.writes()] == ["provision"]
    assert "max_speed" not in result["before"]["components"]["default"]["parameters"]
    # Set by the task, the same key is the task's and is compared.
    with pytest.raises(ChangeRefused, match=r"components\.default\.parameters\.max_speed"):
        run(api, **talker(components=[component("default", device="robot-docker-amd64",
                                                parameters={"RATE": "10", "max_speed": "3.0"},
                                                restart_policy="on_failure")]))


def test_an_omitted_restart_policy_is_not_a_difference(api):
    run(api, **talker(components=[component("default", device="robot-docker-amd64", parameters={"RATE": "10"},
                                            restart_policy="never")]))
    _task, result = run(api, **talker(components=[component("default", device="robot-docker-amd64",
                                                            parameters={"RATE": "10"})]))
    assert result["changed"] is False and [call[0] for call in api.writes()] == ["provision"]
    with pytest.raises(ChangeRefused, match="restart_policy: live 'no', declared 'always'"):
        run(api, **talker(components=[component("default", device="robot-docker-amd64", parameters={"RATE": "10"},
                                                restart_policy="always")]))


@pytest.mark.parametrize("check_mode", [False, True])
@pytest.mark.parametrize("value", [{"region": "eu"}, ["a", "b"]])
def test_a_label_value_that_is_not_text_is_refused(api, check_mode, value):
    with pytest.raises(DeploymentInputError) as err:
        run(api, check_mode=check_mode, labels={"site": value})
    assert err.value.field == "labels.site" and "got a %s" % type(value).__name__ in str(err.value)
    assert api.writes() == []


@pytest.mark.parametrize("check_mode", [False, True])
def test_a_restart_policy_on_a_cloud_component_is_refused(api, check_mode):
    with pytest.raises(DeploymentInputError) as err:
        run(api, check_mode=check_mode, components=[component("nginx", restart_policy="never")])
    assert err.value.field == "components.nginx.restart_policy", str(err.value)
    assert "runs in the cloud" in str(err.value) and "'never'" in str(err.value)
    assert api.writes() == []


def test_difference_messages_name_networks_routes_and_dependencies_as_the_task_did(api):
    run(api, name="base")
    api.routes.append({"guid": "staticroute-bbbb", "urlPrefix": "web-back"})
    run(api, depends_on=["base"], routed_networks=[{"name": "fleet-net", "network_interface": None}],
        components=[component("nginx", static_routes={"test": "web-front"})])
    with pytest.raises(ChangeRefused) as err:
        run(api, components=[component("nginx", static_routes={"test": "web-back"})])
    message = str(err.value)
    for needle in ("routed_networks.fleet-net (net-aaaa): live {'network_interface': None}, declared None",
                   "depends_on: live ['base (dep-0001)'], declared []",
                   "components.nginx.static_routes.test: live 'web-front (staticroute-aaaa)', "
                   "declared 'web-back (staticroute-bbbb)'"):
        assert needle in message, message


class FakeRio:
    """What run_deployment needs of RioModule: the API, the options, warn, exit and fail."""

    def __init__(self, api, check_mode=False, diff_mode=False, **options):
        self.api = api
        self.params = params(**options)
        self.check_mode = check_mode
        self.diff_mode = diff_mode
        self.warnings = []
        self.outcome = None
        self.module = self

    def warn(self, text):
        self.warnings.append(text)

    def exit(self, **result):
        self.outcome = ("exit", result)

    def fail_from_error(self, exc, action, **extra):
        self.outcome = ("fail", dict(extra, msg="%s: %s" % (action, exc)))


def test_run_deployment_exits_with_the_result_and_forwards_warnings(api):
    from ansible_collections.rapyuta.rio.plugins.module_utils.deployments.task import run_deployment
    rio = FakeRio(api, **talker(components=[component("default", device="robot-docker-amd64", alias="one")],
                                wait_sleep=0.01))
    run_deployment(rio)
    kind, result = rio.outcome
    assert kind == "exit" and result["changed"] is True and result["duration"] >= 0
    assert result["deployment"]["status"] == "Running" and len(rio.warnings) == 1


def test_run_deployment_failures_carry_the_last_deployment(api):
    from ansible_collections.rapyuta.rio.plugins.module_utils.deployments.task import run_deployment
    api.fail_with["web"] = "DEP_E153"
    rio = FakeRio(api, wait_sleep=0.01)
    run_deployment(rio)
    kind, result = rio.outcome
    assert kind == "fail" and result["msg"].startswith("Failed to wait for deployment web")
    assert result["deployment"]["errors"] == ["DEP_E153"] and result["deployment"]["config"]
    assert "duration" not in result  # fail_from_error adds it from the wait error itself
    assert result["changed"] is True  # the deployment was provisioned before the wait failed


def test_run_deployment_failures_before_any_write_report_no_change(api):
    from ansible_collections.rapyuta.rio.plugins.module_utils.deployments.task import run_deployment
    rio = FakeRio(api, **talker(components=[component("default", device="no-such-robot")]))
    run_deployment(rio)
    kind, result = rio.outcome
    assert kind == "fail" and "no-such-robot" in result["msg"]
    assert "changed" not in result and api.writes() == []


# -- dependents: a removal or recreation that would break other live deployments --------------------

def base_and_app(api):
    """base (dep-0001) with app (dep-0002) depending on it."""
    run(api, name="base", labels={"tier": "a"})
    run(api, name="app", depends_on=["base"])
    api.calls = []


@pytest.mark.parametrize("check_mode", [False, True])
@pytest.mark.parametrize("options, verb", [
    (dict(state="absent"), "deprovision"),
    (dict(labels={"tier": "b"}, on_change="recreate"), "recreate"),
])
def test_a_deployment_others_depend_on_is_not_removed_by_default(api, check_mode, options, verb):
    base_and_app(api)
    with pytest.raises(RioError) as err:
        run(api, check_mode=check_mode, name="base", **options)
    message = str(err.value)
    assert "1 live deployment(s) depend on it: app (dep-0002)" in message
    assert "to %s it would break them" % verb in message and "on_dependents: break" in message
    assert "nothing was written" in message
    assert api.writes() == []
    assert api.deployments["dep-0001"]["phase"] == "Succeeded"


@pytest.mark.parametrize("options", [dict(state="absent"), dict(labels={"tier": "b"}, on_change="recreate")])
def test_on_dependents_break_proceeds_and_names_what_is_left_broken(api, options):
    base_and_app(api)
    task, result = run(api, name="base", on_dependents="break", **options)
    assert result["changed"] is True and "deprovision" in [call[0] for call in api.writes()]
    assert task.broken_dependents == ["app"]
    assert "breaks app (dep-0002)" in task.warnings[0] and "DEP_E156" in task.warnings[0]


def test_dependents_the_same_batch_removes_do_not_count(api):
    base_and_app(api)
    clock = FakeClock()
    task = DeploymentTask(api, params(name="base", state="absent"), clock=clock, sleeper=clock.sleep)
    task.removed_alongside = frozenset(["app"])
    assert task.absent()["changed"] is True
    assert task.broken_dependents == []


def test_a_deployment_nothing_depends_on_is_removed_as_before(api):
    base_and_app(api)
    _task, result = run(api, name="app", state="absent")
    assert result["changed"] is True


def test_check_mode_with_on_dependents_break_says_what_would_break(api):
    base_and_app(api)
    task, result = run(api, check_mode=True, name="base", state="absent", on_dependents="break")
    assert result["changed"] is True and api.writes() == []
    assert task.broken_dependents == ["app"]
    assert "would break app (dep-0002) unless they are removed first" in task.warnings[0]


# -- the networks it joins: provisioned without waiting for them, waited for with the deployment --------
NETWORK = [{"name": "fleet-net", "network_interface": None}]


def starting_network(api, fails=None):
    network = api.networks["routednetwork"][0]
    network.update(phase="In progress", fails=fails)
    return network


def test_a_starting_network_is_waited_for_after_the_provisioning(api):
    starting_network(api)
    task, result = run(api, routed_networks=NETWORK)
    names = [call[0] for call in api.calls]
    assert names.index("provision") < names.index("get_network"), names
    assert len(calls_named(api, "get_network")) == api.ready_after
    assert result["changed"] is True and result["deployment"]["status"] == "Running"
    assert api.networks["routednetwork"][0]["phase"] == "Succeeded"
    assert task.waited > 0


def test_a_network_that_fails_fails_the_task_naming_it(api):
    starting_network(api, fails="DEP_E209")
    task = DeploymentTask(api, params(routed_networks=NETWORK), clock=FakeClock(), sleeper=lambda _s: None)
    with pytest.raises(DeploymentFailed) as err:
        task.present()
    assert "DEP_E209" in str(err.value) and "Failed to start" in str(err.value)
    for needle in ("routed_networks[0]", "routed network fleet-net (net-aaaa)", "deployment web"):
        assert needle in task.action, task.action
    assert task.wrote is True and [call[0] for call in api.writes()] == ["provision"]


def test_running_networks_cost_no_request(api):
    run(api, routed_networks=NETWORK)
    _task, again = run(api, routed_networks=NETWORK)
    assert again["changed"] is False
    assert calls_named(api, "get_network") == []


def test_a_converged_deployment_waits_for_its_starting_network(api):
    run(api, routed_networks=NETWORK)
    starting_network(api)
    api.calls = []
    _task, again = run(api, routed_networks=NETWORK)
    assert again["changed"] is False and api.writes() == []
    assert len(calls_named(api, "get_network")) == api.ready_after
    assert len(calls_named(api, "get_deployment")) == 1  # the comparison's read is the wait's first poll


@pytest.mark.parametrize("options", [dict(wait=False), dict(check_mode=True)])
def test_no_network_is_waited_for_without_a_wait(api, options):
    starting_network(api)
    run(api, routed_networks=NETWORK, **options)
    assert calls_named(api, "get_network") == []


# -- compare: auto and the record of the provisioning context ---------------------------------------
# rio_deployment_batch over test_batch's in-memory transport, which lists deployments as the platform
# does (labels, parameters and dependencies, no provisioning context): DeploymentTask._compare with
# compare_from_list, and the label rapyuta.rio/context-digest every provisioning carries.
NETWORKS = [{"guid": "net-aaaa", "name": "fleet-net", "runtime": "cloud", "phase": "Succeeded"},
            {"guid": "net-bbbb", "name": "other-net", "runtime": "cloud", "phase": "Succeeded"}]
ROSBAG_PACKAGE = "pkg-rosbags"
ROSBAG_DEVICE = "11111111-1111-4111-8111-111111111107"


class NetworkTransport(FakeTransport):
    """test_batch's platform with two routed networks and a package whose component declares a ROS bag job."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        manifest = load_manifest("talker-docker.json")
        manifest["name"] = "talker-rosbags"
        manifest["plans"][0]["components"][0]["rosBagJobDefs"] = [
            {"name": "all-topics", "recordOptions": {"allTopics": True, "maxSplits": 5}}]
        self.packages[ROSBAG_PACKAGE] = stored_package(manifest, ROSBAG_PACKAGE)
        rosbag_device = device(ROSBAG_DEVICE, "robot-rosbags")
        rosbag_device["config_variables"].append({"key": "rosbag_mount_path", "value": "/opt/rapyuta/volumes/rosbag"})
        self.devices.append(rosbag_device)
        self.architectures[ROSBAG_DEVICE] = "amd64"

    def _route(self, method, path, params, body):
        if (method, path) == ("GET", "/routednetwork"):
            return NETWORKS
        if (method, path) in (("GET", "/nativenetwork"), ("GET", "/api/staticroute/list"), ("GET", "/disk")):
            return []
        return super()._route(method, path, params, body)

    def only(self, name):
        return next(dep for dep in self.deployments.values() if dep["name"] == name and dep["phase"] != "Deployment stopped")


def networked(name, network="fleet-net", **overrides):
    item = item_params(name, routed_networks=[{"name": network, "network_interface": None}], **overrides)
    item["components"][0]["restart_policy"] = "always"
    return item


def rerun_batch(transport, items, **kwargs):
    transport.log[:] = []
    return run_batch(transport, items, **kwargs)


def test_every_provisioned_deployment_carries_the_record_and_results_leave_it_out():
    transport = NetworkTransport()
    results, _summary = run_batch(transport, [networked("talker-00", labels={"site": "north"}), item_params("talker-01")])
    for result in results:
        labels = dict((entry["key"], entry["value"]) for entry in transport.only(result["name"])["labels"])
        assert re.match(r"^[0-9a-f]{40}$", labels.pop(CONTEXT_RECORD_LABEL)), labels
        assert result["deployment"]["labels"] == labels
    assert results[0]["deployment"]["labels"] == {"site": "north"}
    # the record is of what the list does not show: the two deployments differ there
    recorded = [transport.only(name)["labels"] for name in ("talker-00", "talker-01")]
    assert recorded[0] != recorded[1]


def test_a_converged_rerun_of_deployments_with_a_context_reads_none_of_them():
    transport = NetworkTransport()
    items = [networked("talker-%02d" % index) for index in range(6)]
    run_batch(transport, items)
    results, summary = rerun_batch(transport, items)
    assert summary["unchanged"] == 6 and transport.writes() == []
    assert transport.requests("GET", "/serviceinstance/") == []
    # the deployment list, the catalog, the package, the devices and the routed networks, once each
    assert len(transport.log) == 5, transport.log
    assert results[0]["deployment"]["config"]["routed_networks"] == {"net-aaaa": {"network_interface": None}}
    assert results[0]["deployment"]["status"] is None


@pytest.mark.parametrize("change, field", [
    (lambda item: item.update(routed_networks=[{"name": "other-net", "network_interface": None}]), "routed_networks.net-aaaa"),
    (lambda item: item.update(routed_networks=[]), "routed_networks.net-aaaa"),
    (lambda item: item["components"][0].update(restart_policy="never"), "components.default.restart_policy"),
])
def test_a_changed_context_is_seen_and_decided_on_the_full_deployment(change, field):
    transport = NetworkTransport()
    run_batch(transport, [networked("talker-00"), networked("talker-01")])
    changed = [networked("talker-00"), networked("talker-01", on_change="recreate")]
    change(changed[1])
    results, summary = rerun_batch(transport, changed)
    assert summary["changed_names"] == ["talker-01"]
    assert field in [difference["field"] for difference in results[1]["differences"]]
    # the unchanged one from the list, the changed one read in full before its recreation
    reads = [path for method, path in transport.log if method == "GET" and path.startswith("/serviceinstance/")]
    assert reads[0] == "/serviceinstance/dep-0002" and "/serviceinstance/dep-0001" not in reads
    assert [entry[0] for entry in transport.writes()] == ["DELETE", "PUT"]


def test_a_deployment_someone_else_reprovisioned_without_the_record_is_read_in_full():
    transport = NetworkTransport()
    run_batch(transport, [networked("talker-00"), networked("talker-01")])
    # someone else replaced talker-01 with a deployment on another network (new context, no record)
    replaced = transport.only("talker-01")
    replaced["provisionContext"]["routedNetworks"] = [{"guid": "net-bbbb"}]
    replaced["provisionContext"]["labels"] = replaced["labels"] = []
    items = [networked("talker-00"), networked("talker-01", on_change="recreate")]
    results, summary = rerun_batch(transport, items, check_mode=True)
    assert summary["changed_names"] == ["talker-01"]
    assert [difference["field"] for difference in results[1]["differences"]] == [
        "routed_networks.net-aaaa", "routed_networks.net-bbbb"]
    assert transport.requests("GET", "/serviceinstance/") == [("GET", "/serviceinstance/" + replaced["deploymentId"])]


def test_a_copied_record_is_trusted_by_auto_and_seen_through_by_full():
    """The documented trade-off: a deployment provisioned by other means with a record copied
    from another is compared as if its context were the recorded one."""
    transport = NetworkTransport()
    run_batch(transport, [networked("talker-00")])
    forged = transport.only("talker-00")
    forged["provisionContext"]["routedNetworks"] = [{"guid": "net-bbbb"}]
    _results, summary = rerun_batch(transport, [networked("talker-00", on_change="recreate")], check_mode=True)
    assert summary["unchanged"] == 1
    results, summary = rerun_batch(transport, [networked("talker-00", on_change="recreate")], check_mode=True,
                                   compare="full")
    assert summary["changed_names"] == ["talker-00"]
    assert "routed_networks.net-bbbb" in [difference["field"] for difference in results[0]["differences"]]


def test_user_labels_stay_compared_exactly_beside_the_record():
    transport = NetworkTransport()
    run_batch(transport, [networked("talker-00", labels={"site": "north", "tier": "edge"})])
    relabelled = networked("talker-00", labels={"site": "south", "tier": "edge"}, on_change="recreate")
    results, summary = rerun_batch(transport, [relabelled], check_mode=True)
    assert summary["changed_names"] == ["talker-00"]
    assert results[0]["differences"] == [{"field": "labels.site", "desired": "south", "live": "north"}]
    one_label_less = networked("talker-00", labels={"site": "north"}, on_change="recreate")
    _results, summary = rerun_batch(transport, [one_label_less], check_mode=True)
    assert summary["changed_names"] == ["talker-00"]


def test_deployments_provisioned_without_the_record_are_compared_as_before():
    transport = NetworkTransport()
    items = [networked("talker-00"), item_params("talker-01")]
    run_batch(transport, items)
    for dep in transport.deployments.values():
        dep["labels"] = dep["provisionContext"]["labels"] = []
    _results, summary = rerun_batch(transport, items)
    assert summary["unchanged"] == 2 and transport.writes() == []
    # the one that declares a context is read in full, the other is compared from the list
    assert transport.requests("GET", "/serviceinstance/") == [("GET", "/serviceinstance/dep-0001")]


def test_a_package_s_own_rosbag_jobs_are_not_a_difference_of_a_listed_deployment():
    """The list does not show the ROS bag jobs the package adds to every deployment: without the
    record such a deployment is read in full, never reported as differing from its list entry."""
    transport = NetworkTransport()
    item = item_params("rosbags-00", package_name="talker-rosbags", on_change="recreate",
                       device_name="robot-rosbags")
    run_batch(transport, [item])
    dep = transport.only("rosbags-00")
    _results, summary = rerun_batch(transport, [item])
    assert summary["unchanged"] == 1 and transport.writes() == [] and transport.requests("GET", "/serviceinstance/") == []
    dep["labels"] = dep["provisionContext"]["labels"] = []
    _results, summary = rerun_batch(transport, [item])
    assert summary["unchanged"] == 1 and transport.writes() == []
    assert transport.requests("GET", "/serviceinstance/") == [("GET", "/serviceinstance/" + dep["deploymentId"])]


def test_the_reserved_key_is_refused_in_a_task_s_labels():
    with pytest.raises(DeploymentInputError) as error:
        check_spec(item_params("talker-00", labels={CONTEXT_RECORD_LABEL: "0" * 40}))
    assert error.value.field == "labels." + CONTEXT_RECORD_LABEL
    transport = NetworkTransport()
    results, _summary = run_batch(transport, [item_params("talker-00", labels={CONTEXT_RECORD_LABEL: "0" * 40})])
    assert results[0]["failed"] and CONTEXT_RECORD_LABEL in results[0]["msg"]
    assert transport.log == [("GET", "/deployment/list"), ("GET", "/v2/catalog"), ("GET", "/api/device-manager/v0/devices/")]
