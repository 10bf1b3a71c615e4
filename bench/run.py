"""The fleet benchmark: `make bench`.

For each fleet size N it starts a fresh emulator (phase delay 0) with N online robots (and one
offline robot the inventory leaves out) and measures, in the same run and on the same machine:
  rollout            playbooks/deploy_robots.yml on a fresh project, batch mode (the default):
                     packages + N deployments, waited for
  rerun              the same playbook again (converged: no write expected)
  module_rollout     bench/batch_module.yml: the batch module alone, one task on localhost for the
                     whole fleet (no per-robot Ansible task at all), other deployment names
  module_rerun       the same, converged
  per_robot_rollout  the same playbook with rio_fleet_mode=per_robot (one rio_deployment
                     task per robot), other deployment names
  per_robot_rerun    the same, converged
  per_robot_shipped  the same converged re-run with rio_direct_execution=false: every module
                     shipped to a module process, as before the action plugins ran them in the
                     controller's worker (what direct execution saves)
  floor              the same inventory running as many trivial module tasks per robot as the
                     per-robot playbook runs module tasks per robot (one)
  sdk                a plain script with the official SDK provisioning the same N deployments one
                     by one (other names), then waiting for them
Then the second scenario: N=200 again (batch rollout, module alone, SDK script) with every API
request answered --latency-ms later (5 ms, then 25 ms), a network round trip that loopback does not have.
Figures: wall time, CPU time (ansible and all its children), HTTP requests from the emulator's
stats (total, reads, writes, by route); --runs picks the runs, --sizes the fleet sizes. The runs
that the targets compare (batch rollout, module alone, SDK script) are measured --repeats (3)
times, each on a fresh emulator, and reported by their median. Then a
wait probe (bench/wait_probe.py) measures how long after readiness a wait returns. Writes
bench/results/results.json, results.md and wall_time.png.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

from rio_emulator.launcher import EmulatorProcess

BENCH = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(BENCH)
sys.path.insert(0, BENCH)

from fleet import ARCHITECTURES, robot_name, write_fleet
from measure import run_measured
import report

PLAYBOOK = os.path.join(ROOT, "playbooks", "deploy_robots.yml")
FLOOR_PLAYBOOK = os.path.join(BENCH, "floor.yml")
MODULE_PLAYBOOK = os.path.join(BENCH, "batch_module.yml")
VARS = os.path.join(BENCH, "bench_vars.json")
# The second scenario: the fleet again with a network round trip on every request (the real API is
# not on loopback); only the runs the SDK comparison needs.
LATENCY_N = 200
LATENCY_KINDS = ("rollout", "module_rollout", "sdk")
# The runs that the targets compare across sizes and with the SDK script: measured --repeats times,
# each on a fresh emulator, and reported by their median (this machine's speed varies from one
# minute to the next).
REPEATED = ("rollout", "module_rollout", "sdk")


def inventory_file(workdir):
    path = os.path.join(workdir, "robots.rio_devices.yml")
    with open(path, "w") as handle:
        handle.write("plugin: rapyuta.rio.rio_devices\nstatus: [ONLINE]\n")
    return path


def ansible_env(emulator):
    env = dict(os.environ)
    env.update(emulator.client_env())
    env["ANSIBLE_CONFIG"] = os.path.join(ROOT, "ansible.cfg")
    env["ANSIBLE_FORKS"] = str(os.environ.get("BENCH_FORKS", 10))
    env["ANSIBLE_PYTHON_INTERPRETER"] = sys.executable
    return env


def sdk_plan(workdir, count, extra_vars):
    version = extra_vars["robot_deployment_package_version"]
    plan = {"deployments": [{
        "name": "sdk-talker-%s" % robot_name(index),
        "package_name": "bench-talker-%s" % ARCHITECTURES[index % 2], "package_version": version,
        "component": extra_vars["robot_deployment_component"], "device": robot_name(index)}
        for index in range(1, count + 1)]}
    path = os.path.join(workdir, "sdk_plan.json")
    with open(path, "w") as handle:
        json.dump(plan, handle)
    return path


def module_vars(workdir, count, extra_vars):
    """The items of the batch-module-only run: what the role would send, under other names."""
    deployments = [{
        "name": "mod-talker-%s" % robot_name(index),
        "package_name": "bench-talker-%s" % ARCHITECTURES[index % 2],
        "package_version": extra_vars["robot_deployment_package_version"],
        "components": [{"name": extra_vars["robot_deployment_component"], "device": robot_name(index),
                        "parameters": {"ROBOT_NAME": robot_name(index)}}],
        "labels": extra_vars["robot_deployment_labels"]} for index in range(1, count + 1)]
    path = os.path.join(workdir, "module_vars.json")
    with open(path, "w") as handle:
        json.dump({"bench_deployments": deployments}, handle)
    return path


def emulator_args(latency_ms):
    """Phase delay 0; with latency_ms, every API request answered that much later (a network round trip)."""
    args = ["--phase-delay", "0"]
    if latency_ms:
        args += ["--fault-rate", "1", "--fault-kinds", "delay", "--fault-latency", str(latency_ms)]
    return args


def median_run(runs):
    """The run of median wall time (the lower middle one of an even count), with every run's wall
    time beside it; a failed run instead, if there is one, so that the failure shows."""
    failed = [fig for fig in runs if fig["rc"] != 0]
    ordered = sorted(runs, key=lambda fig: fig["wall_s"])
    chosen = dict(failed[0] if failed else ordered[(len(ordered) - 1) // 2])
    if len(runs) > 1:
        chosen["walls_s"] = [fig["wall_s"] for fig in runs]
    return chosen


def measure_pass(count, args, kinds, latency_ms, workdir, repeat):
    """One fresh emulator with N robots, then the runs of kinds in their order: {kind: figures}."""
    fleet = write_fleet(os.path.join(workdir, "fleet.yml"), count, offline=1)
    inventory = inventory_file(workdir)
    with open(VARS) as handle:
        extra = json.load(handle)
    figures = {}
    with EmulatorProcess(fleet=fleet, extra_args=emulator_args(latency_ms)) as emulator:
        env = ansible_env(emulator)
        ansible_playbook = os.path.join(os.path.dirname(sys.executable), "ansible-playbook")
        playbook = [ansible_playbook, "-i", inventory, "-e", "@" + VARS]
        module = [ansible_playbook, "-i", "localhost,", "-e", "@" + module_vars(workdir, count, extra), MODULE_PLAYBOOK]
        per_robot = playbook + ["-e", "rio_fleet_mode=per_robot", "-e", "bench_prefix=pr", PLAYBOOK]
        commands = [
            ("rollout", playbook + [PLAYBOOK]), ("rerun", playbook + [PLAYBOOK]),
            ("module_rollout", module), ("module_rerun", module),
            ("per_robot_rollout", per_robot), ("per_robot_rerun", per_robot),
            ("per_robot_shipped", per_robot[:1] + ["-e", "rio_direct_execution=false"] + per_robot[1:]),
            ("floor", playbook + [FLOOR_PLAYBOOK]),
            ("sdk", [sys.executable, os.path.join(BENCH, "sdk_rollout.py"), sdk_plan(workdir, count, extra)]),
        ]
        for label, command in commands:
            if label not in kinds or (label.startswith("per_robot") and count > args.per_robot_max):
                continue
            figures[label] = run_measured(command, env, emulator, cwd=ROOT,
                                          log_path=os.path.join(workdir, "%s.%d.log" % (label, repeat)))
            print("  N=%d %-18s %s" % (count, label, report.one_line(figures[label])), flush=True)
    return figures


def bench_size(count, args, kinds, latency_ms=0):
    """Every run of kinds at size N; the REPEATED ones again on fresh emulators, reported by their median."""
    workdir = tempfile.mkdtemp(prefix="rio-bench-%d-" % count)
    passes = [measure_pass(count, args, kinds, latency_ms, workdir, 0)]
    again = kinds & set(REPEATED)
    for repeat in range(1, args.repeats if again else 1):
        passes.append(measure_pass(count, args, again, latency_ms, workdir, repeat))
    figures = {"n": count, "latency_ms": latency_ms, "logs": workdir}
    for kind in passes[0]:
        figures[kind] = median_run([one[kind] for one in passes if kind in one])
    return figures


def wait_probe(args):
    if args.skip_probe:
        return None
    env = dict(os.environ, PYTHONPATH=os.path.join(ROOT, ".collections"))
    output = subprocess.check_output([sys.executable, os.path.join(BENCH, "wait_probe.py")], env=env, cwd=ROOT)
    probe = json.loads(output.decode().strip().splitlines()[-1])
    print("  wait probe: %s" % json.dumps(probe), flush=True)
    return probe


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1,10,50,200", help="comma-separated fleet sizes")
    parser.add_argument("--out", default=os.path.join(BENCH, "results"))
    parser.add_argument("--per-robot-max", type=int, default=int(os.environ.get("BENCH_PER_ROBOT_MAX", 50)),
                        help="largest N measured in per-robot mode too")
    parser.add_argument("--runs", default=",".join(report.KINDS),
                        help="comma-separated runs to measure at each size (default: all of %(default)s)")
    parser.add_argument("--repeats", type=int, default=3,
                        help="how many times the runs of %s are measured (the median is reported)" % ", ".join(REPEATED))
    parser.add_argument("--skip-sdk", action="store_true", help="leave out the SDK script")
    parser.add_argument("--skip-probe", action="store_true", help="leave out the wait probe")
    parser.add_argument("--latency-ms", default="5,25",
                        help="the second scenario: N=%d again (batch rollout, module alone, SDK script) with every "
                             "API request answered this many ms later, once per comma-separated value; 0 leaves "
                             "it out" % LATENCY_N)
    args = parser.parse_args(argv)
    try:
        latencies = [float(value) for value in args.latency_ms.split(",") if float(value) > 0]
    except ValueError:
        parser.error("--latency-ms: comma-separated numbers expected, got %r" % args.latency_ms)
    sizes = [int(size) for size in args.sizes.split(",")]
    kinds = set(args.runs.split(",")) - ({"sdk"} if args.skip_sdk else set())
    unknown = kinds - set(report.KINDS)
    if unknown:
        parser.error("unknown runs: %s" % ", ".join(sorted(unknown)))
    results = []
    for count in sizes:
        print("N=%d" % count, flush=True)
        results.append(bench_size(count, args, kinds))
    latency = []
    latency_kinds = kinds & set(LATENCY_KINDS)
    for latency_ms in latencies if latency_kinds else ():
        print("N=%d, %g ms per API request" % (LATENCY_N, latency_ms), flush=True)
        latency.append(bench_size(LATENCY_N, args, latency_kinds, latency_ms=latency_ms))
    probe = wait_probe(args)
    os.makedirs(args.out, exist_ok=True)
    report.write_all(results, probe, args.out, latency)
    print(report.targets_markdown(results, probe, latency), flush=True)
    failed = [fig for fig in results + latency for key in report.KINDS if key in fig and fig[key]["rc"] != 0]
    if failed:
        print("some runs failed; logs under %s" % ", ".join(sorted(set(f["logs"] for f in failed))))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
