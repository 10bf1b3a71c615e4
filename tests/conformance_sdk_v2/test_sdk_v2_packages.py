"""Packages through sdk-v2: create/get/list/delete, versions, filters, pages, conflicts
(docs/reference/v2-api.md#packages, docs/reference/v2-api.md#lists-and-pagination)."""
import pytest
from rapyuta_io_sdk_v2.exceptions import HttpAlreadyExistsError, HttpNotFoundError, MethodNotAllowedError
from rapyuta_io_sdk_v2.models import Package, PackageList
from rapyuta_io_sdk_v2.utils import walk_pages

from .sdkv2_support import ORGANIZATION, PROJECT, TOKEN, cloud_deployment, cloud_package, device_package


def test_create_returns_the_package_as_sent_with_server_metadata(sdk):
    created = sdk.create_package(cloud_package("web", labels={"app": "demo"}))
    assert isinstance(created, Package)
    meta = created.metadata
    assert (meta.name, meta.version, meta.description) == ("web", "v1.0.0", "sdk-v2 conformance")
    assert meta.labels == {"app": "demo"}
    assert meta.guid and meta.guid.startswith("pkg-")
    assert meta.projectGUID == PROJECT and meta.organizationGUID == ORGANIZATION
    assert meta.createdAt
    spec = created.spec
    assert spec.runtime == "cloud" and spec.cloud.replicas == 1 and spec.device is None
    (web,) = spec.executables
    assert (web.name, web.type, web.docker.image, web.docker.imagePullPolicy) == (
        "web", "docker", "nginx:alpine", "IfNotPresent")
    assert web.command == ["nginx", "-g", "daemon off;"]
    assert (web.limits.cpu, web.limits.memory) == (0.025, 128)
    assert [(e.name, e.default, e.exposed, e.exposedName) for e in spec.environmentVars] == [
        ("GREETING", "hi", None, None), ("PORT", "80", True, "WEB_PORT")]
    assert [(e.name, e.type, e.port, e.targetPort, e.portRange) for e in spec.endpoints] == [
        ("http", "external-https", 443, 80, None), ("ranges", "internal-tcp-range", None, None, "22,80,1024-1030")]


def test_device_package_keeps_ros_and_device_sections(sdk):
    sdk.create_package(device_package("talker", arch="arm64v8", ros_version="noetic"))
    got = sdk.get_package("talker", "v1.0.0")
    assert got.spec.runtime == "device" and got.spec.cloud is None
    assert (got.spec.device.arch, got.spec.device.restart) == ("arm64v8", "always")
    assert got.spec.ros.enabled is True and got.spec.ros.version == "noetic"
    assert [(r.type, r.name, r.qos) for r in got.spec.ros.rosEndpoints] == [("topic", "/chatter", "low")]


def test_run_as_bash_is_stored_as_the_sdk_sent_it(sdk, emulator):
    # The SDK wraps the command once in /bin/bash -c before sending: the stored object is that body,
    # not wrapped again (docs/reference/v2-api.md#packages).
    body = cloud_package("wrapped")
    body["spec"]["executables"][0].update(command="nginx -g 'daemon off;'", runAsBash=True)
    sdk.create_package(body)
    status, raw = emulator.raw("GET", "/v2/packages/wrapped/?version=v1.0.0",
                               headers={"Authorization": "Bearer " + TOKEN, "project": PROJECT})
    assert status == 200, raw
    assert raw["spec"]["executables"][0]["command"] == ["/bin/bash", "-c", "nginx -g 'daemon off;'"]


def test_get_without_version_is_the_latest_version(sdk):
    sdk.create_package(cloud_package("multi", version="v1.0.0"))
    sdk.create_package(cloud_package("multi", version="v2.0.0"))
    sdk.create_package(cloud_package("multi", version="v1.5.0"))
    assert sdk.get_package("multi").metadata.version == "v1.5.0"
    assert sdk.get_package("multi", "v2.0.0").metadata.version == "v2.0.0"


def test_recreate_is_a_conflict(sdk):
    sdk.create_package(cloud_package("dup"))
    with pytest.raises(HttpAlreadyExistsError):
        sdk.create_package(cloud_package("dup"))
    # Another version of the same name is a new package.
    sdk.create_package(cloud_package("dup", version="v1.0.1"))


def test_unknown_package_is_not_found(sdk):
    with pytest.raises(HttpNotFoundError, match="nope"):
        sdk.get_package("nope", "v1.0.0")
    sdk.create_package(cloud_package("known"))
    with pytest.raises(HttpNotFoundError):
        sdk.get_package("known", "v9.9.9")
    with pytest.raises(HttpNotFoundError):
        sdk.get_package("nope")


def test_delete_then_not_found_then_recreate(sdk):
    sdk.create_package(cloud_package("gone"))
    sdk.create_package(cloud_package("gone", version="v2.0.0"))
    sdk.delete_package("gone", "v1.0.0")
    with pytest.raises(HttpNotFoundError):
        sdk.get_package("gone", "v1.0.0")
    assert sdk.get_package("gone", "v2.0.0").metadata.version == "v2.0.0"
    with pytest.raises(HttpNotFoundError):
        sdk.delete_package("gone", "v1.0.0")
    sdk.create_package(cloud_package("gone"))
    assert sdk.get_package("gone", "v1.0.0").metadata.name == "gone"


def test_invalid_package_is_a_bad_request(sdk):
    body = cloud_package("bad")
    body["spec"]["executables"][0]["docker"] = None
    body["spec"]["executables"][0]["type"] = "docker"
    with pytest.raises(MethodNotAllowedError, match="executables"):
        sdk.create_package(body)


def test_delete_while_a_deployment_uses_it_is_a_conflict(sdk):
    sdk.create_package(cloud_package("busy"))
    sdk.create_deployment(cloud_deployment("busy-dep", "busy"))
    with pytest.raises(HttpAlreadyExistsError, match="busy-dep"):
        sdk.delete_package("busy", "v1.0.0")
    sdk.delete_deployment("busy-dep")
    sdk.delete_package("busy", "v1.0.0")


def test_list_filters_by_exact_name_and_labels(sdk):
    sdk.create_package(cloud_package("alpha", labels={"app": "demo", "tier": "web"}))
    sdk.create_package(cloud_package("alpha", version="v2.0.0", labels={"app": "demo"}))
    sdk.create_package(cloud_package("alphabet", labels={"app": "other"}))
    sdk.create_package(device_package("beta", labels={"app": "demo", "tier": "robot"}))

    everything = sdk.list_packages()
    assert isinstance(everything, PackageList)
    assert [(p.metadata.name, p.metadata.version) for p in everything.items] == [
        ("alpha", "v1.0.0"), ("alpha", "v2.0.0"), ("alphabet", "v1.0.0"), ("beta", "v1.0.0")]
    assert [p.metadata.version for p in sdk.list_packages(name="alpha").items] == ["v1.0.0", "v2.0.0"]
    assert [p.metadata.name for p in sdk.list_packages(label_selector=["app=demo"]).items] == [
        "alpha", "alpha", "beta"]
    assert [p.metadata.name for p in sdk.list_packages(label_selector=["app=demo", "tier=robot"]).items] == ["beta"]
    assert [p.metadata.name for p in sdk.list_packages(label_selector=["tier"]).items] == ["alpha", "beta"]
    assert [p.metadata.name for p in sdk.list_packages(label_selector=["app!=demo"]).items] == ["alphabet"]
    assert sdk.list_packages(name="alpha", label_selector=["tier=robot"]).items in ([], None)


def test_pages_with_continue_and_walk_pages(sdk):
    names = ["page-%02d" % i for i in range(7)]
    for name in names:
        sdk.create_package(cloud_package(name))
    first = sdk.list_packages(limit=3)
    assert [p.metadata.name for p in first.items] == names[:3]
    assert first.metadata.continue_ == 3
    second = sdk.list_packages(cont=first.metadata.continue_, limit=3)
    assert [p.metadata.name for p in second.items] == names[3:6]
    last = sdk.list_packages(cont=second.metadata.continue_, limit=3)
    assert [p.metadata.name for p in last.items] == names[6:]
    pages = list(walk_pages(sdk.list_packages, limit=2))
    assert [len(page) for page in pages] == [2, 2, 2, 1]
    assert [p.metadata.name for page in pages for p in page] == names
    assert [p.metadata.name for page in walk_pages(sdk.list_packages, limit=7) for p in page] == names


def test_a_limit_out_of_range_is_a_bad_request(sdk):
    with pytest.raises(MethodNotAllowedError):
        sdk.list_packages(limit=0)
    with pytest.raises(MethodNotAllowedError):
        sdk.list_packages(limit=1001)


def test_a_deployment_runtime_other_than_the_packages_is_a_bad_request(sdk):
    sdk.create_package(device_package("dev-only"))
    with pytest.raises(MethodNotAllowedError, match="runtime"):
        sdk.create_deployment(cloud_deployment("wrong-runtime", "dev-only"))
