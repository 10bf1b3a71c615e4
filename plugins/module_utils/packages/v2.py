# Copyright: (c) 2026, rapyuta.rio contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""rio_package and rio_package_info on the v2 API. FOR INTERNAL COLLECTION USE ONLY: may change in any release.

A v2 package is one ``kind: Package`` document addressed by name and version, with no update call
(docs/reference/v2-api.md#packages). rio_package hands that one document to the shared applier
(``v2/apply.py``), which reads, compares, and creates, recreates or deletes it; ``force`` is the
applier's ``on_change=recreate`` and a package that live deployments use is never removed.

A v1 catalog manifest is refused rather than converted: its plans, several components, plan-level
exposed parameters and ROS settings have no one-to-one v2 form
(docs/reference/v2-api.md#v1-to-v2-mapping), so a converted package would not be what the user wrote.
Every refusal happens before the first request. Nothing here imports Ansible.
"""

from ansible_collections.rapyuta.rio.plugins.module_utils.transport.client import RioError
from ansible_collections.rapyuta.rio.plugins.module_utils.v2.apply import (
    ApplyRefused,
    ManifestApply,
    diff_key,
    identity,
    is_dependent,
)
from ansible_collections.rapyuta.rio.plugins.module_utils.v2.documents import (
    DEFAULT_API_VERSION,
    PACKAGE,
    ManifestError,
    Problem,
    read_documents_file,
    shown,
)
from ansible_collections.rapyuta.rio.plugins.module_utils.v2.info import resource_infos
from ansible_collections.rapyuta.rio.plugins.module_utils.v2.model import DocumentModel

MAPPING_DOC = "docs/reference/v2-api.md#v1-to-v2-mapping"

# Options of rio_package that have no v2 counterpart: option -> what to do instead.
PACKAGE_V1_ONLY = {
    "package_id": "v2 packages are addressed by name and version, not by id; give name and version instead",
}
# Options of rio_package_info that have no v2 counterpart.
PACKAGE_INFO_V1_ONLY = {
    "package_id": "v2 packages are addressed by name and version, not by id; filter with name and version instead",
    "details": "a v2 list already holds every package in full; remove it",
    "deployments": "list a package's v2 deployments with rapyuta.rio.rio_deployment_info "
                   "(package_name, package_version) or rapyuta.rio.rio_resource_info (kind: Deployment)",
    "phases": "filter v2 deployments with rapyuta.rio.rio_deployment_info or rapyuta.rio.rio_resource_info",
}
# Options of rio_package_info that only v2 has.
PACKAGE_INFO_V2_ONLY = {
    "labels": "v1 packages have no labels; set api_version: v2 to filter v2 packages by label",
}

# Keys that only a v1 catalog manifest has, with what each became on v2.
V1_MANIFEST_KEYS = (
    ("plans", "v2 packages have no plans: a v2 package is one component (one package per component, "
              "linked by the deployments' spec.depends)"),
    ("packageVersion", "the version is metadata.version"),
    ("packageName", "the name is metadata.name"),
)


class PackageInputError(RioError):
    """Options or a manifest a v2 task cannot use; found before any request. ``errors``: [{path, message}]."""

    def __init__(self, message, errors=None):
        self.errors = errors or []
        super().__init__(message)


def refused_options(params, table):
    """Messages for the options of ``table`` that the task sets (a false boolean counts as unset)."""
    return ["%s: %s" % (option, table[option]) for option in sorted(table)
            if params.get(option) not in (None, False, [], {}, "")]


def _manifest_option(params):
    return "manifest" if params.get("manifest") is not None else "manifest_file"


def v1_manifest_problems(body, option="manifest"):
    """Why ``body`` is a v1 catalog manifest and not a v2 document: one line per v1 key; [] for a v2 document."""
    if not isinstance(body, dict):
        return []
    found = ["%s.%s: %s" % (option, key, meaning) for key, meaning in V1_MANIFEST_KEYS if key in body]
    if found or body.get("apiVersion") in ("1.0.0", "2.0.0", "2.1.0"):
        found.append("%s: this is a v1 catalog manifest, which the v2 API does not take and which is not converted "
                     "(plans, components and ROS settings have no exact v2 form, see %s); write it as a v2 "
                     "document (apiVersion: %s, kind: Package, metadata: {name, version}, spec: {runtime, "
                     "executables, ...}), or run this task with api_version: v1" % (option, MAPPING_DOC,
                                                                                    DEFAULT_API_VERSION))
    return found


def _raw_documents(params):
    option = _manifest_option(params)
    if option == "manifest":
        return [params["manifest"]], option
    return read_documents_file(params["manifest_file"]), option


def read_package_document(params, model=None):
    """``(body, warnings)``: the wire body of the task's one v2 Package document. Makes no request.

    Raises PackageInputError (a v1 manifest, not exactly one Package, name or version contradicting
    the task) or ManifestError (an invalid document, every problem named)."""
    model = model or DocumentModel()
    bodies, option = _raw_documents(params)
    if len(bodies) != 1:
        raise PackageInputError("%s: holds %d documents; rio_package takes one Package document (apply a set of "
                                "documents with rapyuta.rio.rio_resource)" % (option, len(bodies)))
    body = bodies[0]
    v1_problems = v1_manifest_problems(body, option)
    if v1_problems:
        errors = [dict(zip(("path", "message"), line.split(": ", 1), strict=True)) for line in v1_problems]
        raise PackageInputError("; ".join(v1_problems), errors)
    kind = body.get("kind") if isinstance(body, dict) else None
    if kind != PACKAGE:
        raise PackageInputError("%s.kind: rio_package takes a Package document, got %s (apply other kinds with "
                                "rapyuta.rio.rio_resource)" % (option, shown(kind)),
                                [{"path": "kind", "message": "expected 'Package', got %s" % shown(kind)}])
    wire, warnings = model.load(definition=body)
    metadata = wire[0].get("metadata") or {}
    for name, field in (("name", "name"), ("version", "version")):
        if params.get(name) is not None and params[name] != metadata.get(field):
            raise PackageInputError("%s: the manifest's metadata.%s is %s but the task's %s is %s" % (
                name, field, shown(metadata.get(field)), name, shown(params[name])),
                [{"path": "metadata." + field, "message": "the task's %s is %s" % (name, shown(params[name]))}])
    return wire[0], warnings


def absent_document(params):
    """The document that names the package to delete (only its identity is read)."""
    return {"apiVersion": DEFAULT_API_VERSION, "kind": PACKAGE,
            "metadata": {"name": params["name"], "version": params["version"]}}


# -- the documented return values ------------------------------------------------------------------
def shape_package_v2(obj):
    """A v2 Package (live object or document) -> RV ``package`` in its v1 keys; v2 has no plans or status."""
    if not obj:
        return {}
    metadata = obj.get("metadata") or {}
    return {
        "package_id": metadata.get("guid"),
        "name": metadata.get("name"),
        "version": metadata.get("version"),
        "description": metadata.get("description") or "",
        "status": None,
        "plans": [],
    }


def shape_deployment_v2(obj):
    metadata = obj.get("metadata") or {}
    return {"deployment_id": metadata.get("guid"), "name": metadata.get("name"),
            "phase": (obj.get("status") or {}).get("phase")}


def _differences(entries):
    """The applier's differences ({path, before: live, after: declared}) in rio_package's words."""
    return [{"field": item["path"], "desired": item["after"], "live": item["before"]} for item in entries]


def _describe(differences):
    return "; ".join("%s: %r != %r" % (item["field"], item["desired"], item["live"]) for item in differences)


def _name(key):
    return "%s %s" % (key[1], key[2])


# -- rio_package -----------------------------------------------------------------------------------
class PackageV2Task:
    """One rio_package run on v2. ``action`` and ``extra`` describe what a failure should say."""

    def __init__(self, api, params, check_mode=False):
        self.api = api
        self.params = params
        self.check_mode = check_mode
        self.action = "Failed to read package"
        self.extra = {}
        self.engine = ManifestApply(api, check_mode=check_mode,
                                    on_change="recreate" if params.get("force") else "fail", on_dependents="fail")

    def run(self, body, state):
        key = identity(body)
        self.action = "Failed to %s package %s" % ("delete" if state == "absent" else "apply", _name(key))
        try:
            outcome = self.engine.run([body], state)
        except ApplyRefused as exc:
            raise self._refusal(exc, key)
        entry = outcome["resources"][0]
        result = dict(changed=outcome["changed"], action=entry["action"],
                      before=outcome["before"].get(diff_key(key), {}), after=outcome["after"].get(diff_key(key), {}))
        if state == "absent":
            result.update(package={}, resource={})
        else:
            result.update(package=shape_package_v2(entry["object"]), resource=entry["object"])
        if entry["differences"]:
            result["differences"] = _differences(entry["differences"])
        return result

    def _refusal(self, exc, key):
        entry = exc.resources[0] if exc.resources else {}
        differences = _differences(entry.get("differences") or [])
        if differences:
            self.extra["differences"] = differences
        if entry.get("action") == "refused":
            self.action = "Failed to update package %s" % _name(key)
            return RioError("it exists with different content, and a package version is immutable; bump "
                            "metadata.version, or set force: true to replace it (possible only while no live "
                            "deployment uses it). Differing fields (declared != stored): %s" % _describe(differences))
        # The applier refused because live deployments use the package; its list of them was read once already.
        live = self.engine.read(key)
        users = sorted((dep for dep in self.engine.live_deployments() if is_dependent(dep, key, live)),
                       key=lambda dep: ((dep.get("metadata") or {}).get("name") or ""))
        self.extra["deployments"] = [shape_deployment_v2(dep) for dep in users]
        self.action = "Failed to %s package %s" % ("replace" if differences else "delete", _name(key))
        return RioError("live deployments use it: %s; delete them first" % ", ".join(
            "%s (%s)" % (item["name"], item["phase"]) for item in self.extra["deployments"]) if users else str(exc))


def run_package_v2(rio):
    """main() of rio_package on v2: every refusal and the manifest's validation before the first request."""
    params = rio.params
    refused = refused_options(params, PACKAGE_V1_ONLY)
    if refused:
        rio.fail("Not available on the v2 API: %s" % "; ".join(refused), changed=False)
        return
    if params["state"] == "present":
        try:
            body, warnings = read_package_document(params)
        except PackageInputError as exc:
            rio.fail("Invalid package manifest: %s" % exc, errors=exc.errors, changed=False)
            return
        except ManifestError as exc:
            errors = [{"path": problem.path or "", "message": problem.message} for problem in exc.problems
                      if isinstance(problem, Problem)]
            rio.fail("Invalid package manifest: %s" % exc, errors=errors, changed=False)
            return
        for warning in warnings:
            rio.warn(warning)
    else:
        body = absent_document(params)
    task = PackageV2Task(rio.v2_api, params, check_mode=rio.check_mode)
    try:
        result = task.run(body, params["state"])
    except Exception as exc:  # every failure, expected or not, goes out through one helper
        rio.fail_from_error(exc, task.action, changed=bool(getattr(exc, "changed", False)), **task.extra)
        return
    rio.exit(**result)


# -- rio_package_info ------------------------------------------------------------------------------
def package_v2_infos(api, filters):
    """``(packages, resources)``: the matching v2 packages in rio_package's keys and as the API gives them,
    sorted by name and version. Every page of the list is read (RioV2Api.list_objects)."""
    found = resource_infos(api, PACKAGE, dict(name=filters.get("name"), version=filters.get("version"),
                                              labels=filters.get("labels")))
    found = sorted(found, key=lambda obj: ((obj.get("metadata") or {}).get("name") or "",
                                           (obj.get("metadata") or {}).get("version") or "",
                                           (obj.get("metadata") or {}).get("guid") or ""))
    return [shape_package_v2(obj) for obj in found], found


def run_package_info_v2(rio):
    refused = refused_options(rio.params, PACKAGE_INFO_V1_ONLY)
    if refused:
        rio.fail("Not available on the v2 API: %s" % "; ".join(refused))
        return
    packages, resources = rio.run("Failed to list packages", package_v2_infos, rio.v2_api, rio.params)
    rio.exit(changed=False, packages=packages, resources=resources)
