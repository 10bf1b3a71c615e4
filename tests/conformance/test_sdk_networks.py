"""Routed and native networks through the real SDK: create, poll, get, list, attach, delete
(docs/reference/v1-api.md#networks)."""
import pytest

from rapyuta_io import DeploymentPhaseConstants, ROSDistro
from rapyuta_io.clients.common_models import Limits
from rapyuta_io.clients.native_network import NativeNetwork, Parameters as NativeParameters
from rapyuta_io.clients.package import RestartPolicy, Runtime
from rapyuta_io.clients.routed_network import Parameters as RoutedParameters
from rapyuta_io.utils.error import ResourceNotFoundError

from .rio_conformance import DOCKER_AMD64, POLL_RETRIES, POLL_SLEEP

SUCCEEDED = DeploymentPhaseConstants.SUCCEEDED.value
STOPPED = DeploymentPhaseConstants.DEPLOYMENT_STOPPED.value


def test_cloud_routed_network_lifecycle(rio):
    parameters = RoutedParameters(limits=Limits(cpu=1, memory=4096))
    network = rio.client.create_cloud_routed_network("conf-routed", ROSDistro.MELODIC, True, parameters=parameters)
    assert network.guid.startswith("net-")
    assert network.name == "conf-routed"
    assert network.runtime == "cloud"
    assert network.rosDistro == "melodic"
    assert network.shared is True
    assert network.parameters == {"limits": {"cpu": 1, "memory": 4096}}
    assert network.internalDeploymentGUID.startswith("dep-")
    assert network.is_partial is False

    assert network.poll_routed_network_till_ready(retry_count=POLL_RETRIES, sleep_interval=POLL_SLEEP) is network
    status = network.get_status()
    assert status.phase == SUCCEEDED and status.status == "Running"

    fetched = rio.client.get_routed_network(network.guid)
    assert fetched.phase == SUCCEEDED and fetched.status == "Running"
    assert fetched.name == "conf-routed"

    listed = {n.guid: n for n in rio.client.get_all_routed_networks()}
    assert listed[network.guid].phase == SUCCEEDED
    assert listed[network.guid].name == "conf-routed"

    # attach to a cloud ROS deployment
    _, package = rio.create("no-scoped-targeted.json")
    config = package.get_provision_configuration()
    config.add_routed_network(network)
    config.add_routed_network(network)  # same guid twice -> one entry (client side)
    deployment, status = rio.deploy(package, "conf-on-routed", config)
    rio.assert_stored_as_sent(deployment.deploymentId, config)
    assert status.phase == SUCCEEDED
    full = rio.client.get_deployment(deployment.deploymentId)
    assert full.provisionContext["routedNetworks"] == [{"guid": network.guid}]

    deployment.deprovision()
    rio.wait_phase(deployment.deploymentId, STOPPED)
    rio.client.delete_routed_network(network.guid)
    after = {n.guid: n for n in rio.client.get_all_routed_networks()}
    assert after[network.guid].phase == STOPPED


def test_routed_network_without_parameters_and_object_delete(rio):
    network = rio.client.create_cloud_routed_network("conf-routed-plain", ROSDistro.NOETIC, False)
    assert network.rosDistro == "noetic" and network.shared is False
    assert network.parameters == {}
    network.poll_routed_network_till_ready(retry_count=POLL_RETRIES, sleep_interval=POLL_SLEEP)
    guid = network.guid
    assert network.delete() is True
    after = {n.guid: n for n in rio.client.get_all_routed_networks()}
    assert after[guid].phase == STOPPED


def test_device_routed_network(rio):
    device = rio.client.get_device(DOCKER_AMD64)
    network = rio.client.create_device_routed_network("conf-device-routed", ROSDistro.MELODIC, False,
                                                      device, "docker0", RestartPolicy.OnFailure)
    assert network.runtime == "device"
    assert network.parameters == {"device_id": DOCKER_AMD64, "NETWORK_INTERFACE": "docker0",
                                  "restart_policy": "on-failure"}
    network.poll_routed_network_till_ready(retry_count=POLL_RETRIES, sleep_interval=POLL_SLEEP)
    assert rio.client.get_routed_network(network.guid).phase == SUCCEEDED


def test_unknown_routed_network_is_not_found(rio):
    with pytest.raises(ResourceNotFoundError):
        rio.client.get_routed_network("net-doesnotexistanywhereatal")


def test_cloud_native_network_lifecycle(rio):
    request = NativeNetwork("conf-native", Runtime.CLOUD, ROSDistro.MELODIC,
                            parameters=NativeParameters(limits=Limits(cpu=0.5, memory=8192)))
    network = rio.client.create_native_network(request)
    assert network.guid.startswith("net-")
    assert network.name == "conf-native"
    assert network.runtime == Runtime.CLOUD
    assert network.ros_distro == ROSDistro.MELODIC
    assert network.parameters.limits.cpu == 0.5 and network.parameters.limits.memory == 8192
    assert network.internal_deployment_guid.startswith("dep-")

    assert network.poll_native_network_till_ready(retry_count=POLL_RETRIES, sleep_interval=POLL_SLEEP) is network
    status = network.get_status()
    assert status.phase == SUCCEEDED and status.status == "Running"

    fetched = rio.client.get_native_network(network.guid)
    assert fetched.name == "conf-native"
    assert fetched.internal_deployment_status.phase == SUCCEEDED

    listed = {n.guid: n for n in rio.client.list_native_networks()}
    assert listed[network.guid].internal_deployment_status.phase == SUCCEEDED

    _, package = rio.create("no-scoped-targeted.json")
    config = package.get_provision_configuration()
    config.add_native_network(fetched)
    deployment, _ = rio.deploy(package, "conf-on-native", config)
    rio.assert_stored_as_sent(deployment.deploymentId, config)
    full = rio.client.get_deployment(deployment.deploymentId)
    assert full.provisionContext["nativeNetworks"] == [{"guid": network.guid}]

    deployment.deprovision()
    rio.wait_phase(deployment.deploymentId, STOPPED)
    rio.client.delete_native_network(network.guid)
    after = {n.guid: n for n in rio.client.list_native_networks()}
    assert after[network.guid].internal_deployment_status.phase == STOPPED


def test_unknown_native_network_is_not_found(rio):
    with pytest.raises(ResourceNotFoundError):
        rio.client.get_native_network("net-doesnotexistanywhereatal")


def test_device_routed_network_bound_to_a_device_deployment(rio):
    device = rio.client.get_device(DOCKER_AMD64)
    network = rio.client.create_device_routed_network("conf-dev-net-bound", ROSDistro.MELODIC, False,
                                                      device, "eth0")
    network.poll_routed_network_till_ready(retry_count=POLL_RETRIES, sleep_interval=POLL_SLEEP)
    _, package = rio.create("talker-docker.json")
    config = package.get_provision_configuration()
    config.add_device("default", device)
    config.add_routed_network(network, network_interface="docker0")
    deployment, status = rio.deploy(package, "conf-on-device-net", config)
    assert status.phase == SUCCEEDED
    full = rio.assert_stored_as_sent(deployment.deploymentId, config)
    assert full.provisionContext["routedNetworks"] == [
        {"guid": network.guid, "bindParameters": {"NETWORK_INTERFACE": "docker0"}}]


def test_device_native_network(rio):
    device = rio.client.get_device(DOCKER_AMD64)
    request = NativeNetwork("conf-dev-native", Runtime.DEVICE, ROSDistro.MELODIC,
                            parameters=NativeParameters(device=device, network_interface="eth0",
                                                        restart_policy=RestartPolicy.Always))
    network = rio.client.create_native_network(request)
    assert network.runtime == Runtime.DEVICE
    assert network.parameters.device_id == DOCKER_AMD64
    assert network.parameters.network_interface == "eth0"
    assert network.parameters.restart_policy == RestartPolicy.Always
    network.poll_native_network_till_ready(retry_count=POLL_RETRIES, sleep_interval=POLL_SLEEP)
    assert rio.client.get_native_network(network.guid).internal_deployment_status.phase == SUCCEEDED


def test_partial_networks_from_lists_refresh(rio):
    routed = rio.client.create_cloud_routed_network("conf-partial-routed", ROSDistro.MELODIC, True)
    native = rio.client.create_native_network(NativeNetwork("conf-partial-native", Runtime.CLOUD, ROSDistro.NOETIC))
    (listed_routed,) = rio.client.get_all_routed_networks()
    assert listed_routed.is_partial is True
    listed_routed.refresh()
    assert listed_routed.is_partial is False
    assert listed_routed.guid == routed.guid
    assert listed_routed.internalDeploymentStatus.phase == SUCCEEDED
    assert listed_routed.internalDeploymentStatus.status == "Running"

    (listed_native,) = rio.client.list_native_networks()
    assert listed_native.is_partial is True
    listed_native.refresh()
    assert listed_native.is_partial is False
    assert listed_native.guid == native.guid and listed_native.ros_distro == ROSDistro.NOETIC
    assert listed_native.internal_deployment_status.status == "Running"
    assert listed_native.delete() is True
    after = {n.guid: n for n in rio.client.list_native_networks()}
    assert after[native.guid].internal_deployment_status.phase == STOPPED
