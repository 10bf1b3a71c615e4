"""The fleet-scale run of test_fleet_200.py: a private emulator with a
generated fleet of N robots, `rio apply` of the set with one talker deployment per robot, then the same
apply again, with wall times and the emulator's request counts of both runs."""
import os
import time

from .harness import SET_DIR, Emulator, run_rio, stats_delta, write_fleet, write_robot_manifest


def run(workdir, robots_count, workers=6, inspect=None):
    """Both applies; `inspect(emulator)`, when given, runs before the emulator stops (its answer is
    returned as "inspected")."""
    fleet, robots = write_fleet(workdir, robots_count)
    started = time.monotonic()
    emulator = Emulator(workdir, fleet=fleet)
    startup = time.monotonic() - started
    try:
        files = [SET_DIR, write_robot_manifest(workdir, robots)]
        runs = []
        for _ in ("first", "again"):
            before = emulator.stats()
            result = run_rio(emulator, "apply", "-f", "-ri", "1", "-w", str(workers), *files, timeout=900)
            runs.append({"result": result, "seconds": round(result.seconds, 2),
                         "requests": stats_delta(before, emulator.stats())})
            if result.returncode != 0:
                break
        deployments = emulator.items("deployments")
        inspected = inspect(emulator) if inspect else None
        return {"inspected": inspected, "robots": robots, "emulator_startup_seconds": round(startup, 2), "runs": runs,
                "deployments": deployments, "workers": workers, "log_size": os.path.getsize(emulator.log_path)}
    finally:
        emulator.stop()


def summary(outcome):
    """The figures worth recording (no objects, no output)."""
    return {"robots": len(outcome["robots"]), "workers": outcome["workers"],
            "emulator_startup_seconds": outcome["emulator_startup_seconds"],
            "runs": [{"seconds": r["seconds"], "exit": r["result"].returncode,
                      "total_requests": r["requests"]["total"], "writes": r["requests"]["writes"],
                      "reads": r["requests"]["reads"], "by_route": r["requests"]["by_route"],
                      "by_status": r["requests"]["by_status"]} for r in outcome["runs"]]}
