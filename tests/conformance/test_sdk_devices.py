"""Devices through the real SDK: list/get with filters, and deployments onto fleet devices
(docs/reference/v1-api.md#devices, docs/reference/v1-api.md#devices-on-components)."""
import pytest

from rapyuta_io import DeploymentPhaseConstants, DeviceArch
from rapyuta_io.clients.package import ExecutableMount, RestartPolicy
from rapyuta_io.clients.rosbag import ROSBagJob, ROSBagOptions, UploadOptions
from rapyuta_io.utils.error import (ConfigNotFoundException, DeploymentNotRunningException,
                                    DeploymentRunningException, OperationNotAllowedError, ResourceNotFoundError)

from .rio_conformance import DOCKER_AMD64, DOCKER_ARM64, FLEET_DEVICES, NOETIC, OFFLINE, PREINSTALLED

SUCCEEDED = DeploymentPhaseConstants.SUCCEEDED.value


def _config_vars(device):
    return {config.key: config.value for config in (device.config_variables or [])}


def _is_docker(device):
    return device.get_runtime() == "dockercompose" or device.is_docker_enabled()


def _is_preinstalled(device):
    return device.get_runtime() == "preinstalled" or device.is_preinstalled_enabled()


def test_get_all_devices_and_filters(rio):
    devices = rio.client.get_all_devices()
    assert {d.uuid: d.name for d in devices} == FLEET_DEVICES
    assert all(d.deviceId == d.uuid for d in devices)
    statuses = {d.uuid: d.status for d in devices}
    assert statuses[OFFLINE] == "OFFLINE"
    assert {statuses[u] for u in (DOCKER_AMD64, DOCKER_ARM64, PREINSTALLED, NOETIC)} == {"ONLINE"}

    online = rio.client.get_all_devices(online_device=True)
    assert sorted(d.uuid for d in online) == sorted([DOCKER_AMD64, DOCKER_ARM64, PREINSTALLED, NOETIC])

    by_name = rio.client.get_all_devices(device_name="conf-preinstalled")
    assert [d.uuid for d in by_name] == [PREINSTALLED]

    arm = rio.client.get_all_devices(arch_list=[DeviceArch.ARM64V8])
    assert [d.uuid for d in arm] == [DOCKER_ARM64]
    amd = rio.client.get_all_devices(arch_list=[DeviceArch.AMD64])
    assert sorted(d.uuid for d in amd) == sorted([DOCKER_AMD64, PREINSTALLED, NOETIC])
    assert rio.client.get_all_devices(arch_list=[DeviceArch.ARM32V7]) == []


def test_get_device_details(rio):
    preinstalled = rio.client.get_device(PREINSTALLED)
    assert preinstalled.uuid == PREINSTALLED and preinstalled.deviceId == PREINSTALLED
    assert preinstalled.name == "conf-preinstalled"
    assert preinstalled.is_online()
    assert _is_preinstalled(preinstalled) and not _is_docker(preinstalled)
    variables = _config_vars(preinstalled)
    assert variables["ros_workspace"] == "/home/rapyuta/catkin_ws"
    assert variables["ros_distro"] == "melodic"
    assert [(label.key, label.value) for label in preinstalled.labels] == [("site", "alpha")]

    docker = rio.client.get_device(DOCKER_AMD64)
    assert docker.name == "conf-docker-amd64"
    assert _is_docker(docker) and not _is_preinstalled(docker)
    assert sorted(docker.ip_interfaces) == ["docker0", "eth0"]
    # add_device re-reads the config variables through their own endpoint
    assert _config_vars(docker) == {c.key: c.value for c in docker.get_config_variables()}

    offline = rio.client.get_device(OFFLINE)
    assert offline.status == "OFFLINE" and not offline.is_online()


def test_unknown_device_is_not_found(rio):
    with pytest.raises(ResourceNotFoundError) as caught:
        rio.client.get_device("99999999-9999-4999-8999-999999999999")
    assert str(caught.value)  # device-manager errors: {"status": "error", "response": {"error": ...}} (docs/reference/v1-api.md#envelopes-and-error-bodies)


def test_preinstalled_device_deployment(rio):
    _, package = rio.create("talker.json")
    component_id = package.plans[0].get_component_id("default")
    device = rio.client.get_device(PREINSTALLED)
    config = package.get_provision_configuration()
    config.add_device("default", device)
    config.add_parameter("default", "topic_name", "chatter")
    config.add_label("robot", "conformance")
    config.add_restart_policy("default", RestartPolicy.OnFailure)
    config.set_component_alias("default", "talker-alias")

    deployment, status = rio.deploy(package, "conf-preinstalled-talker", config)
    rio.assert_stored_as_sent(deployment.deploymentId, config)
    assert status.phase == SUCCEEDED and status.status == "Running"

    full = rio.client.get_deployment(deployment.deploymentId)
    params = full.parameters[component_id]
    assert params["device_id"] == PREINSTALLED
    assert params["topic_name"] == "chatter"
    assert params["ros_workspace"] == "/home/rapyuta/catkin_ws"
    assert params["ros_distro"] == "melodic"
    assert "bridge_params" not in params  # talker's plan needs no aliases: the SDK strips them
    assert full.parameters["global"]["device_ids"] == [PREINSTALLED]
    context = full.provisionContext
    assert context["component_context"][component_id]["component_override"] == {"restart_policy": "on-failure"}
    assert {"key": "robot", "value": "conformance"} in context["labels"]

    on_device = rio.client.get_all_deployments(device_id=PREINSTALLED)
    assert [d.deploymentId for d in on_device] == [deployment.deploymentId]
    assert rio.client.get_all_deployments(device_id=DOCKER_AMD64) == []


def test_device_lists_its_deployments(rio):
    _, package = rio.create("talker.json")
    device = rio.client.get_device(PREINSTALLED)
    config = package.get_provision_configuration()
    config.add_device("default", device)
    deployment, _ = rio.deploy(package, "conf-device-deployments", config)
    rio.assert_stored_as_sent(deployment.deploymentId, config)
    listed = rio.client.get_device(PREINSTALLED).get_deployments()
    assert deployment.deploymentId in [d["io_deployment_id"] for d in listed]


def test_docker_device_deployment(rio):
    _, package = rio.create("talker-docker.json")
    component_id = package.plans[0].get_component_id("default")
    device = rio.client.get_device(DOCKER_AMD64)
    config = package.get_provision_configuration()
    config.add_device("default", device)
    config.add_restart_policy("default", RestartPolicy.Always)
    deployment, status = rio.deploy(package, "conf-docker-talker", config)
    rio.assert_stored_as_sent(deployment.deploymentId, config)
    assert status.phase == SUCCEEDED

    full = rio.client.get_deployment(deployment.deploymentId)
    params = full.parameters[component_id]
    assert params["device_id"] == DOCKER_AMD64
    assert "ros_workspace" not in params  # ignored for a docker-only device (docs/reference/v1-api.md#devices-on-components)
    assert full.provisionContext["component_context"][component_id]["component_override"] == {
        "restart_policy": "always"}
    (info,) = full.componentInfo
    assert info["componentID"] == component_id
    assert info["runtime"] == "device"


def test_runtime_mismatch_is_refused_from_device_config(rio):
    # the SDK decides from the device's config variables served by the emulator
    _, docker_package = rio.create("talker-docker.json")
    with pytest.raises(OperationNotAllowedError, match="dockercompose"):
        docker_package.get_provision_configuration().add_device("default", rio.client.get_device(PREINSTALLED))
    _, preinstalled_package = rio.create("talker.json")
    with pytest.raises(OperationNotAllowedError, match="preinstalled"):
        preinstalled_package.get_provision_configuration().add_device(
            "default", rio.client.get_device(DOCKER_AMD64))


def test_offline_device_fails_with_dep_e151(rio):
    _, package = rio.create("talker-docker.json")
    config = package.get_provision_configuration()
    config.add_device("default", rio.client.get_device(OFFLINE))
    deployment = package.provision("conf-offline", config)
    with pytest.raises(DeploymentNotRunningException) as caught:
        rio.poll(deployment)
    failed = caught.value.deployment_status
    assert "DEP_E151" in (failed.errors or [])
    assert failed.phase != SUCCEEDED


def test_device_volume_mount(rio):
    _, package = rio.create("device-volume.json")
    component_id = package.plans[0].get_component_id("default")
    device = rio.client.get_device(DOCKER_AMD64)
    config = package.get_provision_configuration()
    config.add_device("default", device)
    config.mount_volume("default", device=device,
                        executable_mounts=[ExecutableMount("nginx", "/usr/share/nginx/html")])
    deployment, status = rio.deploy(package, "conf-device-volume", config)
    rio.assert_stored_as_sent(deployment.deploymentId, config)
    assert status.phase == SUCCEEDED
    full = rio.client.get_deployment(deployment.deploymentId)
    assert full.provisionContext["diskMountInfo"] == [{
        "diskResourceId": DOCKER_AMD64, "applicableComponentId": component_id,
        "config": {"mountPaths": {"nginx": {"mountPath": "/usr/share/nginx/html", "subPath": "/"}}}}]
    params = full.parameters[component_id]
    assert params["device_id"] == DOCKER_AMD64
    assert "ros_distro" not in params  # non-ROS component (docs/reference/v1-api.md#devices-on-components)


def test_cloud_and_device_components_with_aliases(rio):
    _, package = rio.create("scoped-targeted.json")
    plan = package.plans[0]
    config = package.get_provision_configuration()
    config.add_device("devicepong", rio.client.get_device(PREINSTALLED))
    deployment, status = rio.deploy(package, "conf-scoped-targeted", config)
    rio.assert_stored_as_sent(deployment.deploymentId, config)
    assert status.phase == SUCCEEDED
    full = rio.client.get_deployment(deployment.deploymentId)
    cloud = full.parameters[plan.get_component_id("cloudping")]
    device = full.parameters[plan.get_component_id("devicepong")]
    assert cloud["bridge_params"] == {"alias": "cloudping", "setROSNamespace": False}
    assert device["bridge_params"] == {"alias": "conf-preinstalled", "setROSNamespace": False}
    assert device["device_id"] == PREINSTALLED and "device_id" not in cloud
    assert sorted(info["runtime"] for info in full.componentInfo) == ["cloud", "device"]


def test_rosbag_job_on_a_docker_device(rio):
    _, package = rio.create("talker-docker.json")
    component_id = package.plans[0].get_component_id("default")
    device = rio.client.get_device(DOCKER_AMD64)
    assert _config_vars(device).get("rosbag_mount_path")  # docker devices carry it (docs/reference/v1-api.md#configuration-variables)
    config = package.get_provision_configuration()
    config.add_device("default", device)
    config.add_rosbag_job("default", ROSBagJob("conf-device-bag", ROSBagOptions(topics=["/telemetry"]),
                                               upload_options=UploadOptions()))
    deployment, status = rio.deploy(package, "conf-device-rosbag", config)
    assert status.phase == SUCCEEDED
    full = rio.assert_stored_as_sent(deployment.deploymentId, config)
    params = full.parameters[component_id]
    assert params["rosbag_mount_path"] == _config_vars(device)["rosbag_mount_path"]
    (job,) = full.provisionContext["component_context"][component_id]["ros_bag_job_defs"]
    assert job["name"] == "conf-device-bag"
    assert job["uploadOptions"]["uploadType"] == "OnDemand"


def test_custom_config_variable_flows_into_the_deployment(rio):
    device = rio.client.get_device(DOCKER_AMD64)
    added = device.add_config_variable("conf_site_key", "alpha-1")
    assert added.key == "conf_site_key" and added.value == "alpha-1" and added.id
    assert _config_vars(rio.client.get_device(DOCKER_AMD64))["conf_site_key"] == "alpha-1"
    added.value = "alpha-2"
    updated = device.update_config_variable(added)
    assert updated.value == "alpha-2"
    assert {c.key: c.value for c in device.get_config_variables()}["conf_site_key"] == "alpha-2"

    _, package = rio.create("talker-docker.json")
    component_id = package.plans[0].get_component_id("default")
    config = package.get_provision_configuration()
    config.add_device("default", rio.client.get_device(DOCKER_AMD64))
    deployment, _ = rio.deploy(package, "conf-custom-var", config)
    full = rio.assert_stored_as_sent(deployment.deploymentId, config)
    assert full.parameters[component_id]["conf_site_key"] == "alpha-2"  # every config variable is copied (docs/reference/v1-api.md#provision-parameters)

    assert device.delete_config_variable(added.id) is True
    assert "conf_site_key" not in _config_vars(rio.client.get_device(DOCKER_AMD64))
    with pytest.raises(ConfigNotFoundException):
        device.delete_config_variable(added.id)


def test_two_deployments_on_one_device(rio):
    _, talker = rio.create("talker.json")
    _, listener = rio.create("listener.json")
    device = rio.client.get_device(PREINSTALLED)
    ids = []
    for package, name in ((talker, "conf-two-a"), (listener, "conf-two-b")):
        config = package.get_provision_configuration()
        config.add_device("default", device)
        deployment, _ = rio.deploy(package, name, config)
        ids.append(deployment.deploymentId)
    assert sorted(d.deploymentId for d in rio.client.get_all_deployments(device_id=PREINSTALLED)) == sorted(ids)
    listed = rio.client.get_device(PREINSTALLED).get_deployments()
    assert sorted(d["io_deployment_id"] for d in listed) == sorted(ids)
    assert all(d["phase"] == SUCCEEDED for d in listed)
    for entry in listed:
        for key in ("io_deployment_id", "deployment_id", "phase", "error_code", "created_at"):
            assert key in entry, "device deployment entry lacks %s: %r" % (key, entry)
        assert entry["deployment_id"].startswith("inst-")  # the component instance on the device (docs/reference/v1-api.md#device-objects)
    # the list filters by device, not by deployment: the other devices have none
    assert rio.client.get_all_deployments(device_id=DOCKER_ARM64) == []


def test_architecture_mismatch_fails_with_dep_e162(rio):
    # the SDK does not check architecture; the platform reports a validation error, DEP_E162 (docs/reference/v1-api.md#error-codes)
    _, package = rio.create("talker-docker.json")  # amd64 component
    config = package.get_provision_configuration()
    config.add_device("default", rio.client.get_device(DOCKER_ARM64))
    deployment = package.provision("conf-arch-mismatch", config)
    with pytest.raises(DeploymentNotRunningException) as caught:
        rio.poll(deployment)
    assert "DEP_E162" in (caught.value.deployment_status.errors or [])


def test_ros_distro_mismatch_fails_with_dep_e162(rio):
    _, package = rio.create("talker-docker.json")  # melodic component
    device = rio.client.get_device(NOETIC)
    assert _config_vars(device)["ros_distro"] == "noetic"
    config = package.get_provision_configuration()
    config.add_device("default", device)
    deployment = package.provision("conf-distro-mismatch", config)
    with pytest.raises(DeploymentNotRunningException) as caught:
        rio.poll(deployment)
    assert "DEP_E162" in (caught.value.deployment_status.errors or [])


def test_device_update_and_delete(rio):
    device = rio.client.get_device(DOCKER_ARM64)
    device.description = "updated by the conformance suite"
    device.save()
    assert rio.client.get_device(DOCKER_ARM64).description == "updated by the conformance suite"

    manifest = rio.manifest("talker-docker.json")
    manifest["name"] = "talker-docker-arm"
    manifest["plans"][0]["components"][0]["architecture"] = "arm64v8"
    _, arm_package = rio.create(manifest)
    config = arm_package.get_provision_configuration()
    config.add_device("default", rio.client.get_device(DOCKER_ARM64))
    deployment, _ = rio.deploy(arm_package, "conf-blocks-delete", config)

    # Device.delete() checks only its own (empty) `deployments` list: the 400 comes from the server (docs/reference/v1-api.md#devices)
    with pytest.raises(DeploymentRunningException):
        rio.client.get_device(DOCKER_ARM64).delete()
    deployment.deprovision()
    rio.wait_phase(deployment.deploymentId, "Deployment stopped")
    assert rio.client.get_device(DOCKER_ARM64).delete() is True
    assert DOCKER_ARM64 not in [d.uuid for d in rio.client.get_all_devices()]
    with pytest.raises(ResourceNotFoundError):
        rio.client.get_device(DOCKER_ARM64)
    # the suite's isolation relies on /_emulator/reset bringing the fleet back as the fleet file says
    rio.emulator.reset()
    restored = rio.client.get_device(DOCKER_ARM64)
    assert restored.name == "conf-docker-arm64" and restored.description != "updated by the conformance suite"
