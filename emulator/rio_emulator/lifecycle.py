"""Phase engine: a deployment's phase is computed at read time from the time elapsed since its
creation (or last update), so no background thread is needed and a restart keeps the timeline.

Creation:  [0, d/2) `In progress` -> [d/2, d) `Provisioning` -> `Succeeded`/`Running`
           (or the recorded failure) where d = --phase-delay; d = 0 means final on the first read.
Update:    `Provisioning` for max(d, UPDATE_MIN_SECONDS), then final again.
Stopped:   `Deployment stopped` / `Deployment not running` (still readable and listed).
"""
from . import ids

IN_PROGRESS = "In progress"
PROVISIONING = "Provisioning"
SUCCEEDED = "Succeeded"
FAILED_TO_START = "Failed to start"
STOPPED = "Deployment stopped"
FAILED_PHASES = (FAILED_TO_START, STOPPED, "Partially deprovisioned")

# A PATCH must be observable as `Provisioning` (the SDK integration test reads it and sends a second
# PATCH expecting 400), even with --phase-delay 0.
UPDATE_MIN_SECONDS = 1.0

# When several problems exist, the platform reports the one found first in its own pipeline:
# device reachability, then validation, then image pull, then dependencies, then the bridge.
CODE_PRIORITY = ("DEP_E151", "DEP_E162", "DEP_E153", "DEP_E156", "DEP_E171", "DEP_E209")


def timeline(dep, delay, now):
    """(phase, status, settled) from the stored timestamps; settled=True once the final phase is reached."""
    if dep.get("stopped"):
        return STOPPED, "Deployment not running", True
    elapsed = now - dep["phaseStart"]
    if dep.get("mode") == "update":
        if elapsed < max(delay, UPDATE_MIN_SECONDS):
            return PROVISIONING, "Pending", False
    elif elapsed < delay:
        return (IN_PROGRESS if elapsed < delay / 2.0 else PROVISIONING), "Pending", False
    return SUCCEEDED, "Running", True


def pick_failure(problems):
    """problems: [(code, component_name|None, reason)] -> failure dict or None (highest-priority code)."""
    if not problems:
        return None
    def rank(problem):
        return CODE_PRIORITY.index(problem[0]) if problem[0] in CODE_PRIORITY else len(CODE_PRIORITY)
    code = min(problems, key=rank)[0]
    chosen = [p for p in problems if p[0] == code]
    return {"code": code, "components": [p[1] for p in chosen if p[1]],
            "reason": "; ".join(p[2] for p in chosen)}


class Renderer:
    """Turns stored deployment documents into wire objects for one request (caches lookups)."""

    def __init__(self, store, project, delay, now):
        self.store, self.project, self.delay, self.now = store, project, delay, now
        self._cache = {}

    def _get(self, dep_id):
        if dep_id not in self._cache:
            self._cache[dep_id] = self.store.get("deployment", self.project, dep_id)
        return self._cache[dep_id]

    def state(self, dep, depth=0):
        """(phase, status, errors, failure) including dynamic dependency failures (DEP_E156)."""
        phase, status, settled = timeline(dep, self.delay, self.now)
        if dep.get("stopped") or not settled:
            return phase, status, None, None
        failure = dep.get("failure")
        if failure is None and depth < 8:
            for entry in (dep.get("provisionContext") or {}).get("dependentDeployments") or []:
                other = self._get(entry.get("dependentDeploymentId"))
                if other is None:
                    continue
                other_phase, _status, other_errors, _f = self.state(other, depth + 1)
                if other_phase in FAILED_PHASES or other_errors:
                    failure = {"code": "DEP_E156", "components": [],
                               "reason": "dependent deployment %s (%s) is not running: %s%s"
                                         % (other["name"], other["deploymentId"], other_phase,
                                            " (%s)" % ", ".join(other_errors) if other_errors else "")}
                    break
        if failure is None:
            return phase, status, None, None
        if failure["code"] == "DEP_E153":
            # The platform keeps retrying the pull: phase stays Provisioning with the error attached.
            return PROVISIONING, "Error", [failure["code"]], failure
        return FAILED_TO_START, "Error", [failure["code"]], failure

    def component_info(self, dep, phase, failure):
        infos = []
        for comp in dep["components"]:
            failing = failure is not None and (not failure["components"] or comp["name"] in failure["components"])
            if dep.get("stopped"):
                comp_status = "stopped"
            elif failing:
                comp_status = "error"
            elif phase == SUCCEEDED:
                comp_status = "running"
            else:
                comp_status = "pending"
            codes = [failure["code"]] if failing else ""
            execs = comp.get("executables") or []
            infos.append({
                "componentID": comp["componentId"], "componentInstanceID": comp["instanceId"],
                "name": comp["name"], "runtime": comp["runtime"], "planID": dep["planId"],
                "phase": phase, "status": comp_status, "errorCode": codes,
                "isDeprovisioned": bool(dep.get("stopped")),
                "executableMetaData": execs or None,
                "executablesStatusInfo": [dict(
                    {"id": e.get("id"), "status": comp_status, "metadata": None},
                    **({"reason": failure["reason"], "errorCode": failure["code"]} if failing else {}))
                    for e in execs] or None,
            })
        return infos

    def instance_ids(self, dep, failure):
        out = []
        for comp in dep["components"]:
            failing = failure is not None and (not failure["components"] or comp["name"] in failure["components"])
            out.append({"componentInstanceId": comp["instanceId"], "componentId": comp["componentId"],
                        "packageId": dep["packageId"], "planId": dep["planId"], "source": "helm",
                        "errorCode": failure["code"] if failing else "", "executableInfo": None})
        return out

    def full(self, dep, in_use=None):
        phase, status, errors, failure = self.state(dep)
        context = dep.get("provisionContext") or {}
        out = self.partial(dep, in_use, phase=phase, failure=failure)
        out.update({
            "status": status, "errors": errors,
            "provisionContext": context,
            "componentInfo": self.component_info(dep, phase, failure),
            "dependentDeploymentStatus": {}, "packageDependencyStatus": {},
            "coreNetworks": {"routedNetworks": context.get("routedNetworks") or [],
                             "nativeNetworks": context.get("nativeNetworks") or []},
            "usedBy": "", "bindable": dep.get("bindable", True),
            "currentGeneration": dep.get("generation", 1),
            "lastStatusUpdateTime": ids.rfc3339(self.now),
            "packageAPIVersion": dep.get("packageAPIVersion", "1.0.0"),
        })
        if failure is not None:
            out["errorMessage"] = failure["reason"]
        return out

    def partial(self, dep, in_use=None, phase=None, failure=None):
        if phase is None:
            phase, _status, _errors, failure = self.state(dep)
        context = dep.get("provisionContext") or {}
        return {
            "deploymentId": dep["deploymentId"], "name": dep["name"],
            "packageId": dep["packageId"], "packageName": dep["packageName"], "planId": dep["planId"],
            "phase": phase, "parameters": dep.get("parameters") or {},
            "labels": context.get("labels") or [],
            "dependentDeployments": context.get("dependentDeployments") or [],
            "componentInstanceIds": self.instance_ids(dep, failure),
            "inUse": bool(in_use), "ownerProject": self.project, "creator": "user-emulator",
            "ID": dep["ID"], "CreatedAt": ids.rfc3339(dep["created"]),
            "UpdatedAt": ids.rfc3339(dep.get("updated", dep["created"])),
            "DeletedAt": ids.rfc3339(dep["stopped"]) if dep.get("stopped") else None,
        }
