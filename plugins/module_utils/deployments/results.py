# Copyright: (c) 2026, rapyuta.rio contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""Wire deployment objects -> the documented ``deployment`` return value.
FOR INTERNAL COLLECTION USE ONLY: may change in any release.

Only named fields are copied, so nothing the API leaks (``_devices`` with a token, parameters
holding device configuration) reaches task results.
"""

from ansible_collections.rapyuta.rio.plugins.module_utils.v1.provision import user_labels
from ansible_collections.rapyuta.rio.plugins.module_utils.v1.wait import as_code_list, explain_errors


def dependency_ids(deployment):
    entries = deployment.get("dependentDeployments")
    if entries is None:
        entries = (deployment.get("provisionContext") or {}).get("dependentDeployments")
    return sorted(set(entry.get("dependentDeploymentId") for entry in entries or []
                      if entry.get("dependentDeploymentId")))


def shape_component(info):
    codes = as_code_list(info.get("errorCode"))
    return {
        "name": info.get("name"),
        "component_id": info.get("componentID") or info.get("componentId"),
        "component_instance_id": info.get("componentInstanceID") or info.get("componentInstanceId"),
        "runtime": info.get("runtime"),
        "phase": info.get("phase"),
        "status": info.get("status"),
        "error_codes": codes,
    }


def shape_deployment(deployment, config=None):
    """A full or partial wire deployment -> the documented return dict (``config`` when given)."""
    codes = as_code_list(deployment.get("errors"))
    shaped = {
        "deployment_id": deployment.get("deploymentId"),
        "name": deployment.get("name"),
        "package_id": deployment.get("packageId"),
        "package_name": deployment.get("packageName"),
        "plan_id": deployment.get("planId"),
        "phase": deployment.get("phase"),
        "status": deployment.get("status"),
        "errors": codes,
        "error_explanations": explain_errors(codes),
        "labels": user_labels(deployment.get("labels")),
        "depends_on": dependency_ids(deployment),
        "components": [shape_component(info) for info in deployment.get("componentInfo") or []],
    }
    if config is not None:
        shaped["config"] = config
    return shaped


def predicted_deployment(name, package_info, plan_id, labels, dependency_ids_, config):
    """The return value for a deployment that is not provisioned yet (check mode)."""
    return {
        "deployment_id": None,
        "name": name,
        "package_id": package_info.get("guid") or package_info.get("packageId"),
        "package_name": package_info.get("packageName"),
        "plan_id": plan_id,
        "phase": None,
        "status": None,
        "errors": [],
        "error_explanations": [],
        "labels": dict(labels),
        "depends_on": sorted(dependency_ids_),
        "components": [],
        "config": config,
    }
