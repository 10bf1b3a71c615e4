# Copyright: (c) 2026, rapyuta.rio contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""rio_deployment_batch: items are checked against rio_deployment's own spec, each on its own."""

import json

import pytest

from ansible_collections.rapyuta.rio.plugins.module_utils.deployments.arguments import (
    deployment_argument_spec,
    deployment_constraints,
)
from ansible_collections.rapyuta.rio.plugins.modules import rio_deployment, rio_deployment_batch

BASE = {"auth_token": "unit-test-token", "project": "p", "catalog_host": "http://127.0.0.1:9",
        "core_api_host": "http://127.0.0.1:9", "retries": 0, "timeout": 2}


def run_main(patch_module_args, capsys, args):
    with patch_module_args(dict(BASE, **args)), pytest.raises(SystemExit):
        rio_deployment_batch.main()
    return json.loads(capsys.readouterr().out)


def params(**overrides):
    base = dict(deployments=[], defaults={}, wait=True, wait_timeout=300, wait_sleep=1.0, workers=8)
    base.update(overrides)
    return base


def test_items_merge_defaults_and_take_the_wait_options_of_the_task():
    items = rio_deployment_batch.validated_items(params(
        defaults={"package_name": "talker", "package_version": "v1", "labels": {"site": "a"}},
        deployments=[{"name": "a"}, {"name": "b", "labels": {"site": "b"}, "on_change": "recreate"}],
        wait_timeout=42))
    assert [item.error for item in items] == [None, None]
    assert items[0].params["package_name"] == "talker" and items[0].params["labels"] == {"site": "a"}
    assert items[1].params["labels"] == {"site": "b"} and items[1].params["on_change"] == "recreate"
    assert items[0].params["wait_timeout"] == 42 and items[0].params["state"] == "present"
    assert items[0].params["components"] == []


@pytest.mark.parametrize("item, expected", [
    ({"name": "d"}, "state is present but any of the following are missing: package_id, package_name"),
    ({"name": "d", "package_id": "p", "package_name": "a", "package_version": "v"},
     "parameters are mutually exclusive: package_id|package_name"),
    ({"name": "d", "package_id": "p", "components": [{"name": "c", "restart_policy": "sometimes"}]},
     "restart_policy must be one of: always, never, on_failure"),
    ({"name": "d", "package_id": "p", "wait": False}, "unsupported option(s) wait. Supported parameters include: components"),
    ({"package_id": "p"}, "missing required arguments: name"),
    ({"name": "d", "package_id": "p", "components": "nginx"},
     "components: expected a list of dicts, got the string 'nginx'"),
    ({"name": "d", "package_id": "p", "components": [{"name": "c", "volumes": ["r1"]}]},
     "components[0].volumes[0]: expected a dict, got the string 'r1'"),
])
def test_invalid_items_fail_alone(item, expected):
    items = rio_deployment_batch.validated_items(params(deployments=[{"name": "ok", "package_id": "p"}, item]))
    assert items[0].error is None
    assert expected in items[1].error, items[1].error
    assert items[1].error.startswith("deployments[1] (%s): " % item.get("name", "deployments[1]"))


def test_all_items_invalid_fails_without_a_request(patch_module_args, capsys):
    result = run_main(patch_module_args, capsys, {"deployments": [{"name": "d"}]})
    assert result["failed"] is True
    assert result["msg"].startswith("1 of 1 deployments failed: d: deployments[0] (d): state is present")
    assert result["summary"]["failed_names"] == ["d"]


def test_fail_on_error_false_reports_without_failing(patch_module_args, capsys):
    result = run_main(patch_module_args, capsys, {"deployments": [{"name": "d"}], "fail_on_error": False})
    assert not result.get("failed") and result["changed"] is False
    assert result["results"][0]["failed"] is True


def test_unreachable_api_fails_the_task(patch_module_args, capsys):
    result = run_main(patch_module_args, capsys, {"deployments": [{"name": "d", "package_id": "p"}]})
    assert result["failed"] is True
    assert result["msg"].startswith("Failed to read the project before converging 1 deployments: cannot reach the API")


def test_workers_are_bounded(patch_module_args, capsys):
    result = run_main(patch_module_args, capsys, {"deployments": [], "workers": 17})
    assert result["msg"] == "workers must be between 1 and 16, got 17"


def test_rio_deployment_uses_the_shared_spec(monkeypatch):
    seen = {}

    def capture(spec, direct=None, **constraints):
        seen.update(spec=spec, constraints=constraints)
        raise SystemExit(0)

    monkeypatch.setattr(rio_deployment, "RioModule", capture)
    with pytest.raises(SystemExit):
        rio_deployment.main()
    assert seen == {"spec": deployment_argument_spec(),
                    "constraints": dict(deployment_constraints(definition=True), api_versions=("v1", "v2"))}


@pytest.mark.parametrize("args, expected", [
    ({"wait_timeout": 0}, "wait_timeout: must be a number of seconds greater than 0, got 0"),
    ({"wait_sleep": -1}, "wait_sleep: must be a number of seconds greater than 0, got -1.0"),
    ({"timeout": -5, "retries": -1},
     "timeout: must be a number of seconds greater than 0, got -5; retries: must be 0 or more, got -1"),
])
def test_out_of_range_numbers_are_refused_before_any_request(patch_module_args, capsys, rio_server, args, expected):
    args = dict(args, deployments=[{"name": "d", "package_id": "pkg-a"}], auth_token="unit-test-token", project="p",
                catalog_host=rio_server.url, core_api_host=rio_server.url)
    with patch_module_args(args), pytest.raises(SystemExit):
        rio_deployment_batch.main()
    result = json.loads(capsys.readouterr().out)
    assert result["failed"] is True and result["msg"] == expected
    assert rio_server.requests == []


def test_a_duplicate_name_is_reported_once_in_the_task_message(patch_module_args, capsys):
    twice = {"name": "twice", "package_id": "pkg-a"}
    result = run_main(patch_module_args, capsys, {"deployments": [twice, {"name": "other", "package_id": "pkg-a",
                                                                          "wait_timeout": 5}, twice]})
    refusal = "deployment twice is listed 2 times in this task (deployments[0], deployments[2]); list each name once"
    assert result["msg"].count("listed 2 times") == 1, result["msg"]
    assert refusal in result["msg"]
    assert [item["msg"] for item in result["results"]][0::2] == [refusal, refusal]


def test_on_v2_an_item_may_be_a_definition_and_takes_no_mapped_default():
    definition = {"kind": "Deployment", "spec": {"runtime": "cloud"}}
    items = rio_deployment_batch.validated_items(params(
        defaults={"package_name": "talker", "package_version": "v1", "labels": {"site": "a"}, "on_change": "recreate"},
        deployments=[{"name": "a"}, {"name": "b", "definition": definition}]), v2=True)
    assert [item.error for item in items] == [None, None]
    assert items[0].params["package_name"] == "talker" and items[0].params["definition"] is None
    assert items[1].params["definition"] == definition and items[1].params["package_name"] is None
    assert items[1].params["labels"] == {} and items[1].params["on_change"] == "recreate"


def test_on_v1_a_definition_item_fails_alone():
    items = rio_deployment_batch.validated_items(params(
        deployments=[{"name": "b", "definition": {"kind": "Deployment"}, "package_id": "p"}]))
    assert "unsupported option(s) definition" in items[0].error


def test_on_v2_all_items_refused_fail_without_a_request(patch_module_args, capsys):
    result = run_main(patch_module_args, capsys, {
        "api_version": "v2", "v2_api_host": "http://127.0.0.1:9", "organization": "org-bbbbbbbbbbbbbbbbbbbbbbbb",
        "deployments": [{"name": "d", "package_name": "talker", "package_version": "v1", "plan": "default"}]})
    assert result["failed"] is True and result["changed"] is False
    assert result["msg"] == ("1 of 1 deployments failed: d: Refused deployment d (api_version v2): plan: v2 packages "
                             "have no plans (a v2 package is one component); remove it; nothing was written")
