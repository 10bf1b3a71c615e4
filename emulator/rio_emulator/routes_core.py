"""Core: static routes (docs/reference/v1-api.md#static-routes) and secrets (docs/reference/v1-api.md#secrets);
bare objects, `{"error"}` bodies."""
import re
from typing import Any

from fastapi import APIRouter, Body, Depends

from . import ids
from .context import emulator, require_auth, tenant
from .errors import ApiError
from .provision import in_use_by

router = APIRouter(prefix="/api", dependencies=[Depends(require_auth)])

ROUTE_NAME = re.compile(r"^[a-z][a-z0-9-]*$")
SECRET_NAME = re.compile(r"^[a-z0-9][a-z0-9-]+[a-z0-9]$")
NOT_FOUND = "unable to find the resource from db: record not found"


def _route_view(route, project):
    out = dict(route)
    out["urlString"] = "%s-%s.ep-r.io" % (route["urlPrefix"], project.split("-")[-1][:8])
    return out


@router.post("/staticroute/create")
def create_static_route(body: Any = Body(None), project: str = Depends(tenant), emu=Depends(emulator)):
    prefix = body.get("urlPrefix") if isinstance(body, dict) else None
    if not isinstance(prefix, str) or not ROUTE_NAME.match(prefix) or not 4 <= len(prefix) <= 64:
        raise ApiError(400, "urlPrefix must match ^[a-z][a-z0-9-]*$ and be 4 to 64 characters long")
    with emu.store.tx():
        if any(r["urlPrefix"] == prefix for r in emu.store.list("staticroute", project)):
            raise ApiError(409, "static route %s already exists" % prefix)
        now = ids.rfc3339(emu.now())
        route = {"guid": ids.new_id("staticroute-"), "urlPrefix": prefix, "urlString": "", "projectGUID": project,
                 "creator": "user-emulator", "metadata": {}, "ID": emu.int_id(), "CreatedAt": now,
                 "UpdatedAt": now, "DeletedAt": None}
        emu.store.put("staticroute", project, route["guid"], route)
    return route  # like the platform, urlString is only filled on later reads


@router.get("/staticroute/list")
def list_static_routes(project: str = Depends(tenant), emu=Depends(emulator)):
    return [_route_view(r, project) for r in emu.store.list("staticroute", project)]


@router.get("/staticroute/filter")
def filter_static_routes(urlPrefix: str = "", project: str = Depends(tenant), emu=Depends(emulator)):
    found = [_route_view(r, project) for r in emu.store.list("staticroute", project) if r["urlPrefix"] == urlPrefix]
    if not found:
        raise ApiError(404, NOT_FOUND)
    return found


@router.get("/staticroute/{guid}/get")
def get_static_route(guid: str, project: str = Depends(tenant), emu=Depends(emulator)):
    route = emu.store.get("staticroute", project, guid)
    if route is None:
        raise ApiError(404, NOT_FOUND)
    return _route_view(route, project)


def _existing_guid(emu, project, kind, body):
    """The guid a delete body names, when that object exists (404 otherwise)."""
    guid = body.get("guid") if isinstance(body, dict) else None
    if not guid or emu.store.get(kind, project, guid) is None:
        raise ApiError(404, NOT_FOUND)
    return guid


@router.delete("/staticroute/delete")
def delete_static_route(body: Any = Body(None), project: str = Depends(tenant), emu=Depends(emulator)):
    with emu.store.tx():
        guid = _existing_guid(emu, project, "staticroute", body)
        users = in_use_by(emu, project, emu.renderer(project), lambda d: any(
            guid in ((ctx or {}).get("static_route_config") or {}).values()
            for ctx in ((d.get("provisionContext") or {}).get("component_context") or {}).values()))
        if users:
            raise ApiError(409, "static route %s is in use by deployments: %s" % (
                guid, ", ".join("%s (%s)" % (d["name"], d["deploymentId"]) for d in users)))
        emu.store.delete("staticroute", project, guid)
    return {"success": True}


def _check_secret(body):
    if not isinstance(body, dict):
        raise ApiError(400, "invalid secret: expected a JSON object")
    name = body.get("name")
    if not isinstance(name, str) or not SECRET_NAME.match(name) or not 3 <= len(name) <= 253:
        raise ApiError(400, "secret name must match ^[a-z0-9][a-z0-9-]+[a-z0-9]$ (3-253 characters)")
    if not isinstance(body.get("data"), dict) or not body.get("type"):
        raise ApiError(400, "secret type and data are required")


@router.post("/secret/create")
def create_secret(body: Any = Body(None), project: str = Depends(tenant), emu=Depends(emulator)):
    _check_secret(body)
    with emu.store.tx():
        if any(s["name"] == body["name"] for s in emu.store.list("secret", project)):
            raise ApiError(409, "secret %s already exists" % body["name"])
        now = ids.rfc3339(emu.now())
        secret = {"guid": ids.new_id("secret-"), "name": body["name"], "type": body["type"], "data": body["data"],
                  "creator": "user-emulator", "projectGUID": project, "ID": emu.int_id(), "CreatedAt": now,
                  "UpdatedAt": now, "DeletedAt": None}
        emu.store.put("secret", project, secret["guid"], secret)
    return secret


@router.get("/secret/list")
def list_secrets(project: str = Depends(tenant), emu=Depends(emulator)):
    return emu.store.list("secret", project)


@router.get("/secret/{guid}/get")
def get_secret(guid: str, project: str = Depends(tenant), emu=Depends(emulator)):
    secret = emu.store.get("secret", project, guid)
    if secret is None:
        raise ApiError(404, NOT_FOUND)
    return secret


@router.put("/secret/{guid}/update")
def update_secret(guid: str, body: Any = Body(None), project: str = Depends(tenant), emu=Depends(emulator)):
    _check_secret(body)
    with emu.store.tx():
        secret = emu.store.get("secret", project, guid)
        if secret is None:
            raise ApiError(404, NOT_FOUND)
        secret.update(type=body["type"], data=body["data"], UpdatedAt=ids.rfc3339(emu.now()))
        emu.store.put("secret", project, guid, secret)
    return secret


@router.delete("/secret/delete")
def delete_secret(body: Any = Body(None), project: str = Depends(tenant), emu=Depends(emulator)):
    with emu.store.tx():
        emu.store.delete("secret", project, _existing_guid(emu, project, "secret", body))
    return {"success": True}


# The rip host's login (the SDK's Client.get_auth_token): no bearer token needed, any credentials
# yield the emulator's token, so scripts written for the platform can log in.
login_router = APIRouter()


@login_router.post("/user/login")
def login(body: Any = Body(None), emu=Depends(emulator)):
    if not isinstance(body, dict) or not body.get("email") or not body.get("password"):
        raise ApiError(400, "email and password are required")
    return {"data": {"token": emu.settings.token}}
