"""Run one command and measure it: wall time, CPU time of the command and its children, API requests
(the emulator's counters), connections and requests on the wire (the network proxy's counters)."""
import json
import os
import resource
import sqlite3
import subprocess
import time

# The emulator's document kinds of a deployment (v1, v2): (its name, its phase clock).
DEPLOYMENT_KINDS = {"deployment": lambda doc: (doc.get("name"), doc),
                    "v2deployment": lambda doc: ((doc.get("metadata") or {}).get("name"), doc.get("_state") or {})}


def children_cpu():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_measured(command, env, emulator, proxy, cwd=None, log_path=None):
    """Run command; return {wall_s, cpu_s, requests, reads, writes, by_route, connections, rc,
    started, ended} (started/ended: wall-clock seconds, to set against the emulator's clock).

    Only the emulator's request counters are reset first (its state is kept: a re-run must find
    what the rollout made). CPU time is that of the command and all its children (Ansible's forks,
    a peer's threads), not the emulator's or the proxy's.
    """
    emulator.admin("reset?counters_only=1", {})
    wire_before = proxy.stats()
    cpu_before = children_cpu()
    started = time.time()
    start = time.monotonic()
    with open(log_path or os.devnull, "w") as log:
        rc = subprocess.call(command, env=env, cwd=cwd, stdout=log, stderr=subprocess.STDOUT)
    wall = time.monotonic() - start
    ended = time.time()
    cpu = children_cpu() - cpu_before
    stats = emulator.admin("stats")
    wire_after = proxy.stats()
    return {"wall_s": round(wall, 2), "cpu_s": round(cpu, 2), "requests": stats.get("total", 0),
            "reads": stats.get("reads", 0), "writes": stats.get("writes", 0),
            "by_route": stats.get("by_route", {}), "connections": wire_after["connections"] - wire_before["connections"],
            "rc": rc, "started": started, "ended": ended}


def deployments_state(state_path, names, phase_delay):
    """({name: how many deployments of that name}, when the platform made the last of them ready:
    wall-clock s) for the deployments called names in the emulator's state.

    A deployment is ready phase_delay seconds after its phase clock started (the emulator's
    lifecycle): the platform's own readiness, whoever watches it.
    """
    connection = sqlite3.connect("file:%s?mode=ro" % state_path, uri=True)
    try:
        rows = connection.execute("SELECT kind, doc FROM docs WHERE kind IN (%s)"
                                  % ",".join("?" * len(DEPLOYMENT_KINDS)), list(DEPLOYMENT_KINDS)).fetchall()
    finally:
        connection.close()
    counts, starts = dict.fromkeys(names, 0), []
    for kind, doc in rows:
        name, clock = DEPLOYMENT_KINDS[kind](json.loads(doc))
        if name in counts:
            counts[name] += 1
            if clock.get("phaseStart") is not None:
                starts.append(clock["phaseStart"])
    return counts, (max(starts) + phase_delay if starts else None)


def last_json_line(log_path):
    """The last line of a log that is a JSON object (a peer's report line), or None."""
    with open(log_path, errors="replace") as handle:
        lines = handle.read().splitlines()
    for line in reversed(lines):
        line = line.strip()
        if line.startswith("{") and line.endswith("}"):
            try:
                return json.loads(line)
            except ValueError:
                continue
    return None
