# Copyright: (c) 2026, rapyuta.rio contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""Waiting for deployments, networks and volumes. FOR INTERNAL COLLECTION USE ONLY: may change in any release.

The poll starts at once and backs off from a quarter second up to ``max_sleep`` (``MAX_SLEEP`` by default),
so readiness is noticed within a second of it, one request included; users who prefer fewer
requests raise the cap.
"""

import time

from ansible_collections.rapyuta.rio.plugins.module_utils.v1.constants import (
    FAILED_PHASES,
    GONE_PHASES,
    PHASE_IN_PROGRESS,
    PHASE_PROVISIONING,
    PHASE_SUCCEEDED,
    READY_STATUSES,
)
from ansible_collections.rapyuta.rio.plugins.module_utils.transport.client import RioError

FIRST_SLEEP = 0.25
MAX_SLEEP = 0.8  # the wait_sleep default: worst case, readiness is seen MAX_SLEEP + one request later


# Codes after which waiting cannot help: the platform will not fix them by itself.
PERMANENT_ERRORS = frozenset(["DEP_E153", "DEP_E161", "DEP_E162", "DEP_E171", "DEP_E172", "DEP_E173",
                              "DEP_E174", "DEP_E175", "DEP_E176", "DEP_E177", "DEP_E209"])

ERROR_CODES = {
    "DEP_E151": "the device is offline or unreachable",
    "DEP_E152": "executables on the device exited or failed",
    "DEP_E153": "the image could not be pulled or built",
    "DEP_E154": "cloud executables exited early",
    "DEP_E155": "cloud executables failed",
    "DEP_E156": "a dependent deployment is in error or not running",
    "DEP_E161": "the docker image was not found on the device",
    "DEP_E162": "validation failed: the component's ROS distro or architecture does not match the device",
    "DEP_E163": "executables on the device are crash-looping",
    "DEP_E171": "cloud bridge problem: duplicate alias",
    "DEP_E172": "cloud bridge problem",
    "DEP_E173": "cloud bridge problem",
    "DEP_E174": "cloud bridge problem",
    "DEP_E175": "cloud bridge problem",
    "DEP_E176": "cloud bridge problem",
    "DEP_E177": "cloud bridge problem",
    "DEP_E201": "cloud infrastructure is pending",
    "DEP_E202": "cloud infrastructure state is unknown",
    "DEP_E203": "the cloud bridge is not running",
    "DEP_E204": "the ROS master is not running",
    "DEP_E205": "the message broker is not running",
    "DEP_E206": "cloud replicas are not running",
    "DEP_E207": "cloud infrastructure problem",
    "DEP_E208": "cloud infrastructure problem",
    "DEP_E209": "the native network is not running on the cloud",
    "DEP_E210": "cloud infrastructure problem",
    "DEP_E211": "cloud infrastructure problem",
    "DEP_E212": "cloud infrastructure problem",
    "DEP_E213": "the disk is not running",
    "DEP_E214": "cloud infrastructure problem",
    "DEP_E215": "cloud infrastructure problem",
}


class WaitTimeout(RioError):
    def __init__(self, message, last=None, duration=None):
        super().__init__(message)
        self.last = last
        self.duration = duration


class DeploymentFailed(RioError):
    def __init__(self, message, last=None, duration=None):
        super().__init__(message)
        self.last = last
        self.duration = duration


def as_code_list(value):
    if not value:
        return []
    if isinstance(value, str):
        return [value]
    return [code for code in value if code]


def explain_errors(codes):
    return ["%s: %s" % (code, ERROR_CODES.get(code, "unknown error code")) for code in as_code_list(codes)]


def _reasons(component):
    """The platform's own words for a failing component, from its executables (docs/reference/v1-api.md#deployment-objects)."""
    reasons = []
    for info in component.get("executablesStatusInfo") or []:
        reason = (info or {}).get("reason")
        if reason and reason not in reasons:
            reasons.append(reason)
    return reasons


def failing_components(deployment):
    """Names of the components that report an error code, with their codes and reasons."""
    failing = []
    for component in deployment.get("componentInfo") or []:
        codes = as_code_list(component.get("errorCode"))
        if codes:
            details = ", ".join(codes)
            reasons = _reasons(component)
            if reasons:
                details += ": " + "; ".join(reasons)
            failing.append("%s (%s)" % (component.get("name", "?"), details))
    return failing


def describe_deployment(deployment):
    """One line for messages: phase, status, decoded errors and the failing components."""
    text = "phase %r, status %r" % (deployment.get("phase"), deployment.get("status"))
    causes = explain_errors(deployment.get("errors"))
    if causes:
        text += ", errors: " + "; ".join(causes)
    failing = failing_components(deployment)
    if failing:
        text += ", failing component(s): " + ", ".join(failing)
    return text


def deployment_state(deployment, ready_phases=None):
    """'ready', 'failed' or 'pending' for a full deployment (the SDK poller's rules, stricter on codes)."""
    phase = deployment.get("phase")
    codes = set(as_code_list(deployment.get("errors")))
    if ready_phases and phase in ready_phases:
        return "ready"
    if phase == PHASE_SUCCEEDED and deployment.get("status") in READY_STATUSES:
        return "ready"
    if phase in FAILED_PHASES or codes & PERMANENT_ERRORS:
        return "failed"
    if phase in (PHASE_SUCCEEDED, PHASE_IN_PROGRESS, PHASE_PROVISIONING):
        return "pending"
    return "failed"


def pauses(max_sleep=MAX_SLEEP, first_sleep=FIRST_SLEEP):
    """The pauses between two polls, endless: first_sleep, doubling up to max_sleep."""
    delay = min(first_sleep, max_sleep)
    while True:
        yield delay
        delay = min(max_sleep, delay * 2)


def poll(fetch, classify, timeout, max_sleep=MAX_SLEEP, first_sleep=FIRST_SLEEP, clock=time.monotonic,
         sleeper=time.sleep, budget=None):
    """Fetch until classify() says 'ready' (returns the object) or 'failed'/timeout (raises).

    Returns ``(obj, duration)``. Sleeps start at ``first_sleep`` and double up to ``max_sleep``.
    ``budget`` is the timeout the user set, named in the message when ``timeout`` is only what is
    left of it.
    """
    start = clock()
    for delay in pauses(max_sleep, first_sleep):
        current = fetch()
        state = classify(current)
        elapsed = clock() - start
        if state == "ready":
            return current, elapsed
        if state == "failed":
            raise DeploymentFailed(describe_deployment(current), last=current, duration=elapsed)
        if elapsed + delay > timeout:
            limit = budget if budget is not None else int(timeout)
            raise WaitTimeout("not ready after %ss: %s" % (limit, describe_deployment(current)),
                              last=current, duration=elapsed)
        sleeper(delay)


def wait_for_deployment(api, deployment_id, timeout, max_sleep=MAX_SLEEP, ready_phases=None, **kwargs):
    return poll(lambda: api.get_deployment(deployment_id),
                lambda dep: deployment_state(dep, ready_phases), timeout, max_sleep=max_sleep, **kwargs)


def wait_until_gone(api, deployment_id, timeout, max_sleep=MAX_SLEEP, **kwargs):
    """After a deprovision: wait until the deployment reports a stopped phase."""
    def classify(dep):
        return "ready" if dep.get("phase") in GONE_PHASES else "pending"
    return poll(lambda: api.get_deployment(deployment_id), classify, timeout, max_sleep=max_sleep, **kwargs)
