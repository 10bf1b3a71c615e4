"""v2 deployment phases and the `status` block, computed at read time.

The timeline is v1's engine (`rio_emulator.lifecycle.timeline`) under v2 names
(docs/reference/v2-api.md#deployment-phases-and-readiness): a stored deployment is the wire object
plus a private `_state` carrying v1's `phaseStart`/`mode`/`stopped` fields, so `--phase-delay` and the
restart rule behave as on v1. `_state` also holds the resolved references (`refs`), the failure causes
found at create (`problems`) and the package's executables (`executables`).
Failures combine the causes recorded at create (v2/checks.py) with the dynamic one (a `spec.depends`
deployment that is not running, DEP_E156) and v1's priority picks the reported code.
"""
import copy

from ..lifecycle import IN_PROGRESS, PROVISIONING, STOPPED, SUCCEEDED, pick_failure, timeline
from . import checks
from .common import DEPLOYMENT, public

PHASE_IN_PROGRESS = "InProgress"
PHASE_PROVISIONING = "Provisioning"
PHASE_SUCCEEDED = "Succeeded"
PHASE_FAILED_TO_START = "FailedToStart"
PHASE_FAILED_TO_UPDATE = "FailedToUpdate"
PHASE_STOPPED = "Stopped"
PHASES = (PHASE_IN_PROGRESS, PHASE_PROVISIONING, PHASE_SUCCEEDED, PHASE_FAILED_TO_UPDATE, PHASE_FAILED_TO_START,
          PHASE_STOPPED)
NOT_RUNNING_PHASES = (PHASE_FAILED_TO_START, PHASE_FAILED_TO_UPDATE, PHASE_STOPPED)

_V1_PHASE = {IN_PROGRESS: PHASE_IN_PROGRESS, PROVISIONING: PHASE_PROVISIONING, SUCCEEDED: PHASE_SUCCEEDED,
             STOPPED: PHASE_STOPPED}
_V1_STATUS = {"Pending": "Pending", "Running": "Running", "Deployment not running": "Stopped"}

# A chain of dependencies is followed this deep at most (a cycle cannot be created, the bound is a guard).
MAX_DEPTH = 8


def is_live(doc):
    return not doc["_state"].get("stopped")


class Renderer:
    """Turns stored v2 deployment documents into wire objects for one request (caches lookups)."""

    def __init__(self, store, project, delay, now, resource_status=None):
        self.store, self.project, self.delay, self.now = store, project, delay, now
        # resource_status(kind, name) -> dict of `status` fields of a network/disk, when the caller knows them.
        self.resource_status = resource_status
        self._docs = {}
        self._states = {}

    def _get(self, guid):
        if guid not in self._docs:
            self._docs[guid] = self.store.get(DEPLOYMENT, self.project, guid)
        return self._docs[guid]

    def state(self, doc, depth=0):
        """(phase, status, error_codes, failure); failure = pick_failure() dict with executable names."""
        guid, state = doc["metadata"]["guid"], doc["_state"]
        if guid in self._states:
            return self._states[guid]
        phase, status, settled = timeline(state, self.delay, self.now)
        phase, status = _V1_PHASE[phase], _V1_STATUS[status]
        result = (phase, status, [], None)
        if settled and is_live(doc):
            problems = [tuple(p) for p in state.get("problems") or []]
            if depth < MAX_DEPTH:
                for other_guid in state["refs"].get("deployments") or []:
                    other = self._get(other_guid)
                    if other is None:
                        continue
                    other_phase, _status, other_codes, _failure = self.state(other, depth + 1)
                    problem = checks.dependency_problem(other["metadata"], other_phase, other_codes,
                                                        NOT_RUNNING_PHASES)
                    if problem:
                        problems.append(problem)
            failure = pick_failure(problems)
            if failure is not None:
                if failure["code"] == "DEP_E153":
                    # The platform keeps retrying the pull: the phase stays Provisioning with the error attached.
                    result = (PHASE_PROVISIONING, "Error", [failure["code"]], failure)
                elif state.get("mode") == "update":
                    result = (PHASE_FAILED_TO_UPDATE, "Error", [failure["code"]], failure)
                else:
                    result = (PHASE_FAILED_TO_START, "Error", [failure["code"]], failure)
        self._states[guid] = result
        return result

    def executables_status(self, doc, phase, failure):
        out = {}
        for exe in doc["_state"].get("executables") or []:
            failing = failure is not None and (not failure["components"] or exe["name"] in failure["components"])
            if not is_live(doc):
                exe_status = "terminated"
            elif failing:
                exe_status = "error"
            elif phase == PHASE_SUCCEEDED:
                exe_status = "running"
            else:
                exe_status = "pending"
            entry = {"name": exe["name"], "status": exe_status, "restart_count": 0}
            if exe.get("image"):
                entry["image"] = exe["image"]
            if failing:
                entry["error_code"], entry["reason"] = failure["code"], failure["reason"]
            out[exe["name"]] = entry
        return out

    def dependencies(self, doc):
        refs = doc["_state"]["refs"]
        deployments = []
        for guid in refs.get("deployments") or []:
            other = self._get(guid)
            if other is None:
                continue
            phase, status, codes, _failure = self.state(other)
            deployments.append({"name": other["metadata"]["name"], "guid": guid, "status": status,
                                "phase": phase, "error_codes": codes})
        networks = [self._resource("network", ref) for ref in refs.get("networks") or []]
        disks = [self._resource("disk", ref) for ref in refs.get("disks") or []]
        return {"deployments": deployments, "networks": networks, "disk": disks}

    def _resource(self, kind, ref):
        entry = {"name": ref.get("name"), "guid": ref.get("guid")}
        if self.resource_status is not None:
            entry.update(self.resource_status(kind, ref.get("name")) or {})
        return entry

    def render(self, doc):
        """The wire object: the stored object without `_state`, plus `status`."""
        phase, status, codes, failure = self.state(doc)
        out = public(doc)
        out["status"] = {"phase": phase, "status": status, "error_codes": copy.copy(codes),
                         "executables_status": self.executables_status(doc, phase, failure),
                         "dependencies": self.dependencies(doc)}
        return out

