# Copyright: (c) 2026, rapyuta.rio contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""Typed calls per rapyuta.io resource. FOR INTERNAL COLLECTION USE ONLY: may change in any release.

One RioApi lives for one module run. Its LookupCache keeps the run's look-ups (package list,
devices, networks, config variables) and forgets a kind when the run writes it; several RioApi
objects may share one LookupCache (rio_deployment_batch gives each item its own view of one cache).
Every creation is safe to repeat: after an ambiguous failure it looks the resource up by its natural key before it
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
    """`/v2/catalog` summary -> the fields callers need (docs/reference/v1-api.md#package-list)."""
    metadata = entry.get("metadata") or {}
    return {
        "packageId": entry.get("id"),
        "packageName": entry.get("name"),
        "packageVersion": metadata.get("packageVersion"),
        "description": entry.get("description", ""),
        "plans": [{"planId": plan.get("id"), "planName": plan.get("name")} for plan in entry.get("plans") or []],
    }


def rows_by(rows, field):
    """``{value of field: [rows with that value]}``, each list in the order of ``rows``: a list read
    once for a whole batch is looked up once per item, which a scan would make quadratic."""
    index = {}
    for row in rows:
        try:
            index.setdefault(row.get(field), []).append(row)
        except TypeError:  # an unhashable value equals no name, id or uuid looked up
            pass
    return index


def network_phase(network):
    status = network.get("internalDeploymentStatus") or {}
    return network.get("phase") or status.get("phase")


class LookupCache:
    """The look-ups of one module run, keyed by tuples whose first item names the kind ("packages",
    ("device", uuid), ...), shared by every RioApi built on it.

    Batch runs read through several RioApi objects from worker threads at once: one lock guards the
    entries, and one loader per key runs at a time, so concurrent look-ups of one key make one request.
    """

    def __init__(self):
        self._entries = {}
        self._lock = threading.RLock()
        self._loading = {}

    def get(self, key, loader):
        """The cached value of ``key``, else ``loader()``'s, stored (one load per key, whoever asks)."""
        with self._lock:
            if key in self._entries:
                return self._entries[key]
            key_lock = self._loading.setdefault(key, threading.Lock())
        with key_lock:
            with self._lock:
                if key in self._entries:
                    return self._entries[key]
            value = loader()
            with self._lock:
                self._entries[key] = value
                self._loading.pop(key, None)
            return value

    def peek(self, key, default=None):
        """The cached value of ``key`` if this run has read it; never loads."""
        with self._lock:
            return self._entries.get(key, default)

    def forget(self, *kinds):
        """Drop every entry whose key starts with one of ``kinds``."""
        self.forget_matching(lambda key: key[0] in kinds)

    def forget_matching(self, matches):
        """Drop every entry whose key ``matches``."""
        with self._lock:
            for key in list(self._entries):
                if matches(key):
                    del self._entries[key]


class RioApi:
    """Typed v1 calls over ``client``. ``cache`` (a LookupCache) may be shared with other RioApi
    objects of the same run; without one, this RioApi has a cache of its own."""

    def __init__(self, client, sleeper=time.sleep, cache=None):
        self.client = client
        self.sleeper = sleeper
        self.cache = LookupCache() if cache is None else cache

    # -- plumbing -------------------------------------------------------------------------------
    def _call(self, method, service, path, **kwargs):
        return self.client.request(method, service, path, **kwargs)

    def _cached(self, key, loader):
        return self.cache.get(key, loader)

    def forget(self, *prefixes):
        self.cache.forget(*prefixes)

    def _create_once(self, send, find):
        """Send a creation; after an ambiguous failure, find it before sending it again."""
        delays = self.client.backoff_delays()
        attempt = 0
        while True:
            try:
                return send()
            except RioError as exc:
                if not is_ambiguous(exc) or attempt >= len(delays):
                    raise
                self.sleeper(delays[attempt])
                attempt += 1
                found = find()
                if found is not None:
                    return found

    # -- packages (docs/reference/v1-api.md#packages) -------------------------------------------
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

    # -- deployments (docs/reference/v1-api.md#deployments) -------------------------------------
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

    def live_deployments_by(self, field):
        """The live deployments by ``field`` (rows_by), made once per read of the list."""
        return self._cached(("deployments", "by", field), lambda: rows_by(self.live_deployments(), field))

    def find_deployments(self, name):
        return list(self.live_deployments_by("name").get(name, ()))

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

    # -- devices (docs/reference/v1-api.md#devices) ---------------------------------------------
    def _device_list(self):
        return self._cached(("devices",), lambda: self._call(
            "GET", "core", DEVICE_API + "/devices/", envelope=True) or [])

    def devices_by(self, field):
        """The device list by ``field`` (rows_by), made once per read of the list."""
        return self._cached(("devices", "by", field), lambda: rows_by(self._device_list(), field))

    def list_devices(self, name=None):
        if name is not None:
            return list(self.devices_by("name").get(name, ()))
        return list(self._device_list())

    def get_device(self, uuid):
        return self._cached(("device", uuid), lambda: self._call(
            "GET", "core", DEVICE_API + "/devices/%s" % uuid, envelope=True))

    def find_device(self, name_or_uuid):
        """A device by uuid or by exact name; None when there is none, an error when the name is shared."""
        by_uuid = self.devices_by("uuid").get(name_or_uuid)
        if by_uuid:
            return by_uuid[0]
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
        if self.cache.peek(("devices",)):
            for device in self.devices_by("uuid").get(uuid, ()):
                if device.get("config_variables"):
                    return device["config_variables"]
        return self._cached(("config_variables", uuid), lambda: self._call(
            "GET", "core", DEVICE_API + "/config_variables/device/%s" % uuid, envelope=True) or [])

    def select_devices(self, query):
        """Device selection query (docs/reference/v1-api.md#selection-query): a read sent as POST, safe to repeat; [{uuid, ...}].

        Cached for the run like the device list, by the query's content: the architecture checks of
        a whole batch ask the same few queries (one per architecture)."""
        key = ("selection", json.dumps(query, sort_keys=True))
        return self._cached(key, lambda: self._call("POST", "core", DEVICE_API + "/selection/query/",
                                                    json_body=query, envelope=True, retry=True) or [])

    # -- routed and native networks (docs/reference/v1-api.md#networks) ------------------------
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

    # -- volumes (docs/reference/v1-api.md#volumes) ---------------------------------------------
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

    # -- static routes (docs/reference/v1-api.md#static-routes) ---------------------------------
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


__all__ = ["LookupCache", "RioApi", "RioApiError", "RioLookupError", "is_auth_error", "network_phase", "summarize_package"]
