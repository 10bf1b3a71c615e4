"""Tables, targets with verdicts, the profile of our runs, JSON and a plot of bench/run.py's figures;
`python bench/report.py --docs` writes the figures of the committed runs into docs/PERFORMANCE.md."""
import argparse
import json
import os
import platform
import re
import subprocess
import sys
import time

BENCH = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(BENCH)

SCENARIO_LABELS = {
    "loopback": "loopback: client cost only",
    "net50": "50 ms round trip + TCP/TLS 1.3 handshakes per new connection",
    "phase5": "50 ms round trip + handshakes, deployments ready 5 s after creation",
}
# The parts of our playbook run, in the order they happen.
PARTS = ("start-up + inventory", "robot selection", "cloud side", "packages",
         "describing robots + templating items", "the batch", "results", "other tasks", "recap + exit")
TARGET_RTT_SCENARIO = "net50"
# The exit status bench/run.py gives a run that returned 0 without making the workload's deployments.
INCOMPLETE = -100
# What a peer's figures depend on besides its own pinned version: the emulator, the workload (the plan
# made from the sample fleet), the network model and the counters. Rows reused from an earlier run
# (bench/run.py --peer-rows) are reported with the files of these that changed since that run.
PEER_INPUTS = ("emulator/rio_emulator", "emulator/pyproject.toml", "bench/peers", "bench/plan.py", "bench/fleet.py",
               "bench/netem_proxy.py", "bench/measure.py", "playbooks/sample", "requirements-riocli.txt",
               "requirements-riocli8.txt", "requirements-sdk-v2.txt")


def failure(fig):
    """"" for a run that did its work, else what went wrong."""
    if fig["rc"] == 0:
        return ""
    if fig["rc"] == INCOMPLETE:
        return " INCOMPLETE (%d deployments of the plan's names, one each expected)" % fig.get("deployments", 0)
    return " FAILED rc=%d" % fig["rc"]


def one_line(fig):
    return "%6.2fs wall %6.2fs cpu %5d req (%d r, %d w) %4d conn%s" % (
        fig["wall_s"], fig["cpu_s"], fig["requests"], fig["reads"], fig["writes"], fig.get("connections", 0),
        failure(fig))


def _part_of(task, after_batch):
    action = task.get("action") or ""
    if action.endswith("rio_deployment_batch"):
        return "the batch"
    if task.get("role") == "cloud_side":
        return "cloud side"
    if action.endswith("rio_package"):
        return "packages"
    if (task.get("name") or "").startswith("Describe every robot"):
        return "describing robots + templating items"
    if task.get("role") == "fleet_deployment" and after_batch:
        return "results"
    if task.get("role") is None and (task.get("name") or "").startswith(("Refuse a selection", "Show the robots")):
        return "robot selection"
    return "other tasks"


def profile_parts(timings, started, ended):
    """{part: seconds} of one playbook run from the bench_timings callback's start times: a task
    lasts until the next one starts; start-up + inventory until the playbook starts."""
    parts = dict.fromkeys(PARTS, 0.0)
    begin = timings.get("playbook_start") or started
    parts["start-up + inventory"] = begin - started
    tasks = timings.get("tasks") or []
    stats = timings.get("stats") or ended
    after_batch = False
    for index, task in enumerate(tasks):
        until = tasks[index + 1]["start"] if index + 1 < len(tasks) else stats
        part = _part_of(task, after_batch)
        after_batch = after_batch or part == "the batch"
        parts[part] += until - task["start"]
    if not tasks:
        parts["other tasks"] += stats - begin
    parts["recap + exit"] = ended - stats
    return dict((part, round(seconds, 3)) for part, seconds in parts.items())


def _rows(results, scenario=None, tool=None, n=None):
    return [row for row in results["rows"] if (scenario is None or row["scenario"] == scenario)
            and (tool is None or row["tool"] == tool) and (n is None or row["n"] == n)]


def tool_label(row):
    """The tool's name, with the mark of the earlier run its row was taken from ("sdk-1.17.1 [a]")."""
    return "%s [%s]" % (row["tool"], row["reused"]) if row.get("reused") else row["tool"]


def _single(results, row):
    """Whether the row is a single run of a bench run that repeated its cells (a peer's long cell)."""
    return row.get("repeats", results["repeats"]) > 1 and row.get("runs") == 1


def _wall(fig, single=False):
    """The median wall time, every run's in brackets ("1 run" for a run not repeated)."""
    text = "%.2f" % fig["wall_s"]
    if fig.get("walls_s"):
        text += " (%s)" % ", ".join("%.2f" % wall for wall in fig["walls_s"])
    elif single:
        text += " (1 run)"
    return text + failure(fig)


def scenario_table(results, scenario):
    lines = []
    if scenario == "phase5":
        lines += ["| N | tool | to all ready s | platform's last robot ready at s | returned after it s | requests "
                  "| connections | deployments |", "|---:|---|---:|---:|---:|---:|---:|---:|"]
        for row in _rows(results, scenario):
            fig = row["rollout"]
            lines.append("| %d | %s | %s | %s | %s | %d | %d | %d |" % (
                row["n"], tool_label(row), _wall(fig, _single(results, row)), fig.get("platform_ready_s", "-"), fig.get("after_ready_s", "-"),
                fig["requests"], fig["connections"], fig["deployments"]))
        return "\n".join(lines) + "\n"
    rtt_ms, tls_rtts = results["scenarios"][scenario][:2]
    lines += ["| N | tool | rollout s | requests | per robot | writes | connections | round trips | deployments "
              "| re-run s | requests | writes | connections |",
              "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for row in _rows(results, scenario):
        fig, again = row["rollout"], row.get("rerun")
        single = _single(results, row)
        trips = round_trips(fig, tls_rtts)
        cells = [str(row["n"]), tool_label(row), _wall(fig, single), str(fig["requests"]),
                 "%.2f" % (fig["requests"] / row["n"]), str(fig["writes"]), str(fig["connections"]),
                 "%d (%.1f s)" % (trips, trips * rtt_ms / 1000.0) if rtt_ms else "-", str(fig["deployments"])]
        cells += [_wall(again, single), str(again["requests"]), str(again["writes"]), str(again["connections"])] if again \
            else ["-"] * 4
        lines.append("| %s |" % " | ".join(cells))
    return "\n".join(lines) + "\n"


def parts_table(results, scenario=TARGET_RTT_SCENARIO):
    """Our runs' parts by N (seconds), and what each part costs per robot between the smallest and largest N."""
    lines = []
    for tool in ("ours-v1", "ours-v2"):
        for step in ("rollout", "rerun"):
            rows = [row for row in _rows(results, scenario, tool) if step in row and "parts" in row[step]]
            if not rows:
                continue
            sizes = [row["n"] for row in rows]
            per_robot = "per robot ms, N=%d to %d" % (sizes[0], sizes[-1]) if len(sizes) > 1 else "per robot ms"
            lines += ["", "%s %s (%s)" % (tool, step, scenario), "",
                      "| part | %s | %s |" % (" | ".join("N=%d" % n for n in sizes), per_robot),
                      "|---|%s---:|" % ("---:|" * len(sizes))]
            for part in PARTS:
                values = [row[step]["parts"].get(part, 0.0) for row in rows]
                slope = (1000 * (values[-1] - values[0]) / (sizes[-1] - sizes[0])) if len(sizes) > 1 else 0.0
                lines.append("| %s | %s | %.2f |" % (part, " | ".join("%.2f" % v for v in values), slope))
    return "\n".join(lines) + "\n"


def round_trips(fig, tls_rtts):
    """The round trips a run's traffic costs: one per request, 1 + tls_rtts more per new connection."""
    return fig["requests"] + fig["connections"] * (1 + tls_rtts)


def bound_of(fig, rtt_ms, tls_rtts=1):
    """What a run's time is made of: its three largest parts (ours) and its traffic in round trips."""
    text = "%d requests over %d connections" % (fig["requests"], fig["connections"])
    if rtt_ms:
        trips = round_trips(fig, tls_rtts)
        text += ": %d round trips, %.1f s if made one after the other" % (trips, trips * rtt_ms / 1000.0)
    if fig.get("parts"):
        largest = sorted(fig["parts"].items(), key=lambda item: -item[1])[:3]
        text = "; ".join("%s %.2f s" % item for item in largest) + "; " + text
    return text


def _sizes(results, tool, scenario=TARGET_RTT_SCENARIO):
    return set(row["n"] for row in _rows(results, scenario, tool))


def per_robot_requests(results, tool, count, base=None, scenario=TARGET_RTT_SCENARIO):
    """A rollout's requests per robot: what each robot added between N=base and this N (the requests
    made once per run, for the packages and the cloud side, drop out), or requests / N without a base."""
    rows = dict((row["n"], row["rollout"]["requests"]) for row in _rows(results, scenario, tool))
    if base is None:
        return rows[count] / float(count)
    return (rows[count] - rows[base]) / float(count - base)


def common_base(results, tools, count):
    """The smallest N under count at which every one of tools was measured (so that all of them are
    counted alike), or None."""
    smaller = set.intersection(*[_sizes(results, tool) for tool in tools])
    smaller = [n for n in smaller if n < count]
    return min(smaller) if smaller else None


def lateness_bound(fig):
    """How a return after readiness divides: the batch's own wait, then the tasks after it and the exit."""
    parts = fig.get("parts")
    if not parts or fig.get("after_ready_s") is None:
        return ""
    after = parts["results"] + parts["recap + exit"]
    return "the batch returned about %.2f s after the last robot was ready; the tasks after it and the exit %.2f s" % (
        fig["after_ready_s"] - after, after)


def _check(checks, count, target, fig, ok, measured, rtt_ms=None):
    """count: the fleet size the target is about (the larger one of a comparison between sizes)."""
    checks.append({"n": count, "target": target, "measured": measured, "verdict": "PASS" if ok else "MISS",
                   "bound": "" if ok or fig is None else bound_of(fig, rtt_ms)})


def targets(results):
    """Issue 21's targets, for each generation and the sizes that were measured: [{target, measured, verdict, bound}]."""
    checks = []
    rtt_ms = results["scenarios"].get(TARGET_RTT_SCENARIO, (0,))[0]
    for generation in ("v1", "v2"):
        ours = "ours-%s" % generation
        net = dict((row["n"], row) for row in _rows(results, TARGET_RTT_SCENARIO, ours))
        peers = [row for row in _rows(results, TARGET_RTT_SCENARIO) if not row["ours"]
                 and row["generation"] == generation and row["rollout"]["rc"] == 0]
        for count, limit in ((200, 2.5), (1000, 8.0)):
            row = net.get(count)
            if not row:
                continue
            fig, size = row["rollout"], f"{count:,}"
            _check(checks, count, "%s: %s-robot rollout <= %g s" % (ours, size, limit), fig,
                   fig["rc"] == 0 and fig["wall_s"] <= limit, "%.2f s" % fig["wall_s"], rtt_ms)
            same = [peer for peer in peers if peer["n"] == count]
            if same:
                fastest = min(same, key=lambda peer: peer["rollout"]["wall_s"])
                ratio = fastest["rollout"]["wall_s"] / fig["wall_s"]
                _check(checks, count, "%s: %s-robot rollout >= 5 x faster than the fastest peer (%s, %.2f s)" % (
                    ours, size, tool_label(fastest), fastest["rollout"]["wall_s"]), fig,
                    fig["rc"] == 0 and ratio >= 5, "%.1f x" % ratio, rtt_ms)
                base = common_base(results, [ours] + [peer["tool"] for peer in same], count)
                mine = per_robot_requests(results, ours, count, base)
                fewest = min(same, key=lambda peer: per_robot_requests(results, peer["tool"], count, base))
                least = per_robot_requests(results, fewest["tool"], count, base)
                _check(checks, count, "%s: %s-robot rollout requests per robot <= the peers' minimum (%s, %.2f)" % (
                    ours, size, tool_label(fewest), least), fig, mine <= least, "%.2f" % mine, rtt_ms)
        for count in (200, 1000):
            row = net.get(count)
            if not row or "rerun" not in row:
                continue
            fig, size = row["rerun"], f"{count:,}"
            if count == 200:
                _check(checks, count, "%s: converged 200-robot re-run <= 1.2 s" % ours, fig,
                       fig["rc"] == 0 and fig["wall_s"] <= 1.2, "%.2f s" % fig["wall_s"], rtt_ms)
            scripts = [peer for peer in peers if peer["n"] == count and peer["tool"].startswith("sdk")
                       and "rerun" in peer]
            for script in scripts:
                limit = 3 * script["rerun"]["wall_s"]
                _check(checks, count, "%s: converged %s-robot re-run <= 3 x the idempotent %s script (%.2f s)" % (
                    ours, size, tool_label(script), limit), fig, fig["wall_s"] <= limit, "%.2f s" % fig["wall_s"], rtt_ms)
            _check(checks, count, "%s: converged %s-robot re-run makes no write" % (ours, size), fig, fig["writes"] == 0,
                   "%d writes" % fig["writes"])
        reruns = sorted((count, row["rerun"]) for count, row in net.items() if "rerun" in row)
        if len(reruns) > 1:
            (small, first), (large, last) = reruns[0], reruns[-1]
            _check(checks, large, "%s: re-run requests do not grow with N (N=%d: %d)" % (ours, small, first["requests"]),
                   last, last["requests"] <= first["requests"], "N=%d: %d" % (large, last["requests"]), rtt_ms)
        if 200 in net and 1000 in net and "rerun" in net[200] and "rerun" in net[1000]:
            base, big = net[200]["rerun"], net[1000]["rerun"]
            _check(checks, 1000, "%s: converged 1,000-robot re-run <= 1.5 x the 200-robot one (%.2f s)" % (
                ours, 1.5 * base["wall_s"]), big, big["wall_s"] <= 1.5 * base["wall_s"], "%.2f s" % big["wall_s"],
                rtt_ms)
        for row in _rows(results, "loopback", ours, 1):
            fig = row["rollout"]
            _check(checks, 1, "%s: 1-robot rollout on loopback <= 0.9 s" % ours, fig,
                   fig["rc"] == 0 and fig["wall_s"] <= 0.9, "%.2f s" % fig["wall_s"])
        for row in _rows(results, "phase5", ours):
            fig = row["rollout"]
            late = fig.get("after_ready_s")
            ok = late is not None and fig["rc"] == 0 and late <= 1.0
            checks.append({"n": row["n"], "target": "%s: %d robots ready 5 s after creation: returns <= 1 s after the last is ready"
                                     % (ours, row["n"]), "measured": "%s s after" % late,
                           "verdict": "PASS" if ok else "MISS", "bound": "" if ok else lateness_bound(fig)})
    return checks


def targets_markdown(results, count=None):
    """The targets table; count: only the targets about that fleet size."""
    lines = ["| target | measured | verdict | what bounds it |", "|---|---|---|---|"]
    for check in targets(results):
        if count is None or check["n"] == count:
            lines.append("| %(target)s | %(measured)s | %(verdict)s | %(bound)s |" % check)
    return "\n".join(lines) + "\n"


def _minutes(seconds):
    return "%.0f min" % (seconds / 60.0) if seconds is not None else "? min"


def _network_check(check):
    return "a request on a new connection %.1f ms (model %d), on a kept-alive one %.1f ms (model %d)" % (
        check["new_connection_ms"], check["new_connection_model_ms"], check["kept_alive_ms"],
        check["kept_alive_model_ms"])


def reused_note(run):
    """Where the rows marked [label] come from: their run, its network check, and whether what the
    peers' figures depend on (PEER_INPUTS) changed since."""
    text = "Rows marked [%s] were not measured in this run: they are those of the run of %s (commit %s, %s, %s " \
           "repeat(s) per cell" % (run["label"], run["date"], run["commit"], _minutes(run.get("duration_s")),
                                   run.get("repeats", "?"))
    if run.get("loadavg_at_end"):
        text += ", load average at its end %.2f" % run["loadavg_at_end"][0]
    if run.get("network_check"):
        text += "; network check: %s" % _network_check(run["network_check"])
    changed = run.get("peer_inputs_changed")
    if changed is None:
        return text + "); whether the emulator, the workload or the peers changed since cannot be told here " \
                      "(that commit is not in this clone)."
    if not changed:
        return text + "); the emulator, the workload, the network model and the peers are the same as then."
    return text + "). CHANGED since that run: %s." % ", ".join(changed)


def run_summary(results):
    """When and how the run was made, its network check, and where its reused rows come from (Markdown)."""
    env = results["environment"]
    out = ["%s, commit %s, %s CPUs, %s forks, %d repeat(s) per cell (median shown, every run in brackets), "
           "load average at the end %s, %s in all." % (
               env["date"], env["commit"], env["cpus"], env["forks"], results["repeats"],
               ", ".join("%.2f" % value for value in env["loadavg_at_end"]), _minutes(env.get("duration_s")))]
    if results.get("network_check"):
        out += ["", "Network model check (median): %s." % _network_check(results["network_check"])]
    for run in results.get("reused", []):
        out += ["", reused_note(run)]
    for name, why in sorted(results.get("skipped", {}).items()):
        if not _rows(results, tool=name):
            out += ["", "Not measured: %s (%s)." % (name, why)]
    return "\n".join(out) + "\n"


def markdown(results):
    out = ["# Fleet benchmark results", "", run_summary(results).rstrip("\n")]
    for scenario in SCENARIO_LABELS:
        if _rows(results, scenario):
            out += ["", "## %s" % SCENARIO_LABELS[scenario], "", scenario_table(results, scenario)]
    out += ["## Targets (issue 21)", "", targets_markdown(results), "## Where our time goes", parts_table(results)]
    return "\n".join(out)


def plot(results, path):
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    figure, (walls, parts) = plt.subplots(1, 2, figsize=(13, 5))
    tools = []
    for row in _rows(results, TARGET_RTT_SCENARIO):
        if row["tool"] not in tools:
            tools.append(row["tool"])
    for index, tool in enumerate(tools):
        color = "C%d" % (index % 10)
        rows = _rows(results, TARGET_RTT_SCENARIO, tool)
        points = [(row["n"], row["rollout"]["wall_s"]) for row in rows]
        walls.plot([p[0] for p in points], [p[1] for p in points], marker="o", color=color,
                   label="%s rollout" % tool_label(rows[0]))
        again = [(row["n"], row["rerun"]["wall_s"]) for row in _rows(results, TARGET_RTT_SCENARIO, tool)
                 if "rerun" in row]
        if tool.startswith("ours") and again:
            walls.plot([p[0] for p in again], [p[1] for p in again], marker="x", linestyle="--", color=color,
                       label="%s re-run" % tool)
    walls.set_xscale("log")
    walls.set_yscale("log")
    walls.set_xlabel("robots (N)")
    walls.set_ylabel("wall time to all ready (s)")
    walls.set_title(SCENARIO_LABELS[TARGET_RTT_SCENARIO], fontsize=9)
    walls.grid(True, alpha=0.3)
    walls.legend(fontsize=7)
    rows = [row for row in _rows(results, TARGET_RTT_SCENARIO, "ours-v1") if "parts" in row["rollout"]]
    if rows:
        sizes = [str(row["n"]) for row in rows]
        bottom = [0.0] * len(rows)
        for part in PARTS:
            values = [row["rollout"]["parts"].get(part, 0.0) for row in rows]
            parts.bar(sizes, values, bottom=bottom, label=part)
            bottom = [b + v for b, v in zip(bottom, values, strict=True)]
        parts.set_xlabel("robots (N)")
        parts.set_ylabel("seconds")
        parts.set_title("ours-v1 rollout, where the time goes (%s)" % TARGET_RTT_SCENARIO, fontsize=9)
        parts.legend(fontsize=7)
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    return True


def _git(*args):
    return subprocess.check_output(("git", *args), cwd=ROOT, stderr=subprocess.DEVNULL).decode()


def _untracked(paths):
    return [line[3:] for line in _git("status", "--porcelain", "--untracked-files=all", "--", *paths).splitlines()
            if line.startswith("??")]


def peer_inputs():
    """The last commit that changed PEER_INPUTS, and those of their files that differ from it here
    (uncommitted changes, untracked files); None without git."""
    try:
        commit = _git("log", "-1", "--format=%H", "--", *PEER_INPUTS).strip()
        changed = set(_git("diff", "--name-only", "HEAD", "--", *PEER_INPUTS).split()) | set(_untracked(PEER_INPUTS))
    except (OSError, subprocess.CalledProcessError):
        return None
    return {"commit": commit, "uncommitted": sorted(changed)}


def peer_inputs_changed(commit, recorded=None):
    """The files of PEER_INPUTS that differ between a run's code and this checkout's (its working tree):
    those changed since recorded["commit"] (else since the run's commit), plus those the run had
    uncommitted; None when that cannot be told (no git, a commit this clone does not have)."""
    recorded = recorded or {}
    base = recorded.get("commit") or commit
    if not base:
        return None
    try:
        changed = set(_git("diff", "--name-only", base, "--", *PEER_INPUTS).split()) | set(_untracked(PEER_INPUTS))
    except (OSError, subprocess.CalledProcessError):
        return None
    return sorted(changed | set(recorded.get("uncommitted") or ()))


def environment(inputs=None):
    """The run's machine and code; inputs: peer_inputs() as it was when the run started."""
    try:
        commit = _git("rev-parse", "--short", "HEAD").strip()
    except (OSError, subprocess.CalledProcessError):
        commit = None
    return {"date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "commit": commit, "cpus": os.cpu_count(),
            "python": platform.python_version(), "forks": int(os.environ.get("BENCH_FORKS", 10)),
            "loadavg_at_end": list(os.getloadavg()), "peer_inputs": inputs}


def write_all(results, out):
    with open(os.path.join(out, "results.json"), "w") as handle:
        json.dump(results, handle, indent=1)
    with open(os.path.join(out, "results.md"), "w") as handle:
        handle.write(markdown(results))
    plot(results, os.path.join(out, "wall_time.png"))


# docs/PERFORMANCE.md: each generated block sits between "<!-- bench:NAME -->" and "<!-- /bench:NAME -->".
DOC = os.path.join(ROOT, "docs", "PERFORMANCE.md")
RESULTS = os.path.join(BENCH, "results", "results.json")
LARGE_RESULTS = os.path.join(BENCH, "results", "large", "results.json")
BLOCK = re.compile(r"(<!-- bench:(?P<name>[a-z0-9-]+) -->\n)(.*?)(<!-- /bench:(?P=name) -->)", re.S)


def large_block(results):
    """The 1,000-robot run (make bench-large): its run, the 50 ms table, the targets about 1,000
    robots, the parts of our runs per robot, the plot."""
    if results is None:
        return "No `make bench-large` run is committed yet (`bench/results/large/`).\n"
    return "\n".join([run_summary(results), scenario_table(results, TARGET_RTT_SCENARIO),
                      "The targets about 1,000 robots:", "", targets_markdown(results, 1000).rstrip("\n"), "",
                      "Where our time goes at 200 and 1,000 robots (seconds; per robot: what each robot between "
                      "the two sizes added):", parts_table(results),
                      "The plot: [`bench/results/large/wall_time.png`](../bench/results/large/wall_time.png).\n"])


def doc_blocks(results, large=None):
    """{block name: Markdown} of docs/PERFORMANCE.md from the results of `make bench` (and `make bench-large`)."""
    blocks = {"run": run_summary(results), "targets": targets_markdown(results), "large": large_block(large),
              "parts": parts_table(results).lstrip("\n")}
    for scenario in SCENARIO_LABELS:
        blocks[scenario] = scenario_table(results, scenario)
    return blocks


def rewrite_doc(text, blocks):
    """text with each generated block replaced; every block must be there once."""
    seen = []

    def replace(match):
        seen.append(match.group("name"))
        if match.group("name") not in blocks:
            raise ValueError("unknown block in the document: %s" % match.group("name"))
        # Blank lines around the block: a table ends before the closing comment in every Markdown reader.
        return "%s\n%s\n\n%s" % (match.group(1), blocks[match.group("name")].strip("\n"), match.group(4))
    text = BLOCK.sub(replace, text)
    missing = sorted(set(blocks) - set(seen))
    repeated = sorted(set(name for name in seen if seen.count(name) > 1))
    if missing or repeated:
        raise ValueError("the document's generated blocks: missing %s, repeated %s" % (missing or "none",
                                                                                     repeated or "none"))
    return text


def _load(path):
    with open(path) as handle:
        return json.load(handle)


def render(path):
    """results.md and wall_time.png again from a results.json (after a change of this report)."""
    results = _load(path)
    out = os.path.dirname(os.path.abspath(path))
    with open(os.path.join(out, "results.md"), "w") as handle:
        handle.write(markdown(results))
    plot(results, os.path.join(out, "wall_time.png"))


def main(argv=None):
    parser = argparse.ArgumentParser(description="docs/PERFORMANCE.md's figures from the committed runs' results.json")
    parser.add_argument("--docs", action="store_true", help="rewrite the generated blocks of --doc")
    parser.add_argument("--check", action="store_true", help="only say whether --doc is up to date (exit 1 if not)")
    parser.add_argument("--render", action="store_true",
                        help="first write results.md and wall_time.png again beside --results and --large-results")
    parser.add_argument("--doc", default=DOC, help="default %(default)s")
    parser.add_argument("--results", default=RESULTS, help="make bench's results (default %(default)s)")
    parser.add_argument("--large-results", default=LARGE_RESULTS,
                        help="make bench-large's results, if that file exists (default %(default)s)")
    args = parser.parse_args(argv)
    if not (args.docs or args.check or args.render):
        parser.error("nothing to do: --docs, --check or --render")
    if args.render:
        for path in (args.results, args.large_results):
            if os.path.exists(path):
                render(path)
    if not (args.docs or args.check):
        return 0
    large = _load(args.large_results) if os.path.exists(args.large_results) else None
    with open(args.doc) as handle:
        text = handle.read()
    wanted = rewrite_doc(text, doc_blocks(_load(args.results), large))
    if args.check:
        if wanted != text:
            print("%s is not what %s gives: run `make bench-docs`" % (args.doc, args.results))
            return 1
        return 0
    with open(args.doc, "w") as handle:
        handle.write(wanted)
    return 0


if __name__ == "__main__":
    sys.exit(main())
