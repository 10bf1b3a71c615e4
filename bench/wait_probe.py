"""How late does a wait return? Deployments that take PHASE_DELAY seconds to start, against the emulator.

Upper bound per run: (return time - time the last provisioning request was sent - phase delay); a
deployment cannot be ready before (its provisioning request + phase delay), so the true lateness
is at most that.
Run with PYTHONPATH=.collections (bench/run.py does). Prints one JSON line.
"""
import json
import os
import sys
import tempfile
import time

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from rio_emulator.launcher import EmulatorProcess

from ansible_collections.rapyuta.rio.plugins.module_utils.v1.api import RioApi
from ansible_collections.rapyuta.rio.plugins.module_utils.deployments.batch import BatchItem, BatchRun
from ansible_collections.rapyuta.rio.plugins.module_utils.transport.client import RioClient
from ansible_collections.rapyuta.rio.plugins.module_utils.module.arguments import wait_argument_spec
from ansible_collections.rapyuta.rio.plugins.module_utils.deployments.arguments import (
    deployment_constraints,
    deployment_options,
)
from ansible_collections.rapyuta.rio.plugins.module_utils.deployments.task import DeploymentTask
from ansible_collections.rapyuta.rio.plugins.module_utils.v1.wait import pauses
from ansible_collections.rapyuta.rio.plugins.modules.rio_deployment_batch import argument_spec as batch_spec

BENCH = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, BENCH)

from fleet import robot_name, write_fleet

# Both waits with the modules' default wait_sleep.
SINGLE_SLEEP = wait_argument_spec()["wait_sleep"]["default"]
BATCH_SLEEP = batch_spec()["wait_sleep"]["default"]
REPEATS = 2
BATCH = 5
# The polls after 1.5 s of each way's schedule (a wait starts a little after the provisioning request).
WINDOW = (1.5, 2.5)
JUST_AFTER = 0.05


def poll_offsets(max_sleep, until):
    """When a wait polls, in seconds after it starts, up to ``until``: the modules' own pauses."""
    offsets, at = [0.0], 0.0
    for pause in pauses(max_sleep):
        at += pause
        if at > until:
            return offsets
        offsets.append(round(at, 3))


def phase_delays():
    """Readiness just after a poll of either way (the worst case: seen one full pause later), and
    halfway between two polls of rio_deployment."""
    delays = set()
    for max_sleep in (SINGLE_SLEEP, BATCH_SLEEP):
        delays.update(round(at + JUST_AFTER, 3) for at in poll_offsets(max_sleep, WINDOW[1]) if at >= WINDOW[0])
    single = [at for at in poll_offsets(SINGLE_SLEEP, WINDOW[1] + SINGLE_SLEEP) if at >= WINDOW[0]]
    delays.add(round((single[0] + single[1]) / 2, 3))
    return sorted(delays)


class TimedClient(RioClient):
    """RioClient that notes when it last sent a provisioning request (PUT)."""
    last_provision = None

    def request(self, method, *args, **kwargs):
        if method == "PUT":
            TimedClient.last_provision = time.monotonic()
        return super().request(method, *args, **kwargs)


def params(name, index, wait_sleep):
    checked = ArgumentSpecValidator(deployment_options(), **deployment_constraints()).validate({
        "name": name, "package_name": "bench-talker-amd64", "package_version": "v1.0.0",
        "components": [{"name": "talker", "device": robot_name(index)}]})
    assert not checked.error_messages, checked.error_messages
    result = checked.validated_parameters
    result.update(wait=True, wait_timeout=60, wait_sleep=wait_sleep)
    return result


def probe_delay(manifest, fleet, delay):
    """(lateness of rio_deployment runs, lateness of batch runs) with deployments that start in ``delay`` s."""
    with EmulatorProcess(fleet=fleet, extra_args=["--phase-delay", str(delay)]) as emulator:
        def api():
            return RioApi(TimedClient(emulator.token, project=emulator.project, catalog_host=emulator.url,
                                      core_api_host=emulator.url))
        api().create_package(manifest)
        single, batch = [], []
        for repeat in range(REPEATS):
            DeploymentTask(api(), params("probe-single-%d" % repeat, 2, SINGLE_SLEEP)).present()
            single.append(time.monotonic() - TimedClient.last_provision - delay)
        for repeat in range(REPEATS):
            items = [BatchItem(index, "probe-batch-%d-%d" % (repeat, index),
                               params=params("probe-batch-%d-%d" % (repeat, index), 2 * (index % BATCH) + 2,
                                             BATCH_SLEEP))
                     for index in range(BATCH)]
            results, summary = BatchRun(api(), items).run()
            assert summary["failed"] == 0, results
            batch.append(time.monotonic() - TimedClient.last_provision - delay)
    return single, batch


def main():
    workdir = tempfile.mkdtemp(prefix="rio-wait-probe-")
    fleet = write_fleet(os.path.join(workdir, "fleet.yml"), 2 * BATCH)
    with open(os.path.join(BENCH, "bench_vars.json")) as handle:
        manifest = json.load(handle)["robot_deployment_packages"][0]["manifest"]
    late = {"rio_deployment": {}, "batch": {}}
    delays = phase_delays()
    for delay in delays:
        single, batch = probe_delay(manifest, fleet, delay)
        late["rio_deployment"][str(delay)] = [round(value, 3) for value in single]
        late["batch"][str(delay)] = [round(value, 3) for value in batch]
    probe = {"phase_delays_s": delays, "repeats": REPEATS}
    probe["rio_deployment"] = {"wait_sleep": SINGLE_SLEEP, "max_late_s": max(max(v) for v in late["rio_deployment"].values()),
                               "late_s": late["rio_deployment"]}
    probe["batch"] = {"wait_sleep": BATCH_SLEEP, "deployments_per_run": BATCH,
                      "max_late_s": max(max(v) for v in late["batch"].values()), "late_s": late["batch"]}
    print(json.dumps(probe))


if __name__ == "__main__":
    main()
