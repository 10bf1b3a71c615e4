"""Phases that take time: a second emulator with --phase-delay 2 s, so the SDK's pollers see
`In progress` -> `Provisioning` -> `Succeeded`/`Running` and give up when their retries run out
(docs/reference/v1-api.md#phases-and-statuses, docs/reference/v1-api.md#readiness). Its own RIO_CONFIG is used only while its clients are built."""
import tempfile
import time

import pytest

from rapyuta_io import DeploymentPhaseConstants
from rapyuta_io.utils.error import DeploymentNotRunningException, OperationNotAllowedError, RetriesExhausted

from .rio_conformance import Rio, start_emulator

DELAY = 2.0
ORDER = [DeploymentPhaseConstants.INPROGRESS.value, DeploymentPhaseConstants.PROVISIONING.value,
         DeploymentPhaseConstants.SUCCEEDED.value]


@pytest.fixture(scope="module")
def slow_emulator():
    process = start_emulator(tempfile.mkdtemp(prefix="rio-conformance-slow-"), phase_delay=DELAY)
    try:
        yield process
    finally:
        process.cleanup()


@pytest.fixture
def slow(slow_emulator):
    slow_emulator.reset()
    return Rio(slow_emulator, rio_config=slow_emulator.sdk_config())


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


def test_lists_filter_on_the_current_phase(slow):
    _, package = slow.create("cloud-non-ros.json")
    deployment = package.provision("conf-slow-list", package.get_provision_configuration())
    dep_id = deployment.deploymentId
    early = [d.deploymentId for d in slow.client.get_all_deployments(
        phases=[DeploymentPhaseConstants.INPROGRESS, DeploymentPhaseConstants.PROVISIONING])]
    assert dep_id in early
    assert dep_id not in [d.deploymentId for d in slow.client.get_all_deployments(phases=[ORDER[-1]])]
    deployment.poll_deployment_till_ready(retry_count=100, sleep_interval=0.05)
    assert [d.deploymentId for d in slow.client.get_all_deployments(phases=[ORDER[-1]])] == [dep_id]
    assert [d.deploymentId for d in package.deployments(phases=[ORDER[-1]])] == [dep_id]


def test_unready_dependencies_are_refused(slow):
    _, package = slow.create("cloud-non-ros.json")
    base = package.provision("conf-slow-base", package.get_provision_configuration())
    volume = slow.client.get_persistent_volume().create_volume_instance("conf-slow-dep-volume", 4)
    _, reader = slow.create("pv-reader.json")
    config = reader.get_provision_configuration()
    with pytest.raises(OperationNotAllowedError, match="not ready"):
        config.add_dependent_deployment(base)
    with pytest.raises(OperationNotAllowedError, match="not running"):
        config.mount_volume("default", volume=volume, mount_path="/data")
    base.poll_deployment_till_ready(retry_count=100, sleep_interval=0.05)
    volume.poll_deployment_till_ready(retry_count=100, sleep_interval=0.05)
    config.add_dependent_deployment(base)
    config.mount_volume("default", volume=volume, mount_path="/data")
    deployment = reader.provision("conf-slow-reader", config)
    status = deployment.poll_deployment_till_ready(retry_count=100, sleep_interval=0.05)
    assert status.phase == ORDER[-1]


def test_failures_surface_after_the_delay(slow):
    from .rio_conformance import OFFLINE

    _, device_package = slow.create("talker-docker.json")
    config = device_package.get_provision_configuration()
    config.add_device("default", slow.client.get_device(OFFLINE))
    offline = device_package.provision("conf-slow-offline", config)

    manifest = slow.manifest("cloud-non-ros.json")
    manifest["name"] = "cloud-missing-image-slow"
    manifest["plans"][0]["components"][0]["executables"][0]["docker"] = "hitesh99/simpleflask:missing"
    _, cloud_package = slow.create(manifest)
    missing = cloud_package.provision("conf-slow-missing", cloud_package.get_provision_configuration())

    for deployment, code in ((offline, "DEP_E151"), (missing, "DEP_E153")):
        with pytest.raises(DeploymentNotRunningException) as caught:
            deployment.poll_deployment_till_ready(retry_count=100, sleep_interval=0.05)
        assert code in (caught.value.deployment_status.errors or []), caught.value.deployment_status
