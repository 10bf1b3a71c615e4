# Copyright: (c) 2026, rapyuta.rio contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""RioModule's check of list-of-dict elements, made before ansible-core's own validation.

ansible-core refuses a list element that is not a dict with a message naming neither the option
nor the value; RioModule says both, and accepts exactly what ansible-core accepts (the walk uses
ansible-core's own conversions; the first test compares the two on the same inputs).
"""

import ast
import json
import os

import pytest
from ansible.module_utils import basic
from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.module_utils.errors import ElementError

from ansible_collections.rapyuta.rio.plugins.module_utils.deployments.arguments import deployment_options
from ansible_collections.rapyuta.rio.plugins.module_utils.transport.client import RioError
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
    with patch_module_args(merged), pytest.raises(SystemExit):
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


# -- RioModule.run: the one try/fail_from_error wrapper --------------------------------------------

def test_run_returns_what_the_work_returns(patch_module_args):
    with patch_module_args(dict(CONNECTION)):
        rio = RioModule({})
    assert rio.run("Failed to add", lambda a, b=0: a + b, 1, b=2) == 3


def test_run_fails_the_module_with_the_action_and_the_cause(patch_module_args, capsys):
    def broken():
        raise RioError("no such project")

    with patch_module_args(dict(CONNECTION)):
        rio = RioModule({})
        with pytest.raises(SystemExit):
            rio.run("Failed to list devices", broken)
    result = json.loads(capsys.readouterr().out)
    assert result["failed"] is True and result["msg"] == "Failed to list devices: no such project"


# -- module code never reaches the wrapped AnsibleModule / DirectModule -----------------------------

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.dirname(os.path.abspath(__file__)))))))
WRAPPED_NAMES = {"AnsibleModule", "DirectModule"}
WRAPPED_ATTRIBUTES = {"module", "_module"}


def module_code_files():
    """plugins/modules/*.py and plugins/module_utils/**/*.py, except the glue in module_utils/module/."""
    files = [os.path.join(ROOT, "plugins", "modules", name) for name in os.listdir(os.path.join(ROOT, "plugins", "modules"))]
    for folder, _dirs, names in os.walk(os.path.join(ROOT, "plugins", "module_utils")):
        if os.path.relpath(folder, os.path.join(ROOT, "plugins", "module_utils")).split(os.sep)[0] != "module":
            files.extend(os.path.join(folder, name) for name in names)
    return sorted(path for path in files if path.endswith(".py"))


def reaches_wrapped_module(source):
    """Where a source touches the wrapped module: ``x.module``/``x._module``, getattr(x, "_module"),
    or the AnsibleModule/DirectModule names."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute) and node.attr in WRAPPED_ATTRIBUTES:
            found.append("line %d: .%s" % (node.lineno, node.attr))
        elif isinstance(node, ast.Name) and node.id in WRAPPED_NAMES:
            found.append("line %d: %s" % (node.lineno, node.id))
        elif isinstance(node, ast.alias) and node.name.rsplit(".", 1)[-1] in WRAPPED_NAMES:
            found.append("import of %s" % node.name)
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("getattr", "setattr")
              and len(node.args) > 1 and isinstance(node.args[1], ast.Constant) and node.args[1].value in WRAPPED_ATTRIBUTES):
            found.append("line %d: %s(..., %r)" % (node.lineno, node.func.id, node.args[1].value))
    return found


def test_module_code_uses_only_rio_modules_methods():
    files = module_code_files()
    assert any(path.endswith("rio_volume.py") for path in files) and any("deployments" in path for path in files)
    offenders = {}
    for path in files:
        with open(path) as source:
            found = reaches_wrapped_module(source.read())
        if found:
            offenders[os.path.relpath(path, ROOT)] = found
    assert offenders == {}


@pytest.mark.parametrize("source", [
    "rio.module.fail_json(msg='x')",
    "rio._module.warn('x')",
    "getattr(rio, '_module').exit_json()",
    "from ansible.module_utils.basic import AnsibleModule",
    "module = DirectModule({}, call)",
])
def test_the_scan_finds_each_way_of_reaching_it(source):
    assert reaches_wrapped_module(source)


def test_rio_module_keeps_it_private(patch_module_args):
    with patch_module_args(dict(CONNECTION)):
        rio = RioModule({})
    assert not [name for name in vars(rio) if not name.startswith("_") and name != "params"]


# -- the contracts with ansible-core (docs/direct-execution.md lists them) -------------------------

def test_core_contract_load_params_gives_the_task_arguments_and_leaves_them_to_ansible_module(patch_module_args):
    """RioModule reads the raw arguments with basic._load_params() before AnsibleModule reads them
    again: the first read must neither consume them nor share its dict with the second."""
    with patch_module_args(dict(CONNECTION, name="d")):
        raw = basic._load_params()
        assert isinstance(raw, dict) and raw["name"] == "d"
        raw["name"] = "changed by the caller"
        assert basic._load_params()["name"] == "d"
        module = AnsibleModule(argument_spec={"name": {"type": "str"}, "auth_token": {"type": "str", "no_log": True},
                                              "project": {}, "catalog_host": {}, "core_api_host": {}})
    assert module.params["name"] == "d"


def test_core_contract_ansible_module_diff_flag(patch_module_args):
    """RioModule.diff_mode reads AnsibleModule._diff (set from the task's _ansible_diff)."""
    for diff in (True, False):
        with patch_module_args({"_ansible_diff": diff}):
            assert AnsibleModule(argument_spec={})._diff is diff
