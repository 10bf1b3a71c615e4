"""The fleet benchmark: `make bench` (and `make bench-large`).

Every tool deploys the same workload, the sample fleet (playbooks/sample: packages, the cloud side,
one deployment per robot) on N robots robot-001..robot-N (bench/fleet.py), each run on a FRESH
emulator behind bench/netem_proxy.py:
  ours-v1            playbooks/deploy_robots.yml with playbooks/sample/inventory (batch mode)
  ours-v2            the same with playbooks/sample/inventory_v2
  the peers          bench/peers (PEERS): the official tools doing the same from bench/plan.py's plan
Each tool's rollout runs until every deployment is ready, then the same command again (the
converged re-run). Scenarios:
  loopback   the proxy with no delay: the rows measure the client's own cost only
  net50      50 ms round trip per request, plus TCP + TLS 1.3 handshakes (1 + 1 RTT) per new
             connection: the comparison rows and the targets
  phase5     net50 with deployments that become ready 5 s after they are created: every tool to
             "all ready", against the platform's readiness of the last robot (the emulator's state)
Every (scenario, N) is measured --repeats times, each tool on a fresh emulator, the order of the
tools rotated from one repeat to the next; the median run is reported. A peer whose first run in a
cell took longer than --long-run-s runs once there. On net50 the peers run at --peer-net-sizes only.
Figures per run: wall time, CPU time, API requests (reads, writes; the emulator's counters),
connections (the proxy's), deployments made, and for ours the time of each part of the playbook
(bench/callback_plugins). Writes results.json, results.md and wall_time.png under --out, and prints
the tables and the targets with their verdicts. --large: `make bench-large` (1,000 robots).
--peer-rows: the rows of the tools not run here are taken from earlier results.json files (the
peers do not depend on the collection: their slow cells need not run after each change of ours),
each marked with the run it comes from and the files the peers' figures depend on that changed since.
"""
import argparse
import json
import os
import statistics
import sys
import tempfile
import time
import urllib.parse

from rio_emulator.launcher import EmulatorProcess

BENCH = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(BENCH)
sys.path.insert(0, BENCH)

import report
from fleet import write_fleet
from measure import deployments_state, last_json_line, run_measured
from netem_proxy import NetemProxy

PLAYBOOK = os.path.join(ROOT, "playbooks", "deploy_robots.yml")
INVENTORIES = {"v1": os.path.join(ROOT, "playbooks", "sample", "inventory"),
               "v2": os.path.join(ROOT, "playbooks", "sample", "inventory_v2")}
CALLBACKS = os.path.join(BENCH, "callback_plugins")
# name: (round trip ms, TLS handshake round trips, phase delay s, re-run measured)
SCENARIOS = {
    "loopback": (0, 0, 0, True),
    "net50": (50, 1, 0, True),
    "phase5": (50, 1, 5, False),
}


class Tool:
    """ours-v1 / ours-v2, or a peer of bench/peers: a command run with the endpoint in its environment."""

    def __init__(self, name, generation, command, python=None, make_target=None, ours=False):
        self.name, self.generation, self.command = name, generation, command
        self.python, self.make_target, self.ours = python, make_target, ours

    def missing(self):
        """Why this tool cannot run here (its virtualenv is not made), or None."""
        if self.python and not os.path.exists(self.python):
            return "%s is missing (make %s)" % (os.path.relpath(self.python, ROOT), self.make_target)
        return None


def ours(generation):
    ansible_playbook = os.path.join(os.path.dirname(sys.executable), "ansible-playbook")
    return Tool("ours-%s" % generation, generation,
                lambda plan, workdir: [ansible_playbook, "-i", INVENTORIES[generation], PLAYBOOK], ours=True)


def peer_tools():
    """The peers of bench/peers; none if that package is absent."""
    try:
        from peers import PEERS
    except ImportError:
        return []
    tools = []
    for peer in PEERS.values():
        python = os.path.join(ROOT, peer.venv_python)

        def command(plan, workdir, peer=peer, python=python):
            argv = list(peer.argv(plan, workdir))
            return argv if argv and os.path.basename(argv[0]).startswith("python") else [python] + argv
        tools.append(Tool(peer.name, peer.generation, command, python=python, make_target=peer.make_target))
    return tools


def all_tools():
    return [ours("v1"), ours("v2")] + peer_tools()


def tool_env(tool, emulator, endpoint, workdir):
    """The tool's environment: every API host is the proxy; a peer's HOME is its own work directory."""
    env = dict(os.environ)
    env.update(emulator.client_env())
    config = os.path.join(workdir, "rio_config.json")
    with open(config, "w") as handle:
        json.dump({"catalog_host": endpoint, "core_api_host": endpoint, "rip_host": endpoint}, handle)
    env.update({"RIO_CATALOG_HOST": endpoint, "RIO_CORE_API_HOST": endpoint, "RIO_V2_API_HOST": endpoint,
                "RIO_EMULATOR_URL": endpoint, "RIO_ENDPOINT": endpoint, "RIO_CONFIG": config,
                "RIO_ORGANIZATION": emulator.organization})
    if tool.ours:
        env.update({"ANSIBLE_CONFIG": os.path.join(ROOT, "ansible.cfg"),
                    "ANSIBLE_FORKS": str(os.environ.get("BENCH_FORKS", 10)),
                    "ANSIBLE_PYTHON_INTERPRETER": sys.executable,
                    "ANSIBLE_CALLBACK_PLUGINS": CALLBACKS, "ANSIBLE_CALLBACKS_ENABLED": "bench_timings",
                    # An inventory that does not parse must fail the run, not deploy to no robot.
                    "ANSIBLE_INVENTORY_UNPARSED_FAILED": "true"})
    else:
        env["HOME"] = workdir
    return env


class Plans:
    """The plan JSON of (generation, N), made once per run of the bench (bench/plan.py)."""

    def __init__(self, workdir):
        self.workdir, self._paths = workdir, {}

    def path(self, generation, count):
        key = (generation, count)
        if key not in self._paths:
            from plan import write_plan
            self._paths[key] = write_plan(os.path.join(self.workdir, "plan-%s-%d.json" % key), generation, count)
        return self._paths[key]


def measure_tool(tool, scenario, count, repeat, workdir, plans):
    """One tool on a fresh emulator and proxy: {"rollout": figures, "rerun": figures}."""
    rtt_ms, tls_rtts, phase_delay, rerun = SCENARIOS[scenario]
    runs = os.path.join(workdir, "%s-%d-%s-%d" % (scenario, count, tool.name, repeat))
    os.makedirs(runs)
    fleet = write_fleet(os.path.join(runs, "fleet.yml"), count, offline=1)
    plan = plans.path(tool.generation, count)
    with open(plan) as handle:
        described = json.load(handle)
    names = [item["name"] for item in described["deployments"]] + [described["cloud_deployment"]["name"]]
    figures = {}
    with EmulatorProcess(fleet=fleet, workdir=runs, extra_args=["--phase-delay", str(phase_delay)]) as emulator, \
            NetemProxy(emulator.url, rtt_ms, tls_rtts, stats_path=os.path.join(runs, "wire.json")) as proxy:
        env = tool_env(tool, emulator, proxy.url, runs)
        steps = ("rollout", "rerun") if rerun else ("rollout",)
        for step in steps:
            log = os.path.join(runs, "%s.log" % step)
            timings = os.path.join(runs, "%s.timings.json" % step)
            env["BENCH_TIMINGS_OUT"] = timings
            fig = run_measured(tool.command(plan, runs), env, emulator, proxy, cwd=ROOT, log_path=log)
            fig["log"] = log
            if tool.ours and os.path.exists(timings):
                with open(timings) as handle:
                    fig["parts"] = report.profile_parts(json.load(handle), fig["started"], fig["ended"])
            if not tool.ours:
                fig["reported"] = last_json_line(log)
            if step == "rollout":
                made, ready_at = deployments_state(emulator.state, names, phase_delay)
                fig["deployments"] = sum(made.values())
                # The workload is exactly one deployment of each name: each robot's and the cloud one.
                if fig["rc"] == 0 and set(made.values()) != {1}:
                    fig["rc"] = report.INCOMPLETE
                if phase_delay and ready_at:
                    fig["platform_ready_s"] = round(ready_at - fig["started"], 2)
                    fig["after_ready_s"] = round(fig["ended"] - ready_at, 2)
            figures[step] = fig
            print("  %-8s N=%-4d %-16s %-7s %s" % (scenario, count, tool.name, step, report.one_line(fig)), flush=True)
    return figures


def median_run(runs):
    """The run of median wall time (the lower middle one of an even count), with every run's wall
    time beside it; a failed run instead, if there is one, so that the failure shows."""
    failed = [fig for fig in runs if fig["rc"] != 0]
    ordered = sorted(runs, key=lambda fig: fig["wall_s"])
    chosen = dict(failed[0] if failed else ordered[(len(ordered) - 1) // 2])
    if len(runs) > 1:
        chosen["walls_s"] = [fig["wall_s"] for fig in runs]
    return chosen


def rotated(tools, repeat):
    shift = repeat % len(tools) if tools else 0
    return tools[shift:] + tools[:shift]


def bench_cell(scenario, count, tools, args, workdir, plans):
    """Every tool at (scenario, N), --repeats times in rotating order: [{tool, generation, step: median}].

    A peer whose first run here took longer than --long-run-s is not run again: its time is round
    trips one after the other, which vary little, and three of them would take most of the budget.
    """
    measured = dict((tool.name, []) for tool in tools)
    for repeat in range(args.repeats):
        for tool in rotated(tools, repeat):
            runs = measured[tool.name]
            if runs and not tool.ours and runs[0]["rollout"]["wall_s"] > args.long_run_s:
                continue
            runs.append(measure_tool(tool, scenario, count, repeat, workdir, plans))
    rows = []
    for tool in tools:
        row = {"scenario": scenario, "n": count, "tool": tool.name, "generation": tool.generation, "ours": tool.ours,
               "runs": len(measured[tool.name])}
        for step in measured[tool.name][0]:
            row[step] = median_run([one[step] for one in measured[tool.name]])
        rows.append(row)
    return rows


def network_check(rtt_ms=50, tls_rtts=1, samples=5):
    """The proxy against its model, on an empty emulator: a request on a new connection, then on the
    same kept-alive connection (medians, ms)."""
    import http.client
    new, kept = [], []
    with EmulatorProcess() as emulator, NetemProxy(emulator.url, rtt_ms, tls_rtts) as proxy:
        parts = urllib.parse.urlsplit(proxy.url)
        for _ in range(samples):
            connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
            for bucket in (new, kept):
                start = time.monotonic()
                connection.request("GET", "/_emulator/health")
                connection.getresponse().read()
                bucket.append(1000 * (time.monotonic() - start))
            connection.close()
    return {"rtt_ms": rtt_ms, "tls_rtts": tls_rtts,
            "new_connection_ms": round(statistics.median(new), 1), "new_connection_model_ms": (2 + tls_rtts) * rtt_ms,
            "kept_alive_ms": round(statistics.median(kept), 1), "kept_alive_model_ms": rtt_ms}


def sizes_arg(text):
    return [int(size) for size in text.split(",") if size.strip()]


def _named(path):
    """A results file as the committed results may name it: from the repository's root, or by its
    name alone when it lies outside (no path of the machine that ran it)."""
    relative = os.path.relpath(os.path.abspath(path), report.ROOT)
    if relative.startswith(os.pardir):
        return "%s (outside the repository)" % os.path.basename(path)
    return relative


def _origin(path, source, label=None):
    """The run a reused row was measured in: that of the results file, or, for a row that file had
    itself reused, the run it names."""
    if label:
        return dict(next(run for run in source.get("reused", []) if run["label"] == label))
    env = source["environment"]
    return {"file": _named(path), "date": env.get("date"), "commit": env.get("commit"),
            "duration_s": env.get("duration_s"), "repeats": source.get("repeats"),
            "loadavg_at_end": env.get("loadavg_at_end"), "network_check": source.get("network_check"),
            "peer_inputs": env.get("peer_inputs")}


def reused_rows(sources, measured, wanted):
    """The rows of tools not in measured from earlier results ([(path, results)]; for a cell and tool
    the first file that has it wins), each marked with a label of the run it was measured in:
    (rows, [that run's description, label and PEER_INPUTS changed since included])."""
    rows, runs, taken = [], [], set()
    for path, source in sources:
        for row in source["rows"]:
            key = (row["scenario"], row["n"], row["tool"])
            if row["tool"] in measured or key in taken or not wanted(row):
                continue
            origin = _origin(path, source, row.get("reused"))
            run = next((run for run in runs if (run["date"], run["commit"]) == (origin["date"], origin["commit"])), None)
            if run is None:
                run = dict(origin, label=chr(ord("a") + len(runs)),
                           peer_inputs_changed=report.peer_inputs_changed(origin["commit"], origin.get("peer_inputs")))
                runs.append(run)
            taken.add(key)
            rows.append(dict(row, reused=run["label"], repeats=row.get("repeats", origin["repeats"])))
    return rows, runs


def load_peer_rows(paths, measured, wanted):
    sources = []
    for path in paths:
        with open(path) as handle:
            sources.append((path, json.load(handle)))
    rows, runs = reused_rows(sources, measured, wanted)
    for run in runs:
        tools = sorted(set(row["tool"] for row in rows if row["reused"] == run["label"]))
        print("rows of %s taken from %s: %s" % (", ".join(tools), run["file"], report.reused_note(run)), flush=True)
    return rows, runs


def row_order(tool_names):
    """Rows in the order of the tables: scenario, N, then the tools' order."""
    def key(row):
        scenarios, tools = list(SCENARIOS), list(tool_names)
        return (scenarios.index(row["scenario"]), row["n"],
                tools.index(row["tool"]) if row["tool"] in tools else len(tools), row["tool"])
    return key


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=sizes_arg, default=sizes_arg("1,10,50,200"),
                        help="fleet sizes of the loopback and net50 scenarios (default 1,10,50,200)")
    parser.add_argument("--peer-net-sizes", type=sizes_arg, default=sizes_arg("10,200"),
                        help="the sizes of net50 at which the peers run too (default 10,200; ours runs at all)")
    parser.add_argument("--phase-sizes", type=sizes_arg, default=sizes_arg("10"),
                        help="fleet sizes of the phase5 scenario (default 10)")
    parser.add_argument("--scenarios", default=",".join(SCENARIOS), help="comma-separated, of %(default)s")
    parser.add_argument("--repeats", type=int, default=3, help="runs per tool and cell; the median is reported")
    parser.add_argument("--long-run-s", type=float, default=20.0,
                        help="a peer whose first run in a cell took longer runs only once there (default %(default)s)")
    parser.add_argument("--tools", default=None, help="comma-separated tool names (default: all that are installed)")
    parser.add_argument("--quick", action="store_true", help="a smoke run: N=1,10, one repeat")
    parser.add_argument("--large", action="store_true",
                        help="make bench-large: net50 only, ours at N=200 and 1000, the peers at 1000 (once each)")
    parser.add_argument("--out", default=None, help="where the results go (default bench/results, "
                                                    "bench/results/large with --large)")
    parser.add_argument("--peer-rows", default=None, metavar="RESULTS.json[,...]",
                        help="take the rows of the tools not run here (those --tools leaves out, or skipped) from "
                             "these earlier results, for the cells this run covers; the first file with a cell wins")
    args = parser.parse_args(argv)
    if args.quick:
        args.sizes, args.peer_net_sizes, args.repeats = [1, 10], [10], 1
    if args.large:
        args.sizes, args.peer_net_sizes, args.scenarios = [200, 1000], [1000], "net50"
    args.out = args.out or os.path.join(BENCH, "results", "large" if args.large else "")
    scenarios = [name for name in args.scenarios.split(",") if name]
    unknown = set(scenarios) - set(SCENARIOS)
    if unknown:
        parser.error("unknown scenarios: %s" % ", ".join(sorted(unknown)))
    tools = all_tools()
    if args.tools:
        wanted = args.tools.split(",")
        unknown = set(wanted) - set(tool.name for tool in tools)
        if unknown:
            parser.error("unknown tools: %s (known: %s)" % (", ".join(sorted(unknown)),
                                                            ", ".join(tool.name for tool in tools)))
        tools = [tool for tool in tools if tool.name in wanted]
    skipped = dict((tool.name, tool.missing()) for tool in tools if tool.missing())
    for name, why in skipped.items():
        print("skipping %s: %s" % (name, why), flush=True)
    tools = [tool for tool in tools if tool.name not in skipped]
    cells = {"loopback": args.sizes, "net50": args.sizes, "phase5": args.phase_sizes}

    def sizes_of(scenario, ours):
        if ours:
            return set(cells[scenario])
        return set(args.peer_net_sizes) if scenario == "net50" else set(cells[scenario])
    inputs = report.peer_inputs()
    reused, reused_runs = [], []
    if args.peer_rows:
        reused, reused_runs = load_peer_rows(
            [path for path in args.peer_rows.split(",") if path], set(tool.name for tool in tools),
            lambda row: row["scenario"] in scenarios and row["n"] in sizes_of(row["scenario"], row["ours"]))
    began = time.monotonic()
    workdir = tempfile.mkdtemp(prefix="rio-bench-")
    print("work directory (logs): %s" % workdir, flush=True)
    check = network_check()
    print("network model check: %s" % json.dumps(check), flush=True)
    plans = Plans(workdir)
    rows = []
    for scenario in scenarios:
        for count in sorted(sizes_of(scenario, True) | sizes_of(scenario, False)):
            cell_tools = [tool for tool in tools if count in sizes_of(scenario, tool.ours)]
            if not cell_tools:
                continue
            print("%s, N=%d" % (scenario, count), flush=True)
            rows.extend(bench_cell(scenario, count, cell_tools, args, workdir, plans))
    rows = sorted(rows + reused, key=row_order([tool.name for tool in all_tools()]))
    os.makedirs(args.out, exist_ok=True)
    results = {"environment": dict(report.environment(inputs), duration_s=round(time.monotonic() - began)),
               "scenarios": SCENARIOS, "repeats": args.repeats, "skipped": skipped, "network_check": check,
               "logs": workdir, "reused": reused_runs, "rows": rows}
    report.write_all(results, args.out)
    print(report.markdown(results), flush=True)
    failed = [row for row in rows for step in ("rollout", "rerun")
              if step in row and row[step]["rc"] != 0 and not row.get("reused")]
    if failed:
        print("some runs failed: %s; logs under %s" % (
            ", ".join(sorted(set("%s %s N=%d" % (r["tool"], r["scenario"], r["n"]) for r in failed))), workdir))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
