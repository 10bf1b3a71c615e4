# Copyright: (c) 2026, rapyuta.rio contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""When a v2 object is ready, failed or still starting, and how to say why. FOR INTERNAL COLLECTION USE ONLY.

The rules are those of docs/reference/v2-api.md#deployment-phases-and-readiness: a deployment or a
network is ready at phase Succeeded with status Running; Stopped, FailedToStart and FailedToUpdate
end the wait, and so does a code the platform never recovers from by itself (an image that cannot be
pulled keeps the phase Provisioning with DEP_E153, so waiting on the phase alone would run to the
timeout). A disk is ready once Available, Bound or Released. Nothing here imports Ansible.
"""

from ansible_collections.rapyuta.rio.plugins.module_utils.v1.wait import ERROR_CODES, PERMANENT_ERRORS, as_code_list

# The v2 phases (docs/reference/v2-api.md#deployment-phases-and-readiness), spelt here only: some are
# spelt as v1's (v1/constants.py), which is another vocabulary.
PHASE_SUCCEEDED = "Succeeded"
PHASE_STOPPED = "Stopped"
PHASES = ("InProgress", "Provisioning", PHASE_SUCCEEDED, "FailedToStart", "FailedToUpdate", PHASE_STOPPED)
LIVE_PHASES = tuple(phase for phase in PHASES if phase != PHASE_STOPPED)
FAILED_PHASES = frozenset(["FailedToStart", "FailedToUpdate", PHASE_STOPPED])
STATUS_RUNNING = "Running"
DISK_READY = frozenset(["Available", "Bound", "Released"])
DISK_FAILED = "Failed"

# v2 adds codes reported by the device agent (docs/reference/v2-api.md#deployment-error-codes).
V2_ERROR_CODES = dict(ERROR_CODES)
V2_ERROR_CODES.update({
    "DEP_E316": "the image could not be pulled on the device",
    "DEP_E317": "a volume has a missing sub-path or an empty mount path",
    "DEP_E330": "the ROS 2 native network is not running on the device",
    "DEP_E331": "the ROS 2 routed network is not running on the device",
    "DEP_E350": "registry or image error on the device",
    "DEP_E351": "registry or image error on the device",
    "DEP_E352": "registry or image error on the device",
    "DEP_E353": "the image is absent on the device and the pull policy is Never",
    "DEP_E399": "unknown device error",
})
V2_PERMANENT_ERRORS = PERMANENT_ERRORS | frozenset(["DEP_E316", "DEP_E317", "DEP_E353"])


def explain_code(code):
    if code in V2_ERROR_CODES:
        return "%s: %s" % (code, V2_ERROR_CODES[code])
    if code.startswith(("DEP_E2", "DEP_E3", "DEP_E4")):
        where = {"2": "cloud", "3": "device", "4": "platform"}[code[5]]
        return "%s: internal %s error" % (code, where)
    return "%s: unknown error code" % code


def error_codes(obj):
    """The codes of a deployment (``error_codes``) or a network (``errorCodes``), in their order, once each."""
    status = (obj or {}).get("status") or {}
    codes = []
    for code in as_code_list(status.get("error_codes")) + as_code_list(status.get("errorCodes")):
        if code not in codes:
            codes.append(code)
    return codes


def _executable_troubles(obj):
    """'web (DEP_E153: ErrImagePull)' for each executable that reports an error or a reason."""
    found = []
    executables = ((obj or {}).get("status") or {}).get("executables_status") or {}
    for name in sorted(executables):
        info = executables[name] or {}
        details = [part for part in (info.get("error_code"), info.get("reason")) if part]
        if info.get("status") == "error" or info.get("error_code"):
            found.append("%s (%s)" % (name, ": ".join(details) if details else "error"))
    return found


def describe(kind, obj):
    """One line about where an object stands, for wait failures and timeouts."""
    status = (obj or {}).get("status") or {}
    if kind == "Disk":
        text = "status %r" % status.get("status")
        if status.get("errorCode"):
            text += ", error %r" % status.get("errorCode")
        return text
    text = "phase %r, status %r" % (status.get("phase"), status.get("status"))
    causes = [explain_code(code) for code in error_codes(obj)]
    if causes:
        text += ", errors: " + "; ".join(causes)
    troubles = _executable_troubles(obj)
    if troubles:
        text += ", failing executable(s): " + ", ".join(troubles)
    return text


def state(kind, obj):
    """'ready', 'failed' or 'pending' for a Deployment, Network or Disk; other kinds are ready when they exist."""
    status = (obj or {}).get("status") or {}
    if kind == "Disk":
        if status.get("status") in DISK_READY:
            return "ready"
        return "failed" if status.get("status") == DISK_FAILED else "pending"
    if kind not in ("Deployment", "Network"):
        return "ready"
    phase = status.get("phase")
    if phase == PHASE_SUCCEEDED and status.get("status") == STATUS_RUNNING:
        return "ready"
    if phase in FAILED_PHASES or set(error_codes(obj)) & V2_PERMANENT_ERRORS:
        return "failed"
    return "pending"


def waits_for(kind):
    return kind in ("Deployment", "Network", "Disk")
