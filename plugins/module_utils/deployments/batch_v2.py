# Copyright: (c) 2026, rapyuta.rio contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""rio_deployment_batch on the v2 API. FOR INTERNAL COLLECTION USE ONLY: may change in any release.

Each item is one v2 Deployment (one per robot, as v2 has it): its options are mapped (or its
``definition`` taken) by deployments/v2.py, and one DeploymentApply converges it, exactly as a
rio_deployment task on v2 would (compare, create, on_change, on_dependents, wait). What the batch
adds:

- every item is mapped and checked before the first request, so refused items cost nothing;
- the live deployments of the batch are read with one list request (v2 lists carry whole
  objects, docs/reference/v2-api.md#lists-and-pagination): by name for a batch of up to
  NAMES_PER_LIST names, else the project's live deployments, a page per LIST_LIMIT of them, so a
  converged batch costs one or a few requests whatever its size, and writes nothing;
- the items run on the bounded pool of v1's batch; one item's failure is that item's result;
- the waits are shared, as on v1: an item hands the wait for its own deployment to one watcher,
  which lists the pending deployments (whole objects, so no read of its own) once per round for
  all of them, with the pauses of the item's own wait; a worker never sleeps in a wait, so a
  fleet's deployments are all created before the first poll. Waits for dependencies stay in the item;
- a removal is not refused because of a dependent that the same batch removes.

Nothing here imports Ansible.
"""

import threading
import time
from concurrent.futures import ThreadPoolExecutor

from ansible_collections.rapyuta.rio.plugins.module_utils.deployments.batch import (
    MAX_WORKERS,
    describe_failure,
    refuse_repeated_names,
    summarize,
)
from ansible_collections.rapyuta.rio.plugins.module_utils.deployments.v2 import (
    DeploymentApply,
    V2InputError,
    _differences,
    absent_body,
    deployment_body,
    refusals,
    summary,
)
from ansible_collections.rapyuta.rio.plugins.module_utils.transport.client import RioError
from ansible_collections.rapyuta.rio.plugins.module_utils.v2 import readiness
from ansible_collections.rapyuta.rio.plugins.module_utils.v2.apply import ApplyRefused, diff_key, identity, wait_settings
from ansible_collections.rapyuta.rio.plugins.module_utils.v2.documents import DEPLOYMENT
from ansible_collections.rapyuta.rio.plugins.module_utils.v1.wait import DeploymentFailed, WaitTimeout, pauses

# Names per list request: short enough for any URL limit, few enough requests for a fleet.
NAMES_PER_LIST = 100


def _dependencies(body):
    return [(index, (entry or {}).get("nameOrGUID"))
            for index, entry in enumerate((body.get("spec") or {}).get("depends") or [])]


class BatchDeploymentApply(DeploymentApply):
    """DeploymentApply of one item: the live deployments (for dependents) are the batch's snapshot,
    the batch's own removals do not count as dependents, and the wait for the item's own deployment,
    when it is still starting, is left to the batch's watcher (``deferred``: the step to watch)."""

    def __init__(self, api, batch, **kwargs):
        super().__init__(api, **kwargs)
        self._batch = batch
        self.steps = []
        self.deferred = None

    def _act(self, steps, state):
        self.steps = steps
        super()._act(steps, state)

    def _wait_ready(self, step, first):
        if (self._deadline is None or step.kind != DEPLOYMENT
                or readiness.state(step.kind, first) != "pending"):
            return super()._wait_ready(step, first)
        self.deferred = step
        return first

    def left(self):
        return self._deadline.left()

    def outcome_when_ready(self, ready):
        """The run's outcome once the watcher has seen the deferred deployment ready."""
        self.deferred.result = ready
        return self._outcome(self.steps, "present")

    def wait_failure(self, exc):
        """The watcher's verdict as the item's own wait raises it, with what ``run`` adds to it."""
        step = self.deferred
        step.result = exc.last
        try:
            self._raise_wait_failure(step, exc)
        except RioError as raised:
            raised.changed = self.writes > 0
            raised.resources = [other.report(False) for other in self.steps]
            return raised
        return exc

    def live_deployments(self):
        return self._batch.live_deployments()

    def _refuse_breaking(self, steps, action, leaving):
        super()._refuse_breaking(steps, action, set(leaving) | self._batch.removed)


class BatchRunV2:
    """Converge many v2 deployments with one shared RioV2Api; ``run()`` returns (results, summary)."""

    def __init__(self, api, items, check_mode=False, diff_mode=False, workers=MAX_WORKERS,
                 clock=time.monotonic, sleeper=time.sleep):
        self.api = api
        self.items = items
        self.check_mode = check_mode
        self.diff_mode = diff_mode
        self.workers = max(1, min(MAX_WORKERS, int(workers or 1)))
        self._clock = clock
        self._sleeper = sleeper
        self.removed = frozenset()
        self._live = None
        self._live_lock = threading.Lock()

    # -- before any request ------------------------------------------------------------------------
    def _prepare(self, item):
        """The item's wire body (and origins, warnings), or its error: nothing here reads the API."""
        params = item.params
        try:
            if params["state"] == "present":
                item.body, item.origins, item.warnings = deployment_body(params)
            else:
                problems = refusals(params)
                if problems:
                    raise V2InputError(problems)
                item.body, item.origins, item.warnings = absent_body(params), None, []
        except V2InputError as exc:
            item.error = "Refused deployment %s (api_version v2): %s; nothing was written" % (item.name, exc)

    def _refuse_conflicts(self):
        """Names listed twice, and dependencies on items of the same batch, fail those items."""
        runnable = [item for item in self.items if item.error is None]
        present = set(item.name for item in runnable if item.params["state"] == "present")
        for item in refuse_repeated_names(runnable):
            if item.params["state"] != "present":
                continue
            for index, dependency in _dependencies(item.body):
                if dependency in present and dependency != item.name:
                    item.error = ("spec.depends[%d]: deployment %s is converged by this same task; converge it in "
                                  "an earlier task" % (index, dependency))
                    break

    # -- the shared reads --------------------------------------------------------------------------
    def _live_named(self, names):
        """{name: live deployment} for ``names``: one list by name, or, for more names than one URL
        should carry, the project's live deployments (also kept as ``live_deployments``)."""
        wanted = set(names)
        if not wanted:
            return {}
        phases = list(readiness.LIVE_PHASES)
        if len(wanted) > NAMES_PER_LIST:
            listed = self.api.list_objects(DEPLOYMENT, cached=False, phases=phases)
        else:
            listed = self.api.list_objects(DEPLOYMENT, cached=False, names=sorted(wanted), phases=phases)
        live = [obj for obj in listed if (obj.get("status") or {}).get("phase") != readiness.PHASE_STOPPED]
        if len(wanted) > NAMES_PER_LIST:
            with self._live_lock:
                self._live = live
        return dict(((obj.get("metadata") or {}).get("name"), obj) for obj in live
                    if (obj.get("metadata") or {}).get("name") in wanted)

    def _prefetch(self):
        """The live deployments of the batch, remembered as the items' reads."""
        names = sorted(set(item.name for item in self.items if item.error is None))
        found = self._live_named(names)
        if names:
            self.api.remember(DEPLOYMENT, list(found.values()), names)

    def live_deployments(self):
        """Every live deployment of the project, read once for the whole batch (only a removal or a
        recreation asks: it must not break the deployments that depend on it)."""
        with self._live_lock:
            if self._live is None:
                listed = self.api.list_objects(DEPLOYMENT, cached=False, phases=list(readiness.LIVE_PHASES))
                self._live = [obj for obj in listed
                              if (obj.get("status") or {}).get("phase") != readiness.PHASE_STOPPED]
            return self._live

    # -- one item ----------------------------------------------------------------------------------
    def _result(self, item, changed=False, failed=False, msg="", deployment=None, **extra):
        result = dict(name=item.name, state=(item.params or {}).get("state"), changed=changed, failed=failed,
                      msg=msg, deployment=deployment if deployment is not None else {})
        result["warnings"] = list(getattr(item, "warnings", None) or [])
        result.update(extra)
        return result

    def _run_item(self, item):
        item.watch = None
        if item.error is not None:
            item.result = self._result(item, failed=True, msg=item.error)
            return
        params = item.params
        state = params["state"]
        action = self._action(item)
        wait = wait_settings(params) if not self.check_mode else None
        applier = BatchDeploymentApply(self.api, self, origins=item.origins, check_mode=self.check_mode, wait=wait,
                                       on_change=params.get("on_change"), on_dependents=params.get("on_dependents"),
                                       clock=self._clock, sleeper=self._sleeper, diff=self.diff_mode)
        started = self._clock()
        try:
            outcome = applier.run([item.body], state)
        except ApplyRefused as exc:
            entry = (exc.resources or [{}])[0]
            extra = dict(problems=exc.problems)
            if entry.get("differences"):
                extra["differences"] = _differences(entry)
            item.result = self._result(item, failed=True, msg="%s: %s" % (action, exc), **extra)
            return
        except Exception as exc:  # one item's failure, expected or not, is that item's result
            self._failed(item, applier, exc, started)
            return
        if applier.deferred is not None:
            item.watch = (applier, started)
            return
        self._succeeded(item, applier, outcome, started)

    def _action(self, item):
        return "Failed to %s deployment %s" % ("apply" if item.params["state"] == "present" else "delete", item.name)

    def _failed(self, item, applier, exc, started):
        state = item.params["state"]
        msg, details = describe_failure(exc, self._action(item))
        entry = (getattr(exc, "resources", None) or [{}])[0]
        resource = entry.get("object") or {}
        if state == "present" and resource:
            details.update(deployment=summary(resource), resource=resource)
        if applier.wait is not None and isinstance(exc, RioError) and applier.writes:
            details["duration"] = round(self._clock() - started, 2)
        item.result = self._result(item, changed=bool(getattr(exc, "changed", applier.writes > 0)), failed=True,
                                   msg=msg, **details)

    def _succeeded(self, item, applier, outcome, started):
        state = item.params["state"]
        wait = applier.wait
        entry = outcome["resources"][0]
        resource = (entry.get("object") or {}) if state == "present" else {}
        extra = dict(resource=resource, action=entry["action"])
        if entry.get("differences"):
            extra["differences"] = _differences(entry)
        if self.diff_mode:
            key = diff_key(identity(item.body))
            extra["diff"] = {"before": outcome["before"].get(key, {}), "after": outcome["after"].get(key, {})}
        if wait is not None and outcome["changed"]:
            extra["duration"] = round(self._clock() - started, 2)
        item.result = self._result(item, changed=outcome["changed"], deployment=summary(resource), **extra)

    # -- the waits, all together -------------------------------------------------------------------
    def _watch(self, watched):
        """One list of the pending deployments per round, until each is ready, failed or out of time;
        pauses and verdicts are those of the item's own wait (v1/wait.py ``poll``)."""
        for delay in pauses(max(item.watch[0].wait["sleep"] for item in watched)):
            found = self._live_named([item.name for item in watched])
            watched = [item for item in watched if not self._decide(item, found.get(item.name), delay)]
            if not watched:
                return
            self._sleeper(delay)

    def _decide(self, item, listed, delay):
        """Whether the watcher is done with the item (its result then set)."""
        applier, started = item.watch
        current = listed
        if current is None:  # not listed live: read it as the item's own wait would
            try:
                current = self.api.get(DEPLOYMENT, item.name, cached=False)
            except Exception as exc:  # pylint: disable=broad-exception-caught  # that item's failure only
                self._failed(item, applier, exc, started)
                return True
        state = readiness.state(DEPLOYMENT, current)
        elapsed = self._clock() - started
        if state == "ready":
            self._succeeded(item, applier, applier.outcome_when_ready(current), started)
            return True
        if state == "failed":
            failure = DeploymentFailed(readiness.describe(DEPLOYMENT, current), last=current, duration=elapsed)
        elif applier.left() < delay:
            failure = WaitTimeout("not ready", last=current, duration=elapsed)
        else:
            return False
        self._failed(item, applier, applier.wait_failure(failure), started)
        return True

    # -- all of it ---------------------------------------------------------------------------------
    def run(self):
        for item in self.items:
            if item.error is None:
                self._prepare(item)
        self._refuse_conflicts()
        self.removed = frozenset((DEPLOYMENT, item.name, None) for item in self.items
                                 if item.error is None and item.params["state"] == "absent")
        self._prefetch()
        runnable = self.items
        # Each item writes only its own deployment: one creation must not make the others read again
        # what they share (the run's reads of other deployments, networks, disks, routes).
        forgetting = getattr(self.api, "writes_forget_one", frozenset())
        self.api.writes_forget_one = frozenset(forgetting | {DEPLOYMENT})
        try:
            if self.workers > 1 and len(runnable) > 1:
                with ThreadPoolExecutor(max_workers=self.workers) as pool:
                    list(pool.map(self._run_item, runnable))
            else:
                for item in runnable:
                    self._run_item(item)
            watched = [item for item in self.items if getattr(item, "watch", None) is not None]
            if watched:
                self._watch(watched)
        finally:
            self.api.writes_forget_one = forgetting
        results = [item.result for item in self.items]
        return results, summarize(results)
