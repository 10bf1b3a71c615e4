"""Helpers of the reliability suite (issues 8 and 20): private emulator processes, real ansible-playbook runs,
state and counter read-outs over either API generation, and a figures file that docs/RELIABILITY.md summarizes.

Uniquely named (not conftest) so that `from rel_helpers import ...` cannot collide with another suite.
Everything binds to 127.0.0.1, every process is started here and stopped by its own pid, every wait
is bounded.
"""
import json
import os
import re
import signal
import ssl
import subprocess
import sys
import time
import urllib.error

from rio_emulator.launcher import EmulatorProcess

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
VENV_BIN = os.path.join(ROOT, ".venv", "bin")
PYTHON = sys.executable
PLAYBOOKS = os.path.join(ROOT, "playbooks")
SAMPLE_INVENTORY = os.path.join(PLAYBOOKS, "sample", "inventory")
SAMPLE_INVENTORY_V2 = os.path.join(PLAYBOOKS, "sample", "inventory_v2")
MANIFESTS = os.path.join(ROOT, "tests", "fixtures", "manifests")
TEST_FLEET = os.path.join(ROOT, "tests", "integration", "targets", "setup_rio_emulator", "files", "fleet.yml")
PROJECT = "project-reliability"
# A recognisable token: every secrets check greps for it.
TOKEN = "rel-TOKEN-3f9c2a7e-do-not-leak"
FIGURES = os.environ.get("RIO_RELIABILITY_FIGURES",
                         os.path.join(ROOT, "tests", "output", "reliability", "figures.json"))
SELECTION_QUERY = "POST /api/device-manager/v0/selection/query/"


class Emulator(EmulatorProcess):
    """A private emulator (rio_emulator.launcher) with this suite's token, project, fleet and access log,
    its state and log named after `name` in workdir, plus read-outs of what the runs left behind."""

    def __init__(self, workdir, fleet=TEST_FLEET, token=TOKEN, project=PROJECT, port=0, state=None,
                 extra=(), name="emulator"):
        super().__init__(workdir, fleet=fleet, token=token, project=project, port=port,
                         state=state or os.path.join(workdir, "%s.sqlite" % name),
                         log_path=os.path.join(workdir, "%s.log" % name), extra_args=["--access-log"] + list(extra))

    def api(self, method, path, body=None):
        """An API call with the token (counted by the emulator; callers take it into account)."""
        try:
            return self.call(method, path, body, {"Authorization": "Bearer " + self.token, "project": self.project})
        except urllib.error.HTTPError as exc:
            raise AssertionError("%s %s -> %s %s" % (method, path, exc.code, exc.read()[:300]))

    def reset_counters(self):
        self.admin("stats/reset", method="POST")

    def faults(self, rate=None, latency_ms=0, seed=None, kinds=None):
        if rate is None:
            return self.admin("faults")
        body = {"rate": rate, "latency_ms": latency_ms, "seed": seed}
        if kinds:
            body["kinds"] = kinds
        return self.admin("faults", body)

    # -- state read-outs (faults off while reading: the callers switch them) ----------------------
    def packages(self):
        services = (self.api("GET", "/v2/catalog") or {}).get("services") or []
        return [(s.get("name"), (s.get("metadata") or {}).get("packageVersion"), s.get("id"))
                for s in services if s.get("id") != "io-public-persistent-volume"]

    def deployments(self):
        return self.api("GET", "/deployment/list") or []

    def live_deployments(self):
        return [d for d in self.deployments() if d.get("phase") != "Deployment stopped"]

    def routed_networks(self):
        return self.api("GET", "/routednetwork") or []

    def v2_objects(self, plural):
        """Every v2 object of a kind (one page: the suite's projects hold far fewer than the limit)."""
        return (self.api("GET", "/v2/%s/?limit=1000" % plural) or {}).get("items") or []


def writes_of(stats):
    """Requests that change something (the selection query reads by POST; the emulator counts it as a read)."""
    return sum(n for route, n in stats["by_route"].items()
               if route.split(" ", 1)[0] not in ("GET", "HEAD", "OPTIONS") and route != SELECTION_QUERY)


def ansible_env(emulator=None, token=TOKEN, project=PROJECT, extra=None):
    env = dict(os.environ)
    for key in list(env):
        if key.startswith(("RIO_", "ANSIBLE_")) and key != "RIO_RELIABILITY_FIGURES":
            del env[key]
    env.update({
        "PATH": VENV_BIN + os.pathsep + env.get("PATH", ""),
        "ANSIBLE_CONFIG": os.path.join(ROOT, "ansible.cfg"),
        "ANSIBLE_NOCOLOR": "1",
        "ANSIBLE_FORCE_COLOR": "0",
        "ANSIBLE_LOCALHOST_WARNING": "false",
        "ANSIBLE_INVENTORY_UNPARSED_WARNING": "false",
        "ANSIBLE_PYTHON_INTERPRETER": PYTHON,
        "ANSIBLE_LOCAL_TEMP": os.path.join(os.environ.get("TMPDIR", "/tmp"), "rel-ansible-tmp"),
        "RIO_AUTH_TOKEN": token,
        "RIO_PROJECT": project,
    })
    if emulator is not None:
        # Every API host, v2's included: a v2 task without v2_api_host would otherwise go to production.
        env["RIO_CATALOG_HOST"] = env["RIO_CORE_API_HOST"] = env["RIO_V2_API_HOST"] = emulator.url
    env.update(extra or {})
    return env


class Run:
    def __init__(self, args, returncode, stdout, stderr, seconds):
        self.args, self.returncode, self.stdout, self.stderr, self.seconds = args, returncode, stdout, stderr, seconds

    @property
    def output(self):
        return self.stdout + self.stderr

    def recap(self):
        """{host: {ok, changed, failed, unreachable, ...}} from the PLAY RECAP."""
        hosts = {}
        for line in self.stdout.splitlines():
            match = re.match(r"^(\S+)\s+: ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)"
                             r"\s+skipped=(\d+)\s+rescued=(\d+)\s+ignored=(\d+)", line)
            if match:
                keys = ("ok", "changed", "unreachable", "failed", "skipped", "rescued", "ignored")
                hosts[match.group(1)] = dict(zip(keys, (int(v) for v in match.groups()[1:]), strict=True))
        return hosts

    def robots_seen(self):
        """The robots the run reported on: recap hosts (per-robot mode), "[localhost -> robot]" lines
        (fleet_deployment with host facts) and the rows of the fleet table (both roles print it)."""
        seen = set(host for host in self.recap() if host != "localhost")
        seen.update(re.findall(r"^(?:ok|changed): \[localhost -> (\S+)\]", self.stdout, re.M))
        seen.update(self.table_robots())
        return sorted(seen)

    def table_robots(self):
        """The ROBOT column of every fleet table the run printed (a debug msg list: a header, then rows)."""
        robots, in_table = [], False
        for line in self.stdout.splitlines():
            if re.match(r'^\s+"ROBOT\s+DEPLOYMENT\s', line):
                in_table = True
                continue
            row = re.match(r'^\s+"(\S+)\s', line) if in_table else None
            if row:
                robots.append(row.group(1))
            else:
                in_table = False
        return robots

    def describe(self):
        return "%s -> rc=%s in %.1fs\n--- stdout (tail)\n%s\n--- stderr (tail)\n%s" % (
            " ".join(self.args[:6]), self.returncode, self.seconds, self.stdout[-6000:], self.stderr[-3000:])


def run(args, env, timeout=300, cwd=ROOT):
    started = time.monotonic()
    proc = subprocess.Popen(args, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            stdin=subprocess.DEVNULL, text=True, start_new_session=True)
    try:
        stdout, stderr = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)  # its own session: only this run's processes
        stdout, stderr = proc.communicate(timeout=30)
        raise AssertionError("%s timed out after %ss\n%s" % (" ".join(args[:6]), timeout, stdout[-4000:]))
    outcome = Run(args, proc.returncode, stdout, stderr, time.monotonic() - started)
    keep = os.environ.get("RIO_RELIABILITY_LOGS")
    if keep:  # every run's full output, for debugging: RIO_RELIABILITY_LOGS=/some/dir
        os.makedirs(keep, exist_ok=True)
        name = "%s-%s.log" % (time.strftime("%H%M%S"), os.path.basename(args[-1]).replace("/", "_")[:40])
        with open(os.path.join(keep, name), "w") as handle:
            handle.write(outcome.describe() + "\n--- full stdout\n" + stdout + "\n--- full stderr\n" + stderr)
    return outcome


def playbook(path, env, *args, inventory=None, timeout=300):
    cmd = [os.path.join(VENV_BIN, "ansible-playbook")]
    if inventory:
        cmd += ["-i", inventory]
    return run(cmd + list(args) + [path], env, timeout=timeout)


def record_figures(test, figures):
    """Merge this test's measured figures into the figures file (docs/RELIABILITY.md quotes them)."""
    os.makedirs(os.path.dirname(FIGURES), exist_ok=True)
    data = {}
    if os.path.exists(FIGURES):
        try:
            with open(FIGURES) as handle:
                data = json.load(handle)
        except ValueError:
            data = {}
    figures = dict(figures, recorded_at=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()))
    data[test] = figures
    with open(FIGURES, "w") as handle:
        json.dump(data, handle, indent=2, sort_keys=True)
    print("FIGURES %s: %s" % (test, json.dumps(figures, sort_keys=True)))


def figures_name(test, api, *variant):
    """The figures key of a test run: v1's keep the names they had before v2 was measured."""
    return "_".join([test] + ([] if api == "v1" else [api]) + list(variant))


def write_fleet(path, count, offline=(), prefix="bot", sites=("north", "south"), archs=("amd64", "arm64v8")):
    """A fleet file of `count` robots named <prefix>-NN, alternating sites and architectures."""
    lines = ["devices:"]
    for index in range(1, count + 1):
        name = "%s-%02d" % (prefix, index)
        lines += [
            "  - name: %s" % name,
            "    uuid: 7e1a0000-0000-4000-8000-%012d" % index,
            "    status: %s" % ("OFFLINE" if name in offline else "ONLINE"),
            "    architecture: %s" % archs[index % len(archs)],
            "    runtime: dockercompose",
            "    ros_distro: noetic",
            "    labels: {site: %s, model: amr}" % sites[index % len(sites)],
        ]
    with open(path, "w") as handle:
        handle.write("\n".join(lines) + "\n")
    return path


def fleet_state(emulator):
    """Packages, live deployments and live routed networks, grouped by natural key, with the faults off."""
    packages, live, networks = {}, {}, {}
    for name, version, pkg_id in emulator.packages():
        packages.setdefault("%s %s" % (name, version), []).append(pkg_id)
    for dep in emulator.live_deployments():
        live.setdefault(dep["name"], []).append(dep["deploymentId"])
    for net in emulator.routed_networks():
        phase = net.get("phase") or (net.get("internalDeploymentStatus") or {}).get("phase")
        if phase != "Deployment stopped":
            networks.setdefault(net["name"], []).append(net["guid"])
    return {"packages": packages, "deployments": live, "routed_networks": networks}


V2_STOPPED = "Stopped"


def _live_v2(objects):
    return [obj for obj in objects if (obj.get("status") or {}).get("phase") != V2_STOPPED]


def fleet_state_v2(emulator):
    """fleet_state over the v2 API: packages by name and version, live deployments and networks, disks and
    static routes, each by name with its guids."""
    def by_name(objects, key=lambda meta: meta["name"]):
        grouped = {}
        for obj in objects:
            grouped.setdefault(key(obj["metadata"]), []).append(obj["metadata"]["guid"])
        return grouped

    return {"packages": by_name(emulator.v2_objects("packages"), lambda meta: "%s %s" % (meta["name"], meta["version"])),
            "deployments": by_name(_live_v2(emulator.v2_objects("deployments"))),
            "routed_networks": by_name(_live_v2(emulator.v2_objects("networks"))),
            "disks": by_name(emulator.v2_objects("disks")), "static_routes": by_name(emulator.v2_objects("staticroutes"))}


def live_phases(emulator):
    """{deployment name: phase} of the live deployments."""
    return {d["name"]: d["phase"] for d in emulator.live_deployments()}


def live_phases_v2(emulator):
    return {d["metadata"]["name"]: d["status"]["phase"] for d in _live_v2(emulator.v2_objects("deployments"))}


class Generation:
    """What the fleet suites need of one API generation: the sample inventory that selects it, what the
    sample fleet leaves on the platform, the routes that create, and the state read over that API."""

    def __init__(self, name, inventory, cloud, creation_routes, provision_route, package_route, rollout_phases,
                 state, live_phases):
        self.name = name
        self.inventory = inventory
        # The cloud side of the sample fleet, by kind as `state` names them: exactly these, once each.
        self.cloud = cloud
        self.creation_routes = creation_routes
        self.provision_route = provision_route
        self.package_route = package_route
        # A deployment's phases between its provisioning and its readiness, readiness included.
        self.rollout_phases = rollout_phases
        # emulator -> {kind: {natural key: [ids]}}, and emulator -> {live deployment name: phase}.
        self.state = state
        self.live_phases = live_phases

    def creations(self, stats):
        return {route: n for route, n in stats["by_route"].items() if route in self.creation_routes}

    def provisions(self, stats):
        return stats["by_route"].get(self.provision_route, 0)


GENERATIONS = {
    "v1": Generation(
        "v1", SAMPLE_INVENTORY, {"routed_networks": ["sample-fleet-net"]},
        ("POST /serviceclass/add", "PUT /v2/service_instances/{instance_id}", "POST /routednetwork"),
        provision_route="PUT /v2/service_instances/{instance_id}", package_route="POST /serviceclass/add",
        rollout_phases=("In progress", "Provisioning", "Succeeded"), state=fleet_state, live_phases=live_phases),
    "v2": Generation(
        "v2", SAMPLE_INVENTORY_V2,
        # The emulator's organization short id suffixes a static route's stored name.
        {"routed_networks": ["sample-fleet-net"], "disks": ["sample-fleet-telemetry"],
         "static_routes": ["sample-fleet-dashboard-emuorg"]},
        ("POST /v2/packages/", "POST /v2/deployments/", "POST /v2/networks/", "POST /v2/disks/",
         "POST /v2/staticroutes/"),
        provision_route="POST /v2/deployments/", package_route="POST /v2/packages/",
        rollout_phases=("InProgress", "Provisioning", "Succeeded"), state=fleet_state_v2, live_phases=live_phases_v2),
}


# The fleet tests' runs: each generation in batch mode (the default) and robot by robot, with their test ids.
GENERATION_MODES = [("v1", "batch"), ("v1", "per_robot"), ("v2", "batch"), ("v2", "per_robot")]
GENERATION_MODE_IDS = ["-".join(case) for case in GENERATION_MODES]


def duplicates_in(state):
    """{(kind, key): ids} of every natural key held more than once."""
    return {(kind, key): ids for kind in state for key, ids in state[kind].items() if len(ids) != 1}


# The sample fleet's packages carry the same names and versions on both generations.
SAMPLE_PACKAGES = ["sample-fleet-monitor v1.0.0", "sample-talker-amd64 v1.0.0", "sample-talker-arm64v8 v1.0.0"]


def assert_one_of_each(state, generation, robots):
    """The sample fleet on `robots`, exactly: its packages, its cloud side, one deployment per robot plus the
    cloud monitor, each once."""
    duplicates = duplicates_in(state)
    assert not duplicates, "duplicates: %s" % duplicates
    assert sorted(state["packages"]) == SAMPLE_PACKAGES, state["packages"]
    assert sorted(state["deployments"]) == sorted(["talker-%s" % r for r in robots] + ["sample-fleet-monitor"]), \
        sorted(state["deployments"])
    assert {kind: sorted(state[kind]) for kind in generation.cloud} == generation.cloud, state


def resource_counts(state):
    return {kind: sum(len(ids) for ids in state[kind].values()) for kind in state}


def tls_context_trusting(ca_file):
    return ssl.create_default_context(cafile=ca_file)


def self_signed_cert(directory, name="server"):
    """(cert, key) for 127.0.0.1/localhost, self-signed, made with the openssl CLI."""
    cert, key = os.path.join(directory, name + ".crt"), os.path.join(directory, name + ".key")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert,
                    "-days", "2", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=60)
    return cert, key
