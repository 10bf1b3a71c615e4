"""Shared constants and helpers of the conformance suite (imported by conftest.py and the tests)."""
import json
import os
import time

from rapyuta_io import Client
from rio_emulator.launcher import EmulatorProcess

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
MANIFEST_DIR = os.path.join(ROOT, "tests", "fixtures", "manifests")
FLEET = os.path.join(HERE, "fleet.yml")

TOKEN = "conformance-token-0123456789"
PROJECT = "project-conformancesuiteprojecta"
OTHER_PROJECT = "project-otherprojectforisolation"

STARTUP_TIMEOUT = 30.0
TEST_TIMEOUT = 60
POLL_RETRIES = 40
POLL_SLEEP = 0.05

# Devices of fleet.yml
DOCKER_AMD64 = "22222222-2222-4222-8222-222222222201"
DOCKER_ARM64 = "22222222-2222-4222-8222-222222222202"
PREINSTALLED = "22222222-2222-4222-8222-222222222203"
NOETIC = "22222222-2222-4222-8222-222222222204"
OFFLINE = "22222222-2222-4222-8222-222222222205"
FLEET_DEVICES = {
    DOCKER_AMD64: "conf-docker-amd64",
    DOCKER_ARM64: "conf-docker-arm64",
    PREINSTALLED: "conf-preinstalled",
    NOETIC: "conf-noetic",
    OFFLINE: "conf-offline",
}


def manifest_names():
    return sorted(name for name in os.listdir(MANIFEST_DIR) if name.endswith(".json"))


def load_manifest(name):
    with open(os.path.join(MANIFEST_DIR, name)) as handle:
        return json.load(handle)


def start_emulator(workdir, phase_delay=0, extra_args=(), cafile=None):
    """A private emulator (rio_emulator.launcher) with this suite's fleet, token and project."""
    return EmulatorProcess(workdir, fleet=FLEET, token=TOKEN, project=PROJECT, cafile=cafile,
                           extra_args=["--phase-delay", str(phase_delay)] + list(extra_args), timeout=STARTUP_TIMEOUT)


class Rio:
    """What a test needs: an SDK client pointed at the emulator, plus small helpers."""

    def __init__(self, emulator, rio_config=None):
        self.emulator = emulator
        self.rio_config = rio_config
        self.client = self.new_client()

    def new_client(self, token=TOKEN, project=PROJECT):
        """A Client built while RIO_CONFIG names this emulator (the SDK reads it at construction)."""
        if self.rio_config is None:
            self._guard_loopback(os.environ.get("RIO_CONFIG"))
            return Client(token, project)
        saved = os.environ.get("RIO_CONFIG")
        os.environ["RIO_CONFIG"] = self.rio_config
        try:
            self._guard_loopback(self.rio_config)
            return Client(token, project)
        finally:
            if saved is None:
                os.environ.pop("RIO_CONFIG", None)
            else:
                os.environ["RIO_CONFIG"] = saved

    def _guard_loopback(self, path):
        """Never build a client that would fall back to the production hosts (docs/reference/v1-api.md#sdk-host-configuration: a missing or
        unreadable RIO_CONFIG silently means the built-in defaults)."""
        assert path, "RIO_CONFIG is not set"
        with open(path) as handle:
            hosts = json.load(handle)
        for key in ("catalog_host", "core_api_host", "rip_host"):
            assert hosts.get(key) == self.emulator.url and \
                self.emulator.url.startswith(("http://127.0.0.1:", "https://127.0.0.1:")), \
                "RIO_CONFIG %s does not point %s at the emulator: %r" % (path, key, hosts.get(key))

    manifest = staticmethod(load_manifest)

    def create(self, manifest):
        """Create a package from a fixture name or a manifest dict; return (create answer, Package)."""
        if isinstance(manifest, str):
            manifest = load_manifest(manifest)
        answer = self.client.create_package(manifest)
        return answer, self.client.get_package(answer["packageId"])

    def provision(self, package, name, config):
        return package.provision(name, config)

    @staticmethod
    def poll(deployment, **kwargs):
        kwargs.setdefault("retry_count", POLL_RETRIES)
        kwargs.setdefault("sleep_interval", POLL_SLEEP)
        return deployment.poll_deployment_till_ready(**kwargs)

    def deploy(self, package, name, config):
        """Provision and wait until ready; return (Deployment, DeploymentStatus)."""
        deployment = package.provision(name, config)
        return deployment, self.poll(deployment)

    def wait_phase(self, deployment_id, phase, reads=POLL_RETRIES):
        """Read the deployment until it reaches `phase` (bounded); return the last Deployment read."""
        deployment = None
        for _ in range(reads):
            deployment = self.client.get_deployment(deployment_id)
            if deployment.phase == phase:
                return deployment
            time.sleep(POLL_SLEEP)
        raise AssertionError("deployment %s never reached phase %r; last phase %r status %r" % (
            deployment_id, phase, getattr(deployment, "phase", None), getattr(deployment, "status", None)))

    def assert_stored_as_sent(self, deployment_id, config):
        """The full deployment echoes what the SDK sent in the provision body
        (docs/reference/v1-api.md#provision-body, docs/reference/v1-api.md#deployment-objects).

        `config` is the ProvisionConfiguration after `provision()`: it then holds exactly the sent
        `parameters` and `context`. The server may enrich parameters, so those are compared as a subset;
        the context lists must come back unchanged."""
        sent = json.loads(json.dumps({"parameters": config.parameters, "context": config.context}))
        full = self.client.get_deployment(deployment_id)
        stored_params = json.loads(json.dumps(full.parameters))
        for key, value in sent["parameters"].items():
            assert key in stored_params, "parameters[%s] missing from the stored deployment" % key
            assert_subset(value, stored_params[key], "parameters[%s]" % key)
        stored_context = json.loads(json.dumps(full.provisionContext))
        for key in ("name", "labels", "dependentDeployments", "diskMountInfo", "routedNetworks", "nativeNetworks"):
            assert stored_context.get(key) == sent["context"][key], \
                "provisionContext[%s]: sent %r, stored %r" % (key, sent["context"][key], stored_context.get(key))
        for component_id, entry in sent["context"]["component_context"].items():
            if entry:
                stored_entry = stored_context.get("component_context", {}).get(component_id)
                assert stored_entry is not None, "provisionContext.component_context[%s] missing" % component_id
                assert_subset(entry, stored_entry, "component_context[%s]" % component_id)
        return full


def assert_subset(sent, stored, where="value"):
    """Every key/value the client sent is stored unchanged (extra server-side keys are allowed)."""
    if isinstance(sent, dict):
        assert isinstance(stored, dict), "%s: sent an object, stored %r" % (where, stored)
        for key, value in sent.items():
            assert key in stored, "%s.%s was sent but is not stored" % (where, key)
            assert_subset(value, stored[key], "%s.%s" % (where, key))
    else:
        assert sent == stored, "%s: sent %r, stored %r" % (where, sent, stored)
