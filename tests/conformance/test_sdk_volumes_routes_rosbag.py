"""Cloud volumes, static routes and rosbag jobs through the real SDK
(docs/reference/v1-api.md: volumes, static routes, provision context, ROS bag options)."""
import pytest

from rapyuta_io import DeploymentPhaseConstants
from rapyuta_io.clients.package import ExecutableMount
from rapyuta_io.clients.persistent_volumes import DiskCapacity, DiskType
from rapyuta_io.clients.rosbag import ROSBagJob, ROSBagOptions, ROSBagUploadTypes, UploadOptions
from rapyuta_io.utils.error import BadRequestError, ResourceNotFoundError

from .rio_conformance import POLL_RETRIES, POLL_SLEEP

SUCCEEDED = DeploymentPhaseConstants.SUCCEEDED.value
STOPPED = DeploymentPhaseConstants.DEPLOYMENT_STOPPED.value
VOLUME_PACKAGE = "io-public-persistent-volume"


def _ready_volume(rio, name, capacity=DiskCapacity.GiB_4):
    volume = rio.client.get_persistent_volume().create_volume_instance(name, capacity, DiskType.SSD)
    status = volume.poll_deployment_till_ready(retry_count=POLL_RETRIES, sleep_interval=POLL_SLEEP)
    return volume, status


def test_volume_instance_create_and_poll(rio):
    volume, status = _ready_volume(rio, "conf-volume", DiskCapacity.GiB_8)
    assert volume.deploymentId.startswith("dep-")
    assert volume.packageId == VOLUME_PACKAGE
    assert volume.name == "conf-volume"
    assert volume.is_partial is False
    assert status.phase == SUCCEEDED
    assert status.status in ("Running", "Available", "Released")
    assert volume.parameters["io-pv"]["capacity"] in (8, "8")
    assert volume.parameters["io-pv"]["diskType"] == "ssd"

    fetched = rio.client.get_volume_instance(volume.deploymentId)
    assert fetched.deploymentId == volume.deploymentId and fetched.packageId == VOLUME_PACKAGE
    instances = rio.client.get_persistent_volume().get_all_volume_instances()
    assert volume.deploymentId in [v.deploymentId for v in instances]
    # volume instances are not user deployments (the SDK drops them from get_all_deployments)
    assert volume.deploymentId not in [d.deploymentId for d in rio.client.get_all_deployments()]


def test_volume_mounted_on_a_cloud_deployment(rio):
    volume, _ = _ready_volume(rio, "conf-volume-mount")
    _, package = rio.create("pv-reader.json")
    component_id = package.plans[0].get_component_id("default")
    config = package.get_provision_configuration()
    config.add_dependent_deployment(volume)
    config.mount_volume("default", volume=volume, mount_path="/data")
    deployment, status = rio.deploy(package, "conf-volume-reader", config)
    rio.assert_stored_as_sent(deployment.deploymentId, config)
    assert status.phase == SUCCEEDED

    full = rio.client.get_deployment(deployment.deploymentId)
    assert full.provisionContext["dependentDeployments"] == [
        {"dependentDeploymentId": volume.deploymentId, "applicableComponentId": "", "config": {}},
        {"dependentDeploymentId": volume.deploymentId, "applicableComponentId": component_id,
         "config": {"mountPath": "/data"}},
    ]
    assert volume.deploymentId in [d["dependentDeploymentId"] for d in full.dependentDeployments]

    deployment.deprovision()
    rio.wait_phase(deployment.deploymentId, STOPPED)
    volume.destroy_volume_instance()
    remaining = rio.client.get_persistent_volume().get_all_volume_instances()
    assert volume.deploymentId not in [v.deploymentId for v in remaining
                                       if v.phase != STOPPED]


def test_destroy_removes_only_its_own_volume(rio):
    # destroy_volume_instance lists disks filtered by deployment_guid and deletes the first (docs/reference/v1-api.md#volumes)
    kept, _ = _ready_volume(rio, "conf-volume-kept")
    dropped, _ = _ready_volume(rio, "conf-volume-dropped")
    dropped.destroy_volume_instance()
    assert kept.get_status().phase == SUCCEEDED
    live = [v.deploymentId for v in rio.client.get_persistent_volume().get_all_volume_instances()
            if v.phase == SUCCEEDED]
    assert live == [kept.deploymentId]


def test_volume_mounted_per_executable(rio):
    volume, _ = _ready_volume(rio, "conf-volume-exec")
    _, package = rio.create("pv-reader.json")
    component_id = package.plans[0].get_component_id("default")
    config = package.get_provision_configuration()
    config.mount_volume("default", volume=volume,
                        executable_mounts=[ExecutableMount("CompReaderExec", "/data", sub_path="reader")])
    deployment, _ = rio.deploy(package, "conf-volume-exec-reader", config)
    rio.assert_stored_as_sent(deployment.deploymentId, config)
    full = rio.client.get_deployment(deployment.deploymentId)
    assert full.provisionContext["dependentDeployments"] == [
        {"dependentDeploymentId": volume.deploymentId, "applicableComponentId": component_id,
         "config": {"mountPaths": {"CompReaderExec": {"mountPath": "/data", "subPath": "reader"}}}}]


def test_static_route_lifecycle(rio):
    route = rio.client.create_static_route("conf-route-one")
    assert route.guid.startswith("staticroute-")
    assert route.urlPrefix == "conf-route-one"

    fetched = rio.client.get_static_route(route.guid)
    assert fetched.guid == route.guid and fetched.urlPrefix == "conf-route-one"
    assert fetched.urlString
    assert route.guid in [r.guid for r in rio.client.get_all_static_routes()]
    assert rio.client.get_static_route_by_name("conf-no-such-route") is None

    _, package = rio.create("nginx-single-component.json")
    component_id = package.plans[0].get_component_id("nginx")
    config = package.get_provision_configuration()
    config.add_static_route("nginx", "test", route)
    deployment, status = rio.deploy(package, "conf-routed-nginx", config)
    rio.assert_stored_as_sent(deployment.deploymentId, config)
    assert status.phase == SUCCEEDED
    full = rio.client.get_deployment(deployment.deploymentId)
    assert full.provisionContext["component_context"][component_id]["static_route_config"] == {
        "test": route.guid}

    deployment.deprovision()
    rio.wait_phase(deployment.deploymentId, STOPPED)
    rio.client.delete_static_route(route.guid)
    assert route.guid not in [r.guid for r in rio.client.get_all_static_routes()]
    with pytest.raises(ResourceNotFoundError):
        rio.client.get_static_route(route.guid)


def test_static_routes_on_two_components_and_object_delete(rio):
    first = rio.client.create_static_route("conf-route-first")
    second = rio.client.create_static_route("conf-route-second")
    _, package = rio.create("nginx-multi-component.json")
    plan = package.plans[0]
    config = package.get_provision_configuration()
    config.add_static_route("nginx", "test", first)
    config.add_static_route("nginx2", "test2", second)
    deployment, _ = rio.deploy(package, "conf-two-routes", config)
    rio.assert_stored_as_sent(deployment.deploymentId, config)
    context = rio.client.get_deployment(deployment.deploymentId).provisionContext["component_context"]
    assert context[plan.get_component_id("nginx")]["static_route_config"] == {"test": first.guid}
    assert context[plan.get_component_id("nginx2")]["static_route_config"] == {"test2": second.guid}
    deployment.deprovision()
    rio.wait_phase(deployment.deploymentId, STOPPED)
    guid = second.guid
    assert second.delete() is True
    assert guid not in [r.guid for r in rio.client.get_all_static_routes()]


def test_rosbag_job_on_a_cloud_ros_component(rio):
    _, package = rio.create("rosbag-talker-cloud.json")
    component_id = package.plans[0].get_component_id("talker-cloud")
    config = package.get_provision_configuration()  # pre-adds the package's rosBagJobDefs
    job = ROSBagJob("conf-extra-job", ROSBagOptions(all_topics=True, max_splits=3),
                    upload_options=UploadOptions(upload_type=ROSBagUploadTypes.CONTINUOUS))
    config.add_rosbag_job("talker-cloud", job)
    deployment, status = rio.deploy(package, "conf-rosbag-cloud", config)
    rio.assert_stored_as_sent(deployment.deploymentId, config)
    assert status.phase == SUCCEEDED

    full = rio.client.get_deployment(deployment.deploymentId)
    jobs = full.provisionContext["component_context"][component_id]["ros_bag_job_defs"]
    assert [j["name"] for j in jobs] == ["test-rosbag-defs", "conf-extra-job"]
    assert jobs[0]["recordOptions"]["topics"] == ["/telemetry"]
    assert jobs[1]["recordOptions"]["allTopics"] is True
    assert jobs[1]["recordOptions"]["maxSplits"] == 3
    assert jobs[1]["uploadOptions"]["uploadType"] == "Continuous"


def test_rosbag_job_added_to_a_plain_ros_package(rio):
    _, package = rio.create("talker-cloud.json")
    component_id = package.plans[0].get_component_id("talker")
    config = package.get_provision_configuration()
    config.add_rosbag_job("talker", ROSBagJob("conf-only-job", ROSBagOptions(topics=["/chatter"])))
    deployment, _ = rio.deploy(package, "conf-rosbag-plain", config)
    rio.assert_stored_as_sent(deployment.deploymentId, config)
    jobs = rio.client.get_deployment(deployment.deploymentId).provisionContext[
        "component_context"][component_id]["ros_bag_job_defs"]
    assert [j["name"] for j in jobs] == ["conf-only-job"]
    assert jobs[0]["recordOptions"]["topics"] == ["/chatter"]


def test_static_route_name_rule(rio):
    # docs/reference/v1-api.md#static-routes: ^[a-z][a-z0-9-]*$, 4-64 characters (documented; the SDK does not check it, the server does)
    for bad in ("Upper-case", "9starts-with-digit", "abc", "under_score", "x" * 65):
        with pytest.raises(BadRequestError):
            rio.client.create_static_route(bad)
    assert rio.client.get_all_static_routes() == []
    assert rio.client.create_static_route("abcd").urlPrefix == "abcd"


def test_rosbag_job_with_every_option_kind(rio):
    from rapyuta_io.clients.rosbag import (OverrideOptions, ROSBagCompression, ROSBagOnDemandUploadOptions,
                                           ROSBagTimeRange, TopicOverrideInfo)

    _, package = rio.create("talker-cloud.json")
    component_id = package.plans[0].get_component_id("talker")
    config = package.get_provision_configuration()
    record = ROSBagOptions(topics=["/telemetry", "/odom"], topic_include_regex=["/cam.*"], topic_exclude_regex="/debug.*",
                           max_message_count=100, compression=ROSBagCompression.LZ4, max_splits=4,
                           max_split_size=256, chunk_size=512, max_split_duration=30)
    upload = UploadOptions(max_upload_rate=2097152, purge_after=True, upload_type=ROSBagUploadTypes.ON_DEMAND,
                           on_demand_options=ROSBagOnDemandUploadOptions(ROSBagTimeRange(1700000000, 1700003600)))
    override = OverrideOptions(topic_override_info=[TopicOverrideInfo("/telemetry", record_frequency=5),
                                                    TopicOverrideInfo("/odom", latched=True)],
                               exclude_topics=["/tf"])
    config.add_rosbag_job("talker", ROSBagJob("conf-full-options", record, upload_options=upload,
                                              override_options=override))
    deployment, status = rio.deploy(package, "conf-rosbag-options", config)
    assert status.phase == SUCCEEDED
    full = rio.assert_stored_as_sent(deployment.deploymentId, config)
    (job,) = full.provisionContext["component_context"][component_id]["ros_bag_job_defs"]
    assert job["recordOptions"]["compression"] == "LZ4" and job["recordOptions"]["maxSplitDuration"] == 30
    assert job["uploadOptions"]["onDemandOpts"]["timeRange"] == {"from": 1700000000, "to": 1700003600}
    assert job["overrideOptions"]["excludeTopics"] == ["/tf"]
    assert [t["topicName"] for t in job["overrideOptions"]["topicOverrideInfo"]] == ["/telemetry", "/odom"]
