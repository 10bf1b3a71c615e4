# Copyright: (c) 2026, rapyuta.rio contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""The routed and native network kinds: their wire bodies, device rules, and the normal form compared."""

import pytest
from resource_fakes import ROBOT, FakeApi, run

from ansible_collections.rapyuta.rio.plugins.module_utils.resources.ensure import ResourceInputError, ResourceInUse, differences
from ansible_collections.rapyuta.rio.plugins.module_utils.resources.network import (
    NativeNetworkKind,
    RoutedNetworkKind,
    network_argument_spec,
    normalize_limits,
    restart_policy_from_wire,
    status_view,
)


@pytest.fixture
def api():
    return FakeApi(ready_after=2)


# -- networks --------------------------------------------------------------------------------------
def test_a_cloud_routed_network_is_created_with_the_sdk_body_and_waited_for(api):
    out = run(RoutedNetworkKind(), api, limits={"cpu": 1, "memory": 4096}, shared=True)
    assert out["changed"] and out["action"] == "create"
    body = api.writes()[0][2]
    assert body == {"name": "net-a", "runtime": "cloud", "rosDistro": "melodic", "shared": True,
                    "parameters": {"limits": {"cpu": 1.0, "memory": 4096}}}
    assert out["result"]["phase"] == "Succeeded" and out["result"]["status"] == "Running"
    assert out["before"] == {} and out["after"]["limits"] == {"cpu": 1.0, "memory": 4096}


def test_a_cloud_routed_network_without_limits_sends_empty_parameters(api):
    run(RoutedNetworkKind(), api, wait=False)
    assert api.writes()[0][2]["parameters"] == {}


def test_a_device_routed_network_resolves_the_device_and_sends_the_default_policy(api):
    out = run(RoutedNetworkKind(), api, device="robot-1", network_interface="eth0")
    assert api.writes()[0][2] == {"name": "net-a", "runtime": "device", "rosDistro": "melodic", "shared": False,
                                  "parameters": {"device_id": ROBOT["uuid"], "NETWORK_INTERFACE": "eth0",
                                                 "restart_policy": "always"}}
    assert out["result"]["device_id"] == ROBOT["uuid"] and out["result"]["restart_policy"] == "always"


def test_restart_policy_goes_on_the_wire_in_the_sdk_spelling(api):
    run(NativeNetworkKind(), api, device="robot-1", network_interface="eth0", restart_policy="on_failure", wait=False)
    assert api.writes()[0][2]["parameters"]["restart_policy"] == "on-failure"
    out = run(NativeNetworkKind(), api, device="robot-1", network_interface="eth0", restart_policy="on_failure", wait=False)
    assert out["changed"] is False


def test_omitted_limits_are_not_compared(api):
    run(RoutedNetworkKind(), api, limits={"cpu": 2, "memory": 2048})
    assert run(RoutedNetworkKind(), api)["changed"] is False


@pytest.mark.parametrize("kind, options, field, text", [
    (NativeNetworkKind(), dict(device="robot-1", network_interface="eth0", ros_distro="noetic"), "ros_distro", "noetic"),
    (RoutedNetworkKind(), dict(device="robot-1", network_interface="eth0", limits={"cpu": 1, "memory": 1}), "limits",
     "cloud routed networks only"),
    (RoutedNetworkKind(), dict(device="robot-1", network_interface="wlan0"), "network_interface",
     "its interfaces: docker0, eth0"),
    (RoutedNetworkKind(), dict(device="robot-9", network_interface="eth0"), "device", "'robot-9' not found"),
    (RoutedNetworkKind(), dict(runtime="device"), "device", "needs the device option"),
    (RoutedNetworkKind(), dict(device="robot-1"), "network_interface", "needs network_interface"),
    (RoutedNetworkKind(), dict(runtime="cloud", device="robot-1", network_interface="eth0"), "device", "only for runtime=device"),
    (RoutedNetworkKind(), dict(restart_policy="always"), "restart_policy", "only for runtime=device"),
    (NativeNetworkKind(), dict(limits={"cpu": -1, "memory": 5}), "limits.cpu", "positive"),
])
def test_bad_network_inputs_fail_before_any_write(api, kind, options, field, text):
    for check_mode in (True, False):
        with pytest.raises(ResourceInputError) as err:
            run(kind, api, check_mode=check_mode, **options)
        assert err.value.field == field
        assert text in str(err.value)
    assert api.writes() == []


def test_limits_from_the_wire_are_normalized():
    assert normalize_limits({"cpu": "0.5", "memory": "1024"}) == {"cpu": 0.5, "memory": 1024}
    assert normalize_limits({}) is None
    assert differences({"limits": {"cpu": 1.0, "memory": 2}}, {"limits": normalize_limits({"cpu": 1, "memory": 2})}) == []


def test_restart_policies_read_back_from_the_wire():
    assert restart_policy_from_wire("on-failure") == "on_failure"
    assert restart_policy_from_wire("no") == "never"
    assert restart_policy_from_wire("always") == "always"
    assert restart_policy_from_wire("") is None and restart_policy_from_wire(None) is None
    assert restart_policy_from_wire("sometimes") == "sometimes"  # unknown: shown as the platform says it


def test_the_status_comes_from_the_top_or_the_internal_deployment():
    inner = {"internalDeploymentStatus": {"phase": "In progress", "status": "Pending", "error_code": ["DEP_E153"]}}
    view = status_view(inner)
    assert view["phase"] == "In progress" and view["status"] == "Pending"
    assert status_view(dict(inner, phase="Succeeded", status="Running"))["phase"] == "Succeeded"


def test_only_routed_networks_take_limits_and_sharing():
    routed, native = network_argument_spec(routed=True), network_argument_spec(routed=False)
    assert "limits" in routed and "shared" in routed
    assert "shared" not in native
    assert routed["restart_policy"]["choices"] == ["always", "never", "on_failure"]


# -- refusals before the first write (issue 17) -------------------------------------------------------
@pytest.mark.parametrize("kind", [RoutedNetworkKind(), NativeNetworkKind()])
def test_a_network_on_an_offline_device_is_refused_before_any_write(api, kind):
    api.device_status = "OFFLINE"
    for check_mode in (True, False):
        with pytest.raises(ResourceInputError) as err:
            run(kind, api, check_mode=check_mode, device="robot-1", network_interface="eth0")
        assert err.value.field == "device"
        assert "OFFLINE" in str(err.value) and "DEP_E151" in str(err.value)
    assert api.writes() == []


@pytest.mark.parametrize("kind, key", [(RoutedNetworkKind(), "routedNetworks"), (NativeNetworkKind(), "nativeNetworks")])
def test_deleting_a_network_a_deployment_uses_is_refused_naming_it(api, kind, key):
    guid = run(kind, api)["result"]["guid"]
    api.deploy("talker", **{key: [{"guid": guid}]})
    api.deploy("old", phase="Deployment stopped", **{key: [{"guid": guid}]})
    api.deploy("other", **{key: [{"guid": "net-000000000000000000000000"}]})
    before = len(api.writes())
    for check_mode in (True, False):
        with pytest.raises(ResourceInUse) as err:
            run(kind, api, check_mode=check_mode, state="absent")
        assert "'talker' (dep-talker, Succeeded)" in str(err.value)
        assert "old" not in str(err.value) and "other" not in str(err.value)
    assert len(api.writes()) == before
    api.deployments[0]["phase"] = "Deployment stopped"
    assert run(kind, api, state="absent")["changed"] is True
