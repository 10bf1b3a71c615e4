# Copyright: (c) 2026, rapyuta.rio contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""Apply a set of v2 manifests: rio_resource's plan of action. FOR INTERNAL COLLECTION USE ONLY: may change in any release.

The life cycle of ``resources/ensure.py`` (read, normalize, compare, act, wait), run over many
documents in their dependency order (docs/reference/v2-api.md#manifest-dependency-order):

1. plan: every document is read once and compared with the live object; nothing is written until
   every document has a planned action, so a refused difference or a live dependent that would
   break fails the task before the first write;
2. act: objects to recreate are deleted in reverse dependency order (a dependent goes before what
   it depends on, as the platform refuses the other way round), then objects to create are created
   in dependency order, each waited for before the next, so a deployment starts after its
   networks, disks and the deployments it depends on are ready.

``state: absent`` deletes in reverse order and keeps objects labelled
``rapyuta.io/deletionPolicy: retain`` (what ``rio delete`` does). Packages, deployments, networks,
disks and config trees cannot be updated (a difference goes by ``on_change``); secrets and static
routes are updated in place with PUT. Check mode runs the plan and reports what the acts would do.
Nothing here imports Ansible.
"""

import copy
import time

from ansible_collections.rapyuta.rio.plugins.module_utils.transport.client import RioError
from ansible_collections.rapyuta.rio.plugins.module_utils.v1.wait import MAX_SLEEP, DeploymentFailed, WaitTimeout, poll
from ansible_collections.rapyuta.rio.plugins.module_utils.v2 import readiness
from ansible_collections.rapyuta.rio.plugins.module_utils.v2.documents import (
    DELETION_POLICY_LABEL,
    RETAIN,
    Document,
    ManifestError,
    load_documents,
)
from ansible_collections.rapyuta.rio.plugins.module_utils.v2.model import DocumentModel
from ansible_collections.rapyuta.rio.plugins.module_utils.v2.order import references

UPDATABLE_KINDS = frozenset(["Secret", "StaticRoute"])
HIDDEN = "<hidden>"
WRITING_ACTIONS = ("create", "recreate", "update", "delete")


class ApplyRefused(RioError):
    """The plan cannot be carried out as asked; raised before any write. ``problems``: one line each."""

    def __init__(self, problems, resources=None):
        self.problems = list(problems)
        self.resources = resources or []
        super().__init__("; ".join(self.problems))


# -- identity and references ---------------------------------------------------------------------

def identity(doc):
    """(kind, name, version): version only for packages, which are addressed by name and version."""
    metadata = doc.get("metadata") or {}
    kind = doc.get("kind")
    return kind, metadata.get("name"), metadata.get("version") if kind == "Package" else None


def label(doc_or_key):
    kind, name, version = doc_or_key if isinstance(doc_or_key, tuple) else identity(doc_or_key)
    return "%s %r" % (kind, name + "@" + version if version else name)


def diff_key(key):
    """The key of an object in the diff's before and after: ``Package/talker@v1.0.0``, ``Disk/logs``."""
    kind, name, version = key
    return "%s/%s%s" % (kind, name, "@" + version if version else "")


def _names_of(key, live):
    """Every name a reference may use for this object: its manifest name, its stored name, its guid."""
    metadata = (live or {}).get("metadata") or {}
    return set(name for name in (key[1], metadata.get("name"), metadata.get("guid")) if name)


def is_dependent(deployment, key, live):
    """Whether a live deployment uses the object ``key`` (kind, name, version), found as ``live``."""
    names = _names_of(key, live)
    return any(ref[0] == key[0].lower() and ref[1] in names and (key[0] != "Package" or ref[2] == key[2])
               for _path, ref in references(Document(0, deployment)))


# -- what may be shown ---------------------------------------------------------------------------

def shown(obj, kind=None):
    """A copy safe for results and diffs: a secret's values (``spec.data``, the docker password) hidden.

    ``kind``: for forms that do not carry theirs (comparable forms). The comparable form of a secret
    holds no value already; this is the guard that a result never shows one, whatever the form."""
    obj = copy.deepcopy(obj)
    if isinstance(obj, dict) and (kind or obj.get("kind")) == "Secret":
        spec = obj.get("spec") or {}
        if isinstance(spec.get("data"), dict):
            spec["data"] = dict((key, HIDDEN) for key in spec["data"])
        docker = spec.get("docker")
        if isinstance(docker, dict) and docker.get("password") is not None:
            docker["password"] = HIDDEN
    return obj


def _describe_differences(diffs):
    return "; ".join("%s (live %r, declared %r)" % (item["path"], item["before"], item["after"]) for item in diffs)


# -- waiting -------------------------------------------------------------------------------------

class Deadline:
    """One waiting budget for the whole task, whatever the number of objects it waits for."""

    def __init__(self, timeout, clock):
        self._clock = clock
        self._end = clock() + timeout
        self.timeout = timeout

    def left(self):
        return max(0.0, self._end - self._clock())


class Step:
    """One document through the run: what it is, what is live, what differs, what is done."""

    def __init__(self, doc):
        self.doc = doc
        self.key = identity(doc)
        self.kind = self.key[0]
        self.live = None
        self.desired_form = None
        self.live_form = None
        self.differences = []
        self.action = None
        self.result = None

    def report(self, check_mode):
        entry = dict(kind=self.kind, name=self.key[1], action=self.action, differences=self.differences)
        if self.key[2]:
            entry["version"] = self.key[2]
        if check_mode and self.action in WRITING_ACTIONS:
            entry["action"] = "would_" + self.action
        elif self.action in WRITING_ACTIONS:
            entry["action"] = self.action + "d"
        entry["object"] = shown(self.result) if self.result is not None else {}
        return entry


class ManifestApply:
    """Converge a set of v2 documents against the API.

    ``api``: a RioV2Api (find, get, list_objects, create, delete, put by kind); ``model``: a
    DocumentModel (comparable forms and their differences); ``wait``: None or
    ``{"timeout": seconds, "sleep": max seconds between polls}``; ``diff=False``: the outcome's
    ``before`` and ``after`` are left empty (a caller not in diff mode).
    """

    def __init__(self, api, model=None, check_mode=False, wait=None, on_change="fail", on_dependents="fail",
                 clock=time.monotonic, sleeper=time.sleep, diff=True):
        self.api = api
        self.diff = diff
        self.model = model or DocumentModel()
        self.check_mode = check_mode
        self.wait = wait
        self.on_change = on_change or "fail"
        self.on_dependents = on_dependents or "fail"
        self._clock = clock
        self._sleeper = sleeper
        self._deadline = Deadline(wait["timeout"], clock) if wait else None
        self._live_deployments = None
        self.writes = 0

    # -- reads --------------------------------------------------------------------------------
    def read(self, key, cached=True):
        kind, name, version = key
        return self.api.find(kind, name, version=version, cached=cached)

    def live_deployments(self):
        """Every deployment not stopped, read once per run (the list holds full objects)."""
        if self._live_deployments is None:
            items = self.api.list_objects("Deployment", phases=list(readiness.LIVE_PHASES))
            self._live_deployments = [item for item in items
                                      if ((item.get("status") or {}).get("phase")) != readiness.PHASE_STOPPED]
        return self._live_deployments

    def dependents(self, step, leaving):
        """Names of live deployments that use ``step``'s object and are not among ``leaving`` (keys)."""
        found = []
        for deployment in self.live_deployments():
            name = (deployment.get("metadata") or {}).get("name")
            if ("Deployment", name, None) in leaving:
                continue
            if is_dependent(deployment, step.key, step.live):
                found.append(name)
        return sorted(found)

    # -- the run -------------------------------------------------------------------------------
    def run(self, bodies, state="present"):
        """Converge the wire bodies, given in dependency order. Returns dict(changed, resources, before,
        after, msg). Raises ApplyRefused before any write, or RioError during the acts (with ``changed``
        and ``resources`` set on it)."""
        steps = [Step(body) for body in bodies]
        if state == "absent":
            steps.reverse()
            self._plan_absent(steps)
        else:
            self._plan_present(steps)
            self.before_writes([step for step in steps if step.action in ("create", "recreate")])
        if not self.check_mode:
            try:
                self._act(steps, state)
            except RioError as exc:
                exc.changed = self.writes > 0
                exc.resources = [step.report(False) for step in steps]
                raise
        return self._outcome(steps, state)

    def _plan_present(self, steps):
        problems = []
        for step in steps:
            step.live = self.read(step.key)
            step.desired_form = self.model.comparable(step.doc)
            if step.live is None:
                step.action = "create"
                continue
            step.live_form = self.model.comparable(step.live)
            step.differences = self.model.differences(step.desired_form, step.live_form)
            if not step.differences:
                step.action = "unchanged"
            elif step.kind in UPDATABLE_KINDS:
                step.action = "update"
            elif self.on_change == "recreate":
                step.action = "recreate"
            else:
                step.action = "refused"
                problems.append("%s exists with different settings that cannot be updated: %s" % (
                    label(step.key), _describe_differences(step.differences)))
        if problems:
            raise ApplyRefused([text + ". Delete it first, or set on_change=recreate to replace it" for text in problems],
                               [step.report(True) for step in steps])
        leaving = set(step.key for step in steps if step.action == "recreate")
        self._refuse_breaking(steps, "recreate", leaving)

    def before_writes(self, steps):
        """Called once the plan stands, before the first write (in check mode too) with the steps that
        would create or recreate an object: a subclass checks what those creations need and raises
        ApplyRefused, or waits for it. Converged and deleted objects never reach it."""

    def _plan_absent(self, steps):
        for step in steps:
            labels = (step.doc.get("metadata") or {}).get("labels") or {}
            if labels.get(DELETION_POLICY_LABEL) == RETAIN:
                step.action = "retained"
                continue
            step.live = self.read(step.key)
            if step.live is None:
                step.action = "absent"
                continue
            step.live_form = self.model.comparable(step.live)
            step.action = "delete"
        leaving = set(step.key for step in steps if step.action == "delete")
        self._refuse_breaking(steps, "delete", leaving)

    def _refuse_breaking(self, steps, action, leaving):
        """Refuse to remove an object that live deployments outside this run's removals use."""
        if self.on_dependents == "break":
            return
        problems = []
        for step in steps:
            if step.action != action:
                continue
            users = self.dependents(step, leaving)
            if users:
                named = ", ".join(repr(name) for name in users)
                problems.append("%s is used by live deployments %s, which would break; %s them too, or set "
                                "on_dependents=break" % (label(step.key), named, action))
        if problems:
            raise ApplyRefused(problems, [step.report(True) for step in steps])

    # -- acts ----------------------------------------------------------------------------------
    def _act(self, steps, state):
        if state == "absent":
            for step in steps:
                if step.action == "delete":
                    self._delete(step)
            return
        for step in reversed(steps):
            if step.action == "recreate":
                self._delete(step)
        for step in steps:
            if step.action in ("create", "recreate"):
                created = self.api.create(step.kind, copy.deepcopy(step.doc))
                self.writes += 1
                step.result = created
                step.result = self._wait_ready(step, created)
            elif step.action == "update":
                step.result = self.api.put(step.kind, step.key[1], copy.deepcopy(step.doc))
                self.writes += 1
            elif step.action == "unchanged":
                step.result = self._wait_ready(step, step.live)

    def _delete(self, step):
        kind, name, version = step.key
        self.api.delete(kind, name, version=version)
        self.writes += 1
        step.result = step.live
        # Another object may take the name right after, so the old one must be gone whether or not the task waits.
        if kind in ("Deployment", "Network", "Disk") and (self._deadline is not None or step.action == "recreate"):
            self._wait_gone(step)

    def _poll(self, fetch, classify):
        deadline = self._deadline or Deadline(300, self._clock)
        sleep = (self.wait or {}).get("sleep") or MAX_SLEEP
        return poll(fetch, classify, deadline.left(), max_sleep=sleep, clock=self._clock, sleeper=self._sleeper,
                    budget=deadline.timeout)[0]

    def _wait_ready(self, step, first):
        """The object once ready; ``first`` is the object just read or created, used as the first poll."""
        if self._deadline is None or not readiness.waits_for(step.kind):
            return first
        seen = []

        def fetch():
            if not seen:
                seen.append(first)
                return first
            return self.api.get(step.kind, step.key[1], version=step.key[2], cached=False)

        try:
            return self._poll(fetch, lambda obj: readiness.state(step.kind, obj))
        except (DeploymentFailed, WaitTimeout) as exc:
            step.result = exc.last or first
            self._raise_wait_failure(step, exc)

    def _raise_wait_failure(self, step, exc):
        """The wait's failure again, in words about this object (poll's own words are v1's)."""
        where = readiness.describe(step.kind, exc.last)
        if isinstance(exc, DeploymentFailed):
            raise DeploymentFailed("%s failed: %s" % (label(step.key), where), last=exc.last, duration=exc.duration)
        raise WaitTimeout("%s is not ready after %ss: %s" % (label(step.key), self._deadline.timeout, where),
                          last=exc.last, duration=exc.duration)

    def _wait_gone(self, step):
        def fetch():
            return self.read(step.key, cached=False)

        def classify(obj):
            if obj is None or ((obj.get("status") or {}).get("phase")) == readiness.PHASE_STOPPED:
                return "ready"
            return "pending"

        try:
            self._poll(fetch, classify)
        except WaitTimeout as exc:
            raise WaitTimeout("%s is still not deleted: %s" % (label(step.key), readiness.describe(step.kind, exc.last)),
                              last=exc.last, duration=exc.duration)

    # -- outcome -------------------------------------------------------------------------------
    def _outcome(self, steps, state):
        before, after = {}, {}
        for step in steps if self.diff else ():
            key = diff_key(step.key)
            if step.desired_form is not None and step.action != "create":
                pair = self.model.diff_pair(step.desired_form, step.live_form)
                before[key], after[key] = shown(pair["before"], step.kind), shown(pair["after"], step.kind)
            elif step.desired_form is not None:
                after[key] = shown(step.desired_form, step.kind)
            elif step.live_form is not None:
                before[key] = shown(step.live_form, step.kind)
        for step in steps:
            if step.result is None:
                step.result = step.doc if step.action in ("create", "recreate", "update") else step.live
        changed = any(step.action in WRITING_ACTIONS for step in steps)
        reports = [step.report(self.check_mode) for step in steps]
        counts = {}
        for report in reports:
            counts[report["action"]] = counts.get(report["action"], 0) + 1
        summary = ", ".join("%s %d" % (action, counts[action]) for action in sorted(counts))
        return dict(changed=changed, resources=reports,
                    before=before, after=after, msg="%d document(s) %s: %s" % (
                        len(steps), "planned" if self.check_mode else "applied" if state != "absent" else "removed",
                        summary))


def wait_settings(params):
    if not params.get("wait"):
        return None
    return {"timeout": params.get("wait_timeout") or 0, "sleep": params.get("wait_sleep") or MAX_SLEEP}


def prepare(definition=None, src=None, model=None):
    """The wire bodies of the task's documents in dependency order, and the validation's warnings.

    Everything here happens before the first request: a document that cannot be used raises
    ManifestError naming the document, the field path and the value."""
    model = model or DocumentModel()
    bodies, warnings = model.load(definition, [src] if src else ())
    if not bodies:
        raise ManifestError([])
    return model.order(bodies), warnings


def masked_invocation(params):
    """``{"invocation": ...}`` when the task's ``definition`` holds a secret's values, else ``{}``.

    Results carry the task's arguments (``invocation``); a Secret document given inline must not show
    its values there either. Its documents replace it, each secret's values hidden; text that cannot
    be read as documents is not shown at all."""
    definition = params.get("definition")
    if definition is None:
        return {}
    try:
        bodies = [document.body for document in load_documents(definition)]
    except ManifestError:
        masked = HIDDEN
    else:
        if not any(isinstance(body, dict) and body.get("kind") == "Secret" for body in bodies):
            return {}
        masked = [shown(body) for body in bodies]
        masked = masked[0] if isinstance(definition, dict) else masked
    return {"invocation": {"module_args": dict(params, definition=masked)}}


def run_resource(rio):
    """Module glue: validate, plan, act, then exit or fail (rio: a RioModule)."""
    params = rio.params
    state = params.get("state") or "present"
    action = "Failed to apply the documents" if state == "present" else "Failed to delete the documents"
    extra = masked_invocation(params)
    try:
        bodies, warnings = prepare(params.get("definition"), params.get("src"))
    except ManifestError as exc:
        problems = [str(problem) for problem in exc.problems] or ["no document given"]
        rio.fail("%s: %s" % (action, "; ".join(problems)), problems=problems, changed=False, **extra)
        return
    for warning in warnings:
        rio.warn(warning)
    # Imported here: deployments/v2.py builds its appliers on this module.
    from ansible_collections.rapyuta.rio.plugins.module_utils.deployments.v2 import ResourceApply

    applier = ResourceApply(rio.v2_api, check_mode=rio.check_mode, wait=wait_settings(params),
                            on_change=params.get("on_change"), on_dependents=params.get("on_dependents"))
    error = None
    try:
        outcome = applier.run(bodies, state)
    except RioError as exc:  # reported below, outside the handler: no traceback for expected failures
        error = exc
    except Exception as exc:  # one helper turns every other failure into fail_json
        rio.fail_from_error(exc, action, **extra)
        return
    if isinstance(error, ApplyRefused):
        rio.fail("%s: %s" % (action, error), problems=error.problems, resources=error.resources, changed=False,
                 **extra)
        return
    if error is not None:
        rio.fail_from_error(error, action, changed=bool(getattr(error, "changed", False)),
                            resources=getattr(error, "resources", []), **extra)
        return
    rio.exit(changed=outcome["changed"], before=outcome["before"], after=outcome["after"],
             msg=outcome["msg"], resources=outcome["resources"], **extra)
