# Copyright: (c) 2026, rapyuta.rio contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""Declarative deployment options -> ProvisionConfig, through a Resolver.
FOR INTERNAL COLLECTION USE ONLY: may change in any release.

Makes no write. The builder's own rules live in v1/provision.py; this file feeds it the resolved
objects and renames its errors after the option that caused them.
"""

from ansible_collections.rapyuta.rio.plugins.module_utils.deployments.checks import (
    DeploymentInputError,
    component_path,
    rosbag_job_to_wire,
)
from ansible_collections.rapyuta.rio.plugins.module_utils.v1.constants import NATIVE, ROUTED
from ansible_collections.rapyuta.rio.plugins.module_utils.v1.provision import ProvisionConfig, ProvisionError


class Prerequisites:
    """The deployments this one needs running before it is provisioned (dependencies and cloud
    volumes, with their option), and the networks it joins, which need not run before it is
    (``networks``: (option, kind, the network as listed)); the task waits for both."""

    def __init__(self):
        self.items = []
        self.networks = []

    def add(self, field, deployment):
        if all(dep["deploymentId"] != deployment["deploymentId"] for _field, dep in self.items):
            self.items.append((field, deployment))


def _component_options(resolver, config, entry, prerequisites):
    name = entry["name"]
    device = None
    if entry.get("device"):
        device = resolver.device(component_path(name, "device"), entry["device"])
        config.add_device(name, device, resolver.config_variables(device),
                          ignore_device_config=entry.get("ignore_device_config") or [],
                          set_component_alias=bool(entry.get("set_component_alias", True)))
    if entry.get("alias") or entry.get("set_ros_namespace"):
        alias = entry.get("alias")
        if not alias and device is not None and entry.get("set_component_alias", True):
            alias = device.get("name")
        config.set_component_alias(name, alias or "", set_ros_namespace=bool(entry.get("set_ros_namespace")))
    for key, value in sorted((entry.get("parameters") or {}).items()):
        config.add_parameter(name, key, value)
    if entry.get("restart_policy"):
        config.add_restart_policy(name, entry["restart_policy"])
    for endpoint, route in sorted((entry.get("static_routes") or {}).items()):
        field = component_path(name, "static_routes", endpoint)
        config.add_static_route(name, endpoint, resolver.static_route(field, route))
    for index, volume in enumerate(entry.get("volumes") or []):
        field = component_path(name, "volumes[%d]" % index)
        mounts = volume.get("executable_mounts") or None
        with _indexed("volumes", "volumes[%d]" % index):
            if volume.get("device_volume"):
                config.mount_volume(name, device=device, executable_mounts=mounts)
            else:
                target = resolver.volume_deployment(field + ".volume", volume["volume"])
                prerequisites.add(field + ".volume", target)
                # Readiness is judged (and waited for) by the caller, so any live phase is accepted here.
                config.mount_volume(name, volume=target, mount_path=volume.get("mount_path"),
                                    executable_mounts=mounts, ready_phases=None)
    for job in entry.get("rosbag_jobs") or []:
        config.add_rosbag_job(name, rosbag_job_to_wire(job))


class _indexed:
    """Builder errors about one list item (``volumes``) name the item's index (``volumes[1]``)."""

    def __init__(self, option, indexed):
        self.option = option
        self.indexed = indexed

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, _traceback):
        if isinstance(exc, ProvisionError) and (exc.field or "").split(".")[0] == self.option:
            exc.field = self.indexed + exc.field[len(self.option):]
        return False


def _as_input_error(exc):
    field = exc.field or ""
    if exc.component:
        field = component_path(exc.component, field)
    return DeploymentInputError(field or "components", exc.message)


def build_config(resolver, params, package_info, labels):
    """Resolve every name and apply every builder rule; returns (ProvisionConfig, Prerequisites).

    Raises DeploymentInputError naming the option for any bad input; makes no write.
    """
    prerequisites = Prerequisites()
    try:
        config = ProvisionConfig(package_info, plan=params.get("plan"))
        for entry in params.get("components") or []:
            _component_options(resolver, config, entry, prerequisites)
        for key, value in sorted(labels.items()):
            config.add_label(key, value)
        for kind, option, add in ((ROUTED, "routed_networks", config.add_routed_network),
                                  (NATIVE, "native_networks", config.add_native_network)):
            for index, net in enumerate(params.get(option) or []):
                field = "%s[%d].name" % (option, index)
                network = resolver.network(kind, field, net["name"])
                with _indexed(option, "%s[%d]" % (option, index)):
                    add(network, network_interface=net.get("network_interface"))
                prerequisites.networks.append(("%s[%d]" % (option, index), kind, network))
        for index, name_or_id in enumerate(params.get("depends_on") or []):
            field = "depends_on[%d]" % index
            dependency = resolver.live_deployment(field, name_or_id)
            prerequisites.add(field, dependency)
            # Readiness is judged (and waited for) by the caller, so any live phase is accepted here.
            with _indexed("depends_on", field):
                config.add_dependent_deployment(dependency, ready_phases=None)
        config.validate()
    except ProvisionError as exc:
        raise _as_input_error(exc)
    return config, prerequisites
