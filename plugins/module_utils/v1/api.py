# Copyright: (c) 2026, rapyuta.rio contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""Typed calls per rapyuta.io resource. FOR INTERNAL COLLECTION USE ONLY: may change in any release.

One RioApi lives for one module run. It caches look-ups (package list, devices, networks,
config variables) for that run, forgets them when it writes, and makes every creation safe to
repeat: after an ambiguous failure it looks the resource up by its natural key before it
sends the creation again, so a retry can never make a duplicate.
"""

import json
import re
import threading
import time

from ansible_collections.rapyuta.rio.plugins.module_utils.v1.constants import GONE_PHASES, LIVE_PHASES, PERSISTENT_VOLUME_PACKAGE
from ansible_collections.rapyuta.rio.plugins.module_utils.transport.client import (
    RioError,
    RioApiError,
    RioNotFound,
    RioUnauthorized,
    RioForbidden,
    is_ambiguous,
)

DEVICE_API = "/api/device-manager/v0"
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.I)


class RioLookupError(RioError):
    """A name matched more than one live resource."""


def summarize_package(entry):
    """`/v2/catalog` summary -> the fields callers need (ref §2.4)."""
    metadata = entry.get("metadata") or {}
    return {
        "packageId": entry.get("id"),
        "packageName": entry.get("name"),
        "packageVersion": metadata.get("packageVersion"),
        "description": entry.get("description", ""),
        "plans": [{"planId": plan.get("id"), "planName": plan.get("name")} for plan in entry.get("plans") or []],
    }


def network_phase(network):
    status = network.get("internalDeploymentStatus") or {}
    return network.get("phase") or status.get("phase")


class RioApi:
    def __init__(self, client, sleeper=time.sleep):
        self.client = client
        self._sleep = sleeper
        self._cache = {}
        # Batch runs share one RioApi between worker threads: the lock guards the cache, and one
        # loader per key runs at a time, so concurrent look-ups of one key make one request.
        self._lock = threading.RLock()
        self._loading = {}

    # -- plumbing -------------------------------------------------------------------------------
    def _call(self, method, service, path, **kwargs):
        return self.client.request(method, service, path, **kwargs)

    def _cached(self, key, loader):
        with self._lock:
            if key in self._cache:
                return self._cache[key]
            key_lock = self._loading.setdefault(key, threading.Lock())
        with key_lock:
            with self._lock:
                if key in self._cache:
                    return self._cache[key]
            value = loader()
            with self._lock:
                self._cache[key] = value
                self._loading.pop(key, None)
            return value

    def forget(self, *prefixes):
        with self._lock:
            for key in list(self._cache):
                if any(key[0] == prefix for prefix in prefixes):
                    del self._cache[key]

    def _create_once(self, send, find):
        """Send a creation; after an ambiguous failure, find it before sending it again."""
        delays = self.client.backoff_delays()
        attempt = 0
        while True:
            try:
                return send()
            except (RioError,) as exc:
                if not is_ambiguous(exc) or attempt >= len(delays):
                    raise
                self._sleep(delays[attempt])
                attempt += 1
                found = find()
                if found is not None:
                    return found

    # -- packages (ref §2) ----------------------------------------------------------------------
    def list_packages(self, name=None, version=None):
        def load():
            body = self._call("GET", "catalog", "/v2/catalog") or {}
            return [summarize_package(entry) for entry in body.get("services") or []
                    if entry.get("id") != PERSISTENT_VOLUME_PACKAGE]
        packages = self._cached(("packages",), load)
        return [pkg for pkg in packages
                if (name is None or name in (pkg["packageName"] or ""))
                and (version is None or pkg["packageVersion"] == version)]

    def get_package(self, package_id):
        def load():
            body = self._call("GET", "catalog", "/serviceclass/status", params={"package_uid": package_id})
            info = (body or {}).get("packageInfo")
            if not isinstance(info, dict):
                raise RioError("package %s: the API answer holds no packageInfo" % package_id)
            info = dict(info)
            info.setdefault("guid", package_id)
            return info
        return self._cached(("package", package_id), load)

    def find_package(self, name, version):
        matches = [pkg for pkg in self.list_packages() if pkg["packageName"] == name and pkg["packageVersion"] == version]
        if not matches:
            return None
        if len(matches) > 1:
            raise RioLookupError("package %s %s exists %d times: %s" % (
                name, version, len(matches), ", ".join(sorted(pkg["packageId"] for pkg in matches))))
        return self.get_package(matches[0]["packageId"])

    def create_package(self, manifest):
        def send():
            return self._call("POST", "catalog", "/serviceclass/add", json_body=manifest)

        def find():
            self.forget("packages")
            return self.find_package(manifest.get("name"), manifest.get("packageVersion"))

        created = self._create_once(send, find)
        self.forget("packages")
        if isinstance(created, dict) and created.get("packageId"):
            return self.get_package(created["packageId"])
        return created

    def delete_package(self, package_id):
        self._call("DELETE", "catalog", "/serviceclass/delete", params={"package_uid": package_id})
        self.forget("packages", "package")

    # -- deployments (ref §3) -------------------------------------------------------------------
    def list_deployments(self, phases=None, package_id=None, device_id=None):
        params = {}
        if phases:
            params["phase"] = list(phases)
        if package_id:
            params["package_uid"] = package_id
        if device_id:
            params["device_uid"] = device_id
        return self._call("GET", "catalog", "/deployment/list", params=params or None) or []

    def live_deployments(self):
        """Every deployment that still exists, cached for the run (fleet look-ups share it)."""
        return self._cached(("deployments",), lambda: self.list_deployments(phases=LIVE_PHASES))

    def find_deployments(self, name):
        return [dep for dep in self.live_deployments() if dep.get("name") == name]

    def get_deployment(self, deployment_id):
        return self._call("GET", "catalog", "/serviceinstance/%s" % deployment_id)

    def provision(self, body):
        name = body.get("context", {}).get("name")

        def send():
            answer = self._call("PUT", "catalog", "/v2/service_instances/instanceId", json_body=body)
            return self.get_deployment(answer["operation"])

        def find():
            self.forget("deployments")
            found = self.find_deployments(name)
            return self.get_deployment(found[0]["deploymentId"]) if found else None

        try:
            return self._create_once(send, find)
        finally:
            self.forget("deployments")

    def deprovision(self, deployment):
        path = "/v2/service_instances/%s" % deployment["deploymentId"]
        params = {"plan_id": deployment.get("planId"), "service_id": deployment.get("packageId"),
                  "accepts_incomplete": "false"}
        try:
            self._call("DELETE", "catalog", path, params=params)
        except (RioUnauthorized, RioForbidden):
            raise
        except RioError:
            # A repeated DELETE after a lost answer finds the deployment already stopped.
            current = self.get_deployment(deployment["deploymentId"])
            if current.get("phase") not in GONE_PHASES:
                raise
        finally:
            self.forget("deployments")

    def update_deployment(self, body):
        self.forget("deployments")
        return self._call("PATCH", "catalog", "/v2/service_instances/%s" % body["deployment_id"], json_body=body)

    # -- devices (ref §5.1) ---------------------------------------------------------------------
    def list_devices(self, name=None):
        devices = self._cached(("devices",), lambda: self._call(
            "GET", "core", DEVICE_API + "/devices/", envelope=True) or [])
        return [device for device in devices if name is None or device.get("name") == name]

    def get_device(self, uuid):
        return self._cached(("device", uuid), lambda: self._call(
            "GET", "core", DEVICE_API + "/devices/%s" % uuid, envelope=True))

    def find_device(self, name_or_uuid):
        """A device by uuid or by exact name; None when there is none, an error when the name is shared."""
        for device in self.list_devices():
            if device.get("uuid") == name_or_uuid:
                return device
        matches = self.list_devices(name=name_or_uuid)
        if len(matches) > 1:
            raise RioLookupError("device name %s is shared by %d devices: %s; use the uuid" % (
                name_or_uuid, len(matches), ", ".join(sorted(device.get("uuid", "?") for device in matches))))
        if matches:
            return matches[0]
        if _UUID.match(name_or_uuid or ""):
            try:
                return self.get_device(name_or_uuid)
            except RioNotFound:
                return None
        return None

    def get_device_config_variables(self, uuid):
        """A device's configuration variables; taken from the device list when this run has read it
        and it carries them (one list read serves a whole fleet), else read for this device."""
        with self._lock:
            listed = self._cache.get(("devices",)) or []
        for device in listed:
            if device.get("uuid") == uuid and device.get("config_variables"):
                return device["config_variables"]
        return self._cached(("config_variables", uuid), lambda: self._call(
            "GET", "core", DEVICE_API + "/config_variables/device/%s" % uuid, envelope=True) or [])

    def select_devices(self, query):
        """Device selection query (ref §5.1): a read sent as POST, safe to repeat; [{uuid, ...}].

        Cached for the run like the device list, by the query's content: the architecture checks of
        a whole batch ask the same few queries (one per architecture)."""
        key = ("selection", json.dumps(query, sort_keys=True))
        return self._cached(key, lambda: self._call("POST", "core", DEVICE_API + "/selection/query/",
                                                    json_body=query, envelope=True, retry=True) or [])

    # -- routed and native networks (ref §5.2, §5.3) --------------------------------------------
    def _network_calls(self, kind):
        path = "/" + kind

        def list_all():
            return self._cached((kind,), lambda: self._call("GET", "catalog", path) or [])

        def find(name):
            live = [net for net in list_all() if net.get("name") == name and network_phase(net) not in GONE_PHASES]
            if len(live) > 1:
                raise RioLookupError("%s name %s is shared by %d networks: %s" % (
                    kind, name, len(live), ", ".join(sorted(net.get("guid", "?") for net in live))))
            return live[0] if live else None

        return path, list_all, find

    def list_networks(self, kind):
        return self._network_calls(kind)[1]()

    def find_network(self, kind, name):
        return self._network_calls(kind)[2](name)

    def get_network(self, kind, guid):
        network = self._call("GET", "catalog", "/%s/%s" % (kind, guid))
        status = network.get("internalDeploymentStatus") or {}
        for key in ("phase", "status", "error_code"):
            network.setdefault(key, status.get(key))
        return network

    def create_network(self, kind, body):
        path, _list_all, find = self._network_calls(kind)

        def lookup():
            self.forget(kind)
            return find(body["name"])

        created = self._create_once(lambda: self._call("POST", "catalog", path, json_body=body), lookup)
        self.forget(kind)
        return self.get_network(kind, created["guid"])

    def delete_network(self, kind, guid):
        self._call("DELETE", "catalog", "/%s/%s" % (kind, guid))
        self.forget(kind)

    # -- volumes (ref §5.4) ---------------------------------------------------------------------
    def list_disks(self):
        return self._cached(("disks",), lambda: self._call("GET", "catalog", "/disk") or [])

    def get_disk(self, guid):
        return self._call("GET", "catalog", "/disk/%s" % guid)

    def find_disk(self, name):
        matches = [disk for disk in self.list_disks() if disk.get("name") == name]
        if len(matches) > 1:
            raise RioLookupError("volume name %s is shared by %d volumes: %s" % (
                name, len(matches), ", ".join(sorted(disk.get("guid", "?") for disk in matches))))
        return matches[0] if matches else None

    def create_disk(self, name, capacity, disk_type="ssd"):
        body = {"name": name, "runtime": "cloud", "capacity": capacity, "diskType": disk_type}

        def lookup():
            self.forget("disks")
            return self.find_disk(name)

        created = self._create_once(lambda: self._call("POST", "catalog", "/disk", json_body=body), lookup)
        self.forget("disks")
        return self.get_disk(created["guid"])

    def delete_disk(self, guid):
        self._call("DELETE", "catalog", "/disk/%s" % guid)
        self.forget("disks")

    # -- static routes (ref §5.5) ---------------------------------------------------------------
    def list_static_routes(self):
        return self._cached(("static_routes",), lambda: self._call("GET", "core", "/api/staticroute/list") or [])

    def get_static_route(self, guid):
        return self._call("GET", "core", "/api/staticroute/%s/get" % guid)

    def find_static_route(self, name):
        for route in self.list_static_routes():
            if route.get("urlPrefix") == name:
                return route
        return None

    def create_static_route(self, name):
        def lookup():
            self.forget("static_routes")
            return self.find_static_route(name)

        created = self._create_once(
            lambda: self._call("POST", "core", "/api/staticroute/create", json_body={"urlPrefix": name}), lookup)
        self.forget("static_routes")
        return created

    def delete_static_route(self, guid):
        self._call("DELETE", "core", "/api/staticroute/delete", json_body={"guid": guid})
        self.forget("static_routes")


def is_auth_error(exc):
    return isinstance(exc, (RioUnauthorized, RioForbidden))


__all__ = ["RioApi", "RioApiError", "RioLookupError", "summarize_package", "network_phase", "is_auth_error"]
