# Copyright: (c) 2026, rapyuta.rio contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""Shared by the package unit tests: fixture manifests, their stored form (docs/reference/v1-api.md#stored-package), a fake API."""

import copy
import glob
import json
import os

from ansible_collections.rapyuta.rio.plugins.module_utils.v1.constants import GONE_PHASES
from ansible_collections.rapyuta.rio.plugins.module_utils.v1.api import RioLookupError
from ansible_collections.rapyuta.rio.plugins.module_utils.transport.client import RioConflict, RioNotFound

MANIFESTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", "manifests")

WRITES = ("create_package", "delete_package")


def manifest_names():
    return sorted(os.path.basename(path) for path in glob.glob(os.path.join(MANIFESTS, "*.json")))


def load_fixture(name):
    with open(os.path.join(MANIFESTS, name)) as handle:
        return json.load(handle)


def stored_form(manifest, package_id="pkg-aaaaaaaaaaaaaaaaaaaaaaaa"):
    """What GET /serviceclass/status returns for a manifest (docs/reference/v1-api.md#stored-package), server fields included."""
    source = copy.deepcopy(manifest)
    info = {
        "guid": package_id, "packageName": source["name"], "packageVersion": source["packageVersion"],
        "description": source.get("description", ""),
        "isPublic": False, "category": "Default", "status": "Complete", "tags": None, "buildGeneration": 0,
        "ownerProject": "project-pppppppppppppppppppppppp", "creator": "u-1", "ID": 17,
        "CreatedAt": "2026-11-25T01:02:03Z", "UpdatedAt": "2026-11-25T01:02:03Z", "DeletedAt": None,
        "plans": [],
    }
    for key in ("apiVersion", "bindable"):  # see test_undeclared_optional_fields_are_not_compared
        if key in source:
            info[key] = source[key]
    for p_index, plan in enumerate(source["plans"]):
        plan_id = "plan-%s-%d" % (package_id[4:], p_index)
        components = plan.get("components") or []
        for c_index, component in enumerate(components):
            component.setdefault("labels", None)
            component.setdefault("ros", None)
            for e_index, executable in enumerate(component.get("executables") or []):
                executable["id"] = "exec-%d-%d-%d" % (p_index, c_index, e_index)
                executable.setdefault("args", None)
                executable.setdefault("env", None)
        metadata = dict(plan.get("metadata") or {})
        metadata["exposedParameters"] = plan.get("exposedParameters")
        info["plans"].append({
            "planId": plan_id, "planName": plan["name"], "packageId": 17, "description": "",
            "singleton": plan.get("singleton", False), "shared": False, "catalogComponents": None,
            "internalComponents": [{"componentId": "comp-%d-%d" % (p_index, index), "componentName": comp["name"],
                                    "runtime": comp["requiredRuntime"]} for index, comp in enumerate(components)],
            "components": {"components": components},
            "dependentDeployments": plan.get("dependentDeployments") or [],
            "includePackages": plan.get("includePackages"),
            "metadata": metadata,
            "inboundROSInterfaces": {"inboundROSInterfaces": plan.get("inboundROSInterfaces")},
            "ID": 3, "CreatedAt": "2026-11-25T01:02:03Z", "UpdatedAt": "2026-11-25T01:02:03Z", "DeletedAt": None,
        })
    return info


class FakePackageApi:
    """Just enough of RioApi for packages, keeping state and logging every call."""

    def __init__(self):
        self.calls = []
        self.packages = {}
        self.deployments = []
        self._next = 0

    def writes(self):
        return [call for call in self.calls if call[0] in WRITES]

    def add(self, manifest):
        self._next += 1
        package_id = "pkg-%024d" % self._next
        self.packages[package_id] = stored_form(manifest, package_id)
        return package_id

    def deploy(self, package_id, name, phase="Succeeded"):
        self.deployments.append({"deploymentId": "dep-%s" % name, "name": name, "packageId": package_id,
                                 "packageName": self.packages[package_id]["packageName"],
                                 "planId": self.packages[package_id]["plans"][0]["planId"], "phase": phase})

    # -- RioApi surface -----------------------------------------------------------------------------
    def list_packages(self, name=None, version=None):
        self.calls.append(("list_packages", name, version))
        rows = [{"packageId": pid, "packageName": info["packageName"], "packageVersion": info["packageVersion"],
                 "description": info["description"],
                 "plans": [{"planId": plan["planId"], "planName": plan["planName"]} for plan in info["plans"]]}
                for pid, info in sorted(self.packages.items())]
        return [row for row in rows if (name is None or name in row["packageName"])
                and (version is None or row["packageVersion"] == version)]

    def get_package(self, package_id):
        self.calls.append(("get_package", package_id))
        if package_id not in self.packages:
            raise RioNotFound(404, "GET", "/serviceclass/status", "Package not found")
        return copy.deepcopy(self.packages[package_id])

    def find_package(self, name, version):
        self.calls.append(("find_package", name, version))
        found = [pid for pid, info in self.packages.items()
                 if info["packageName"] == name and info["packageVersion"] == version]
        if len(found) > 1:
            raise RioLookupError("package %s %s exists %d times" % (name, version, len(found)))
        return copy.deepcopy(self.packages[found[0]]) if found else None

    def create_package(self, manifest):
        self.calls.append(("create_package", manifest["name"], manifest["packageVersion"]))
        if any(info["packageName"] == manifest["name"] and info["packageVersion"] == manifest["packageVersion"]
               for info in self.packages.values()):
            raise RioConflict(409, "POST", "/serviceclass/add", "package already exists")
        return copy.deepcopy(self.packages[self.add(manifest)])

    def delete_package(self, package_id):
        self.calls.append(("delete_package", package_id))
        if package_id not in self.packages:
            raise RioNotFound(404, "DELETE", "/serviceclass/delete", "Package not found")
        del self.packages[package_id]

    def list_deployments(self, phases=None, package_id=None, device_id=None):
        self.calls.append(("list_deployments", tuple(phases or ()), package_id))
        return [copy.deepcopy(dep) for dep in self.deployments
                if (package_id is None or dep["packageId"] == package_id)
                and (not phases or dep["phase"] in phases)]


__all__ = ["GONE_PHASES", "MANIFESTS", "FakePackageApi", "load_fixture", "manifest_names", "stored_form"]
