"""Issue 8 item 6: schemathesis fuzzes the emulator's API from its OpenAPI document; no input may get a
5xx answer. The document is FastAPI's own (app.fastapi.openapi(): the emulator does not serve
/openapi.json); the requests go over HTTP to a private emulator process, with the token, so that they
reach the handlers. Bounded: RIO_FUZZ_MAX_EXAMPLES examples per operation (default 25).

The v2 routes read their query and body themselves, so FastAPI's document knows neither; with_v2_shapes
declares them (docs/reference/v2-api.md#lists-and-pagination, #object-envelope and the kinds' sections):
the list queries, `version` and `guid`, and each kind's envelope with its spec fields left untyped, so
that the fuzzer puts any JSON where the emulator's validators expect a field."""
import copy
import json
import os
import tempfile

import pytest

import schemathesis
from hypothesis import HealthCheck, settings

from rel_helpers import Emulator, MANIFESTS, record_figures
from rio_emulator.app import create_app
from rio_emulator.context import Settings

MAX_EXAMPLES = int(os.environ.get("RIO_FUZZ_MAX_EXAMPLES", "25"))

ANY = {}
# plural -> (kind, list filters, spec fields); a field of list items as {item field: ANY}.
V2_KINDS = {
    "packages": ("Package", ["labelSelector", "name"],
                 {"runtime": ANY, "cloud": ANY, "device": ANY, "environmentVars": ANY, "endpoints": ANY, "ros": ANY,
                  "executables": {"name": ANY, "type": ANY, "docker": ANY, "command": ANY, "limits": ANY,
                                  "livenessProbe": ANY}}),
    "deployments": ("Deployment", ["dependencies", "deviceName", "guids", "labelSelector", "name", "names",
                                   "packageName", "packageVersion", "phases", "regions"],
                    {"runtime": ANY, "device": ANY, "restart": ANY, "features": ANY, "networkInterface": ANY,
                     "depends": {"kind": ANY, "nameOrGUID": ANY},
                     "envArgs": {"name": ANY, "value": ANY, "valueFrom": ANY},
                     "volumes": {"execName": ANY, "mountPath": ANY, "depends": ANY},
                     "rosNetworks": {"depends": ANY, "interface": ANY},
                     "staticRoutes": {"name": ANY, "depends": ANY}}),
    "networks": ("Network", ["deviceName", "labelSelector", "names", "networkType", "phases", "regions", "status"],
                 {"type": ANY, "rosDistro": ANY, "runtime": ANY, "resourceLimits": ANY, "depends": ANY,
                  "networkInterface": ANY, "restartPolicy": ANY}),
    "disks": ("Disk", ["labelSelector", "names", "regions", "status"], {"runtime": ANY, "capacity": ANY}),
    "staticroutes": ("StaticRoute", ["guids", "labelSelector", "names", "regions"], {"sourceIPRange": ANY}),
    "secrets": ("Secret", ["labelSelector", "names", "regions"],
                {"type": ANY, "docker": ANY, "data": ANY, "runtime": ANY, "depends": ANY}),
    "configtrees": ("ConfigTree", ["labelSelector"], {}),
}
ITEM_QUERIES = {"packages": ["version"], "deployments": ["guid"]}


def _query(name, schema):
    return {"name": name, "in": "query", "required": False, "schema": schema}


def _document(kind, fields):
    spec = {}
    for field, shape in fields.items():
        spec[field] = {"type": "array", "items": {"type": "object", "properties": shape}} if shape else ANY
    return {"type": "object", "properties": {
        "apiVersion": {"type": "string"}, "kind": {"enum": [kind, kind.lower(), "Other"]},
        "metadata": {"type": "object", "properties": {"name": {"type": "string"}, "version": ANY, "labels": ANY,
                                                      "depends": ANY, "region": ANY}},
        "spec": {"type": "object", "properties": spec}}}


def with_v2_shapes(spec):
    """A copy of the OpenAPI document with the v2 routes' queries and documents declared."""
    spec = copy.deepcopy(spec)
    for plural, (kind, filters, fields) in V2_KINDS.items():
        document = {"content": {"application/json": {"schema": _document(kind, fields)}}}
        listing = spec["paths"].get("/v2/%s/" % plural, {})
        if "get" in listing:
            listing["get"].setdefault("parameters", []).extend(
                [_query("continue", {"type": "integer"}), _query("limit", {"type": "integer"})]
                + [_query(name, {"type": "array", "items": {"type": "string"}}) for name in filters])
        for operation in (listing.get("post"),) + tuple(spec["paths"].get("/v2/%s/{name}/" % plural, {}).get(m)
                                                        for m in ("put", "patch")):
            if operation and "requestBody" in operation:
                operation["requestBody"] = document
        for path, operations in spec["paths"].items():
            if path.startswith("/v2/%s/{name}/" % plural):
                for operation in operations.values():
                    operation.setdefault("parameters", []).extend(
                        _query(name, {"type": "string"}) for name in ITEM_QUERIES.get(plural, ()))
    return spec


_spec = with_v2_shapes(create_app(Settings()).fastapi.openapi())
# The admin routes are test hooks (they reset state and set faults), not the API; the status page is HTML.
schema = schemathesis.openapi.from_dict(_spec).exclude(path_regex=r"^/_emulator").exclude(path="/")
COUNTS = {"requests": 0, "by_status": {}, "server_errors": [], "v2_requests": 0}


@pytest.fixture(scope="module")
def live_emulator():
    emu = Emulator(tempfile.mkdtemp(prefix="rel-fuzz-"))
    with open(os.path.join(MANIFESTS, "talker-docker.json")) as handle:
        emu.api("POST", "/serviceclass/add", json.load(handle))
    yield emu
    emu.stop()
    operations = [op.ok().path for op in schema.get_all_operations()]
    record_figures("fuzz_emulator", {
        "operations": len(operations), "v2_operations": len([path for path in operations if path.startswith("/v2/")
                                                              and path.split("/")[2] in V2_KINDS]),
        "max_examples_per_operation": MAX_EXAMPLES, "requests": COUNTS["requests"],
        "v2_requests": COUNTS["v2_requests"], "by_status": COUNTS["by_status"],
        "server_errors": len(COUNTS["server_errors"])})


def test_v2_shapes_are_declared():
    """The declarations reach the document schemathesis reads (a list query, a body field)."""
    listing = _spec["paths"]["/v2/deployments/"]
    assert "limit" in [p["name"] for p in listing["get"]["parameters"]]
    body = listing["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert "envArgs" in body["properties"]["spec"]["properties"]
    assert "version" in [p["name"] for p in _spec["paths"]["/v2/packages/{name}/"]["get"]["parameters"]]


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
def test_no_server_error(case, live_emulator):
    headers = {"Authorization": "Bearer " + live_emulator.token, "project": live_emulator.project}
    headers.update(case.headers or {})
    response = case.call(base_url=live_emulator.url, headers=headers, timeout=15)
    COUNTS["requests"] += 1
    if case.operation.path.split("/")[2:3] and case.operation.path.split("/")[2] in V2_KINDS:
        COUNTS["v2_requests"] += 1
    code = str(response.status_code)
    COUNTS["by_status"][code] = COUNTS["by_status"].get(code, 0) + 1
    if response.status_code >= 500:
        COUNTS["server_errors"].append(case.as_curl_command())
    assert response.status_code < 500, "%s -> %s %s\n%s" % (
        case.operation.label, response.status_code, response.text[:300], case.as_curl_command())
