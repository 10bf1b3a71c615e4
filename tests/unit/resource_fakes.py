# Copyright: (c) 2026, rapyuta.rio contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""Shared by the immutable-resource unit tests (ensure, network, volume, static_route): networks,
disks and routes of an in-memory platform behind the few RioApi calls the resource kinds make,
and ensure() run with a fake clock."""

from fake_clock import FakeClock

from ansible_collections.rapyuta.rio.plugins.module_utils.resources.ensure import ensure
from ansible_collections.rapyuta.rio.plugins.module_utils.transport.client import RioNotFound

ROBOT = {"uuid": "11111111-1111-4111-8111-111111111101", "name": "robot-1", "status": "ONLINE",
         "ip_interfaces": {"eth0": ["10.0.0.1"], "docker0": ["172.17.0.1"]}}


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
        self.device_status = ROBOT["status"]
        self.deployments = []  # full deployment objects (with provisionContext)

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
        return dict(ROBOT, status=self.device_status) if name_or_uuid in (ROBOT["name"], ROBOT["uuid"]) else None

    def get_device(self, uuid):
        self._log("get_device", uuid)
        return dict(ROBOT, status=self.device_status)

    # deployments: the list is partial (no provisionContext), as on the platform
    def deploy(self, name, phase="Succeeded", **context):
        self.deployments.append({"deploymentId": "dep-%s" % name, "name": name, "phase": phase,
                                 "provisionContext": dict(context, name=name)})

    def list_deployments(self, phases=None, package_id=None, device_id=None):
        self._log("list_deployments", phases)
        return [{k: v for k, v in dep.items() if k != "provisionContext"} for dep in self.deployments
                if not phases or dep["phase"] in phases]

    def get_deployment(self, deployment_id):
        self._log("get_deployment", deployment_id)
        return dict(next(dep for dep in self.deployments if dep["deploymentId"] == deployment_id))

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


def network_params(name="net-a", **options):
    """rio_routed_network / rio_native_network options, defaults filled in."""
    base = {"name": name, "state": "present", "runtime": None, "ros_distro": "melodic", "shared": False,
            "limits": None, "device": None, "network_interface": None, "restart_policy": None, "on_change": "fail"}
    base.update(options)
    return base


def run(kind, api, check_mode=False, wait=True, **options):
    """ensure() of a network kind with these options, waiting on a fake clock."""
    clock = FakeClock()
    wait_opts = {"timeout": 30, "sleep": 1.0} if wait else None
    return ensure(kind, api, network_params(**options), check_mode=check_mode, wait=wait_opts, sleeper=clock.sleep, clock=clock)
