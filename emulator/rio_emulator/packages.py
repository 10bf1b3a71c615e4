"""Package manifests: validation, the stored (restructured) form
(docs/reference/v1-api.md#stored-package), and the catalog summary.

The SDK only works with the *stored* shape (nested `components.components`, nested
`inboundROSInterfaces`, added `planId`/`planName`/`internalComponents`, executable ids), so the
restructuring below is not cosmetic.
"""
import copy
import time

from . import ids, shapes

PV_PACKAGE_ID = "io-public-persistent-volume"
PV_COMPONENT_ID = "io-pv"
RUNTIMES = ("cloud", "device")
ARCHITECTURES = ("amd64", "arm32v7", "arm64v8")
RESTART_POLICIES = ("always", "no", "on-failure")


class ManifestError(ValueError):
    pass


def _require(cond, message):
    if not cond:
        raise ManifestError(message)


def validate(manifest):
    """Raise ManifestError (-> 400) with a message naming the first problem."""
    _require(isinstance(manifest, dict), "invalid manifest: expected a JSON object")
    _require(isinstance(manifest.get("name"), str) and manifest["name"].strip(),
             "invalid manifest: package name is required")
    version = manifest.get("packageVersion", "")
    _require(isinstance(version, str), "invalid manifest: packageVersion must be a string")
    shapes.text(manifest.get("description"), "description")
    shapes.text(manifest.get("apiVersion"), "apiVersion")
    if manifest.get("bindable") is not None and not isinstance(manifest["bindable"], bool):
        raise ManifestError("invalid manifest: bindable must be a boolean")
    plans = manifest.get("plans")
    _require(isinstance(plans, list) and plans, "invalid manifest: at least one plan is required")
    for p_index, plan in enumerate(plans):
        _require(isinstance(plan, dict), "invalid manifest: plans[%d] must be an object" % p_index)
        _require(isinstance(plan.get("name"), str) and plan["name"].strip(),
                 "invalid manifest: plans[%d]: plan name is required" % p_index)
        _plan_types(plan)
        components = plan.get("components")
        _require(isinstance(components, list) and components,
                 "invalid manifest: plan %s: at least one component is required" % plan["name"])
        names = set()
        for c_index, comp in enumerate(components):
            where = "plan %s: components[%d]" % (plan["name"], c_index)
            _require(isinstance(comp, dict), "invalid manifest: %s must be an object" % where)
            _require(isinstance(comp.get("name"), str) and comp["name"].strip(),
                     "invalid manifest: %s: component name is required" % where)
            where = "component %s" % comp["name"]
            _require(comp["name"] not in names, "invalid manifest: duplicate component name %s" % comp["name"])
            names.add(comp["name"])
            _require(comp.get("requiredRuntime") in RUNTIMES,
                     "invalid manifest: %s: requiredRuntime must be one of cloud, device" % where)
            _require(comp.get("architecture") in ARCHITECTURES,
                     "invalid manifest: %s: architecture must be one of %s" % (where, ", ".join(ARCHITECTURES)))
            policy = comp.get("restart_policy")
            _require(policy in (None, "") or policy in RESTART_POLICIES,
                     "invalid manifest: %s: restart_policy must be one of always, no, on-failure" % where)
            _component_types(comp, where)
            executables = comp.get("executables") or []
            _require(isinstance(executables, list), "invalid manifest: %s: executables must be a list" % where)
            exec_names = set()
            for e_index, exe in enumerate(executables):
                _require(isinstance(exe, dict) and isinstance(exe.get("name"), str) and exe["name"],
                         "invalid manifest: %s: executables[%d]: name is required" % (where, e_index))
                _executable_types(exe, "%s executable %s" % (where, exe["name"]))
                _require(exe["name"] not in exec_names,
                         "invalid manifest: %s: duplicate executable name %s" % (where, exe["name"]))
                exec_names.add(exe["name"])
                kinds = [k for k in ("docker", "gitExecutable", "buildGUID") if exe.get(k)]
                _require(len(kinds) <= 1, "invalid manifest: %s: executable %s has more than one of docker, "
                         "gitExecutable, buildGUID" % (where, exe["name"]))
            params = comp.get("parameters") or []
            _require(isinstance(params, list) and all(isinstance(p, dict) and p.get("name") for p in params),
                     "invalid manifest: %s: parameters must be a list of objects with a name" % where)


def _plan_types(plan):
    where = "plan %s" % plan.get("name")
    shapes.obj(plan.get("metadata"), where + ".metadata")
    shapes.obj(plan.get("inboundROSInterfaces"), where + ".inboundROSInterfaces")
    for key in ("dependentDeployments", "includePackages", "exposedParameters"):
        shapes.array(plan.get(key), "%s.%s" % (where, key))
    if plan.get("singleton") is not None and not isinstance(plan["singleton"], bool):
        raise ManifestError("invalid manifest: %s.singleton must be a boolean" % where)


def _component_types(comp, where):
    for key in ("description", "restart_policy"):
        shapes.text(comp.get(key), "%s.%s" % (where, key))
    ros = shapes.obj(comp.get("ros"), where + ".ros")
    shapes.text(ros.get("ros_distro"), where + ".ros.ros_distro")
    for key in ("topics", "services", "actions"):
        shapes.objects(ros.get(key), "%s.ros.%s" % (where, key), ("name",))
    infra = shapes.obj(comp.get("cloudInfra"), where + ".cloudInfra")
    shapes.objects(infra.get("endpoints"), where + ".cloudInfra.endpoints", ("name", "proto", "portRange"))
    replicas = infra.get("replicas")
    if replicas is not None and (isinstance(replicas, bool) or not isinstance(replicas, int)):
        raise ManifestError("invalid manifest: %s.cloudInfra.replicas must be an integer" % where)
    shapes.objects(comp.get("parameters"), where + ".parameters", ("name", "description"))
    shapes.objects(comp.get("rosBagJobDefs"), where + ".rosBagJobDefs", ("name",))
    shapes.obj(comp.get("labels"), where + ".labels")


def _executable_types(exe, where):
    for key in ("docker", "buildGUID", "secret"):
        shapes.text(exe.get(key), "%s.%s" % (where, key))
    cmd = exe.get("cmd")
    if cmd is not None and not isinstance(cmd, (list, str)):
        raise ManifestError("invalid manifest: %s.cmd must be a list of strings" % where)
    shapes.obj(exe.get("gitExecutable"), where + ".gitExecutable")
    shapes.obj(exe.get("simulationOptions"), where + ".simulationOptions")
    shapes.obj(exe.get("limits"), where + ".limits")


def stored_form(manifest, project, int_id, now=None):
    """(packageInfo document, create response) for a validated manifest. int_id() yields DB ids."""
    now = now or time.time()
    stamp = ids.rfc3339(now)
    package_int = int_id()
    guid = ids.new_id("pkg-")
    plans, plan_ids = [], []
    for plan in manifest["plans"]:
        plan_id = ids.new_id("plan-")
        components, internal, component_ids = [], [], []
        for comp in plan["components"]:
            cid = ids.letters()
            component_ids.append(cid)
            internal.append({"componentId": cid, "componentName": comp["name"], "runtime": comp["requiredRuntime"]})
            stored = copy.deepcopy(comp)
            stored.setdefault("description", "")
            stored.setdefault("labels", None)
            stored.setdefault("restart_policy", "" if comp["requiredRuntime"] == "cloud" else "always")
            stored.setdefault("parameters", [])
            stored.setdefault("ros", {"isROS": False})
            infra = stored.get("cloudInfra") or {}
            stored["cloudInfra"] = {"endpoints": infra.get("endpoints"), "replicas": infra.get("replicas", 1)}
            stored["cloudInfra"].update(dict((k, v) for k, v in infra.items() if k not in ("endpoints", "replicas")))
            executables = []
            for exe in comp.get("executables") or []:
                item = {"id": ids.new_id("exec-"), "args": None, "env": None}
                item.update(copy.deepcopy(exe))
                item.setdefault("cmd", [])
                executables.append(item)
            stored["executables"] = executables
            components.append(stored)
        inbound = plan.get("inboundROSInterfaces")
        exposed = plan.get("exposedParameters")
        metadata = dict(plan.get("metadata") or {})
        metadata["exposedParameters"] = exposed if exposed is not None else metadata.get("exposedParameters", [])
        plans.append({
            "planId": plan_id, "planName": plan["name"], "packageId": package_int,
            "description": plan.get("description", ""), "singleton": bool(plan.get("singleton", False)),
            "internalComponents": internal,
            "components": {"components": components},
            "dependentDeployments": plan.get("dependentDeployments") or [],
            "includePackages": plan.get("includePackages") or [],
            "catalogComponents": None, "shared": False, "metadata": metadata,
            "inboundROSInterfaces": {"inboundROSInterfaces": inbound} if inbound is not None else None,
            "ID": int_id(), "CreatedAt": stamp, "UpdatedAt": stamp, "DeletedAt": None,
        })
        plan_ids.append({"planId": plan_id, "componentIds": component_ids})
    info = {
        "guid": guid, "packageName": manifest["name"], "packageVersion": manifest.get("packageVersion", ""),
        "description": manifest.get("description", ""), "bindable": bool(manifest.get("bindable", True)),
        "isPublic": False, "category": "Default", "status": "Complete", "tags": None, "buildGeneration": 0,
        "ownerProject": project, "creator": "user-emulator",
        "ID": package_int, "CreatedAt": stamp, "UpdatedAt": stamp, "DeletedAt": None, "plans": plans,
    }
    if manifest.get("apiVersion"):
        info["apiVersion"] = manifest["apiVersion"]
    return info, {"packageId": guid, "planIds": plan_ids}


def summary(info):
    """A /v2/catalog entry."""
    return {
        "id": info["guid"], "name": info["packageName"], "description": info.get("description", ""),
        "bindable": info.get("bindable", True),
        "plans": [{"id": p["planId"], "name": p["planName"], "description": p.get("description", ""), "free": True,
                   "metadata": {"exposedParameters": (p.get("metadata") or {}).get("exposedParameters") or [],
                                "singleton": p.get("singleton", False)}} for p in info["plans"]],
        "metadata": {"packageVersion": info.get("packageVersion", ""), "creationDate": info.get("CreatedAt"),
                     "creator": info.get("creator"), "isPublic": info.get("isPublic", False),
                     "ownerProject": info.get("ownerProject")},
    }


def persistent_volume_package():
    """The public `io-public-persistent-volume` package (same for every project)."""
    stamp = "2020-01-01T00:00:00Z"
    component = {
        "name": "volumeComponent", "description": "", "requiredRuntime": "cloud", "architecture": "amd64",
        "restart_policy": "", "labels": None, "ros": {"isROS": False}, "cloudInfra": {"endpoints": None, "replicas": 1},
        "executables": None,
        "parameters": [{"name": "diskType", "default": "ssd", "description": "Type of disk"},
                       {"name": "capacity", "default": "32", "description": "Capacity in GiB"}],
    }
    return {
        "guid": PV_PACKAGE_ID, "packageName": "Rapyuta IO Persistent Volume", "packageVersion": "v0.1.0",
        "description": "Persistent volume for cloud deployments", "bindable": True, "isPublic": True,
        "category": "Storage", "status": "Complete", "tags": None, "buildGeneration": 0, "ownerProject": "",
        "creator": "", "apiVersion": "1.0.0", "ID": 1, "CreatedAt": stamp, "UpdatedAt": stamp, "DeletedAt": None,
        "plans": [{
            "planId": "default", "planName": "default", "packageId": 1, "description": "", "singleton": False,
            "internalComponents": [{"componentId": PV_COMPONENT_ID, "componentName": "volumeComponent",
                                    "runtime": "cloud"}],
            "components": {"components": [component]}, "dependentDeployments": [], "includePackages": [],
            "catalogComponents": None, "shared": False, "metadata": {"exposedParameters": []},
            "inboundROSInterfaces": None, "ID": 1, "CreatedAt": stamp, "UpdatedAt": stamp, "DeletedAt": None,
        }],
    }


def find_plan(info, plan_id):
    for plan in info["plans"]:
        if plan["planId"] == plan_id:
            return plan
    return None
