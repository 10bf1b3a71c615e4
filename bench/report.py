"""Tables, JSON, target checks and a plot of the benchmark figures."""
import json
import os
import platform
import subprocess
import time

KINDS = ("rollout", "rerun", "module_rollout", "module_rerun", "per_robot_rollout", "per_robot_rerun",
         "per_robot_shipped", "floor", "sdk")
LABELS = {"rollout": "batch rollout", "rerun": "batch re-run", "module_rollout": "batch module alone, rollout",
          "module_rerun": "batch module alone, re-run", "per_robot_rollout": "per-robot rollout",
          "per_robot_rerun": "per-robot re-run", "per_robot_shipped": "per-robot re-run, modules shipped",
          "floor": "floor (trivial tasks)", "sdk": "SDK script"}


def one_line(fig):
    return "%6.2fs wall %6.2fs cpu %5d req (%d r, %d w)%s" % (
        fig["wall_s"], fig["cpu_s"], fig["requests"], fig["reads"], fig["writes"],
        "" if fig["rc"] == 0 else " FAILED rc=%d" % fig["rc"])


def markdown(results):
    lines = ["| N | run | wall s | CPU s | requests | per robot | reads | writes | rc |",
             "|---:|---|---:|---:|---:|---:|---:|---:|---:|"]
    for fig in results:
        for kind in KINDS:
            if kind in fig:
                f = fig[kind]
                label = LABELS[kind]
                if f.get("walls_s"):
                    label += " (median of %s)" % ", ".join("%.2f" % wall for wall in f["walls_s"])
                lines.append("| %d | %s | %.2f | %.2f | %d | %.2f | %d | %d | %d |" % (
                    fig["n"], label, f["wall_s"], f["cpu_s"], f["requests"], f["requests"] / float(fig["n"]),
                    f["reads"], f["writes"], f["rc"]))
    return "\n".join(lines) + "\n"


def _by_n(results, n):
    for fig in results:
        if fig["n"] == n:
            return fig
    return None


def targets(results, probe, latency=None):
    """The issue's targets: [(target, figure, verdict)] for the sizes that were measured.

    latency: the figures of the second scenario (the same runs with a round trip per API request).
    The issue sets its targets for the fleet playbook; the same checks on the batch module alone
    are marked "for comparison".
    """
    checks = []
    one, big, fifty = _by_n(results, 1), _by_n(results, 200), _by_n(results, 50)
    if one and big:
        limit = 3 * one["rollout"]["wall_s"]
        checks.append(("200-robot rollout wall <= 3 x 1-robot rollout (%.2f s)" % limit,
                       "%.2f s" % big["rollout"]["wall_s"], big["rollout"]["wall_s"] <= limit))
    if one and big and "module_rollout" in big:
        limit = 3 * one["module_rollout"]["wall_s"]
        checks.append(("for comparison, batch module alone: 200-robot rollout <= 3 x 1-robot (%.2f s)" % limit,
                       "%.2f s" % big["module_rollout"]["wall_s"], big["module_rollout"]["wall_s"] <= limit))
    for fig in [big] + list(latency or ()):
        if fig and "sdk" in fig:
            where = " (%g ms per API request)" % fig["latency_ms"] if fig.get("latency_ms") else " (loopback)"
            for kind in ("rollout", "module_rollout"):
                if kind in fig:
                    ratio = fig["sdk"]["wall_s"] / fig[kind]["wall_s"]
                    checks.append(("%s200-robot %s >= 2 x faster than the SDK script%s (%.2f s)" % (
                        "for comparison: " if kind == "module_rollout" else "", LABELS[kind], where,
                        fig["sdk"]["wall_s"]),
                        "%.2f s, %.2f x faster" % (fig[kind]["wall_s"], ratio), ratio >= 2))
    if big:
        for kind in ("rerun", "module_rerun"):
            if kind in big:
                rerun = big[kind]
                checks.append(("200-robot %s: zero writes" % LABELS[kind], "%d writes" % rerun["writes"],
                               rerun["writes"] == 0))
                checks.append(("200-robot %s: reads <= N + 10 = 210" % LABELS[kind], "%d reads" % rerun["reads"],
                               rerun["reads"] <= 210))
    if fifty and "per_robot_rollout" in fifty:
        floor = fifty["floor"]["wall_s"]
        for kind in ("per_robot_rollout", "per_robot_rerun"):
            wall = fifty[kind]["wall_s"]
            checks.append(("N=50 %s <= 1.25 x floor (%.2f s)" % (LABELS[kind], 1.25 * floor),
                           "%.2f s (%+.0f %%)" % (wall, 100.0 * (wall / floor - 1)), wall <= 1.25 * floor))
    if probe:
        for mode in ("rio_deployment", "batch"):
            late = probe[mode]["max_late_s"]
            checks.append(("a wait returns within 1 s after readiness (%s)" % mode, "at most %.2f s late" % late,
                           late <= 1.0))
    return checks


def targets_markdown(results, probe, latency=None):
    lines = ["| target | measured | verdict |", "|---|---|---|"]
    for target, figure, ok in targets(results, probe, latency):
        lines.append("| %s | %s | %s |" % (target, figure, "pass" if ok else "FAIL"))
    return "\n".join(lines) + "\n"


def plot(results, path):
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    sizes = [fig["n"] for fig in results]
    figure, axis = plt.subplots(figsize=(8, 5))
    for kind in KINDS:
        points = [(fig["n"], fig[kind]["wall_s"]) for fig in results if kind in fig]
        if points:
            axis.plot([p[0] for p in points], [p[1] for p in points], marker="o", label=LABELS[kind])
    axis.set_xlabel("robots (N)")
    axis.set_ylabel("wall time (s)")
    axis.set_xticks(sizes)
    axis.set_title("rapyuta.rio fleet rollout against the emulator (phase delay 0, %d cores)" % (os.cpu_count() or 0))
    axis.grid(True, alpha=0.3)
    axis.legend()
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    return True


def environment():
    try:
        commit = subprocess.check_output(["git", "rev-parse", "--short", "HEAD"], cwd=os.path.dirname(__file__),
                                         stderr=subprocess.DEVNULL).decode().strip()
    except (OSError, subprocess.CalledProcessError):
        commit = None
    return {"date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "commit": commit, "cpus": os.cpu_count(),
            "python": platform.python_version(), "forks": int(os.environ.get("BENCH_FORKS", 10)),
            "loadavg_at_end": list(os.getloadavg())}


def write_all(results, probe, out, latency=None):
    env = environment()
    with open(os.path.join(out, "results.json"), "w") as handle:
        json.dump({"environment": env, "sizes": results, "latency": latency or [], "wait_probe": probe}, handle,
                  indent=2)
    with open(os.path.join(out, "results.md"), "w") as handle:
        handle.write("# Fleet benchmark results\n\n%s, commit %s, %s CPUs, %s forks, load average at the end %s\n\n"
                     % (env["date"], env["commit"], env["cpus"], env["forks"],
                        ", ".join("%.2f" % value for value in env["loadavg_at_end"])))
        handle.write(markdown(results))
        for fig in latency or ():
            handle.write("\n## The same API %g ms away\n\nEvery API request answered %g ms later by the emulator "
                         "(a network round trip; the real API is not on loopback).\n\n"
                         % (fig["latency_ms"], fig["latency_ms"]))
            handle.write(markdown([fig]))
        handle.write("\n## Targets\n\n")
        handle.write(targets_markdown(results, probe, latency))
        if probe:
            handle.write("\n## Wait probe\n\n```json\n%s\n```\n" % json.dumps(probe, indent=2))
    plot(results, os.path.join(out, "wall_time.png"))
