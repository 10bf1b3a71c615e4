# Copyright: (c) 2026, rapyuta.rio contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""The plan of action of rio_package and the listing of rio_package_info.
FOR INTERNAL COLLECTION USE ONLY: may change in any release.

A package is identified by name + version and is immutable on the platform. The manifest is read
and validated before the first request; a stored package is compared with it in normalized form
(``v1/manifest.py``). A differing package is replaced only with ``force`` and only when no live
deployment uses it; a package with live deployments is never deleted.
"""

from ansible_collections.rapyuta.rio.plugins.module_utils.v1.constants import (
    LIVE_PHASES,
    PHASE_PARTIALLY_DEPROVISIONED,
)
from ansible_collections.rapyuta.rio.plugins.module_utils.transport.client import RioError, RioNotFound
from ansible_collections.rapyuta.rio.plugins.module_utils.deployments.results import shape_deployment
from ansible_collections.rapyuta.rio.plugins.module_utils.v1.manifest import (
    ManifestError,
    describe_difference,
    load_manifest,
    manifest_differences,
    normalize_manifest,
    normalize_stored_package,
    plan_components,
    validate_manifest,
)


USING_PHASES = tuple(LIVE_PHASES) + (PHASE_PARTIALLY_DEPROVISIONED,)


class PackageChangeRefused(RioError):
    """The stored package differs from the manifest and ``force`` is not set."""


class PackageInUse(RioError):
    """Live deployments use the package, so it cannot be deleted or replaced."""


# -- the documented return value -----------------------------------------------------------------
def _executable(executable):
    return {
        "name": executable.get("name"),
        "executable_id": executable.get("id"),
        "docker": executable.get("docker") or None,
        "build_guid": executable.get("buildGUID") or None,
        "cmd": list(executable.get("cmd") or []),
    }


def _component(component, ids):
    return {
        "name": component.get("name"),
        "component_id": ids.get(component.get("name")),
        "runtime": component.get("requiredRuntime"),
        "architecture": component.get("architecture"),
        "executables": [_executable(exe) for exe in component.get("executables") or []],
        "parameters": [{"name": par.get("name"), "default": par.get("default")}
                       for par in component.get("parameters") or []],
    }


def shape_package(info):
    """A stored package, a ``/v2/catalog`` summary (``summarize_package``) or a manifest -> ``package``.

    Ids are null for a manifest (a package not created yet); ``components`` is empty for a summary.
    """
    plans = []
    for plan in info.get("plans") or []:
        ids = dict((comp.get("componentName"), comp.get("componentId")) for comp in plan.get("internalComponents") or [])
        plans.append({
            "plan_id": plan.get("planId"),
            "name": plan.get("planName") if plan.get("planName") is not None else plan.get("name"),
            "components": [_component(comp, ids) for comp in plan_components(plan)],
        })
    return {
        "package_id": info.get("guid") or info.get("packageId"),
        "name": info.get("packageName") if info.get("packageName") is not None else info.get("name"),
        "version": info.get("packageVersion"),
        "description": info.get("description") or "",
        "status": info.get("status"),
        "plans": plans,
    }


def describe_deployments(deployments):
    return ", ".join("%s (%s, %s)" % (dep.get("name"), dep.get("deploymentId"), dep.get("phase"))
                     for dep in deployments)


def live_deployments(api, package_id):
    """Deployments that still use the package, sorted by name.

    Stricter than ``LIVE_PHASES`` (``v1/constants.py``): a ``Partially deprovisioned`` deployment still runs
    some components of the package, so only ``Deployment stopped`` frees it.
    """
    rows = api.list_deployments(phases=USING_PHASES, package_id=package_id) or []
    return sorted((dep for dep in rows if dep.get("phase") in USING_PHASES
                   and dep.get("packageId") in (None, package_id)),
                  key=lambda dep: (dep.get("name") or "", dep.get("deploymentId") or ""))


# -- inputs ----------------------------------------------------------------------------------------
def read_manifest(params):
    """The validated manifest of a ``state: present`` task. Makes no request."""
    if params.get("manifest") is not None:
        manifest = load_manifest(params["manifest"])
    else:
        manifest = load_manifest(params["manifest_file"])
    validate_manifest(manifest)
    for option, field in (("name", "name"), ("version", "packageVersion")):
        if params.get(option) is not None and params[option] != manifest.get(field):
            raise ManifestError([(field, "the manifest says %r but the task's %s is %r" % (
                manifest.get(field), option, params[option]))])
    return manifest


# -- rio_package -----------------------------------------------------------------------------------
class PackageTask:
    """One rio_package run. ``action`` and ``extra`` always describe what a failure should say."""

    def __init__(self, api, params, check_mode=False, diff_mode=False):
        self.api = api
        self.params = params
        self.check_mode = check_mode
        self.diff_mode = diff_mode
        self.action = "Failed to read package"
        self.extra = {}

    def _label(self, info):
        return "%s %s (%s)" % (info.get("packageName"), info.get("packageVersion"), info.get("guid"))

    def _refuse_if_used(self, info, doing):
        self.action = "Failed to list the deployments of package %s" % self._label(info)
        used = live_deployments(self.api, info["guid"])
        if used:
            self.action = "Failed to %s package %s" % (doing, self._label(info))
            self.extra = dict(deployments=[shape_deployment(dep) for dep in used])
            raise PackageInUse("live deployments use it: %s; deprovision them first" % describe_deployments(used))

    # -- state: absent -----------------------------------------------------------------------------
    def _find(self):
        if self.params.get("package_id"):
            self.action = "Failed to read package %s" % self.params["package_id"]
            try:
                return self.api.get_package(self.params["package_id"])
            except RioNotFound:
                return None
        self.action = "Failed to find package %s %s" % (self.params["name"], self.params["version"])
        return self.api.find_package(self.params["name"], self.params["version"])

    def absent(self):
        info = self._find()
        if info is None:
            return dict(changed=False, before={}, after={}, package={})
        before = normalize_stored_package(info) if self.diff_mode else None
        self._refuse_if_used(info, "delete")
        if not self.check_mode:
            self.action = "Failed to delete package %s" % self._label(info)
            self.api.delete_package(info["guid"])
        return dict(changed=True, before=before, after={}, package={})

    # -- state: present ----------------------------------------------------------------------------
    def present(self, manifest):
        name, version = manifest["name"], manifest["packageVersion"]
        self.action = "Failed to find package %s %s" % (name, version)
        desired = normalize_manifest(manifest)
        info = self.api.find_package(name, version)
        if info is None:
            return self._create(manifest, desired, before={})

        live = normalize_stored_package(info)
        differences = manifest_differences(desired, live)
        if not differences:
            return dict(changed=False, before=live, after=live, package=shape_package(info))

        self.extra = dict(differences=differences, package=shape_package(info))
        if not self.params.get("force"):
            self.action = "Failed to update package %s" % self._label(info)
            raise PackageChangeRefused(
                "it exists with different content, and a package version is immutable; bump packageVersion, "
                "or set force: true to replace it (possible only while no live deployment uses it). "
                "Differing fields (declared != stored): %s" % "; ".join(describe_difference(item) for item in differences))
        self._refuse_if_used(info, "replace")
        if not self.check_mode:
            self.action = "Failed to delete package %s to replace it" % self._label(info)
            self.api.delete_package(info["guid"])
        result = self._create(manifest, desired, before=live)
        result["differences"] = differences
        return result

    def _create(self, manifest, desired, before):
        if self.check_mode:
            return dict(changed=True, before=before, after=desired, package=shape_package(manifest))
        self.action = "Failed to create package %s %s" % (manifest["name"], manifest["packageVersion"])
        created = self.api.create_package(manifest)
        return dict(changed=True, before=before, after=desired, package=shape_package(created))


def run_package(rio):
    """main() of rio_package: the manifest is read and validated before the first request."""
    params = rio.params
    manifest = None
    if params["state"] == "present":
        try:
            manifest = read_manifest(params)
        except ManifestError as exc:
            errors = [{"path": path, "message": message} for path, message in exc.errors]
            rio.fail("Invalid package manifest: %s" % exc, errors=errors)
            return
        except Exception as exc:  # a missing library or an unexpected failure, through the one helper
            rio.fail_from_error(exc, "Failed to read the package manifest")
            return
    task = PackageTask(rio.api, params, check_mode=rio.check_mode, diff_mode=rio.diff_mode)
    try:
        result = task.present(manifest) if manifest is not None else task.absent()
    except Exception as exc:  # every failure, expected or not, goes out through one helper
        rio.fail_from_error(exc, task.action, **task.extra)
        return
    rio.exit(**result)


# -- rio_package_info ------------------------------------------------------------------------------
def package_infos(api, filters):
    """Packages matching every filter, sorted by name and version; ``[]`` when none matches.

    ``name`` is a substring match and ``version`` an exact one, as the SDK's ``get_all_packages``.
    """
    rows = api.list_packages(name=filters.get("name"), version=filters.get("version"))
    if filters.get("package_id"):
        rows = [row for row in rows if row["packageId"] == filters["package_id"]]
    rows = sorted(rows, key=lambda row: (row.get("packageName") or "", row.get("packageVersion") or "",
                                         row.get("packageId") or ""))
    packages = []
    for row in rows:
        if filters.get("details"):
            try:
                row = api.get_package(row["packageId"])
            except RioNotFound:  # deleted between the list and this read
                continue
        package = shape_package(row)
        if filters.get("deployments"):
            deployments = api.list_deployments(phases=filters.get("phases") or None, package_id=package["package_id"])
            package["deployments"] = [shape_deployment(dep) for dep in sorted(
                deployments or [], key=lambda dep: (dep.get("name") or "", dep.get("deploymentId") or ""))]
        packages.append(package)
    return packages
