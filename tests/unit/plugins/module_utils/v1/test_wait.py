# Copyright: (c) 2026, rapyuta.rio contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""_wait.py: the readiness rules (docs/reference/v1-api.md#readiness) and the failure messages built from a deployment."""

import itertools

import pytest
from fake_clock import FakeClock

from ansible_collections.rapyuta.rio.plugins.module_utils.module.arguments import wait_argument_spec
from ansible_collections.rapyuta.rio.plugins.module_utils.v1.wait import (
    MAX_SLEEP,
    DeploymentFailed,
    WaitTimeout,
    deployment_state,
    describe_deployment,
    explain_errors,
    pauses,
    poll,
)


@pytest.mark.parametrize("phase, status, errors, state", [
    ("Succeeded", "Running", None, "ready"),
    ("Succeeded", "Available", None, "ready"),
    ("Succeeded", "Pending", None, "pending"),
    ("In progress", "Pending", None, "pending"),
    ("Provisioning", "Pending", None, "pending"),
    ("Provisioning", "Error", ["DEP_E153"], "failed"),  # the poller treats an image failure as permanent
    ("Failed to start", "Error", ["DEP_E151"], "failed"),
    ("Deployment stopped", "Deployment not running", None, "failed"),
    ("succeeded", "running", None, "failed"),  # wrong casing is not readiness
])
def test_deployment_state_follows_the_sdk_poller(phase, status, errors, state):
    assert deployment_state({"phase": phase, "status": status, "errors": errors}) == state


def test_ready_phases_override():
    assert deployment_state({"phase": "Succeeded", "status": "Pending"}, ready_phases=("Succeeded",)) == "ready"


def test_description_decodes_codes_and_names_failing_components_with_reasons():
    deployment = {"phase": "Failed to start", "status": "Error", "errors": ["DEP_E162"], "componentInfo": [
        {"name": "default", "errorCode": ["DEP_E162"], "executablesStatusInfo": [
            {"id": "exec-1", "status": "error", "reason": "needs amd64, device is arm64v8"},
            {"id": "exec-2", "status": "error", "reason": "needs amd64, device is arm64v8"}]},
        {"name": "healthy", "errorCode": "", "executablesStatusInfo": None}]}
    text = describe_deployment(deployment)
    assert "DEP_E162: validation failed" in text and "architecture" in text
    assert text.endswith("failing component(s): default (DEP_E162: needs amd64, device is arm64v8)")
    assert "healthy" not in text


def test_unknown_codes_are_kept():
    assert explain_errors("DEP_E999") == ["DEP_E999: unknown error code"]


def test_poll_backs_off_and_names_the_budget_on_timeout():
    clock = FakeClock()
    sleeps = []

    def sleeper(seconds):
        sleeps.append(seconds)
        clock.sleep(seconds)

    with pytest.raises(WaitTimeout) as err:
        poll(lambda: {"phase": "In progress", "status": "Pending"}, deployment_state, 3.0, max_sleep=1.0,
             clock=clock, sleeper=sleeper, budget=10)
    assert sleeps[:3] == [0.25, 0.5, 1.0]
    assert "not ready after 10s" in str(err.value) and "In progress" in str(err.value)
    assert err.value.last == {"phase": "In progress", "status": "Pending"}


@pytest.mark.parametrize("max_sleep, first_sleep, expected", [
    (0.8, 0.25, [0.25, 0.5, 0.8, 0.8, 0.8]),
    (1.0, 0.25, [0.25, 0.5, 1.0, 1.0, 1.0]),
    (5.0, 0.25, [0.25, 0.5, 1.0, 2.0, 4.0]),
    (0.1, 0.25, [0.1, 0.1, 0.1, 0.1, 0.1]),  # a cap below the first pause wins
    (0.25, 0.25, [0.25, 0.25, 0.25, 0.25, 0.25]),
])
def test_pauses_double_up_to_the_cap(max_sleep, first_sleep, expected):
    assert list(itertools.islice(pauses(max_sleep, first_sleep), 5)) == expected


def test_default_pause_keeps_a_wait_within_a_second_of_readiness():
    # The longest pause is how late a wait can notice readiness, before the request that sees it.
    assert wait_argument_spec()["wait_sleep"]["default"] == MAX_SLEEP
    assert max(itertools.islice(pauses(), 100)) == MAX_SLEEP <= 0.8


def test_poll_stops_at_the_first_failure():
    clock = FakeClock()
    with pytest.raises(DeploymentFailed) as err:
        poll(lambda: {"phase": "Failed to start", "status": "Error", "errors": ["DEP_E151"]}, deployment_state,
             30, clock=clock, sleeper=clock.sleep)
    assert clock.now == 0 and "offline" in str(err.value)
