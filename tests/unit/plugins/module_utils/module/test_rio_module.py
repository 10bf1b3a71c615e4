# Copyright: (c) 2026, rapyuta.rio contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""RioModule's check of list-of-dict elements, made before ansible-core's own validation.

ansible-core refuses a list element that is not a dict with a message naming neither the option
nor the value; RioModule says both, and accepts exactly what ansible-core accepts (the walk uses
ansible-core's own conversions; the first test compares the two on the same inputs).
"""

import json

import pytest
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.module_utils.errors import ElementError

from ansible_collections.rapyuta.rio.plugins.module_utils.deployments.arguments import deployment_options
from ansible_collections.rapyuta.rio.plugins.module_utils.module.rio_module import (
    RioModule,
    describe_value,
    dict_element_problems,
)

SPEC = {"items": {"type": "list", "elements": "dict", "aliases": ["entries"], "options": {
    "name": {"type": "str"},
    "subs": {"type": "list", "elements": "dict"},
    "nested": {"type": "dict", "options": {"deep": {"type": "list", "elements": "dict"}}},
}}}
CONNECTION = {"auth_token": "unit-test-token", "project": "p", "catalog_host": "http://127.0.0.1:9",
              "core_api_host": "http://127.0.0.1:9"}


@pytest.mark.parametrize("value", [
    "nginx", "a=1", "a=1,nginx", "", 5, 1.5, None, [], {"a": 1}, ["nginx"], [""], ['{"name": "x"}'],
    ["{'name': 'x'}"], ["name=x"], ["name='a b' other=c"], ["{bad"], [None], [["a"]], [True], [3],
    [{"subs": "x"}], [{"subs": ["k=v"]}], [{"subs": [7]}], [{"nested": {"deep": ["x"]}}], [{"nested": "deep=x"}], [{"nested": "x"}],
])
def test_refuses_exactly_what_ansible_core_refuses(value):
    core = ArgumentSpecValidator(SPEC).validate({"items": value})
    core_refuses = any(isinstance(error, ElementError) for error in core.errors)
    assert bool(dict_element_problems(SPEC, {"items": value})) == core_refuses, [str(e) for e in core.errors]


@pytest.mark.parametrize("params, message", [
    ({"items": "nginx"}, "items: expected a list of dicts, got the string 'nginx'"),
    ({"items": 5}, "items: expected a list of dicts, got the integer 5"),
    ({"items": ["nginx", {"name": "ok"}, True]}, "items[0]: expected a dict, got the string 'nginx'"),
    ({"entries": [None]}, "entries[0]: expected a dict, got null"),
    ({"items": [{"subs": ["a", ["b"]]}]}, "items[0].subs[0]: expected a dict, got the string 'a'"),
    ({"items": [{"nested": {"deep": [1.5]}}]}, "items[0].nested.deep[0]: expected a dict, got the number 1.5"),
])
def test_messages_name_the_option_path_and_the_value(params, message):
    problems = dict_element_problems(SPEC, params)
    assert problems[0] == ("items", message)


def test_every_refused_element_is_reported():
    problems = dict_element_problems(SPEC, {"items": ["nginx", {"name": "ok"}, True]})
    assert [text for _option, text in problems] == [
        "items[0]: expected a dict, got the string 'nginx'", "items[2]: expected a dict, got the boolean true"]


def test_no_log_values_are_described_not_shown():
    spec = {"secrets": {"type": "list", "elements": "dict", "no_log": True},
            "logins": {"type": "list", "elements": "dict", "options": {"password": {"type": "str", "no_log": True}}}}
    problems = dict_element_problems(spec, {"secrets": ["hunter2"], "logins": ["hunter3"]})
    text = json.dumps(problems)
    assert "hunter2" not in text and "hunter3" not in text
    assert "secrets[0]: expected a dict, got a value of type string (not shown: no_log)" in text


def test_long_values_are_shortened():
    assert describe_value("x" * 200) == "the string %r" % ("x" * 80 + "...")


def run_module(patch_module_args, capsys, spec, args):
    merged = dict(CONNECTION)
    merged.update(args)
    with patch_module_args(merged):
        with pytest.raises(SystemExit):
            RioModule(spec)
    return json.loads(capsys.readouterr().out)


def test_rio_deployment_names_the_option_and_the_value(patch_module_args, capsys):
    result = run_module(patch_module_args, capsys, deployment_options(),
                        {"name": "d", "package_id": "pkg-a", "components": "nginx"})
    assert result["failed"] is True
    assert result["msg"] == "components: expected a list of dicts, got the string 'nginx'"


def test_nested_elements_are_checked_too(patch_module_args, capsys):
    result = run_module(patch_module_args, capsys, deployment_options(),
                        {"name": "d", "package_id": "pkg-a", "components": [{"name": "c", "volumes": ["data"]}]})
    assert result["msg"] == "components[0].volumes[0]: expected a dict, got the string 'data'"


def test_other_errors_are_still_ansible_cores(patch_module_args, capsys):
    result = run_module(patch_module_args, capsys, deployment_options(), {"components": ["nginx"]})
    assert result["failed"] is True and "missing required arguments: name" in result["msg"]


def test_what_ansible_core_accepts_is_converted_as_before(patch_module_args):
    with patch_module_args(dict(CONNECTION, name="d", package_id="pkg-a",
                                components=['{"name": "json"}', "name=kv"])):
        rio = RioModule(deployment_options())
    assert [entry["name"] for entry in rio.params["components"]] == ["json", "kv"]
