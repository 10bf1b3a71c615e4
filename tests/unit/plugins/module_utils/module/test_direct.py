# Copyright: (c) 2026, rapyuta.rio contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""Direct execution: a module's main() run with a DirectCall (as the action plugins do in the
controller's worker) returns what the same main() returns as a module process with AnsibleModule."""

import copy
import inspect
import json
import os
import subprocess
import sys

import pytest
from ansible.module_utils.ansible_release import __version__ as ANSIBLE_VERSION
from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator, ModuleArgumentSpecValidator
from ansible.module_utils.common.parameters import remove_values
from ansible.module_utils.errors import UnsupportedError

from http_server import Reply

from ansible_collections.rapyuta.rio.plugins.module_utils.module.direct import DirectCall, DirectModule, ModuleExit, masked
from ansible_collections.rapyuta.rio.plugins.modules import (
    rio_deployment,
    rio_device_info,
    rio_native_network,
    rio_package,
    rio_routed_network,
    rio_static_route,
    rio_volume,
)

DM = "/api/device-manager/v0"
TOKEN = "unit-test-token-0123456789"
# ansible-core 2.21 returns `invocation` only when asked (INJECT_INVOCATION); earlier ones always.
INJECT_SETTING = tuple(int(part) for part in ANSIBLE_VERSION.split(".")[:2]) >= (2, 21)


def base_args(host, args):
    merged = {"auth_token": TOKEN, "project": "p", "catalog_host": host, "core_api_host": host, "retries": 0}
    merged.update(args)
    return merged


def run_shipped(module, patch_module_args, capsys, args, check_mode=False, diff=False):
    """main() as a module process runs it: AnsibleModule, JSON on stdout, SystemExit."""
    internal = {"_ansible_module_name": "rapyuta.rio." + module.__name__.rsplit(".", 1)[1],
                "_ansible_check_mode": check_mode, "_ansible_diff": diff}
    if INJECT_SETTING:
        internal["_ansible_inject_invocation"] = True
    with patch_module_args(dict(args, **internal)), pytest.raises(SystemExit):
        module.main()
    return json.loads(capsys.readouterr().out)


def run_direct(module, args, check_mode=False, diff=False, inject_invocation=True):
    """main() as the action plugin runs it: DirectModule, ModuleExit."""
    call = DirectCall(args, "rapyuta.rio." + module.__name__.rsplit(".", 1)[1], check_mode=check_mode, diff=diff,
                      inject_invocation=inject_invocation)
    with pytest.raises(ModuleExit) as done:
        module.main(direct=call)
    return done.value.result


def comparable(result):
    """What both ways must agree on: everything but ansible-core's own bookkeeping."""
    return dict((key, value) for key, value in result.items() if key not in ("invocation", "exception"))


@pytest.mark.parametrize("module, args", [
    (rio_volume, {"name": "v"}),
    (rio_volume, {"name": "v", "capacity": 5}),
    (rio_routed_network, {"name": "n", "network_interface": "eth0"}),
    (rio_native_network, {"name": "n", "limits": {"cpu": 1}}),
    (rio_native_network, {"name": "n", "shared": True}),
    (rio_device_info, {"status": ["AWAKE"]}),
    (rio_device_info, {"details": "maybe"}),
    (rio_package, {"manifest": {"name": "x"}, "manifest_file": "/x.json"}),
    (rio_package, {"state": "absent"}),
    (rio_deployment, {"name": "d", "package_name": "p", "package_id": "pkg-1", "components": []}),
    (rio_deployment, {"name": "d", "package_name": "p", "components": "nginx"}),
    (rio_deployment, {"name": "d", "package_name": "p", "components": [{"name": "c", "device": "r"}, 7]}),
    (rio_deployment, {"name": "d", "package_name": "p", "components": [{"nme": "c"}]}),
])
def test_validation_failures_are_the_same_both_ways(patch_module_args, capsys, module, args):
    args = base_args("http://127.0.0.1:9", args)
    shipped = run_shipped(module, patch_module_args, capsys, args)
    direct = run_direct(module, args)
    assert shipped["failed"] is True
    assert comparable(direct) == comparable(shipped)


def test_a_run_against_the_api_is_the_same_both_ways(rio_server, patch_module_args, capsys):
    devices = [{"uuid": "u-a", "name": "robot-a", "status": "ONLINE", "labels": [{"id": 1, "key": "site", "value": "alpha"}],
                "config_variables": [{"id": 1, "key": "ros_distro", "value": "melodic"}]},
               {"uuid": "u-b", "name": "robot-b", "status": "OFFLINE", "labels": [], "config_variables": []}]
    rio_server.script("GET", DM + "/devices/", Reply(200, {"status": "success", "response": {"data": devices}}))
    args = base_args(rio_server.url, {"labels": {"site": "alpha"}})
    shipped = run_shipped(rio_device_info, patch_module_args, capsys, args)
    direct = run_direct(rio_device_info, args)
    assert [device["name"] for device in direct["devices"]] == ["robot-a"]
    assert comparable(direct) == comparable(shipped)
    assert direct["invocation"] == shipped["invocation"]
    assert direct["invocation"]["module_args"]["auth_token"] == "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"


def test_check_mode_and_diff_reach_the_module(rio_server, patch_module_args, capsys):
    rio_server.script("GET", "/api/staticroute/list", Reply(200, []))
    args = base_args(rio_server.url, {"name": "dash-prod"})
    shipped = run_shipped(rio_static_route, patch_module_args, capsys, args, check_mode=True, diff=True)
    direct = run_direct(rio_static_route, args, check_mode=True, diff=True)
    assert direct["changed"] is True and direct["diff"] == {"before": {}, "after": {"name": "dash-prod"}}
    assert comparable(direct) == comparable(shipped)
    assert [request.method for request in rio_server.requests] == ["GET", "GET"]


def test_api_failures_are_the_same_both_ways(rio_server, patch_module_args, capsys):
    rio_server.script("GET", "/routednetwork", Reply(200, []))
    rio_server.script("POST", "/routednetwork", Reply(400, {"error": "invalid ros distro"}))
    args = base_args(rio_server.url, {"name": "n1", "wait": False})
    shipped = run_shipped(rio_routed_network, patch_module_args, capsys, args)
    direct = run_direct(rio_routed_network, args)
    assert direct["msg"] == "Failed to ensure routed network 'n1' is present: HTTP 400: invalid ros distro"
    assert comparable(direct) == comparable(shipped)


SPEC = {"auth_token": {"type": "str", "no_log": True}, "name": {"type": "str"}, "flag": {"type": "bool"}}


def direct_module(params, **call):
    return DirectModule(SPEC, DirectCall(params, "rapyuta.rio.example", **call))


def test_no_log_values_are_masked_everywhere_in_the_result():
    module = direct_module({"auth_token": "True", "name": "n"})
    module.warn("the token True leaked into a warning")
    with pytest.raises(ModuleExit) as done:
        module.fail_json(msg="cannot use True", detail={"echo": "True"}, flag=True)
    result = done.value.result
    text = json.dumps(result)
    assert "the token True" not in text and "cannot use True" not in text and '"True"' not in text
    assert result["flag"] is True and result["failed"] is True  # booleans survive, as with AnsibleModule
    assert result["invocation"]["module_args"]["auth_token"] == "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"
    assert result["warnings"] == ["the token ******** leaked into a warning"]


@pytest.mark.parametrize("result, secrets", [
    ({"a": [1, 2.5, ("t", "u")], "b": {"c": None, "d": True}, "e": "plain"}, {"s3cret"}),
    ({"msg": "the s3cret is out", "n": [{"k": "xs3cretx"}], "t": ("s3cret",)}, {"s3cret"}),
    ({"msg": 'say "q\\u\u00e9" now', "n": 0}, {'"q\\u\u00e9"'}),
    ({"id": 12345, "f": 1.5}, {"234"}),
    ({"f": float("nan"), "msg": "no secret"}, {"s3cret"}),
    ({"b": b"bytes s3cret", "s": {"set"}}, {"s3cret"}),
    ({"invocation": {"module_args": {"auth_token": "s3cret", "items": [("a", 1)]}}, "results": [{"x": (1, 2)}],
      "deep": {"a": {"b": "xs3cret"}, "c": ("s3cret", 2)}}, {"s3cret"}),
    ({"msg": "anything"}, {""}),
    ({"msg": "anything"}, set()),
], ids=["nothing-to-hide", "secret-in-strings", "escaped-characters", "digits-of-a-number", "nan", "bytes-and-set", "secret-in-one-branch",
        "empty-secret", "no-secrets"])
def test_masked_is_remove_values(result, secrets):
    def typed(value):  # the value with the type of every container and scalar, NaN comparable
        if isinstance(value, dict):
            return ("dict", sorted((key, typed(inner)) for key, inner in value.items()))
        if isinstance(value, (list, tuple, set)):
            return (type(value).__name__, [typed(inner) for inner in value])
        return (type(value).__name__, repr(value))

    assert typed(masked(result, secrets)) == typed(remove_values(result, secrets))
    assert masked(result, secrets) is not result


def test_invocation_follows_ansible_core_setting():
    with pytest.raises(ModuleExit) as done:
        direct_module({"name": "n"}, inject_invocation=False).exit_json(changed=False, invocation="mine")
    assert "invocation" not in done.value.result


def test_the_task_arguments_are_not_modified():
    params = {"name": "n"}
    module = direct_module(params)
    module.params["name"] = "changed"
    assert params == {"name": "n"} and module.params["flag"] is None


def test_module_exit_passes_through_broad_exception_handlers():
    """The modules catch Exception to turn failures into fail_json; the end of a module is not one."""
    module = direct_module({"name": "n"})
    with pytest.raises(ModuleExit):
        try:
            module.exit_json(changed=False)
        except Exception:  # the point of the test: ModuleExit must not be one
            pytest.fail("ModuleExit was caught as an Exception")


def test_alias_conflicts_warn_as_ansible_module_does():
    spec = {"name": {"type": "str", "aliases": ["title"]}}
    module = DirectModule(spec, DirectCall({"name": "a", "title": "b"}, "rapyuta.rio.example"))
    assert module._warnings == ["Both option name and its alias title are set."]


def test_unsupported_check_mode_is_skipped():
    with pytest.raises(ModuleExit) as done:
        DirectModule(SPEC, DirectCall({}, "rapyuta.rio.example", check_mode=True), supports_check_mode=False)
    assert done.value.result["skipped"] is True


# -- deprecations: returned as deprecations, as the shipped module returns them --------------------

DEPRECATING_SPEC = {
    "token": {"type": "str", "no_log": True},
    "old": {"type": "str", "removed_in_version": "3.0.0", "removed_from_collection": "rapyuta.rio"},
    "dated": {"type": "str", "removed_at_date": "2027-01-01", "removed_from_collection": "rapyuta.rio"},
    "name": {"type": "str", "aliases": ["title"],
             "deprecated_aliases": [{"name": "title", "version": "2.0.0", "collection_name": "rapyuta.rio"}]},
    "label": {"type": "str", "aliases": ["tag"]},
}
DEPRECATING_ARGS = {"token": "secret-0123", "old": "x", "dated": "y", "title": "n", "label": "a", "tag": "b"}

# AnsibleModule in a process of its own, as a shipped module runs: ansible-core's module_utils record
# warnings and deprecations only there (in a process that imported the controller they are displayed).
SHIPPED_PROBE = r"""
import json, os
from ansible.module_utils.basic import AnsibleModule
AnsibleModule(argument_spec=json.loads(os.environ["RIO_TEST_SPEC"])).exit_json(changed=False)
"""


def run_module_process(spec, args, folder):
    try:
        from ansible.module_utils.common.json import get_module_decoder  # ansible-core 2.19 and later
    except ImportError:
        get_module_decoder = None
    payload = {"ANSIBLE_MODULE_ARGS": args}
    if get_module_decoder:
        payload["ANSIBLE_MODULE_PROFILE"] = "legacy"
    (folder / "args.json").write_text(json.dumps(payload))
    done = subprocess.run([sys.executable, "-c", SHIPPED_PROBE, str(folder / "args.json")], capture_output=True,
                          text=True, timeout=60, check=False, env=dict(os.environ, RIO_TEST_SPEC=json.dumps(spec)))
    assert done.returncode == 0, done.stdout + done.stderr
    if not get_module_decoder:
        return json.loads(done.stdout)
    from ansible.module_utils.common.json import Direction
    return json.loads(done.stdout, cls=get_module_decoder("legacy", Direction.MODULE_TO_CONTROLLER))


def as_the_controller_reads(result, from_module):
    """The warnings and deprecations the controller shows for a task result."""
    try:
        from ansible._internal._task import UnifiedTaskResult  # ansible-core 2.19 and later
    except ImportError:  # 2.18: the callback shows result["warnings"], Display.deprecated(**each deprecation)
        return result.get("warnings"), result.get("deprecations")
    read = UnifiedTaskResult.from_module_result_dict if from_module else UnifiedTaskResult.from_action_result_dict
    task_result = read(copy.deepcopy(result))
    return task_result.warnings, task_result.deprecations


def test_deprecations_and_warnings_are_the_shipped_modules(tmp_path):
    shipped = run_module_process(DEPRECATING_SPEC, DEPRECATING_ARGS, tmp_path)
    with pytest.raises(ModuleExit) as done:
        DirectModule(DEPRECATING_SPEC, DirectCall(DEPRECATING_ARGS, "rapyuta.rio.example")).exit_json(changed=False)
    direct = done.value.result
    assert [entry["msg"] for entry in direct["deprecations"]] == [
        "Alias 'title' is deprecated. See the module docs for more information",
        "Param 'old' is deprecated. See the module docs for more information",
        "Param 'dated' is deprecated. See the module docs for more information"]
    assert direct["warnings"] == ["Both option label and its alias tag are set."]
    warnings, deprecations = as_the_controller_reads(direct, from_module=False)
    assert (warnings, deprecations) == as_the_controller_reads(shipped, from_module=True)
    assert len(deprecations) == 3 and len(warnings) == 1


# -- the contracts with ansible-core (docs/direct-execution.md lists them) -------------------------

def test_core_contract_validation_result_private_fields():
    """DirectModule reads what ModuleArgumentSpecValidator reads from the result: the no_log values,
    the alias conflicts, the deprecations (with their version/date and collection)."""
    result = ArgumentSpecValidator(DEPRECATING_SPEC).validate(dict(DEPRECATING_ARGS, unknown=1))
    assert isinstance(result._no_log_values, set) and "secret-0123" in result._no_log_values
    assert result._warnings == [{"option": "label", "alias": "tag"}]
    assert isinstance(result._deprecations, list)
    by_msg = dict((entry["msg"], entry) for entry in result._deprecations)
    assert by_msg["Alias 'title' is deprecated. See the module docs for more information"]["version"] == "2.0.0"
    assert by_msg["Param 'dated' is deprecated. See the module docs for more information"]["date"] == "2027-01-01"
    assert set(entry.get("collection_name") for entry in result._deprecations) == {"rapyuta.rio"}
    assert isinstance(result.errors[0], UnsupportedError) and "unknown" in result.errors.msg
    assert result.validated_parameters["name"] == "n"
    source = inspect.getsource(ModuleArgumentSpecValidator.validate)
    assert "_deprecations" in source and "_warnings" in source  # what AnsibleModule makes of them


def test_core_contract_remove_values():
    """Masks no_log values at any depth (an equal value whole, a containing string by ********),
    without changing its input."""
    result = {"token": "s3cret", "msg": "the s3cret is out", "nested": [{"k": "xs3cretx"}], "n": 1}
    masked = remove_values(result, {"s3cret"})
    assert masked == {"token": "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER", "msg": "the ******** is out",
                      "nested": [{"k": "x********x"}], "n": 1}
    assert result["token"] == "s3cret"


def test_core_contract_no_log_masking_keeps_top_level_booleans_as_ansible_module_does(patch_module_args, capsys):
    spec = {"token": {"type": "str", "no_log": True}}
    with patch_module_args({"token": "True"}), pytest.raises(SystemExit):
        AnsibleModule(argument_spec=spec).exit_json(changed=True, flag=True, nothing=None, text="True story")
    shipped = json.loads(capsys.readouterr().out)
    with pytest.raises(ModuleExit) as done:
        DirectModule(spec, DirectCall({"token": "True"}, "rapyuta.rio.example")).exit_json(
            changed=True, flag=True, nothing=None, text="True story")
    assert comparable(done.value.result) == comparable(shipped)
    assert shipped["flag"] is True and shipped["text"] == "******** story"


def test_relative_path_options_are_taken_from_the_calls_directory(tmp_path):
    spec = {"manifest_file": {"type": "path"}, "ca_path": {"type": "path"}, "name": {"type": "str"}}
    call = DirectCall({"manifest_file": "files/m.json", "ca_path": "/etc/ca.pem", "name": "files/x"},
                      "rapyuta.rio.example", cwd=str(tmp_path))
    module = DirectModule(spec, call)
    assert module.params["manifest_file"] == str(tmp_path / "files" / "m.json")
    assert module.params["ca_path"] == "/etc/ca.pem" and module.params["name"] == "files/x"
    with pytest.raises(ModuleExit) as done:
        module.exit_json(changed=False)
    assert done.value.result["invocation"]["module_args"]["manifest_file"] == "files/m.json"  # as the task gave it
