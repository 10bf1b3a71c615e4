# Copyright: (c) 2026, rapyuta.rio contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""When the action plugins run a module in the controller's worker, and when they ship it."""
from __future__ import annotations

import importlib
import json
import os
import re
import subprocess
import shutil
import sys
from types import SimpleNamespace

import pytest
import yaml
from ansible import constants as C
from ansible.errors import AnsibleError
from ansible.module_utils.ansible_release import __version__ as ANSIBLE_VERSION
from ansible.parsing.dataloader import DataLoader
from ansible.plugins.action import ActionBase
from ansible.plugins.action.normal import ActionModule as NormalActionModule
from ansible.template import Templar

from ansible_collections.rapyuta.rio.plugins.plugin_utils import direct_execution
from ansible_collections.rapyuta.rio.plugins.plugin_utils.direct_execution import (
    DISCOVERY_MODES,
    MODULES_PACKAGE,
    DirectExecutionAction,
    is_controller_python,
    preload,
    refusal,
)

try:  # ansible-core 2.19 and later template only trusted strings (task variables are)
    from ansible.template import trust_as_template
except ImportError:
    trust_as_template = None

LOCAL = dict(transport="local", become=False, async_val=0, environment=[], enabled=True, has_requests=True,
             interpreter=None)


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


# -- the task's interpreter ------------------------------------------------------------------------

def fake_venv(root, name, real):
    """A virtual environment's layout: pyvenv.cfg, bin/python3 -> the real interpreter, bin/python -> python3."""
    venv = root / name
    (venv / "bin").mkdir(parents=True)
    (venv / "pyvenv.cfg").write_text("home = %s\n" % os.path.dirname(real))
    os.symlink(real, str(venv / "bin" / "python3"))
    os.symlink("python3", str(venv / "bin" / "python"))
    return venv


@pytest.mark.parametrize("setting", [None, "", "auto", "auto_silent", " auto_silent ", "auto_legacy", "auto_legacy_silent"])
def test_an_unset_or_discovered_interpreter_counts_as_the_controllers(setting):
    """Discovery looks for any Python, not one with requests: the controller's stands for it."""
    assert is_controller_python(setting, controller="/nowhere/python") is True


def test_names_of_the_controllers_interpreter_in_its_environment_are_the_controllers(tmp_path, monkeypatch):
    real = os.path.realpath(sys.executable)
    venv = fake_venv(tmp_path, "venv", real)
    controller = str(venv / "bin" / "python")
    assert is_controller_python(str(venv / "bin" / "python3"), controller=controller)
    assert is_controller_python(controller, controller=controller)
    monkeypatch.setenv("PATH", str(venv / "bin"))
    assert is_controller_python("python3", controller=controller)


def test_another_environment_of_the_same_interpreter_is_not_the_controllers(tmp_path):
    """A venv's bin/python links to its base interpreter; resolving links alone would call them the same."""
    real = os.path.realpath(sys.executable)
    controller = str(fake_venv(tmp_path, "controller", real) / "bin" / "python")
    other = str(fake_venv(tmp_path, "other", real) / "bin" / "python")
    assert not is_controller_python(other, controller=controller)
    assert not is_controller_python(real, controller=controller)


@pytest.mark.parametrize("setting", ["/usr/bin/env python3", "%s -E" % sys.executable, "/no/such/python", "no-such-python-here", "'unclosed"])
def test_what_cannot_be_shown_to_be_the_controllers_interpreter_ships(setting):
    assert not is_controller_python(setting, controller=sys.executable)


def test_another_interpreter_ships_the_module():
    reason = refusal(**local_but(interpreter="/no/such/python"))
    assert reason == "the task's interpreter /no/such/python is not the controller's Python %s" % sys.executable


# -- the action plugin's run, in the worker and shipped --------------------------------------------

def action_for(task_vars, transport="local", **task):
    """A DirectExecutionAction with the task, connection and play context objects ansible-core gives it."""
    fields = dict(args={}, action="rapyuta.rio.rio_volume", resolved_action="rapyuta.rio.rio_volume", check_mode=False,
                  diff=False, async_val=0, environment=[], no_log=False, delegate_to=None)
    fields.update(task)
    connection = SimpleNamespace(transport=transport, _shell=SimpleNamespace(tmpdir=None))
    play_context = SimpleNamespace(become=False, remote_addr="localhost")
    return DirectExecutionAction(SimpleNamespace(**fields), connection, play_context, DataLoader(),
                                 Templar(loader=DataLoader(), variables=task_vars), None)


def trusted(text):
    return trust_as_template(text) if trust_as_template else text


@pytest.fixture
def shipped(monkeypatch):
    """The tasks the normal action ran (shipped as a module)."""
    runs = []
    monkeypatch.setattr(NormalActionModule, "run", lambda self, tmp=None, task_vars=None: runs.append(task_vars) or {"shipped": True})
    return runs


def test_a_local_task_runs_main_in_the_worker(shipped):
    result = action_for({}, args={}).run(task_vars={})
    assert shipped == []
    assert result["failed"] is True and "missing required arguments" in result["msg"]  # the module's own validation


def test_the_module_gets_plain_arguments_as_a_shipped_module_would(shipped, monkeypatch):
    seen = []
    module = importlib.import_module(MODULES_PACKAGE + "rio_volume")

    def main(direct=None):
        seen.append(direct.raw_params)
        raise direct_execution.ModuleExit({"changed": False})

    monkeypatch.setattr(module, "main", main)
    args = {"name": trusted("vol"), "labels": {"site": trusted("north")}, "sizes": (1, 2)}
    result = action_for({}, args=args).run(task_vars={})
    assert result["changed"] is False and shipped == []
    assert seen == [{"name": "vol", "labels": {"site": "north"}, "sizes": [1, 2]}]
    # Not ansible-core's tagged types (2.19+): those make every copy and walk of a large batch slow.
    classes = [seen[0]["name"].__class__, seen[0]["labels"].__class__, seen[0]["labels"]["site"].__class__]
    assert classes == [str, dict, str]


@pytest.mark.parametrize("interpreter, ships", [
    ("/usr/bin/env python3", True),
    ("{{ ansible_playbook_python }}", False),
    ("auto_silent", False),
    (sys.executable, False),
])
def test_the_tasks_interpreter_variable_decides(shipped, interpreter, ships):
    task_vars = {"ansible_python_interpreter": trusted(interpreter), "ansible_playbook_python": sys.executable}
    action_for(task_vars).run(task_vars=task_vars)
    assert bool(shipped) is ships


def test_a_delegated_task_goes_by_the_delegated_hosts_interpreter(shipped):
    """delegate_to: localhost from a robot's task: the robot's interpreter does not matter."""
    task_vars = {"ansible_python_interpreter": "/robot/python",
                 "ansible_delegated_vars": {"localhost": {"ansible_python_interpreter": sys.executable}}}
    action_for(task_vars, delegate_to="localhost").run(task_vars=task_vars)
    assert shipped == []
    task_vars["ansible_delegated_vars"]["localhost"]["ansible_python_interpreter"] = "/other/python"
    action_for(task_vars, delegate_to="localhost").run(task_vars=task_vars)
    assert len(shipped) == 1


def test_the_opt_out_variable_ships(shipped):
    task_vars = {"rio_direct_execution": trusted("{{ 1 == 2 }}")}
    assert action_for(task_vars).run(task_vars=task_vars) == {"shipped": True}


# -- the contracts with ansible-core (docs/direct-execution.md lists them) -------------------------

CORE = tuple(int(part) for part in ANSIBLE_VERSION.split(".")[:2])


def test_core_contract_the_action_runs_actionbase_checks_and_nothing_else(monkeypatch):
    """run() calls ActionBase.run (skipping the normal action's shipping) for its checks: it must return
    a dict, refuse what the action does not support, and neither create a remote tmp dir nor connect."""
    assert NormalActionModule.__mro__[1] is ActionBase
    assert NormalActionModule._supports_check_mode is True and NormalActionModule._supports_async is True
    action = action_for({})
    monkeypatch.setattr(action, "_make_tmp_path", lambda *args, **kwargs: pytest.fail("ActionBase.run made a tmp dir"))
    assert super(NormalActionModule, action).run(None, {}) == {}
    assert action._connection._shell.tmpdir is None


def test_core_contract_interpreter_setting():
    """The setting _get_shebang reads for a Python module, with its variable and discovery default."""
    definition = C.config.get_configuration_definition("INTERPRETER_PYTHON")
    assert {"name": "ansible_python_interpreter"} in definition["vars"]
    assert definition["default"] in DISCOVERY_MODES
    assert C.config.get_config_value("INTERPRETER_PYTHON", variables={"ansible_python_interpreter": "/opt/py"}) == "/opt/py"
    assert C.config.get_config_value("INTERPRETER_PYTHON", variables={}) in DISCOVERY_MODES  # auto_silent in ansible.cfg
    modes = set(re.findall(r"``(auto\w*)``", " ".join(definition["description"])))
    assert modes and modes <= DISCOVERY_MODES, modes


def test_core_contract_inject_invocation_setting():
    """2.21 added INJECT_INVOCATION (off by default, per task through ansible_inject_invocation);
    before it, modules always returned `invocation`."""
    definition = C.config.get_configuration_definition("INJECT_INVOCATION")
    assert bool(definition) == (CORE >= (2, 21))
    if definition:
        assert definition["type"] == "boolean" and definition["default"] is False
        assert {"name": "ansible_inject_invocation"} in definition["vars"]
        assert DirectExecutionAction._inject_invocation({}) is False
        assert DirectExecutionAction._inject_invocation({"ansible_inject_invocation": True}) is True
    else:
        with pytest.raises(AnsibleError):
            C.config.get_config_value("INJECT_INVOCATION", variables={})
        assert DirectExecutionAction._inject_invocation({}) is True


PRELOAD_PROBE = r"""
import json, os, sys
names = ("ansible_collections.rapyuta.rio.plugins.action.rio_device_info",
         "ansible_collections.rapyuta.rio.plugins.modules.rio_device_info")
forks = []
os.register_at_fork(before=lambda: forks.append([name in sys.modules for name in names]))
from ansible.cli.playbook import main
try:
    main(["ansible-playbook", sys.argv[1]])
except SystemExit:
    pass
with open(sys.argv[2], "w") as out:
    json.dump(forks, out)
"""

PRELOAD_PLAY = """
- hosts: localhost
  gather_facts: false
  tasks:
    - rapyuta.rio.rio_device_info:
        auth_token: unit-test-token
        project: p
        catalog_host: http://127.0.0.1:9
        core_api_host: http://127.0.0.1:9
        retries: 0
      ignore_errors: true
"""


def test_core_contract_the_strategy_loads_action_classes_before_forking_workers(tmp_path):
    """The preload happens when the strategy loads the task's action class in the main process
    (linear and free, to check BYPASS_HOST_LOOP): by the worker's fork both must be imported."""
    collections = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(
        os.path.dirname(os.path.abspath(direct_execution.__file__))))))
    (tmp_path / "play.yml").write_text(PRELOAD_PLAY)
    (tmp_path / "ansible.cfg").write_text("[defaults]\n")
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=collections, ANSIBLE_CONFIG=str(tmp_path / "ansible.cfg"),
               ANSIBLE_LOCAL_TEMP=str(tmp_path / "tmp"), RIO_DIRECT_EXECUTION="true")
    env.pop("PYTHONPATH", None)
    done = subprocess.run([sys.executable, "-c", PRELOAD_PROBE, str(tmp_path / "play.yml"), str(tmp_path / "forks.json")],
                          cwd=str(tmp_path), env=env, capture_output=True, text=True, timeout=120, check=False)
    assert (tmp_path / "forks.json").exists(), done.stdout + done.stderr
    forks = json.loads((tmp_path / "forks.json").read_text())
    assert forks, done.stdout + done.stderr  # a worker was forked
    assert forks[0] == [True, True], done.stdout + done.stderr


DELEGATION_PLAY = """
- hosts: robot
  gather_facts: false
  tasks:
    - rapyuta.rio.rio_device_info:
        auth_token: unit-test-token
        project: p
        catalog_host: http://127.0.0.1:9
        core_api_host: http://127.0.0.1:9
        retries: 0
      delegate_to: localhost
      ignore_errors: true
"""


def test_core_contract_a_delegated_task_gets_the_delegated_hosts_variables(tmp_path):
    """task_vars["ansible_delegated_vars"][delegate_to] holds the delegated host's variables (what
    ActionBase._configure_module picks the interpreter from): a robot's own interpreter, for its
    ssh connection, must not ship a task delegated to localhost."""
    collections = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(
        os.path.dirname(os.path.abspath(direct_execution.__file__))))))
    (tmp_path / "play.yml").write_text(DELEGATION_PLAY)
    (tmp_path / "inventory").write_text("robot ansible_host=192.0.2.1 ansible_connection=ssh ansible_python_interpreter=/robot/bin/python3\n")
    (tmp_path / "ansible.cfg").write_text("[defaults]\n")
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=collections, ANSIBLE_CONFIG=str(tmp_path / "ansible.cfg"),
               ANSIBLE_LOCAL_TEMP=str(tmp_path / "tmp"), RIO_DIRECT_EXECUTION="true")
    env.pop("PYTHONPATH", None)
    done = subprocess.run([os.path.join(os.path.dirname(sys.executable), "ansible-playbook"), "-vvv",
                           "-i", str(tmp_path / "inventory"), str(tmp_path / "play.yml")],
                          cwd=str(tmp_path), env=env, capture_output=True, text=True, timeout=120, check=False)
    assert "rapyuta.rio.rio_device_info: run in the controller's worker" in done.stdout, done.stdout + done.stderr


SECRET = "unit-test-token-never-printed"
DEBUG_PLAY = """
- hosts: localhost
  gather_facts: false
  connection: local
  module_defaults:
    group/rapyuta.rio.rio:
      auth_token: "{{ lookup('env', 'UNIT_SECRET') }}"
  tasks:
    - rapyuta.rio.rio_device_info:
        project: p
        catalog_host: http://127.0.0.1:9
        core_api_host: http://127.0.0.1:9
        retries: 0
      vars:
        rio_direct_execution: false
      register: shipped
      ignore_errors: true
    - ansible.builtin.assert:
        that: "'cannot reach the API' in shipped.msg"
"""


def test_arguments_print_with_their_secrets_masked():
    args = direct_execution.ArgumentsMaskedInLogs(auth_token=SECRET, project="p", retries=0)
    assert SECRET not in str(args) and SECRET not in repr(args) and SECRET not in "%s" % (args,)
    assert "'project': 'p'" in str(args) and json.loads(json.dumps(args))["auth_token"] == SECRET


def test_a_shipped_module_gets_its_arguments_in_the_masking_dict(monkeypatch):
    seen = []
    monkeypatch.setattr(ActionBase, "_execute_module", lambda self, module_name=None, module_args=None, **kwargs:
                        seen.append(module_args) or {})
    task_args = {"auth_token": SECRET, "name": "v"}
    action = action_for({}, args=task_args)
    action._execute_module(task_vars={})
    action._execute_module(module_args={"auth_token": SECRET}, task_vars={})
    assert [type(args) for args in seen] == [direct_execution.ArgumentsMaskedInLogs] * 2
    assert seen[0] == task_args and seen[0] is not task_args and SECRET not in str(seen)


def test_core_contract_the_debug_line_of_a_shipped_module_prints_its_arguments_masked(tmp_path):
    """ActionBase._execute_module prints the module's arguments under ANSIBLE_DEBUG=1 (with %s) and
    serializes them for the module without repr(): the shipped module still gets the token."""
    collections = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(
        os.path.dirname(os.path.abspath(direct_execution.__file__))))))
    (tmp_path / "play.yml").write_text(DEBUG_PLAY)
    (tmp_path / "ansible.cfg").write_text("[defaults]\n")
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=collections, ANSIBLE_CONFIG=str(tmp_path / "ansible.cfg"),
               ANSIBLE_LOCAL_TEMP=str(tmp_path / "tmp"), ANSIBLE_DEBUG="1", UNIT_SECRET=SECRET,
               ANSIBLE_PYTHON_INTERPRETER=sys.executable)
    for name in ("PYTHONPATH", "RIO_AUTH_TOKEN", "RIO_CONFIG"):
        env.pop(name, None)
    done = subprocess.run([os.path.join(os.path.dirname(sys.executable), "ansible-playbook"), "-vvv",
                           "-i", "localhost,", str(tmp_path / "play.yml")],
                          cwd=str(tmp_path), env=env, capture_output=True, text=True, timeout=120, check=False)
    output = done.stdout + done.stderr
    assert done.returncode == 0, output[-3000:]
    assert "shipped as a module" in output and "done with _execute_module (rapyuta.rio.rio_device_info" in output
    assert SECRET not in output


# -- every module has its action plugin and its action group entry ---------------------------------

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))))


def names_in(folder):
    return sorted(name[:-3] for name in os.listdir(os.path.join(ROOT, "plugins", folder))
                  if name.endswith(".py") and not name.startswith("_"))


def test_every_module_has_its_action_plugin_and_its_action_group_entry_and_nothing_else():
    modules = names_in("modules")
    with open(os.path.join(ROOT, "meta", "runtime.yml")) as runtime:
        group = yaml.safe_load(runtime)["action_groups"]["rio"]
    assert modules, "no modules found under %s" % ROOT
    assert names_in("action") == modules
    assert sorted(group) == modules and len(group) == len(set(group))


@pytest.mark.parametrize("name", names_in("action"))
def test_each_action_plugin_is_the_shared_class(name):
    action = importlib.import_module("ansible_collections.rapyuta.rio.plugins.action." + name).ActionModule
    assert action.__bases__ == (DirectExecutionAction,)
    own = set(name for name in vars(action) if not name.startswith("__")) - {"_abc_impl", "_is_protocol"}  # ABC bookkeeping
    assert not own, "%s adds %s to the shared class" % (name, sorted(own))


MANIFEST_PLAY = """
- hosts: localhost
  gather_facts: false
  connection: local
  vars:
    ansible_python_interpreter: "{{ ansible_playbook_python }}"
  tasks:
    - rapyuta.rio.rio_package:
        manifest_file: files/talker.json
        auth_token: unit-test-token-for-a-manifest
        project: p
        catalog_host: http://127.0.0.1:9
        core_api_host: http://127.0.0.1:9
        retries: 0
      vars:
        rio_direct_execution: "{{ item }}"
      loop: [true, false]
      register: runs
      ignore_errors: true
    - ansible.builtin.assert:
        that: "runs.results | map(attribute='msg') | select('search', 'cannot reach the API') | list | length == 2"
        fail_msg: "{{ runs.results | map(attribute='msg') | list }}"
"""


def test_a_relative_manifest_file_is_taken_from_the_playbooks_directory_both_ways(tmp_path):
    """Started from another directory: shipped over a local connection, ansible-core runs the module in
    the playbook's directory; run in the worker, the module must read the same file (docs of manifest_file)."""
    collections = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(
        os.path.dirname(os.path.abspath(direct_execution.__file__))))))
    (tmp_path / "play" / "files").mkdir(parents=True)
    (tmp_path / "shell").mkdir()
    (tmp_path / "play" / "play.yml").write_text(MANIFEST_PLAY)
    shutil.copy(os.path.join(collections, "rapyuta", "rio", "tests", "fixtures", "manifests", "talker.json"),
                str(tmp_path / "play" / "files" / "talker.json"))
    (tmp_path / "ansible.cfg").write_text("[defaults]\n")
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=collections, ANSIBLE_CONFIG=str(tmp_path / "ansible.cfg"),
               ANSIBLE_LOCAL_TEMP=str(tmp_path / "tmp"))
    env.pop("PYTHONPATH", None)
    env.pop("RIO_DIRECT_EXECUTION", None)
    done = subprocess.run([os.path.join(os.path.dirname(sys.executable), "ansible-playbook"), "-i", "localhost,",
                           str(tmp_path / "play" / "play.yml")],
                          cwd=str(tmp_path / "shell"), env=env, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
