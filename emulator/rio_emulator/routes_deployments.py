"""Catalog: provisioning and deployments (docs/reference/v1-api.md#deployments)."""
from typing import Any

from fastapi import APIRouter, Body, Depends, Query

from . import provision as prov
from . import shapes
from .context import emulator, require_auth, tenant
from .errors import ApiError
from .lifecycle import STOPPED, timeline

router = APIRouter(dependencies=[Depends(require_auth)])


def _load(emu, project, deployment_id):
    dep = emu.store.get("deployment", project, deployment_id)
    if dep is None:
        raise ApiError(404, "deployment not found: %s" % deployment_id)
    return dep


def _in_use(deployments):
    """deploymentId -> True when a live deployment depends on it."""
    used = set()
    for dep in deployments:
        if dep.get("stopped"):
            continue
        for entry in (dep.get("provisionContext") or {}).get("dependentDeployments") or []:
            used.add(entry.get("dependentDeploymentId"))
    return used


@router.put("/v2/service_instances/{instance_id}")
def provision(instance_id: str, body: Any = Body(None), project: str = Depends(tenant), emu=Depends(emulator)):
    # The SDK sends the literal placeholder `instanceId`; the server allocates the real id.
    with emu.store.tx():
        dep = prov.provision(emu, project, body)
        emu.store.put("deployment", project, dep["deploymentId"], dep)
    return {"operation": dep["deploymentId"]}


@router.get("/serviceinstance/{deployment_id}")
def get_deployment(deployment_id: str, project: str = Depends(tenant), emu=Depends(emulator)):
    dep = _load(emu, project, deployment_id)
    renderer = emu.renderer(project)
    in_use = deployment_id in _in_use(emu.store.list("deployment", project, mentioning=deployment_id))
    return renderer.full(dep, in_use)


@router.get("/deployment/list")
def list_deployments(phase: list[str] | None = Query(None), device_uid: str | None = None,
                     package_uid: str | None = None, project: str = Depends(tenant), emu=Depends(emulator)):
    renderer = emu.renderer(project)
    deployments = emu.store.list("deployment", project)
    used = _in_use(deployments)
    out = []
    for dep in deployments:
        if dep.get("kind") in ("routednetwork", "nativenetwork"):
            continue  # network internals are reachable by id only
        if package_uid and dep["packageId"] != package_uid:
            continue
        if device_uid and device_uid not in devices_of(dep):
            continue
        item = renderer.partial(dep, dep["deploymentId"] in used)
        if phase and item["phase"] not in phase:
            continue
        out.append(item)
    return out


def devices_of(dep):
    params = dep.get("parameters") or {}
    found = set((params.get("global") or {}).get("device_ids") or [])
    for key, value in params.items():
        if key != "global" and isinstance(value, dict) and value.get("device_id"):
            found.add(value["device_id"])
    return found


@router.delete("/v2/service_instances/{deployment_id}")
def deprovision(deployment_id: str, project: str = Depends(tenant), emu=Depends(emulator)):
    with emu.store.tx():
        dep = _load(emu, project, deployment_id)
        if dep.get("kind") in ("routednetwork", "nativenetwork") and not dep.get("stopped"):
            raise ApiError(400, "deployment %s belongs to a %s; delete that resource instead"
                           % (deployment_id, {"disk": "disk", "routednetwork": "routed network",
                                              "nativenetwork": "native network"}.get(dep.get("kind"), dep.get("kind"))))
        if not dep.get("stopped"):
            dep["stopped"] = dep["updated"] = emu.now()
            emu.store.put("deployment", project, deployment_id, dep)
    return {"async": False, "component_status": None}


@router.patch("/v2/service_instances/{deployment_id}")
def update_deployment(deployment_id: str, body: Any = Body(None), project: str = Depends(tenant),
                      emu=Depends(emulator)):
    if not isinstance(body, dict):
        raise ApiError(400, "invalid update request: expected a JSON object")
    with emu.store.tx():
        dep = _load(emu, project, deployment_id)
        phase, _status, settled = timeline(dep, emu.settings.phase_delay, emu.now())
        if phase == STOPPED:
            raise ApiError(400, "deployment %s is stopped and cannot be updated" % deployment_id)
        if not settled:
            raise ApiError(400, "deployment %s is in phase %s; wait until it settles before updating it"
                           % (deployment_id, phase))
        component_context = shapes.update_body(body)
        by_id = dict((c["componentId"], c) for c in dep["components"])
        for cid, ctx in component_context.items():
            if cid not in by_id:
                raise ApiError(400, "unknown component id %s in context.component_context" % cid)
            new_execs = ((ctx or {}).get("component") or {}).get("executables") or []
            for new in new_execs:
                for exe in by_id[cid]["executables"]:
                    if (new.get("id") and new["id"] == exe.get("id")) or (new.get("name") == exe.get("name")):
                        for key in ("docker", "buildGUID", "cmd"):
                            if key in new:
                                exe[key] = new[key]
        problems = []
        if dep.get("failure") and dep["failure"]["code"] not in ("DEP_E153",):
            problems.append((dep["failure"]["code"], None, dep["failure"]["reason"]))
        for comp in dep["components"]:
            for exe in comp["executables"]:
                reason = prov.image_problem(exe)
                if reason:
                    problems.append(("DEP_E153", comp["name"], "component %s executable %s: %s"
                                     % (comp["name"], exe["name"], reason)))
        dep["failure"] = prov.pick_failure(problems)
        dep["mode"], dep["phaseStart"] = "update", emu.now()
        dep["updated"] = dep["phaseStart"]
        dep["generation"] = dep.get("generation", 1) + 1
        emu.store.put("deployment", project, deployment_id, dep)
    return {"async": True, "operation": deployment_id}


@router.put("/v2/service_instances/{deployment_id}/service_bindings/{binding_id}")
def bind(deployment_id: str, binding_id: str, body: Any = Body(None), project: str = Depends(tenant),
         emu=Depends(emulator)):
    dep = _load(emu, project, deployment_id)
    info = emu.store.get("package", project, dep["packageId"]) or {"plans": []}
    plan = next((p for p in info["plans"] if p["planId"] == dep["planId"]), None)
    components = {}
    for comp in (plan or {}).get("components", {}).get("components", []):
        cid = next((ic["componentId"] for ic in plan["internalComponents"]
                    if ic["componentName"] == comp["name"]), None)
        endpoints = {}
        for ep in (comp.get("cloudInfra") or {}).get("endpoints") or []:
            suffix = deployment_id[4:12]
            if ep.get("exposeExternally"):
                scheme = {"HTTPS": "https", "HTTP": "http"}.get(ep.get("proto"), ep.get("proto", "tcp").lower())
                endpoints[ep["name"]] = "%s://%s-%s.ep-r.io" % (scheme, ep["name"].lower(), suffix)
            else:
                endpoints[ep["name"]] = "%s-%s.%s.svc:%s" % (ep["name"].lower(), suffix, project,
                                                            ep.get("port", ep.get("portRange", "")))
        components[cid] = {"networkEndpoints": endpoints, "parameters": (dep.get("parameters") or {}).get(cid, {})}
    return {"credentials": {"components": components}}


@router.delete("/v2/service_instances/{deployment_id}/service_bindings/{binding_id}")
def unbind(deployment_id: str, binding_id: str, project: str = Depends(tenant), emu=Depends(emulator)):
    _load(emu, project, deployment_id)
    return {}
