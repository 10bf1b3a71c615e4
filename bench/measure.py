"""Run one command and measure it: wall time, CPU time of the command and its children, API requests."""
import os
import resource
import subprocess
import time


def children_cpu():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_measured(command, env, emulator, cwd=None, log_path=None):
    """Run command; return {wall_s, cpu_s, requests, reads, writes, by_route, rc}.

    Only the emulator's request counters are reset first (its state is kept: a re-run must find
    what the rollout made). CPU time is that of the command and all its children (Ansible's forks
    and modules), not the emulator's.
    """
    emulator.admin("reset?counters_only=1", {})
    cpu_before = children_cpu()
    start = time.monotonic()
    with open(log_path or os.devnull, "w") as log:
        rc = subprocess.call(command, env=env, cwd=cwd, stdout=log, stderr=subprocess.STDOUT)
    wall = time.monotonic() - start
    cpu = children_cpu() - cpu_before
    stats = emulator.admin("stats")
    return {"wall_s": round(wall, 2), "cpu_s": round(cpu, 2), "requests": stats.get("total", 0),
            "reads": stats.get("reads", 0), "writes": stats.get("writes", 0),
            "by_route": stats.get("by_route", {}), "rc": rc}
