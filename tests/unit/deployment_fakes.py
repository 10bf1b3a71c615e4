# Copyright: (c) 2026, rapyuta.rio contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""Shared by the deployment unit tests (task, resolve, build, batch): an in-memory platform behind
just enough of RioApi, its devices and packages in stored form, and rio_deployment's options.

The fake keeps what a real project keeps (packages in stored form, devices, deployments that
move through their phases on reads) and records every call, so the tests can say which requests
a run made, and that a bad input made no write at all.
"""

import copy

from package_fakes import load_fixture

from ansible_collections.rapyuta.rio.plugins.module_utils.v1.api import RioLookupError, rows_by
from ansible_collections.rapyuta.rio.plugins.module_utils.transport.client import RioNotFound

WRITES = ("provision", "deprovision")
AMD64 = "11111111-1111-4111-8111-111111111101"
ARM = "11111111-1111-4111-8111-111111111102"
OFFLINE = "11111111-1111-4111-8111-111111111105"
# cpuarch values of the selection query (docs/reference/v1-api.md#selection-query) -> the package architecture they stand for
CPUARCH = {"x86_64": "amd64", "amd64": "amd64", "aarch64": "arm64v8", "armv7": "arm32v7"}


def load_manifest(name):
    return load_fixture(name)


def stored_package(manifest, package_id):
    """The stored shape of a manifest (docs/reference/v1-api.md#stored-package): nested components, plan and component ids."""
    info = copy.deepcopy(manifest)
    info["guid"] = package_id
    info["packageName"] = info.pop("name")
    for plan_index, plan in enumerate(info["plans"]):
        plan["planId"] = "plan-%s-%d" % (package_id, plan_index)
        plan["planName"] = plan["name"]
        components = plan["components"]
        plan["internalComponents"] = [
            {"componentId": "%s-comp-%d" % (package_id, index), "componentName": comp["name"],
             "runtime": comp["requiredRuntime"]} for index, comp in enumerate(components)]
        for comp in components:
            for exe_index, exe in enumerate(comp.get("executables") or []):
                exe["id"] = "exec-%s-%d" % (comp["name"], exe_index)
        plan["components"] = {"components": components}
        plan["inboundROSInterfaces"] = {"inboundROSInterfaces": plan.get("inboundROSInterfaces")}
    return info


def device(uuid, name, status="ONLINE", runtime="dockercompose"):
    return {"uuid": uuid, "name": name, "status": status,
            "config_variables": [{"key": "runtime", "value": runtime}, {"key": "ros_distro", "value": "melodic"}],
            "ip_interfaces": {"eth0": ["10.0.0.1"]}}


class FakeApi:
    """Just enough of RioApi, keeping state like the platform and logging calls."""

    def __init__(self, ready_after=1, fail_with=None):
        self.calls = []
        self.packages = {}
        self.deployments = {}
        self.devices = [device(AMD64, "robot-docker-amd64"), device(ARM, "robot-docker-arm64"),
                        device(OFFLINE, "robot-offline", status="OFFLINE")]
        # The device object has no architecture; only the selection query knows it (docs/reference/v1-api.md#selection-query).
        self.architectures = {AMD64: "amd64", ARM: "arm64v8", OFFLINE: "amd64"}
        self.selection_error = None
        self.routes = [{"guid": "staticroute-aaaa", "urlPrefix": "web-front"}]
        self.networks = {"routednetwork": [{"guid": "net-aaaa", "name": "fleet-net", "runtime": "cloud",
                                            "phase": "Succeeded"}],
                         "nativenetwork": []}
        self.disks = []
        self.ready_after = ready_after
        self.fail_with = fail_with or {}
        self._count = 0

    def _log(self, name, *args):
        self.calls.append((name,) + args)

    def writes(self):
        return [call for call in self.calls if call[0] in WRITES]

    # packages
    def add_package(self, manifest_name):
        manifest = load_manifest(manifest_name)
        package_id = "pkg-%s" % manifest["name"]
        self.packages[package_id] = stored_package(manifest, package_id)
        return package_id

    def list_packages(self, name=None, version=None):
        self._log("list_packages")
        return [{"packageId": pid, "packageName": info["packageName"], "packageVersion": info["packageVersion"]}
                for pid, info in self.packages.items()]

    def get_package(self, package_id):
        self._log("get_package", package_id)
        if package_id not in self.packages:
            raise RioNotFound(404, "GET", "/serviceclass/status", "Package not found")
        return copy.deepcopy(self.packages[package_id])

    def find_package(self, name, version):
        for item in self.list_packages():
            if item["packageName"] == name and item["packageVersion"] == version:
                return self.get_package(item["packageId"])
        return None

    # deployments
    def live_deployments(self):
        self._log("live_deployments")
        return [self._partial(dep) for dep in self.deployments.values()
                if dep["phase"] not in ("Deployment stopped", "Partially deprovisioned")]

    def live_deployments_by(self, field):
        return rows_by(self.live_deployments(), field)

    def find_deployments(self, name):
        return [dep for dep in self.live_deployments() if dep["name"] == name]

    def _partial(self, dep):
        partial = copy.deepcopy(dep)
        partial.pop("status", None)
        partial.pop("componentInfo", None)
        return partial

    def get_deployment(self, deployment_id):
        self._log("get_deployment", deployment_id)
        dep = self.deployments[deployment_id]
        dep["reads"] += 1
        if dep["phase"] == "In progress" and dep["reads"] >= self.ready_after:
            failure = self.fail_with.get(dep["name"])
            if failure:
                dep.update(phase="Failed to start", status="Error", errors=[failure])
                dep["componentInfo"][0]["errorCode"] = [failure]
            else:
                dep.update(phase="Succeeded", status="Running")
        return copy.deepcopy(dep)

    def provision(self, body):
        self._log("provision", body["context"]["name"])
        self._count += 1
        deployment_id = "dep-%04d" % self._count
        package = self.packages[body["service_id"]]
        plan = next(plan for plan in package["plans"] if plan["planId"] == body["plan_id"])
        context = copy.deepcopy(body["context"])
        self.deployments[deployment_id] = {
            "deploymentId": deployment_id, "name": context["name"], "packageId": body["service_id"],
            "packageName": package["packageName"], "planId": body["plan_id"], "phase": "In progress",
            "status": "Pending", "errors": None, "reads": 0,
            "parameters": copy.deepcopy(body["parameters"]), "provisionContext": context,
            "labels": context.get("labels") or [], "dependentDeployments": context.get("dependentDeployments") or [],
            "componentInfo": [{"componentID": comp["componentId"], "name": comp["componentName"],
                               "runtime": comp["runtime"], "status": "running", "phase": "In progress",
                               "errorCode": None} for comp in plan["internalComponents"]],
        }
        return self.get_deployment(deployment_id)

    def deprovision(self, deployment):
        self._log("deprovision", deployment["deploymentId"])
        self.deployments[deployment["deploymentId"]].update(phase="Deployment stopped", status="Stopped")

    # devices, routes, networks, disks
    def list_devices(self, name=None):
        self._log("list_devices")
        return [dev for dev in self.devices if name is None or dev["name"] == name]

    def get_device(self, uuid):
        self._log("get_device", uuid)
        return next((copy.deepcopy(dev) for dev in self.devices if dev["uuid"] == uuid), None)

    def find_device(self, name_or_uuid):
        matches = [dev for dev in self.list_devices() if name_or_uuid in (dev["uuid"], dev["name"])]
        if len(matches) > 1:
            raise RioLookupError("device name %s is shared" % name_or_uuid)
        return matches[0] if matches else None

    def select_devices(self, query):
        """Online devices whose architecture the query's cpuarch clauses name (as the platform answers)."""
        self._log("select_devices")
        if self.selection_error is not None:
            raise self.selection_error
        wanted = set(CPUARCH[clause["args"][1]] for clause in query["specs"]["args"])
        return [{"uuid": dev["uuid"], "name": dev["name"], "status": dev["status"]} for dev in self.devices
                if dev["status"] == "ONLINE" and self.architectures.get(dev["uuid"]) in wanted]

    def get_device_config_variables(self, uuid):
        self._log("config_variables", uuid)
        return [dict(var) for dev in self.devices if dev["uuid"] == uuid for var in dev["config_variables"]]

    def list_static_routes(self):
        self._log("list_static_routes")
        return list(self.routes)

    def list_networks(self, kind):
        self._log("list_networks", kind)
        return list(self.networks[kind])

    def find_network(self, kind, name):
        matches = [net for net in self.list_networks(kind) if net["name"] == name]
        return matches[0] if matches else None

    def get_network(self, kind, guid):
        """A network still starting is up (or failed, with ``fails``: its code) from the ready_after-th read."""
        self._log("get_network", kind, guid)
        network = next(net for net in self.networks[kind] if net["guid"] == guid)
        network["reads"] = network.get("reads", 0) + 1
        if network["phase"] == "In progress" and network["reads"] >= self.ready_after:
            if network.get("fails"):
                network.update(phase="Failed to start", status="Error", error_code=[network["fails"]])
            else:
                network.update(phase="Succeeded", status="Running")
        return copy.deepcopy(network)

    def list_disks(self):
        self._log("list_disks")
        return list(self.disks)


def params(**options):
    base = dict(name="web", state="present", package_id=None, package_name="nginx-single-component",
                package_version="v1.0.0", plan=None, components=[], labels={}, depends_on=[], routed_networks=[],
                native_networks=[], on_change="fail", wait=True, wait_timeout=30, wait_sleep=1.0)
    base.update(options)
    return base


def component(name, **options):
    entry = dict(name=name, device=None, ignore_device_config=[], alias=None, set_ros_namespace=False,
                 set_component_alias=True, parameters={}, restart_policy=None, rosbag_jobs=[], static_routes={},
                 volumes=[])
    entry.update(options)
    return entry


def talker(**options):
    base = dict(name="talker", package_name="talker-docker",
                components=[component("default", device="robot-docker-amd64", parameters={"RATE": "10"},
                                      restart_policy="on_failure")],
                labels={"site": "alpha"})
    base.update(options)
    return base


def add_volume(api, phase="In progress"):
    api.deployments["dep-vol"] = {
        "deploymentId": "dep-vol", "name": "data-volume", "packageId": "io-public-persistent-volume",
        "planId": "default", "phase": phase, "status": "Pending", "errors": None, "reads": 0, "parameters": {},
        "provisionContext": {}, "labels": [], "dependentDeployments": [],
        "componentInfo": [{"componentID": "io-pv", "name": "volumeComponent", "runtime": "cloud"}]}
    api.disks = [{"guid": "disk-1", "name": "data", "status": "Pending", "internalDeploymentGUID": "dep-vol"}]


def make_api(ready_after=3):
    """The fake platform with two packages: a cloud nginx and a device talker (docker runtime)."""
    fake = FakeApi(ready_after=ready_after)
    fake.add_package("nginx-single-component.json")
    fake.add_package("talker-docker.json")
    return fake
