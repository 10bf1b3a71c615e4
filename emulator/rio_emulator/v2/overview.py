"""Rows of the status page's v2 sections: every project's v2 objects with their current state."""
from . import common as c
from .lifecycle import Renderer
from .routes_resources import disk_status, network_status

# (title, store kind, column headers)
SECTIONS = (
    ("v2 deployments", c.DEPLOYMENT, ("project", "name", "guid", "package", "device", "phase", "status", "errors")),
    ("v2 packages", c.PACKAGE, ("project", "name", "version", "runtime", "guid")),
    ("v2 networks", c.NETWORK, ("project", "name", "type", "runtime", "phase", "status", "errors")),
    ("v2 disks", c.DISK, ("project", "name", "capacity", "status", "bound to")),
    ("v2 static routes", c.STATICROUTE, ("project", "name", "url")),
    ("v2 secrets", c.SECRET, ("project", "name", "type", "keys")),
    ("v2 config trees", c.CONFIGTREE, ("project", "name", "guid")),
)


def _state_class(value):
    if value in ("Succeeded", "Running", "Available", "Bound"):
        return "ok"
    if value in ("FailedToStart", "FailedToUpdate", "Error", "Failed"):
        return "bad"
    if value in ("Stopped", "Released"):
        return "off"
    return "wait"


def _deployment_row(emu, renderers, doc, project):
    renderer = renderers.setdefault(project, Renderer(emu.store, project, emu.settings.phase_delay, emu.now()))
    phase, status, codes = renderer.state(doc)[:3]
    meta, spec = doc["metadata"], doc.get("spec") or {}
    package = meta.get("depends") or {}
    device = ((spec.get("device") or {}).get("depends") or {}).get("nameOrGUID", "")
    return [("", project), ("", meta.get("name")), ("", meta.get("guid")),
            ("", "%s %s" % (package.get("nameOrGUID", ""), package.get("version", ""))), ("", device),
            (_state_class(phase), phase), (_state_class(status), status), ("bad" if codes else "", ", ".join(codes))]


def _row(ctx, kind, doc):
    meta, spec = doc["metadata"], doc.get("spec") or {}
    head = [("", ctx.project), ("", meta.get("name"))]
    if kind == c.PACKAGE:
        return head + [("", meta.get("version")), ("", spec.get("runtime", "")), ("", meta.get("guid"))]
    if kind == c.NETWORK:
        state = network_status(ctx, doc)
        return head + [("", spec.get("type", "")), ("", spec.get("runtime", "")),
                       (_state_class(state["phase"]), state["phase"]), (_state_class(state["status"]), state["status"]),
                       ("bad" if state["errorCodes"] else "", ", ".join(state["errorCodes"]))]
    if kind == c.DISK:
        state = disk_status(ctx, doc)
        return head + [("", "%s GiB" % spec.get("capacity", "")), (_state_class(state["status"]), state["status"]),
                       ("", (state["diskBound"] or {}).get("deployment_name", ""))]
    if kind == c.STATICROUTE:
        return head + [("", spec.get("url", ""))]
    if kind == c.SECRET:
        return head + [("", spec.get("type", "")), ("", ", ".join(spec.get("secretKeys") or []))]
    return head + [("", meta.get("guid"))]


def sections(emu):
    """[(title, headers, rows)] where a row is [(css class, text)], for every v2 kind."""
    out, renderers = [], {}
    for title, kind, headers in SECTIONS:
        rows = []
        for doc in emu.store.list(kind):
            project = (doc.get("metadata") or {}).get("projectGUID", "")
            if kind == c.DEPLOYMENT:
                rows.append(_deployment_row(emu, renderers, doc, project))
            else:
                rows.append(_row(c.V2Context(emu, None, project, emu.settings.organization), kind, doc))
        out.append((title, headers, rows))
    return out
