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

from ansible_collections.rapyuta.rio.plugins.module_utils._api import RioApi
from ansible_collections.rapyuta.rio.plugins.module_utils._batch import BatchItem, BatchRun
from ansible_collections.rapyuta.rio.plugins.module_utils._client import RioClient
from ansible_collections.rapyuta.rio.plugins.module_utils._deployment_args import (
    deployment_constraints,
    deployment_options,
)
from ansible_collections.rapyuta.rio.plugins.module_utils._deployment_run import DeploymentTask

BENCH = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, BENCH)

from emulator_process import EmulatorProcess  # noqa: E402
from fleet import robot_name, write_fleet  # noqa: E402

# rio_deployment polls 0, 0.25, 0.75, 1.75, 2.75 s after its wait starts (wait_sleep 1.0), which is
# a little after the provisioning request. A deployment that becomes ready just after a poll (here
# about 1.95-2.0 s after the request) is seen almost a full pause later: the worst case. 1.8 s is
# close to the best case, 2.3 s in between. The batch polls with pauses of at most 0.5 s.
PHASE_DELAYS = (1.8, 1.95, 2.0, 2.3)
REPEATS = 2
BATCH = 5


class TimedClient(RioClient):
    """RioClient that notes when it last sent a provisioning request (PUT)."""
    last_provision = None

    def request(self, method, *args, **kwargs):
        if method == "PUT":
            TimedClient.last_provision = time.monotonic()
        return super(TimedClient, self).request(method, *args, **kwargs)


def params(name, index, wait_sleep=1.0):
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
            DeploymentTask(api(), params("probe-single-%d" % repeat, 2)).present()
            single.append(time.monotonic() - TimedClient.last_provision - delay)
        for repeat in range(REPEATS):
            items = [BatchItem(index, "probe-batch-%d-%d" % (repeat, index),
                               params=params("probe-batch-%d-%d" % (repeat, index), 2 * (index % BATCH) + 2,
                                             wait_sleep=0.5))
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
    for delay in PHASE_DELAYS:
        single, batch = probe_delay(manifest, fleet, delay)
        late["rio_deployment"][str(delay)] = [round(value, 3) for value in single]
        late["batch"][str(delay)] = [round(value, 3) for value in batch]
    probe = {"phase_delays_s": list(PHASE_DELAYS), "repeats": REPEATS}
    probe["rio_deployment"] = {"wait_sleep": 1.0, "max_late_s": max(max(v) for v in late["rio_deployment"].values()),
                               "late_s": late["rio_deployment"]}
    probe["batch"] = {"wait_sleep": 0.5, "deployments_per_run": BATCH,
                      "max_late_s": max(max(v) for v in late["batch"].values()), "late_s": late["batch"]}
    print(json.dumps(probe))


if __name__ == "__main__":
    main()
