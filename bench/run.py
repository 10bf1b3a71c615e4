"""The fleet benchmark: `make bench`.

For each fleet size N it starts a fresh emulator (phase delay 0) with N robots and measures, in
the same run and on the same machine:
  rollout    the fleet playbook on a fresh project (package + N deployments, waited for)
  rerun      the same playbook again (converged: no write expected)
  floor      the same inventory running the same number of trivial module tasks
  sdk        a plain script with the official SDK provisioning the same N deployments one by one
Figures: wall time, CPU time (ansible and its children), HTTP requests from the emulator's stats.
Writes bench/results/results.json, results.md and wall_time.png.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

BENCH = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(BENCH)
sys.path.insert(0, BENCH)

from emulator_process import EmulatorProcess  # noqa: E402
from fleet import robot_name, write_fleet  # noqa: E402
from measure import run_measured  # noqa: E402
import report  # noqa: E402

PLAYBOOK = os.path.join(ROOT, "playbooks", "deploy_robots.yml")
FLOOR_PLAYBOOK = os.path.join(BENCH, "floor.yml")
PACKAGE = {"name": "bench-talker", "version": "v1.0.0", "component": "talker"}


def inventory_file(workdir):
    path = os.path.join(workdir, "robots.rio_devices.yml")
    with open(path, "w") as handle:
        handle.write("plugin: rapyuta.rio.rio_devices\nfilters:\n  status: [ONLINE]\n")
    return path


def ansible_env(emulator):
    env = dict(os.environ)
    env.update(emulator.env())
    env["ANSIBLE_CONFIG"] = os.path.join(ROOT, "ansible.cfg")
    env["ANSIBLE_FORKS"] = str(os.environ.get("BENCH_FORKS", 10))
    return env


def sdk_plan(workdir, count, extra_vars):
    plan = {"deployments": [{
        "name": "sdk-%s" % robot_name(index), "package_name": extra_vars["bench_package_name"],
        "package_version": extra_vars["bench_package_version"], "component": PACKAGE["component"],
        "device": robot_name(index)} for index in range(1, count + 1)]}
    path = os.path.join(workdir, "sdk_plan.json")
    with open(path, "w") as handle:
        json.dump(plan, handle)
    return path


def bench_size(count, args):
    workdir = tempfile.mkdtemp(prefix="rio-bench-%d-" % count)
    fleet = write_fleet(os.path.join(workdir, "fleet.yml"), count, offline=1)
    inventory = inventory_file(workdir)
    extra = json.load(open(os.path.join(BENCH, "bench_vars.json")))
    figures = {"n": count}
    with EmulatorProcess(fleet=fleet, extra_args=["--phase-delay", "0"]) as emulator:
        env = ansible_env(emulator)
        playbook = [os.path.join(os.path.dirname(sys.executable), "ansible-playbook"), "-i", inventory,
                    "-e", "@" + os.path.join(BENCH, "bench_vars.json")]
        for label in ("rollout", "rerun"):
            figures[label] = run_measured(playbook + [PLAYBOOK], env, emulator, cwd=ROOT,
                                          log_path=os.path.join(workdir, label + ".log"))
        figures["floor"] = run_measured(playbook + [FLOOR_PLAYBOOK], env, emulator, cwd=ROOT,
                                        log_path=os.path.join(workdir, "floor.log"))
        if not args.skip_sdk:
            figures["sdk"] = run_measured([sys.executable, os.path.join(BENCH, "sdk_rollout.py"),
                                           sdk_plan(workdir, count, extra)], env, emulator,
                                          log_path=os.path.join(workdir, "sdk.log"))
    figures["logs"] = workdir
    return figures


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1,10,50,200", help="comma-separated fleet sizes")
    parser.add_argument("--out", default=os.path.join(BENCH, "results"))
    parser.add_argument("--skip-sdk", action="store_true", help="leave out the SDK script")
    args = parser.parse_args(argv)
    sizes = [int(size) for size in args.sizes.split(",")]
    results = []
    for count in sizes:
        figures = bench_size(count, args)
        results.append(figures)
        print(report.row_text(figures), flush=True)
    os.makedirs(args.out, exist_ok=True)
    report.write_all(results, args.out)
    failed = [fig for fig in results for key in ("rollout", "rerun", "floor", "sdk")
              if key in fig and fig[key]["rc"] != 0]
    if failed:
        print("some runs failed; logs under %s" % ", ".join(sorted(set(f["logs"] for f in failed))))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
