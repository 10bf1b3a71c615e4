# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rapyuta.rio contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""Declarative deployment options -> resolved platform objects -> ProvisionConfig.
FOR INTERNAL COLLECTION USE ONLY: may change in any release.

Everything here only reads. Names (package, plan, components, devices, networks, static routes,
volumes, dependencies) are resolved through one RioApi, whose per-run cache makes a converged run
cheap: one list per kind, one configuration-variable read per device. Builder rules live in
_provision.py; this file feeds it and renames its errors after the option that caused them.
"""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.rapyuta.rio.plugins.module_utils._api import RioLookupError
from ansible_collections.rapyuta.rio.plugins.module_utils._client import RioNotFound
from ansible_collections.rapyuta.rio.plugins.module_utils._deployment_spec import (
    DeploymentInputError,
    component_path,
    rosbag_job_to_wire,
)
from ansible_collections.rapyuta.rio.plugins.module_utils._provision import ProvisionConfig, ProvisionError

ROUTED = "routednetwork"
NATIVE = "nativenetwork"


def _known(items, key):
    names = sorted(set(str(item.get(key)) for item in items if item.get(key)))
    return ", ".join(names) if names else "none"


class Resolver(object):
    """Name -> platform object look-ups; every miss raises DeploymentInputError naming the option."""

    def __init__(self, api):
        self.api = api

    # -- package ---------------------------------------------------------------------------------
    def package(self, package_id=None, package_name=None, package_version=None):
        if package_id:
            try:
                return self.api.get_package(package_id)
            except RioNotFound:
                raise DeploymentInputError("package_id", "package %r not found" % package_id)
        try:
            found = self.api.find_package(package_name, package_version)
        except RioLookupError as exc:
            raise DeploymentInputError("package_name", str(exc))
        if found is None:
            versions = sorted(pkg["packageVersion"] for pkg in self.api.list_packages()
                              if pkg["packageName"] == package_name)
            raise DeploymentInputError("package_name", "package %s %s not found (known versions: %s)" % (
                package_name, package_version, ", ".join(versions) or "none"))
        return found

    # -- devices -----------------------------------------------------------------------------------
    def device(self, field, name_or_uuid):
        try:
            device = self.api.find_device(name_or_uuid)
        except RioLookupError as exc:
            raise DeploymentInputError(field, str(exc))
        if device is None:
            raise DeploymentInputError(field, "device %r not found; known devices: %s" % (
                name_or_uuid, _known(self.api.list_devices(), "name")))
        return device

    def config_variables(self, device):
        return self.api.get_device_config_variables(device["uuid"])

    # -- static routes -----------------------------------------------------------------------------
    def static_route(self, field, name_or_guid):
        routes = self.api.list_static_routes()
        for route in routes:
            if name_or_guid in (route.get("guid"), route.get("urlPrefix")):
                return route
        raise DeploymentInputError(field, "static route %r not found; known static routes: %s" % (
            name_or_guid, _known(routes, "urlPrefix")))

    # -- networks ----------------------------------------------------------------------------------
    def network(self, kind, field, name):
        try:
            network = self.api.find_network(kind, name)
        except RioLookupError as exc:
            raise DeploymentInputError(field, str(exc))
        if network is None:
            raise DeploymentInputError(field, "%s %r not found; known: %s" % (
                "routed network" if kind == ROUTED else "native network", name,
                _known(self.api.list_networks(kind), "name")))
        return network

    # -- deployments (dependencies and the deployments behind cloud volumes) -----------------------
    def live_deployment(self, field, name_or_id):
        """A live deployment by id or unique name (a partial one, from the run's deployment list)."""
        live = self.api.live_deployments()
        by_id = [dep for dep in live if dep.get("deploymentId") == name_or_id]
        if by_id:
            return by_id[0]
        by_name = [dep for dep in live if dep.get("name") == name_or_id]
        if len(by_name) > 1:
            raise DeploymentInputError(field, "deployment name %r is shared by %d live deployments: %s; use an id" % (
                name_or_id, len(by_name), ", ".join(sorted(dep["deploymentId"] for dep in by_name))))
        if not by_name:
            raise DeploymentInputError(field, "no live deployment named %r" % name_or_id)
        return by_name[0]

    def volume_deployment(self, field, name_or_guid):
        disks = self.api.list_disks()
        matches = [disk for disk in disks if name_or_guid in (disk.get("guid"), disk.get("name"))]
        if len(matches) > 1:
            raise DeploymentInputError(field, "volume name %r is shared by %d volumes: %s; use the guid" % (
                name_or_guid, len(matches), ", ".join(sorted(disk.get("guid", "?") for disk in matches))))
        if not matches:
            raise DeploymentInputError(field, "volume %r not found; known volumes: %s" % (
                name_or_guid, _known(disks, "name")))
        deployment_id = matches[0].get("internalDeploymentGUID")
        for dep in self.api.live_deployments():
            if dep.get("deploymentId") == deployment_id:
                return dep
        raise DeploymentInputError(field, "volume %r (%s) has no live deployment (status %r)" % (
            name_or_guid, matches[0].get("guid"), matches[0].get("status")))


class Prerequisites(object):
    """The deployments this one needs running: dependencies and cloud volumes, with their option."""

    def __init__(self):
        self.items = []

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


class _indexed(object):
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
