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

from http_server import Reply

from ansible_collections.rapyuta.rio.plugins.module_utils.deployments.arguments import deployment_options
from ansible_collections.rapyuta.rio.plugins.module_utils.transport.client import RioError
from ansible_collections.rapyuta.rio.plugins.module_utils.module.rio_module import (
    RioModule,
    calling_module_name,
    describe_value,
    dict_element_problems,
)
from ansible_collections.rapyuta.rio.plugins.module_utils.v2.api import RioV2Api

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


# -- api_version: the guard of the modules that do not speak v2 yet ------------------------------------

def failed_run(patch_module_args, capsys, args, **kwargs):
    with patch_module_args(dict(CONNECTION, **args)), pytest.raises(SystemExit):
        RioModule({}, **kwargs)
    return json.loads(capsys.readouterr().out)


def test_api_version_v2_on_a_v1_module_fails_naming_the_option_and_the_module(patch_module_args, capsys):
    result = failed_run(patch_module_args, capsys, {"api_version": "v2"})
    assert result["failed"] is True
    assert result["msg"].startswith("api_version=v2: test_rio_module does not speak the v2 API yet (it speaks v1); "
                                    "set api_version: v1 on this task"), result["msg"]


def test_rio_api_version_in_the_environment_is_guarded_too(patch_module_args, capsys, monkeypatch):
    monkeypatch.setenv("RIO_API_VERSION", "v2")
    assert failed_run(patch_module_args, capsys, {})["msg"].startswith("api_version=v2: ")
    # The option wins over the variable.
    with patch_module_args(dict(CONNECTION, api_version="v1")):
        assert RioModule({}).api_version == "v1"


def test_a_module_that_speaks_only_v2_refuses_v1_without_a_yet(patch_module_args, capsys):
    result = failed_run(patch_module_args, capsys, {"api_version": "v1"}, api_versions=("v2",))
    assert result["msg"].startswith("api_version=v1: test_rio_module does not speak the v1 API (it speaks v2); "
                                    "set api_version: v2 on this task"), result["msg"]


def test_the_first_generation_a_module_speaks_is_its_default(patch_module_args, monkeypatch):
    monkeypatch.delenv("RIO_API_VERSION", raising=False)
    with patch_module_args(dict(CONNECTION)):
        assert RioModule({}, api_versions=("v2",)).api_version == "v2"
        assert RioModule({}, api_versions=("v1", "v2")).api_version == "v1"
        assert RioModule({}).api_version == "v1"


def test_an_unknown_generation_is_ansible_cores_choices_error(patch_module_args, capsys):
    result = failed_run(patch_module_args, capsys, {"api_version": "v3"})
    assert "api_version" in result["msg"] and "v1, v2" in result["msg"]


def test_a_module_that_speaks_v2_gets_the_v2_calls_on_the_runs_client_and_cache(patch_module_args, rio_server):
    rio_server.script("GET", "/v2/disks/data/", Reply(200, {"metadata": {"name": "data"}}))
    with patch_module_args(dict(CONNECTION, api_version="v2", v2_api_host=rio_server.url, organization="org-1")):
        rio = RioModule({}, api_versions=("v1", "v2"))
    assert rio.api_version == "v2" and rio.module_name == "test_rio_module"
    assert isinstance(rio.v2_api, RioV2Api) and rio.v2_api is rio.v2_api
    assert rio.v2_api.client is rio.api.client and rio.v2_api.cache is rio.api.cache
    rio.v2_api.get("Disk", "data")
    assert rio.request_stats()["requests"] == 1
    assert rio_server.requests[0].headers["organizationguid"] == "org-1"


def test_the_v1_api_first_then_the_v2_api_share_the_cache(patch_module_args):
    with patch_module_args(dict(CONNECTION)):
        rio = RioModule({})
    assert rio.request_stats()["requests"] == 0
    assert rio.api.cache is rio.v2_api.cache


def test_connection_precedence_option_then_variable_then_riocli_config(patch_module_args, rio_server, tmp_path,
                                                                       monkeypatch):
    config = tmp_path / "config.json"
    config.write_text(json.dumps({"auth_token": "file-token", "project_id": "project-file",
                                  "organization_id": "org-file", "v2api_host": rio_server.url}))
    monkeypatch.setenv("RIO_CONFIG", str(config))
    monkeypatch.setenv("RIO_PROJECT", "project-env")
    monkeypatch.delenv("RIO_AUTH_TOKEN", raising=False)
    monkeypatch.delenv("RIO_ORGANIZATION", raising=False)
    rio_server.script("GET", "/v2/disks/", Reply(200, {"items": []}))
    with patch_module_args({"api_version": "v2", "organization": "org-option"}):
        rio = RioModule({}, api_versions=("v2",))
    rio.v2_api.list_objects("Disk")
    headers = rio_server.requests[0].headers
    assert headers["Authorization"] == "Bearer file-token"
    assert headers["project"] == "project-env" and headers["organizationguid"] == "org-option"


def test_a_connection_setting_that_cannot_be_used_fails_the_task(patch_module_args, capsys, monkeypatch):
    monkeypatch.setenv("RIO_CONFIG", "/nonexistent/rio-config.json")
    with patch_module_args({"project": "p", "api_version": "v2"}):
        rio = RioModule({}, api_versions=("v2",))
        with pytest.raises(SystemExit):
            assert rio.v2_api is None  # not reached: building the client fails the task
    assert "Cannot connect to rapyuta.io: RIO_CONFIG names /nonexistent/rio-config.json" in json.loads(
        capsys.readouterr().out)["msg"]


def test_calling_module_name_is_the_fqcn_of_a_collection_module():
    namespace = {"__name__": "__main__", "__spec__": type("Spec", (), {"name": "ansible_collections.rapyuta.rio.plugins.modules.rio_volume"})}
    assert eval("calling_module_name(1)", namespace, {"calling_module_name": calling_module_name}) == "rapyuta.rio.rio_volume"
    assert calling_module_name(1).endswith("test_rio_module")


def speaks_v2(source):
    """Whether a module's RioModule(...) call declares api_versions with v2 in it."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "RioModule":
            for keyword in node.keywords:
                if keyword.arg == "api_versions" and "v2" in ast.literal_eval(keyword.value):
                    return True
    return False


def v1_only_modules():
    names = []
    for name in sorted(os.listdir(os.path.join(ROOT, "plugins", "modules"))):
        if name.endswith(".py") and not name.startswith("_"):
            with open(os.path.join(ROOT, "plugins", "modules", name)) as handle:
                if not speaks_v2(handle.read()):
                    names.append(name[:-3])
    return names


def test_every_module_speaks_v2():
    # The guard (tested above with RioModule directly) stays for modules added later; today every
    # module declares v2, and one that stops doing so is caught here.
    assert v1_only_modules() == []
