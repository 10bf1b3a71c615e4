"""What the riocli conformance tests share: a private emulator process, the `rio` command pointed at
it through its own config file, the manifest set of tests/fixtures/v2/manifests and the vendor's
JSON-schema oracle.

This module runs in `.venv-riocli`, which holds riocli but not the emulator: the emulator is started
as a separate process from the main `.venv` (`python -m rio_emulator launch`), stopped by its pid.
"""
import copy
import importlib.util
import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
MANIFEST_DIR = os.path.join(ROOT, "tests", "fixtures", "v2", "manifests")
SET_FILE = os.path.join(MANIFEST_DIR, "fleet-set.yaml")
ROBOT_TEMPLATE = os.path.join(MANIFEST_DIR, "robot-deployment.yaml")
FLEET = os.path.join(HERE, "fleet.yml")
# The emulator's interpreter: the main venv (the client venv does not contain the emulator).
EMULATOR_PYTHON = os.environ.get("RIO_EMULATOR_PYTHON", os.path.join(ROOT, ".venv", "bin", "python"))
RIO = os.path.join(os.path.dirname(sys.executable), "rio")

TOKEN = "riocli-conformance-token-0123456789"
PROJECT = "project-riocliconformancesuite"
# The emulator's organization when none is given (its documented defaults).
ORGANIZATION = "org-emulatoremulatoremulat"
ORGANIZATION_SHORT_ID = "emuorg"

ONLINE_ROBOTS = ("fleet-robot-1", "fleet-robot-2", "fleet-robot-3")
STARTUP_TIMEOUT = 60
RIO_TIMEOUT = 240
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")

# Object keys riocli prints for the manifest set (riocli's `kind:name`, packages `package:name:version`).
SET_KEYS = ("secret:fleet-regcred", "disk:fleet-logs", "network:fleet-net", "staticroute:fleet-console",
            "package:fleet-console:v1.0.0", "package:fleet-talker:v1.0.0", "deployment:fleet-console")


class Emulator:
    """A private emulator process launched from the main venv; addressed by URL, stopped by pid."""

    def __init__(self, workdir, fleet=FLEET, phase_delay=0, extra_args=()):
        self.workdir = workdir
        self.log_path = os.path.join(workdir, "emulator.log")
        command = [EMULATOR_PYTHON, "-m", "rio_emulator", "launch", "--log", self.log_path,
                   "--timeout", str(STARTUP_TIMEOUT), "--host", "127.0.0.1", "--port", "0",
                   "--state", os.path.join(workdir, "state.sqlite"), "--token", TOKEN, "--project", PROJECT,
                   "--fleet", fleet, "--phase-delay", str(phase_delay)] + list(extra_args)
        launched = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=STARTUP_TIMEOUT + 30)
        if launched.returncode != 0:
            raise RuntimeError("the emulator did not start: %s%s" % (launched.stderr, self.log()[-3000:]))
        url, pid = launched.stdout.split()
        assert url.startswith("http://127.0.0.1:"), url
        self.url, self.pid = url, int(pid)
        self.config_path = self.write_rio_config()

    def write_rio_config(self):
        """riocli's config file: every host it knows is this emulator (docs/reference/v2-api.md#hosts-and-headers)."""
        path = os.path.join(self.workdir, "rio-config.json")
        config = {"auth_token": TOKEN, "project_id": PROJECT, "project_name": "riocli-conformance",
                  "organization_id": ORGANIZATION, "organization_name": "emulator-org",
                  "organization_short_id": ORGANIZATION_SHORT_ID, "email_id": "conformance@example.com",
                  "environment": "ga"}
        for key in ("v2api_host", "core_api_host", "rip_host", "catalog_host"):
            config[key] = self.url
        with open(path, "w") as handle:
            json.dump(config, handle)
        return path

    def stop(self):
        """SIGTERM by pid, then SIGKILL if it is still there after 10 s."""
        for sig, grace in ((signal.SIGTERM, 10.0), (signal.SIGKILL, 5.0)):
            try:
                os.kill(self.pid, sig)
            except ProcessLookupError:
                return
            deadline = time.monotonic() + grace
            while time.monotonic() < deadline:
                try:
                    os.kill(self.pid, 0)
                except ProcessLookupError:
                    return
                time.sleep(0.05)

    def log(self):
        try:
            with open(self.log_path, errors="replace") as handle:
                return handle.read()
        except OSError:
            return ""

    # -- HTTP ------------------------------------------------------------------------------------
    def call(self, method, path, body=None, headers=None):
        """(status, JSON answer or None); never raises on an HTTP error status."""
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.url + path, data=data, method=method, headers=dict(headers or {}))
        if data is not None:
            request.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:
                status, raw = answer.status, answer.read()
        except urllib.error.HTTPError as exc:
            status, raw = exc.code, exc.read()
        return status, (json.loads(raw) if raw else None)

    def v2(self, path):
        """GET a project-scoped v2 path as sdk-v2 would (token, project and organization headers)."""
        headers = {"Authorization": "Bearer " + TOKEN, "project": PROJECT, "organizationguid": ORGANIZATION}
        return self.call("GET", path, headers=headers)

    def v2_ok(self, path):
        status, body = self.v2(path)
        assert status == 200, "GET %s -> %s %s" % (path, status, body)
        return body

    def items(self, collection, query=""):
        """Every item of a v2 collection, page by page (docs/reference/v2-api.md#lists-and-pagination)."""
        found, offset = [], 0
        while True:
            page = self.v2_ok("/v2/%s/?continue=%d&limit=100%s" % (collection, offset, query))
            batch = page.get("items") or []
            found.extend(batch)
            if len(batch) < 100:
                return found
            offset = page["metadata"]["continue"]

    def stats(self):
        return self.call("GET", "/_emulator/stats")[1]

    def reset(self):
        status, body = self.call("POST", "/_emulator/reset")
        assert status == 200, body


class RioResult:
    def __init__(self, args, proc, seconds):
        self.args, self.returncode, self.seconds = args, proc.returncode, seconds
        self.stdout = ANSI.sub("", proc.stdout)
        self.stderr = ANSI.sub("", proc.stderr)
        self.output = self.stdout + self.stderr

    def __str__(self):
        return "rio %s -> exit %s\n%s" % (" ".join(self.args), self.returncode, self.output[-6000:])


def run_rio(emulator, *args, expect_ok=True, timeout=RIO_TIMEOUT):
    """Run the real `rio` with RIO_CONFIG naming this emulator; stdin closed, so no prompt can hang."""
    env = dict(os.environ, RIO_CONFIG=emulator.config_path, HOME=emulator.workdir, NO_COLOR="1",
               COLUMNS="200", TERM="dumb", PYTHONIOENCODING="utf-8")
    started = time.monotonic()
    proc = subprocess.run([RIO] + list(args), capture_output=True, text=True, env=env, timeout=timeout,
                          stdin=subprocess.DEVNULL, cwd=emulator.workdir)
    result = RioResult(args, proc, time.monotonic() - started)
    if expect_ok:
        assert result.returncode == 0, str(result)
    return result


# -- manifests ---------------------------------------------------------------------------------------
def load_documents(path):
    with open(path) as handle:
        return [doc for doc in yaml.safe_load_all(handle) if doc]


def robot_documents(robots):
    """One talker deployment per robot, from the template (the same fields riocli's Jinja charts vary)."""
    template = load_documents(ROBOT_TEMPLATE)[0]
    documents = []
    for robot in robots:
        doc = copy.deepcopy(template)
        doc["metadata"]["name"] = "talker-" + robot
        doc["metadata"]["labels"]["robot"] = robot
        doc["spec"]["device"]["depends"]["nameOrGUID"] = robot
        for env in doc["spec"]["envArgs"]:
            if env["name"] == "ROBOT_NAME":
                env["value"] = robot
        documents.append(doc)
    return documents


def write_robot_manifest(directory, robots, name="robots.yaml"):
    path = os.path.join(directory, name)
    with open(path, "w") as handle:
        yaml.safe_dump_all(robot_documents(robots), handle, sort_keys=False)
    return path


def write_fleet(directory, count, name="fleet-generated.yml"):
    """A fleet file of `count` online amd64/noetic robots named robot-0001..."""
    devices = [{"name": "robot-%04d" % n, "status": "ONLINE", "architecture": "amd64", "runtime": "dockercompose",
                "ros_distro": "noetic", "labels": {"rack": "r%02d" % (n % 10)}} for n in range(1, count + 1)]
    path = os.path.join(directory, name)
    with open(path, "w") as handle:
        yaml.safe_dump({"devices": devices}, handle)
    return path, [d["name"] for d in devices]


def stats_delta(before, after):
    """Per-route and per-status request counts that happened between two /_emulator/stats snapshots."""
    def diff(key):
        keys = set(before[key]) | set(after[key])
        changed = {k: after[key].get(k, 0) - before[key].get(k, 0) for k in keys}
        return {k: v for k, v in changed.items() if v}
    return {"writes": after["writes"] - before["writes"], "reads": after["reads"] - before["reads"],
            "total": after["total"] - before["total"], "by_route": diff("by_route"), "by_status": diff("by_status")}


# -- the vendor's schema oracle ----------------------------------------------------------------------
def vendor_schema_dir():
    """The JSON schemas inside the installed riocli wheel (never copied into this repository)."""
    spec = importlib.util.find_spec("riocli")
    assert spec is not None and spec.submodule_search_locations, "riocli is not installed in this venv"
    return os.path.join(next(iter(spec.submodule_search_locations)), "jsonschema", "schemas")


def default_injecting_validator(schema):
    """A draft-07 validator that fills in schema defaults while it validates, as riocli's does
    (docs/reference/v2-api.md#vendor-schemas-and-models): without the defaults, ROS endpoints that omit optional
    flags fail the schema's conditionals."""
    from jsonschema import Draft7Validator, validators

    check_properties = Draft7Validator.VALIDATORS["properties"]

    def properties_with_defaults(validator, properties, instance, subschema):
        if isinstance(instance, dict):
            for key, child in properties.items():
                if isinstance(child, dict) and "default" in child:
                    instance.setdefault(key, copy.deepcopy(child["default"]))
        yield from check_properties(validator, properties, instance, subschema)

    return validators.extend(Draft7Validator, {"properties": properties_with_defaults})(schema)


def vendor_validator(kind):
    with open(os.path.join(vendor_schema_dir(), "%s-schema.yaml" % kind.lower())) as handle:
        return default_injecting_validator(yaml.safe_load(handle))
