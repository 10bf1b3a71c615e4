# Copyright: (c) 2026, rapyuta.rio contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""ProvisionConfig: the SDK's ProvisionConfiguration as plain data, its wire body, and its comparison.
FOR INTERNAL COLLECTION USE ONLY: may change in any release.

The builder takes plain dicts as the API returns them (stored package, device, configuration
variables, networks, static routes, deployments), applies the client-side rules of the SDK
(docs/reference/v1-api.md#provisioning-rules) and emits exactly the provision body
(docs/reference/v1-api.md#provision-body) -- without the SDK's leaked ``_devices`` (which carries
the bearer token) and ``_is_provisioned``.

Every rule failure is a ProvisionError naming the component, the field (in the collection's
option vocabulary: ``device``, ``parameters.RATE``, ``volumes.mount_path``...) and the reason.

The second half turns a body, or a live deployment, into one normalized desired-state form
(component names instead of ids, labels as a dict, sorted lists, device configuration folded
away) so that a deployment compares equal to the body that created it, and diffs two such forms.
"""

import copy
import hashlib
import json

from ansible_collections.rapyuta.rio.plugins.module_utils.v1.constants import (
    PERSISTENT_VOLUME_PACKAGE,
    PHASE_SUCCEEDED,
    RestartPolicy,
    Runtime,
)
from ansible_collections.rapyuta.rio.plugins.module_utils.transport.client import RioError
from ansible_collections.rapyuta.rio.plugins.module_utils.v1.manifest import canonical_list, plan_components

DOCKER_COMPOSE = "dockercompose"
PRE_INSTALLED = "preinstalled"

# Body constants the SDK sends literally (docs/reference/v1-api.md#provision-body).
API_VERSION = "1.0.0"
INSTANCE_ID = "instanceId"
ORGANIZATION_GUID = "organizationGuid"
SPACE_GUID = "spaceGuid"

# Upload defaults the SDK's UploadOptions constructor fills in (docs/reference/v1-api.md#ros-bag-options).
UPLOAD_DEFAULTS = {"maxUploadRate": 1048576, "purgeAfter": False, "uploadType": "OnDemand"}
UPLOAD_TYPES = ("OnStop", "Continuous", "OnDemand")
COMPRESSIONS = ("LZ4", "BZ2")
RECORD_SELECTORS = ("allTopics", "topics", "topicIncludeRegex", "node")


class ProvisionError(RioError):
    """A provisioning rule failed. ``component`` is None for deployment-wide fields."""

    def __init__(self, component, field, message):
        self.component = component
        self.field = field
        self.message = message
        super().__init__("%s: %s" % (self.path, message))

    @property
    def path(self):
        parts = ["components", self.component] if self.component else []
        if self.field:
            parts.append(self.field)
        return ".".join(parts) or "deployment"


# -- small readers of API dicts ---------------------------------------------------------------------
def _is_true(value):
    """Flags the API stores either as booleans or as strings: device runtime flags ("True", docs/reference/v1-api.md#devices-on-components),
    ROS interface scoped/targeted ("true", docs/reference/v1-api.md#aliases)."""
    return value is True or (isinstance(value, str) and value.lower() == "true")


def _config_map(config_variables):
    return dict((var.get("key"), var.get("value")) for var in config_variables or [] if var.get("key"))


def device_capabilities(config):
    """(docker_capable, preinstalled_capable) of a device's configuration-variable map."""
    runtime = config.get("runtime")
    return (runtime == DOCKER_COMPOSE or _is_true(config.get("runtime_docker")),
            runtime == PRE_INSTALLED or _is_true(config.get("runtime_preinstalled")))


def is_docker_executable(executable):
    return bool(executable.get("buildGUID") or executable.get("gitExecutable") or executable.get("docker"))


# -- the stored plan (docs/reference/v1-api.md#stored-package) --------------------------------------
def component_ids(plan):
    """{component name: component id} from the plan's internalComponents."""
    return dict((item.get("componentName"), item.get("componentId")) for item in plan.get("internalComponents") or [])


def select_plan(package_info, plan=None):
    """The plan with this id or name; the first plan by default (docs/reference/v1-api.md#plans)."""
    plans = package_info.get("plans") or []
    if not plans:
        raise ProvisionError(None, "plan", "package %s has no plans" % _package_id(package_info))
    if not plan:
        return plans[0]
    for candidate in plans:
        if plan in (candidate.get("planId"), candidate.get("planName"), candidate.get("name")):
            return candidate
    raise ProvisionError(None, "plan", "plan %r not found in package %s; plans: %s" % (
        plan, _package_id(package_info),
        ", ".join("%s (%s)" % (p.get("planName") or p.get("name"), p.get("planId")) for p in plans)))


def _package_id(package_info):
    return package_info.get("guid") or package_info.get("packageId")


def _inbound_interfaces(plan):
    inbound = plan.get("inboundROSInterfaces") or {}
    # Stored packages nest it once more (docs/reference/v1-api.md#stored-package); a manifest-shaped plan does not.
    if "inboundROSInterfaces" in inbound:
        inbound = inbound["inboundROSInterfaces"] or {}
    return inbound


def plan_needs_aliases(plan):
    """True when the plan uses scoped or targeted ROS interfaces (docs/reference/v1-api.md#aliases)."""
    inbound = _inbound_interfaces(plan)
    if inbound.get("anyIncomingScopedOrTargetedRosConfig") is True:
        return True
    for kind in ("topics", "services", "actions"):
        for item in inbound.get(kind) or []:
            if _is_true(item.get("targeted")) or _is_true(item.get("scoped")):
                return True
    for component in plan_components(plan):
        ros = component.get("ros") or {}
        for kind in ("topics", "services", "actions"):
            for item in ros.get(kind) or []:
                if _is_true(item.get("targeted")) or _is_true(item.get("scoped")):
                    return True
    return False


# -- ROS bag jobs (docs/reference/v1-api.md#ros-bag-options) ----------------------------------------
def check_rosbag_job(component, job):
    """The SDK's ROSBagJob/ROSBagOptions/UploadOptions/TopicOverrideInfo checks, on the wire form."""
    field = "rosbag_jobs"
    if not isinstance(job, dict) or not isinstance(job.get("name"), str) or not job.get("name"):
        raise ProvisionError(component, field, "a ROS bag job needs a non-empty name, got %r" % (job,))
    field = "rosbag_jobs.%s" % job["name"]
    record = job.get("recordOptions")
    if not isinstance(record, dict) or not any(record.get(key) for key in RECORD_SELECTORS):
        raise ProvisionError(component, field + ".record_options",
                             "one of all_topics, topics, topic_include_regex or node is required")
    if record.get("compression") and record["compression"] not in COMPRESSIONS:
        raise ProvisionError(component, field + ".record_options.compression",
                             "must be LZ4 or BZ2, got %r" % record["compression"])
    duration = record.get("maxSplitDuration")
    if duration is not None and duration <= 0:
        raise ProvisionError(component, field + ".record_options.max_split_duration",
                             "must be greater than 0, got %r" % duration)
    upload = job.get("uploadOptions")
    if upload:
        rate = upload.get("maxUploadRate")
        if rate is not None and (not isinstance(rate, int) or isinstance(rate, bool) or rate <= 0):
            raise ProvisionError(component, field + ".upload_options.max_upload_rate",
                                 "must be a positive integer, got %r" % (rate,))
        if upload.get("uploadType") is not None and upload["uploadType"] not in UPLOAD_TYPES:
            raise ProvisionError(component, field + ".upload_options.upload_type",
                                 "must be one of %s, got %r" % (", ".join(UPLOAD_TYPES), upload["uploadType"]))
    for info in (job.get("overrideOptions") or {}).get("topicOverrideInfo") or []:
        if info.get("latched") and info.get("recordFrequency"):
            raise ProvisionError(component, field + ".override_options.topic_override_info",
                                 "topic %s can either be throttled or latched, not both" % info.get("topicName"))


def _user_job(job):
    """A job added by the user, as the SDK sends it: upload defaults filled in."""
    wire = {"name": job["name"], "recordOptions": copy.deepcopy(job["recordOptions"])}
    if job.get("uploadOptions"):
        upload = dict(UPLOAD_DEFAULTS)
        upload.update((key, value) for key, value in job["uploadOptions"].items() if value is not None)
        wire["uploadOptions"] = upload
    if job.get("overrideOptions"):
        wire["overrideOptions"] = copy.deepcopy(job["overrideOptions"])
    return wire


def _package_job(job):
    """A job declared by the package, copied as stored (the SDK adds no defaults to these)."""
    wire = {"name": job.get("name"), "recordOptions": copy.deepcopy(job.get("recordOptions") or {})}
    for key in ("uploadOptions", "overrideOptions"):
        if job.get(key):
            wire[key] = copy.deepcopy(job[key])
    return wire


# -- the builder --------------------------------------------------------------------------------------
class ProvisionConfig:
    """One provision request being assembled (the SDK's ProvisionConfiguration, docs/reference/v1-api.md#provisioning-rules)."""

    def __init__(self, package_info, plan=None):
        self.package_id = _package_id(package_info)
        self.plan = select_plan(package_info, plan)
        self.plan_id = self.plan.get("planId")
        self._components = dict((comp.get("name"), comp) for comp in plan_components(self.plan))
        self._ids = component_ids(self.plan)
        self._needs_aliases = plan_needs_aliases(self.plan)
        self._dependency_aliases = set()
        self._device_configs = {}  # uuid -> configuration-variable map, for the later rules
        self._copied = {}  # component name -> keys copied from its device's configuration variables
        self.parameters = {"global": {}}
        self.context = {"labels": [], "dependentDeployments": [], "diskMountInfo": [], "routedNetworks": [],
                        "nativeNetworks": [], "component_context": {}}
        for name, component in self._components.items():
            component_id = self._ids.get(name)
            if not component_id:
                raise ProvisionError(name, "", "the package lists no component id for this component "
                                               "(internalComponents of plan %s)" % self.plan_id)
            params = {"component_id": component_id}
            for declared in component.get("parameters") or []:
                params[declared.get("name")] = declared.get("default") or None
            self.parameters[component_id] = params
            self.set_component_alias(name)
            for job in component.get("rosBagJobDefs") or []:
                self._append_rosbag_job(name, _package_job(job), "the package declares ROS bag jobs for it, but ")

    # -- lookups ------------------------------------------------------------------------------------
    def _component(self, name, field=""):
        if not name or not isinstance(name, str):
            raise ProvisionError(None, "components", "component name must be a non-empty string, got %r" % (name,))
        if name not in self._components:
            raise ProvisionError(name, field, "plan %s has no component %r; its components: %s" % (
                self.plan.get("planName") or self.plan_id, name, ", ".join(sorted(self._components)) or "none"))
        return self._components[name], self._ids[name]

    def _component_context(self, component_id):
        return self.context["component_context"].setdefault(component_id, {})

    def component_names(self):
        return sorted(self._components)

    # -- devices (docs/reference/v1-api.md#devices-on-components) ------------------------------------
    def add_device(self, component_name, device, config_variables=None, ignore_device_config=None,
                   set_component_alias=True):
        """Run a component on a device; copies the device's configuration variables into its parameters."""
        component, component_id = self._component(component_name, "device")
        if not isinstance(device, dict) or not device.get("uuid"):
            raise ProvisionError(component_name, "device", "expected a device with a uuid, got %r" % (device,))
        # Not an SDK rule: the platform would store a cloud component with a device id and the
        # device's configuration variables, and list it among that device's deployments.
        if component.get("requiredRuntime") != Runtime.DEVICE:
            raise ProvisionError(component_name, "device", "the component runs in the cloud (requiredRuntime: %s); "
                                 "only device components take a device, got %r" % (
                                     component.get("requiredRuntime"), device.get("name") or device["uuid"]))
        if config_variables is None:
            config_variables = device.get("config_variables") or []
        config = _config_map(config_variables)
        docker_capable, preinstalled_capable = device_capabilities(config)
        label = "device %s (%s)" % (device.get("name"), device["uuid"])
        for executable in component.get("executables") or []:
            if is_docker_executable(executable) and not docker_capable:
                raise ProvisionError(component_name, "device", "%s must be a %s device to run the docker executable %s "
                                     "(its runtime is %r)" % (label, DOCKER_COMPOSE, executable.get("name"),
                                                              config.get("runtime")))
            if not is_docker_executable(executable) and not preinstalled_capable:
                raise ProvisionError(component_name, "device", "%s must be a %s device to run the executable %s "
                                     "(its runtime is %r)" % (label, PRE_INSTALLED, executable.get("name"),
                                                              config.get("runtime")))
        params = self.parameters[component_id]
        params["device_id"] = device["uuid"]
        if set_component_alias:
            self.set_component_alias(component_name, device.get("name") or "")
        ignored = set(ignore_device_config or [])
        # Keys the device cannot use are never passed, as the SDK does.
        if not preinstalled_capable:
            ignored.add("ros_workspace")
        if not docker_capable:
            ignored.add("rosbag_mount_path")
        for key, value in config.items():
            if key not in ignored:
                params[key] = value
                self._copied.setdefault(component_name, set()).add(key)
        is_ros = bool((component.get("ros") or {}).get("isROS"))
        if not is_ros:
            params.pop("ros_distro", None)
        if preinstalled_capable:
            if "ros_workspace" not in ignored and not params.get("ros_workspace"):
                raise ProvisionError(component_name, "device", "ros_workspace is not set on %s" % label)
            if is_ros and not params.get("ros_distro"):
                raise ProvisionError(component_name, "device", "ros_distro is not set on %s" % label)
        self.parameters["global"].setdefault("device_ids", []).append(device["uuid"])
        self._device_configs[device["uuid"]] = config
        return self

    # -- parameters, aliases, labels, restart policy (docs/reference/v1-api.md#provisioning-rules) ------------------
    def add_parameter(self, component_name, key, value):
        if not key or not isinstance(key, str):
            raise ProvisionError(component_name, "parameters", "parameter key must be a non-empty string, got %r"
                                 % (key,))
        _component, component_id = self._component(component_name, "parameters.%s" % key)
        self.parameters[component_id][key] = value
        self._copied.get(component_name, set()).discard(key)  # set by the task: compared
        return self

    def set_component_alias(self, component_name, alias="", set_ros_namespace=False):
        _component, component_id = self._component(component_name, "alias")
        if not isinstance(alias, str):
            raise ProvisionError(component_name, "alias", "alias must be a string, got %r" % (alias,))
        if not isinstance(set_ros_namespace, bool):
            raise ProvisionError(component_name, "set_ros_namespace", "must be a boolean, got %r" % (set_ros_namespace,))
        self.parameters[component_id]["bridge_params"] = {"alias": alias or component_name,
                                                          "setROSNamespace": set_ros_namespace}
        return self

    def add_label(self, key, value):
        if not key or not value:
            raise ProvisionError(None, "labels.%s" % key if key else "labels",
                                 "labels need a non-empty key and value, got %r: %r" % (key, value))
        if not isinstance(key, str) or not isinstance(value, str):
            raise ProvisionError(None, "labels.%s" % key, "label keys and values are strings on the wire, got %s %r"
                                 % (type(value).__name__, value))
        self.context["labels"].append({"key": key, "value": value})
        return self

    def add_restart_policy(self, component_name, restart_policy):
        wire = RestartPolicy.wire_value(restart_policy)
        if wire is None:
            raise ProvisionError(component_name, "restart_policy",
                                 "must be one of always, never, on_failure, got %r" % (restart_policy,))
        component, component_id = self._component(component_name, "restart_policy")
        # Not an SDK rule: the platform ignores the policy of a cloud component, and a policy it
        # drops would make every later comparison report it as a difference.
        if component.get("requiredRuntime") != Runtime.DEVICE:
            raise ProvisionError(component_name, "restart_policy", "the component runs in the cloud (requiredRuntime: "
                                 "%s), where the platform ignores a restart policy; got %r" % (
                                     component.get("requiredRuntime"), restart_policy))
        self._component_context(component_id).setdefault("component_override", {})["restart_policy"] = wire
        return self

    # -- networks (docs/reference/v1-api.md#network-attachments) -----------------------------------
    def _add_network(self, key, option, network, network_interface):
        if not isinstance(network, dict) or not network.get("guid"):
            raise ProvisionError(None, option, "expected a network with a guid, got %r" % (network,))
        if network.get("runtime") == Runtime.CLOUD and network_interface:
            raise ProvisionError(None, option + ".network_interface", "%s is a cloud network and does not bind to a network interface "
                                 "(got %r)" % (network.get("name") or network["guid"], network_interface))
        entries = self.context[key]
        entry = next((item for item in entries if item["guid"] == network["guid"]), None)
        if entry is None:
            entry = {"guid": network["guid"]}
            entries.append(entry)
        if network_interface:
            entry["bindParameters"] = {"NETWORK_INTERFACE": network_interface}
        return self

    def add_routed_network(self, routed_network, network_interface=None):
        return self._add_network("routedNetworks", "routed_networks", routed_network, network_interface)

    def add_native_network(self, native_network, network_interface=None):
        return self._add_network("nativeNetworks", "native_networks", native_network, network_interface)

    # -- dependencies, volumes, static routes (docs/reference/v1-api.md#dependencies-and-volumes) ---------
    def add_dependent_deployment(self, deployment, ready_phases=(PHASE_SUCCEEDED,)):
        """Depend on a deployment; ``ready_phases=None`` leaves readiness to the caller (who waits)."""
        if not isinstance(deployment, dict) or not deployment.get("deploymentId"):
            raise ProvisionError(None, "depends_on", "expected a deployment with a deploymentId, got %r" % (deployment,))
        if ready_phases is not None and deployment.get("phase") not in ready_phases:
            raise ProvisionError(None, "depends_on", "deployment %s (%s) is not ready: phase %r" % (
                deployment.get("name"), deployment["deploymentId"], deployment.get("phase")))
        for params in (deployment.get("parameters") or {}).values():
            alias = ((params or {}).get("bridge_params") or {}).get("alias") if isinstance(params, dict) else None
            if alias:
                # A dependency with aliases makes aliases mandatory here too (docs/reference/v1-api.md#dependencies-and-volumes).
                self._dependency_aliases.add(alias)
                self._needs_aliases = True
        self.context["dependentDeployments"].append(
            {"dependentDeploymentId": deployment["deploymentId"], "applicableComponentId": "", "config": {}})
        return self

    def _executable_mounts(self, component_name, component, executable_mounts):
        if not isinstance(executable_mounts, list) or not executable_mounts:
            raise ProvisionError(component_name, "volumes.executable_mounts",
                                 "expected a non-empty list of {exec_name, mount_path, sub_path}, got %r"
                                 % (executable_mounts,))
        names = [exe.get("name") for exe in component.get("executables") or []]
        for mount in executable_mounts:
            if not isinstance(mount, dict) or not isinstance(mount.get("exec_name"), str) \
                    or not isinstance(mount.get("mount_path"), str) or not mount["mount_path"]:
                raise ProvisionError(component_name, "volumes.executable_mounts",
                                     "each mount needs string exec_name and mount_path, got %r" % (mount,))
            if mount.get("sub_path") is not None and not isinstance(mount["sub_path"], str):
                raise ProvisionError(component_name, "volumes.executable_mounts",
                                     "sub_path must be a string, got %r" % (mount["sub_path"],))
            if mount["exec_name"] not in names:
                raise ProvisionError(component_name, "volumes.executable_mounts",
                                     "the component has no executable %r; its executables: %s" % (
                                         mount["exec_name"], ", ".join(names) or "none"))
        return executable_mounts

    def mount_volume(self, component_name, volume=None, device=None, mount_path=None, executable_mounts=None,
                     ready_phases=(PHASE_SUCCEEDED,)):
        """Mount a cloud volume (its deployment dict) or a directory of the component's device.

        ``ready_phases=None`` leaves the cloud volume's readiness to the caller (who waits).
        """
        component, component_id = self._component(component_name, "volumes")
        if (volume is None) == (device is None):
            raise ProvisionError(component_name, "volumes", "give either a cloud volume or a device, not %s" % (
                "both" if volume is not None else "neither"))
        if device is not None:
            return self._mount_device_volume(component_name, component, component_id, device, executable_mounts)
        if not isinstance(volume, dict) or volume.get("packageId") != PERSISTENT_VOLUME_PACKAGE:
            raise ProvisionError(component_name, "volumes.volume", "not a volume deployment (package %s), got %r" % (
                PERSISTENT_VOLUME_PACKAGE, (volume or {}).get("packageId") if isinstance(volume, dict) else volume))
        if ready_phases is not None and volume.get("phase") not in ready_phases:
            raise ProvisionError(component_name, "volumes.volume", "volume deployment %s is not running: phase %r" % (
                volume.get("deploymentId"), volume.get("phase")))
        if (mount_path is None) == (executable_mounts is None):
            raise ProvisionError(component_name, "volumes.mount_path",
                                 "give exactly one of mount_path or executable_mounts for a cloud volume")
        config = {}
        if mount_path is not None:
            if not isinstance(mount_path, str) or not mount_path:
                raise ProvisionError(component_name, "volumes.mount_path",
                                     "must be a non-empty string, got %r" % (mount_path,))
            config["mountPath"] = mount_path
        else:
            mounts = {}
            for mount in self._executable_mounts(component_name, component, executable_mounts):
                mounts[mount["exec_name"]] = {"mountPath": mount["mount_path"]}
                if mount.get("sub_path"):
                    mounts[mount["exec_name"]]["subPath"] = mount["sub_path"]
            config["mountPaths"] = mounts
        self.context["dependentDeployments"].append(
            {"dependentDeploymentId": volume["deploymentId"], "applicableComponentId": component_id, "config": config})
        return self

    def _mount_device_volume(self, component_name, component, component_id, device, executable_mounts):
        if not isinstance(device, dict) or not device.get("uuid"):
            raise ProvisionError(component_name, "volumes.device_volume",
                                 "expected a device with a uuid, got %r" % (device,))
        mounts = self._executable_mounts(component_name, component, executable_mounts)
        if self.parameters[component_id].get("device_id") != device["uuid"]:
            raise ProvisionError(component_name, "volumes.device_volume",
                                 "device %s must be added to the component before its volume is mounted"
                                 % (device.get("name") or device["uuid"]))
        config = self._device_configs.get(device["uuid"], _config_map(device.get("config_variables")))
        if not device_capabilities(config)[0]:
            raise ProvisionError(component_name, "volumes.device_volume", "device %s must be a %s device to mount "
                                 "a device volume" % (device.get("name") or device["uuid"], DOCKER_COMPOSE))
        paths = {}
        for mount in mounts:
            paths[mount["exec_name"]] = {"mountPath": mount["mount_path"], "subPath": mount.get("sub_path") or "/"}
        self.context["diskMountInfo"].append({"diskResourceId": device["uuid"], "applicableComponentId": component_id,
                                              "config": {"mountPaths": paths}})
        return self

    def add_static_route(self, component_name, endpoint_name, static_route):
        field = "static_routes.%s" % endpoint_name
        component, component_id = self._component(component_name, field)
        if not isinstance(static_route, dict) or not static_route.get("guid"):
            raise ProvisionError(component_name, field, "expected a static route with a guid, got %r" % (static_route,))
        # Not an SDK rule: a route on an endpoint the component lacks would silently do nothing.
        endpoints = [ep.get("name") for ep in (component.get("cloudInfra") or {}).get("endpoints") or []]
        if endpoint_name not in endpoints:
            raise ProvisionError(component_name, field, "the component has no endpoint %r; its endpoints: %s" % (
                endpoint_name, ", ".join(str(name) for name in endpoints) or "none"))
        self._component_context(component_id).setdefault("static_route_config", {})[endpoint_name] = \
            static_route["guid"]
        return self

    # -- ROS bag jobs (docs/reference/v1-api.md#ros-bag-jobs) -------------------------------------------
    def add_rosbag_job(self, component_name, rosbag_job):
        """Add a job in wire form (``{"name", "recordOptions", "uploadOptions"?, "overrideOptions"?}``)."""
        self._component(component_name, "rosbag_jobs")
        check_rosbag_job(component_name, rosbag_job)
        return self._append_rosbag_job(component_name, _user_job(rosbag_job), "")

    def _append_rosbag_job(self, component_name, job, why):
        component, component_id = self._component(component_name, "rosbag_jobs")
        if not (component.get("ros") or {}).get("isROS"):
            raise ProvisionError(component_name, "rosbag_jobs",
                                 "%sROS bag jobs are only supported for ROS components" % why)
        jobs = self._component_context(component_id).setdefault("ros_bag_job_defs", [])
        if any(existing["name"] == job["name"] for existing in jobs):
            raise ProvisionError(component_name, "rosbag_jobs.%s" % job["name"],
                                 "a ROS bag job with this name already exists (the package may declare it)")
        jobs.append(job)
        return self

    def remove_rosbag_job(self, component_name, job_name):
        _component, component_id = self._component(component_name, "rosbag_jobs")
        context = self.context["component_context"].get(component_id) or {}
        if "ros_bag_job_defs" in context:
            context["ros_bag_job_defs"] = [job for job in context["ros_bag_job_defs"] if job["name"] != job_name]
        return self

    # -- validation and the body (docs/reference/v1-api.md#validation) ------------------------------------------
    def needs_aliases(self):
        return self._needs_aliases

    def copied_device_config(self):
        """{component name: parameter keys copied from its device's configuration variables and not
        set by the task}: owned by the device, so left out of the comparison (``normalize_body``)."""
        return dict((name, frozenset(keys)) for name, keys in self._copied.items() if keys)

    def aliases(self):
        """{component name: alias} as the body will carry them; empty when the plan uses no aliases."""
        if not self._needs_aliases:
            return {}
        return dict((name, (self.parameters[self._ids[name]].get("bridge_params") or {}).get("alias"))
                    for name in self.component_names())

    def validate(self):
        for name in self.component_names():
            component, component_id = self._components[name], self._ids[name]
            params = self.parameters[component_id]
            if component.get("requiredRuntime") == Runtime.DEVICE:
                if not params.get("device_id"):
                    raise ProvisionError(name, "device", "the component runs on a device (requiredRuntime: device); "
                                                         "set the device that runs it")
                self._validate_device_rosbags(name, component_id, params["device_id"])
            for declared in component.get("parameters") or []:
                value = params.get(declared.get("name"))
                if value is None or value == "":
                    raise ProvisionError(name, "parameters.%s" % declared.get("name"),
                                         "provide a value: the package declares no default for it")
        self._validate_aliases()
        return True

    def _validate_device_rosbags(self, name, component_id, device_id):
        if not (self.context["component_context"].get(component_id) or {}).get("ros_bag_job_defs"):
            return
        config = self._device_configs.get(device_id, {})
        if config.get("runtime") == PRE_INSTALLED:
            raise ProvisionError(name, "rosbag_jobs", "ROS bag jobs are not supported on preinstalled devices")
        if not config.get("rosbag_mount_path"):
            raise ProvisionError(name, "rosbag_jobs", "the device has no ROS bag components installed "
                                                      "(no rosbag_mount_path); re-onboard it to use ROS bags")

    def _validate_aliases(self):
        if not self._needs_aliases:
            return
        seen = {}
        for name in self.component_names():
            alias = (self.parameters[self._ids[name]].get("bridge_params") or {}).get("alias")
            if not alias:
                raise ProvisionError(name, "alias", "the plan needs aliases, and this component has none")
            if alias in seen:
                raise ProvisionError(name, "alias", "alias %r is also the alias of component %s; aliases must be "
                                                    "unique" % (alias, seen[alias]))
            if alias in self._dependency_aliases:
                raise ProvisionError(name, "alias", "alias %r is already used by a dependent deployment" % alias)
            seen[alias] = name

    def to_body(self, deployment_name):
        """The exact provision body (docs/reference/v1-api.md#provision-body), without ``_devices``/``_is_provisioned``. Pure: no state changes."""
        if not deployment_name or not isinstance(deployment_name, str):
            raise ProvisionError(None, "name", "deployment name must be a non-empty string, got %r" % (deployment_name,))
        self.validate()
        parameters = copy.deepcopy(self.parameters)
        if not self._needs_aliases:
            for params in parameters.values():
                params.pop("bridge_params", None)
        context = copy.deepcopy(self.context)
        context["name"] = deployment_name
        # The SDK's validation leaves an (often empty) entry for every device component.
        for name in self.component_names():
            if self._components[name].get("requiredRuntime") == Runtime.DEVICE:
                context["component_context"].setdefault(self._ids[name], {})
        return {
            "service_id": self.package_id,
            "plan_id": self.plan_id,
            "api_version": API_VERSION,
            "instance_id": INSTANCE_ID,
            "organization_guid": ORGANIZATION_GUID,
            "space_guid": SPACE_GUID,
            "accepts_incomplete": True,
            "parameters": parameters,
            "context": context,
        }


# -- the normalized desired-state form ----------------------------------------------------------------
# Parameter keys the platform or the device owns, not the user: never compared (unless the package
# declares a parameter with that name).
SYSTEM_PARAMETER_KEYS = frozenset(["component_id", "device_id", "bridge_params"])
DEVICE_CONFIG_KEYS = frozenset(["runtime", "ros_distro", "ros_workspace", "rosbag_mount_path", "runtime_docker",
                                "runtime_preinstalled"])


def _as_text(value):
    """Parameters reach executables as environment strings; compare them as such (10 == "10")."""
    if value is None or isinstance(value, str):
        return value
    return json.dumps(value, sort_keys=True)


def _sorted_unique(items):
    return sorted(set(item for item in items if item))


def _mounts(mount_paths, default_sub_path=None):
    return dict((exe, {"mount_path": (mount or {}).get("mountPath"),
                       "sub_path": (mount or {}).get("subPath") or default_sub_path})
                for exe, mount in (mount_paths or {}).items())


def _networks(entries):
    return dict((entry.get("guid"), {"network_interface": (entry.get("bindParameters") or {}).get("NETWORK_INTERFACE")})
                for entry in entries or [] if entry.get("guid"))


def labels_as_dict(labels):
    """Wire labels (``[{"key", "value"}]``, or already a dict) -> ``{key: value}``."""
    if isinstance(labels, dict):
        return dict(labels)
    return dict((item.get("key"), item.get("value")) for item in labels or [] if isinstance(item, dict))


def user_labels(labels):
    """Wire labels -> ``{key: value}`` without the collection's own record (CONTEXT_RECORD_LABEL)."""
    return dict((key, value) for key, value in labels_as_dict(labels).items() if key != CONTEXT_RECORD_LABEL)


def _normalized_component(component, params, context, dependencies, disks, left_out=frozenset()):
    declared = set(item.get("name") for item in component.get("parameters") or [])
    bridge = params.get("bridge_params") if isinstance(params.get("bridge_params"), dict) else None
    volumes = []
    for entry in dependencies:
        config = entry.get("config") or {}
        volumes.append({"volume": entry.get("dependentDeploymentId"), "mount_path": config.get("mountPath"),
                        "executable_mounts": _mounts(config.get("mountPaths"))})
    for entry in disks:
        volumes.append({"device": entry.get("diskResourceId"),
                        "executable_mounts": _mounts((entry.get("config") or {}).get("mountPaths"), "/")})
    return {
        "device": params.get("device_id"),
        "parameters": dict((key, _as_text(value)) for key, value in params.items()
                           if key not in left_out
                           and (key in declared or key not in SYSTEM_PARAMETER_KEYS | DEVICE_CONFIG_KEYS)),
        "alias": bridge.get("alias") if bridge else None,
        "set_ros_namespace": bool(bridge.get("setROSNamespace")) if bridge else None,
        "restart_policy": (context.get("component_override") or {}).get("restart_policy"),
        "static_routes": dict(context.get("static_route_config") or {}),
        "rosbag_jobs": dict((job.get("name"), dict((key, value) for key, value in job.items() if key != "name"))
                            for job in context.get("ros_bag_job_defs") or []),
        "volumes": canonical_list(volumes),
    }


def _normalize(package_id, plan_id, parameters, context, package_info, device_config=None):
    try:
        plan = select_plan(package_info, plan_id)
    except ProvisionError:
        plan = {}
    ids = component_ids(plan)
    dependencies = context.get("dependentDeployments") or []
    component_context = context.get("component_context") or {}
    components = {}
    for component in plan_components(plan):
        component_id = ids.get(component.get("name"))
        components[component.get("name")] = _normalized_component(
            component,
            (parameters or {}).get(component_id) or {},
            component_context.get(component_id) or {},
            [dep for dep in dependencies if dep.get("applicableComponentId") == component_id],
            [disk for disk in context.get("diskMountInfo") or [] if disk.get("applicableComponentId") == component_id],
            (device_config or {}).get(component.get("name"), frozenset()))
    return {
        "package_id": package_id,
        "plan_id": plan_id,
        "labels": dict((str(key), _as_text(value)) for key, value in user_labels(context.get("labels")).items()),
        "depends_on": _sorted_unique(dep.get("dependentDeploymentId") for dep in dependencies
                                     if not dep.get("applicableComponentId")),
        "routed_networks": _networks(context.get("routedNetworks")),
        "native_networks": _networks(context.get("nativeNetworks")),
        "components": components,
    }


def normalize_body(body, package_info, device_config=None):
    """A provision body -> the normalized desired-state form.

    ``device_config`` ({component name: keys}, ``ProvisionConfig.copied_device_config()``) names the
    parameters copied from devices that are left out besides the well-known ones (DEVICE_CONFIG_KEYS):
    a custom variable changed on the device is not a difference of the deployment.
    """
    return _normalize(body.get("service_id"), body.get("plan_id"), body.get("parameters"),
                      body.get("context") or {}, package_info, device_config)


def normalize_deployment(deployment, package_info, device_config=None):
    """A full live deployment (``provisionContext`` + ``parameters``, docs/reference/v1-api.md#deployment-objects) -> the same form."""
    context = dict(deployment.get("provisionContext") or {})
    # Older or partial objects keep some of the context at the top level only.
    for key in ("labels", "dependentDeployments"):
        if context.get(key) is None and deployment.get(key) is not None:
            context[key] = deployment.get(key)
    return _normalize(deployment.get("packageId"), deployment.get("planId"), deployment.get("parameters"),
                      context, package_info, device_config)


# -- the record of the provisioning context ------------------------------------------------------------
# The deployment list shows a deployment's labels but not its provisioning context
# (docs/reference/v1-api.md#deployment-list), and no API call changes a provisioned context (an
# update replaces executable images only). So the collection labels every deployment it provisions
# with a digest of the context part of the form it provisioned: a later run whose desired form has
# the same digest knows from the list alone that this part is unchanged, as kubectl knows what it
# applied last from its annotation. The label is the collection's, not the user's: left out of the
# compared labels and of the labels in results.
CONTEXT_RECORD_LABEL = "rapyuta.rio/context-digest"
CONTEXT_ONLY_FIELDS = ("routed_networks", "native_networks")
CONTEXT_ONLY_COMPONENT_FIELDS = ("restart_policy", "static_routes", "rosbag_jobs", "volumes")


def context_only(form):
    """The part of a normalized form that only the full deployment shows (cloud volumes, which the
    list shows as dependencies, are kept with the device volumes: both are ``volumes``)."""
    part = dict((field, form.get(field) or {}) for field in CONTEXT_ONLY_FIELDS)
    part["components"] = dict((name, dict((field, (component or {}).get(field)) for field in CONTEXT_ONLY_COMPONENT_FIELDS))
                              for name, component in (form.get("components") or {}).items())
    return part


def declares_context(form):
    """Whether a normalized form sets anything in its context-only part."""
    part = context_only(form)
    return any(part[field] for field in CONTEXT_ONLY_FIELDS) or any(
        value for component in part["components"].values() for value in component.values())


def context_digest(form):
    """The value of CONTEXT_RECORD_LABEL for a normalized desired form (a label value: 40 hex digits)."""
    text = json.dumps(context_only(form), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:40]


def list_entry_suffices(listed, desired):
    """Whether a deployment list entry shows enough to find it equal to ``desired``: its record says
    its context is desired's, or it has no record and ``desired`` sets no context (then a context
    the deployment has but the task does not declare goes unseen: the documented cost of
    ``compare: auto`` for deployments provisioned without the record)."""
    recorded = labels_as_dict(listed.get("labels")).get(CONTEXT_RECORD_LABEL)
    if recorded is None:
        return not declares_context(desired)
    return recorded == context_digest(desired)


def with_context_of(form, source):
    """``form`` (a listed deployment's, whose context part is empty) with the context part of
    ``source``, which the deployment's record vouches for."""
    merged = copy.deepcopy(form)
    for field in CONTEXT_ONLY_FIELDS:
        merged[field] = copy.deepcopy(source.get(field) or {})
    source_components = source.get("components") or {}
    for name, component in merged.get("components", {}).items():
        for field in CONTEXT_ONLY_COMPONENT_FIELDS:
            component[field] = copy.deepcopy((source_components.get(name) or {}).get(field))
    return merged


def _live_extras_ignored(path):
    """Where keys present only in the live deployment are not differences: the platform may add its
    own there (component parameters, ROS bag option defaults), and the user cannot set them."""
    if len(path) < 3 or path[0] != "components":
        return False
    return (len(path) == 3 and path[2] == "parameters") or (len(path) >= 5 and path[2] == "rosbag_jobs")


def _unset_is_any(path):
    """Options whose omission means "whatever the live deployment has": ``restart_policy`` (a new
    deployment gets the package's policy; an omitted one never makes a live deployment differ)."""
    return len(path) == 3 and path[0] == "components" and path[2] == "restart_policy"


def diff_states(desired, live, _path=()):
    """Differences between two normalized forms: ``[{"field": "a.b.c", "desired": .., "live": ..}]``."""
    if desired is None and _unset_is_any(_path):
        return []
    if isinstance(desired, dict) and isinstance(live, dict):
        differences = []
        keys = set(desired) if _live_extras_ignored(_path) else set(desired) | set(live)
        for key in sorted(keys, key=str):
            differences.extend(diff_states(desired.get(key), live.get(key), _path + (str(key),)))
        return differences
    if desired == live:
        return []
    return [{"field": ".".join(_path), "desired": desired, "live": live}]
