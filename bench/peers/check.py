"""Check every peer against a fresh emulator: `make bench-peers` (N=10 by default).

For each peer: the plan of its generation, a fresh emulator with N online robots (and one offline
that the plan leaves out), the peer's command twice. Passes when the first run exits 0, created every
object of the plan and reports every deployment ready, the emulator then holds exactly one live
deployment per name of the plan
and nothing else, and the second run creates nothing and writes nothing, except the writes a tool
is known to make on a converged project (KNOWN_RERUN_WRITES, shown in the table, never hidden).
Runs in the main venv (the emulator); each peer runs in its own.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

PEERS_DIR = os.path.dirname(os.path.abspath(__file__))
BENCH = os.path.dirname(PEERS_DIR)
sys.path.insert(0, BENCH)

from fleet import write_fleet
from netem_proxy import NetemProxy
from peers import PEERS
from peers.common import deployment_names
from plan import write_plan
from rio_emulator.launcher import EmulatorProcess

# riocli 10 creates every object of the manifests and takes a 409 as "exists" (POST per object), and
# re-sends each static route (PUT); its re-run writes that many times without changing anything.
KNOWN_RERUN_WRITES = {"riocli-10.11.0": "a POST per document (409) and a PUT per static route"}


def peer_env(emulator, workdir, url=None):
    """The contract's environment of a peer run (bench/peers/README.md)."""
    return dict(os.environ, RIO_ENDPOINT=url or emulator.url, RIO_AUTH_TOKEN=emulator.token,
                RIO_PROJECT=emulator.project, RIO_ORGANIZATION=emulator.organization, HOME=workdir)


def run_peer(peer, plan_path, env, workdir, timeout=1800):
    """(the JSON line the peer printed, or None; the completed process)."""
    done = subprocess.run(peer.argv(plan_path, workdir), env=env, cwd=workdir, capture_output=True, text=True,
                          timeout=timeout, stdin=subprocess.DEVNULL)
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    return (json.loads(lines[-1]) if lines else None), done


def live_deployments(emulator, generation):
    """Names of the live deployments, one entry per deployment (a name twice means two deployments)."""
    headers = {"Authorization": "Bearer " + emulator.token, "project": emulator.project}
    if generation == "v1":
        listed = emulator.call("GET", "/deployment/list", headers=headers)
        return [item["name"] for item in listed if item["phase"] != "Deployment stopped"]
    headers["organizationguid"] = emulator.organization
    names, offset = [], 0
    while True:
        page = emulator.call("GET", "/v2/deployments/?limit=1000&continue=%d" % offset, headers=headers)
        names += [item["metadata"]["name"] for item in page["items"]
                  if (item.get("status") or {}).get("phase") != "Stopped"]
        if len(page["items"]) < 1000:
            return names
        offset = page["metadata"]["continue"]


def proxy_counts(proxy):
    return proxy.stats() if proxy else {"connections": 0, "requests": 0}


def check_peer(peer, count, phase_delay, workroot, rtt_ms=0):
    workdir = tempfile.mkdtemp(prefix="%s-" % peer.name, dir=workroot)
    plan_path = write_plan(os.path.join(workdir, "plan.json"), peer.generation, count)
    with open(plan_path) as handle:
        workload = json.load(handle)
    names = deployment_names(workload)
    fleet = write_fleet(os.path.join(workdir, "fleet.yml"), count, offline=1)
    problems, runs = [], []
    with EmulatorProcess(workdir=workdir, fleet=fleet, extra_args=["--phase-delay", str(phase_delay)]) as emulator:
        proxy = NetemProxy(emulator.url, rtt_ms) if rtt_ms else None
        try:
            for label in ("rollout", "re-run"):
                home = os.path.join(workdir, "home")
                os.makedirs(home, exist_ok=True)
                emulator.reset(counters_only=True)
                before = proxy_counts(proxy)
                started = time.monotonic()
                line, done = run_peer(peer, plan_path, peer_env(emulator, home, proxy and proxy.url), home)
                wall = time.monotonic() - started
                stats = emulator.stats()
                connections = proxy_counts(proxy)["connections"] - before["connections"]
                runs.append({"run": label, "line": line, "wall": wall, "stats": stats, "connections": connections})
                if done.returncode != 0 or line is None:
                    problems.append("%s: exit %s, line %s\n%s" % (label, done.returncode, line, done.stderr[-3000:]))
                    break
                if line["ready"] != len(names):
                    problems.append("%s: %s of %s deployments ready" % (label, line["ready"], len(names)))
                if label == "rollout" and line["created"] != len(workload["documents"]):
                    problems.append("rollout: created %s of the plan's %d objects" % (line["created"], len(workload["documents"])))
                if label == "re-run":
                    if line["created"]:
                        problems.append("re-run: created %s" % line["created"])
                    if stats["writes"] and peer.name not in KNOWN_RERUN_WRITES:
                        problems.append("re-run: %d writes %s" % (stats["writes"], stats["by_route"]))
        finally:
            if proxy:
                proxy.stop()
        live = live_deployments(emulator, peer.generation)
    if sorted(live) != sorted(names):
        extra = sorted(set(name for name in live if live.count(name) > 1) | (set(live) - set(names)))
        problems.append("live deployments differ from the plan: missing %s, extra or doubled %s"
                        % (sorted(set(names) - set(live)), extra))
    return runs, problems


def describe_run(peer, run):
    line, stats = run["line"] or {}, run["stats"]
    note = "  (%s)" % KNOWN_RERUN_WRITES[peer.name] if run["run"] == "re-run" and stats["writes"] and \
        peer.name in KNOWN_RERUN_WRITES else ""
    probe = "  probe %s req" % line["probe_requests"] if "probe_requests" in line else ""
    if run["connections"]:
        probe += "  connections %d" % run["connections"]
    return ("%-15s %-8s %6.2f s  created %3s  ready %3s  requests %4d (writes %d) by status %s%s%s"
            % (peer.name, run["run"], line.get("seconds", run["wall"]), line.get("created"), line.get("ready"),
               stats["total"], stats["writes"], stats.get("by_status"), probe, note))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10)
    parser.add_argument("--phase-delay", type=float, default=0)
    parser.add_argument("--rtt-ms", type=float, default=0, help="run through bench/netem_proxy.py with this round trip")
    parser.add_argument("--peer", action="append", choices=sorted(PEERS), help="default: every peer")
    args = parser.parse_args(argv)
    failed = []
    with tempfile.TemporaryDirectory(prefix="rio-bench-peers-") as workroot:
        for name in args.peer or list(PEERS):
            peer = PEERS[name]
            runs, problems = check_peer(peer, args.count, args.phase_delay, workroot, args.rtt_ms)
            for run in runs:
                print(describe_run(peer, run), flush=True)
            for problem in problems:
                print("  FAIL %s: %s" % (name, problem), flush=True)
            if problems:
                failed.append(name)
    print("peers checked at N=%d: %s" % (args.count, "FAILED: " + ", ".join(failed) if failed else "all pass"))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
