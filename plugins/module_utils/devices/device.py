# Copyright: (c) 2026, rapyuta.rio contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""Devices as plain dicts, with filters (docs/reference/v1-api.md#devices). FOR INTERNAL COLLECTION USE ONLY: may change in any release.

Shared by rio_device_info and the rapyuta.rio.rio_devices inventory plugin. Requests are kept few:
one device list; configuration variables only for the kept devices whose list entry lacks them;
full device reads only on request (interfaces); architectures only on request, with one
selection query per architecture (the device object has no architecture field).
"""

import re

from ansible_collections.rapyuta.rio.plugins.module_utils.transport.client import RioError

STATUSES = ("ONLINE", "OFFLINE", "REJECTED", "ACCEPTED", "REGISTERED", "INITIALIZING", "FAILED", "NEW", "DELETED")
ONLINE = "ONLINE"
# DeviceArch value -> the selection-query clauses the SDK sends for it (docs/reference/v1-api.md#selection-query).
ARCH_CLAUSES = (
    ("arm32v7", (("$in", "armv7"),)),
    ("arm64v8", (("$in", "aarch64"),)),
    ("amd64", (("$eq", "x86_64"), ("$eq", "amd64"))),
)
ARCHITECTURES = tuple(arch for arch, _clauses in ARCH_CLAUSES)
# What a config variable may say about the architecture -> DeviceArch value.
_ARCH_ALIASES = {"armv7": "arm32v7", "armv7l": "arm32v7", "arm32v7": "arm32v7", "arm": "arm32v7",
                 "aarch64": "arm64v8", "arm64": "arm64v8", "arm64v8": "arm64v8",
                 "x86_64": "amd64", "amd64": "amd64"}
ARCH_CONFIG_KEYS = ("architecture", "arch", "cpuarch")
FILTER_KEYS = ("name", "uuid", "statuses", "online_only", "labels", "name_pattern")


def interface_names(device):
    """The sorted names of a full device's network interfaces (``ip_interfaces``)."""
    return sorted((device.get("ip_interfaces") or {}).keys())


def key_value_dict(items):
    """[{key, value}] (or a dict already) -> {key: value}."""
    if isinstance(items, dict):
        return dict(items)
    result = {}
    for item in items or []:
        if isinstance(item, dict) and item.get("key") is not None:
            result[item["key"]] = item.get("value")
    return result


def _true(value):
    return str(value).strip().lower() in ("true", "1", "yes")


def device_runtimes(config):
    """The runtimes a device offers, from its config variables: ['dockercompose', 'preinstalled'] or a subset."""
    runtimes = []
    legacy = config.get("runtime")
    if _true(config.get("runtime_docker")) or legacy == "dockercompose":
        runtimes.append("dockercompose")
    if _true(config.get("runtime_preinstalled")) or legacy == "preinstalled":
        runtimes.append("preinstalled")
    if legacy and legacy not in runtimes and legacy not in ("dockercompose", "preinstalled"):
        runtimes.append(legacy)
    return runtimes


def arch_from_config(config):
    for key in ARCH_CONFIG_KEYS:
        value = config.get(key)
        if value:
            return _ARCH_ALIASES.get(str(value).strip().lower(), str(value))
    return None


def selection_query(architecture):
    """The selection-query body that matches one architecture (the SDK's form)."""
    clauses = dict(ARCH_CLAUSES)[architecture]
    args = [{"operator": operator, "args": ["cpuarch", value]} for operator, value in clauses]
    return {"operator": "$or", "specs": {"operator": "$or", "args": args}}


def architectures(api, wanted=ARCHITECTURES):
    """{uuid: architecture} for the online devices, with one selection query per architecture."""
    found = {}
    for arch in wanted:
        for entry in api.select_devices(selection_query(arch)) or []:
            uuid = entry.get("uuid") if isinstance(entry, dict) else entry
            if uuid:
                found.setdefault(uuid, arch)
    return found


def architecture_of(api, uuid, wanted):
    """An online device's architecture, or None when no selection query matches it.

    ``wanted`` is asked first, so a device that matches costs that one (cached) query per run; the
    other architectures are asked only to name the device's own in a refusal."""
    for arch in (wanted,) + tuple(other for other in ARCHITECTURES if other != wanted):
        if uuid in architectures(api, (arch,)):
            return arch
    return None


def compile_pattern(pattern):
    try:
        return re.compile(pattern) if pattern else None
    except re.error as exc:
        raise RioError("name_pattern %r is not a valid regular expression: %s" % (pattern, exc))


def matches(device, filters):
    """Whether a raw (list) device passes the filters: name, uuid, statuses, online_only, labels, name_pattern."""
    name = device.get("name") or ""
    if filters.get("name") and name != filters["name"]:
        return False
    if filters.get("uuid") and device.get("uuid") != filters["uuid"]:
        return False
    statuses = [status.upper() for status in filters.get("statuses") or []]
    if filters.get("online_only"):
        statuses = [ONLINE] if not statuses or ONLINE in statuses else ["-"]
    if statuses and (device.get("status") or "").upper() not in statuses:
        return False
    pattern = filters.get("name_pattern")
    if pattern:
        if not hasattr(pattern, "search"):
            pattern = compile_pattern(pattern)
        if not pattern.search(name):
            return False
    wanted = filters.get("labels") or {}
    if wanted:
        labels = key_value_dict(device.get("labels"))
        for key, value in wanted.items():
            if key not in labels or str(labels[key]) != str(value):
                return False
    return True


def normalize_device(device, config=None, architecture=None, full=None):
    """One device as the modules and the inventory return it (snake_case, dicts for labels and config)."""
    source = full or device
    config = key_value_dict(config if config is not None else source.get("config_variables"))
    runtimes = device_runtimes(config)
    result = {
        "uuid": device.get("uuid"),
        "name": device.get("name"),
        "status": device.get("status"),
        "description": device.get("description") or "",
        "labels": key_value_dict(source.get("labels")),
        "config_variables": config,
        "runtime": runtimes[0] if runtimes else None,
        "runtimes": runtimes,
        "ros_distro": config.get("ros_distro") or None,
        "architecture": architecture or arch_from_config(config),
        "python_version": source.get("python_version") or source.get("device_version") or None,
        "last_online": source.get("last_online"),
        "registration_time": source.get("registration_time"),
        "created_by": source.get("created_by"),
        "error_code": source.get("error_code") or None,
        "error_message": source.get("error_message") or None,
    }
    if full is not None:
        result.update(
            host=full.get("host"),
            ip_interfaces=full.get("ip_interfaces") or {},
            os=full.get("lsb_distrib_description"),
        )
    return result


def collect_devices(api, filters, details=False, architecture=False, warn=None):
    """List, filter and normalize devices. ``warn(msg)`` hears about an unavailable selection API."""
    filters = dict(filters)
    filters["name_pattern"] = compile_pattern(filters.get("name_pattern"))
    kept = [device for device in api.list_devices() if matches(device, filters)]
    arch_map = {}
    if architecture and any((device.get("status") or "").upper() == ONLINE for device in kept):
        try:
            arch_map = architectures(api)
        except RioError as exc:
            if warn is not None:
                warn("device architectures are unknown: the selection query failed (%s)" % exc)
    result = []
    for device in kept:
        uuid = device.get("uuid")
        full = api.get_device(uuid) if details else None
        source = full or device
        config = source.get("config_variables")
        if config is None:
            config = api.get_device_config_variables(uuid)
        result.append(normalize_device(device, config, arch_map.get(uuid), full))
    return sorted(result, key=lambda item: (item["name"] or "", item["uuid"] or ""))
