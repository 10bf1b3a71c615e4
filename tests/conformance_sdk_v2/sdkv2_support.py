"""The emulator process, SDK clients and request bodies shared by the sdk-v2 conformance tests.

This venv holds only the vendor's SDK, pytest and PyYAML: the emulator runs from the main venv
(`.venv/bin/python -m rio_emulator launch`, or RIO_EMULATOR_PYTHON) as a separate process, and
the tests talk to it only through the SDK, plus the stdlib for the `/_emulator/` test hooks.
"""
import json
import os
import signal
import subprocess
import time
import urllib.error
import urllib.request

from rapyuta_io_sdk_v2 import Client, Configuration

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
FLEET = os.path.join(ROOT, "tests", "conformance", "fleet.yml")
EMULATOR_PYTHON = os.environ.get("RIO_EMULATOR_PYTHON") or os.path.join(ROOT, ".venv", "bin", "python")

TOKEN = "sdkv2-conformance-token-0123456789"
PROJECT = "project-sdkvtwoconformancesuitea"
# The emulator's organization when --organization is not given (docs/reference/v2-api.md#projects-and-users).
ORGANIZATION = "org-emulatoremulatoremulat"
ORGANIZATION_SHORT_ID = "emuorg"
OTHER_ORGANIZATION = "org-anotherorganizationabcde"
UNKNOWN_PROJECT = "project-nosuchprojectinthisorgxy"
DENIED = "subject is not authorized for this operation"

STARTUP_TIMEOUT = 30
TEST_TIMEOUT = 60
POLL_SLEEP = 0.05

# Devices of tests/conformance/fleet.yml
DOCKER_AMD64 = "conf-docker-amd64"            # online, amd64, melodic
DOCKER_AMD64_UUID = "22222222-2222-4222-8222-222222222201"
DOCKER_ARM64 = "conf-docker-arm64"            # online, arm64v8, melodic
PREINSTALLED = "conf-preinstalled"            # online, amd64, preinstalled runtime
NOETIC = "conf-noetic"                        # online, amd64, noetic
OFFLINE = "conf-offline"                      # offline, amd64, melodic


class EmulatorProcess:
    """One `rio_emulator serve` on a free loopback port, started through `launch` (prints "URL PID")
    and stopped by that pid."""

    def __init__(self, workdir, phase_delay=0.0, extra_args=()):
        self.workdir = workdir
        self.log_path = os.path.join(workdir, "emulator.log")
        command = [EMULATOR_PYTHON, "-m", "rio_emulator", "launch", "--log", self.log_path,
                   "--timeout", str(STARTUP_TIMEOUT),
                   "--host", "127.0.0.1", "--port", "0", "--state", os.path.join(workdir, "state.sqlite"),
                   "--fleet", FLEET, "--token", TOKEN, "--project", PROJECT,
                   "--phase-delay", str(phase_delay)] + list(extra_args)
        done = subprocess.run(command, cwd=ROOT, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                              timeout=STARTUP_TIMEOUT + 15)
        if done.returncode != 0:
            raise RuntimeError("the emulator did not start (%s): %s" % (" ".join(command), done.stderr[-3000:]))
        url, pid = done.stdout.split()
        self.url, self.pid = url, int(pid)
        # A client aimed anywhere else would fall back to the production hosts.
        if not url.startswith("http://127.0.0.1:"):
            self.stop()
            raise RuntimeError("the emulator announced a non-loopback URL %r" % url)

    def stop(self, timeout=10.0):
        """SIGTERM by pid, then SIGKILL; the server is not our child (launch exits), so poll."""
        for sig in (signal.SIGTERM, signal.SIGKILL):
            try:
                os.kill(self.pid, sig)
            except ProcessLookupError:
                return
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline:
                if not _alive(self.pid):
                    return
                time.sleep(0.05)

    def log(self):
        with open(self.log_path, errors="replace") as handle:
            return handle.read()

    # -- the test hooks (no token) and raw calls ------------------------------------------------
    def raw(self, method, path, body=None, headers=None):
        """(status, parsed JSON or text) of one request, errors included."""
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.url + path, data=data, method=method, headers=dict(headers or {}))
        if data is not None:
            request.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(request, timeout=20) as answer:
                status, raw = answer.status, answer.read()
        except urllib.error.HTTPError as error:
            status, raw = error.code, error.read()
        try:
            return status, json.loads(raw) if raw else None
        except ValueError:
            return status, raw.decode(errors="replace")

    def reset(self):
        status, answer = self.raw("POST", "/_emulator/reset")
        assert status == 200, "reset answered %s %r" % (status, answer)

    def stats(self):
        return self.raw("GET", "/_emulator/stats")[1]

    # -- SDK clients -------------------------------------------------------------------------------
    def client(self, token=TOKEN, project=PROJECT, organization=ORGANIZATION):
        """A Client configured only (hosts, token, project, organization), the SDK left unchanged."""
        config = Configuration(auth_token=token, project_guid=project, organization_guid=organization,
                               v2_api_host=self.url, rip_host=self.url)
        assert config.hosts.get("v2api_host") == self.url and config.hosts.get("rip_host") == self.url
        return Client(config)


def _alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:
        with open("/proc/%d/stat" % pid) as handle:
            return handle.read().split(")", 1)[1].split()[0] != "Z"
    except OSError:
        return True


def wait_for(read, accept, timeout=10.0, what="condition"):
    """Call read() until accept(value) holds (bounded); return the last value."""
    deadline = time.monotonic() + timeout
    value = read()
    while not accept(value):
        if time.monotonic() > deadline:
            raise AssertionError("%s not reached within %ss; last value: %r" % (what, timeout, value))
        time.sleep(POLL_SLEEP)
        value = read()
    return value


def phase_of(obj):
    return (obj.status.phase, obj.status.status) if obj.status else (None, None)


def wait_phase(client, name, phase, status=None, timeout=10.0, guid=None):
    """Read the deployment until it reaches (phase[, status]); return it."""
    return wait_for(lambda: client.get_deployment(name, guid=guid),
                    lambda d: d.status is not None and d.status.phase == phase
                    and (status is None or d.status.status == status),
                    timeout=timeout, what="deployment %s phase %s/%s" % (name, phase, status))


# -- request bodies (docs/reference/v2-api.md#packages ... #config-trees) ---------------------------
def cloud_package(name, version="v1.0.0", labels=None, image="nginx:alpine", command=None, **spec):
    body = {
        "apiVersion": "api.rapyuta.io/v2", "kind": "Package",
        "metadata": {"name": name, "version": version, "description": "sdk-v2 conformance", "labels": labels},
        "spec": {
            "runtime": "cloud", "cloud": {"replicas": 1},
            "executables": [{"name": "web", "type": "docker",
                             "docker": {"image": image, "imagePullPolicy": "IfNotPresent"},
                             "command": command or ["nginx", "-g", "daemon off;"],
                             "limits": {"cpu": 0.025, "memory": 128}}],
            "environmentVars": [{"name": "GREETING", "default": "hi"},
                                {"name": "PORT", "default": "80", "exposed": True, "exposedName": "WEB_PORT"}],
            "endpoints": [{"name": "http", "type": "external-https", "port": 443, "targetPort": 80},
                          {"name": "ranges", "type": "internal-tcp-range", "portRange": "22,80,1024-1030"}],
        },
    }
    body["spec"].update(spec)
    return body


def device_package(name, version="v1.0.0", arch="amd64", ros_version="melodic", image="ros:melodic", labels=None,
                   **spec):
    body = {
        "apiVersion": "apiextensions.rapyuta.io/v1", "kind": "Package",
        "metadata": {"name": name, "version": version, "labels": labels},
        "spec": {
            "runtime": "device", "device": {"arch": arch, "restart": "always"},
            "executables": [{"name": "talker", "type": "docker",
                             "docker": {"image": image, "imagePullPolicy": "Always"},
                             "command": ["roslaunch", "talker", "talker.launch"]}],
            "ros": {"enabled": True, "version": ros_version,
                    "rosEndpoints": [{"type": "topic", "name": "/chatter", "qos": "low"}]},
        },
    }
    body["spec"].update(spec)
    return body


def cloud_deployment(name, package, version="v1.0.0", labels=None, **spec):
    body = {
        "apiVersion": "api.rapyuta.io/v2", "kind": "Deployment",
        "metadata": {"name": name, "labels": labels,
                     "depends": {"kind": "package", "nameOrGUID": package, "version": version}},
        "spec": {"runtime": "cloud", "envArgs": [{"name": "GREETING", "value": "hello"}]},
    }
    body["spec"].update(spec)
    return body


def device_deployment(name, package, device, version="v1.0.0", labels=None, **spec):
    body = {
        "apiVersion": "apiextensions.rapyuta.io/v1", "kind": "Deployment",
        "metadata": {"name": name, "labels": labels,
                     "depends": {"kind": "package", "nameOrGUID": package, "version": version}},
        "spec": {"runtime": "device", "device": {"depends": {"kind": "device", "nameOrGUID": device}},
                 "restart": "always"},
    }
    body["spec"].update(spec)
    return body


def cloud_network(name, kind="routed", distro="melodic", labels=None):
    limits = {"cpu": 0.5, "memory": 1024} if kind == "routed" else {"cpu": 0.1, "memory": 512}
    return {"apiVersion": "api.rapyuta.io/v2", "kind": "Network", "metadata": {"name": name, "labels": labels},
            "spec": {"type": kind, "rosDistro": distro, "runtime": "cloud", "resourceLimits": limits}}


def device_network(name, device, kind="routed", distro="melodic", interface="eth0"):
    return {"apiVersion": "api.rapyuta.io/v2", "kind": "Network", "metadata": {"name": name},
            "spec": {"type": kind, "rosDistro": distro, "runtime": "device",
                     "depends": {"kind": "Device", "nameOrGUID": device},
                     "networkInterface": interface, "restartPolicy": "always"}}


def disk(name, capacity=4, labels=None):
    return {"apiVersion": "api.rapyuta.io/v2", "kind": "Disk", "metadata": {"name": name, "labels": labels},
            "spec": {"runtime": "cloud", "capacity": capacity}}


def static_route(name, source_ranges=None, labels=None):
    return {"apiVersion": "api.rapyuta.io/v2", "kind": "StaticRoute", "metadata": {"name": name, "labels": labels},
            "spec": {"sourceIPRange": source_ranges}}


def docker_secret(name, password="s3cret-password", username="robot"):
    return {"apiVersion": "api.rapyuta.io/v2", "kind": "Secret", "metadata": {"name": name},
            "spec": {"type": "Docker", "docker": {"registry": "https://registry.example.com/v2/",
                                                  "username": username, "email": "robot@example.com",
                                                  "password": password}}}


def opaque_secret(name, data):
    return {"apiVersion": "api.rapyuta.io/v2", "kind": "Secret", "metadata": {"name": name},
            "spec": {"type": "Opaque", "data": data}}


def config_tree(name, labels=None):
    return {"kind": "ConfigTree", "apiVersion": "api.rapyuta.io/v2", "metadata": {"name": name, "labels": labels}}
