# Copyright: (c) 2026, rapyuta.rio contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""rio_deployment and rio_deployment_info on the v2 API. FOR INTERNAL COLLECTION USE ONLY: may change in any release.

rio_deployment's options become ONE v2 Deployment document (docs/reference/v2-api.md#v1-to-v2-mapping),
or the task gives that document itself (``definition``); the shared applier (``v2/apply.py``) then
reads, compares, creates, recreates, deletes and waits, exactly as for rio_resource. What has no v2
counterpart (plans, several components, aliases, ROS bag jobs...) is refused before any request,
naming the option and what to do instead.

Before a creation (never on a converged run) the objects the document names are read, so a missing
package, device, network, disk, static route or dependency, a package of the other runtime, or a
device the platform would fail the deployment on (not ONLINE: DEP_E151; of another architecture than
the package: DEP_E162, docs/reference/v2-api.md#deployment-error-codes) is refused naming the option,
with nothing written; dependencies still starting are waited for, as v1 did, while the networks and
disks it uses are waited for along with the deployment, after its creation. The device reads are the
run's cached device list and one selection query per architecture (v1's), shared by a batch.
Nothing here imports Ansible.
"""

import copy

from ansible_collections.rapyuta.rio.plugins.module_utils.deployments.checks import DeploymentInputError, check_labels
from ansible_collections.rapyuta.rio.plugins.module_utils.devices.device import ONLINE, architecture_of
from ansible_collections.rapyuta.rio.plugins.module_utils.transport.client import RioError
from ansible_collections.rapyuta.rio.plugins.module_utils.v1 import constants as v1
from ansible_collections.rapyuta.rio.plugins.module_utils.v1.api import is_auth_error
from ansible_collections.rapyuta.rio.plugins.module_utils.v1.wait import DeploymentFailed, WaitTimeout
from ansible_collections.rapyuta.rio.plugins.module_utils.v2 import readiness
from ansible_collections.rapyuta.rio.plugins.module_utils.v2.apply import (
    ApplyRefused,
    ManifestApply,
    diff_key,
    identity,
    label,
    wait_settings,
)
from ansible_collections.rapyuta.rio.plugins.module_utils.v2.documents import (
    DEFAULT_API_VERSION,
    DEPLOYMENT,
    ManifestError,
    load_documents,
)
from ansible_collections.rapyuta.rio.plugins.module_utils.v2.model import DocumentModel

# The architecture of a device package that declares none (docs/reference/v2-api.md#package-spec).
DEFAULT_ARCH = "amd64"
RESTART_POLICIES = {"always": "always", "never": "never", "on_failure": "onfailure"}

# The options a v2 document comes from; with ``definition`` none of them may be set.
MAPPED_OPTIONS = ("package_id", "package_name", "package_version", "plan", "components", "labels", "depends_on",
                  "routed_networks", "native_networks")

# v1 phase spellings a rio_deployment_info task may use on v2, in v2's words, in the order of
# readiness.PHASES (docs/reference/v2-api.md#deployment-phases-and-readiness); the partial
# deprovisioning of v1 has no counterpart.
V1_PHASES = dict(zip((v1.PHASE_IN_PROGRESS, v1.PHASE_PROVISIONING, v1.PHASE_SUCCEEDED, v1.PHASE_FAILED_TO_START),
                     readiness.PHASES[:4], strict=True))
V1_PHASES[v1.PHASE_STOPPED] = readiness.PHASE_STOPPED
V2_ONLY_PHASES = tuple(phase for phase in readiness.PHASES if phase not in V1_PHASES)


class V2InputError(RioError):
    """Options that cannot make a v2 deployment; ``problems`` has one line per option."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__("; ".join(self.problems))


# -- options that v2 does not have ------------------------------------------------------------------

def _component_refusals(index, entry):
    where = "components[%d]" % index
    found = []
    if entry.get("ignore_device_config"):
        found.append("%s.ignore_device_config: v2 copies no device configuration variables into a deployment; "
                     "remove it" % where)
    if entry.get("alias"):
        found.append("%s.alias: v2 has no component alias (the deployment name plays its role); remove it" % where)
    if entry.get("set_ros_namespace"):
        found.append("%s.set_ros_namespace: v2 has no alias namespace; remove it" % where)
    if entry.get("set_component_alias") is False:
        found.append("%s.set_component_alias: v2 has no component alias; remove it" % where)
    if entry.get("rosbag_jobs"):
        found.append("%s.rosbag_jobs: v2 has no ROS bag jobs (the platform removed them); remove them" % where)
    for number, volume in enumerate(entry.get("volumes") or []):
        if volume.get("mount_path"):
            found.append("%s.volumes[%d].mount_path: v2 mounts a disk per executable; give executable_mounts "
                         "(exec_name, mount_path, sub_path) instead" % (where, number))
    for key, value in (entry.get("parameters") or {}).items():
        if value is None or isinstance(value, (dict, list, tuple)):
            found.append("%s.parameters.%s: v2 passes parameters as strings; give a string (or a number or a "
                         "boolean, sent as its text), got %r" % (where, key, value))
    return found


def refusals(params):
    """One line per option of ``params`` that a v2 task cannot have, each saying what to do instead."""
    found = []
    if params.get("definition") is not None:
        given = [option for option in MAPPED_OPTIONS if params.get(option)]
        if given:
            found.append("definition: mutually exclusive with %s; the document says it all (metadata, spec), or "
                         "use those options without definition" % ", ".join(given))
        return found
    if params.get("package_id"):
        found.append("package_id: v2 addresses a package by its name and version; give package_name and "
                     "package_version instead")
    if params.get("plan"):
        found.append("plan: v2 packages have no plans (a v2 package is one component); remove it")
    components = params.get("components") or []
    if len(components) > 1:
        found.append("components: a v2 deployment runs one package, which is one component; give one entry, and "
                     "deploy each other component (its own v2 package) as its own deployment linked with depends_on")
    for index, entry in enumerate(components):
        found.extend(_component_refusals(index, entry))
    return found


# -- options -> document --------------------------------------------------------------------------

def _text(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    return value if isinstance(value, str) else str(value)


def _reference(kind, name):
    return {"kind": kind, "nameOrGUID": name}


def _volumes(entry):
    volumes = []
    for volume in entry.get("volumes") or []:
        for mount in volume.get("executable_mounts") or []:
            item = {"execName": mount["exec_name"], "mountPath": mount["mount_path"]}
            if volume.get("device_volume"):
                item["subPath"] = mount.get("sub_path") or "/"
            else:
                if mount.get("sub_path"):
                    item["subPath"] = mount["sub_path"]
                item["depends"] = _reference("disk", volume["volume"])
            volumes.append(item)
    return volumes


def mapped_body(params):
    """The v2 Deployment the options describe (before validation), and where each field came from."""
    entry = (params.get("components") or [{}])[0]
    metadata = {"name": params["name"],
                "depends": {"kind": "package", "nameOrGUID": params.get("package_name"),
                            "version": params.get("package_version")}}
    labels = check_labels(params.get("labels"))
    if labels:
        metadata["labels"] = labels
    spec = {"runtime": "device" if entry.get("device") else "cloud"}
    origins = {"metadata.depends": "package_name", "metadata.labels": "labels", "spec.runtime": "components[0].device"}
    if entry.get("device"):
        spec["device"] = {"depends": _reference("device", entry["device"])}
        origins["spec.device"] = "components[0].device"
    if entry.get("restart_policy"):
        spec["restart"] = RESTART_POLICIES[entry["restart_policy"]]
        origins["spec.restart"] = "components[0].restart_policy"
    if params.get("depends_on"):
        spec["depends"] = [_reference("deployment", name) for name in params["depends_on"]]
        for index in range(len(params["depends_on"])):
            origins["spec.depends[%d]" % index] = "depends_on[%d]" % index
    if entry.get("parameters"):
        spec["envArgs"] = [{"name": str(key), "value": _text(value)} for key, value in entry["parameters"].items()]
        origins["spec.envArgs"] = "components[0].parameters"
    volumes = _volumes(entry)
    if volumes:
        spec["volumes"] = volumes
        origins["spec.volumes"] = "components[0].volumes"
    networks = []
    for option in ("routed_networks", "native_networks"):
        for index, net in enumerate(params.get(option) or []):
            item = {"depends": _reference("network", net["name"])}
            if net.get("network_interface"):
                item["interface"] = net["network_interface"]
            origins["spec.rosNetworks[%d]" % len(networks)] = "%s[%d]" % (option, index)
            networks.append(item)
    if networks:
        spec["rosNetworks"] = networks
    if entry.get("static_routes"):
        spec["staticRoutes"] = [{"name": str(endpoint), "depends": _reference("staticroute", route)}
                                for endpoint, route in entry["static_routes"].items()]
        origins["spec.staticRoutes"] = "components[0].static_routes"
    body = {"apiVersion": DEFAULT_API_VERSION, "kind": DEPLOYMENT, "metadata": metadata, "spec": spec}
    return body, origins


def _origin(origins, path):
    """The option a document path came from: the longest known prefix of the path."""
    best = None
    for prefix in origins:
        if (path == prefix or path.startswith(prefix + ".") or path.startswith(prefix + "[")) and (
                best is None or len(prefix) > len(best)):
            best = prefix
    return origins[best] if best else None


def _where(origins, path):
    if origins is None:
        return "definition.%s" % path if path else "definition"
    option = _origin(origins, path or "")
    return "%s (%s)" % (option, path) if option else (path or "the deployment")


def definition_body(params):
    """The document a task gives in ``definition``: one Deployment, named as the task (metadata.name
    may be left out)."""
    try:
        documents = load_documents(params["definition"])
    except ManifestError as exc:
        raise V2InputError(["definition: %s" % problem.message for problem in exc.problems])
    if len(documents) != 1 or not isinstance(documents[0].body, dict):
        raise V2InputError(["definition: give one Deployment document (a mapping), got %d document(s); rio_resource "
                            "applies several" % len(documents)])
    body = documents[0].body
    if body.get("kind", DEPLOYMENT) != DEPLOYMENT:
        raise V2InputError(["definition.kind: rio_deployment applies a Deployment, got %r; use rio_resource for "
                            "other kinds" % body.get("kind")])
    body.setdefault("kind", DEPLOYMENT)
    metadata = body.setdefault("metadata", {})
    if not isinstance(metadata, dict):
        raise V2InputError(["definition.metadata: must be a mapping, got %r" % (metadata,)])
    named = metadata.setdefault("name", params["name"])
    if named != params["name"]:
        raise V2InputError(["definition.metadata.name: %r differs from the task's name %r; give the same name, or "
                            "leave metadata.name out" % (named, params["name"])])
    return body


def deployment_body(params, model=None):
    """``(wire body, origins, warnings)`` of the task's deployment, validated as rio_resource validates;
    origins is None for a ``definition``. Raises V2InputError naming options (or document paths)."""
    problems = refusals(params)
    if problems:
        raise V2InputError(problems)
    if params.get("definition") is not None:
        body, origins = definition_body(params), None
    else:
        try:
            body, origins = mapped_body(params)
        except DeploymentInputError as exc:
            raise V2InputError([str(exc)])
    model = model or DocumentModel()
    try:
        bodies, warnings = model.load(body)
    except ManifestError as exc:
        raise V2InputError(["%s: %s" % (_where(origins, problem.path), problem.message) for problem in exc.problems])
    return bodies[0], origins, warnings


def absent_body(params):
    """What ``state: absent`` needs: the name (and, from a definition, its labels, for the retain policy)."""
    metadata = {"name": params["name"]}
    definition = params.get("definition")
    if isinstance(definition, dict) and isinstance(definition.get("metadata"), dict):
        labels = definition["metadata"].get("labels")
        if isinstance(labels, dict):
            metadata["labels"] = labels
    return {"apiVersion": DEFAULT_API_VERSION, "kind": DEPLOYMENT, "metadata": metadata}


# -- the applier, with the checks of a creation ----------------------------------------------------

def _looks_like_guid(name, prefix):
    return isinstance(name, str) and name.startswith(prefix)


def _used_objects(spec):
    """(path, kind, name) of the networks, disks and static routes a deployment document names."""
    used = [("spec.rosNetworks[%d]" % index, "Network", (net.get("depends") or {}).get("nameOrGUID"))
            for index, net in enumerate(spec.get("rosNetworks") or [])]
    used += [("spec.volumes[%d]" % index, "Disk", volume["depends"].get("nameOrGUID"))
             for index, volume in enumerate(spec.get("volumes") or []) if volume.get("depends")]
    used += [("spec.staticRoutes[%d]" % index, "StaticRoute", (route.get("depends") or {}).get("nameOrGUID"))
             for index, route in enumerate(spec.get("staticRoutes") or [])]
    return used


class DeploymentApply(ManifestApply):
    """ManifestApply for deployments: before one is created, what it names is read and checked (and
    its dependencies waited for), for every deployment of the run before the first write."""

    # Whether a dependency still starting is refused when the task does not wait (rio_deployment's
    # rule, as on v1); rio_resource leaves it to the platform, as it always did.
    refuse_pending_without_wait = True

    def __init__(self, api, origins=None, **kwargs):
        super().__init__(api, **kwargs)
        self.origins = origins
        self._declared = {}
        # Deployment key -> (where, kind, name) of the live networks and disks it uses that were not
        # ready before its creation: its wait covers them.
        self._used_not_ready = {}

    def _where(self, path):
        return _where(self.origins, path)

    def run(self, bodies, state="present"):
        # An object the run itself creates before the deployment resolves its reference as a live one does.
        self._declared = dict((identity(body), body) for body in bodies)
        return super().run(bodies, state)

    def _find(self, kind, name, version=None):
        declared = self._declared.get((kind, name, version if kind == "Package" else None))
        return declared if declared is not None else self.api.find(kind, name, version=version)

    def before_writes(self, steps):
        problems, pending = [], []
        for step in steps:
            if step.kind == DEPLOYMENT:
                found, waits, not_ready = self._check_references(step.doc)
                problems.extend(found)
                pending.extend(waits)
                self._used_not_ready[step.key] = not_ready
        if problems:
            raise ApplyRefused(["%s; nothing was written" % problem for problem in problems],
                               [other.report(True) for other in steps])
        if not self.check_mode:  # a preview reports the creation; the real run waits
            for where, name in pending:
                self._wait_for_dependency(where, name)

    def _check_references(self, body):
        metadata, spec = body.get("metadata") or {}, body.get("spec") or {}
        problems, pending = [], []
        package = metadata.get("depends") or {}
        found = None
        if not _looks_like_guid(package.get("nameOrGUID"), "pkg-"):
            found = self._find("Package", package.get("nameOrGUID"), version=package.get("version"))
            if found is None:
                problems.append("%s: no v2 package %s version %s in the project" % (
                    self._where("metadata.depends"), package.get("nameOrGUID"), package.get("version")))
            else:
                runtime = (found.get("spec") or {}).get("runtime")
                if runtime and runtime != spec.get("runtime"):
                    problems.append(self._runtime_problem(package, runtime))
                    found = None
        device = ((spec.get("device") or {}).get("depends") or {}).get("nameOrGUID")
        if device:
            problems.extend(self._device_problems(device, package, found))
        for index, dependency in enumerate(spec.get("depends") or []):
            path = "spec.depends[%d]" % index
            name = dependency.get("nameOrGUID")
            if _looks_like_guid(name, "dep-") or (DEPLOYMENT, name, None) in self._declared:
                continue
            found = self.api.find("Deployment", name)
            state = readiness.state("Deployment", found) if found is not None else None
            if found is None:
                problems.append("%s: no live deployment named %r to depend on" % (self._where(path), name))
            elif state == "failed":
                problems.append("%s: deployment %r is not running: %s" % (
                    self._where(path), name, readiness.describe("Deployment", found)))
            elif state == "pending":
                if self._deadline is None and not self.check_mode:
                    if self.refuse_pending_without_wait:
                        problems.append("%s: deployment %r is not ready yet (phase %r); set wait: true to wait for "
                                        "it" % (self._where(path), name, (found.get("status") or {}).get("phase")))
                else:
                    pending.append((self._where(path), name))
        missing, not_ready = self._missing_objects(spec)
        return problems + missing, pending, not_ready

    def _device_problems(self, name, package, package_object):
        """Why the platform would fail the deployment on this device, before anything is written.

        ``package_object``: the package as found (None when unknown or of the other runtime: then only
        the device's existence and status are checked)."""
        where = self._where("spec.device.depends.nameOrGUID")
        try:
            device = self.api.devices.find_device(name)
        except RioError as exc:
            return ["%s: %s" % (where, exc)]
        if device is None:
            return ["%s: no device named (or with uuid) %r" % (where, name)]
        named = "device %s (%s)" % (device.get("name"), device.get("uuid"))
        if device.get("status") != ONLINE:
            return ["%s: the deployment runs on %s, which is %s, not %s: the platform would fail the deployment "
                    "(DEP_E151, device offline or unreachable)" % (where, named, device.get("status"), ONLINE)]
        if package_object is None:
            return []
        wanted = ((package_object.get("spec") or {}).get("device") or {}).get("arch") or DEFAULT_ARCH
        try:
            actual = architecture_of(self.api.devices, device.get("uuid"), wanted)
        except RioError as exc:
            if is_auth_error(exc):
                raise
            actual = None  # the selection query failed: the platform decides, as v1 does after its warning
        if actual not in (None, wanted):
            return ["%s: package %s %s needs architecture %s, but %s is %s: the platform would fail the deployment "
                    "(DEP_E162, validation error)" % (where, package.get("nameOrGUID"), package.get("version"),
                                                      wanted, named, actual)]
        return []

    def _runtime_problem(self, package, runtime):
        what = "%s %s" % (package.get("nameOrGUID"), package.get("version"))
        if self.origins is None:
            return "%s: package %s runs on %r, the document says %r" % (
                self._where("spec.runtime"), what, runtime, "device" if runtime == "cloud" else "cloud")
        if runtime == "device":
            return "components[0].device: package %s is a device package; give the device that runs it" % what
        return "components[0].device: package %s runs in the cloud; remove the device" % what

    def _missing_objects(self, spec):
        """(problems, the live networks and disks not ready yet: (where, kind, name))."""
        problems, not_ready = [], []
        for path, kind, name in _used_objects(spec):
            found = self._find(kind, name) if name else None
            if found is None:
                problems.append("%s: no %s named %r in the project" % (self._where(path), kind, name))
                continue
            if (kind, name, None) not in self._declared and readiness.state(kind, found) != "ready":
                not_ready.append((self._where(path), kind, name))
            option = _origin(self.origins or {}, path) or ""
            network_type = (found.get("spec") or {}).get("type")
            for expected in ("routed", "native"):
                if option.startswith(expected + "_networks") and network_type and network_type != expected:
                    problems.append("%s: network %r is a %s network; list it under %s_networks" % (
                        self._where(path), name, network_type, network_type))
        return problems, not_ready

    def _wait_for_dependency(self, where, name):
        self._wait_for_object(where, "Deployment", name, "; nothing was written")

    def _wait_for_object(self, where, kind, name, outcome=""):
        def fetch():
            return self.api.find(kind, name, cached=False)

        try:
            self._poll(fetch, lambda obj: readiness.state(kind, obj))
        except (DeploymentFailed, WaitTimeout) as exc:
            text = "%s: %s %r " % (where, kind.lower(), name)
            text += "failed: " if isinstance(exc, DeploymentFailed) else "is not ready after %ss: " % self._deadline.timeout
            raise type(exc)(text + readiness.describe(kind, exc.last) + outcome, last=None, duration=exc.duration)

    # The creation does not wait for the networks and disks a deployment uses: the platform has codes
    # for a deployment whose network or disk is not running yet (DEP_E210, DEP_E214, DEP_E215,
    # docs/reference/v2-api.md#deployment-error-codes) and nothing refuses its creation, so objects made
    # one after the other start together, and the wait for the deployment covers them, naming one that fails.
    def _wait_ready(self, step, first):
        if self._deadline is not None and step.kind == DEPLOYMENT:
            used = self._used_not_ready.pop(step.key, None)
            for where, kind, name in used if used is not None else self._used_not_running(step.doc, first):
                self._wait_for_object(where, kind, name)
        return super()._wait_ready(step, first)

    def _used_not_running(self, body, live):
        """The networks and disks of a live deployment that its own ``status.dependencies`` shows not
        ready (docs/reference/v2-api.md#deployment-status); what that status leaves out is not read."""
        dependencies = ((live or {}).get("status") or {}).get("dependencies") or {}
        shown = {}
        for kind, key in (("Network", "networks"), ("Disk", "disk")):
            for entry in dependencies.get(key) or []:
                if isinstance(entry, dict):
                    for name in (entry.get("name"), entry.get("guid")):
                        if name:
                            shown[(kind, name)] = entry
        return [(self._where(path), kind, name) for path, kind, name in _used_objects(body.get("spec") or {})
                if (kind, name) in shown and readiness.state(kind, {"status": shown[(kind, name)]}) != "ready"]

    def _refuse_breaking(self, steps, action, leaving):
        """On v2 the platform itself refuses to delete a deployment that live deployments depend on
        (docs/reference/v2-api.md#deployments): ``on_dependents: break`` cannot go ahead, so it is
        refused here, before any write, instead of by a 409 after the plan."""
        if self.on_dependents == "break":
            problems = []
            for step in steps:
                users = self.dependents(step, leaving) if step.action == action and step.kind == DEPLOYMENT else []
                if users:
                    problems.append("%s deployment %s: live deployments %s depend on it (spec.depends), and the v2 "
                                    "platform refuses to delete a deployment others depend on, even with "
                                    "on_dependents=break; remove them first (state: absent), then %s it and "
                                    "create them again" % (action, step.key[1], ", ".join(repr(u) for u in users), action))
            if problems:
                raise ApplyRefused(problems, [step.report(True) for step in steps])
        super()._refuse_breaking(steps, action, leaving)


class ResourceApply(DeploymentApply):
    """rio_resource's applier: the references of every Deployment document are checked before the
    run's first write, each problem named by its document; an object another document of the run
    creates resolves a reference."""

    refuse_pending_without_wait = False

    def __init__(self, api, **kwargs):
        super().__init__(api, **kwargs)
        self._document = None

    def _check_references(self, body):
        self._document = label(identity(body))
        return super()._check_references(body)

    def _used_not_running(self, body, live):
        self._document = label(identity(body))
        return super()._used_not_running(body, live)

    def _where(self, path):
        return "%s: %s" % (self._document, path)


# -- results ---------------------------------------------------------------------------------------

def summary(obj):
    """A v2 deployment in the keys of rio_deployment's v1 ``deployment`` result, where they map."""
    if not obj:
        return {}
    metadata = obj.get("metadata") or {}
    spec = obj.get("spec") or {}
    status = obj.get("status") or {}
    package = metadata.get("depends") or {}
    codes = readiness.error_codes(obj)
    device = ((spec.get("device") or {}).get("depends") or {}).get("nameOrGUID")
    return dict(
        deployment_id=metadata.get("guid"),
        name=metadata.get("name"),
        package_id=None,
        package_name=package.get("nameOrGUID"),
        package_version=package.get("version"),
        plan_id=None,
        runtime=spec.get("runtime"),
        device=device,
        region=metadata.get("region"),
        phase=status.get("phase"),
        status=status.get("status"),
        errors=codes,
        error_explanations=[readiness.explain_code(code) for code in codes],
        labels=dict(metadata.get("labels") or {}),
        depends_on=[(item or {}).get("nameOrGUID") for item in spec.get("depends") or []],
        components=[],
    )


def _differences(entry):
    return [{"field": item["path"], "desired": item["after"], "live": item["before"]}
            for item in entry.get("differences") or []]


def run_deployment_v2(rio):
    """rio_deployment's main flow on v2 (rio: a RioModule)."""
    params = rio.params
    name = params["name"]
    state = params.get("state") or "present"
    try:
        if state == "present":
            body, origins, warnings = deployment_body(params)
        else:
            problems = refusals(params)
            if problems:
                raise V2InputError(problems)
            body, origins, warnings = absent_body(params), None, []
    except V2InputError as exc:
        rio.fail("Refused deployment %s (api_version v2): %s; nothing was written" % (name, exc),
                 problems=exc.problems, changed=False)
        return
    for warning in warnings:
        rio.warn(warning)
    applier = DeploymentApply(rio.v2_api, origins=origins, check_mode=rio.check_mode, wait=wait_settings(params),
                              on_change=params.get("on_change"), on_dependents=params.get("on_dependents"))
    action = "Failed to %s deployment %s" % ("apply" if state == "present" else "delete", name)
    error = outcome = None
    try:
        outcome = applier.run([body], state)
    except RioError as exc:  # reported below, outside the handler
        error = exc
    except Exception as exc:  # one helper turns every other failure into fail_json
        rio.fail_from_error(exc, action)
        return
    if isinstance(error, ApplyRefused):
        entry = (error.resources or [{}])[0]
        extra = dict(changed=False, problems=error.problems)
        if entry.get("differences"):
            extra["differences"] = _differences(entry)
        rio.fail("%s: %s" % (action, error), **extra)
        return
    if error is not None:
        entry = (getattr(error, "resources", None) or [{}])[0]
        resource = entry.get("object") or {}
        rio.fail_from_error(error, action, changed=bool(getattr(error, "changed", False)),
                            deployment=summary(resource) if state == "present" else {}, resource=resource)
        return
    entry = outcome["resources"][0]
    resource = (entry.get("object") or {}) if state == "present" else {}
    key = diff_key(identity(body))
    result = dict(deployment=summary(resource), resource=resource, action=entry["action"])
    if entry.get("differences"):
        result["differences"] = _differences(entry)
    rio.exit(changed=outcome["changed"], before=outcome["before"].get(key, {}), after=outcome["after"].get(key, {}),
             **result)


# -- rio_deployment_info ---------------------------------------------------------------------------

def info_refusals(params):
    found = []
    if params.get("package_id"):
        found.append("package_id: v2 lists filter packages by name; give package_name (and package_version)")
    for phase in params.get("phases") or []:
        if phase not in V1_PHASES and phase not in V2_ONLY_PHASES:
            found.append("phases: %r has no v2 counterpart (v2 phases: InProgress, Provisioning, Succeeded, "
                         "FailedToStart, FailedToUpdate, Stopped)" % phase)
    return found


def v1_info_refusals(params):
    """rio_deployment_info on v1: the options and phase spellings only v2 has."""
    found = []
    if params.get("region"):
        found.append("region: v1 deployments have no region; remove it, or set api_version: v2")
    for phase in params.get("phases") or []:
        if phase in V2_ONLY_PHASES:
            found.append("phases: %r is a v2 phase; on v1 use %s" % (phase, " or ".join(
                repr(old) for old, new in V1_PHASES.items() if new == phase) or "another phase"))
    return found


def _info_matches(obj, filters, device):
    metadata = obj.get("metadata") or {}
    status = obj.get("status") or {}
    package = metadata.get("depends") or {}
    labels = metadata.get("labels") or {}
    if filters.get("name") and metadata.get("name") != filters["name"]:
        return False
    if filters.get("package_name") and package.get("nameOrGUID") != filters["package_name"]:
        return False
    if filters.get("package_version") and package.get("version") != filters["package_version"]:
        return False
    if any(labels.get(key) != str(value) for key, value in (filters.get("labels") or {}).items()):
        return False
    if filters.get("region") and metadata.get("region") != filters["region"]:
        return False
    if status.get("phase") not in filters["phases"]:
        return False
    if device is not None:
        on = (((obj.get("spec") or {}).get("device") or {}).get("depends") or {}).get("nameOrGUID")
        if on not in (device.get("name"), device.get("uuid")):
            return False
    return True


def deployment_infos_v2(api, filters):
    """``(summaries, objects)`` of the v2 deployments matching the filters, sorted by name, all pages.

    The API filters (docs/reference/v2-api.md#deployments); each filter is checked again on what
    comes back. A device filter (name or uuid) is resolved through the device list; an unknown
    device, like an unknown package, matches nothing."""
    phases = [V1_PHASES.get(phase, phase) for phase in filters.get("phases") or []] or list(readiness.LIVE_PHASES)
    device = None
    wire = {"phases": phases}
    if filters.get("device"):
        device = api.devices.find_device(filters["device"])
        if device is None:
            return [], []
        wire["deviceName"] = device.get("name")
    for option, key in (("name", "name"), ("package_name", "packageName"), ("package_version", "packageVersion")):
        if filters.get(option):
            wire[key] = filters[option]
    if filters.get("labels"):
        wire["labelSelector"] = dict((str(key), str(value)) for key, value in filters["labels"].items())
    if filters.get("region"):
        wire["regions"] = [filters["region"]]
    local = dict(filters, phases=phases)
    found = [obj for obj in api.list_objects("Deployment", **wire) if _info_matches(obj, local, device)]
    found.sort(key=lambda obj: ((obj.get("metadata") or {}).get("name") or "", (obj.get("metadata") or {}).get("guid") or ""))
    return [summary(obj) for obj in found], [copy.deepcopy(obj) for obj in found]


def run_deployment_info_v2(rio, filters):
    problems = info_refusals(filters)
    if problems:
        rio.fail("Refused to list deployments (api_version v2): %s; nothing was read" % "; ".join(problems),
                 problems=problems)
        return
    summaries, objects = rio.run("Failed to list deployments", deployment_infos_v2, rio.v2_api, filters)
    rio.exit(changed=False, deployments=summaries, resources=objects)
