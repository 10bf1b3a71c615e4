"""Provisioning: validate a provision body against the package, the fleet and the project's
resources, detect the failures the platform would report (DEP_E151/E153/E156/E162/E171), and build
the stored deployment document. Also builds the internal deployments of networks and disks."""
import copy

from . import ids, packages, shapes
from .errors import ApiError
from .lifecycle import FAILED_PHASES, STOPPED, pick_failure


def config_vars(device):
    return dict((v["key"], v["value"]) for v in device.get("config_variables") or [])


def image_problem(executable):
    """A docker image whose tag is `missing` cannot be pulled (the emulator's way to provoke DEP_E153)."""
    image = executable.get("docker") or ""
    name, _, tag = image.rpartition(":")
    if name and "/" not in tag and tag == "missing":
        return "image %s could not be pulled: manifest for %s not found" % (image, image)
    return None


def new_deployment(emu, project, name, package_id, package_name, plan_id, components, parameters, context,
                   kind="app", failure=None, api_version="1.0.0", bindable=True):
    now = emu.now()
    return {
        "deploymentId": ids.new_id("dep-"), "name": name, "kind": kind,
        "packageId": package_id, "packageName": package_name, "packageAPIVersion": api_version,
        "planId": plan_id, "parameters": parameters, "provisionContext": context,
        "components": components, "failure": failure, "bindable": bindable,
        "created": now, "updated": now, "phaseStart": now, "mode": "create", "stopped": None,
        "generation": 1, "ID": emu.int_id(), "ownerProject": project,
    }


def component_record(cid, comp):
    return {"componentId": cid, "name": comp["name"], "runtime": comp["requiredRuntime"],
            "instanceId": ids.new_id("inst-"),
            "executables": [dict((k, copy.deepcopy(v)) for k, v in e.items()
                                 if k in ("id", "name", "docker", "buildGUID", "cmd", "args", "env", "gitExecutable"))
                            for e in comp.get("executables") or []]}


def _aliases(parameters):
    out = set()
    for key, value in (parameters or {}).items():
        if key != "global" and isinstance(value, dict) and isinstance(value.get("bridge_params"), dict):
            alias = value["bridge_params"].get("alias")
            if alias:
                out.add(alias)
    return out


def provision(emu, project, body):
    """Validate the provision body and return the new (unsaved) deployment document."""
    if not isinstance(body, dict):
        raise ApiError(400, "invalid provision request: expected a JSON object")
    package_id, plan_id = body.get("service_id"), body.get("plan_id")
    if not package_id or not isinstance(package_id, str):
        raise ApiError(400, "invalid provision request: service_id (package id) is required")
    if not plan_id or not isinstance(plan_id, str):
        raise ApiError(400, "invalid provision request: plan_id is required")
    parameters, context = shapes.provision_body(body.get("parameters"), body.get("context"))
    name = context.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ApiError(400, "invalid provision request: context.name (deployment name) is required")
    if package_id == packages.PV_PACKAGE_ID:
        raise ApiError(400, "volumes are created through the disk API (POST /disk)")
    info = emu.store.get("package", project, package_id)
    if info is None:
        raise ApiError(404, "package %s not found" % package_id)
    plan = packages.find_plan(info, plan_id)
    if plan is None:
        raise ApiError(404, "plan %s not found in package %s" % (plan_id, package_id))
    by_id = dict((ic["componentId"], ic["componentName"]) for ic in plan["internalComponents"])
    comps_by_name = dict((c["name"], c) for c in plan["components"]["components"])
    for key in parameters:
        if key != "global" and key not in by_id:
            raise ApiError(400, "unknown component id %s in parameters (plan %s)" % (key, plan_id))
    component_context = context.get("component_context") or {}
    if not isinstance(component_context, dict):
        raise ApiError(400, "context.component_context must be an object")
    for key in component_context:
        if key not in by_id:
            raise ApiError(400, "unknown component id %s in context.component_context" % key)

    devices = {}

    def device(uuid_, where):
        if uuid_ not in devices:
            devices[uuid_] = emu.store.get("device", project, uuid_) if isinstance(uuid_, str) else None
        if devices[uuid_] is None:
            raise ApiError(404, "device %s not found (%s)" % (uuid_, where))
        return devices[uuid_]

    for uuid_ in ((parameters.get("global") or {}).get("device_ids") or []):
        device(uuid_, "parameters.global.device_ids")

    problems, components = [], []
    for ic in plan["internalComponents"]:
        cid, comp = ic["componentId"], comps_by_name[ic["componentName"]]
        components.append(component_record(cid, comp))
        params = parameters.get(cid) or {}
        device_id = params.get("device_id") if isinstance(params, dict) else None
        if comp["requiredRuntime"] == "device":
            if not device_id:
                raise ApiError(400, "component %s is a device component and is not mapped to a device" % comp["name"])
            dev = device(device_id, "component %s" % comp["name"])
            variables = config_vars(dev)
            if dev.get("status") != "ONLINE":
                problems.append(("DEP_E151", comp["name"], "device %s (%s) is %s: offline or unreachable"
                                 % (dev["name"], dev["uuid"], dev.get("status"))))
            if comp.get("architecture") and comp["architecture"] != dev.get("architecture"):
                problems.append(("DEP_E162", comp["name"], "component %s needs architecture %s but device %s has "
                                 "architecture %s" % (comp["name"], comp["architecture"], dev["name"],
                                                      dev.get("architecture"))))
            ros = comp.get("ros") or {}
            if ros.get("isROS") and ros.get("ros_distro") and variables.get("ros_distro") \
                    and ros["ros_distro"] != variables["ros_distro"]:
                problems.append(("DEP_E162", comp["name"], "component %s needs ROS distro %s but device %s runs %s"
                                 % (comp["name"], ros["ros_distro"], dev["name"], variables["ros_distro"])))
        for exe in comp.get("executables") or []:
            reason = image_problem(exe)
            if reason:
                problems.append(("DEP_E153", comp["name"], "component %s executable %s: %s"
                                 % (comp["name"], exe["name"], reason)))
        for endpoint, route_guid in ((component_context.get(cid) or {}).get("static_route_config") or {}).items():
            if emu.store.get("staticroute", project, route_guid) is None:
                raise ApiError(404, "static route %s (component %s endpoint %s) not found"
                               % (route_guid, comp["name"], endpoint))

    for entry in context.get("diskMountInfo") or []:
        device(entry.get("diskResourceId"), "context.diskMountInfo")

    renderer = emu.renderer(project)
    aliases = _aliases(parameters)
    for entry in context.get("dependentDeployments") or []:
        dep_id = entry.get("dependentDeploymentId")
        other = emu.store.get("deployment", project, dep_id) if isinstance(dep_id, str) else None
        if other is None:
            raise ApiError(404, "dependent deployment %s not found" % dep_id)
        other_phase, _status, other_errors, _failure = renderer.state(other)
        if other_phase in FAILED_PHASES or other_errors:
            problems.append(("DEP_E156", None, "dependent deployment %s (%s) is not running: %s%s"
                             % (other["name"], dep_id, other_phase,
                                " (%s)" % ", ".join(other_errors) if other_errors else "")))
        clash = aliases & _aliases(other.get("parameters"))
        if clash:
            problems.append(("DEP_E171", None, "alias %s is already used by dependent deployment %s"
                             % (", ".join(sorted(clash)), other["name"])))

    routed = [n.get("guid") for n in context.get("routedNetworks") or [] if isinstance(n, dict)]
    for kind, key in (("routednetwork", "routedNetworks"), ("nativenetwork", "nativeNetworks")):
        for entry in context.get(key) or []:
            guid = entry.get("guid") if isinstance(entry, dict) else None
            if emu.store.get(kind, project, guid) is None:
                raise ApiError(404, "%s %s not found" % ("routed network" if kind == "routednetwork"
                                                          else "native network", guid))
    if routed and aliases:
        for other in emu.store.list("deployment", project):
            if other.get("kind") != "app" or renderer.state(other)[0] in FAILED_PHASES:
                continue
            other_nets = set(n.get("guid") for n in (other.get("provisionContext") or {}).get("routedNetworks") or [])
            clash = aliases & _aliases(other.get("parameters"))
            if clash and other_nets & set(routed):
                problems.append(("DEP_E171", None, "alias %s is already used by deployment %s on the same routed "
                                 "network" % (", ".join(sorted(clash)), other["name"])))

    stored_context = dict(context)
    stored_context.setdefault("labels", [])
    stored_context.setdefault("dependentDeployments", [])
    return new_deployment(emu, project, name, package_id, info["packageName"], plan_id, components,
                          parameters, stored_context, failure=pick_failure(problems),
                          api_version=info.get("apiVersion") or "1.0.0", bindable=info.get("bindable", True))


def in_use_by(emu, project, renderer, predicate):
    """Live (not stopped) app deployments for which predicate(deployment) is true."""
    return [d for d in emu.store.list("deployment", project)
            if d.get("kind") == "app" and predicate(d) and renderer.state(d)[0] != STOPPED]
