"""The signed-in user (also the login host's `GET /user/info`), the organization and projects
(docs/reference/v2-api.md#projects-and-users).

The emulator has one user (the token's owner) in one organization (settings.organization). Known
projects: the default project (settings.project, never stored until edited) plus those created here,
stored as kind PROJECT under the organization guid.
"""
import copy
from typing import Any

from fastapi import APIRouter, Body, Depends, Request

from . import common as c

router = APIRouter()

ROLE_NAMES = ["admin"]
PROJECT_STATUS = {"status": "Success", "vpn": "Disabled", "tracing": "Disabled"}
# The emulator's own birthday: the synthesized objects need stable timestamps.
EPOCH = "2024-01-01T00:00:00Z"


# -- user ------------------------------------------------------------------------------------------
def _subject():
    return {"kind": "User", "guid": c.USER_GUID, "name": c.USER_EMAIL}


def _projects(ctx):
    return [_default_project(ctx)] + [p for p in ctx.store.list(c.PROJECT, ctx.organization)
                                      if p["metadata"]["guid"] != ctx.settings.project]


def _user(ctx):
    edits = ctx.store.get(c.USER, ctx.organization, c.USER_GUID) or {}
    spec = {
        "firstName": edits.get("firstName", c.USER_FIRST_NAME), "lastName": edits.get("lastName", c.USER_LAST_NAME),
        "emailID": c.USER_EMAIL,
        "organizations": [{"guid": ctx.organization, "name": c.ORGANIZATION_NAME, "creator": c.USER_GUID,
                           "shortGUID": c.ORGANIZATION_SHORT_GUID, "roleNames": list(ROLE_NAMES)}],
        "projects": [{"guid": p["metadata"]["guid"], "name": p["metadata"]["name"], "creator": c.USER_GUID,
                      "organizationCreator": c.USER_GUID, "organizationGUID": ctx.organization,
                      "roleNames": list(ROLE_NAMES)} for p in _projects(ctx)],
        "userGroups": [],
    }
    metadata = {"name": c.USER_EMAIL, "guid": c.USER_GUID, "organizationGUID": ctx.organization,
                "creatorGUID": c.USER_GUID, "labels": {}, "createdAt": EPOCH,
                "updatedAt": edits.get("updatedAt", EPOCH)}
    return {"apiVersion": c.API_VERSION, "kind": "User", "metadata": metadata, "spec": spec}


@router.get("/v2/users/me/")
def get_myself(ctx: c.V2Context = Depends(c.user_context)):
    return _user(ctx)


@router.put("/v2/users/me/")
def update_myself(body: Any = Body(None), ctx: c.V2Context = Depends(c.user_context)):
    """Only the names can change (email, organizations and projects are the emulator's)."""
    body = c.read_body(body, "User")
    spec = c.check_object(body.get("spec"), "spec")
    first = c.check_string(spec.get("firstName"), "spec.firstName")
    last = c.check_string(spec.get("lastName"), "spec.lastName")
    with ctx.tx():
        stored = ctx.store.get(c.USER, ctx.organization, c.USER_GUID) or {}
        edits = dict(stored)
        if first is not None and first != _user(ctx)["spec"]["firstName"]:
            edits["firstName"] = first
        if last is not None and last != _user(ctx)["spec"]["lastName"]:
            edits["lastName"] = last
        if edits != stored:
            edits["updatedAt"] = ctx.timestamp()
            ctx.store.put(c.USER, ctx.organization, c.USER_GUID, edits)
    return _user(ctx)


@router.get("/user/info")
def user_info(ctx: c.V2Context = Depends(c.user_context)):
    """The login host's "who am I" (`rio auth login --auth-token` reads data.email)."""
    return {"data": {"email": c.USER_EMAIL, "guid": c.USER_GUID, "firstName": c.USER_FIRST_NAME,
                     "lastName": c.USER_LAST_NAME}}


# -- organization ----------------------------------------------------------------------------------
@router.get("/v2/organizations/{guid}/")
def get_organization(guid: str, ctx: c.V2Context = Depends(c.organization_context)):
    if guid != ctx.organization:
        raise c.not_found("organization", guid)
    metadata = {"name": c.ORGANIZATION_NAME, "guid": ctx.organization, "shortGUID": c.ORGANIZATION_SHORT_GUID,
                "creatorGUID": c.USER_GUID, "organizationGUID": ctx.organization, "labels": {},
                "createdAt": EPOCH, "updatedAt": EPOCH}
    return {"apiVersion": c.API_VERSION, "kind": "Organization", "metadata": metadata,
            "spec": {"members": [{"subject": _subject(), "roleNames": list(ROLE_NAMES)}]}}


# -- projects --------------------------------------------------------------------------------------
DEFAULT_FEATURES = {"vpn": {"enabled": False}, "tracing": {"enabled": False}, "dockerCache": {"enabled": False}}


def _default_project(ctx):
    stored = ctx.store.get(c.PROJECT, ctx.organization, ctx.settings.project)
    if stored is not None:
        return stored
    metadata = {"name": c.DEFAULT_PROJECT_NAME, "guid": ctx.settings.project, "organizationGUID": ctx.organization,
                "creatorGUID": c.USER_GUID, "labels": {}, "region": c.DEFAULT_REGION,
                "createdAt": EPOCH, "updatedAt": EPOCH}
    return {"apiVersion": c.API_VERSION, "kind": "Project", "metadata": metadata,
            "spec": {"members": [{"subject": _subject(), "roleNames": list(ROLE_NAMES)}],
                     "features": copy.deepcopy(DEFAULT_FEATURES)}}


def _project_view(project):
    out = c.public(project)
    out["status"] = dict(PROJECT_STATUS)
    return out


def _find_project(ctx, guid):
    if guid == ctx.settings.project:
        return _default_project(ctx)
    project = ctx.store.get(c.PROJECT, ctx.organization, guid)
    if project is None:
        raise c.not_found("project", guid)
    return project


def _check_project_body(ctx, raw):
    sent_org = ((raw.get("metadata") or {}) if isinstance(raw, dict) and isinstance(raw.get("metadata"), dict)
                else {}).get("organizationGUID")
    if sent_org and sent_org != ctx.organization:
        raise c.forbidden()
    body = c.read_body(raw, "Project")
    c.check_name(body["metadata"])
    c.check_labels(body["metadata"])
    spec = c.check_object(body.get("spec"), "spec")
    members = c.check_list(spec.get("members"), "spec.members")
    for index, member in enumerate(members):
        path = "spec.members[%d]" % index
        subject = c.check_object(c.check_object(member, path).get("subject"), path + ".subject", required=True)
        c.check_string(subject.get("kind"), path + ".subject.kind", choices=("User", "UserGroup", "ServiceAccount"))
        if not subject.get("name") and not subject.get("guid"):
            raise c.invalid(path + ".subject", "name or guid required")
        c.check_list(member.get("roleNames"), path + ".roleNames")
    features = c.check_object(spec.get("features"), "spec.features")
    for key in features:
        if key not in DEFAULT_FEATURES:
            raise c.invalid("spec.features." + key, "unknown feature")
        c.check_bool(c.check_object(features[key], "spec.features." + key).get("enabled"),
                     "spec.features.%s.enabled" % key)
    merged = copy.deepcopy(DEFAULT_FEATURES)
    for key, value in features.items():
        merged[key] = dict(merged[key], **value)
    spec["features"] = merged
    spec.setdefault("members", [{"subject": _subject(), "roleNames": list(ROLE_NAMES)}])
    body["spec"] = spec
    return body


@router.get("/v2/projects/")
def list_projects(request: Request, ctx: c.V2Context = Depends(c.organization_context)):
    organizations = set(c.query_values(request, "organizations"))
    statuses = set(c.query_values(request, "status"))
    projects = [_project_view(p) for p in _projects(ctx)]
    if organizations and ctx.organization not in organizations:
        projects = []
    if statuses and PROJECT_STATUS["status"] not in statuses:
        projects = []
    return c.list_response(request, c.select(projects, request, names_key="name"), "ProjectList")


@router.post("/v2/projects/", status_code=201)
def create_project(body: Any = Body(None), ctx: c.V2Context = Depends(c.organization_context)):
    body = _check_project_body(ctx, body)
    name = body["metadata"]["name"]
    with ctx.tx():
        if any(p["metadata"]["name"] == name for p in _projects(ctx)):
            raise c.conflict("project %s already exists" % name)
        project = c.new_object(ctx, body, "Project", c.PROJECT)
        ctx.store.put(c.PROJECT, ctx.organization, project["metadata"]["guid"], project)
    return _project_view(project)


@router.get("/v2/projects/{guid}/")
def get_project(guid: str, ctx: c.V2Context = Depends(c.organization_context)):
    return _project_view(_find_project(ctx, guid))


@router.put("/v2/projects/{guid}/")
def update_project(guid: str, body: Any = Body(None), ctx: c.V2Context = Depends(c.organization_context)):
    """Labels and spec (members, features) are replaced; the name stays."""
    body = _check_project_body(ctx, body)
    with ctx.tx():
        stored = _find_project(ctx, guid)
        project = copy.deepcopy(stored)
        if body["metadata"]["name"] != project["metadata"]["name"]:
            raise c.invalid("metadata.name", "cannot be changed (is %s)" % project["metadata"]["name"])
        project["metadata"]["labels"] = body["metadata"].get("labels", {})
        project["spec"] = body["spec"]
        project = c.save_if_changed(ctx, c.PROJECT, guid, stored, project, store=ctx.organization)
    return _project_view(project)


@router.delete("/v2/projects/{guid}/")
def delete_project(guid: str, ctx: c.V2Context = Depends(c.organization_context)):
    with ctx.tx():
        _find_project(ctx, guid)
        if guid == ctx.settings.project:
            raise c.bad_request("the emulator's default project %s cannot be deleted" % guid)
        ctx.store.delete(c.PROJECT, ctx.organization, guid)
    return c.success()
