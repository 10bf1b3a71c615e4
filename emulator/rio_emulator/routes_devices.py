"""Core: device manager (docs/reference/v1-api.md#devices), always in the wrapped envelope."""
from typing import Any

from fastapi import APIRouter, Body, Depends

from . import ids
from .context import emulator, require_auth, tenant
from .errors import ApiError, wrap
from .fleet import DEFAULT_VARIABLES
from .lifecycle import STOPPED

router = APIRouter(prefix="/api/device-manager/v0", dependencies=[Depends(require_auth)])

PARTIAL_ONLY = ("uuid", "name", "status", "description", "labels", "config_variables", "registration_time",
                "last_online", "created_by", "device_version", "error_code", "error_message")
# Cpu architecture names the selection API matches (the platform reports `cpuarch` as uname -m).
ARCH_ALIASES = {"amd64": {"amd64", "x86_64"}, "arm64v8": {"arm64v8", "aarch64", "arm64"},
                "arm32v7": {"arm32v7", "armv7", "armv7l"}}


def _err(status, message):
    return ApiError(status, message, wrapped=True)


def _device(emu, project, uuid):
    dev = emu.store.get("device", project, uuid)
    if dev is None:
        raise _err(404, "device not found: %s" % uuid)
    return dev


def _device_deployments(emu, project, uuid):
    from .routes_deployments import devices_of
    renderer = emu.renderer(project)
    out = []
    for dep in emu.store.list("deployment", project, mentioning=uuid):
        if uuid not in devices_of(dep):
            continue
        phase, _status, errors, _failure = renderer.state(dep)
        for comp in dep["components"]:
            params = (dep.get("parameters") or {}).get(comp["componentId"]) or {}
            if params.get("device_id") == uuid:
                out.append({"io_deployment_id": dep["deploymentId"], "deployment_id": comp["instanceId"],
                            "phase": phase, "error_code": errors or [], "created_at": ids.rfc3339(dep["created"])})
    return out


def full_device(emu, project, dev):
    out = dict((k, v) for k, v in dev.items() if k not in ("architecture", "ownerProject"))
    out["deployments"] = _device_deployments(emu, project, dev["uuid"])
    return out


@router.get("/devices/")
def list_devices(name: str | None = None, project: str = Depends(tenant), emu=Depends(emulator)):
    devices = emu.store.list("device", project)
    if name:
        devices = [d for d in devices if d["name"] == name]
    return wrap([dict((k, d.get(k)) for k in PARTIAL_ONLY) for d in devices])


@router.get("/devices/{uuid}")
def get_device(uuid: str, project: str = Depends(tenant), emu=Depends(emulator)):
    return wrap(full_device(emu, project, _device(emu, project, uuid)))


@router.put("/devices/")
def update_device(body: Any = Body(None), project: str = Depends(tenant), emu=Depends(emulator)):
    if not isinstance(body, dict) or not body.get("device_id"):
        raise _err(400, "device_id is required")
    with emu.store.tx():
        dev = _device(emu, project, body["device_id"])
        for key in ("name", "description"):
            if body.get(key) is not None:
                dev[key] = str(body[key])
        emu.store.put("device", project, dev["uuid"], dev)
    return wrap({"success": True})


@router.delete("/devices/{uuid}")
def delete_device(uuid: str, project: str = Depends(tenant), emu=Depends(emulator)):
    with emu.store.tx():
        _device(emu, project, uuid)
        live = [d for d in _device_deployments(emu, project, uuid) if d["phase"] != STOPPED]
        if live:
            raise _err(400, "device %s has running deployments: %s" % (
                uuid, ", ".join(sorted(set(d["io_deployment_id"] for d in live)))))
        emu.store.delete("device", project, uuid)
    return wrap({"success": True})


@router.get("/config_variables/device/{uuid}")
def list_config_variables(uuid: str, project: str = Depends(tenant), emu=Depends(emulator)):
    return wrap(_device(emu, project, uuid).get("config_variables") or [])


@router.post("/config_variables/device/{uuid}")
def add_config_variable(uuid: str, body: Any = Body(None), project: str = Depends(tenant), emu=Depends(emulator)):
    if not isinstance(body, dict) or not body.get("key") or body.get("value") is None:
        raise _err(400, "key and value are required")
    with emu.store.tx():
        dev = _device(emu, project, uuid)
        if any(v["key"] == body["key"] for v in dev["config_variables"]):
            raise _err(409, "config variable %s already exists on device %s" % (body["key"], uuid))
        var = {"id": emu.int_id(), "key": str(body["key"]), "value": str(body["value"]), "type": "custom"}
        dev["config_variables"].append(var)
        emu.store.put("device", project, uuid, dev)
    return wrap(var)


def _find_var(emu, project, var_id):
    for dev in emu.store.list("device", project):
        for var in dev.get("config_variables") or []:
            if str(var["id"]) == str(var_id):
                return dev, var
    raise _err(404, "config variable not found: %s" % var_id)


@router.put("/config_variables/{var_id}")
def update_config_variable(var_id: str, body: Any = Body(None), project: str = Depends(tenant),
                           emu=Depends(emulator)):
    if not isinstance(body, dict) or body.get("value") is None:
        raise _err(400, "value is required")
    with emu.store.tx():
        dev, var = _find_var(emu, project, var_id)
        if var["key"] == "runtime" and str(body["value"]) != var["value"]:
            raise _err(400, "the runtime config variable cannot be updated")
        if body.get("key") and body["key"] != var["key"]:
            raise _err(400, "the key of a config variable cannot be changed")
        var["value"] = str(body["value"])
        emu.store.put("device", project, dev["uuid"], dev)
    return wrap(var)


@router.delete("/config_variables/{var_id}")
def delete_config_variable(var_id: str, project: str = Depends(tenant), emu=Depends(emulator)):
    with emu.store.tx():
        dev, var = _find_var(emu, project, var_id)
        if var["key"] in DEFAULT_VARIABLES:
            raise _err(400, "default config variable %s cannot be deleted" % var["key"])
        dev["config_variables"] = [v for v in dev["config_variables"] if v is not var]
        emu.store.put("device", project, dev["uuid"], dev)
    return wrap({"success": True})


def _spec_values(node, found):
    """Every string argument of a selection spec that follows a `cpuarch` argument."""
    if isinstance(node, dict):
        for value in node.values():
            _spec_values(value, found)
    elif isinstance(node, list):
        if node and node[0] == "cpuarch":
            found.update(str(v) for v in node[1:] if not isinstance(v, (dict, list)))
            for v in node[1:]:
                if isinstance(v, list):
                    found.update(str(x) for x in v)
        for value in node:
            if isinstance(value, (dict, list)):
                _spec_values(value, found)


@router.post("/selection/query/")
def selection_query(body: Any = Body(None), project: str = Depends(tenant), emu=Depends(emulator)):
    wanted = set()
    _spec_values(body or {}, wanted)
    out = []
    for dev in emu.store.list("device", project):
        if dev.get("status") != "ONLINE":
            continue
        if wanted and not (ARCH_ALIASES.get(dev.get("architecture"), set()) & wanted):
            continue
        out.append({"uuid": dev["uuid"], "name": dev["name"], "status": dev["status"]})
    return wrap(out)
