"""v2 deployments (docs/reference/v2-api.md#deployments): create with every reference resolved by name,
get by name (live incarnation) or `?guid=` (any incarnation), list with filters and pages, PATCH as
restart, DELETE to `Stopped` (the incarnation stays listable), and the history of a name."""
from typing import Any

from fastapi import APIRouter, Body, Depends, Request

from . import checks
from . import routes_resources as resources
from .common import (DEPLOYMENT, DISK, NETWORK, V2Context, conflict, deleted, find_device, invalid, list_response,
                     names_of, new_object, not_found, project_context, query_value, query_values, read_body, select, success)
from .lifecycle import PHASES, Renderer, is_live

router = APIRouter()

def renderer(ctx):
    def resource_status(kind, name):
        # The network/disk entries of `status.dependencies`, in the deployment status model's keys.
        if kind == "network":
            network = ctx.get(NETWORK, name)
            if network is None:
                return {}
            state = resources.network_status(ctx, network)
            return {"phase": state["phase"], "status": state["status"], "error_codes": state["errorCodes"]}
        disk = ctx.get(DISK, name)
        return {"status": resources.disk_status(ctx, disk)["status"], "error_codes": ""} if disk else {}

    return Renderer(ctx.store, ctx.project, ctx.settings.phase_delay, ctx.now(), resource_status)


def _executables(package):
    return [{"name": e.get("name"), "image": (e.get("docker") or {}).get("image")}
            for e in (package.get("spec") or {}).get("executables") or []]


def _live(ctx, name):
    doc = checks.live_incarnation(ctx, name)
    if doc is None:
        raise not_found("deployment", name)
    return doc


def _dependents(ctx, guid):
    """Live deployments whose `spec.depends` resolved to this incarnation."""
    return [d for d in ctx.list(DEPLOYMENT, mentioning=guid)
            if is_live(d) and d["metadata"]["guid"] != guid and guid in d["_state"]["refs"]["deployments"]]


@router.post("/v2/deployments/", status_code=201)
def create_deployment(body: Any = Body(None), ctx: V2Context = Depends(project_context)):
    body = read_body(body, "Deployment")
    metadata, spec = checks.validate(body)
    name = metadata["name"]
    with ctx.tx():
        if checks.live_incarnation(ctx, name) is not None:
            raise conflict("deployment %s already exists" % name)
        package, device, refs = checks.resolve(ctx, metadata, spec)
        doc = new_object(ctx, body, "Deployment", DEPLOYMENT)
        doc["metadata"]["generation"] = 1
        urls = [r["url"] for r in refs["staticroutes"]]
        for route, url in zip(doc["spec"].get("staticRoutes") or [], urls, strict=True):
            if url:
                route["url"] = url
        now = ctx.now()
        doc["_state"] = {"created": now, "updated": now, "phaseStart": now, "mode": "create", "stopped": None,
                         "refs": refs, "executables": _executables(package),
                         "problems": checks.failure_causes(ctx, name, package.get("spec") or {}, device)}
        ctx.put(DEPLOYMENT, doc["metadata"]["guid"], doc)
    return renderer(ctx).render(doc)


@router.get("/v2/deployments/")
def list_deployments(request: Request, ctx: V2Context = Depends(project_context)):
    # `dependencies` (a boolean sdk-v2 always sends) has no documented meaning: accepted and ignored.
    docs = select(ctx.list(DEPLOYMENT), request)
    device_names = set(query_values(request, "deviceName"))
    package_name, package_version = query_value(request, "packageName"), query_value(request, "packageVersion")
    phases = set(query_values(request, "phases"))
    if phases - set(PHASES):
        raise invalid("phases", "must be one of %s (got %s)" % (", ".join(PHASES), ", ".join(sorted(phases - set(PHASES)))))
    view = renderer(ctx)
    out = []
    for doc in docs:
        refs = doc["_state"]["refs"]
        if device_names and not (refs["device"] and device_names & {refs["device"]["name"], refs["device"]["uuid"]}):
            continue
        depends = doc["metadata"]["depends"]
        if package_name and package_name not in (refs["package"]["name"], refs["package"]["guid"],
                                                 depends.get("nameOrGUID")):
            continue
        if package_version and refs["package"]["version"] != package_version:
            continue
        if phases and view.state(doc)[0] not in phases:
            continue
        out.append(doc)
    answer = list_response(request, out, "DeploymentList")
    answer["items"] = [view.render(doc) for doc in answer["items"]]
    return answer


@router.get("/v2/deployments/{name}/")
def get_deployment(name: str, request: Request, ctx: V2Context = Depends(project_context)):
    guid = query_value(request, "guid")
    if guid is None:
        return renderer(ctx).render(_live(ctx, name))
    doc = ctx.get(DEPLOYMENT, guid)
    if doc is None or doc["metadata"]["name"] != name:
        raise not_found("deployment", "%s (guid %s)" % (name, guid))
    return renderer(ctx).render(doc)


@router.patch("/v2/deployments/{name}/")
def restart_deployment(name: str, body: Any = Body(None), ctx: V2Context = Depends(project_context)):
    # riocli's restart sends the whole object as read; spec changes are not applied (create anew for those).
    read_body(body, "Deployment")
    with ctx.tx():
        doc = _live(ctx, name)
        state = doc["_state"]
        package = checks.find_package(ctx, state["refs"]["package"]["guid"], state["refs"]["package"]["version"])
        device = find_device(ctx, state["refs"]["device"]["uuid"]) if state["refs"]["device"] else None
        if package is not None and (device is not None or state["refs"]["device"] is None):
            # A restart sees the device as it is now (an offline robot that came back starts).
            state["problems"] = checks.failure_causes(ctx, name, package.get("spec") or {}, device)
        now = ctx.now()
        state.update(mode="update", phaseStart=now, updated=now)
        doc["metadata"]["generation"] = doc["metadata"].get("generation", 1) + 1
        doc["metadata"]["updatedAt"] = ctx.timestamp()
        ctx.put(DEPLOYMENT, doc["metadata"]["guid"], doc)
    return renderer(ctx).render(doc)


@router.delete("/v2/deployments/{name}/")
def delete_deployment(name: str, ctx: V2Context = Depends(project_context)):
    with ctx.tx():
        doc = _live(ctx, name)
        guid = doc["metadata"]["guid"]
        users = _dependents(ctx, guid)
        if users:
            raise conflict("deployment %s is in use by deployments %s" % (name, names_of(users)))
        now = ctx.now()
        doc["_state"].update(stopped=now, updated=now)
        doc["metadata"]["deletedAt"] = doc["metadata"]["updatedAt"] = ctx.timestamp()
        ctx.put(DEPLOYMENT, guid, doc)
    return success()


@router.get("/v2/deployments/{name}/history/")
def deployment_history(name: str, request: Request, ctx: V2Context = Depends(project_context)):
    """The incarnations of a name, oldest first (`?guid=` keeps one)."""
    guid = query_value(request, "guid")
    view = renderer(ctx)
    out = []
    for doc in ctx.list(DEPLOYMENT, mentioning=name):
        meta = doc["metadata"]
        if meta["name"] != name or (guid and meta["guid"] != guid):
            continue
        phase, status, codes, _failure = view.state(doc)
        out.append({"guid": meta["guid"], "generation": meta.get("generation", 1), "createdAt": meta["createdAt"],
                    "updatedAt": meta["updatedAt"], "deletedAt": meta.get("deletedAt"), "phase": phase,
                    "status": status, "error_codes": codes, "live": not deleted(doc)})
    if not out:
        raise not_found("deployment", name)
    return out
