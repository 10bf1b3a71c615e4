# Copyright: (c) 2026, rapyuta.rio contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""The network, volume and static route modules on v2: options to one document, refusals before any
write, the shared applier's plan (create, converge, drift, recreate, update, absent, waits), and the
v1 result keys mapped from the v2 object."""

import types

import pytest
from fake_clock import FakeClock
from resource_fakes import ROBOT, FakeApi
from v2_fakes import FakeV2Api

from ansible_collections.rapyuta.rio.plugins.module_utils.resources.ensure import ResourceInputError, ResourceInUse
from ansible_collections.rapyuta.rio.plugins.module_utils.resources.network import NativeNetworkKind, RoutedNetworkKind
from ansible_collections.rapyuta.rio.plugins.module_utils.resources.v2 import (
    V2Network,
    V2StaticRoute,
    V2Volume,
    converge,
    organization_short_id,
    run_v2,
)
from ansible_collections.rapyuta.rio.plugins.module_utils.v1.api import LookupCache
from ansible_collections.rapyuta.rio.plugins.module_utils.v1.wait import DeploymentFailed
from ansible_collections.rapyuta.rio.plugins.module_utils.v2.apply import ApplyRefused

WAIT = {"timeout": 60, "sleep": 0.8}
ORG = "org-aaaaaaaaaaaaaaaaaaaaaaaa"


class FakeClient:
    """``GET /v2/users/me/`` only, with the organizations given; logs the headers it was asked to send."""

    def __init__(self, organizations=(("org-aaaaaaaaaaaaaaaaaaaaaaaa", "acme"),), organization=None):
        self.organization = organization
        self.organizations = organizations
        self.requests = []

    def request(self, method, service, path, headers=None, **_kwargs):
        self.requests.append((method, service, path, headers))
        assert (method, service, path) == ("GET", "v2", "/v2/users/me/")
        return {"kind": "User", "spec": {"organizations": [{"guid": guid, "shortGUID": short}
                                                           for guid, short in self.organizations]}}


class CachingV2Api(FakeV2Api):
    """As RioV2Api: a run's reads are kept (``cached=True``) until it writes; a poll reads again."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._kept = {}

    def find(self, kind, name, version=None, cached=True):
        key = (kind, name, version)
        if cached and key in self._kept:
            return self._kept[key]
        found = super().find(kind, name, version, cached)
        if cached:
            self._kept[key] = found
        return found

    def _forget(self, result):
        self._kept.clear()
        return result

    def create(self, kind, body):
        return self._forget(super().create(kind, body))

    def delete(self, kind, name, version=None):
        return self._forget(super().delete(kind, name, version))

    def put(self, kind, name, body):
        return self._forget(super().put(kind, name, body))


def platform(**kwargs):
    api = CachingV2Api(**kwargs)
    api.client = FakeClient()
    api.cache = LookupCache()
    return api


def params(**options):
    base = dict(name="net-a", state="present", on_change="fail", runtime=None, ros_distro="melodic", limits=None,
                device=None, network_interface=None, restart_policy=None, shared=False, capacity=None,
                disk_type="ssd", source_ip_range=None)
    base.update(options)
    return base


def apply(resource, api, devices=None, check_mode=False, wait=True, **options):
    """One module run: its own cache of reads, a fake clock."""
    api._kept.clear()
    api.cache = LookupCache()
    clock = FakeClock()
    rio = types.SimpleNamespace(api=devices or FakeApi())
    return converge(resource, rio, api, params(**options), check_mode=check_mode, wait=WAIT if wait else None,
                    clock=clock, sleeper=clock.sleep)


def routed():
    return V2Network(RoutedNetworkKind(), "routed")


def native():
    return V2Network(NativeNetworkKind(), "native")


def posted(api):
    return [call for call in api.writes() if call[0] == "create"]


def created_body(api, kind, name):
    return api.objects[api.key(kind, name)]


# -- networks --------------------------------------------------------------------------------------
def test_a_cloud_routed_network_becomes_one_network_document_and_is_waited_for():
    api = platform(phases=[("InProgress", "Pending"), ("Succeeded", "Running")])
    out = apply(routed(), api, ros_distro="noetic", limits={"cpu": 1.0, "memory": 4096})
    assert out["changed"] is True and out["action"] == "create"
    assert created_body(api, "Network", "net-a")["spec"] == {
        "type": "routed", "rosDistro": "noetic", "runtime": "cloud", "resourceLimits": {"cpu": 1.0, "memory": 4096}}
    assert out["result"]["phase"] == "Succeeded" and out["result"]["status"] == "Running"
    assert out["result"]["guid"] == out["resource"]["metadata"]["guid"] and out["result"]["shared"] is False
    assert out["result"]["limits"] == {"cpu": 1.0, "memory": 4096} and out["result"]["error_codes"] == []
    assert out["before"] == {} and out["after"]["spec"]["rosDistro"] == "noetic"
    assert out["msg"] == "routed network 'net-a' created"


def test_a_converged_network_is_read_once_and_nothing_is_written():
    api = platform()
    apply(routed(), api, limits={"cpu": 0.5, "memory": 1024})
    api.calls.clear()
    out = apply(routed(), api, limits={"cpu": 0.5, "memory": 1024})
    assert out["changed"] is False and out["action"] == "none"
    assert api.calls == [("get", "Network", "net-a", None)]
    assert out["before"] == out["after"]
    assert out["msg"] == "routed network 'net-a' is already present as declared"


def test_omitted_limits_and_restart_policy_are_not_compared():
    api = platform()
    devices = FakeApi()
    apply(routed(), api, devices, device="robot-1", network_interface="eth0", restart_policy="never")
    apply(routed(), api, limits={"cpu": 2.0, "memory": 2048}, name="cloud-net")
    assert apply(routed(), api, devices, device="robot-1", network_interface="eth0")["changed"] is False
    assert apply(routed(), api, name="cloud-net")["changed"] is False


def test_a_device_network_names_its_device_and_gets_the_v1_default_policy():
    api = platform()
    out = apply(routed(), api, device="robot-1", network_interface="eth0")
    spec = created_body(api, "Network", "net-a")["spec"]
    assert spec["depends"] == {"kind": "Device", "nameOrGUID": "robot-1"}
    assert spec["networkInterface"] == "eth0" and spec["restartPolicy"] == "always" and spec["runtime"] == "device"
    assert out["result"]["device_id"] == ROBOT["uuid"] and out["result"]["restart_policy"] == "always"


def test_a_native_device_network_sends_no_policy_unless_given_and_on_failure_in_the_v2_spelling():
    api = platform()
    apply(native(), api, device="robot-1", network_interface="eth0")
    assert "restartPolicy" not in created_body(api, "Network", "net-a")["spec"]
    out = apply(native(), api, device="robot-1", network_interface="eth0", restart_policy="on_failure", name="net-b")
    assert created_body(api, "Network", "net-b")["spec"]["restartPolicy"] == "onfailure"
    assert out["result"]["restart_policy"] == "on_failure"


def test_the_device_by_uuid_is_the_device_the_network_names():
    api = platform()
    apply(routed(), api, device="robot-1", network_interface="eth0")
    out = apply(routed(), api, device=ROBOT["uuid"], network_interface="eth0")
    assert out["changed"] is False and len(posted(api)) == 1


def test_shared_has_no_v2_counterpart_and_is_refused_before_any_request():
    api = platform()
    with pytest.raises(ResourceInputError) as refused:
        apply(routed(), api, shared=True)
    assert refused.value.field == "shared" and "remove the option" in str(refused.value)
    assert api.calls == []


@pytest.mark.parametrize("limits, field, value", [
    ({"cpu": 0.51, "memory": 1024}, "limits.cpu", "0.51"),
    ({"cpu": 8.0, "memory": 1024}, "limits.cpu", "8.0"),
    ({"cpu": 1.0, "memory": 1000}, "limits.memory", "1000"),
])
def test_limits_off_the_v2_steps_are_refused_before_any_request(limits, field, value):
    api = platform()
    with pytest.raises(ResourceInputError) as refused:
        apply(routed(), api, limits=limits)
    assert refused.value.field == field and value in str(refused.value)
    assert api.calls == []


def test_an_offline_device_is_refused_before_any_write_naming_dep_e151():
    api = platform()
    devices = FakeApi()
    devices.device_status = "OFFLINE"
    for check_mode in (False, True):
        with pytest.raises(ResourceInputError) as refused:
            apply(routed(), api, devices, check_mode=check_mode, device="robot-1", network_interface="eth0")
        assert refused.value.field == "device" and "DEP_E151" in str(refused.value)
    assert api.writes() == []


def test_an_unknown_interface_is_refused_before_any_write():
    api = platform()
    with pytest.raises(ResourceInputError) as refused:
        apply(native(), api, device="robot-1", network_interface="wlan9")
    assert refused.value.field == "network_interface" and "eth0" in str(refused.value)
    assert api.writes() == []


def test_a_network_that_fails_to_start_fails_at_once_with_the_decoded_cause():
    api = platform(phases=[("FailedToStart", "Error")], error_codes=["DEP_E151"])
    clock = FakeClock()
    with pytest.raises(DeploymentFailed) as failed:
        converge(routed(), types.SimpleNamespace(api=FakeApi()), api,
                 params(device="robot-1", network_interface="eth0"), wait=WAIT, clock=clock, sleeper=clock.sleep)
    assert "Network 'net-a' failed: phase 'FailedToStart'" in str(failed.value)
    assert "DEP_E151: the device is offline or unreachable" in str(failed.value)
    assert failed.value.changed is True and clock.now < 5


def test_drift_is_refused_naming_the_field_and_recreate_replaces_the_network():
    api = platform()
    apply(routed(), api)
    api.calls.clear()
    with pytest.raises(ApplyRefused) as refused:
        apply(routed(), api, ros_distro="noetic")
    assert "spec.rosDistro (live 'melodic', declared 'noetic')" in str(refused.value)
    assert "on_change=recreate" in str(refused.value) and api.writes() == []
    preview = apply(routed(), api, check_mode=True, ros_distro="noetic", on_change="recreate")
    assert preview["action"] == "recreate" and api.writes() == []
    out = apply(routed(), api, ros_distro="noetic", on_change="recreate")
    assert (preview["before"], preview["after"]) == (out["before"], out["after"])
    assert [call[0] for call in api.writes()] == ["delete", "create"]
    assert out["action"] == "recreate" and "spec.rosDistro" in out["msg"]
    assert out["before"]["spec"]["rosDistro"] == "melodic" and out["after"]["spec"]["rosDistro"] == "noetic"


def _used_by(api, kind, name, field):
    api.seed({"apiVersion": "api.rapyuta.io/v2", "kind": "Deployment", "metadata": {"name": "user-1"},
              "spec": {"runtime": "cloud", field: [{"depends": {"kind": kind, "nameOrGUID": name}}]}})


def test_a_network_in_use_is_neither_deleted_nor_recreated():
    api = platform()
    apply(routed(), api)
    _used_by(api, "network", "net-a", "rosNetworks")
    with pytest.raises(ResourceInUse) as in_use:
        apply(routed(), api, state="absent")
    assert "routed network 'net-a' is in use by deployments: 'user-1'" in str(in_use.value)
    with pytest.raises(ResourceInUse):
        apply(routed(), api, ros_distro="noetic", on_change="recreate")
    assert [call[0] for call in api.writes()] == ["create"]


def test_absent_deletes_once_then_finds_nothing_to_do():
    api = platform()
    apply(routed(), api)
    preview = apply(routed(), api, state="absent", check_mode=True)
    out = apply(routed(), api, state="absent")
    again = apply(routed(), api, state="absent")
    assert preview["action"] == out["action"] == "delete" and preview["before"] == out["before"]
    assert out["after"] == {} and out["result"]["name"] == "net-a"
    assert again["changed"] is False and again["action"] == "none" and again["result"] == {}
    assert [call[0] for call in api.writes()] == ["create", "delete"]


def test_check_mode_creation_writes_nothing_and_announces_the_document():
    api = platform()
    out = apply(routed(), api, check_mode=True, limits={"cpu": 0.5, "memory": 512})
    assert api.writes() == [] and out["changed"] is True and out["action"] == "create"
    assert out["result"]["guid"] is None and out["result"]["phase"] is None
    assert out["resource"]["spec"]["resourceLimits"] == {"cpu": 0.5, "memory": 512}
    assert out["msg"] == "routed network 'net-a' would be created"


# -- volumes ---------------------------------------------------------------------------------------
def test_a_volume_is_a_cloud_disk_waited_for_until_available():
    api = platform(disk_statuses=["Pending", "Available"])
    out = apply(V2Volume(), api, name="logs", capacity=32)
    assert created_body(api, "Disk", "logs")["spec"] == {"runtime": "cloud", "capacity": 32}
    assert out["result"]["status"] == "Available" and out["result"]["capacity"] == 32
    assert out["result"]["used_by"] is None and out["result"]["runtime"] == "cloud"
    assert apply(V2Volume(), api, name="logs", capacity=32)["changed"] is False


def test_a_volume_of_another_capacity_is_drift_handled_per_on_change():
    api = platform()
    apply(V2Volume(), api, name="logs", capacity=32)
    with pytest.raises(ApplyRefused) as refused:
        apply(V2Volume(), api, name="logs", capacity=64)
    assert "spec.capacity (live 32, declared 64)" in str(refused.value)
    out = apply(V2Volume(), api, name="logs", capacity=64, on_change="recreate")
    assert out["action"] == "recreate" and out["result"]["capacity"] == 64


def test_a_mounted_volume_is_not_deleted_and_its_user_is_reported():
    api = platform()
    apply(V2Volume(), api, name="logs", capacity=4)
    _used_by(api, "disk", "logs", "volumes")
    with pytest.raises(ResourceInUse) as in_use:
        apply(V2Volume(), api, name="logs", state="absent")
    assert "volume 'logs' is in use by deployments: 'user-1'" in str(in_use.value)
    bound = V2Volume().result({"metadata": {"name": "logs"}, "spec": {"capacity": 4},
                               "status": {"status": "Bound", "errorCode": "DISK_E1",
                                          "diskBound": {"deployment_guid": "dep-1", "deployment_name": "user-1"}}})
    assert (bound["used_by"], bound["used_by_deployment_name"], bound["errors"]) == ("dep-1", "user-1", ["DISK_E1"])


# -- static routes ---------------------------------------------------------------------------------
def test_a_route_is_created_under_the_name_given_and_found_again_under_the_stored_name():
    api = platform()
    out = apply(V2StaticRoute(), api, name="dash", source_ip_range=["10.0.0.0/8"])
    assert posted(api) == [("create", "StaticRoute", "dash")]
    assert out["after"] == {"spec": {"sourceIPRange": ["10.0.0.0/8"]}, "name": "dash"}
    # the platform stores it with the organization's short id
    stored = api.objects.pop(api.key("StaticRoute", "dash"))
    stored["metadata"]["name"] = "dash-acme"
    api.objects[api.key("StaticRoute", "dash-acme")] = stored
    api.calls.clear()
    again = apply(V2StaticRoute(), api, name="dash", source_ip_range=["10.0.0.0/8"])
    assert again["changed"] is False and api.writes() == []
    assert [call[2] for call in api.calls] == ["dash", "dash-acme"]
    assert again["result"]["name"] == "dash-acme"
    assert api.client.requests[0][3] == {"project": None, "organizationguid": None}


def test_a_route_given_with_its_suffix_is_created_without_it():
    api = platform()
    out = apply(V2StaticRoute(), api, name="dash-acme")
    assert posted(api) == [("create", "StaticRoute", "dash")]
    assert out["action"] == "create"
    assert apply(V2StaticRoute(), api, name="dash")["changed"] is False


def test_without_a_known_short_id_the_name_is_used_as_given():
    api = platform()
    api.client = FakeClient(organizations=((ORG, "acme"), ("org-bbbbbbbbbbbbbbbbbbbbbbbb", "beta")))
    assert organization_short_id(api) is None
    apply(V2StaticRoute(), api, name="dash-acme")
    assert posted(api) == [("create", "StaticRoute", "dash-acme")]
    picked = platform()
    picked.client = FakeClient(organizations=((ORG, "acme"), ("org-bbbbbbbbbbbbbbbbbbbbbbbb", "beta")),
                               organization="org-bbbbbbbbbbbbbbbbbbbbbbbb")
    assert organization_short_id(picked) == "beta"


def test_other_source_ranges_update_the_route_in_place():
    api = platform()
    apply(V2StaticRoute(), api, name="dash", source_ip_range=["10.0.0.0/8"])
    out = apply(V2StaticRoute(), api, name="dash", source_ip_range=["192.168.0.0/16"])
    assert out["action"] == "update" and [call[0] for call in api.writes()] == ["create", "put"]
    assert "spec.sourceIPRange" in out["msg"] and out["result"]["source_ip_range"] == ["192.168.0.0/16"]


@pytest.mark.parametrize("options, field", [
    ({"name": "Bad_Route!"}, "name"),
    ({"name": "dash", "source_ip_range": ["10.0.0.0/8", "10.0.0.300/8"]}, "source_ip_range[1]"),
    ({"name": "dash", "source_ip_range": ["somewhere"]}, "source_ip_range[0]"),
])
def test_bad_route_inputs_are_refused_before_any_request(options, field):
    api = platform()
    with pytest.raises(ResourceInputError) as refused:
        apply(V2StaticRoute(), api, **options)
    assert refused.value.field == field and api.calls == []


def test_a_route_in_use_is_not_deleted():
    api = platform()
    apply(V2StaticRoute(), api, name="dash")
    _used_by(api, "staticroute", "dash", "staticRoutes")
    with pytest.raises(ResourceInUse) as in_use:
        apply(V2StaticRoute(), api, name="dash", state="absent")
    assert "static route 'dash' is in use by deployments: 'user-1'" in str(in_use.value)


def test_a_route_in_use_under_its_short_name_is_not_deleted_under_its_stored_name():
    api = platform()
    api.seed({"apiVersion": "api.rapyuta.io/v2", "kind": "StaticRoute", "metadata": {"name": "dash-acme"}, "spec": {}})
    _used_by(api, "staticroute", "dash", "staticRoutes")
    with pytest.raises(ResourceInUse) as in_use:
        apply(V2StaticRoute(), api, name="dash-acme", state="absent")
    assert "static route 'dash-acme' is in use by deployments: 'user-1'" in str(in_use.value)
    assert api.writes() == []


# -- module glue -----------------------------------------------------------------------------------
class FakeRio:
    def __init__(self, api, check_mode=False, **options):
        self.params = params(wait=True, wait_timeout=60, wait_sleep=0.01, **options)
        self.check_mode = check_mode
        self.v2_api = api
        self.api = FakeApi()
        self.ended = None

    def fail(self, msg, **extra):
        self.ended = ("fail", dict(extra, msg=msg))

    def fail_from_error(self, exc, action, **extra):
        self.ended = ("fail", dict(extra, msg="%s: %s" % (action, exc)))

    def exit(self, changed, before=None, after=None, **result):
        self.ended = ("exit", dict(result, changed=changed, before=before, after=after))


def test_the_glue_returns_the_v1_keys_and_the_v2_object():
    rio = FakeRio(platform(), name="logs", capacity=8)
    run_v2(rio, V2Volume())
    how, result = rio.ended
    assert how == "exit" and result["changed"] is True and result["action"] == "create"
    assert result["volume"]["capacity"] == 8 and result["resource"]["kind"] == "Disk"


def test_the_glue_reports_a_refusal_with_its_field_and_nothing_changed():
    rio = FakeRio(platform(), shared=True)
    run_v2(rio, routed())
    how, result = rio.ended
    assert how == "fail" and result["field"] == "shared" and result["changed"] is False
    assert result["msg"].startswith("Failed to ensure routed network 'net-a' is present: shared=true: ")


def test_the_glue_reports_a_failed_wait_as_changed_with_the_network_as_it_was_last_seen():
    rio = FakeRio(platform(phases=[("FailedToStart", "Error")], error_codes=["DEP_E151"]))
    run_v2(rio, routed())
    how, result = rio.ended
    assert how == "fail" and result["changed"] is True
    assert result["network"]["error_codes"] == ["DEP_E151"] and result["network"]["phase"] == "FailedToStart"
    assert "DEP_E151: the device is offline or unreachable" in result["msg"]


def test_the_glue_reports_drift_and_use_as_refusals_that_changed_nothing():
    api = platform()
    apply(V2Volume(), api, name="logs", capacity=4)
    _used_by(api, "disk", "logs", "volumes")
    drift = FakeRio(api, name="logs", capacity=8)
    run_v2(drift, V2Volume())
    in_use = FakeRio(api, name="logs", state="absent")
    run_v2(in_use, V2Volume())
    assert drift.ended[0] == in_use.ended[0] == "fail"
    assert drift.ended[1]["changed"] is in_use.ended[1]["changed"] is False
    assert "spec.capacity (live 4, declared 8)" in drift.ended[1]["msg"]
    assert "volume 'logs' is in use by deployments: 'user-1'" in in_use.ended[1]["msg"]
    assert [call[0] for call in api.writes()] == ["create"]
