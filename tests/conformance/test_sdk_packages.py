"""Packages through the real SDK: create, get, list with filters, delete, and the error mapping (docs/reference/v1-api.md#packages)."""
import os

import pytest

from rapyuta_io.utils.error import (BadRequestError, ConflictError, PackageNotFound, PlanNotFound,
                                    ResourceNotFoundError)

from .rio_conformance import MANIFEST_DIR, PROJECT, load_manifest, manifest_names


def _component_names(manifest):
    return sorted(component["name"] for component in manifest["plans"][0]["components"])


@pytest.mark.parametrize("fixture", manifest_names())
def test_create_and_get_every_fixture_manifest(rio, fixture):
    manifest = load_manifest(fixture)
    answer = rio.client.create_package(manifest)

    # create answer (docs/reference/v1-api.md#packages): packageId + planIds[{planId, componentIds}]
    package_id = answer["packageId"]
    assert isinstance(package_id, str) and package_id.startswith("pkg-")
    assert len(answer["planIds"]) == 1
    created_plan = answer["planIds"][0]
    assert created_plan["planId"]
    assert len(created_plan["componentIds"]) == len(manifest["plans"][0]["components"])

    package = rio.client.get_package(package_id)
    assert package.packageId == package_id
    assert package.packageName == manifest["name"]
    assert package.packageVersion == manifest["packageVersion"]
    assert package.is_partial is False
    assert package.status == "Complete"  # no builds: complete at once (docs/reference/v1-api.md#packages)
    assert package.ownerProject == PROJECT
    assert len(package.plans) == 1
    plan = package.plans[0]
    assert plan.planId == created_plan["planId"]
    assert plan.planName == manifest["plans"][0]["name"]

    # stored shape (docs/reference/v1-api.md#stored-package): nested components.components and internalComponents ids
    stored = plan.components.components
    assert sorted(component.name for component in stored) == _component_names(manifest)
    internal = {entry["componentName"]: entry["componentId"] for entry in plan.internalComponents}
    assert sorted(internal) == _component_names(manifest)
    assert sorted(internal.values()) == sorted(created_plan["componentIds"])
    for component in manifest["plans"][0]["components"]:
        assert plan.get_component_id(component["name"]) == internal[component["name"]]
        stored_component = plan.get_component_by_name(component["name"])
        assert stored_component.requiredRuntime == component["requiredRuntime"]
        assert [e.name for e in stored_component.executables] == [e["name"] for e in component["executables"]]
        assert all(e.id for e in stored_component.executables)

    # the SDK builds a provision configuration from the stored plan without any further call
    config = package.get_provision_configuration()
    assert config.plan_id == plan.planId
    assert config.service_id == package_id
    assert set(config.parameters) == set(internal.values()) | {"global"}
    for component in manifest["plans"][0]["components"]:
        params = config.parameters[internal[component["name"]]]
        for declared in component.get("parameters", []):
            assert params[declared["name"]] == (declared.get("default") or None)
    with pytest.raises(PlanNotFound):
        package.get_provision_configuration("plan-doesnotexistanywhereatall")


def test_stored_plan_keeps_nested_inbound_interfaces(rio):
    _, package = rio.create("inbound-incoming-scoped-targeted.json")
    plan = package.plans[0]
    # the stored shape nests it (docs/reference/v1-api.md#stored-package), and the SDK reads inboundROSInterfaces.inboundROSInterfaces
    assert plan.inboundROSInterfaces.inboundROSInterfaces.anyIncomingScopedOrTargetedRosConfig is True
    assert plan.needs_aliases() is True


def test_get_all_packages_filters_by_name_substring_and_version(rio):
    created = {}
    for fixture in manifest_names():
        manifest = load_manifest(fixture)
        created[rio.client.create_package(manifest)["packageId"]] = manifest

    everything = rio.client.get_all_packages()
    listed = {package.packageId: package for package in everything}
    assert set(created) <= set(listed)
    assert "io-public-persistent-volume" not in listed
    for package_id, manifest in created.items():
        assert listed[package_id].packageName == manifest["name"]
        assert listed[package_id].packageVersion == manifest["packageVersion"]
        assert listed[package_id].is_partial is True

    talkers = rio.client.get_all_packages(name="talker")
    expected = sorted(pid for pid, m in created.items() if "talker" in m["name"])
    assert len(expected) >= 5
    assert sorted(p.packageId for p in talkers) == expected

    assert rio.client.get_all_packages(name="talker", version="v9.9.9") == []
    exact = rio.client.get_all_packages(name="cloud-non-ros", version="v1.0.0")
    assert [p.packageName for p in exact] == ["cloud-non-ros"]


def test_partial_package_from_list_refreshes_for_provision_configuration(rio):
    answer, _ = rio.create("talker.json")
    (listed,) = rio.client.get_all_packages(name="talker", version="v1.0.0")
    assert listed.packageId == answer["packageId"]
    assert listed.is_partial is True
    config = listed.get_provision_configuration()
    assert listed.is_partial is False
    assert config.plan_id == answer["planIds"][0]["planId"]


def test_create_twice_is_a_conflict(rio):
    rio.client.create_package(load_manifest("cloud-non-ros.json"))
    with pytest.raises(ConflictError):
        rio.client.create_package(load_manifest("cloud-non-ros.json"))


def test_same_name_new_version_is_not_a_conflict(rio):
    first = rio.client.create_package(load_manifest("cloud-non-ros.json"))
    manifest = load_manifest("cloud-non-ros.json")
    manifest["packageVersion"] = "v1.0.1"
    second = rio.client.create_package(manifest)
    assert second["packageId"] != first["packageId"]
    versions = sorted(p.packageVersion for p in rio.client.get_all_packages(name="cloud-non-ros"))
    assert versions == ["v1.0.0", "v1.0.1"]


def test_deleted_package_can_be_created_again(rio):
    first = rio.client.create_package(load_manifest("cloud-non-ros.json"))
    rio.client.delete_package(first["packageId"])
    second = rio.client.create_package(load_manifest("cloud-non-ros.json"))
    assert second["packageId"] != first["packageId"]
    assert [p.packageId for p in rio.client.get_all_packages()] == [second["packageId"]]


def test_invalid_manifest_is_a_bad_request(rio):
    # as the SDK's own create_package_test: no package name, no plan name, no runtime/architecture
    manifest = load_manifest("cloud-non-ros.json")
    del manifest["name"]
    del manifest["plans"][0]["name"]
    for component in manifest["plans"][0]["components"]:
        del component["requiredRuntime"]
        del component["architecture"]
    with pytest.raises(BadRequestError):
        rio.client.create_package(manifest)
    assert rio.client.get_all_packages(name="cloud-non-ros") == []


def test_manifest_without_name_only_is_a_bad_request(rio):
    manifest = load_manifest("talker.json")
    del manifest["name"]
    with pytest.raises(BadRequestError):
        rio.client.create_package(manifest)


def test_delete_package_then_not_found(rio):
    answer, _package = rio.create("delete-package-using-client.json")
    package_id = answer["packageId"]
    rio.client.delete_package(package_id)
    with pytest.raises(PackageNotFound) as caught:
        rio.client.get_package(package_id)
    assert "Package not found" in str(caught.value)
    assert package_id not in [p.packageId for p in rio.client.get_all_packages()]


def test_delete_package_through_the_package_object(rio):
    answer, package = rio.create("delete-package.json")
    package.delete()
    with pytest.raises(PackageNotFound):
        rio.client.get_package(answer["packageId"])


def test_create_package_from_manifest_file(rio):
    answer = rio.client.create_package_from_manifest(os.path.join(MANIFEST_DIR, "listener.json"))
    package = rio.client.get_package(answer["packageId"])
    assert package.packageName == "listener"
    assert package.plans[0].planId == answer["planIds"][0]["planId"]


def test_unknown_package_errors(rio):
    with pytest.raises(PackageNotFound):
        rio.client.get_package("pkg-doesnotexistanywhereatal")
    with pytest.raises(ResourceNotFoundError):
        rio.client.delete_package("pkg-doesnotexistanywhereatal")


def test_persistent_volume_package_is_served(rio):
    volume = rio.client.get_persistent_volume()
    assert volume.packageId == "io-public-persistent-volume"
    plan = volume.plans[0]
    assert plan.get_component_id("volumeComponent") == "io-pv"


def test_cli_style_manifest_fields_are_accepted_and_kept(rio):
    # docs/reference/v1-api.md#package-manifest: rapyuta-io-cli manifests carry executable limits, HTTP/TCP/UDP and port-range endpoints and
    # exposedParameters; the SDK forwards them verbatim
    manifest = load_manifest("cloud-non-ros.json")
    manifest["name"] = "cli-style"
    manifest["apiVersion"] = "2.1.0"
    component = manifest["plans"][0]["components"][0]
    component["parameters"] = [{"name": "GREETING", "default": "hi", "description": "greeting"}]
    component["executables"][0]["limits"] = {"cpu": 0.5, "memory": 2048}
    component["cloudInfra"]["endpoints"] += [
        {"name": "web", "exposeExternally": True, "port": 80, "targetPort": 8080, "proto": "HTTP"},
        {"name": "tcp", "exposeExternally": False, "port": 9000, "targetPort": 9000, "proto": "TCP"},
        {"name": "udp-range", "exposeExternally": True, "portRange": "5000-5010", "proto": "UDP"},
    ]
    manifest["plans"][0]["exposedParameters"] = [
        {"component": "default", "param": "GREETING", "targetParam": "greeting"}]
    _answer, package = rio.create(manifest)
    assert package.apiVersion == "2.1.0"
    stored = package.plans[0].get_component_by_name("default")
    assert stored.executables[0].limits == {"cpu": 0.5, "memory": 2048}
    by_name = {e["name"]: e for e in stored.cloudInfra.endpoints}
    assert by_name["web"]["proto"] == "HTTP" and by_name["tcp"]["proto"] == "TCP"
    assert by_name["udp-range"]["portRange"] == "5000-5010"
    # docs/reference/v1-api.md#stored-package: the stored plan keeps them under metadata.exposedParameters
    assert package.plans[0].metadata["exposedParameters"] == [
        {"component": "default", "param": "GREETING", "targetParam": "greeting"}]
    deployment, status = rio.deploy(package, "conf-cli-style", package.get_provision_configuration())
    assert status.phase == "Succeeded"
    assert rio.client.get_deployment(deployment.deploymentId).parameters[
        package.plans[0].get_component_id("default")]["GREETING"] == "hi"
