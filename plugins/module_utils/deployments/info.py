# Copyright: (c) 2026, rapyuta.rio contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""Listing and filtering deployments for rio_deployment_info. FOR INTERNAL COLLECTION USE ONLY.

Package, device and phase filters go to the server (one list request); name and labels are
matched here. A filter naming a package or device that does not exist matches nothing.
"""

from ansible_collections.rapyuta.rio.plugins.module_utils.v1.constants import LIVE_PHASES, PERSISTENT_VOLUME_PACKAGE
from ansible_collections.rapyuta.rio.plugins.module_utils.deployments.results import shape_deployment
from ansible_collections.rapyuta.rio.plugins.module_utils.v1.provision import labels_as_dict


def _package_id(api, filters):
    """The package filter as an id; '' when one was asked for but does not exist, None when none."""
    if filters.get("package_id"):
        return filters["package_id"]
    if filters.get("package_name"):
        found = [pkg for pkg in api.list_packages()
                 if pkg["packageName"] == filters["package_name"]
                 and (not filters.get("package_version") or pkg["packageVersion"] == filters["package_version"])]
        return [pkg["packageId"] for pkg in found] or ""
    return None


def labels_match(deployment, wanted):
    have = labels_as_dict(deployment.get("labels"))
    return all(have.get(key) == str(value) for key, value in (wanted or {}).items())


def find_deployments(api, filters):
    """Wire deployments (partial, or full with ``details``) matching every filter, sorted by name."""
    package_ids = _package_id(api, filters)
    if package_ids == "":
        return []
    device_id = None
    if filters.get("device"):
        device = api.find_device(filters["device"])
        if device is None:
            return []
        device_id = device["uuid"]
    phases = filters.get("phases") or list(LIVE_PHASES)
    if isinstance(package_ids, list):
        rows = []
        for package_id in package_ids:
            rows.extend(api.list_deployments(phases=phases, package_id=package_id, device_id=device_id))
    else:
        rows = api.list_deployments(phases=phases, package_id=package_ids, device_id=device_id)
    wanted_volumes = package_ids == PERSISTENT_VOLUME_PACKAGE
    rows = [dep for dep in rows
            if (wanted_volumes or dep.get("packageId") != PERSISTENT_VOLUME_PACKAGE)
            and (not filters.get("name") or dep.get("name") == filters["name"])
            and labels_match(dep, filters.get("labels"))]
    if filters.get("details"):
        rows = [api.get_deployment(dep["deploymentId"]) for dep in rows]
    return sorted(rows, key=lambda dep: (dep.get("name") or "", dep.get("deploymentId") or ""))


def deployment_infos(api, filters):
    return [shape_deployment(dep) for dep in find_deployments(api, filters)]
