"""The riocli fleet figure, by hand: `rio apply` of the fleet manifest set with one talker deployment
per robot against an emulator seeded with a generated fleet, then the same apply again; prints the wall
times and the emulator's request counts and writes them to bench/results/riocli_fleet.json.

Run with the riocli venv (make venv venv-riocli first):
    .venv-riocli/bin/python bench/riocli_fleet.py [--robots 200] [--workers 6]
The pass/fail checks of the same run are tests/conformance_riocli/test_fleet_200.py.
"""
import argparse
import json
import os
import sys
import tempfile

BENCH = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(BENCH)
sys.path.insert(0, ROOT)

from tests.conformance_riocli import fleet_run


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--robots", type=int, default=200)
    parser.add_argument("--workers", type=int, default=6, help="rio apply --workers (riocli's default is 6)")
    parser.add_argument("--out", default=os.path.join(BENCH, "results", "riocli_fleet.json"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="rio-riocli-bench-") as workdir:
        outcome = fleet_run.run(workdir, args.robots, workers=args.workers)
    figures = fleet_run.summary(outcome)
    live = [d for d in outcome["deployments"] if d["status"]["phase"] == "Succeeded" and d["status"]["status"] == "Running"]
    figures["deployments_running"] = len(live)
    for name, run in zip(("apply", "apply again"), figures["runs"], strict=False):
        print("%-12s %6.2f s  exit %s  requests %d (writes %d, reads %d)  by status %s"
              % (name, run["seconds"], run["exit"], run["total_requests"], run["writes"], run["reads"], run["by_status"]))
    print("deployments Succeeded/Running: %d of %d" % (len(live), args.robots + 1))
    with open(args.out, "w") as handle:
        json.dump(figures, handle, indent=1, sort_keys=True)
        handle.write("\n")
    print("written %s" % os.path.relpath(args.out, ROOT))
    return 0 if all(run["exit"] == 0 for run in figures["runs"]) and len(live) == args.robots + 1 else 1


if __name__ == "__main__":
    sys.exit(main())
