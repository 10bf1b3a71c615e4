"""Deployments through sdk-v2: create/get/list/delete, filters, pages, Stopped incarnations, restart,
failure causes and references (docs/reference/v2-api.md#deployments,
docs/reference/v2-api.md#deployment-phases-and-readiness, docs/reference/v2-api.md#deployment-error-codes).
The session emulator runs with --phase-delay 0: a deployment is final on its next read."""
import pytest
from rapyuta_io_sdk_v2.exceptions import HttpAlreadyExistsError, HttpNotFoundError, MethodNotAllowedError
from rapyuta_io_sdk_v2.models import Deployment, DeploymentList
from rapyuta_io_sdk_v2.utils import walk_pages

from .sdkv2_support import (DOCKER_AMD64, DOCKER_AMD64_UUID, DOCKER_ARM64, NOETIC, OFFLINE, ORGANIZATION, PROJECT,
                            cloud_deployment, cloud_package, device_deployment, device_package, wait_for, wait_phase)


@pytest.fixture
def packages(sdk):
    sdk.create_package(cloud_package("web"))
    sdk.create_package(device_package("talker"))
    return sdk


def names(listing):
    return [d.metadata.name for d in listing.items or []]


def test_cloud_deployment_lifecycle(packages):
    sdk = packages
    created = sdk.create_deployment(cloud_deployment("web-dep", "web", labels={"app": "demo"}))
    assert isinstance(created, Deployment)
    meta = created.metadata
    assert meta.name == "web-dep" and meta.guid.startswith("dep-")
    assert meta.projectGUID == PROJECT and meta.organizationGUID == ORGANIZATION
    assert meta.generation == 1 and meta.createdAt and meta.deletedAt is None
    assert (meta.depends.kind, meta.depends.name_or_guid, meta.depends.version) == ("package", "web", "v1.0.0")
    assert meta.labels == {"app": "demo"}
    assert created.spec.runtime == "cloud"
    assert [(a.name, a.value) for a in created.spec.envArgs] == [("GREETING", "hello")]

    got = wait_phase(sdk, "web-dep", "Succeeded", "Running")
    assert got.metadata.guid == meta.guid
    assert got.status.error_codes in ([], None)
    assert set(got.status.executables_status) == {"web"}
    assert got.status.executables_status["web"].status == "running"

    sdk.delete_deployment("web-dep")
    with pytest.raises(HttpNotFoundError):
        sdk.get_deployment("web-dep")


def test_device_deployment_by_device_name_and_by_uuid(packages):
    sdk = packages
    sdk.create_deployment(device_deployment("talker-by-name", "talker", DOCKER_AMD64))
    sdk.create_deployment(device_deployment("talker-by-uuid", "talker", DOCKER_AMD64_UUID))
    for name in ("talker-by-name", "talker-by-uuid"):
        got = wait_phase(sdk, name, "Succeeded", "Running")
        assert got.spec.runtime == "device" and got.spec.restart == "always"
        assert got.status.executables_status["talker"].status == "running"
    assert got.spec.device.depends.name_or_guid == DOCKER_AMD64_UUID
    # deviceName filters by the device, whichever spelling the deployment used.
    assert sorted(names(sdk.list_deployments(device_name=DOCKER_AMD64))) == ["talker-by-name", "talker-by-uuid"]


def test_a_live_name_is_a_conflict(packages):
    sdk = packages
    sdk.create_deployment(cloud_deployment("once", "web"))
    with pytest.raises(HttpAlreadyExistsError):
        sdk.create_deployment(cloud_deployment("once", "web"))


@pytest.mark.parametrize("field, body", [
    ("metadata.depends", lambda: cloud_deployment("x", "no-such-package")),
    ("metadata.depends", lambda: cloud_deployment("x", "web", version="v9.9.9")),
    ("spec.device", lambda: device_deployment("x", "talker", "no-such-robot")),
    ("spec.depends", lambda: cloud_deployment("x", "web", depends=[{"kind": "deployment", "nameOrGUID": "ghost"}])),
    ("spec.rosNetworks", lambda: cloud_deployment(
        "x", "web", rosNetworks=[{"depends": {"kind": "network", "nameOrGUID": "no-net"}}])),
    ("spec.volumes", lambda: cloud_deployment(
        "x", "web", volumes=[{"execName": "web", "mountPath": "/data", "subPath": "data",
                              "depends": {"kind": "disk", "nameOrGUID": "no-disk"}}])),
    ("spec.staticRoutes", lambda: cloud_deployment(
        "x", "web", staticRoutes=[{"name": "http", "depends": {"kind": "staticroute", "nameOrGUID": "no-route"}}])),
    ("spec.envArgs", lambda: cloud_deployment(
        "x", "web", envArgs=[{"name": "TOKEN", "valueFrom": {"secretKeyRef": {"name": "no-secret", "key": "k"}}}])),
    ("spec.features.params.trees", lambda: cloud_deployment(
        "x", "web", features={"params": {"enabled": True, "trees": ["no-tree"]}})),
])
def test_an_unresolved_reference_is_a_bad_request_naming_it(packages, field, body):
    sent = body()
    with pytest.raises(MethodNotAllowedError) as raised:
        packages.create_deployment(sent)
    message = str(raised.value)
    assert field in message, message
    assert packages.list_deployments().items in ([], None)


def test_list_filters(packages):
    sdk = packages
    sdk.create_package(cloud_package("web", version="v2.0.0"))
    sdk.create_deployment(cloud_deployment("web-a", "web", labels={"app": "demo", "tier": "web"}))
    sdk.create_deployment(cloud_deployment("web-b", "web", version="v2.0.0", labels={"app": "demo"}))
    sdk.create_deployment(device_deployment("talk-1", "talker", DOCKER_AMD64, labels={"app": "robot"}))
    sdk.create_deployment(device_deployment("talk-off", "talker", OFFLINE, labels={"app": "robot"}))
    guid_b = sdk.get_deployment("web-b").metadata.guid

    everything = sdk.list_deployments()
    assert isinstance(everything, DeploymentList)
    assert names(everything) == ["web-a", "web-b", "talk-1", "talk-off"]
    assert names(sdk.list_deployments(device_name=DOCKER_AMD64)) == ["talk-1"]
    assert names(sdk.list_deployments(device_name=OFFLINE)) == ["talk-off"]
    assert names(sdk.list_deployments(package_name="web")) == ["web-a", "web-b"]
    assert names(sdk.list_deployments(package_name="web", package_version="v2.0.0")) == ["web-b"]
    assert names(sdk.list_deployments(names=["web-a", "talk-1"])) == ["web-a", "talk-1"]
    assert names(sdk.list_deployments(name="web-b")) == ["web-b"]
    assert names(sdk.list_deployments(guids=[guid_b])) == ["web-b"]
    assert names(sdk.list_deployments(label_selector=["app=demo"])) == ["web-a", "web-b"]
    assert names(sdk.list_deployments(label_selector=["app=demo", "tier=web"])) == ["web-a"]
    assert names(sdk.list_deployments(phases=["Succeeded"])) == ["web-a", "web-b", "talk-1"]
    assert names(sdk.list_deployments(phases=["FailedToStart"])) == ["talk-off"]
    assert names(sdk.list_deployments(phases=["InProgress", "FailedToStart"])) == ["talk-off"]
    assert names(sdk.list_deployments(phases=["Succeeded"], package_name="talker")) == ["talk-1"]
    assert names(sdk.list_deployments(names=["nobody"])) == []


def test_pages_with_continue_and_walk_pages(packages):
    sdk = packages
    created = ["dep-%02d" % i for i in range(5)]
    for name in created:
        sdk.create_deployment(cloud_deployment(name, "web"))
    first = sdk.list_deployments(limit=2)
    assert names(first) == created[:2] and first.metadata.continue_ == 2
    second = sdk.list_deployments(cont=2, limit=2)
    assert names(second) == created[2:4] and second.metadata.continue_ == 4
    assert names(sdk.list_deployments(cont=4, limit=2)) == created[4:]
    pages = list(walk_pages(sdk.list_deployments, limit=2))
    assert [[d.metadata.name for d in page] for page in pages] == [created[:2], created[2:4], created[4:]]
    assert [d.metadata.name for page in walk_pages(sdk.list_deployments, limit=2, package_name="web")
            for d in page] == created


def test_delete_leaves_a_stopped_incarnation_and_the_name_is_reusable(packages):
    sdk = packages
    first = sdk.create_deployment(cloud_deployment("again", "web")).metadata.guid
    sdk.delete_deployment("again")
    with pytest.raises(HttpNotFoundError):
        sdk.get_deployment("again")
    with pytest.raises(HttpNotFoundError):
        sdk.delete_deployment("again")

    stopped = sdk.list_deployments(phases=["Stopped"])
    assert [(d.metadata.name, d.metadata.guid) for d in stopped.items] == [("again", first)]
    (item,) = stopped.items
    assert (item.status.phase, item.status.status) == ("Stopped", "Stopped")
    assert item.metadata.deletedAt
    assert names(sdk.list_deployments(phases=["InProgress", "Provisioning", "Succeeded", "FailedToStart"])) == []
    old = sdk.get_deployment("again", guid=first)
    assert (old.status.phase, old.status.status, old.metadata.guid) == ("Stopped", "Stopped", first)

    second = sdk.create_deployment(cloud_deployment("again", "web")).metadata.guid
    assert second != first
    assert sdk.get_deployment("again").metadata.guid == second
    # No phases filter lists every incarnation, the stopped one included.
    assert [d.metadata.guid for d in sdk.list_deployments(names=["again"]).items] == [first, second]
    assert sdk.get_deployment("again", guid=first).status.phase == "Stopped"


def test_delete_of_an_unknown_deployment_is_not_found(sdk):
    with pytest.raises(HttpNotFoundError):
        sdk.delete_deployment("never-was")
    with pytest.raises(HttpNotFoundError):
        sdk.get_deployment("never-was")


def test_restart_with_update_deployment(packages):
    sdk = packages
    sdk.create_deployment(cloud_deployment("restart-me", "web"))
    before = wait_phase(sdk, "restart-me", "Succeeded", "Running")
    assert before.metadata.generation == 1
    # What `rio deployment restart` does: PATCH the whole object as read.
    answer = sdk.update_deployment(before)
    assert isinstance(answer, Deployment)
    assert answer.metadata.guid == before.metadata.guid
    assert answer.metadata.generation == 2
    during = sdk.get_deployment("restart-me")
    assert during.status.phase == "Provisioning", during.status
    after = wait_phase(sdk, "restart-me", "Succeeded", "Running", timeout=10)
    assert after.metadata.generation == 2 and after.metadata.guid == before.metadata.guid


def test_restart_ignores_spec_changes(packages):
    sdk = packages
    sdk.create_deployment(cloud_deployment("keep-spec", "web"))
    body = sdk.get_deployment("keep-spec")
    body.spec.envArgs[0].value = "changed"
    sdk.update_deployment(body)
    assert sdk.get_deployment("keep-spec").spec.envArgs[0].value == "hello"


def test_restart_of_an_unknown_deployment_is_not_found(packages):
    sdk = packages
    sdk.create_deployment(cloud_deployment("patch-me", "web"))
    body = sdk.get_deployment("patch-me")
    sdk.delete_deployment("patch-me")
    with pytest.raises(HttpNotFoundError):
        sdk.update_deployment(body)


def test_offline_device_fails_to_start_with_dep_e151(packages):
    sdk = packages
    sdk.create_deployment(device_deployment("on-offline", "talker", OFFLINE))
    got = wait_phase(sdk, "on-offline", "FailedToStart", "Error")
    assert "DEP_E151" in got.status.error_codes


@pytest.mark.parametrize("package, device", [
    (lambda: device_package("arm-talker", arch="arm64v8"), DOCKER_AMD64),    # architecture
    (lambda: device_package("amd-talker", arch="amd64"), DOCKER_ARM64),      # architecture
    (lambda: device_package("noetic-talker", ros_version="noetic"), DOCKER_AMD64),  # ROS distro
    (lambda: device_package("melodic-talker", ros_version="melodic"), NOETIC),      # ROS distro
])
def test_architecture_or_ros_distro_mismatch_is_dep_e162(sdk, package, device):
    body = package()
    sdk.create_package(body)
    sdk.create_deployment(device_deployment("mismatch", body["metadata"]["name"], device))
    got = wait_phase(sdk, "mismatch", "FailedToStart", "Error")
    assert "DEP_E162" in got.status.error_codes


def test_an_image_that_cannot_be_pulled_is_dep_e153(sdk):
    sdk.create_package(cloud_package("broken", image="nginx:missing"))
    sdk.create_deployment(cloud_deployment("pull-fails", "broken"))
    got = wait_for(lambda: sdk.get_deployment("pull-fails"),
                   lambda d: d.status is not None and "DEP_E153" in (d.status.error_codes or []),
                   what="DEP_E153")
    assert (got.status.phase, got.status.status) == ("Provisioning", "Error")
    assert got.status.executables_status["web"].status == "error"
    assert got.status.executables_status["web"].error_code == "DEP_E153"


def test_a_dependency_that_is_not_running_is_dep_e156(packages):
    sdk = packages
    sdk.create_deployment(device_deployment("base-offline", "talker", OFFLINE))
    sdk.create_deployment(cloud_deployment(
        "needs-base", "web", depends=[{"kind": "deployment", "nameOrGUID": "base-offline"}]))
    got = wait_for(lambda: sdk.get_deployment("needs-base"),
                   lambda d: d.status is not None and "DEP_E156" in (d.status.error_codes or []),
                   what="DEP_E156")
    assert got.status.status == "Error"


def test_deleting_a_dependency_of_live_deployments_is_a_conflict(packages):
    sdk = packages
    sdk.create_deployment(cloud_deployment("base", "web"))
    sdk.create_deployment(cloud_deployment("child", "web", depends=[{"kind": "deployment", "nameOrGUID": "base"}]))
    assert wait_phase(sdk, "child", "Succeeded", "Running")
    with pytest.raises(HttpAlreadyExistsError, match="child"):
        sdk.delete_deployment("base")
    sdk.delete_deployment("child")
    sdk.delete_deployment("base")


def test_a_wrong_runtime_is_a_bad_request(packages):
    body = device_deployment("wrong", "web", DOCKER_AMD64)
    with pytest.raises(MethodNotAllowedError, match="runtime"):
        packages.create_deployment(body)


def test_stats_count_v2_requests_by_route_template(packages, emulator):
    sdk = packages
    sdk.create_deployment(cloud_deployment("counted", "web"))
    sdk.get_deployment("counted")
    text = str(emulator.stats())
    assert "POST /v2/deployments/" in text and "GET /v2/deployments/{" in text, text[:2000]


def test_regions_filter(packages):
    sdk = packages
    us = cloud_deployment("in-us", "web")
    us["metadata"]["region"] = "us"
    sdk.create_deployment(us)
    jp = cloud_deployment("in-jp", "web")
    jp["metadata"]["region"] = "jp"
    sdk.create_deployment(jp)
    assert sdk.get_deployment("in-us").metadata.region == "us"
    assert names(sdk.list_deployments(regions=["us"])) == ["in-us"]
    assert names(sdk.list_deployments(regions=["jp"])) == ["in-jp"]
    assert names(sdk.list_deployments(regions=["us", "jp"])) == ["in-us", "in-jp"]
