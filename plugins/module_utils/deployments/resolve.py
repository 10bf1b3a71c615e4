# Copyright: (c) 2026, rapyuta.rio contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""Names in a deployment task -> platform objects; every miss names the option.
FOR INTERNAL COLLECTION USE ONLY: may change in any release.

Everything here only reads. Names (package, plan, components, devices, networks, static routes,
volumes, dependencies) are resolved through one RioApi, whose per-run cache makes a converged run
cheap: one list per kind, one configuration-variable read per device. build.py turns the resolved
objects into a ProvisionConfig.
"""

from ansible_collections.rapyuta.rio.plugins.module_utils.v1.api import RioLookupError
from ansible_collections.rapyuta.rio.plugins.module_utils.transport.client import RioNotFound
from ansible_collections.rapyuta.rio.plugins.module_utils.deployments.checks import DeploymentInputError
from ansible_collections.rapyuta.rio.plugins.module_utils.v1.constants import ROUTED


def _known(items, key):
    names = sorted(set(str(item.get(key)) for item in items if item.get(key)))
    return ", ".join(names) if names else "none"


class Resolver:
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
        by_id = self.api.live_deployments_by("deploymentId").get(name_or_id)
        if by_id:
            return by_id[0]
        by_name = self.api.live_deployments_by("name").get(name_or_id, [])
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
        live = self.api.live_deployments_by("deploymentId").get(matches[0].get("internalDeploymentGUID"))
        if live:
            return live[0]
        raise DeploymentInputError(field, "volume %r (%s) has no live deployment (status %r)" % (
            name_or_guid, matches[0].get("guid"), matches[0].get("status")))
