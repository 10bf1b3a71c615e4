"""Field-level shapes of what the SDK returns, as docs/reference/v1-api.md lists them (stored package,
package list, deployment objects, devices, networks, static routes): the objects the SDK hands to
its users are the emulator's bodies, so their fields are part of the contract (the collection and
user playbooks read them)."""
import re

from rapyuta_io import ROSDistro
from rapyuta_io.clients.device import DevicePythonVersion

from .rio_conformance import DOCKER_AMD64, PROJECT

ID_24 = r"[a-z]{24}"


def _has(obj, keys, where):
    missing = [key for key in keys if key not in obj]
    assert not missing, "%s lacks %s (has %s)" % (where, missing, sorted(obj))


def test_stored_package_shape(rio):
    answer, package = rio.create("talker-cloud-device.json")
    assert re.fullmatch("pkg-" + ID_24, package.packageId)
    _has(package, ["guid", "packageName", "packageVersion", "description", "bindable", "isPublic", "category",
                   "status", "ownerProject", "creator", "plans", "CreatedAt"], "packageInfo")
    assert package.guid == answer["packageId"]
    assert package.isPublic is False
    (plan,) = package.plans
    _has(plan, ["planId", "planName", "packageId", "singleton", "internalComponents", "components",
                "dependentDeployments", "includePackages", "metadata", "inboundROSInterfaces"], "plan")
    assert re.fullmatch("plan-" + ID_24, plan.planId)
    assert isinstance(plan.packageId, int) and not isinstance(plan.packageId, bool)  # DB id, not the guid
    runtimes = {entry["componentName"]: entry["runtime"] for entry in plan.internalComponents}
    assert runtimes == {"talker-device": "device", "talker-cloud": "cloud"}
    for component in plan.components.components:
        _has(component, ["name", "requiredRuntime", "architecture", "ros", "parameters", "executables"],
             "component %s" % component.name)
        for executable in component.executables:
            assert re.fullmatch("exec-" + ID_24, executable.id)
    device_component = plan.get_component_by_name("talker-device")
    assert device_component.restart_policy == "no"
    assert plan.get_component_by_name("talker-cloud").cloudInfra.replicas >= 1


def test_stored_rosbag_job_definitions(rio):
    _, package = rio.create("fast-talker-device-docker-with-rosbags.json")
    (job,) = package.plans[0].get_component_by_name("talker-fast-device").rosBagJobDefs
    assert job.name == "continuous_upload_type"
    assert job.recordOptions.allTopics is True and job.recordOptions.maxSplits == 5
    assert job.uploadOptions.uploadType == "Continuous" and job.uploadOptions.maxUploadRate == 5242880


def test_package_list_summary_shape(rio):
    answer, _ = rio.create("cloud-non-ros.json")
    (summary,) = rio.client.get_all_packages()
    _has(summary, ["id", "name", "description", "bindable", "plans", "metadata"], "catalog entry")
    _has(summary.metadata, ["packageVersion", "creationDate", "creator", "isPublic", "ownerProject"],
         "catalog entry metadata")
    assert summary.metadata["ownerProject"] == PROJECT
    (plan,) = summary.plans
    _has(plan, ["id", "name", "description", "free", "metadata"], "catalog plan")
    assert plan["id"] == answer["planIds"][0]["planId"]
    assert plan["name"] == "default"


def test_full_and_partial_deployment_shapes(rio):
    answer, package = rio.create("cloud-non-ros.json")
    plan = package.plans[0]
    deployment, _ = rio.deploy(package, "conf-shape", package.get_provision_configuration())
    assert re.fullmatch("dep-" + ID_24, deployment.deploymentId)
    full = rio.client.get_deployment(deployment.deploymentId)
    _has(full, ["deploymentId", "name", "packageId", "packageName", "packageAPIVersion", "planId", "phase",
                "status", "errors", "parameters", "provisionContext", "dependentDeployments", "labels",
                "componentInfo", "componentInstanceIds", "dependentDeploymentStatus", "packageDependencyStatus",
                "inUse", "usedBy", "bindable", "currentGeneration", "lastStatusUpdateTime", "ownerProject",
                "creator", "CreatedAt"], "full deployment")
    assert full.errors is None  # healthy: null, not [] (docs/reference/v1-api.md#deployment-objects)
    assert full.ownerProject == PROJECT
    (info,) = full.componentInfo
    _has(info, ["componentID", "componentInstanceID", "name", "runtime", "status", "phase", "planID",
                "errorCode", "isDeprovisioned", "executableMetaData", "executablesStatusInfo"], "componentInfo")
    assert info["planID"] == plan.planId
    assert info["isDeprovisioned"] is False
    (instance,) = full.componentInstanceIds
    _has(instance, ["componentInstanceId", "componentId", "packageId", "planId"], "componentInstanceIds[]")
    assert re.fullmatch("inst-" + ID_24, instance["componentInstanceId"])
    assert instance["componentInstanceId"] == info["componentInstanceID"]
    assert instance["componentId"] == info["componentID"] == plan.get_component_id("default")
    assert instance["packageId"] == answer["packageId"]

    (partial,) = rio.client.get_all_deployments()
    _has(partial, ["deploymentId", "name", "packageId", "packageName", "planId", "phase", "parameters", "labels",
                   "dependentDeployments", "componentInstanceIds", "inUse", "ownerProject", "creator"],
         "partial deployment")
    assert "status" not in partial  # list entries are partial (docs/reference/v1-api.md#deployment-list)


def test_stopped_deployment_shape(rio):
    _, package = rio.create("nginx-single-component.json")
    deployment, _ = rio.deploy(package, "conf-shape-stopped", package.get_provision_configuration())
    deployment.deprovision()
    stopped = rio.wait_phase(deployment.deploymentId, "Deployment stopped")
    assert stopped.status in ("Deployment not running", "Stopped")
    assert all(info["isDeprovisioned"] is True for info in stopped.componentInfo)


def test_routed_network_shapes(rio):
    network = rio.client.create_cloud_routed_network("conf-shape-net", ROSDistro.MELODIC, True)
    _has(network, ["guid", "name", "runtime", "rosDistro", "shared", "parameters", "internalDeploymentGUID",
                   "internalDeploymentStatus", "ownerProject", "creator", "CreatedAt"], "routed network")
    assert re.fullmatch("net-" + ID_24, network.guid)
    _has(network.internalDeploymentStatus, ["phase", "status", "error_code"], "internalDeploymentStatus")
    assert network.error_code == [] or network.error_code is None
    (listed,) = rio.client.get_all_routed_networks()
    assert "status" not in listed.internalDeploymentStatus  # list entries are partial (docs/reference/v1-api.md#networks)
    assert listed.internalDeploymentGUID == network.internalDeploymentGUID


def test_static_route_shape(rio):
    route = rio.client.create_static_route("conf-shape-route")
    _has(route, ["guid", "urlPrefix", "urlString", "projectGUID", "creator", "metadata", "CreatedAt"],
         "static route")
    assert re.fullmatch("staticroute-" + ID_24, route.guid)
    assert route.projectGUID == PROJECT
    fetched = rio.client.get_static_route(route.guid)
    assert fetched.urlString and "conf-shape-route" in fetched.urlString


def test_device_shapes(rio):
    device = rio.client.get_device(DOCKER_AMD64)
    _has(device, ["uuid", "name", "status", "description", "labels", "config_variables", "registration_time",
                  "last_online", "created_by", "error_code", "host", "ip_interfaces"], "device")
    # the SDK turns the wire field device_version into python_version (docs/reference/v1-api.md#sdk-quirks)
    assert isinstance(device.python_version, DevicePythonVersion)
    for variable in device.config_variables:
        _has(variable, ["id", "key", "value"], "config variable %s" % variable.get("key"))
    for label in device.labels:
        _has(label, ["id", "key", "value"], "label")
    (listed,) = [d for d in rio.client.get_all_devices() if d.uuid == DOCKER_AMD64]
    _has(listed, ["uuid", "name", "status", "config_variables", "labels"], "listed device")
