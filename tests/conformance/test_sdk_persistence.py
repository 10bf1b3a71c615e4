"""The emulator's --state file outlives its process: what the SDK created through one process is
what the SDK reads through the next one started on the same file."""
import os
import shutil
import tempfile

from rapyuta_io import DeploymentPhaseConstants, ROSDistro

from .rio_conformance import DOCKER_AMD64, Rio, start_emulator

SUCCEEDED = DeploymentPhaseConstants.SUCCEEDED.value
STOPPED = DeploymentPhaseConstants.DEPLOYMENT_STOPPED.value


def test_state_survives_a_restart():
    workdir = tempfile.mkdtemp(prefix="rio-conformance-restart-")
    try:
        _restart_round_trip(workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def _restart_round_trip(workdir):
    first = start_emulator(workdir)
    try:
        rio = Rio(first, rio_config=first.sdk_config())
        answer, package = rio.create("talker-docker.json")
        config = package.get_provision_configuration()
        config.add_device("default", rio.client.get_device(DOCKER_AMD64))
        running, _ = rio.deploy(package, "conf-persisted", config)
        _, cloud = rio.create("cloud-non-ros.json")
        stopped, _ = rio.deploy(cloud, "conf-persisted-stopped", cloud.get_provision_configuration())
        stopped.deprovision()
        rio.wait_phase(stopped.deploymentId, STOPPED)
        network = rio.client.create_cloud_routed_network("conf-persisted-net", ROSDistro.MELODIC, True)
        route = rio.client.create_static_route("conf-persisted-route")
    finally:
        first.stop()
    assert os.path.exists(os.path.join(workdir, "state.sqlite"))

    second = start_emulator(workdir)
    try:
        assert second.url  # a fresh port is fine: RIO_CONFIG is rewritten below
        rio = Rio(second, rio_config=second.sdk_config())
        again = rio.client.get_package(answer["packageId"])
        assert again.packageName == "talker-docker"
        assert again.plans[0].planId == answer["planIds"][0]["planId"]
        full = rio.client.get_deployment(running.deploymentId)
        assert full.phase == SUCCEEDED and full.status == "Running"
        assert full.parameters["global"]["device_ids"] == [DOCKER_AMD64]
        assert rio.client.get_deployment(stopped.deploymentId).phase == STOPPED
        assert rio.client.get_routed_network(network.guid).name == "conf-persisted-net"
        assert rio.client.get_static_route(route.guid).urlPrefix == "conf-persisted-route"
        names = sorted(p.packageName for p in rio.client.get_all_packages())
        assert names == ["cloud-non-ros", "talker-docker"]
    finally:
        second.cleanup()  # also removes the shared work directory
