"""The emulator process, SDK clients and request bodies shared by the sdk-v2 conformance tests.

This venv holds only the vendor's SDK, pytest and PyYAML: the emulator runs from the main venv
(`.venv/bin/python`, or RIO_EMULATOR_PYTHON) as a separate process started by rio_emulator.launcher
(standard library only, imported from the source tree), and the tests talk to it only through the
SDK, plus the stdlib for the `/_emulator/` test hooks.
"""
import os
import sys
import time

from rapyuta_io_sdk_v2 import Client, Configuration

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "emulator"))
from rio_emulator import launcher  # found through the path above

FLEET = os.path.join(ROOT, "tests", "conformance", "fleet.yml")
EMULATOR_PYTHON = os.environ.get("RIO_EMULATOR_PYTHON") or os.path.join(ROOT, ".venv", "bin", "python")

TOKEN = "sdkv2-conformance-token-0123456789"
PROJECT = "project-sdkvtwoconformancesuitea"
# The emulator's organization when --organization is not given (docs/reference/v2-api.md#projects-and-users).
ORGANIZATION = launcher.DEFAULT_ORGANIZATION
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


class EmulatorProcess(launcher.EmulatorProcess):
    """A private emulator on a free loopback port with this suite's fleet, token and project, run by the
    main venv's python; `raw()` and the `/_emulator/` hooks come from the launcher."""

    def __init__(self, workdir=None, phase_delay=0.0, extra_args=()):
        super().__init__(workdir, fleet=FLEET, token=TOKEN, project=PROJECT, python=EMULATOR_PYTHON,
                         timeout=STARTUP_TIMEOUT, extra_args=["--phase-delay", str(phase_delay)] + list(extra_args))
        # A client aimed anywhere else would fall back to the production hosts.
        assert self.url.startswith("http://127.0.0.1:"), self.url

    # -- SDK clients -------------------------------------------------------------------------------
    def client(self, token=TOKEN, project=PROJECT, organization=ORGANIZATION):
        """A Client configured only (hosts, token, project, organization), the SDK left unchanged."""
        config = Configuration(auth_token=token, project_guid=project, organization_guid=organization,
                               v2_api_host=self.url, rip_host=self.url)
        assert config.hosts.get("v2api_host") == self.url and config.hosts.get("rip_host") == self.url
        return Client(config)


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
