# Copyright: (c) 2026, rapyuta.rio contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""The plan of action of rio_deployment: read, resolve, compare, then act (or only report).
FOR INTERNAL COLLECTION USE ONLY: may change in any release.

Order matters: every name is resolved and every builder rule checked before the first write, and
prerequisites (dependencies, volumes) are waited for before a live deployment is removed by
``on_change: recreate``, so a failing input never leaves the project without its deployment. The
networks it joins are not waited for before the provisioning: the wait for the deployment covers them.
Before a provisioning (never on a converged run) the devices are checked as the platform would:
a device that is not ONLINE, or of another ROS distribution or architecture than its component,
is refused up front instead of a failed deployment (DEP_E151, DEP_E162) afterwards.
A deployment that other live deployments depend on is neither removed nor recreated unless
``on_dependents: break``: its dependents would fail (DEP_E156) and the platform does not re-point them.
All waits in one task share one budget, ``wait_timeout``.
"""

import copy
import time

from ansible_collections.rapyuta.rio.plugins.module_utils.v1.constants import FAILED_PHASES, PHASE_SUCCEEDED
from ansible_collections.rapyuta.rio.plugins.module_utils.v1.api import is_auth_error
from ansible_collections.rapyuta.rio.plugins.module_utils.transport.client import RioError, RioNotFound
from ansible_collections.rapyuta.rio.plugins.module_utils.deployments.build import build_config
from ansible_collections.rapyuta.rio.plugins.module_utils.deployments.resolve import Resolver
from ansible_collections.rapyuta.rio.plugins.module_utils.deployments.results import (
    dependency_ids,
    predicted_deployment,
    shape_deployment,
)
from ansible_collections.rapyuta.rio.plugins.module_utils.deployments.checks import (
    DeploymentInputError,
    check_spec,
    component_path,
)
from ansible_collections.rapyuta.rio.plugins.module_utils.devices.device import (
    ARCHITECTURES,
    ONLINE,
    architecture_of,
    interface_names,
    key_value_dict,
)
from ansible_collections.rapyuta.rio.plugins.module_utils.resources.network import status_view
from ansible_collections.rapyuta.rio.plugins.module_utils.v1.manifest import plan_components
from ansible_collections.rapyuta.rio.plugins.module_utils.v1.constants import NATIVE, ROUTED, Runtime
from ansible_collections.rapyuta.rio.plugins.module_utils.v1.provision import (
    CONTEXT_RECORD_LABEL,
    context_digest,
    diff_states,
    labels_as_dict,
    list_entry_suffices,
    normalize_body,
    normalize_deployment,
    with_context_of,
)
from ansible_collections.rapyuta.rio.plugins.module_utils.v1.wait import (
    DeploymentFailed,
    WaitTimeout,
    deployment_state,
    describe_deployment,
    poll,
    wait_for_deployment,
    wait_until_gone,
)


class ChangeRefused(RioError):
    """A live deployment differs and on_change is 'fail'."""


class DependentsRefused(RioError):
    """Other live deployments depend on the one to remove or recreate, and on_dependents is 'fail'."""


class _FirstReadGiven:
    """The API, except that the first read of one deployment returns the copy just read.

    A wait's first poll would otherwise repeat the GET made a moment earlier (the read that follows
    a provisioning, or the one a comparison was made on)."""

    def __init__(self, api, deployment):
        self._api = api
        self._deployment = deployment

    def get_deployment(self, deployment_id):
        deployment, self._deployment = self._deployment, None
        if deployment is not None and deployment.get("deploymentId") == deployment_id:
            return deployment
        return self._api.get_deployment(deployment_id)

    def __getattr__(self, name):
        return getattr(self._api, name)


def _aliases(parameters):
    """The component aliases in a deployment's parameters (only plans that use aliases carry them)."""
    return [params["bridge_params"].get("alias") for key, params in (parameters or {}).items()
            if key != "global" and isinstance(params, dict) and isinstance(params.get("bridge_params"), dict)
            and params["bridge_params"].get("alias")]


def describe_differences(differences, names=None):
    """The differences as one sentence; ids found in ``names`` (id -> the name a task uses) are
    shown as ``name (id)``, in field paths and values alike."""
    names = names or {}

    def named(value):
        if isinstance(value, str):
            return "%s (%s)" % (names[value], value) if value in names else value
        if isinstance(value, list):
            return [named(item) for item in value]
        if isinstance(value, dict):
            return dict((named(key), named(item)) for key, item in value.items())
        return value

    def field(path):
        return ".".join(named(part) for part in path.split("."))

    return "; ".join("%s: live %r, declared %r" % (field(item["field"]), named(item.get("live")),
                                                   named(item.get("desired")))
                     for item in differences)


class DeploymentTask:
    """One rio_deployment run. ``action`` and ``extra`` always describe what a failure should say."""

    def __init__(self, api, params, check_mode=False, diff_mode=False, clock=time.monotonic, sleeper=time.sleep):
        self.api = api
        self.params = params
        self.name = params["name"]
        self.check_mode = check_mode
        self.diff_mode = diff_mode
        self._clock = clock
        self._sleeper = sleeper
        self._start = clock()
        self.waited = 0.0
        # True once a write went through: a failure after it (a wait, a recreation) still changed the project.
        self.wrote = False
        self.action = "Failed to read deployment %s" % self.name
        self.extra = {}
        self.warnings = []
        self._just_read = None  # a full deployment read a moment ago: the next wait's first poll
        self._networks = []  # (option, kind, network as listed) of the networks the deployment joins
        # Names the same batch removes: not counted as dependents (BatchRun sets it).
        self.removed_alongside = frozenset()
        # Whether a live deployment may be found unchanged from its deployment list entry alone
        # (rio_deployment_batch's compare: auto), and whether this run's one was.
        self.compare_from_list = False
        self.compared_from_list = False
        self.broken_dependents = []  # with on_dependents: break, the dependents left failing

    # -- shared steps --------------------------------------------------------------------------
    def _the_live_one(self):
        live = self.api.find_deployments(self.name)
        if len(live) > 1:
            raise RioError("%d live deployments are named %s: %s; remove all but one" % (
                len(live), self.name, ", ".join(sorted(dep["deploymentId"] for dep in live))))
        return live[0] if live else None

    def _remaining(self):
        return max(0.0, self.params["wait_timeout"] - (self._clock() - self._start))

    def _wait(self, waiter, deployment_id, **kwargs):
        api, just_read = self.api, self._just_read
        self._just_read = None
        if just_read is not None:
            api = _FirstReadGiven(self.api, just_read)
        result, duration = waiter(api, deployment_id, self._remaining(), max_sleep=self.params["wait_sleep"],
                                  clock=self._clock, sleeper=self._sleeper, budget=self.params["wait_timeout"],
                                  **kwargs)
        self.waited += duration
        return result

    def _wait_for_own_deployment(self, deployment_id):
        """Wait until this task's own deployment (provisioned, or found converged) and the networks
        it joins are ready; its full deployment. Waits for prerequisites and removals go through
        ``_wait`` directly."""
        self._wait_for_networks()
        return self._wait(wait_for_deployment, deployment_id)

    def _normalized_live(self, live_full, package_info=None, device_config=None):
        """The live deployment in desired-state form, normalized with the package it runs (and,
        when given, without the parameters the task's devices copied in, as the desired form)."""
        package_info = package_info or {}
        if live_full.get("packageId") not in (package_info.get("guid"), package_info.get("packageId")):
            try:
                package_info = self.api.get_package(live_full["packageId"])
            except RioNotFound:
                return {"package_id": live_full.get("packageId"), "note": "its package no longer exists"}
        return normalize_deployment(live_full, package_info, device_config)

    # -- state: absent ---------------------------------------------------------------------------
    def absent(self):
        live = self._the_live_one()
        if live is None:
            return dict(changed=False, before={}, after={}, deployment={})
        self._check_dependents(live, "deprovision")
        before = None
        if self.diff_mode:
            full = self.api.get_deployment(live["deploymentId"])
            before = self._normalized_live(full)
        if self.check_mode:
            return dict(changed=True, before=before, after={}, deployment={})
        self.action = "Failed to deprovision deployment %s (%s)" % (self.name, live["deploymentId"])
        self.api.deprovision(live)
        self.wrote = True
        if self.params["wait"]:
            self.action = "Failed to wait for deployment %s (%s) to stop" % (self.name, live["deploymentId"])
            self._wait(wait_until_gone, live["deploymentId"])
        return dict(changed=True, before=before, after={}, deployment={})

    # -- state: present --------------------------------------------------------------------------
    def present(self):
        self.action = "Failed to resolve deployment %s" % self.name
        labels = check_spec(self.params)
        resolver = Resolver(self.api)
        package_info = resolver.package(self.params.get("package_id"), self.params.get("package_name"),
                                        self.params.get("package_version"))
        live = self._the_live_one()
        config, prerequisites = build_config(resolver, self.params, package_info, labels)
        self._networks = prerequisites.networks
        self._warn_about_unused_aliases(config)
        body = config.to_body(self.name)
        desired = normalize_body(body, package_info, config.copied_device_config())
        body["context"]["labels"].append({"key": CONTEXT_RECORD_LABEL, "value": context_digest(desired)})

        if live is None:
            self._check_prerequisites(prerequisites)
            self._check_devices(resolver, config)
            self._check_network_interfaces(resolver)
            self._check_alias_clashes(config, body)
            if self.check_mode:
                return self._predicted(package_info, body, labels, prerequisites, desired, before={})
            return self._provision(body, desired, before={}, prerequisites=prerequisites)

        live_full, before, differences = self._compare(live, desired, package_info, config.copied_device_config())
        if not differences:
            return self._converged(live_full, desired)

        self.extra = dict(differences=differences, deployment=shape_deployment(live_full, config=before))
        if self.params["on_change"] == "fail":
            self.action = "Failed to update deployment %s (%s)" % (self.name, live["deploymentId"])
            raise ChangeRefused("a live deployment cannot be changed in place and on_change is 'fail'; it differs in: %s"
                                % describe_differences(differences, self._names_of_ids()))
        self._check_dependents(live, "recreate")
        self._check_prerequisites(prerequisites)
        self._check_devices(resolver, config)
        self._check_network_interfaces(resolver)
        self._check_alias_clashes(config, body, replaced_id=live["deploymentId"])
        if self.check_mode:
            result = self._predicted(package_info, body, labels, prerequisites, desired, before=before)
            result["differences"] = differences
            return result
        self._wait_for_prerequisites(prerequisites)
        self.action = "Failed to deprovision deployment %s (%s) to recreate it" % (self.name, live["deploymentId"])
        self.api.deprovision(live_full)
        self.wrote = True
        self.action = "Failed to wait for deployment %s (%s) to stop before recreating it" % (
            self.name, live["deploymentId"])
        self._wait(wait_until_gone, live["deploymentId"])
        result = self._provision(body, desired, before=before)
        result["differences"] = differences
        return result

    def _compare(self, live, desired, package_info, device_config):
        """(the live deployment compared with, its normalized form, the differences).

        With ``compare_from_list``, a list entry that shows everything ``desired`` sets
        (``list_entry_suffices``: the record of its context) and equals it is the answer, with no
        read; anything else, a difference included, is decided on the full deployment, as
        rio_deployment decides it, so the list can only ever save the read of an unchanged one."""
        if self.compare_from_list and list_entry_suffices(live, desired):
            before = self._normalized_live(live, package_info, device_config)
            if CONTEXT_RECORD_LABEL in labels_as_dict(live.get("labels")):
                before = with_context_of(before, desired)
            if not diff_states(desired, before):
                self.compared_from_list = True
                return copy.deepcopy(live), before, []
        live_full = self.api.get_deployment(live["deploymentId"])
        before = self._normalized_live(live_full, package_info, device_config)
        return live_full, before, diff_states(desired, before)

    def _names_of_ids(self):
        """{id: name} of the networks, static routes, deployments and volumes the project has, for
        messages; from the run's (cached) lists, and whatever cannot be read is left as an id."""
        names = {}
        readers = ((lambda: self.api.list_networks(ROUTED), "guid", "name"),
                   (lambda: self.api.list_networks(NATIVE), "guid", "name"),
                   (self.api.list_static_routes, "guid", "urlPrefix"),
                   (self.api.live_deployments, "deploymentId", "name"),
                   (self.api.list_disks, "internalDeploymentGUID", "name"))
        for read, id_key, name_key in readers:
            try:
                items = read() or []
            except RioError as exc:
                if is_auth_error(exc):
                    raise
                continue
            names.update((item[id_key], item[name_key]) for item in items
                         if item.get(id_key) and item.get(name_key))
        return names

    def _warn_about_unused_aliases(self, config):
        """The platform drops aliases of plans that do not need them (docs/reference/v1-api.md#aliases); say so rather than hide it."""
        if config.needs_aliases():
            return
        for entry in self.params.get("components") or []:
            if entry.get("alias") or entry.get("set_ros_namespace"):
                self.warnings.append(
                    "components.%s: alias and set_ros_namespace are not sent: the plan has no scoped or targeted "
                    "ROS interfaces and no dependency with aliases, so the platform uses no aliases" % entry["name"])

    def _converged(self, live_full, desired):
        if self.params["wait"] and not self.check_mode and (deployment_state(live_full) != "ready"
                                                            or self._networks_not_running()):
            self.extra = dict(deployment=shape_deployment(live_full, config=desired))
            self.action = "Failed to wait for deployment %s (%s)" % (self.name, live_full["deploymentId"])
            self._just_read = live_full
            live_full = self._wait_for_own_deployment(live_full["deploymentId"])
        return dict(changed=False, before=desired, after=desired, deployment=shape_deployment(live_full, config=desired))

    def _predicted(self, package_info, body, labels, prerequisites, desired, before):
        deployment = predicted_deployment(self.name, package_info, body.get("plan_id"), labels,
                                          [dep["deploymentId"] for _f, dep in prerequisites.items], desired)
        return dict(changed=True, before=before, after=desired, deployment=deployment)

    def _provision(self, body, desired, before, prerequisites=None):
        if prerequisites is not None:
            self._wait_for_prerequisites(prerequisites)
        self.action = "Failed to provision deployment %s" % self.name
        created = self.api.provision(body)
        self.wrote = True
        if self.params["wait"]:
            self.extra = dict(deployment=shape_deployment(created, config=desired))
            self.action = "Failed to wait for deployment %s (%s)" % (self.name, created["deploymentId"])
            self._just_read = created  # provision() read it right after the PUT was answered
            created = self._wait_for_own_deployment(created["deploymentId"])
        return dict(changed=True, before=before, after=desired, deployment=shape_deployment(created, config=desired))

    # -- devices, on the way to a provisioning ----------------------------------------------------
    def _check_devices(self, resolver, config):
        """Refuse a device the platform would fail the deployment on, before anything is written:
        not ONLINE (DEP_E151), or of another ROS distribution (its ``ros_distro`` configuration
        variable) or CPU architecture than its component (DEP_E162).

        Called only when the task is about to provision (a new deployment, a recreation, or the
        prediction of either in check mode): a converged deployment on a robot that has gone offline
        since is not a failure of this task. The status comes from the device list the resolver has
        read; the architecture from the selection query (the device object has none, docs/reference/v1-api.md#selection-query).
        """
        self.action = "Refused to provision deployment %s" % self.name
        components = dict((comp.get("name"), comp) for comp in plan_components(config.plan))
        for entry in self.params.get("components") or []:
            component = components.get(entry.get("name")) or {}
            if not entry.get("device") or component.get("requiredRuntime") != Runtime.DEVICE:
                continue
            field = component_path(entry["name"], "device")
            device = resolver.device(field, entry["device"])  # cached: resolved by build_config
            label = "device %s (%s)" % (device.get("name"), device.get("uuid"))
            status = device.get("status")
            if status != ONLINE:
                raise DeploymentInputError(field, "component %s runs on %s, which is %s, not %s: the platform would "
                                                  "fail the deployment (DEP_E151, device offline or unreachable); "
                                                  "nothing was written" % (entry["name"], label, status, ONLINE))
            ros = component.get("ros") or {}
            wanted_distro = ros.get("ros_distro") if ros.get("isROS") else None
            # The config variables were read (and cached) by build_config: no request of its own.
            device_distro = key_value_dict(resolver.config_variables(device)).get("ros_distro")
            if wanted_distro and device_distro and wanted_distro != device_distro:
                raise DeploymentInputError(field, "component %s needs ROS distro %s, but %s runs %s: the platform "
                                                  "would fail the deployment (DEP_E162, validation error); nothing "
                                                  "was written" % (entry["name"], wanted_distro, label, device_distro))
            wanted = component.get("architecture")
            if wanted not in ARCHITECTURES:
                continue
            actual = self._device_architecture(field, label, device["uuid"], wanted)
            if actual not in (None, wanted):
                raise DeploymentInputError(field, "component %s needs architecture %s, but %s is %s: the platform "
                                                  "would fail the deployment (DEP_E162, validation error); nothing "
                                                  "was written" % (entry["name"], wanted, label, actual))
        self.action = "Failed to resolve deployment %s" % self.name

    def _device_architecture(self, field, label, uuid, wanted):
        """An online device's architecture (devices.device.architecture_of: one cached selection query
        per architecture, a batch shares them), or None (with a warning) when it cannot be told."""
        try:
            found = architecture_of(self.api, uuid, wanted)
            if found is not None:
                return found
        except RioError as exc:
            if is_auth_error(exc):
                raise
            self.warnings.append("%s: the architecture of %s is not checked: the device selection query failed (%s)"
                                 % (field, label, exc))
            return None
        # Listed ONLINE but matched by no architecture: offline since the list was read, or a CPU
        # the platform has no package architecture for. The platform decides.
        self.warnings.append("%s: the architecture of %s is not checked: no device selection query matched it"
                             % (field, label))
        return None

    # -- networks and aliases, on the way to a provisioning ---------------------------------------
    def _check_network_interfaces(self, resolver):
        """A device network's ``network_interface`` must be one of its device's interfaces, as
        rio_routed_network checks when it creates one. The network and device reads are cached."""
        self.action = "Refused to provision deployment %s" % self.name
        for kind, option in ((ROUTED, "routed_networks"), (NATIVE, "native_networks")):
            for index, net in enumerate(self.params.get(option) or []):
                wanted = net.get("network_interface")
                if not wanted:
                    continue
                network = resolver.network(kind, "%s[%d].name" % (option, index), net["name"])
                device_id = (network.get("parameters") or {}).get("device_id")
                if not device_id:
                    continue  # a cloud network with an interface is refused by the builder
                device = self.api.get_device(device_id) or {}
                interfaces = interface_names(device)
                if wanted not in interfaces:
                    raise DeploymentInputError(
                        "%s[%d].network_interface" % (option, index),
                        "%r is not an interface of device %s (%s), which runs %s %s; its interfaces: %s; nothing "
                        "was written" % (wanted, device.get("name"), device_id, option[:-1].replace("_", " "),
                                         net["name"], ", ".join(interfaces) or "none reported"))
        self.action = "Failed to resolve deployment %s" % self.name

    def _check_alias_clashes(self, config, body, replaced_id=None):
        """Refuse an alias that another live deployment on one of this deployment's routed networks
        already uses: the platform would fail this one with DEP_E171 (docs/reference/v1-api.md#error-codes).

        The deployment list carries every deployment's parameters (so its aliases); only a
        deployment with a clashing alias is read in full, for the routed networks it is on.
        ``replaced_id`` (the deployment a recreation removes first) does not count.
        """
        ours = dict((alias, name) for name, alias in config.aliases().items() if alias)
        routed = set(net.get("guid") for net in body["context"].get("routedNetworks") or [])
        if not ours or not routed:
            return
        self.action = "Refused to provision deployment %s" % self.name
        for other in self.api.live_deployments():
            if other.get("deploymentId") == replaced_id or other.get("phase") in FAILED_PHASES:
                continue
            clash = sorted(set(ours) & set(_aliases(other.get("parameters"))))
            if not clash:
                continue
            full = self.api.get_deployment(other["deploymentId"])
            shared = routed & set(net.get("guid") for net in
                                  (full.get("provisionContext") or {}).get("routedNetworks") or [])
            if shared:
                raise DeploymentInputError(
                    component_path(ours[clash[0]], "alias"),
                    "alias %r is already used by the live deployment %s (%s) on the same routed network: the "
                    "platform would fail the deployment (DEP_E171, duplicate alias); nothing was written" % (
                        clash[0], other.get("name"), other["deploymentId"]))
        self.action = "Failed to resolve deployment %s" % self.name

    # -- dependents, before a removal or a recreation ----------------------------------------------
    def _check_dependents(self, live, verb):
        """Refuse to remove a deployment that other live deployments depend on, unless
        ``on_dependents: break`` (then warn and return them in ``broken_dependents``).

        A dependent names the deployment id in its ``dependentDeployments`` (docs/reference/v1-api.md#provision-context):
        removed, or replaced by a recreation (a new id), it leaves the dependents failed with DEP_E156
        until each is recreated or removed; the platform does not re-point them. Read from the
        deployment list the task has already read (no request of its own). Deployments that the same
        batch removes (``removed_alongside``) are not counted.
        """
        dependents = sorted(
            (dep.get("name") or "", dep["deploymentId"]) for dep in self.api.live_deployments()
            if dep.get("deploymentId") != live["deploymentId"] and dep.get("name") not in self.removed_alongside
            and live["deploymentId"] in dependency_ids(dep))
        if not dependents:
            return
        named = ", ".join("%s (%s)" % dependent for dependent in dependents)
        outcome = ("they fail (DEP_E156) and stay failed until each is recreated (on_change: recreate) or "
                   "removed, as the platform does not re-point them")
        if self.params.get("on_dependents") != "break":
            self.action = "Refused to %s deployment %s (%s)" % (verb, self.name, live["deploymentId"])
            raise DependentsRefused(
                "%d live deployment(s) depend on it: %s; to %s it would break them: %s. Remove them first, or set "
                "on_dependents: break to proceed; nothing was written" % (len(dependents), named, verb, outcome))
        self.broken_dependents = [name for name, _id in dependents]
        if self.check_mode:  # an earlier task of the real run may remove them first (the teardown role does)
            self.warnings.append("on_dependents is 'break': to %s deployment %s would break %s unless they are "
                                 "removed first: %s" % (verb, self.name, named, outcome))
        else:
            self.warnings.append("on_dependents is 'break': to %s deployment %s breaks %s: %s"
                                 % (verb, self.name, named, outcome))

    # -- prerequisites (dependencies, cloud volumes) ----------------------------------------------
    def _check_prerequisites(self, prerequisites):
        """Fail now on failed prerequisites, and on pending ones when we are not allowed to wait."""
        for field, dep in prerequisites.items:
            phase = dep.get("phase")
            if phase == PHASE_SUCCEEDED:
                continue
            if phase in FAILED_PHASES:
                raise DeploymentInputError(field, "deployment %s (%s) is not running: %s" % (
                    dep.get("name"), dep["deploymentId"], describe_deployment(dep)))
            if not self.params["wait"] and not self.check_mode:
                raise DeploymentInputError(field, "deployment %s (%s) is not ready yet (phase %r); "
                                                  "set wait: true to wait for it" % (
                                                      dep.get("name"), dep["deploymentId"], phase))

    def _wait_for_prerequisites(self, prerequisites):
        for field, dep in prerequisites.items:
            if dep.get("phase") == PHASE_SUCCEEDED:
                continue
            self.action = "Failed to wait for %s: deployment %s (%s)" % (field, dep.get("name"), dep["deploymentId"])
            self._wait(wait_for_deployment, dep["deploymentId"], ready_phases=(PHASE_SUCCEEDED,))

    # -- the networks it joins ---------------------------------------------------------------------
    # Provisioning does not wait for them (it never did; the SDK does not either): a deployment whose
    # cloud infrastructure is not running yet reports codes that waiting cures (DEP_E201 to DEP_E215 but
    # DEP_E209, docs/reference/v1-api.md#error-codes), so a network and a deployment made one after the
    # other start together, and the wait for the deployment covers the networks, naming one that fails.
    def _networks_not_running(self):
        """The networks the deployment joins whose list entry does not say Succeeded."""
        return [(field, kind, network) for field, kind, network in self._networks
                if deployment_state(status_view(network), ready_phases=(PHASE_SUCCEEDED,)) != "ready"]

    def _wait_for_networks(self):
        action = self.action
        for field, kind, network in self._networks_not_running():
            guid = network["guid"]
            self.action = "Failed to wait for %s: %s %s (%s), which deployment %s joins" % (
                field, "routed network" if kind == ROUTED else "native network", network.get("name"), guid, self.name)
            _ready, duration = poll(lambda kind=kind, guid=guid: status_view(self.api.get_network(kind, guid)),
                                    deployment_state, self._remaining(), max_sleep=self.params["wait_sleep"],
                                    clock=self._clock, sleeper=self._sleeper, budget=self.params["wait_timeout"])
            self.waited += duration
        self.action = action


def run_deployment(rio):
    """main() of rio_deployment: one task, its result or its failure."""
    task = DeploymentTask(rio.api, rio.params, check_mode=rio.check_mode, diff_mode=rio.diff_mode)
    try:
        result = task.present() if rio.params["state"] == "present" else task.absent()
    except Exception as exc:  # every failure, expected or not, goes out through one helper
        for warning in task.warnings:
            rio.warn(warning)
        extra = dict(task.extra)
        last = getattr(exc, "last", None)
        if isinstance(last, dict) and last.get("name") == task.name:
            extra["deployment"] = shape_deployment(last, config=(extra.get("deployment") or {}).get("config"))
        if task.waited and not isinstance(exc, (DeploymentFailed, WaitTimeout)):
            extra["duration"] = round(task.waited, 2)
        if task.wrote:
            extra["changed"] = True
        rio.fail_from_error(exc, task.action, **extra)
        return
    for warning in task.warnings:
        rio.warn(warning)
    if task.waited:
        result["duration"] = round(task.waited, 2)
    if task.broken_dependents:
        result["broken_dependents"] = task.broken_dependents
    rio.exit(**result)
