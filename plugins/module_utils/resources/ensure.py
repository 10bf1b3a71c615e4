# Copyright: (c) 2026, rapyuta.rio contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""Ensure a named, immutable resource is present or absent. FOR INTERNAL COLLECTION USE ONLY: may change in any release.

Routed and native networks, volumes and static routes share one life cycle on this API: they are
created by name, read, and deleted, but never updated. ``ensure`` runs that life cycle once for all
of them (read, normalize, compare, act), and a ``ResourceKind`` describes what differs per kind:
how to find, normalize, create, delete and wait for it. Nothing here imports Ansible.
"""

import time

from ansible_collections.rapyuta.rio.plugins.module_utils.transport.client import RioError, RioNotFound
from ansible_collections.rapyuta.rio.plugins.module_utils.v1.constants import LIVE_PHASES, PHASE_PARTIALLY_DEPROVISIONED
from ansible_collections.rapyuta.rio.plugins.module_utils.v1.wait import MAX_SLEEP, DeploymentFailed, WaitTimeout, poll


class ResourceInputError(RioError):
    """A task input is wrong or cannot be applied; names the option and the resource."""

    def __init__(self, field, message):
        self.field = field
        super().__init__(message)


class ResourceInUse(RioError):
    """A resource cannot be deleted because something uses it."""


class ResourceKind:
    """What ensure() needs to know about one kind of resource. Subclasses override the hooks."""

    label = "resource"        # in messages: "routed network 'fleet-net'"
    result_key = "resource"   # the module's return key
    can_wait = False          # has a readiness to wait for

    def describe(self, name):
        return "%s %r" % (self.label, name)

    # -- reading ------------------------------------------------------------------------------
    def find(self, api, name):
        raise NotImplementedError

    def refresh(self, api, live):
        """The full object for a found (possibly partial) one. Default: the object itself."""
        return live

    def complete(self, api, live):
        """A found object with what the result needs, when the task does not wait. Default: as found."""
        return live

    def normalize(self, live):
        """The comparable, user-settable fields of a live object."""
        raise NotImplementedError

    # -- desired state -------------------------------------------------------------------------
    def desired(self, api, params):
        """The comparable form of the task's options; None values are not compared. Validates inputs."""
        raise NotImplementedError

    def check_create(self, api, params, desired):
        """Checks only needed before a creation (may read more). Raise ResourceInputError."""

    def check_delete(self, api, live):
        """Checks before a deletion (may read more). Raise ResourceInUse."""

    # -- writing -------------------------------------------------------------------------------
    def create(self, api, params, desired):
        raise NotImplementedError

    def delete(self, api, live):
        raise NotImplementedError

    # -- waiting -------------------------------------------------------------------------------
    def fetch(self, api, obj):
        """A fresh full object while waiting; raises RioNotFound when it is gone."""
        return self.refresh(api, obj)

    def ready_state(self, obj):
        """'ready', 'failed' or 'pending'."""
        return "ready"

    def is_gone(self, obj):
        return False

    def explain(self, obj):
        """One line about the state of an object, for wait failures."""
        return "state unknown"

    # -- output --------------------------------------------------------------------------------
    def result(self, obj):
        raise NotImplementedError

    def predicted(self, name, desired):
        """The result a check-mode creation announces (no server fields)."""
        result = dict((key, value) for key, value in desired.items())
        result["name"] = name
        return result


# A partially deprovisioned deployment still runs some components, so it still holds what they use.
USING_PHASES = tuple(LIVE_PHASES) + (PHASE_PARTIALLY_DEPROVISIONED,)


def deployments_using(api, uses):
    """Deployments that are not stopped and for which ``uses(provision_context)`` is true, by name.

    List entries carry no ``provisionContext`` (docs/reference/v1-api.md#deployment-list), so each
    deployment is read once: a deletion is rare and a refused one must write nothing.
    """
    found = []
    for entry in api.list_deployments(phases=USING_PHASES) or []:
        if entry.get("phase") not in USING_PHASES:
            continue
        context = entry.get("provisionContext")
        if context is None:
            try:
                context = (api.get_deployment(entry["deploymentId"]) or {}).get("provisionContext")
            except RioNotFound:  # deprovisioned since the list was read
                continue
        if uses(context or {}):
            found.append(entry)
    return sorted(found, key=lambda dep: (dep.get("name") or "", dep.get("deploymentId") or ""))


def refuse_if_used(api, what, uses):
    """Raise ResourceInUse naming the deployments for which ``uses(provision_context)`` is true.

    The platform would refuse the DELETE (409); asking first names every user and writes nothing.
    """
    users = deployments_using(api, uses)
    if users:
        exc = ResourceInUse("%s is in use by deployments: %s; deprovision them first" % (what, ", ".join(
            "%r (%s, %s)" % (dep.get("name"), dep.get("deploymentId"), dep.get("phase")) for dep in users)))
        exc.deployments = [dep.get("name") for dep in users]
        raise exc


def differences(desired, live):
    """Fields the task sets (not None) whose live value differs: [(field, desired, live)], sorted."""
    found = []
    for field in sorted(desired):
        wanted = desired[field]
        if wanted is None:
            continue
        if live.get(field) != wanted:
            found.append((field, wanted, live.get(field)))
    return found


def describe_differences(diffs):
    return "; ".join("%s (live %r, declared %r)" % (field, live, wanted) for field, wanted, live in diffs)


def merged(live, desired):
    """The live comparable form with the declared values on top: the 'after' of a diff."""
    after = dict(live)
    after.update(dict((key, value) for key, value in desired.items() if value is not None))
    return after


class Deadline:
    """One waiting budget for the whole task (a recreation waits twice)."""

    def __init__(self, timeout, clock=time.monotonic):
        self._clock = clock
        self._end = clock() + timeout

    def left(self):
        return max(0.0, self._end - self._clock())


def wait_ready(kind, api, obj, deadline, max_sleep=MAX_SLEEP, **kwargs):
    name = obj.get("name")

    def fetch():
        return kind.fetch(api, obj)

    try:
        return poll(fetch, kind.ready_state, deadline.left(), max_sleep=max_sleep, **kwargs)[0]
    except DeploymentFailed as exc:
        raise DeploymentFailed("%s failed: %s" % (kind.describe(name), kind.explain(exc.last or {})),
                               last=exc.last, duration=exc.duration)
    except WaitTimeout as exc:
        text = "%s is not ready after %ss: %s" % (kind.describe(name), int(exc.duration or 0),
                                                  kind.explain(exc.last or {}))
        raise WaitTimeout(text, last=exc.last, duration=exc.duration)


def wait_gone(kind, api, obj, deadline, max_sleep=MAX_SLEEP, **kwargs):
    name = obj.get("name")

    def fetch():
        try:
            return kind.fetch(api, obj)
        except RioNotFound:
            return None

    def classify(current):
        return "ready" if current is None or kind.is_gone(current) else "pending"

    try:
        poll(fetch, classify, deadline.left(), max_sleep=max_sleep, **kwargs)
    except WaitTimeout as exc:
        text = "%s is still not deleted after %ss: %s" % (kind.describe(name), int(exc.duration or 0),
                                                          kind.explain(exc.last or {}))
        raise WaitTimeout(text, last=exc.last, duration=exc.duration)


def _wait_after_write(kind, api, created, deadline, poll_kwargs):
    """Wait for a new object; a failure says that something was written (``changed``) and what."""
    try:
        return wait_ready(kind, api, created, deadline, **poll_kwargs)
    except RioError as exc:
        exc.changed = True
        exc.result = kind.result(getattr(exc, "last", None) or created)
        raise


def ensure(kind, api, params, check_mode=False, wait=None, sleeper=time.sleep, clock=time.monotonic):
    """Converge one named resource. Returns a dict: changed, action, before, after, result (or None), msg.

    ``params``: the module parameters; reads ``name``, ``state`` and ``on_change`` (default fail).
    ``wait``: None, or {"timeout": seconds, "sleep": max seconds between polls}.
    Raises ResourceInputError, ResourceInUse, RioError; never writes in check mode.
    """
    name = params["name"]
    state = params.get("state") or "present"
    deadline = Deadline(wait["timeout"], clock) if wait else None
    poll_kwargs = dict(max_sleep=wait["sleep"], clock=clock, sleeper=sleeper) if wait else {}
    live = kind.find(api, name)

    if state == "absent":
        if live is None:
            return dict(changed=False, action="none", before={}, after={}, result=None,
                        msg="%s is already absent" % kind.describe(name))
        before = kind.normalize(live)
        kind.check_delete(api, live)
        if not check_mode:
            kind.delete(api, live)
            if deadline is not None:
                try:
                    wait_gone(kind, api, live, deadline, **poll_kwargs)
                except RioError as exc:
                    exc.changed = True
                    raise
        return dict(changed=True, action="delete", before=before, after={}, result=kind.result(live),
                    msg="%s deleted" % kind.describe(name))

    desired = kind.desired(api, params)
    if live is None:
        kind.check_create(api, params, desired)
        after = merged({}, desired)
        if check_mode:
            return dict(changed=True, action="create", before={}, after=after,
                        result=kind.predicted(name, desired), msg="%s would be created" % kind.describe(name))
        created = kind.create(api, params, desired)
        if deadline is not None and kind.can_wait:
            created = _wait_after_write(kind, api, created, deadline, poll_kwargs)
        return dict(changed=True, action="create", before={}, after=after, result=kind.result(created),
                    msg="%s created" % kind.describe(name))

    before = kind.normalize(live)
    diffs = differences(desired, before)
    if not diffs:
        if deadline is not None and kind.can_wait:
            current = wait_ready(kind, api, live, deadline, **poll_kwargs)
        else:
            current = kind.complete(api, live)
        return dict(changed=False, action="none", before=before, after=before, result=kind.result(current),
                    msg="%s is already present as declared" % kind.describe(name))

    text = describe_differences(diffs)
    if (params.get("on_change") or "fail") != "recreate":
        raise ResourceInputError(diffs[0][0], "it exists with different settings that cannot be updated: %s. "
                                 "Delete it first, or set on_change=recreate to replace it" % text)
    kind.check_create(api, params, desired)
    kind.check_delete(api, live)
    after = merged(before, desired)
    if check_mode:
        return dict(changed=True, action="recreate", before=before, after=after,
                    result=kind.predicted(name, desired), msg="%s would be recreated: %s" % (kind.describe(name), text))
    kind.delete(api, live)
    try:
        # The old one must be gone before a new one takes its name, whether or not the task waits.
        wait_gone(kind, api, live, deadline or Deadline(300, clock), **(poll_kwargs or dict(clock=clock, sleeper=sleeper)))
        created = kind.create(api, params, desired)
    except RioError as exc:
        exc.changed = True
        raise
    if deadline is not None and kind.can_wait:
        created = _wait_after_write(kind, api, created, deadline, poll_kwargs)
    return dict(changed=True, action="recreate", before=before, after=after, result=kind.result(created),
                msg="%s recreated: %s" % (kind.describe(name), text))


def run_ensure(rio, kind, wait_options=True):
    """Module glue: run ensure() with the module's parameters and exit or fail (rio: a RioModule)."""
    params = rio.params
    wait = None
    if wait_options and params.get("wait"):
        wait = {"timeout": params.get("wait_timeout") or 0, "sleep": params.get("wait_sleep") or MAX_SLEEP}
    action = "Failed to ensure %s is %s" % (kind.describe(params.get("name")), params.get("state") or "present")
    api = rio.api
    error = None
    try:
        outcome = ensure(kind, api, params, check_mode=rio.check_mode, wait=wait)
    except RioError as exc:  # reported below, outside the handler: no traceback for expected failures
        error = exc
    except Exception as exc:  # one helper turns every other failure into fail_json
        rio.fail_from_error(exc, action)
        return
    if isinstance(error, ResourceInputError):
        rio.fail("%s: %s" % (action, error), field=error.field)
        return
    if error is not None:
        extra = {"changed": bool(getattr(error, "changed", False))}
        if getattr(error, "result", None) is not None:
            extra[kind.result_key] = error.result
        rio.fail_from_error(error, action, **extra)
        return
    result = {kind.result_key: outcome["result"] or {}}
    rio.exit(changed=outcome["changed"], before=outcome["before"], after=outcome["after"],
             msg=outcome["msg"], action=outcome["action"], **result)
