"""Phase engine and failure codes (DEP_E151/E153/E156/E162/E171)."""
from emulator_helpers import DOCKER_AMD64, DOCKER_ARM64, NOETIC, OFFLINE, PREINSTALLED, manifest


def test_phases_progress_with_elapsed_time(slow_api):
    api = slow_api
    pkg = api.create_package(manifest("cloud-non-ros.json"))["packageId"]
    dep_id = api.provision(pkg)
    seen = []
    for _ in range(4):
        dep = api.deployment(dep_id)
        seen.append((dep["phase"], dep["status"]))
        api.clock.advance(4)
    assert seen == [("In progress", "Pending"), ("In progress", "Pending"), ("Provisioning", "Pending"),
                    ("Succeeded", "Running")]
    assert api.get("/deployment/list").json()[0]["phase"] == "Succeeded"


def test_failures_show_only_after_the_phase_delay(slow_api):
    api = slow_api
    pkg = api.create_package(manifest("talker-docker.json"))["packageId"]
    dep_id = api.provision(pkg, devices={"default": OFFLINE})
    assert api.deployment(dep_id)["errors"] is None
    api.clock.advance(10)
    assert api.deployment(dep_id)["errors"] == ["DEP_E151"]


def _failure(api, manifest_name, devices=None, **kw):
    pkg = api.create_package(manifest(manifest_name))["packageId"]
    return api.deployment(api.provision(pkg, devices=devices, **kw))


def test_offline_device_is_dep_e151(api):
    dep = _failure(api, "talker-docker.json", {"default": OFFLINE})
    assert (dep["phase"], dep["status"], dep["errors"]) == ("Failed to start", "Error", ["DEP_E151"])
    info = dep["componentInfo"][0]
    assert info["errorCode"] == ["DEP_E151"] and info["name"] == "default"
    assert "offline" in info["executablesStatusInfo"][0]["reason"]
    assert dep["componentInstanceIds"][0]["errorCode"] == "DEP_E151"


def test_architecture_mismatch_is_dep_e162(api):
    dep = _failure(api, "talker-docker.json", {"default": DOCKER_ARM64})
    assert (dep["phase"], dep["errors"]) == ("Failed to start", ["DEP_E162"])
    assert "architecture" in dep["errorMessage"]


def test_ros_distro_mismatch_is_dep_e162(api):
    dep = _failure(api, "talker-docker.json", {"default": NOETIC})
    assert dep["errors"] == ["DEP_E162"] and "ROS distro" in dep["errorMessage"]


def test_offline_wins_over_validation(api):
    body = manifest("talker-docker.json")
    body["plans"][0]["components"][0]["architecture"] = "arm64v8"
    pkg = api.create_package(body)["packageId"]
    assert api.deployment(api.provision(pkg, devices={"default": OFFLINE}))["errors"] == ["DEP_E151"]


def test_missing_image_tag_is_dep_e153_on_the_failing_component_only(api):
    body = manifest("nginx-multi-component.json")
    body["name"] = "image-missing"
    body["plans"][0]["components"][1]["executables"][0]["docker"] = "nginx:missing"
    dep = _failure_body(api, body)
    assert (dep["phase"], dep["status"], dep["errors"]) == ("Provisioning", "Error", ["DEP_E153"])
    codes = dict((c["name"], c["errorCode"]) for c in dep["componentInfo"])
    assert codes == {"nginx2": "", "nginx": ["DEP_E153"]}
    assert "nginx:missing" in dep["errorMessage"]


def _failure_body(api, body):
    pkg = api.create_package(body)["packageId"]
    return api.deployment(api.provision(pkg))


def test_healthy_device_deployments(api):
    assert _failure(api, "talker-docker.json", {"default": DOCKER_AMD64})["status"] == "Running"
    assert _failure(api, "talker.json", {"default": PREINSTALLED})["status"] == "Running"


def test_stopped_or_failed_dependency_is_dep_e156(api):
    pkg = api.create_package(manifest("cloud-non-ros.json"))["packageId"]
    base = api.provision(pkg, name="base")
    child = api.provision(pkg, name="child", context={"dependentDeployments": [
        {"dependentDeploymentId": base, "applicableComponentId": "", "config": {}}]})
    assert api.deployment(child)["status"] == "Running"
    assert api.deployment(child)["dependentDeployments"][0]["dependentDeploymentId"] == base
    assert api.deployment(base)["inUse"] is True
    api.delete("/v2/service_instances/" + base)
    dep = api.deployment(child)
    assert (dep["phase"], dep["errors"]) == ("Failed to start", ["DEP_E156"])
    late = api.provision(pkg, name="late", context={"dependentDeployments": [{"dependentDeploymentId": base}]})
    assert api.deployment(late)["errors"] == ["DEP_E156"]


def _scoped(api, name, alias, context=None):
    pkg_list = [s for s in api.get("/v2/catalog").json()["services"] if s["name"] == "scoped-cloud"]
    pkg = pkg_list[0]["id"] if pkg_list else api.create_package(manifest("scoped-cloud.json"))["packageId"]
    component = api.package(pkg)["plans"][0]["internalComponents"][0]["componentName"]
    return api.provision(pkg, name=name, context=context,
                         extra_params={component: {"bridge_params": {"alias": alias, "setROSNamespace": False}}})


def test_duplicate_alias_on_a_routed_network_is_dep_e171(api):
    net = api.post("/routednetwork", json={"name": "rn", "runtime": "cloud", "rosDistro": "melodic",
                                           "shared": True, "parameters": {}}).json()["guid"]
    ctx = {"routedNetworks": [{"guid": net}]}
    first = _scoped(api, "one", "same", ctx)
    assert api.deployment(first)["status"] == "Running"
    second = _scoped(api, "two", "same", ctx)
    dep = api.deployment(second)
    assert (dep["phase"], dep["errors"]) == ("Failed to start", ["DEP_E171"])
    assert "same" in dep["errorMessage"]
    other_alias = _scoped(api, "three", "different", ctx)
    assert api.deployment(other_alias)["status"] == "Running"
    no_network = _scoped(api, "four", "same")
    assert api.deployment(no_network)["status"] == "Running"


def test_alias_shared_with_a_dependency_is_dep_e171(api):
    base = _scoped(api, "base", "dup")
    child = _scoped(api, "child", "dup", {"dependentDeployments": [{"dependentDeploymentId": base}]})
    assert api.deployment(child)["errors"] == ["DEP_E171"]


def test_device_deployments_appear_on_the_device(api):
    dep = _failure(api, "talker-docker.json", {"default": DOCKER_AMD64})
    device = api.get("/api/device-manager/v0/devices/" + DOCKER_AMD64).json()["response"]["data"]
    assert device["deployments"][0]["io_deployment_id"] == dep["deploymentId"]
    assert device["deployments"][0]["deployment_id"] == dep["componentInfo"][0]["componentInstanceID"]
    assert device["deployments"][0]["phase"] == "Succeeded"


def test_dependency_with_an_image_pull_error_is_dep_e156(api):
    body = manifest("cloud-non-ros.json")
    body["plans"][0]["components"][0]["executables"][0]["docker"] = "nginx:missing"
    broken = api.provision(api.create_package(body)["packageId"], name="broken")
    assert api.deployment(broken)["errors"] == ["DEP_E153"]
    body["name"], body["plans"][0]["components"][0]["executables"][0]["docker"] = "fine", "nginx:alpine"
    child = api.provision(api.create_package(body)["packageId"], name="child",
                          context={"dependentDeployments": [{"dependentDeploymentId": broken}]})
    dep = api.deployment(child)
    assert (dep["phase"], dep["errors"]) == ("Failed to start", ["DEP_E156"])
    assert "DEP_E153" in dep["errorMessage"]
