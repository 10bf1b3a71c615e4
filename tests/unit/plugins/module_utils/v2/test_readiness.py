# Copyright: (c) 2026, rapyuta.rio contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""Readiness of v2 deployments, networks and disks, and the words for where they stand."""

import pytest

from ansible_collections.rapyuta.rio.plugins.module_utils.v2.readiness import describe, error_codes, explain_code, state, waits_for


def obj(phase=None, status=None, **extra):
    return {"status": dict({"phase": phase, "status": status}, **extra)}


@pytest.mark.parametrize("kind, live, expected", [
    ("Deployment", obj("Succeeded", "Running"), "ready"),
    ("Deployment", obj("Succeeded", "Pending"), "pending"),
    ("Deployment", obj("InProgress", "Pending"), "pending"),
    ("Deployment", obj("Provisioning", "Pending"), "pending"),
    ("Deployment", obj("Provisioning", "Error", error_codes=["DEP_E153"]), "failed"),
    ("Deployment", obj("Provisioning", "Pending", error_codes=["DEP_E201"]), "pending"),
    ("Deployment", obj("FailedToStart", "Error"), "failed"),
    ("Deployment", obj("FailedToUpdate", "Error"), "failed"),
    ("Deployment", obj("Stopped", "Stopped"), "failed"),
    ("Deployment", {}, "pending"),
    ("Network", obj("Succeeded", "Running"), "ready"),
    ("Network", obj("FailedToStart", "Error", errorCodes=["DEP_E151"]), "failed"),
    ("Network", obj("InProgress", "Pending"), "pending"),
    ("Disk", {"status": {"status": "Available"}}, "ready"),
    ("Disk", {"status": {"status": "Bound"}}, "ready"),
    ("Disk", {"status": {"status": "Released"}}, "ready"),
    ("Disk", {"status": {"status": "Pending"}}, "pending"),
    ("Disk", {"status": {"status": "Failed"}}, "failed"),
    ("Package", {}, "ready"),
    ("Secret", {}, "ready"),
])
def test_state(kind, live, expected):
    assert state(kind, live) == expected


def test_which_kinds_are_waited_for():
    assert [kind for kind in ("Package", "Deployment", "Network", "Disk", "StaticRoute", "Secret", "ConfigTree")
            if waits_for(kind)] == ["Deployment", "Network", "Disk"]


def test_codes_of_both_spellings_once_each():
    assert error_codes(obj(error_codes=["DEP_E151", "DEP_E156"], errorCodes=["DEP_E151", "DEP_E209"])) == [
        "DEP_E151", "DEP_E156", "DEP_E209"]
    assert error_codes({}) == [] and error_codes(None) == []


@pytest.mark.parametrize("code, expected", [
    ("DEP_E153", "DEP_E153: the image could not be pulled or built"),
    ("DEP_E316", "DEP_E316: the image could not be pulled on the device"),
    ("DEP_E240", "DEP_E240: internal cloud error"),
    ("DEP_E388", "DEP_E388: internal device error"),
    ("DEP_E401", "DEP_E401: internal platform error"),
    ("DEP_E999", "DEP_E999: unknown error code"),
])
def test_codes_are_decoded(code, expected):
    assert explain_code(code) == expected


def test_describe_names_phase_codes_and_failing_executables():
    live = obj("Provisioning", "Error", error_codes=["DEP_E153"],
               executables_status={"web": {"status": "error", "error_code": "DEP_E153", "reason": "ErrImagePull"},
                                   "side": {"status": "running"}, "db": {"status": "error"}})
    assert describe("Deployment", live) == (
        "phase 'Provisioning', status 'Error', errors: DEP_E153: the image could not be pulled or built, "
        "failing executable(s): db (error), web (DEP_E153: ErrImagePull)")
    assert describe("Disk", {"status": {"status": "Failed", "errorCode": "E1"}}) == "status 'Failed', error 'E1'"
    assert describe("Disk", None) == "status None"
