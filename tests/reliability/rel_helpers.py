"""Helpers of the reliability suite (issue 8): private emulator processes, real ansible-playbook runs,
state and counter read-outs, and a figures file that docs/RELIABILITY.md summarizes.

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
