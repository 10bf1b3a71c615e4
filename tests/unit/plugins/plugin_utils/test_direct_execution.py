# Copyright: (c) 2026, rapyuta.rio contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""When the action plugins run a module in the controller's worker, and when they ship it."""
from __future__ import annotations

import sys

import pytest

from ansible_collections.rapyuta.rio.plugins.plugin_utils import direct_execution
from ansible_collections.rapyuta.rio.plugins.plugin_utils.direct_execution import (
    MODULES_PACKAGE,
    DirectExecutionAction,
    preload,
    refusal,
)

LOCAL = dict(transport="local", become=False, async_val=0, environment=[], enabled=True, has_requests=True)


def local_but(**change):
    facts = dict(LOCAL)
    facts.update(change)
    return facts


def test_a_plain_local_task_runs_in_the_worker():
    assert refusal(**LOCAL) is None


def test_empty_environment_entries_do_not_count():
    """ansible-core gives a task without `environment` an empty list, or a list of empty dicts."""
    assert refusal(**local_but(environment=[{}, {}])) is None


@pytest.mark.parametrize("change, reason", [
    ({"enabled": False}, "rio_direct_execution is false"),
    ({"transport": "ssh"}, "the connection is ssh, not local"),
    ({"transport": None}, "the connection is None, not local"),
    ({"become": True}, "the task uses become"),
    ({"async_val": 30}, "the task is async"),
    ({"environment": [{"HTTPS_PROXY": "http://proxy:3128"}]}, "the task sets an environment"),
    ({"has_requests": False}, "the controller's Python cannot import requests"),
])
def test_anything_the_worker_would_do_differently_ships_the_module(change, reason):
    assert refusal(**local_but(**change)) == reason


def test_each_action_class_preloads_the_module_of_its_name(monkeypatch):
    """Where the strategy loads the class (the main process), so that forked workers inherit the module."""
    preloaded = []
    monkeypatch.setattr(direct_execution, "preload", preloaded.append)
    type("ActionModule", (DirectExecutionAction,), {"__module__": "ansible_collections.rapyuta.rio.plugins.action.rio_volume"})
    assert preloaded == ["rio_volume"]


def test_preload_imports_the_module(monkeypatch):
    monkeypatch.delitem(sys.modules, MODULES_PACKAGE + "rio_static_route", raising=False)
    preload("rio_static_route")
    assert hasattr(sys.modules[MODULES_PACKAGE + "rio_static_route"], "main")


def test_preload_leaves_a_failing_import_to_the_task():
    preload("rio_no_such_module")  # no exception here; running the task reports it
    assert MODULES_PACKAGE + "rio_no_such_module" not in sys.modules
