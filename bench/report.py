"""Tables, JSON and a plot of the benchmark figures."""
import json
import os

KINDS = ("rollout", "rerun", "floor", "sdk")


def row_text(fig):
    parts = ["N=%-4d" % fig["n"]]
    for kind in KINDS:
        if kind in fig:
            f = fig[kind]
            parts.append("%s %.1fs wall %.1fs cpu %d req (%d w)%s" % (
                kind, f["wall_s"], f["cpu_s"], f["requests"], f["writes"], "" if f["rc"] == 0 else " FAILED"))
    return " | ".join(parts)


def markdown(results):
    lines = ["| N | run | wall s | CPU s | requests | per robot | reads | writes | rc |",
             "|---|---|---|---|---|---|---|---|---|"]
    for fig in results:
        for kind in KINDS:
            if kind in fig:
                f = fig[kind]
                lines.append("| %d | %s | %.2f | %.2f | %d | %.1f | %d | %d | %d |" % (
                    fig["n"], kind, f["wall_s"], f["cpu_s"], f["requests"], f["requests"] / float(fig["n"]),
                    f["reads"], f["writes"], f["rc"]))
    return "\n".join(lines) + "\n"


def plot(results, path):
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    sizes = [fig["n"] for fig in results]
    fig, axis = plt.subplots(figsize=(7, 4.5))
    for kind in KINDS:
        points = [(fig["n"], fig[kind]["wall_s"]) for fig in results if kind in fig]
        if points:
            axis.plot([p[0] for p in points], [p[1] for p in points], marker="o", label=kind)
    axis.set_xlabel("robots (N)")
    axis.set_ylabel("wall time (s)")
    axis.set_xticks(sizes)
    axis.set_title("rapyuta.rio fleet rollout against the emulator (2 cores)")
    axis.grid(True, alpha=0.3)
    axis.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    return True


def write_all(results, out):
    with open(os.path.join(out, "results.json"), "w") as handle:
        json.dump(results, handle, indent=2)
    with open(os.path.join(out, "results.md"), "w") as handle:
        handle.write(markdown(results))
    plot(results, os.path.join(out, "wall_time.png"))
