# Copyright: (c) 2026, rapyuta.rio contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""ensure() with the network, volume and static route kinds, against an in-memory fake platform."""

import pytest

from ansible_collections.rapyuta.rio.plugins.module_utils.transport.client import RioNotFound
from ansible_collections.rapyuta.rio.plugins.module_utils.resources.network import (
    NativeNetworkKind,
    RoutedNetworkKind,
    normalize_limits,
)
from ansible_collections.rapyuta.rio.plugins.module_utils.resources.ensure import (
    ResourceInputError,
    ResourceInUse,
    differences,
    ensure,
)
from ansible_collections.rapyuta.rio.plugins.module_utils.resources.static_route import StaticRouteKind, check_route_name
from ansible_collections.rapyuta.rio.plugins.module_utils.resources.volume import VolumeKind
from ansible_collections.rapyuta.rio.plugins.module_utils.v1.wait import DeploymentFailed, WaitTimeout

ROBOT = {"uuid": "11111111-1111-4111-8111-111111111101", "name": "robot-1", "status": "ONLINE",
         "ip_interfaces": {"eth0": ["10.0.0.1"], "docker0": ["172.17.0.1"]}}


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.now += seconds


class FakeApi:
    """Networks, disks and routes in dicts; every call is logged; objects become ready after N reads."""

    def __init__(self, ready_after=1, final_phase="Succeeded", final_status="Running", disk_status="Available"):
        self.calls = []
        self.networks = {}
        self.disks = {}
        self.routes = {}
        self.ready_after = ready_after
        self.final_phase = final_phase
        self.final_status = final_status
        self.disk_status = disk_status
        self._reads = {}
        self._n = 0

    def _log(self, *call):
        self.calls.append(call)

    def writes(self):
        kinds = ("create_network", "delete_network", "create_disk", "delete_disk", "create_static_route",
                 "delete_static_route")
        return [call for call in self.calls if call[0] in kinds]

    def _guid(self, prefix):
        self._n += 1
        return "%s-%024d" % (prefix, self._n)

    # devices
    def find_device(self, name_or_uuid):
        self._log("find_device", name_or_uuid)
        return ROBOT if name_or_uuid in (ROBOT["name"], ROBOT["uuid"]) else None

    def get_device(self, uuid):
        self._log("get_device", uuid)
        return ROBOT

    # networks
    def find_network(self, kind, name):
        self._log("find_network", kind, name)
        for net in self.networks.values():
            if net["kind"] == kind and net["name"] == name and net["internalDeploymentStatus"]["phase"] != "Deployment stopped":
                return {k: v for k, v in net.items() if k != "kind"}
        return None

    def get_network(self, kind, guid):
        self._log("get_network", kind, guid)
        net = self.networks[guid]
        reads = self._reads[guid] = self._reads.get(guid, 0) + 1
        status = net["internalDeploymentStatus"]
        if status["phase"] == "In progress" and reads >= self.ready_after:
            status.update(phase=self.final_phase, status=self.final_status)
        if status["phase"] == "Deployment stopped":
            status["status"] = "Stopped"
        result = {k: v for k, v in net.items() if k != "kind"}
        result.update(phase=status["phase"], status=status.get("status"), error_code=status.get("error_code"))
        return result

    def create_network(self, kind, body):
        self._log("create_network", kind, body)
        guid = self._guid("net")
        net = dict(body, kind=kind, guid=guid, internalDeploymentGUID=self._guid("dep"),
                   internalDeploymentStatus={"phase": "In progress", "status": "Pending", "error_code": []})
        net.setdefault("parameters", {})
        self.networks[guid] = net
        self._reads[guid] = 0
        return self.get_network(kind, guid)

    def delete_network(self, kind, guid):
        self._log("delete_network", kind, guid)
        self.networks[guid]["internalDeploymentStatus"] = {"phase": "Deployment stopped", "error_code": []}

    # disks
    def find_disk(self, name):
        self._log("find_disk", name)
        for disk in self.disks.values():
            if disk["name"] == name:
                return dict(disk)
        return None

    def get_disk(self, guid):
        self._log("get_disk", guid)
        if guid not in self.disks:
            raise RioNotFound(404, "GET", "/disk/%s" % guid, "disk not found")
        disk = self.disks[guid]
        reads = self._reads[guid] = self._reads.get(guid, 0) + 1
        if disk["status"] == "Pending" and reads >= self.ready_after:
            disk["status"] = self.disk_status
        return dict(disk)

    def create_disk(self, name, capacity, disk_type="ssd"):
        self._log("create_disk", name, capacity, disk_type)
        guid = self._guid("disk")
        self.disks[guid] = {"guid": guid, "name": name, "capacity": capacity, "diskType": disk_type, "runtime": "cloud",
                            "status": "Pending", "errors": None, "usedBy": "", "usedByDeploymentName": ""}
        self._reads[guid] = 0
        return self.get_disk(guid)

    def delete_disk(self, guid):
        self._log("delete_disk", guid)
        del self.disks[guid]

    # static routes
    def find_static_route(self, name):
        self._log("find_static_route", name)
        for route in self.routes.values():
            if route["urlPrefix"] == name:
                return dict(route)
        return None

    def get_static_route(self, guid):
        self._log("get_static_route", guid)
        self.routes[guid]["urlString"] = "%s-p.ep-r.io" % self.routes[guid]["urlPrefix"]
        return dict(self.routes[guid])

    def create_static_route(self, name):
        self._log("create_static_route", name)
        guid = self._guid("staticroute")
        self.routes[guid] = {"guid": guid, "urlPrefix": name, "urlString": ""}
        return dict(self.routes[guid])

    def delete_static_route(self, guid):
        self._log("delete_static_route", guid)
        del self.routes[guid]


def params(name="net-a", **options):
    base = {"name": name, "state": "present", "runtime": None, "ros_distro": "melodic", "shared": False,
            "limits": None, "device": None, "network_interface": None, "restart_policy": None, "on_change": "fail"}
    base.update(options)
    return base


def run(kind, api, check_mode=False, wait=True, **options):
    clock = Clock()
    wait_opts = {"timeout": 30, "sleep": 1.0} if wait else None
    return ensure(kind, api, params(**options), check_mode=check_mode, wait=wait_opts, sleeper=clock.sleep, clock=clock)


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


def test_a_second_run_only_reads(api):
    run(RoutedNetworkKind(), api, limits={"cpu": 0.5, "memory": 1024})
    api.calls = []
    out = run(RoutedNetworkKind(), api, limits={"cpu": 0.5, "memory": 1024})
    assert out["changed"] is False and out["action"] == "none"
    assert api.writes() == []
    assert out["before"] == out["after"]
    assert out["result"]["status"] == "Running"


def test_a_second_run_without_wait_is_one_list_read(api):
    run(RoutedNetworkKind(), api)
    api.calls = []
    out = run(RoutedNetworkKind(), api, wait=False)
    assert out["changed"] is False
    assert [call[0] for call in api.calls] == ["find_network"]


def test_check_mode_announces_the_creation_without_writing(api):
    out = run(NativeNetworkKind(), api, check_mode=True, ros_distro="noetic")
    assert out["changed"] is True and out["action"] == "create"
    assert api.writes() == []
    assert out["result"]["guid"] is None and out["result"]["ros_distro"] == "noetic"


def test_a_differing_network_fails_naming_the_fields(api):
    run(RoutedNetworkKind(), api)
    api.calls = []
    with pytest.raises(ResourceInputError) as err:
        run(RoutedNetworkKind(), api, ros_distro="noetic", shared=True)
    assert "ros_distro (live 'melodic', declared 'noetic')" in str(err.value)
    assert "shared (live False, declared True)" in str(err.value)
    assert "on_change=recreate" in str(err.value)
    assert api.writes() == []


def test_omitted_limits_are_not_compared(api):
    run(RoutedNetworkKind(), api, limits={"cpu": 2, "memory": 2048})
    assert run(RoutedNetworkKind(), api)["changed"] is False


def test_recreate_deletes_waits_and_creates(api):
    run(RoutedNetworkKind(), api)
    api.calls = []
    out = run(RoutedNetworkKind(), api, ros_distro="kinetic", on_change="recreate")
    assert out["action"] == "recreate" and out["changed"]
    assert [call[0] for call in api.writes()] == ["delete_network", "create_network"]
    assert out["before"]["ros_distro"] == "melodic" and out["after"]["ros_distro"] == "kinetic"


def test_check_mode_recreate_writes_nothing(api):
    run(RoutedNetworkKind(), api)
    api.calls = []
    out = run(RoutedNetworkKind(), api, check_mode=True, ros_distro="kinetic", on_change="recreate")
    assert out["changed"] and api.writes() == []


def test_absent_twice(api):
    run(NativeNetworkKind(), api)
    first = run(NativeNetworkKind(), api, state="absent")
    second = run(NativeNetworkKind(), api, state="absent")
    assert first["changed"] and first["after"] == {} and first["before"]["runtime"] == "cloud"
    assert second["changed"] is False
    assert [call[0] for call in api.writes()] == ["create_network", "delete_network"]


def test_a_deleted_name_can_be_used_again(api):
    run(NativeNetworkKind(), api)
    run(NativeNetworkKind(), api, state="absent")
    assert run(NativeNetworkKind(), api)["action"] == "create"


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


def test_a_failed_network_fails_the_wait_with_decoded_errors():
    api = FakeApi(ready_after=1, final_phase="Failed to start", final_status="Error")
    with pytest.raises(DeploymentFailed) as err:
        run(NativeNetworkKind(), api)
    assert "native network 'net-a' failed" in str(err.value)
    assert "Failed to start" in str(err.value)


def test_a_slow_network_times_out_with_its_last_phase():
    api = FakeApi(ready_after=10 ** 6)
    with pytest.raises(WaitTimeout) as err:
        run(RoutedNetworkKind(), api)
    assert "routed network 'net-a' is not ready after" in str(err.value)
    assert "In progress" in str(err.value)


def test_limits_from_the_wire_are_normalized():
    assert normalize_limits({"cpu": "0.5", "memory": "1024"}) == {"cpu": 0.5, "memory": 1024}
    assert normalize_limits({}) is None
    assert differences({"limits": {"cpu": 1.0, "memory": 2}}, {"limits": normalize_limits({"cpu": 1, "memory": 2})}) == []


# -- volumes ---------------------------------------------------------------------------------------
def vol(api, check_mode=False, wait=True, **options):
    base = {"name": "db", "state": "present", "capacity": 32, "disk_type": "ssd", "on_change": "fail"}
    base.update(options)
    clock = Clock()
    return ensure(VolumeKind(), api, base, check_mode=check_mode,
                  wait={"timeout": 30, "sleep": 1.0} if wait else None, sleeper=clock.sleep, clock=clock)


def test_a_volume_is_created_waited_for_and_left_alone(api):
    out = vol(api)
    assert out["changed"] and out["result"]["status"] == "Available" and out["result"]["capacity"] == 32
    assert api.writes() == [("create_disk", "db", 32, "ssd")]
    api.calls = []
    again = vol(api)
    assert again["changed"] is False and api.writes() == []


def test_a_bound_volume_is_ready():
    api = FakeApi(disk_status="Bound")
    assert vol(api)["result"]["status"] == "Bound"


def test_a_failed_volume_fails_the_task():
    api = FakeApi(disk_status="Failed")
    with pytest.raises(DeploymentFailed) as err:
        vol(api)
    assert "volume 'db' failed: status 'Failed'" in str(err.value)


def test_a_volume_cannot_be_resized(api):
    vol(api)
    with pytest.raises(ResourceInputError) as err:
        vol(api, capacity=64)
    assert err.value.field == "capacity"
    assert "capacity (live 32, declared 64)" in str(err.value)


def test_a_volume_in_use_is_not_deleted(api):
    vol(api)
    disk = list(api.disks.values())[0]
    disk.update(usedBy="dep-abc", usedByDeploymentName="database")
    for check_mode in (True, False):
        with pytest.raises(ResourceInUse) as err:
            vol(api, state="absent", check_mode=check_mode)
        assert "in use by deployment 'database' (dep-abc)" in str(err.value)
    with pytest.raises(ResourceInUse):
        vol(api, capacity=64, on_change="recreate")
    assert [call[0] for call in api.writes()] == ["create_disk"]


def test_a_volume_is_deleted_once(api):
    vol(api)
    assert vol(api, state="absent")["changed"] is True
    assert vol(api, state="absent")["changed"] is False
    assert api.disks == {}


# -- static routes ---------------------------------------------------------------------------------
def route(api, name, check_mode=False, state="present"):
    return ensure(StaticRouteKind(), api, {"name": name, "state": state}, check_mode=check_mode)


def test_a_static_route_gets_its_url_from_a_later_read(api):
    out = route(api, "dashboard-prod")
    assert out["changed"] and out["result"]["url"] == "https://dashboard-prod-p.ep-r.io"
    assert out["result"]["guid"].startswith("staticroute-")
    api.calls = []
    again = route(api, "dashboard-prod")
    assert again["changed"] is False and again["result"]["url_string"] == "dashboard-prod-p.ep-r.io"
    assert api.writes() == []


def test_static_route_check_mode_and_absent(api):
    assert route(api, "abcd", check_mode=True)["changed"] and api.writes() == []
    route(api, "abcd")
    assert route(api, "abcd", state="absent")["changed"]
    assert route(api, "abcd", state="absent")["changed"] is False


@pytest.mark.parametrize("name, reason", [
    ("abc", "4 to 64 characters"),
    ("a" * 65, "4 to 64 characters"),
    ("1abc", "start with a lower-case letter"),
    ("Abcd", "start with a lower-case letter"),
    ("ab_cd", "lower-case letters, digits and '-'"),
])
def test_bad_route_names_are_refused_before_any_request(api, name, reason):
    assert reason in check_route_name(name)
    with pytest.raises(ResourceInputError) as err:
        route(api, name)
    assert err.value.field == "name" and name in str(err.value)
    assert api.writes() == []


def test_good_route_names():
    assert check_route_name("abcd") is None
    assert check_route_name("a-1-" + "b" * 60) is None


def test_a_failed_wait_after_a_creation_says_something_changed():
    api = FakeApi(ready_after=1, final_phase="Failed to start", final_status="Error")
    with pytest.raises(DeploymentFailed) as err:
        run(RoutedNetworkKind(), api)
    assert err.value.changed is True
    assert err.value.result["guid"].startswith("net-") and err.value.result["phase"] == "Failed to start"
