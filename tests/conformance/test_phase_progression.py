"""Phases that take time: a second emulator with --phase-delay 0.8 s, so the SDK's pollers see
`In progress` -> `Provisioning` -> `Succeeded`/`Running` and give up when their retries run out
(ref §3.8, §3.9). Its own RIO_CONFIG is used only while its clients are built."""
import tempfile
import time

import pytest

from rapyuta_io import DeploymentPhaseConstants
from rapyuta_io.utils.error import RetriesExhausted

from rio_conformance import EmulatorProcess, Rio

DELAY = 0.8
ORDER = [DeploymentPhaseConstants.INPROGRESS.value, DeploymentPhaseConstants.PROVISIONING.value,
         DeploymentPhaseConstants.SUCCEEDED.value]


@pytest.fixture(scope="module")
def slow_emulator():
    process = EmulatorProcess(tempfile.mkdtemp(prefix="rio-conformance-slow-"), phase_delay=DELAY)
    try:
        yield process
    finally:
        process.stop()


@pytest.fixture
def slow(slow_emulator):
    slow_emulator.reset()
    return Rio(slow_emulator, rio_config=slow_emulator.write_rio_config())


def _phases_until_ready(read, limit=60, pause=0.05):
    seen = []
    for _ in range(limit):
        phase, status = read()
        if not seen or seen[-1] != (phase, status):
            seen.append((phase, status))
        if phase == ORDER[-1] and status == "Running":
            return seen
        time.sleep(pause)
    raise AssertionError("never reached Succeeded/Running; saw %r" % seen)


def _assert_progression(seen):
    phases = [phase for phase, _ in seen]
    assert phases[0] == ORDER[0], seen
    assert all(phase in ORDER for phase in phases), seen
    assert [ORDER.index(p) for p in phases] == sorted(ORDER.index(p) for p in phases), seen
    assert seen[-1] == (ORDER[-1], "Running")
    assert all(status != "Running" for phase, status in seen if phase != ORDER[-1]), seen


def test_deployment_progresses_through_the_phases(slow):
    _, package = slow.create("cloud-non-ros.json")
    deployment = package.provision("conf-slow", package.get_provision_configuration())
    assert deployment.phase == ORDER[0]
    with pytest.raises(RetriesExhausted) as caught:
        deployment.poll_deployment_till_ready(retry_count=2, sleep_interval=0.01)
    assert "phase=" in str(caught.value)

    def read():
        current = slow.client.get_deployment(deployment.deploymentId)
        return current.phase, current.status

    seen = _phases_until_ready(read)
    _assert_progression(seen)
    assert ORDER[1] in [phase for phase, _ in seen]
    status = deployment.poll_deployment_till_ready(retry_count=3, sleep_interval=0.01)
    assert status.phase == ORDER[-1] and status.status == "Running"


def test_poller_waits_until_ready(slow):
    _, package = slow.create("nginx-single-component.json")
    deployment = package.provision("conf-slow-poll", package.get_provision_configuration())
    started = time.monotonic()
    status = deployment.poll_deployment_till_ready(retry_count=100, sleep_interval=0.05)
    assert status.phase == ORDER[-1] and status.status == "Running"
    # it was not ready at once: the phase delay was honoured
    assert time.monotonic() - started >= DELAY * 0.5


def test_routed_network_progresses(slow):
    from rapyuta_io import ROSDistro

    network = slow.client.create_cloud_routed_network("conf-slow-net", ROSDistro.MELODIC, True)
    assert network.phase in ORDER[:2]
    with pytest.raises(RetriesExhausted):
        network.poll_routed_network_till_ready(retry_count=1, sleep_interval=0.01)

    def read():
        current = slow.client.get_routed_network(network.guid)
        return current.phase, current.status

    _assert_progression(_phases_until_ready(read))


def test_volume_progresses(slow):
    volume = slow.client.get_persistent_volume().create_volume_instance("conf-slow-volume", 4)
    assert volume.phase in ORDER[:2]
    with pytest.raises(RetriesExhausted):
        volume.poll_deployment_till_ready(retry_count=1, sleep_interval=0.01)
    status = volume.poll_deployment_till_ready(retry_count=100, sleep_interval=0.05)
    assert status.phase == ORDER[-1] and status.status in ("Running", "Available", "Released")
