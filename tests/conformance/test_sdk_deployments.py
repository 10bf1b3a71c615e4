"""Cloud deployments through the real SDK: provision, poll, lists, bindings, dependencies, aliases,
update, deprovision and failures (docs/reference/v1-api.md#deployments, docs/reference/v1-api.md#provisioning-rules)."""
import pytest

from rapyuta_io import DeploymentPhaseConstants, DeploymentStatusConstants
from rapyuta_io.utils.error import (BadRequestError, DeploymentNotRunningException, DuplicateAliasException,
                                    OperationNotAllowedError, ResourceNotFoundError)

from .rio_conformance import DOCKER_AMD64, PREINSTALLED, manifest_names

STOPPED = DeploymentPhaseConstants.DEPLOYMENT_STOPPED.value
SUCCEEDED = DeploymentPhaseConstants.SUCCEEDED.value


def _labels(deployment):
    return sorted((label["key"], label["value"]) for label in (deployment.labels or []))


def test_cloud_deployment_lifecycle(rio):
    answer, package = rio.create("cloud-non-ros.json")
    plan = package.plans[0]
    component_id = plan.get_component_id("default")
    config = package.get_provision_configuration()
    config.add_label("env", "conformance")

    deployment = package.provision("conf-cloud", config)
    # the Deployment comes from GET /serviceinstance/{operation} right after the PUT (docs/reference/v1-api.md#deployments)
    assert deployment.deploymentId.startswith("dep-")
    assert deployment.name == "conf-cloud"
    assert deployment.packageId == answer["packageId"]
    assert deployment.planId == plan.planId
    assert deployment.phase in ("In progress", "Provisioning", SUCCEEDED)

    status = rio.poll(deployment)
    assert status.phase == SUCCEEDED
    assert status.status == DeploymentStatusConstants.RUNNING.value
    assert not status.errors
    assert status.deploymentId == deployment.deploymentId
    again = deployment.get_status()
    assert (again.phase, again.status) == (SUCCEEDED, "Running")
    assert [info["name"] for info in again.componentInfo] == ["default"]

    full = rio.assert_stored_as_sent(deployment.deploymentId, config)
    assert full.is_partial is False
    assert full.name == "conf-cloud"
    assert full.packageName == "cloud-non-ros"
    assert full.phase == SUCCEEDED and full.status == "Running"
    assert full.parameters[component_id]["component_id"] == component_id
    assert full.parameters["global"] == {}
    assert full.provisionContext["name"] == "conf-cloud"
    assert ("env", "conformance") in _labels(full)
    # componentInfo: capital componentID, name -> componentInstanceID
    (info,) = full.componentInfo
    assert info["componentID"] == component_id
    assert info["name"] == "default"
    assert full.get_component_instance_id("default")
    assert full.get_component_instance_id("default") == info["componentInstanceID"]


def test_deployment_lists_and_deprovision(rio):
    answer, package = rio.create("cloud-non-ros.json")
    deployment, _ = rio.deploy(package, "conf-listed", package.get_provision_configuration())
    dep_id = deployment.deploymentId

    listed = {d.deploymentId: d for d in rio.client.get_all_deployments()}
    assert dep_id in listed
    partial = listed[dep_id]
    assert partial.name == "conf-listed"
    assert partial.packageId == answer["packageId"]
    assert partial.phase == SUCCEEDED
    assert partial.is_partial is True
    partial.refresh()
    assert partial.is_partial is False and partial.status == "Running"

    assert dep_id in [d.deploymentId for d in rio.client.get_all_deployments(phases=[SUCCEEDED])]
    assert dep_id in [d.deploymentId for d in rio.client.get_all_deployments(
        phases=[DeploymentPhaseConstants.SUCCEEDED, DeploymentPhaseConstants.PROVISIONING])]
    assert dep_id not in [d.deploymentId for d in rio.client.get_all_deployments(phases=[STOPPED])]
    assert [d.deploymentId for d in package.deployments()] == [dep_id]
    assert [d.deploymentId for d in package.deployments(phases=[DeploymentPhaseConstants.SUCCEEDED])] == [dep_id]
    assert package.deployments(phases=[DeploymentPhaseConstants.FAILED_TO_START]) == []

    assert deployment.deprovision() is True
    stopped = rio.wait_phase(dep_id, STOPPED)
    assert stopped.deploymentId == dep_id
    assert dep_id in [d.deploymentId for d in rio.client.get_all_deployments(phases=[STOPPED])]
    assert dep_id not in [d.deploymentId for d in rio.client.get_all_deployments(phases=[SUCCEEDED])]
    assert [d.deploymentId for d in package.deployments(phases=[DeploymentPhaseConstants.DEPLOYMENT_STOPPED])] \
        == [dep_id]
    with pytest.raises(DeploymentNotRunningException) as caught:
        rio.poll(stopped)
    assert caught.value.deployment_status.phase == STOPPED


def test_deprovision_a_partial_deployment_from_the_list(rio):
    _, package = rio.create("nginx-single-component.json")
    deployment, _ = rio.deploy(package, "conf-partial-deprovision", package.get_provision_configuration())
    (partial,) = [d for d in rio.client.get_all_deployments() if d.deploymentId == deployment.deploymentId]
    assert partial.deprovision() is True
    rio.wait_phase(deployment.deploymentId, STOPPED)


def test_empty_deployment_list_is_a_list(rio):
    assert rio.client.get_all_deployments() == []
    _, package = rio.create("cloud-non-ros.json")
    assert package.deployments() == []


def test_service_binding_has_the_exposed_endpoint(rio):
    _, package = rio.create("cloud-non-ros.json")
    component_id = package.plans[0].get_component_id("default")
    deployment, _ = rio.deploy(package, "conf-binding", package.get_provision_configuration())
    binding = deployment.get_service_binding()
    endpoint = binding["credentials"]["components"][component_id]["networkEndpoints"]["ep1"]
    assert isinstance(endpoint, str) and endpoint


def test_multi_component_deployment(rio):
    _, package = rio.create("nginx-multi-component.json")
    plan = package.plans[0]
    deployment, _ = rio.deploy(package, "conf-multi", package.get_provision_configuration())
    full = rio.client.get_deployment(deployment.deploymentId)
    by_name = {info["name"]: info for info in full.componentInfo}
    assert sorted(by_name) == ["nginx", "nginx2"]
    for name in ("nginx", "nginx2"):
        assert by_name[name]["componentID"] == plan.get_component_id(name)
        assert full.get_component_instance_id(name)
    assert full.get_component_instance_id("nginx") != full.get_component_instance_id("nginx2")
    endpoints = deployment.get_service_binding()["credentials"]["components"]
    assert sorted(endpoints[plan.get_component_id("nginx")]["networkEndpoints"]) == ["test"]
    assert sorted(endpoints[plan.get_component_id("nginx2")]["networkEndpoints"]) == ["test2"]
    for name in ("nginx", "nginx2"):
        stored = plan.get_component_by_name(name).executables
        shown = by_name[name]["executableMetaData"]
        assert [(e["id"], e["name"], e["docker"]) for e in shown] == [(e.id, e.name, e.docker) for e in stored]


def test_deployment_carries_the_package_api_version(rio):
    _, package = rio.create("talker-cloud.json")
    assert package.apiVersion == "2.0.0"
    deployment, _ = rio.deploy(package, "conf-api-version", package.get_provision_configuration())
    assert deployment.packageAPIVersion == "2.0.0"
    assert rio.client.get_deployment(deployment.deploymentId).packageAPIVersion == "2.0.0"


def test_dependent_deployment(rio):
    _, base_package = rio.create("cloud-non-ros.json")
    base, _ = rio.deploy(base_package, "conf-base", base_package.get_provision_configuration())

    _, package = rio.create("nginx-single-component.json")
    config = package.get_provision_configuration()
    config.add_dependent_deployment(base)
    dependent, status = rio.deploy(package, "conf-dependent", config)
    rio.assert_stored_as_sent(dependent.deploymentId, config)
    assert status.phase == SUCCEEDED

    full = rio.client.get_deployment(dependent.deploymentId)
    assert [d["dependentDeploymentId"] for d in full.dependentDeployments] == [base.deploymentId]
    assert full.provisionContext["dependentDeployments"] == [
        {"dependentDeploymentId": base.deploymentId, "applicableComponentId": "", "config": {}}]


def test_stopped_deployment_cannot_be_a_dependency(rio):
    _, base_package = rio.create("cloud-non-ros.json")
    base, _ = rio.deploy(base_package, "conf-base-stopped", base_package.get_provision_configuration())
    base.deprovision()
    rio.wait_phase(base.deploymentId, STOPPED)
    _, package = rio.create("nginx-single-component.json")
    config = package.get_provision_configuration()
    with pytest.raises(OperationNotAllowedError):
        config.add_dependent_deployment(base)
    assert base.phase == STOPPED


def test_scoped_plan_keeps_the_explicit_alias(rio):
    _, package = rio.create("scoped-cloud.json")
    component_id = package.plans[0].get_component_id("cloudping")
    config = package.get_provision_configuration()
    config.set_component_alias("cloudping", "cloudalias", True)
    deployment, _ = rio.deploy(package, "conf-scoped", config)
    rio.assert_stored_as_sent(deployment.deploymentId, config)
    full = rio.client.get_deployment(deployment.deploymentId)
    params = full.parameters[component_id]
    assert params["bridge_params"] == {"alias": "cloudalias", "setROSNamespace": True}
    assert params["ROS_PKG"] == "pingpong"
    assert params["ROS_LAUNCH_FILE"] == "pingst.launch"


def test_unscoped_plan_sends_no_alias(rio):
    _, package = rio.create("no-scoped-targeted.json")
    component_id = package.plans[0].get_component_id("default")
    config = package.get_provision_configuration()
    config.set_component_alias("default", "ignored-alias")
    deployment, _ = rio.deploy(package, "conf-unscoped", config)
    rio.assert_stored_as_sent(deployment.deploymentId, config)
    full = rio.client.get_deployment(deployment.deploymentId)
    assert "bridge_params" not in full.parameters[component_id]


def test_dependency_aliases_are_enforced_from_the_stored_parameters(rio):
    # the SDK reads bridge_params.alias of the dependency from what the emulator stored (docs/reference/v1-api.md#aliases)
    _, package = rio.create("scoped-cloud.json")
    first, _ = rio.deploy(package, "conf-alias-first", package.get_provision_configuration())

    clashing = package.get_provision_configuration()
    clashing.add_dependent_deployment(first)
    with pytest.raises(DuplicateAliasException):
        package.provision("conf-alias-clash", clashing)

    renamed = package.get_provision_configuration()
    renamed.add_dependent_deployment(first)
    renamed.set_component_alias("cloudping", "cloudping-second")
    second, status = rio.deploy(package, "conf-alias-second", renamed)
    rio.assert_stored_as_sent(second.deploymentId, renamed)
    assert status.phase == SUCCEEDED
    component_id = package.plans[0].get_component_id("cloudping")
    full = rio.client.get_deployment(second.deploymentId)
    assert full.parameters[component_id]["bridge_params"]["alias"] == "cloudping-second"


def test_update_deployment_goes_through_provisioning(rio):
    _, package = rio.create("cloud-non-ros.json")
    plan = package.plans[0]
    component_id = plan.get_component_id("default")
    (executable,) = plan.get_component_by_name("default").executables
    deployment, _ = rio.deploy(package, "conf-update", package.get_provision_configuration())
    payload = {
        "deployment_id": deployment.deploymentId,
        "service_id": package.packageId,
        "plan_id": plan.planId,
        "context": {"component_context": {component_id: {
            "update_deployment": True,
            "component": {"executables": [{"id": executable.id, "name": executable.name,
                                           "docker": "hitesh99/simpleflask:v2"}]},
        }}},
    }
    rio.client.update_deployment(payload)
    updating = rio.client.get_deployment(deployment.deploymentId)
    assert updating.phase == DeploymentPhaseConstants.PROVISIONING.value
    # docs/reference/v1-api.md#update: a second update while the first is still provisioning is refused
    with pytest.raises(BadRequestError):
        rio.client.update_deployment(payload)
    status = rio.poll(rio.client.get_deployment(deployment.deploymentId))
    assert status.phase == SUCCEEDED and status.status == "Running"
    (info,) = rio.client.get_deployment(deployment.deploymentId).componentInfo
    assert [(e["id"], e["docker"]) for e in info["executableMetaData"]] == [(executable.id, "hitesh99/simpleflask:v2")]


def test_unknown_deployment_is_not_found(rio):
    with pytest.raises(ResourceNotFoundError) as caught:
        rio.client.get_deployment("dep-doesnotexistanywhereatal")
    assert str(caught.value)  # the SDK takes the text from {"error": ...} (docs/reference/v1-api.md#envelopes-and-error-bodies)


def test_image_pull_failure_stops_the_poller(rio):
    manifest = rio.manifest("cloud-non-ros.json")
    manifest["name"] = "cloud-missing-image"
    manifest["plans"][0]["components"][0]["executables"][0]["docker"] = "hitesh99/simpleflask:missing"
    _, package = rio.create(manifest)
    deployment = package.provision("conf-missing-image", package.get_provision_configuration())
    with pytest.raises(DeploymentNotRunningException) as caught:
        rio.poll(deployment)
    failed = caught.value.deployment_status
    assert "DEP_E153" in (failed.errors or [])
    assert failed.phase != SUCCEEDED
    full = rio.client.get_deployment(deployment.deploymentId)
    assert "DEP_E153" in (full.errors or [])


def test_failed_dependency_fails_the_dependent(rio):
    manifest = rio.manifest("cloud-non-ros.json")
    manifest["name"] = "cloud-missing-dependency"
    manifest["plans"][0]["components"][0]["executables"][0]["docker"] = "hitesh99/simpleflask:missing"
    _, broken_package = rio.create(manifest)
    broken = broken_package.provision("conf-broken-base", broken_package.get_provision_configuration())
    with pytest.raises(DeploymentNotRunningException) as caught:
        rio.poll(broken)
    broken_phase = caught.value.deployment_status.phase
    assert caught.value.deployment_status.status == "Error"  # the dependency is in error (DEP_E156, docs/reference/v1-api.md#error-codes)

    _, package = rio.create("nginx-single-component.json")
    config = package.get_provision_configuration()
    config.add_dependent_deployment(broken, ready_phases=[broken_phase])
    dependent = package.provision("conf-on-broken", config)
    with pytest.raises(DeploymentNotRunningException) as caught:
        rio.poll(dependent)
    assert "DEP_E156" in (caught.value.deployment_status.errors or [])


def _deployable_fixtures():
    # fast-talker-device-docker-with-rosbags.json is left out: its device component has rosbag jobs but only
    # a preinstalled (cmd) executable, and the SDK refuses rosbag on preinstalled devices client-side (docs/reference/v1-api.md#validation)
    return [name for name in manifest_names() if name != "fast-talker-device-docker-with-rosbags.json"]


@pytest.mark.parametrize("fixture", _deployable_fixtures())
def test_every_fixture_deploys_with_defaults(rio, fixture):
    _, package = rio.create(fixture)
    plan = package.plans[0]
    config = package.get_provision_configuration()
    for component in plan.components.components:
        if component.requiredRuntime != "device":
            continue
        docker = any(e.get("docker") or e.get("gitExecutable") or e.get("buildGUID") for e in component.executables)
        config.add_device(component.name, rio.client.get_device(DOCKER_AMD64 if docker else PREINSTALLED))
    deployment, status = rio.deploy(package, "conf-" + fixture[:-5].replace(" ", "-"), config)
    assert status.phase == SUCCEEDED and status.status == "Running"
    full = rio.assert_stored_as_sent(deployment.deploymentId, config)
    assert sorted(info["name"] for info in full.componentInfo) == sorted(c.name for c in plan.components.components)
    assert all(info["componentID"] == plan.get_component_id(info["name"]) for info in full.componentInfo)


def test_concurrent_clients(rio):
    # Ansible forks talk to one platform at once: eight SDK clients provision and poll in parallel
    from concurrent.futures import ThreadPoolExecutor

    _, package = rio.create("cloud-non-ros.json")
    package_id = package.packageId

    def one(index):
        client = rio.new_client()
        own = client.get_package(package_id)
        deployment = own.provision("conf-parallel-%d" % index, own.get_provision_configuration())
        status = deployment.poll_deployment_till_ready(retry_count=40, sleep_interval=0.05)
        extra = client.create_package(dict(rio.manifest("talker.json"), packageVersion="v0.%d" % index))
        return deployment.deploymentId, status.phase, extra["packageId"]

    pool = ThreadPoolExecutor(max_workers=8)
    try:
        results = list(pool.map(one, range(8)))
    finally:
        # never block on a hung worker (the per-test alarm fires in the main thread; stopping the
        # emulator at session end unblocks any worker still waiting on a socket)
        pool.shutdown(wait=False, cancel_futures=True)
    deployment_ids = [r[0] for r in results]
    assert len(set(deployment_ids)) == 8
    assert {r[1] for r in results} == {SUCCEEDED}
    assert sorted(d.deploymentId for d in package.deployments()) == sorted(deployment_ids)
    versions = sorted(p.packageVersion for p in rio.client.get_all_packages(name="talker"))
    assert versions == ["v0.%d" % i for i in range(8)]
    assert len({r[2] for r in results}) == 8


def test_parameter_values_of_any_type_are_stored_as_sent(rio):
    # docs/reference/v1-api.md#provision-parameters: add_parameter stores whatever the caller passed, any key, any JSON type
    _, package = rio.create("talker-noetic.json")
    component_id = package.plans[0].get_component_id("talker")
    config = package.get_provision_configuration()
    config.add_parameter("talker", "topic_name", "chatter")
    config.add_parameter("talker", "RATE", 10)
    config.add_parameter("talker", "RATIO", 0.5)
    config.add_parameter("talker", "VERBOSE", True)
    config.add_parameter("talker", "EXTRA", {"nested": ["a", 1]})
    config.add_parameter("talker", "NOTHING", None)
    deployment, status = rio.deploy(package, "conf-typed-params", config)
    assert status.phase == SUCCEEDED
    full = rio.assert_stored_as_sent(deployment.deploymentId, config)
    params = full.parameters[component_id]
    assert (params["RATE"], params["RATIO"], params["VERBOSE"]) == (10, 0.5, True)
    assert params["EXTRA"] == {"nested": ["a", 1]} and params["NOTHING"] is None
    assert params["topic_name"] == "chatter"
