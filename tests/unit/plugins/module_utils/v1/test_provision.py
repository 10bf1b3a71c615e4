# Copyright: (c) 2026, rapyuta.rio contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""ProvisionConfig against the reference: every SDK method, every client-side rule
(docs/reference/v1-api.md#provisioning-rules), the exact wire body of the examples
(docs/reference/v1-api.md#provision-example), and the round trip body -> stored deployment ->
normalized form."""

import copy
import json
import os

import pytest

from ansible_collections.rapyuta.rio.plugins.module_utils.v1.constants import PERSISTENT_VOLUME_PACKAGE
from ansible_collections.rapyuta.rio.plugins.module_utils.v1.provision import (
    CONTEXT_RECORD_LABEL,
    ProvisionConfig,
    ProvisionError,
    context_digest,
    context_only,
    declares_context,
    diff_states,
    list_entry_suffices,
    normalize_body,
    normalize_deployment,
    user_labels,
    with_context_of,
)

from package_fakes import MANIFESTS
PACKAGE_ID = "pkg-aaaaaaaaaaaaaaaaaaaaaaaa"
PLAN_ID = "plan-bbbbbbbbbbbbbbbbbbbbbbbb"
COMPONENT_ID = "cccccccccccccccccccccccc"
DEVICE_ID = "7f0c1f0e-0000-4000-8000-000000000001"


def stored_package(manifest_name, edit=None):
    """A manifest in the stored shape (docs/reference/v1-api.md#stored-package), with the example's ids.

    The first component gets COMPONENT_ID; the others ``<COMPONENT_ID[:-1]><index>``.
    """
    with open(os.path.join(MANIFESTS, manifest_name)) as handle:
        info = json.load(handle)
    if edit:
        edit(info)
    info["guid"] = PACKAGE_ID
    info["packageName"] = info.pop("name")
    for plan_index, plan in enumerate(info["plans"]):
        plan["planId"] = PLAN_ID if plan_index == 0 else "plan-%d" % plan_index
        plan["planName"] = plan.pop("name")
        components = plan["components"]
        plan["internalComponents"] = [
            {"componentId": COMPONENT_ID if index == 0 else COMPONENT_ID[:-1] + str(index),
             "componentName": comp["name"], "runtime": comp["requiredRuntime"]}
            for index, comp in enumerate(components)]
        for comp in components:
            for exe_index, exe in enumerate(comp.get("executables") or []):
                exe["id"] = "exec-%s-%d" % (comp["name"], exe_index)
        plan["components"] = {"components": components}
        plan["inboundROSInterfaces"] = {"inboundROSInterfaces": plan.get("inboundROSInterfaces")}
    return info


def device(uuid=DEVICE_ID, name="robot-1", **config):
    """A device and its configuration variables as the device manager returns them (docs/reference/v1-api.md#devices)."""
    variables = [{"id": index, "key": key, "value": value, "type": "string"}
                 for index, (key, value) in enumerate(sorted(config.items()))]
    return {"uuid": uuid, "name": name, "status": "ONLINE", "config_variables": variables}


def docker_device(**extra):
    config = dict(runtime="dockercompose", ros_distro="melodic", rosbag_mount_path="/opt/rapyuta/volumes/rosbag")
    config.update(extra)
    return device(**config)


def preinstalled_device(**extra):
    config = dict(runtime="preinstalled", ros_distro="melodic", ros_workspace="/home/rapyuta/catkin_ws")
    config.update(extra)
    return device(uuid="7f0c1f0e-0000-4000-8000-000000000002", name="robot-pre", **config)


def stored_deployment(body, deployment_id="dep-hhhhhhhhhhhhhhhhhhhhhhhh"):
    """What a server keeps for a provision body (docs/reference/v1-api.md#deployment-objects): provisionContext + parameters."""
    context = copy.deepcopy(body["context"])
    return {
        "deploymentId": deployment_id, "name": context["name"], "packageId": body["service_id"],
        "planId": body["plan_id"], "phase": "Succeeded", "status": "Running", "errors": None,
        "parameters": copy.deepcopy(body["parameters"]), "provisionContext": context,
        "labels": copy.deepcopy(context["labels"]), "dependentDeployments": copy.deepcopy(context["dependentDeployments"]),
        "componentInfo": [], "componentInstanceIds": [],
    }


def fast_talker(composed=False):
    """fast-talker-device-docker-with-rosbags, its executable made a docker one as the name says.

    ``composed``: the component of docs/reference/v1-api.md#provision-example -- no package ROS bag jobs, an endpoint 'ep'.
    """
    def edit(manifest):
        comp = manifest["plans"][0]["components"][0]
        comp["executables"][0]["docker"] = "quay.io/rapyuta/io_tutorials:latest"
        if composed:
            comp["rosBagJobDefs"] = []
            comp["cloudInfra"] = {"replicas": 1, "endpoints": [{"name": "ep", "exposeExternally": True, "port": 443,
                                                                "targetPort": 80, "proto": "HTTPS"}]}
    return stored_package("fast-talker-device-docker-with-rosbags.json", edit)


def composed_package():
    return fast_talker(composed=True)


def composed_config():
    """The builder calls that make the body of docs/reference/v1-api.md#provision-example."""
    config = ProvisionConfig(composed_package())
    comp = "talker-fast-device"
    robot = docker_device()
    config.add_device(comp, robot, robot["config_variables"])
    config.add_parameter(comp, "RATE", "10")
    config.add_label("env", "test")
    config.add_dependent_deployment({"deploymentId": "dep-eeeeeeeeeeeeeeeeeeeeeeee", "phase": "Succeeded",
                                     "parameters": {}})
    config.mount_volume(comp, device=robot, executable_mounts=[{"exec_name": "talker", "mount_path": "/data"}])
    config.add_routed_network({"guid": "net-ffffffffffffffffffffffff", "runtime": "device", "name": "fleet"},
                              network_interface="docker0")
    config.add_restart_policy(comp, "on_failure")
    config.add_static_route(comp, "ep", {"guid": "staticroute-gggggggggggggggggggggggg", "urlPrefix": "front"})
    config.add_rosbag_job(comp, {"name": "rb", "recordOptions": {"allTopics": True},
                                 "uploadOptions": {"uploadType": "OnDemand"}})
    return config


# -- the exact wire body -------------------------------------------------------------------------------
def test_composed_example_body_is_exact():
    body = composed_config().to_body("my-deployment")
    assert body == {
        "service_id": PACKAGE_ID,
        "plan_id": PLAN_ID,
        "api_version": "1.0.0",
        "instance_id": "instanceId",
        "organization_guid": "organizationGuid",
        "space_guid": "spaceGuid",
        "accepts_incomplete": True,
        "parameters": {
            "global": {"device_ids": [DEVICE_ID]},
            COMPONENT_ID: {
                "component_id": COMPONENT_ID,
                "RATE": "10",
                "device_id": DEVICE_ID,
                "runtime": "dockercompose",
                "ros_distro": "melodic",
                "rosbag_mount_path": "/opt/rapyuta/volumes/rosbag",
            },
        },
        "context": {
            "name": "my-deployment",
            "labels": [{"key": "env", "value": "test"}],
            "dependentDeployments": [{"dependentDeploymentId": "dep-eeeeeeeeeeeeeeeeeeeeeeee",
                                      "applicableComponentId": "", "config": {}}],
            "diskMountInfo": [{"diskResourceId": DEVICE_ID, "applicableComponentId": COMPONENT_ID,
                               "config": {"mountPaths": {"talker": {"mountPath": "/data", "subPath": "/"}}}}],
            "routedNetworks": [{"guid": "net-ffffffffffffffffffffffff",
                                "bindParameters": {"NETWORK_INTERFACE": "docker0"}}],
            "nativeNetworks": [],
            "component_context": {
                COMPONENT_ID: {
                    "component_override": {"restart_policy": "on-failure"},
                    "static_route_config": {"ep": "staticroute-gggggggggggggggggggggggg"},
                    "ros_bag_job_defs": [{"name": "rb", "recordOptions": {"allTopics": True},
                                          "uploadOptions": {"maxUploadRate": 1048576, "purgeAfter": False,
                                                            "uploadType": "OnDemand"}}],
                },
            },
        },
    }


def test_body_never_carries_the_sdk_leaks_and_is_pure():
    config = composed_config()
    first = config.to_body("my-deployment")
    second = config.to_body("other")
    assert "_devices" not in first and "_is_provisioned" not in first
    assert "token" not in json.dumps(first).lower()
    assert first["context"]["name"] == "my-deployment" and second["context"]["name"] == "other"
    first["context"]["name"] = "other"
    assert first == second  # building a body changes nothing in the configuration


def scoped_config(cloud_alias="cloudalias"):
    config = ProvisionConfig(stored_package("scoped-targeted.json"))
    config.set_component_alias("cloudping", cloud_alias, set_ros_namespace=True)
    config.add_device("devicepong", preinstalled_device())
    return config


def test_scoped_targeted_example_keeps_aliases():
    body = scoped_config().to_body("pingpong")
    cloud, dev = COMPONENT_ID, COMPONENT_ID[:-1] + "1"
    assert body["parameters"][cloud] == {"component_id": cloud, "ROS_PKG": "pingpong",
                                         "ROS_LAUNCH_FILE": "pingst.launch",
                                         "bridge_params": {"alias": "cloudalias", "setROSNamespace": True}}
    assert body["parameters"][dev]["bridge_params"] == {"alias": "robot-pre", "setROSNamespace": False}
    assert body["parameters"][dev]["ros_workspace"] == "/home/rapyuta/catkin_ws"
    assert body["context"]["component_context"] == {dev: {}}  # empty entry for the device component


def test_aliases_are_stripped_when_the_plan_does_not_need_them():
    config = ProvisionConfig(stored_package("nginx-single-component.json"))
    config.set_component_alias("nginx", "front", set_ros_namespace=True)
    body = config.to_body("web")
    assert body["parameters"] == {"global": {}, COMPONENT_ID: {"component_id": COMPONENT_ID}}
    assert body["context"]["component_context"] == {}


def test_default_alias_is_the_component_name_or_the_device_name():
    config = scoped_config(cloud_alias="")
    params = config.to_body("pingpong")["parameters"]
    assert params[COMPONENT_ID]["bridge_params"]["alias"] == "cloudping"
    config = ProvisionConfig(stored_package("scoped-targeted.json"))
    config.add_device("devicepong", preinstalled_device(), set_component_alias=False)
    assert config.to_body("pingpong")["parameters"][COMPONENT_ID[:-1] + "1"]["bridge_params"]["alias"] == "devicepong"


# -- plans and construction (docs/reference/v1-api.md#plans) ---------------------------------------------
def two_plans():
    def edit(manifest):
        second = copy.deepcopy(manifest["plans"][0])
        second["name"] = "large"
        manifest["plans"].append(second)
    return stored_package("nginx-single-component.json", edit)


@pytest.mark.parametrize("plan, plan_id", [(None, PLAN_ID), ("default", PLAN_ID), ("large", "plan-1"),
                                           ("plan-1", "plan-1")])
def test_plan_by_id_or_name_defaults_to_the_first(plan, plan_id):
    assert ProvisionConfig(two_plans(), plan=plan).to_body("d")["plan_id"] == plan_id


def test_unknown_plan_lists_the_plans():
    with pytest.raises(ProvisionError) as err:
        ProvisionConfig(two_plans(), plan="huge")
    assert (err.value.component, err.value.field) == (None, "plan")
    assert "default (%s)" % PLAN_ID in err.value.message and "large (plan-1)" in err.value.message


def test_a_package_without_plans_or_component_ids_is_refused():
    package = stored_package("nginx-single-component.json")
    with pytest.raises(ProvisionError) as err:
        ProvisionConfig(dict(package, plans=[]))
    assert err.value.field == "plan"
    package["plans"][0]["internalComponents"] = []
    with pytest.raises(ProvisionError) as err:
        ProvisionConfig(package)
    assert err.value.component == "nginx" and "internalComponents" in err.value.message


def test_declared_parameters_start_from_their_defaults():
    config = ProvisionConfig(stored_package("scoped-targeted.json"))
    assert config.parameters[COMPONENT_ID]["ROS_PKG"] == "pingpong"


def test_package_rosbag_jobs_are_added_as_stored():
    config = ProvisionConfig(fast_talker())
    config.add_device("talker-fast-device", docker_device())
    jobs = config.to_body("d")["context"]["component_context"][COMPONENT_ID]["ros_bag_job_defs"]
    assert jobs == [{"name": "continuous_upload_type",
                     "recordOptions": {"allTopics": True, "maxSplits": 5, "maxSplitSize": 10},
                     "uploadOptions": {"uploadType": "Continuous", "maxUploadRate": 5242880, "purgeAfter": False}}]


def test_package_rosbag_jobs_on_a_non_ros_component_are_refused():
    def edit(manifest):
        manifest["plans"][0]["components"][0]["rosBagJobDefs"] = [{"name": "j", "recordOptions": {"allTopics": True}}]
    with pytest.raises(ProvisionError) as err:
        ProvisionConfig(stored_package("nginx-single-component.json", edit))
    assert (err.value.component, err.value.field) == ("nginx", "rosbag_jobs")
    assert "package declares" in err.value.message


# -- every rule names its component and field ------------------------------------------------------------
def talker_docker():
    return ProvisionConfig(stored_package("talker-docker.json"))


def talker_preinstalled():
    return ProvisionConfig(stored_package("talker.json"))


def nginx():
    return ProvisionConfig(stored_package("nginx-single-component.json"))


def volume(phase="Succeeded", package_id=PERSISTENT_VOLUME_PACKAGE):
    return {"deploymentId": "dep-vvvvvvvvvvvvvvvvvvvvvvvv", "packageId": package_id, "phase": phase}


def device_volume(config, robot, mounts):
    return config.mount_volume("default", device=robot, executable_mounts=mounts)


RULES = [
    # add_device (docs/reference/v1-api.md#devices-on-components)
    ("unknown component", lambda: talker_docker().add_device("nope", docker_device()), "nope", "device",
     "has no component 'nope'"),
    ("docker executable on a preinstalled device", lambda: talker_docker().add_device("default", preinstalled_device()),
     "default", "device", "must be a dockercompose device"),
    ("preinstalled executable on a docker device", lambda: talker_preinstalled().add_device("default", docker_device()),
     "default", "device", "must be a preinstalled device"),
    ("preinstalled device without ros_workspace",
     lambda: talker_preinstalled().add_device("default", preinstalled_device(ros_workspace="")),
     "default", "device", "ros_workspace is not set"),
    ("preinstalled device without ros_distro",
     lambda: talker_preinstalled().add_device("default", preinstalled_device(ros_distro="")),
     "default", "device", "ros_distro is not set"),
    ("device without uuid", lambda: talker_docker().add_device("default", {"name": "x"}), "default", "device",
     "uuid"),
    # add_parameter, set_component_alias, add_label, add_restart_policy (docs/reference/v1-api.md#provisioning-rules)
    ("empty parameter key", lambda: nginx().add_parameter("nginx", "", "v"), "nginx", "parameters", "non-empty"),
    ("parameter of an unknown component", lambda: nginx().add_parameter("web", "K", "v"), "web", "parameters.K",
     "has no component"),
    ("non-string component name", lambda: nginx().add_parameter(None, "K", "v"), None, "components", "non-empty"),
    ("non-string alias", lambda: nginx().set_component_alias("nginx", 3), "nginx", "alias", "must be a string"),
    ("non-bool namespace flag", lambda: nginx().set_component_alias("nginx", "a", "yes"), "nginx",
     "set_ros_namespace", "boolean"),
    ("empty label value", lambda: nginx().add_label("env", ""), None, "labels.env", "non-empty"),
    ("empty label key", lambda: nginx().add_label("", "x"), None, "labels", "non-empty"),
    ("unknown restart policy", lambda: talker_docker().add_restart_policy("default", "sometimes"), "default",
     "restart_policy", "always, never, on_failure"),
    # networks (docs/reference/v1-api.md#network-attachments)
    ("cloud routed network with an interface",
     lambda: nginx().add_routed_network({"guid": "net-1", "runtime": "cloud", "name": "n"}, "eth0"),
     None, "routed_networks.network_interface", "cloud network"),
    ("cloud native network with an interface",
     lambda: nginx().add_native_network({"guid": "net-2", "runtime": "cloud", "name": "n"}, "eth0"),
     None, "native_networks.network_interface", "cloud network"),
    ("routed network without guid", lambda: nginx().add_routed_network({"name": "n"}), None, "routed_networks",
     "guid"),
    ("native network without guid", lambda: nginx().add_native_network({"name": "n"}), None, "native_networks",
     "guid"),
    # dependencies and volumes (docs/reference/v1-api.md#dependencies-and-volumes)
    ("dependency not ready", lambda: nginx().add_dependent_deployment({"deploymentId": "dep-1", "name": "base",
                                                                       "phase": "In progress"}),
     None, "depends_on", "not ready"),
    ("neither volume nor device", lambda: nginx().mount_volume("nginx", mount_path="/d"), "nginx", "volumes",
     "neither"),
    ("both volume and device", lambda: nginx().mount_volume("nginx", volume=volume(), device=docker_device()),
     "nginx", "volumes", "both"),
    ("not a volume deployment", lambda: nginx().mount_volume("nginx", volume=volume(package_id="pkg-x"),
                                                             mount_path="/d"),
     "nginx", "volumes.volume", PERSISTENT_VOLUME_PACKAGE),
    ("volume not running", lambda: nginx().mount_volume("nginx", volume=volume(phase="In progress"), mount_path="/d"),
     "nginx", "volumes.volume", "not running"),
    ("cloud volume without mount", lambda: nginx().mount_volume("nginx", volume=volume()), "nginx",
     "volumes.mount_path", "exactly one"),
    ("cloud volume with both mounts", lambda: nginx().mount_volume(
        "nginx", volume=volume(), mount_path="/d", executable_mounts=[{"exec_name": "nginx", "mount_path": "/d"}]),
     "nginx", "volumes.mount_path", "exactly one"),
    ("mount of an unknown executable", lambda: nginx().mount_volume(
        "nginx", volume=volume(), executable_mounts=[{"exec_name": "apache", "mount_path": "/d"}]),
     "nginx", "volumes.executable_mounts", "no executable 'apache'"),
    ("mount without mount_path", lambda: nginx().mount_volume(
        "nginx", volume=volume(), executable_mounts=[{"exec_name": "nginx"}]),
     "nginx", "volumes.executable_mounts", "exec_name and mount_path"),
    ("device volume of a device not added", lambda: device_volume(
        talker_docker(), docker_device(), [{"exec_name": "talkerExec", "mount_path": "/d"}]),
     "default", "volumes.device_volume", "must be added to the component"),
    ("device volume without mounts", lambda: device_volume(
        talker_docker().add_device("default", docker_device()), docker_device(), None),
     "default", "volumes.executable_mounts", "non-empty list"),
    ("device volume on a preinstalled device", lambda: device_volume(
        talker_preinstalled().add_device("default", preinstalled_device()), preinstalled_device(),
        [{"exec_name": "talkerExec", "mount_path": "/d"}]),
     "default", "volumes.device_volume", "must be a dockercompose device"),
    ("static route without guid", lambda: nginx().add_static_route("nginx", "test", {"urlPrefix": "x"}),
     "nginx", "static_routes.test", "guid"),
    ("static route on an unknown endpoint", lambda: nginx().add_static_route("nginx", "web", {"guid": "sr-1"}),
     "nginx", "static_routes.web", "its endpoints: test"),
    # ROS bag jobs (docs/reference/v1-api.md#ros-bag-jobs, docs/reference/v1-api.md#ros-bag-options)
    ("rosbag job on a non-ROS component", lambda: nginx().add_rosbag_job(
        "nginx", {"name": "j", "recordOptions": {"allTopics": True}}), "nginx", "rosbag_jobs", "ROS components"),
    ("rosbag job without selector", lambda: talker_docker().add_rosbag_job(
        "default", {"name": "j", "recordOptions": {"maxSplits": 3}}), "default", "rosbag_jobs.j.record_options",
     "all_topics, topics"),
    ("rosbag job without name", lambda: talker_docker().add_rosbag_job(
        "default", {"recordOptions": {"allTopics": True}}), "default", "rosbag_jobs", "non-empty name"),
    ("rosbag job with a bad split duration", lambda: talker_docker().add_rosbag_job(
        "default", {"name": "j", "recordOptions": {"allTopics": True, "maxSplitDuration": 0}}),
     "default", "rosbag_jobs.j.record_options.max_split_duration", "greater than 0"),
    ("rosbag job with a bad compression", lambda: talker_docker().add_rosbag_job(
        "default", {"name": "j", "recordOptions": {"allTopics": True, "compression": "zip"}}),
     "default", "rosbag_jobs.j.record_options.compression", "LZ4 or BZ2"),
    ("rosbag job with a bad upload rate", lambda: talker_docker().add_rosbag_job(
        "default", {"name": "j", "recordOptions": {"allTopics": True}, "uploadOptions": {"maxUploadRate": 0}}),
     "default", "rosbag_jobs.j.upload_options.max_upload_rate", "positive"),
    ("rosbag topic throttled and latched", lambda: talker_docker().add_rosbag_job(
        "default", {"name": "j", "recordOptions": {"allTopics": True}, "overrideOptions": {
            "topicOverrideInfo": [{"topicName": "/a", "recordFrequency": 2, "latched": True}]}}),
     "default", "rosbag_jobs.j.override_options.topic_override_info", "throttled or latched"),
    ("duplicate rosbag job", lambda: talker_docker().add_rosbag_job(
        "default", {"name": "j", "recordOptions": {"allTopics": True}}).add_rosbag_job(
        "default", {"name": "j", "recordOptions": {"topics": ["/a"]}}), "default", "rosbag_jobs.j", "already exists"),
    # validate() and provision (docs/reference/v1-api.md#validation)
    ("device component without device", lambda: talker_docker().to_body("d"), "default", "device",
     "runs on a device"),
    ("rosbag job on a preinstalled device", lambda: talker_preinstalled().add_device(
        "default", preinstalled_device()).add_rosbag_job(
        "default", {"name": "j", "recordOptions": {"allTopics": True}}).to_body("d"),
     "default", "rosbag_jobs", "preinstalled devices"),
    ("rosbag job on a device without rosbag_mount_path", lambda: talker_docker().add_device(
        "default", docker_device(rosbag_mount_path="")).add_rosbag_job(
        "default", {"name": "j", "recordOptions": {"allTopics": True}}).to_body("d"),
     "default", "rosbag_jobs", "rosbag_mount_path"),
    ("declared parameter without value", lambda: nginx_with_required_parameter().to_body("d"), "nginx",
     "parameters.TOKEN_FILE", "no default"),
    ("duplicate aliases", lambda: scoped_config(cloud_alias="robot-pre").to_body("d"), "devicepong", "alias",
     "also the alias of component cloudping"),
    ("alias used by a dependency", lambda: nginx().add_dependent_deployment(
        {"deploymentId": "dep-1", "phase": "Succeeded",
         "parameters": {"x": {"bridge_params": {"alias": "nginx"}}}}).to_body("d"),
     "nginx", "alias", "already used by a dependent deployment"),
    ("empty deployment name", lambda: nginx().to_body(""), None, "name", "non-empty"),
]


def nginx_with_required_parameter():
    def edit(manifest):
        manifest["plans"][0]["components"][0]["parameters"] = [{"name": "TOKEN_FILE", "default": ""}]
    return ProvisionConfig(stored_package("nginx-single-component.json", edit))


@pytest.mark.parametrize("call, component, field, fragment", [rule[1:] for rule in RULES],
                         ids=[rule[0] for rule in RULES])
def test_every_rule_names_component_and_field(call, component, field, fragment):
    with pytest.raises(ProvisionError) as err:
        call()
    assert (err.value.component, err.value.field) == (component, field)
    assert fragment in err.value.message
    assert str(err.value).startswith(err.value.path + ": ")


# -- what the methods put in the body -----------------------------------------------------------------------
def test_device_configuration_is_copied_except_what_the_device_cannot_use():
    robot = docker_device(ros_workspace="/ws", custom_key="custom")
    config = talker_docker().add_device("default", robot, ignore_device_config=["rosbag_mount_path"])
    params = config.parameters[COMPONENT_ID]
    assert params["custom_key"] == "custom" and params["device_id"] == DEVICE_ID
    assert "ros_workspace" not in params  # a docker-only device has no workspace
    assert "rosbag_mount_path" not in params  # ignored by the caller


def test_preinstalled_device_drops_rosbag_mount_path_and_new_style_flags_count():
    params = talker_preinstalled().add_device(
        "default", preinstalled_device(rosbag_mount_path="/bags")).parameters[COMPONENT_ID]
    assert "rosbag_mount_path" not in params and params["ros_workspace"] == "/home/rapyuta/catkin_ws"
    flags = device(runtime_docker="True", runtime_preinstalled="False", ros_distro="noetic")
    assert talker_docker().add_device("default", flags).parameters[COMPONENT_ID]["runtime_docker"] == "True"


def test_ignored_ros_workspace_skips_its_check_and_non_ros_components_lose_ros_distro():
    config = talker_preinstalled().add_device("default", preinstalled_device(ros_workspace=""),
                                              ignore_device_config=["ros_workspace"])
    assert "ros_workspace" not in config.parameters[COMPONENT_ID]
    params = ProvisionConfig(stored_package("device-volume.json")).add_device(
        "default", docker_device()).parameters[COMPONENT_ID]
    assert "ros_distro" not in params


def test_config_variables_default_to_the_devices_own():
    robot = docker_device()
    explicit = talker_docker().add_device("default", robot, robot["config_variables"]).to_body("d")
    assert talker_docker().add_device("default", robot).to_body("d") == explicit


def test_each_add_device_appends_to_the_global_device_ids():
    def edit(manifest):
        second = copy.deepcopy(manifest["plans"][0]["components"][0])
        second["name"] = "second"
        manifest["plans"][0]["components"].append(second)
    config = ProvisionConfig(stored_package("talker-docker.json", edit))
    config.add_device("default", docker_device()).add_device("second", docker_device())
    assert config.to_body("d")["parameters"]["global"] == {"device_ids": [DEVICE_ID, DEVICE_ID]}


def test_parameters_accept_any_key_and_keep_the_value_as_given():
    body = nginx().add_parameter("nginx", "EXTRA", 5).add_parameter("nginx", "EXTRA2", "x").to_body("d")
    assert body["parameters"][COMPONENT_ID] == {"component_id": COMPONENT_ID, "EXTRA": 5, "EXTRA2": "x"}


@pytest.mark.parametrize("spelling, wire", [("always", "always"), ("Always", "always"), ("never", "no"),
                                            ("no", "no"), ("on_failure", "on-failure"), ("OnFailure", "on-failure"),
                                            ("on-failure", "on-failure")])
def test_restart_policy_spellings(spelling, wire):
    body = talker_docker().add_device("default", docker_device()).add_restart_policy("default", spelling).to_body("d")
    assert body["context"]["component_context"][COMPONENT_ID] == {"component_override": {"restart_policy": wire}}


def test_labels_keep_their_order():
    body = nginx().add_label("b", "2").add_label("a", "1").to_body("d")
    assert body["context"]["labels"] == [{"key": "b", "value": "2"}, {"key": "a", "value": "1"}]


def test_networks_are_added_once_and_the_interface_is_overwritten():
    device_net = {"guid": "net-d", "runtime": "device", "name": "dn"}
    config = nginx().add_routed_network(device_net).add_routed_network({"guid": "net-c", "runtime": "cloud", "name": "cn"})
    config.add_routed_network(device_net, network_interface="wlan0")
    config.add_native_network({"guid": "net-n", "runtime": "cloud", "name": "nn"})
    config.add_native_network({"guid": "net-m", "runtime": "device", "name": "mm"})  # no interface: allowed
    context = config.to_body("d")["context"]
    assert context["routedNetworks"] == [{"guid": "net-d", "bindParameters": {"NETWORK_INTERFACE": "wlan0"}},
                                         {"guid": "net-c"}]
    assert context["nativeNetworks"] == [{"guid": "net-n"}, {"guid": "net-m"}]


def test_dependency_readiness_can_be_left_to_the_caller_and_aliases_spread():
    base = {"deploymentId": "dep-1", "phase": "In progress",
            "parameters": {"global": {}, "c1": {"bridge_params": {"alias": "base"}}}}
    config = nginx().add_dependent_deployment(base, ready_phases=None)
    body = config.to_body("d")
    assert body["context"]["dependentDeployments"] == [
        {"dependentDeploymentId": "dep-1", "applicableComponentId": "", "config": {}}]
    # the dependency has aliases, so this plan needs them too (docs/reference/v1-api.md#dependencies-and-volumes)
    assert body["parameters"][COMPONENT_ID]["bridge_params"] == {"alias": "nginx", "setROSNamespace": False}


def test_cloud_volume_by_path_or_per_executable():
    body = nginx().mount_volume("nginx", volume=volume(), mount_path="/data").to_body("d")
    assert body["context"]["dependentDeployments"] == [{"dependentDeploymentId": "dep-vvvvvvvvvvvvvvvvvvvvvvvv",
                                                        "applicableComponentId": COMPONENT_ID,
                                                        "config": {"mountPath": "/data"}}]
    mounts = [{"exec_name": "nginx", "mount_path": "/data", "sub_path": "site"}]
    body = nginx().mount_volume("nginx", volume=volume(phase="Provisioning"), executable_mounts=mounts,
                                ready_phases=None).to_body("d")
    assert body["context"]["dependentDeployments"][0]["config"] == {
        "mountPaths": {"nginx": {"mountPath": "/data", "subPath": "site"}}}
    body = nginx().mount_volume("nginx", volume=volume(), executable_mounts=[
        {"exec_name": "nginx", "mount_path": "/data"}]).to_body("d")
    assert body["context"]["dependentDeployments"][0]["config"] == {"mountPaths": {"nginx": {"mountPath": "/data"}}}


def test_device_volume_keeps_a_given_sub_path():
    config = ProvisionConfig(stored_package("device-volume.json")).add_device("default", docker_device())
    config.mount_volume("default", device=docker_device(),
                        executable_mounts=[{"exec_name": "nginx", "mount_path": "/usr/share/nginx/html",
                                            "sub_path": "/home/rapyuta/www"}])
    assert config.to_body("d")["context"]["diskMountInfo"] == [{
        "diskResourceId": DEVICE_ID, "applicableComponentId": COMPONENT_ID,
        "config": {"mountPaths": {"nginx": {"mountPath": "/usr/share/nginx/html", "subPath": "/home/rapyuta/www"}}}}]


def test_rosbag_jobs_are_added_with_upload_defaults_and_removed_by_name():
    config = talker_docker().add_device("default", docker_device())
    config.add_rosbag_job("default", {"name": "a", "recordOptions": {"topics": ["/t"]},
                                      "uploadOptions": {"uploadType": "OnStop"},
                                      "overrideOptions": {"excludeTopics": ["/x"]}})
    config.add_rosbag_job("default", {"name": "b", "recordOptions": {"node": "/talker"}})
    jobs = config.to_body("d")["context"]["component_context"][COMPONENT_ID]["ros_bag_job_defs"]
    assert jobs == [{"name": "a", "recordOptions": {"topics": ["/t"]},
                     "uploadOptions": {"maxUploadRate": 1048576, "purgeAfter": False, "uploadType": "OnStop"},
                     "overrideOptions": {"excludeTopics": ["/x"]}},
                    {"name": "b", "recordOptions": {"node": "/talker"}}]
    config.remove_rosbag_job("default", "a")
    jobs = config.to_body("d")["context"]["component_context"][COMPONENT_ID]["ros_bag_job_defs"]
    assert [job["name"] for job in jobs] == ["b"]
    assert nginx().remove_rosbag_job("nginx", "none").to_body("d")["context"]["component_context"] == {}


def test_a_package_rosbag_job_can_be_replaced():
    config = ProvisionConfig(fast_talker())
    config.add_device("talker-fast-device", docker_device())
    config.remove_rosbag_job("talker-fast-device", "continuous_upload_type")
    config.add_rosbag_job("talker-fast-device", {"name": "continuous_upload_type", "recordOptions": {"allTopics": True}})
    jobs = config.to_body("d")["context"]["component_context"][COMPONENT_ID]["ros_bag_job_defs"]
    assert jobs == [{"name": "continuous_upload_type", "recordOptions": {"allTopics": True}}]


# -- normalized state and round trip -------------------------------------------------------------------------
def test_round_trip_of_the_composed_example():
    package = composed_package()
    body = composed_config().to_body("my-deployment")
    desired = normalize_body(body, package)
    assert normalize_deployment(stored_deployment(body), package) == desired
    assert diff_states(desired, normalize_deployment(stored_deployment(body), package)) == []
    assert desired == {
        "package_id": PACKAGE_ID,
        "plan_id": PLAN_ID,
        "labels": {"env": "test"},
        "depends_on": ["dep-eeeeeeeeeeeeeeeeeeeeeeee"],
        "routed_networks": {"net-ffffffffffffffffffffffff": {"network_interface": "docker0"}},
        "native_networks": {},
        "components": {"talker-fast-device": {
            "device": DEVICE_ID,
            "parameters": {"RATE": "10"},  # the device configuration is folded away
            "alias": None,
            "set_ros_namespace": None,
            "restart_policy": "on-failure",
            "static_routes": {"ep": "staticroute-gggggggggggggggggggggggg"},
            "rosbag_jobs": {"rb": {"recordOptions": {"allTopics": True},
                                   "uploadOptions": {"maxUploadRate": 1048576, "purgeAfter": False,
                                                     "uploadType": "OnDemand"}}},
            "volumes": [{"device": DEVICE_ID, "executable_mounts": {"talker": {"mount_path": "/data",
                                                                               "sub_path": "/"}}}],
        }},
    }


def test_round_trip_with_aliases_cloud_volumes_and_networks():
    package = stored_package("scoped-targeted.json")
    config = scoped_config()
    config.mount_volume("cloudping", volume=volume(), executable_mounts=[{"exec_name": "cloudy", "mount_path": "/d"}])
    config.add_native_network({"guid": "net-n", "runtime": "cloud", "name": "nn"})
    body = config.to_body("pingpong")
    desired = normalize_body(body, package)
    assert normalize_deployment(stored_deployment(body), package) == desired
    cloud = desired["components"]["cloudping"]
    assert (cloud["alias"], cloud["set_ros_namespace"]) == ("cloudalias", True)
    assert cloud["volumes"] == [{"volume": "dep-vvvvvvvvvvvvvvvvvvvvvvvv", "mount_path": None,
                                 "executable_mounts": {"cloudy": {"mount_path": "/d", "sub_path": None}}}]
    assert desired["depends_on"] == [] and desired["native_networks"] == {"net-n": {"network_interface": None}}
    assert desired["components"]["devicepong"]["parameters"] == {}


def test_a_server_that_enriches_what_it_stores_still_compares_equal():
    package = composed_package()
    body = composed_config().to_body("my-deployment")
    live = stored_deployment(body)
    live["parameters"]["global"]["broker"] = {"url": "amqp://x"}
    live["parameters"][COMPONENT_ID]["ROS_MASTER_URI"] = "http://localhost:11311"
    live["parameters"]["some-internal"] = {"x": 1}
    job = live["provisionContext"]["component_context"][COMPONENT_ID]["ros_bag_job_defs"][0]
    job["recordOptions"].update(chunkSize=100, maxSplits=5, prefix="rb")
    live["provisionContext"]["internal"] = {"x": 1}
    assert diff_states(normalize_body(body, package), normalize_deployment(live, package)) == []


def test_numbers_compare_as_the_strings_executables_get():
    package = stored_package("nginx-single-component.json")
    desired = normalize_body(nginx().add_parameter("nginx", "N", 10).to_body("d"), package)
    live = stored_deployment(nginx().add_parameter("nginx", "N", "10").to_body("d"))
    assert diff_states(desired, normalize_deployment(live, package)) == []


def test_labels_and_dependencies_from_the_top_level_when_the_context_lacks_them():
    package = stored_package("nginx-single-component.json")
    body = nginx().add_label("env", "a").to_body("d")
    live = stored_deployment(body)
    del live["provisionContext"]["labels"]
    del live["provisionContext"]["dependentDeployments"]
    assert normalize_deployment(live, package) == normalize_body(body, package)


def test_diff_names_each_changed_field():
    package = composed_package()
    before = composed_config().to_body("my-deployment")
    config = composed_config()
    config.add_parameter("talker-fast-device", "RATE", "20")
    config.add_label("extra", "x")
    config.add_restart_policy("talker-fast-device", "always")
    after = config.to_body("my-deployment")
    differences = diff_states(normalize_body(after, package), normalize_deployment(stored_deployment(before), package))
    assert differences == [
        {"field": "components.talker-fast-device.parameters.RATE", "desired": "20", "live": "10"},
        {"field": "components.talker-fast-device.restart_policy", "desired": "always", "live": "on-failure"},
        {"field": "labels.extra", "desired": "x", "live": None},
    ]


def test_diff_reports_removed_labels_networks_and_volumes():
    package = stored_package("nginx-single-component.json")
    live = stored_deployment(nginx().add_label("env", "a").add_routed_network({"guid": "net-1", "runtime": "cloud"})
                             .mount_volume("nginx", volume=volume(), mount_path="/d").to_body("d"))
    desired = normalize_body(nginx().to_body("d"), package)
    fields = [item["field"] for item in diff_states(desired, normalize_deployment(live, package))]
    assert fields == ["components.nginx.volumes", "labels.env", "routed_networks.net-1"]


def test_another_device_is_a_difference():
    package = stored_package("talker-docker.json")
    other = docker_device()
    other["uuid"] = "7f0c1f0e-0000-4000-8000-000000000009"
    live = stored_deployment(talker_docker().add_device("default", other).to_body("d"))
    desired = normalize_body(talker_docker().add_device("default", docker_device()).to_body("d"), package)
    assert [item["field"] for item in diff_states(desired, normalize_deployment(live, package))] == [
        "components.default.device"]


def test_a_live_deployment_of_another_plan_shows_the_plan():
    package = two_plans()
    live = stored_deployment(ProvisionConfig(package, plan="large").to_body("d"))
    desired = normalize_body(ProvisionConfig(package).to_body("d"), package)
    assert [item["field"] for item in diff_states(desired, normalize_deployment(live, package))] == ["plan_id"]


# -- the record of the provisioning context (CONTEXT_RECORD_LABEL) ----------------------------------
def normalized_form(networks=None, restart_policy=None, labels=None, parameters=None):
    return {"package_id": "pkg-1", "plan_id": "plan-1", "labels": labels or {}, "depends_on": [],
            "routed_networks": networks or {}, "native_networks": {},
            "components": {"talker": {"device": DEVICE_ID, "parameters": parameters or {}, "alias": None,
                                      "set_ros_namespace": None, "restart_policy": restart_policy,
                                      "static_routes": {}, "rosbag_jobs": {}, "volumes": []}}}


def test_the_digest_covers_the_context_only_and_ignores_key_order():
    base = normalized_form({"net-a": {"network_interface": None}, "net-b": {"network_interface": "eth0"}})
    reordered = normalized_form(dict(reversed(list(base["routed_networks"].items()))))
    assert context_digest(base) == context_digest(reordered)
    assert context_digest(base) == context_digest(dict(base, labels={"a": "b"}, package_id="pkg-2"))
    assert context_digest(base) != context_digest(normalized_form({"net-a": {"network_interface": None}}))
    assert context_digest(normalized_form(restart_policy="always")) != context_digest(normalized_form())
    assert declares_context(base) and declares_context(normalized_form(restart_policy="always"))
    assert not declares_context(normalized_form())
    assert context_only(base)["components"] == {"talker": {"restart_policy": None, "static_routes": {},
                                                           "rosbag_jobs": {}, "volumes": []}}


def test_a_list_entry_suffices_when_its_record_matches_or_nothing_needs_one():
    desired = normalized_form({"net-a": {"network_interface": None}})
    recorded = {"labels": [{"key": "site", "value": "north"}, {"key": CONTEXT_RECORD_LABEL, "value": context_digest(desired)}]}
    assert list_entry_suffices(recorded, desired)
    assert not list_entry_suffices(recorded, normalized_form())
    assert not list_entry_suffices({"labels": [{"key": "site", "value": "north"}]}, desired)
    assert list_entry_suffices({"labels": None}, normalized_form())


def test_with_context_of_takes_the_context_part_only():
    listed = normalized_form(labels={"site": "north"}, parameters={"RATE": "10"})
    source = normalized_form({"net-a": {"network_interface": None}}, restart_policy="always",
                             parameters={"RATE": "20"})
    merged = with_context_of(listed, source)
    assert merged["routed_networks"] == source["routed_networks"]
    assert merged["components"]["talker"]["restart_policy"] == "always"
    assert merged["components"]["talker"]["parameters"] == {"RATE": "10"} and merged["labels"] == {"site": "north"}
    assert listed == normalized_form(labels={"site": "north"}, parameters={"RATE": "10"})  # not changed in place
    copied = copy.deepcopy(merged)
    source["routed_networks"]["net-a"]["network_interface"] = "eth0"
    assert merged == copied


def test_user_labels_leave_the_record_out():
    wire = [{"key": "site", "value": "north"}, {"key": CONTEXT_RECORD_LABEL, "value": "ab" * 20}]
    assert user_labels(wire) == {"site": "north"}
    assert user_labels({"site": "north"}) == {"site": "north"} and user_labels(None) == {}
