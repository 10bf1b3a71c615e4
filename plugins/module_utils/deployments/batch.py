# Copyright: (c) 2026, rapyuta.rio contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""rio_deployment_batch: many deployments converged by one module run.
FOR INTERNAL COLLECTION USE ONLY: may change in any release.

Every item runs rio_deployment's own plan of action (DeploymentTask: resolve, compare, act) on a
bounded thread pool, over ONE shared LookupCache (v1/api.py), so the run's look-ups serve all
items: the deployment list, the device list and each package are read once for the whole batch.

Three things differ from running the items one by one:

* Each item sees the shared look-ups through a view (``ItemApi``, a RioApi built on the shared
  cache). When an item writes, only its own view forgets the deployment list (the next read in
  that item is fresh); the other items keep the shared one, which is still right for them because
  no two items share a name.
* The device configuration variables come from the device list (RioApi does that whenever the run
  has read the list), read once, instead of one read per device.
* The waits for the items' own deployments (DeploymentTask's ``_wait_for_own_deployment`` hook,
  which BatchItemTask overrides) are not done by the workers: every item first provisions (or
  finds its converged deployment), then one watcher polls the deployment list, one request per
  round for all pending deployments, and reads in full only those whose phase says they are done,
  to confirm readiness or to explain a failure. Waits for prerequisites
  (dependencies, volumes) and for a removal before a recreation stay in the item, as in
  rio_deployment.

A failing item is that item's result (``failed``, ``msg``); the other items go on.
"""

import collections
import time
import traceback
from concurrent.futures import ThreadPoolExecutor

from ansible_collections.rapyuta.rio.plugins.module_utils.v1.constants import LIVE_PHASES, PENDING_PHASES, PHASE_SUCCEEDED
from ansible_collections.rapyuta.rio.plugins.module_utils.v1.api import RioApi, rows_by
from ansible_collections.rapyuta.rio.plugins.module_utils.transport.client import (
    RioApiError,
    RioConnectionError,
    RioError,
)
from ansible_collections.rapyuta.rio.plugins.module_utils.deployments.results import shape_deployment
from ansible_collections.rapyuta.rio.plugins.module_utils.deployments.task import DeploymentTask
from ansible_collections.rapyuta.rio.plugins.module_utils.v1.wait import (
    as_code_list,
    deployment_state,
    describe_deployment,
    pauses,
)

DEFAULT_WORKERS = 16  # requests wait on the network far more than on this process
MAX_WORKERS = 16  # the HTTP connection pool of one RioClient holds 16 connections


class ItemApi(RioApi):
    """One item's view of the shared RioApi: shared cache and transport, its own deployment list after it writes.

    With ``watched`` (the item waits, so the watcher reads its deployment when the list says it is
    done), the read that follows the provisioning request is left out: it would only say "In progress".
    """

    def __init__(self, shared, watched=False):
        super().__init__(shared.client, sleeper=shared.sleeper, cache=shared.cache)
        self._stale = False
        self._own_deployments = None
        self._watched = watched
        self._provisioning = None
        self.wrote = False

    def provision(self, body):
        self._provisioning = body if self._watched else None
        try:
            created = super().provision(body)
        finally:
            self._provisioning = None
        self.wrote = True
        return created

    def get_deployment(self, deployment_id):
        body = self._provisioning
        if body is not None:
            self._provisioning = None
            return {"deploymentId": deployment_id, "name": (body.get("context") or {}).get("name"),
                    "packageId": body.get("service_id"), "planId": body.get("plan_id")}
        return super().get_deployment(deployment_id)

    def deprovision(self, deployment):
        super().deprovision(deployment)
        self.wrote = True

    def forget(self, *prefixes):
        if "deployments" in prefixes:
            self._stale = True
            self._own_deployments = None
        others = [prefix for prefix in prefixes if prefix != "deployments"]
        if others:
            super().forget(*others)

    def live_deployments(self):
        if not self._stale:
            return super().live_deployments()
        if self._own_deployments is None:
            self._own_deployments = self.list_deployments(phases=LIVE_PHASES)
        return self._own_deployments

    def live_deployments_by(self, field):
        if not self._stale:
            return super().live_deployments_by(field)
        return rows_by(self.live_deployments(), field)


class _Deferred:
    """A wait handed from an item to the watcher."""

    def __init__(self, deployment_id, action, deadline):
        self.deployment_id = deployment_id
        self.action = action
        self.deadline = deadline


class BatchItemTask(DeploymentTask):
    """DeploymentTask whose wait for its own deployment is left to the batch watcher."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.deferred = None

    def _converged(self, live_full, desired):
        """Equal to the declared configuration. A deployment compared from the list is taken as ready
        when the list shows it Succeeded without error codes; otherwise it is read in full first."""
        if self.compared_from_list:
            if listed_ready(live_full):
                return dict(changed=False, before=desired, after=desired,
                            deployment=shape_deployment(live_full, config=desired))
            live_full = self.api.get_deployment(live_full["deploymentId"])
        return super()._converged(live_full, desired)

    def _wait_for_own_deployment(self, deployment_id):
        """Hand the wait to the watcher; the item's result is completed when the watcher decides."""
        self._just_read = None
        self.deferred = _Deferred(deployment_id, self.action, self._clock() + self._remaining())
        return {"deploymentId": deployment_id, "name": self.name}


def listed_codes(partial):
    return [code for entry in partial.get("componentInstanceIds") or [] for code in as_code_list(entry.get("errorCode"))]


def listed_ready(partial):
    """A listed (partial) deployment that is Succeeded and shows no error code (the list has no status)."""
    return partial.get("phase") == PHASE_SUCCEEDED and not listed_codes(partial)


def describe_failure(exc, action):
    """(msg, details) of a failed item, the way a failed rio_deployment task words it."""
    details = {}
    if isinstance(exc, RioApiError):
        details.update(status=exc.status, method=exc.method, path=exc.path)
        cause = str(exc)
    elif isinstance(exc, RioConnectionError):
        details.update(method=exc.method, path=exc.path)
        cause = "cannot reach the API (%s)" % exc.reason
    elif isinstance(exc, RioError):
        cause = str(exc)
    else:
        details["exception"] = traceback.format_exc()
        cause = "unexpected %s: %s" % (type(exc).__name__, exc)
    return "%s: %s" % (action, cause), details


def refuse_repeated_names(runnable):
    """Fail every item whose name is listed more than once; returns the others."""
    counts = collections.Counter(item.name for item in runnable)
    for item in runnable:
        if counts[item.name] > 1:
            # The same words for every copy, so that the task's message gives them once (failure_message).
            where = ", ".join("deployments[%d]" % other.index for other in runnable if other.name == item.name)
            item.error = "deployment %s is listed %d times in this task (%s); list each name once" % (
                item.name, counts[item.name], where)
    return [item for item in runnable if counts[item.name] == 1]


class BatchItem:
    """One entry of ``deployments``: validated params, or the reason it could not be validated."""

    def __init__(self, index, name, params=None, error=None):
        self.index = index
        self.name = name
        self.params = params
        self.error = error
        self.result = None
        self.task = None


def _result(item, changed=False, failed=False, msg="", deployment=None, **extra):
    result = dict(name=item.name, state=(item.params or {}).get("state"), changed=changed, failed=failed,
                  msg=msg, deployment=deployment if deployment is not None else {})
    result.update(extra)
    return result


class BatchRun:
    """Converge many deployments with one shared RioApi; ``run()`` returns (results, summary)."""

    def __init__(self, api, items, check_mode=False, diff_mode=False, workers=DEFAULT_WORKERS, compare="auto",
                 clock=time.monotonic, sleeper=time.sleep):
        self.api = api
        self.compare = compare
        self._map = map
        self.items = items
        self.check_mode = check_mode
        self.diff_mode = diff_mode
        self.workers = max(1, min(MAX_WORKERS, int(workers or 1)))
        self._clock = clock
        self._sleeper = sleeper
        # Deployments this batch removes: a dependent among them is not a reason to refuse a removal.
        self._removed = frozenset()

    # -- before any item runs ----------------------------------------------------------------------
    def _refuse_conflicts(self):
        """Names listed twice, and dependencies on items of the same batch, fail those items."""
        runnable = [item for item in self.items if item.error is None]
        present = set(item.name for item in runnable if item.params.get("state") == "present")
        for item in refuse_repeated_names(runnable):
            for index, dependency in enumerate(item.params.get("depends_on") or []):
                if dependency in present and dependency != item.name:
                    item.error = ("depends_on[%d]: deployment %s is converged by this same task; converge it in "
                                  "an earlier task" % (index, dependency))
                    break

    def _prefetch(self):
        """The shared look-ups, read once up front; an auth or connection failure here fails the task."""
        runnable = [item.params for item in self.items if item.error is None]
        if not runnable:
            return
        self.api.live_deployments()
        present = [params for params in runnable if params.get("state") == "present"]
        if any(params.get("package_name") for params in present):
            self.api.list_packages()
        if any(entry.get("device") for params in present for entry in params.get("components") or []):
            self.api.list_devices()

    # -- the items ---------------------------------------------------------------------------------
    def _run_item(self, item):
        if item.error is not None:
            item.result = _result(item, failed=True, msg=item.error)
            return
        watched = bool(item.params.get("wait")) and not self.check_mode
        task = BatchItemTask(ItemApi(self.api, watched=watched), item.params, check_mode=self.check_mode, diff_mode=self.diff_mode,
                             clock=self._clock, sleeper=self._sleeper)
        task.removed_alongside = self._removed
        task.compare_from_list = self.compare == "auto"
        item.task = task
        try:
            outcome = task.present() if item.params["state"] == "present" else task.absent()
        except Exception as exc:  # one item's failure, expected or not, is that item's result
            msg, details = describe_failure(exc, task.action)
            extra = dict(task.extra)
            extra.update(details)
            last = getattr(exc, "last", None)
            if isinstance(last, dict) and last.get("name") == task.name:
                extra["deployment"] = shape_deployment(last, config=(extra.get("deployment") or {}).get("config"))
            if task.waited:
                extra["duration"] = round(task.waited, 2)
            task.deferred = None
            item.result = _result(item, changed=task.api.wrote, failed=True,
                                  msg=msg, warnings=list(task.warnings), **extra)
            return
        before = outcome.pop("before", None)
        after = outcome.pop("after", None)
        if self.diff_mode and (before is not None or after is not None):
            outcome["diff"] = {"before": before if before is not None else {},
                               "after": after if after is not None else {}}
        if task.waited:
            outcome["duration"] = round(task.waited, 2)
        if task.broken_dependents:
            outcome["broken_dependents"] = task.broken_dependents
        item.result = _result(item, warnings=list(task.warnings), **outcome)

    # -- the waits, all together -------------------------------------------------------------------
    def _watch(self, pending, max_sleep):
        """Poll the deployment list until every deferred wait is decided: one list per round, then
        full reads (on the pool) of the deployments the list shows done, failing, or out of time."""
        start = self._clock()
        for delay in pauses(max_sleep):
            listed = dict((dep.get("deploymentId"), dep) for dep in self.api.list_deployments(phases=LIVE_PHASES))
            due = []
            for item in pending:
                partial = listed.get(item.task.deferred.deployment_id)
                still_starting = (partial is not None and partial.get("phase") in PENDING_PHASES
                                  and not listed_codes(partial))
                if not still_starting or self._clock() + delay > item.task.deferred.deadline:
                    due.append(item)
            list(self._map(lambda item: self._decide(item, start), due))
            pending = [item for item in pending if item.task.deferred is not None]
            if not pending:
                return
            self._sleeper(delay)

    def _decide(self, item, start):
        """Read one deployment in full: ready, failed, or (if its time is up) timed out."""
        deferred = item.task.deferred
        config = (item.result.get("deployment") or {}).get("config")
        try:
            full = self.api.get_deployment(deferred.deployment_id)
        except Exception as exc:  # a read that failed for this item only
            msg, details = describe_failure(exc, deferred.action)
            item.result.update(failed=True, msg=msg, **details)
            item.task.deferred = None
            return
        state = deployment_state(full)
        now = self._clock()
        if state == "pending" and now < deferred.deadline:
            return
        waited = round(item.task.waited + (now - start), 2)
        item.result.update(deployment=shape_deployment(full, config=config), duration=waited)
        item.task.deferred = None
        if state == "failed":
            item.result.update(failed=True, msg="%s: %s" % (deferred.action, describe_deployment(full)))
        elif state == "pending":
            item.result.update(failed=True, msg="%s: not ready after %ss: %s" % (
                deferred.action, item.params["wait_timeout"], describe_deployment(full)))

    # -- all of it ---------------------------------------------------------------------------------
    def run(self):
        self._refuse_conflicts()
        self._removed = frozenset(item.name for item in self.items
                                  if item.error is None and item.params.get("state") == "absent")
        self._prefetch()
        pool = ThreadPoolExecutor(max_workers=self.workers) if self.workers > 1 else None
        if pool is not None:
            self._map = pool.map
        try:
            list(self._map(self._run_item, self.items))
            pending = [item for item in self.items if item.task is not None and item.task.deferred is not None]
            if pending:
                self._watch(pending, max(item.params["wait_sleep"] for item in pending))
        finally:
            if pool is not None:
                pool.shutdown()
        results = [item.result for item in self.items]
        return results, summarize(results)


def failure_message(results, summary):
    """The task's message when items failed: each distinct failure once, in the order of the items."""
    failures = []
    for result in results:
        failure = "%s: %s" % (result["name"], result["msg"])
        if result["failed"] and failure not in failures:
            failures.append(failure)
    return "%d of %d deployments failed: %s" % (summary["failed"], summary["total"], "; ".join(failures))


def summarize(results):
    failed = [result["name"] for result in results if result["failed"]]
    changed = [result["name"] for result in results if result["changed"]]
    return {
        "total": len(results),
        "ok": len(results) - len(failed),
        "changed": len(changed),
        "unchanged": len([result for result in results if not result["changed"] and not result["failed"]]),
        "failed": len(failed),
        "changed_names": changed,
        "failed_names": failed,
    }
