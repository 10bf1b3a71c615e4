"""What the riocli conformance tests share: a private emulator process, the `rio` command pointed at
it through its own config file, the manifest set of tests/fixtures/v2/manifests and the vendor's
JSON-schema oracle.

This module runs in `.venv-riocli`, which holds riocli but not the emulator: the emulator process is
started by rio_emulator.launcher (standard library only, imported from the source tree) with the main
`.venv`'s python, and stopped by its pid.
"""
import copy
import glob
import json
import os
import re
import subprocess
import sys
import time

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path[:0] = [os.path.join(ROOT, "emulator"), os.path.join(ROOT, "tests", "unit")]
import vendor_schemas  # found through the path above
from rio_emulator import launcher  # found through the path above

MANIFEST_DIR = os.path.join(ROOT, "tests", "fixtures", "v2", "manifests")
# The shared set, one document per file, as `rio apply -f DIR` reads a folder.
SET_DIR = os.path.join(MANIFEST_DIR, "fleet-set")
ROBOT_TEMPLATE = os.path.join(MANIFEST_DIR, "robot-deployment.yaml")
FLEET = os.path.join(HERE, "fleet.yml")
# The emulator's interpreter: the main venv (the client venv does not contain the emulator).
EMULATOR_PYTHON = os.environ.get("RIO_EMULATOR_PYTHON", os.path.join(ROOT, ".venv", "bin", "python"))
RIO = os.path.join(os.path.dirname(sys.executable), "rio")

TOKEN = "riocli-conformance-token-0123456789"
PROJECT = "project-riocliconformancesuite"
# The emulator's organization when none is given (its documented defaults).
ORGANIZATION = launcher.DEFAULT_ORGANIZATION
ORGANIZATION_SHORT_ID = "emuorg"

ONLINE_ROBOTS = ("fleet-robot-1", "fleet-robot-2", "fleet-robot-3")
STARTUP_TIMEOUT = 60
RIO_TIMEOUT = 240
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")

# Object keys riocli prints for the manifest set (riocli's `kind:name`, packages `package:name:version`).
SET_KEYS = ("secret:fleet-regcred", "disk:fleet-logs", "network:fleet-net", "staticroute:fleet-console",
            "package:fleet-console:v1.0.0", "package:fleet-talker:v1.0.0", "deployment:fleet-console")


class Emulator(launcher.EmulatorProcess):
    """A private emulator process (rio_emulator.launcher, the main venv's python) with this suite's token
    and project, and a riocli config file aimed at it."""

    def __init__(self, workdir=None, fleet=FLEET, phase_delay=0, extra_args=()):
        super().__init__(workdir, fleet=fleet, token=TOKEN, project=PROJECT, python=EMULATOR_PYTHON,
                         timeout=STARTUP_TIMEOUT, extra_args=["--phase-delay", str(phase_delay)] + list(extra_args))
        assert self.url.startswith("http://127.0.0.1:"), self.url
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

    def v2(self, path):
        """GET a project-scoped v2 path as sdk-v2 would (token, project and organization headers): (status, body)."""
        headers = {"Authorization": "Bearer " + TOKEN, "project": PROJECT, "organizationguid": ORGANIZATION}
        return self.raw("GET", path, headers=headers)

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


def manifest_files(directory=MANIFEST_DIR):
    """Every manifest file below `directory`, in the order `rio apply` reads a folder (sorted paths)."""
    return sorted(glob.glob(os.path.join(directory, "**", "*.y*ml"), recursive=True))


def set_documents():
    """The shared set's documents, in file order."""
    return [doc for path in manifest_files(SET_DIR) for doc in load_documents(path)]


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


# -- the vendor's schema oracle (shared with the unit tests) ----------------------------------------
vendor_schema_dir = vendor_schemas.schema_folder
vendor_validator = vendor_schemas.validator
