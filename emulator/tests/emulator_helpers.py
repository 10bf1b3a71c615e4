"""Helpers for the emulator's own tests: an in-process app (FastAPI TestClient) with a controllable
clock, and the real `python -m rio_emulator serve` process (started by rio_emulator.launcher).
(A uniquely named module, not conftest, so that `from ... import` cannot collide with another
suite's conftest.)"""
import json
import os
import warnings

from rio_emulator import fleet
from rio_emulator.app import create_app
from rio_emulator.context import Settings
from rio_emulator.launcher import EmulatorProcess

HERE = os.path.dirname(os.path.abspath(__file__))
FLEET = os.path.join(HERE, "fleet.yml")
# The package manifests the collection's tests use too (the repository's tests/fixtures/).
MANIFESTS = os.path.join(os.path.dirname(os.path.dirname(HERE)), "tests", "fixtures", "manifests")
TOKEN = "test-token"
PROJECT = "project-test"
AUTH = {"Authorization": "Bearer " + TOKEN, "project": PROJECT}
DOCKER_AMD64 = "22222222-2222-4222-8222-222222222201"
DOCKER_ARM64 = "22222222-2222-4222-8222-222222222202"
PREINSTALLED = "22222222-2222-4222-8222-222222222203"
NOETIC = "22222222-2222-4222-8222-222222222204"
OFFLINE = "22222222-2222-4222-8222-222222222205"


def manifest(name):
    with open(os.path.join(MANIFESTS, name)) as handle:
        return json.load(handle)


class Clock:
    def __init__(self):
        self.t = 1_700_000_000.0

    def __call__(self):
        return self.t

    def advance(self, seconds):
        self.t += seconds


class Api:
    """TestClient wrapper that sends the auth + project headers by default."""

    def __init__(self, client, emu, clock):
        self.client, self.emu, self.clock = client, emu, clock
        self.headers = dict(AUTH)

    def request(self, method, path, headers=None, **kw):
        merged = dict(self.headers)
        merged.update(headers or {})
        return self.client.request(method, path, headers=merged, **kw)

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, **kw):
        return self.request("POST", path, **kw)

    def put(self, path, **kw):
        return self.request("PUT", path, **kw)

    def patch(self, path, **kw):
        return self.request("PATCH", path, **kw)

    def delete(self, path, **kw):
        return self.request("DELETE", path, **kw)

    # -- helpers ---------------------------------------------------------------------------------
    def create_package(self, body):
        answer = self.post("/serviceclass/add", json=body)
        assert answer.status_code == 200, answer.text
        return answer.json()

    def package(self, package_id):
        return self.get("/serviceclass/status", params={"package_uid": package_id}).json()["packageInfo"]

    def provision(self, package_id, name="dep", devices=None, extra_params=None, context=None, expect=200):
        """Provision the first plan; devices maps component name -> device uuid."""
        info = self.package(package_id)
        plan = info["plans"][0]
        params = {"global": {}}
        for ic in plan["internalComponents"]:
            params[ic["componentId"]] = {"component_id": ic["componentId"]}
            comp = next(c for c in plan["components"]["components"] if c["name"] == ic["componentName"])
            for p in comp.get("parameters") or []:
                params[ic["componentId"]][p["name"]] = p.get("default") or "x"
            if devices and ic["componentName"] in devices:
                params[ic["componentId"]]["device_id"] = devices[ic["componentName"]]
                params["global"].setdefault("device_ids", []).append(devices[ic["componentName"]])
        for cid_name, extra in (extra_params or {}).items():
            cid = next(ic["componentId"] for ic in plan["internalComponents"] if ic["componentName"] == cid_name)
            params[cid].update(extra)
        ctx = {"name": name, "labels": [], "dependentDeployments": [], "routedNetworks": [], "nativeNetworks": [],
               "component_context": {}, "diskMountInfo": []}
        ctx.update(context or {})
        body = {"service_id": package_id, "plan_id": plan["planId"], "api_version": "1.0.0",
                "instance_id": "instanceId", "organization_guid": "organizationGuid", "space_guid": "spaceGuid",
                "accepts_incomplete": True, "parameters": params, "context": ctx,
                "_is_provisioned": True, "_devices": {}}
        answer = self.put("/v2/service_instances/instanceId", json=body)
        assert answer.status_code == expect, answer.text
        return answer.json().get("operation") if expect == 200 else answer

    def deployment(self, dep_id):
        answer = self.get("/serviceinstance/" + dep_id)
        assert answer.status_code == 200, answer.text
        return answer.json()


def make_api(phase_delay=0.0, fleet_path=FLEET, state=None, **settings):
    clock = Clock()
    app = create_app(Settings(token=TOKEN, project=PROJECT, fleet_specs=fleet.load(fleet_path),
                              phase_delay=phase_delay, state=state, **settings))
    app.emulator.now = clock
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # starlette's httpx deprecation notice, not ours
        # Imported here: the floor venv lacks httpx, and the process tests must still run there.
        from fastapi.testclient import TestClient
    client = TestClient(app)
    return Api(client, app.emulator, clock)


def start_process(*serve_args, state=None, fleet_path=FLEET):
    """A real `python -m rio_emulator serve` process with the test token, project and fleet."""
    return EmulatorProcess(fleet=fleet_path, token=TOKEN, project=PROJECT, state=state, extra_args=serve_args)
