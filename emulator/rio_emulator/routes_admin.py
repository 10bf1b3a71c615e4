"""Admin API under /_emulator/ (no auth, never counted, never faulted) and the status page at `/`."""
import html
import json
import os

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from . import __version__
from .context import emulator
from .errors import ApiError
from .v2 import overview as v2_overview

router = APIRouter(prefix="/_emulator")
page = APIRouter()
TEMPLATE = os.path.join(os.path.dirname(__file__), "templates", "status.html")


@router.get("/health")
def health(emu=Depends(emulator)):
    return {"status": "ok", "version": __version__, "project": emu.settings.project,
            "organization": emu.settings.organization,
            "phase_delay": emu.settings.phase_delay, "state": emu.settings.state or ":memory:"}


@router.get("/stats")
def stats(emu=Depends(emulator)):
    return emu.stats.snapshot()


@router.post("/stats/reset")
def reset_stats(emu=Depends(emulator)):
    emu.stats.reset()
    return emu.stats.snapshot()


@router.post("/reset")
def reset(counters_only: str | None = None, emu=Depends(emulator)):
    if counters_only in ("1", "true", "True", "yes"):
        emu.stats.reset()
        return {"reset": "counters"}
    emu.reset()
    return {"reset": "all"}


@router.get("/faults")
def get_faults(emu=Depends(emulator)):
    return emu.faults.describe()


async def _json_body(request):
    """Admin bodies are parsed whatever the Content-Type (curl -d sends form encoding)."""
    raw = await request.body()
    if not raw.strip():
        return {}
    try:
        body = json.loads(raw)
    except ValueError:
        raise ApiError(400, "the body must be a JSON object")
    if not isinstance(body, dict):
        raise ApiError(400, "the body must be a JSON object")
    return body


@router.post("/faults")
async def set_faults(request: Request, emu=Depends(emulator)):
    body = await _json_body(request)
    try:
        kinds = body.get("kinds")
        if kinds is not None and not isinstance(kinds, list):
            raise ValueError("kinds must be a list")
        emu.faults.configure(body.get("rate", 0.0), body.get("latency_ms", 0), body.get("seed"), kinds)
    except (TypeError, ValueError) as exc:
        raise ApiError(400, str(exc))
    return emu.faults.describe()


@router.post("/devices/{uuid}")
async def set_device(uuid: str, request: Request, emu=Depends(emulator)):
    """Test hook: change a fleet device's status (e.g. take it OFFLINE) without the device API."""
    body = await _json_body(request)
    project = body.get("project") or emu.settings.project
    with emu.store.tx():
        dev = emu.store.get("device", project, uuid)
        if dev is None:
            raise ApiError(404, "device not found: %s" % uuid)
        if body.get("status"):
            dev["status"] = str(body["status"]).upper()
        emu.store.put("device", project, uuid, dev)
    return {"uuid": uuid, "status": dev["status"]}


def _rows(cells_list):
    return "".join("<tr>%s</tr>" % "".join("<td class='%s'>%s</td>" % (html.escape(cls), html.escape(str(v)))
                                            for cls, v in cells) for cells in cells_list) or \
        "<tr><td colspan='9' class='empty'>none</td></tr>"


def _v2_sections(emu):
    return "".join("<h2>%s</h2>\n<table><tr>%s</tr>\n%s</table>\n" % (
        html.escape(title), "".join("<th>%s</th>" % html.escape(h) for h in headers), _rows(rows))
        for title, headers, rows in v2_overview.sections(emu))


def _phase_class(phase):
    return {"Succeeded": "ok", "Failed to start": "bad", "Deployment stopped": "off"}.get(phase, "wait")


@page.get("/", response_class=HTMLResponse)
def status_page(emu=Depends(emulator)):
    devices = [(("", d.get("ownerProject", "")), ("", d["name"]), ("", d["uuid"]),
                ("ok" if d["status"] == "ONLINE" else "bad", d["status"]), ("", d.get("architecture", "")))
               for d in emu.store.list("device")]
    packages = [(("", p.get("ownerProject", "")), ("", p["packageName"]), ("", p["packageVersion"]), ("", p["guid"]))
                for p in emu.store.list("package")]
    deployments, renderers = [], {}
    for dep in emu.store.list("deployment"):
        project = dep.get("ownerProject", "")
        renderer = renderers.setdefault(project, emu.renderer(project))
        phase, status, errors, _failure = renderer.state(dep)
        deployments.append((("", project), ("", dep["name"]), ("", dep["deploymentId"]), ("", dep.get("kind", "app")),
                            ("", dep["packageName"]), (_phase_class(phase), phase), ("", status),
                            ("bad" if errors else "", ", ".join(errors or []))))
    with open(TEMPLATE) as handle:
        text = handle.read()
    snap = emu.stats.snapshot()
    return text.replace("{{devices}}", _rows(devices)).replace("{{packages}}", _rows(packages)) \
        .replace("{{deployments}}", _rows(deployments)).replace("{{v2}}", _v2_sections(emu)) \
        .replace("{{requests}}", "%d requests (%d reads, %d writes)" % (snap["total"], snap["reads"], snap["writes"]))
