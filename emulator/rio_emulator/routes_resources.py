"""Catalog: routed and native networks (docs/reference/v1-api.md#networks) and disks / volume instances
(docs/reference/v1-api.md#volumes).
Each resource owns an internal deployment that goes through the ordinary phase engine."""
from typing import Any

from fastapi import APIRouter, Body, Depends, Query

from . import ids, packages
from .context import emulator, require_auth, tenant
from .errors import ApiError
from .lifecycle import STOPPED, SUCCEEDED, pick_failure
from .provision import in_use_by, new_deployment

router = APIRouter(dependencies=[Depends(require_auth)])

ROS_DISTROS = ("kinetic", "melodic", "noetic")
DISK_CAPACITIES = (4, 8, 16, 32, 64, 128, 256, 512)
DISK_TYPES = ("ssd",)
LABEL = {"routednetwork": "routed network", "nativenetwork": "native network"}


def _internal(emu, project, name, kind, runtime, device=None, parameters=None):
    problems = []
    if device is not None and device.get("status") != "ONLINE":
        problems.append(("DEP_E151", name, "device %s (%s) is %s: offline or unreachable"
                         % (device["name"], device["uuid"], device.get("status"))))
    cid = kind[:3] + "-" + ids.letters(20)
    component = {"componentId": cid, "name": name, "runtime": runtime, "instanceId": ids.new_id("inst-"),
                 "executables": []}
    params = {"global": {"device_ids": [device["uuid"]]} if device else {},
              cid: dict(parameters or {}, component_id=cid)}
    return new_deployment(emu, project, name, "io-public-" + kind, kind, "default", [component], params,
                          {"name": name, "labels": [], "dependentDeployments": []}, kind=kind,
                          failure=pick_failure(problems))


# -- networks --------------------------------------------------------------------------------------
def _network_view(emu, project, net, full=True):
    dep = emu.store.get("deployment", project, net["internalDeploymentGUID"])
    phase, status, errors, _failure = emu.renderer(project).state(dep)
    state = {"phase": phase, "error_code": errors or []}
    if full:
        state["status"] = status
    out = dict((k, v) for k, v in net.items() if not k.startswith("_"))
    out["internalDeploymentStatus"] = state
    return out


def _create_network(emu, project, kind, body):
    if not isinstance(body, dict):
        raise ApiError(400, "invalid %s request: expected a JSON object" % LABEL[kind])
    name, runtime, distro = body.get("name"), body.get("runtime"), body.get("rosDistro")
    if not isinstance(name, str) or not name.strip():
        raise ApiError(400, "%s name is required" % LABEL[kind])
    if runtime not in ("cloud", "device"):
        raise ApiError(400, "runtime must be cloud or device")
    if distro not in ROS_DISTROS:
        raise ApiError(400, "rosDistro must be one of %s" % ", ".join(ROS_DISTROS))
    parameters = body.get("parameters") or {}
    if not isinstance(parameters, dict):
        raise ApiError(400, "parameters must be an object")
    device = None
    if runtime == "device":
        if kind == "nativenetwork" and distro == "noetic":
            raise ApiError(400, "native networks on devices do not support noetic")
        device_id, interface = parameters.get("device_id"), parameters.get("NETWORK_INTERFACE")
        if not isinstance(device_id, str) or not isinstance(interface, str) or not device_id or not interface:
            raise ApiError(400, "device %s needs parameters.device_id and parameters.NETWORK_INTERFACE" % LABEL[kind])
        device = emu.store.get("device", project, device_id)
        if device is None:
            raise ApiError(404, "device %s not found" % device_id)
        if interface not in (device.get("ip_interfaces") or {}):
            raise ApiError(400, "device %s has no network interface %s" % (device["name"], interface))
    with emu.store.tx():
        for other in emu.store.list(kind, project):
            if other["name"] == name and not other.get("_deleted"):
                raise ApiError(409, "%s %s already exists (%s)" % (LABEL[kind], name, other["guid"]))
        dep = _internal(emu, project, name, kind, runtime, device, parameters)
        emu.store.put("deployment", project, dep["deploymentId"], dep)
        now = emu.now()
        net = {"guid": ids.new_id("net-"), "name": name, "runtime": runtime, "rosDistro": distro,
               "parameters": parameters, "internalDeploymentGUID": dep["deploymentId"],
               "ownerProject": project, "creator": "user-emulator", "ID": emu.int_id(),
               "CreatedAt": ids.rfc3339(now), "UpdatedAt": ids.rfc3339(now), "DeletedAt": None}
        if kind == "routednetwork":
            net["shared"] = bool(body.get("shared", False))
        emu.store.put(kind, project, net["guid"], net)
    return {"name": name, "guid": net["guid"]}


def _get_network(emu, project, kind, guid):
    net = emu.store.get(kind, project, guid)
    if net is None:
        raise ApiError(404, "%s not found in db" % LABEL[kind])
    return net


def _delete_network(emu, project, kind, guid):
    key = "routedNetworks" if kind == "routednetwork" else "nativeNetworks"
    with emu.store.tx():
        net = _get_network(emu, project, kind, guid)
        if not net.get("_deleted"):
            users = in_use_by(emu, project, emu.renderer(project), lambda d: any(
                n.get("guid") == guid for n in (d.get("provisionContext") or {}).get(key) or []))
            if users:
                raise ApiError(409, "%s %s is in use by deployments: %s; deprovision them first" % (
                    LABEL[kind], net["name"], ", ".join("%s (%s)" % (d["name"], d["deploymentId"]) for d in users)))
            now = emu.now()
            net["_deleted"] = now
            net["DeletedAt"] = ids.rfc3339(now)
            emu.store.put(kind, project, guid, net)
            dep = emu.store.get("deployment", project, net["internalDeploymentGUID"])
            dep["stopped"] = now
            emu.store.put("deployment", project, dep["deploymentId"], dep)
    return {"success": True}


def _network_routes(kind):
    """The four routes of one network kind: routed and native networks follow the same rules."""
    name = LABEL[kind].replace(" ", "_")

    @router.post("/" + kind, name="create_" + name)
    def create(body: Any = Body(None), project: str = Depends(tenant), emu=Depends(emulator)):
        return _create_network(emu, project, kind, body)

    @router.get("/" + kind, name="list_%ss" % name)
    def list_all(project: str = Depends(tenant), emu=Depends(emulator)):
        return [_network_view(emu, project, n, full=False) for n in emu.store.list(kind, project)]

    @router.get("/%s/{guid}" % kind, name="get_" + name)
    def get(guid: str, project: str = Depends(tenant), emu=Depends(emulator)):
        return _network_view(emu, project, _get_network(emu, project, kind, guid))

    @router.delete("/%s/{guid}" % kind, name="delete_" + name)
    def delete(guid: str, project: str = Depends(tenant), emu=Depends(emulator)):
        return _delete_network(emu, project, kind, guid)


for _kind in LABEL:
    _network_routes(_kind)


# -- disks -----------------------------------------------------------------------------------------
def _disk_users(emu, project, renderer, disk):
    dep_id = disk["internalDeploymentGUID"]
    def uses(deployment):
        entries = (deployment.get("provisionContext") or {}).get("dependentDeployments") or []
        return any(e.get("dependentDeploymentId") == dep_id for e in entries)
    return in_use_by(emu, project, renderer, uses)


def _disk_view(emu, project, disk, renderer=None):
    renderer = renderer or emu.renderer(project)
    dep = emu.store.get("deployment", project, disk["internalDeploymentGUID"])
    phase, _status, errors, _failure = renderer.state(dep)
    users = _disk_users(emu, project, renderer, disk)
    if phase == STOPPED:
        status = "Released"
    elif errors:
        status = "Failed"
    elif phase != SUCCEEDED:
        status = "Pending"
    else:
        status = "Bound" if users else "Available"
    out = dict(disk)
    out.update(status=status, errors=errors, usedBy=users[0]["deploymentId"] if users else "",
               usedByDeploymentName=users[0]["name"] if users else "")
    return out


@router.post("/disk")
def create_disk(body: Any = Body(None), project: str = Depends(tenant), emu=Depends(emulator)):
    if not isinstance(body, dict) or not isinstance(body.get("name"), str) or not body["name"].strip():
        raise ApiError(400, "disk name is required")
    if body.get("runtime", "cloud") != "cloud":
        raise ApiError(400, "only cloud disks are supported")
    capacity, disk_type = body.get("capacity"), body.get("diskType", "ssd")
    if isinstance(capacity, bool) or capacity not in DISK_CAPACITIES:
        raise ApiError(400, "capacity must be one of %s (GiB)" % ", ".join(str(c) for c in DISK_CAPACITIES))
    if disk_type not in DISK_TYPES:
        raise ApiError(400, "diskType must be ssd")
    with emu.store.tx():
        dep = new_deployment(
            emu, project, body["name"], packages.PV_PACKAGE_ID, "Rapyuta IO Persistent Volume", "default",
            [{"componentId": packages.PV_COMPONENT_ID, "name": "volumeComponent", "runtime": "cloud",
              "instanceId": ids.new_id("inst-"), "executables": []}],
            {"global": {}, packages.PV_COMPONENT_ID: {"component_id": packages.PV_COMPONENT_ID,
                                                     "capacity": capacity, "diskType": disk_type}},
            {"name": body["name"], "labels": [], "dependentDeployments": []}, kind="disk")
        emu.store.put("deployment", project, dep["deploymentId"], dep)
        disk = {"guid": ids.new_id("disk-"), "name": body["name"], "diskType": disk_type, "capacity": capacity,
                "runtime": "cloud", "internalDeploymentGUID": dep["deploymentId"], "labels": body.get("labels") or [],
                "createdAt": ids.rfc3339(emu.now())}
        emu.store.put("disk", project, disk["guid"], disk)
    return {"name": disk["name"], "guid": disk["guid"]}


@router.get("/disk")
def list_disks(deployment_guid: list[str] | None = Query(None), project: str = Depends(tenant),
               emu=Depends(emulator)):
    renderer = emu.renderer(project)
    disks = emu.store.list("disk", project)
    if deployment_guid:
        disks = [d for d in disks if d["internalDeploymentGUID"] in deployment_guid]
    return [_disk_view(emu, project, d, renderer) for d in disks]


@router.get("/disk/{guid}")
def get_disk(guid: str, project: str = Depends(tenant), emu=Depends(emulator)):
    disk = emu.store.get("disk", project, guid)
    if disk is None:
        raise ApiError(404, "disk not found: %s" % guid)
    return _disk_view(emu, project, disk)


@router.delete("/disk/{guid}")
def delete_disk(guid: str, project: str = Depends(tenant), emu=Depends(emulator)):
    with emu.store.tx():
        disk = emu.store.get("disk", project, guid)
        if disk is None:
            raise ApiError(404, "disk not found: %s" % guid)
        users = _disk_users(emu, project, emu.renderer(project), disk)
        if users:
            raise ApiError(409, "disk %s is in use by deployments: %s; deprovision them first" % (
                disk["name"], ", ".join("%s (%s)" % (d["name"], d["deploymentId"]) for d in users)))
        dep = emu.store.get("deployment", project, disk["internalDeploymentGUID"])
        if dep is not None and not dep.get("stopped"):
            dep["stopped"] = emu.now()
            emu.store.put("deployment", project, dep["deploymentId"], dep)
        emu.store.delete("disk", project, guid)
    return {"success": True}
