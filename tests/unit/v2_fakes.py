# Copyright: (c) 2026, rapyuta.rio contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""Shared by the v2 applier unit tests: an in-memory v2 platform behind the RioV2Api calls the applier
makes (find, get, list_objects, create, delete, put by kind), and documents of the kinds it applies."""

import copy

from deployment_fakes import CPUARCH

from ansible_collections.rapyuta.rio.plugins.module_utils.transport.client import RioConflict, RioNotFound


class FakeV2Devices:
    """The v1 device manager calls of RioV2Api.devices, as the platform answers them; ``calls`` logs
    each read. A device is ONLINE unless its ``status`` says otherwise, amd64 unless ``arch`` does."""

    def __init__(self, devices):
        self.devices = [dict({"status": "ONLINE", "arch": "amd64"}, **device) for device in devices]
        self.calls = []

    def find_device(self, name_or_uuid):
        self.calls.append(("find_device", name_or_uuid))
        found = next((dev for dev in self.devices if name_or_uuid in (dev["name"], dev["uuid"])), None)
        return dict((key, value) for key, value in found.items() if key != "arch") if found else None

    def select_devices(self, query):
        wanted = set(CPUARCH[clause["args"][1]] for clause in query["specs"]["args"])
        self.calls.append(("select_devices", tuple(sorted(wanted))))
        return [{"uuid": dev["uuid"]} for dev in self.devices if dev["status"] == "ONLINE" and dev["arch"] in wanted]


class FakeV2Api:
    """Objects by (kind, name, version); every call logged. A deployment or network reads ``phases``
    in turn after its creation (the last one stays), a disk ``disk_statuses``."""

    def __init__(self, phases=(("Succeeded", "Running"),), disk_statuses=("Available",), error_codes=()):
        self.objects = {}
        self.stopped = []
        self.calls = []
        self.phases = list(phases)
        self.disk_statuses = list(disk_statuses)
        self.error_codes = list(error_codes)
        self._reads = {}
        self._n = 0
        self.refuse_delete = {}

    @staticmethod
    def key(kind, name, version=None):
        return (kind, name, version if kind == "Package" else None)

    def writes(self):
        return [call for call in self.calls if call[0] in ("create", "delete", "put")]

    def seed(self, doc, phase=("Succeeded", "Running"), disk_status="Available"):
        """A live object as the platform would return it."""
        obj = copy.deepcopy(doc)
        self._n += 1
        obj.setdefault("metadata", {})["guid"] = "%s-%024d" % (obj["kind"].lower(), self._n)
        obj["metadata"]["createdAt"] = "2026-01-01T00:00:00Z"
        if obj["kind"] in ("Deployment", "Network"):
            obj["status"] = {"phase": phase[0], "status": phase[1]}
            if self.error_codes:
                obj["status"]["error_codes" if obj["kind"] == "Deployment" else "errorCodes"] = list(self.error_codes)
        elif obj["kind"] == "Disk":
            obj["status"] = {"status": disk_status}
        if obj["kind"] == "Secret":
            spec = obj.get("spec") or {}
            keys = sorted((spec.pop("data", None) or {}).keys())
            (spec.get("docker") or {}).pop("password", None)
            spec["secretKeys"] = keys
        meta = obj["metadata"]
        self.objects[self.key(obj["kind"], meta["name"], meta.get("version"))] = obj
        return obj

    def _status(self, obj):
        key = self.key(obj["kind"], obj["metadata"]["name"], obj["metadata"].get("version"))
        reads = self._reads.get(key)
        if reads is None:
            return obj
        self._reads[key] = reads + 1
        if obj["kind"] in ("Deployment", "Network"):
            phase, status = self.phases[min(reads, len(self.phases) - 1)]
            obj["status"].update(phase=phase, status=status)
        elif obj["kind"] == "Disk":
            obj["status"]["status"] = self.disk_statuses[min(reads, len(self.disk_statuses) - 1)]
        return obj

    # -- the calls ----------------------------------------------------------------------------
    def find(self, kind, name, version=None, cached=True):
        self.calls.append(("get", kind, name, version))
        obj = self.objects.get(self.key(kind, name, version))
        return None if obj is None else copy.deepcopy(self._status(obj))

    def get(self, kind, name, version=None, cached=True):
        found = self.find(kind, name, version, cached)
        if found is None:
            raise RioNotFound(404, "GET", "/v2/%s/%s/" % (kind.lower(), name), "%s %s not found" % (kind, name))
        return found

    def list_objects(self, kind, cached=True, **filters):
        """Every object of the kind; ``phases`` (the only filter the applier sends) is applied."""
        self.calls.append(("list", kind, filters))
        found = [copy.deepcopy(obj) for key, obj in self.objects.items() if key[0] == kind]
        if kind == "Deployment":
            found += [copy.deepcopy(obj) for obj in self.stopped]
        if filters.get("phases"):
            found = [obj for obj in found if (obj.get("status") or {}).get("phase") in filters["phases"]]
        return found

    def create(self, kind, body):
        self.calls.append(("create", kind, body["metadata"]["name"]))
        meta = body["metadata"]
        if self.key(kind, meta["name"], meta.get("version")) in self.objects:
            raise RioConflict(409, "POST", "/v2/%s/" % kind.lower(), "already exists")
        obj = self.seed(body)
        if kind in ("Deployment", "Network"):
            obj["status"] = {"phase": "InProgress", "status": "Pending"}
            if self.error_codes:
                obj["status"]["error_codes" if kind == "Deployment" else "errorCodes"] = list(self.error_codes)
        elif kind == "Disk":
            obj["status"] = {"status": "Pending"}
        self._reads[self.key(kind, meta["name"], meta.get("version"))] = 0
        return copy.deepcopy(obj)

    def delete(self, kind, name, version=None):
        self.calls.append(("delete", kind, name, version))
        key = self.key(kind, name, version)
        if key in self.refuse_delete:
            raise RioConflict(409, "DELETE", "/v2/%s/%s/" % (kind.lower(), name), self.refuse_delete[key])
        obj = self.objects.pop(key, None)
        if obj is None:
            raise RioNotFound(404, "DELETE", "/v2/%s/%s/" % (kind.lower(), name), "not found")
        self._reads.pop(key, None)
        if kind == "Deployment":
            obj["status"] = {"phase": "Stopped", "status": "Stopped"}
            self.stopped.append(obj)
        return {"success": True}

    def put(self, kind, name, body):
        self.calls.append(("put", kind, name))
        key = self.key(kind, name)
        self.objects.pop(key)
        return copy.deepcopy(self.seed(body))


def package(name="talker", version="v1.0.0", image="ros:noetic", runtime="device", **metadata):
    return {"apiVersion": "api.rapyuta.io/v2", "kind": "Package",
            "metadata": dict({"name": name, "version": version}, **metadata),
            "spec": {"runtime": runtime,
                     "executables": [{"name": "main", "type": "docker", "docker": {"image": image}}]}}


def deployment(name="talker-1", package_name="talker", version="v1.0.0", device="robot-1", env=None, **spec):
    body = {"runtime": "device", "device": {"depends": {"kind": "device", "nameOrGUID": device}}}
    if env:
        body["envArgs"] = [{"name": key, "value": value} for key, value in sorted(env.items())]
    body.update(spec)
    return {"apiVersion": "api.rapyuta.io/v2", "kind": "Deployment",
            "metadata": {"name": name, "depends": {"kind": "package", "nameOrGUID": package_name, "version": version}},
            "spec": body}


def network(name="net", **metadata):
    return {"apiVersion": "api.rapyuta.io/v2", "kind": "Network", "metadata": dict({"name": name}, **metadata),
            "spec": {"type": "routed", "rosDistro": "noetic", "runtime": "cloud",
                     "resourceLimits": {"cpu": 0.5, "memory": 1024}}}


def disk(name="logs", capacity=4, **metadata):
    return {"apiVersion": "api.rapyuta.io/v2", "kind": "Disk", "metadata": dict({"name": name}, **metadata),
            "spec": {"runtime": "cloud", "capacity": capacity}}


def secret(name="regcred", password="s3cr3t-value", **metadata):
    return {"apiVersion": "api.rapyuta.io/v2", "kind": "Secret", "metadata": dict({"name": name}, **metadata),
            "spec": {"type": "Docker", "docker": {"registry": "https://index.docker.io/v1/", "username": "bot",
                                                  "email": "bot@example.com", "password": password}}}


def route(name="dash", ranges=None):
    return {"apiVersion": "api.rapyuta.io/v2", "kind": "StaticRoute", "metadata": {"name": name},
            "spec": {"sourceIPRange": ranges or ["10.0.0.0/8"]}}
