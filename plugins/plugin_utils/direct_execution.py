# Copyright: (c) 2026, rapyuta.rio contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""Run the collection's modules inside the controller's worker process when the task runs there anyway.

Every rapyuta.rio module only talks HTTP to the rapyuta.io API, and its tasks run on the controller
(``delegate_to: localhost`` or ``connection: local``). Shipping such a module costs a new Python
interpreter per task and host: a temporary directory, an AnsiballZ payload whose sources are compiled
again on each run, ansible-core's module runtime. That cost is about the whole per-robot cost of a
fleet playbook run robot by robot. So each module has an action plugin of its name that calls the
module's ``main()`` in the worker instead (like ansible.netcommon's direct execution): same
arguments, same validation, same results and masking of no_log values (DirectModule), with the
controller's Python and libraries.

It ships the module the usual way when running in the worker would differ from it: the connection
is not local (the task is delegated to a host that can reach the API), the task uses become, async
or an ``environment``, the task's Python interpreter is not the controller's, the controller lacks
the module's requirement (requests), or ``rio_direct_execution`` is false (a variable; its default
comes from the controller's environment variable RIO_DIRECT_EXECUTION, else true).

What of ansible-core this relies on beyond the documented plugin API, and the test that guards each
assumption: docs/direct-execution.md.
"""
from __future__ import annotations

import importlib
import json
import os
import shlex
import shutil
import sys

from ansible import constants as C
from ansible.errors import AnsibleError
from ansible.module_utils.parsing.convert_bool import boolean

try:  # ansible-core 2.19+: the encoder that ships module arguments
    from ansible.module_utils.common.json import Direction, get_module_encoder

    def _arguments_encoder():
        return get_module_encoder("legacy", Direction.CONTROLLER_TO_MODULE)
except ImportError:  # ansible-core 2.18
    from ansible.module_utils.common.json import AnsibleJSONEncoder

    def _arguments_encoder():
        return lambda **kwargs: AnsibleJSONEncoder(vault_to_text=True, **kwargs)
from ansible.plugins.action.normal import ActionModule as NormalActionModule
from ansible.utils.display import Display

from ansible_collections.rapyuta.rio.plugins.module_utils.module.arguments import connection_argument_spec
from ansible_collections.rapyuta.rio.plugins.module_utils.transport.client import HAS_REQUESTS
from ansible_collections.rapyuta.rio.plugins.module_utils.module.direct import DirectCall, ModuleExit

display = Display()

OPT_OUT_VARIABLE = "rio_direct_execution"
OPT_OUT_ENVIRONMENT = "RIO_DIRECT_EXECUTION"


# INTERPRETER_PYTHON values that ask ansible-core to discover an interpreter instead of naming one
# (auto_legacy* only before ansible-core 2.19). Discovery looks for any Python, not for one with the
# modules' requirement, so the controller's Python, which has it, stands for them.
DISCOVERY_MODES = frozenset(("auto", "auto_silent", "auto_legacy", "auto_legacy_silent"))


def _environment_of(executable):
    """The interpreter an executable path runs and the virtual environment it runs in (or None).

    Resolving symlinks alone would take a venv's ``bin/python`` for the base interpreter it links
    to; Python itself looks for ``pyvenv.cfg`` next to the path it was started as, or one level up.
    """
    path = os.path.abspath(os.path.expanduser(executable))
    bin_dir = os.path.realpath(os.path.dirname(path))
    for candidate in (bin_dir, os.path.dirname(bin_dir)):
        if os.path.isfile(os.path.join(candidate, "pyvenv.cfg")):
            return os.path.realpath(path), candidate
    return os.path.realpath(path), None


def is_controller_python(interpreter, controller=None):
    """Whether a task's resolved interpreter setting runs the controller's own Python.

    Unset or a discovery mode counts as the controller's (see DISCOVERY_MODES). Anything that
    cannot be shown to be the same interpreter in the same environment (another path, a wrapper
    script, an interpreter with arguments) is not: shipping is always correct, only slower.
    """
    controller = controller or sys.executable
    interpreter = (interpreter or "").strip()
    if not interpreter or interpreter in DISCOVERY_MODES:
        return True
    try:
        words = shlex.split(interpreter)
    except ValueError:
        return False
    if len(words) != 1:
        return False
    path = words[0] if os.sep in words[0] else shutil.which(words[0])
    if not path or not os.path.exists(path):
        return False
    return _environment_of(path) == _environment_of(controller)


def refusal(transport, become, async_val, environment, enabled, has_requests=HAS_REQUESTS, interpreter=None):
    """Why this task must ship its module instead of running it in the worker, or None.

    ``interpreter``: the task's INTERPRETER_PYTHON setting, templated (ansible_python_interpreter).
    """
    if not enabled:
        return "%s is false" % OPT_OUT_VARIABLE
    if transport != "local":
        return "the connection is %s, not local" % transport
    if become:
        return "the task uses become"
    if async_val:
        return "the task is async"
    if any(environment or []):
        return "the task sets an environment"
    if not is_controller_python(interpreter):
        return "the task's interpreter %s is not the controller's Python %s" % (interpreter, sys.executable)
    if not has_requests:
        return "the controller's Python cannot import requests"
    return None


MODULES_PACKAGE = "ansible_collections.rapyuta.rio.plugins.modules."


def shipped_arguments(args):
    """The task's arguments as a shipped module receives them: encoded as ansible-core encodes a
    module's arguments, decoded as plain JSON.

    The task's own values carry ansible-core's data tags (origin, trust; 2.19+), which make every
    deep copy and every walk over them many times slower: validating a 200-item batch copied them
    for about a third of the task's time. Plain values are also what the shipped module would get.
    """
    return json.loads(json.dumps(args, cls=_arguments_encoder()))


def preload(module_name):
    """Import the module now, if it can be; a failure shows when a task runs it."""
    try:
        importlib.import_module(MODULES_PACKAGE + module_name)
    except Exception as exc:  # pylint: disable=broad-exception-caught
        display.debug("rapyuta.rio: %s not preloaded: %s" % (module_name, exc))


SECRET_OPTIONS = frozenset(name for name, option in connection_argument_spec().items() if option.get("no_log"))
MASK = "********"


class ArgumentsMaskedInLogs(dict):
    """A shipped module's arguments, whose printed form hides the values of SECRET_OPTIONS.

    ansible-core's ActionBase._execute_module ends with a debug line (ANSIBLE_DEBUG=1) that prints
    the module's arguments with %s, token included when module_defaults or the task give it. The
    module itself still gets every value: serializing a dict does not go through repr().
    """

    def __repr__(self):
        return repr({key: MASK if key in SECRET_OPTIONS and value is not None else value for key, value in self.items()})

    __str__ = __repr__


class DirectExecutionAction(NormalActionModule):
    """The action plugin of every rapyuta.rio module (each plugins/action/rio_*.py is this class)."""

    def __init_subclass__(cls, **kwargs):
        # The strategy loads each task's action class in the controller's main process, before it
        # forks the task's workers. Importing the module of the same name there means each worker
        # inherits it compiled; imported in the worker, it would be compiled again for every task
        # and host (ansible-core's collection loader keeps no bytecode cache).
        super().__init_subclass__(**kwargs)
        preload(cls.__module__.rsplit(".", 1)[-1])

    def _refusal(self, task_vars):
        enabled = self._templar.template(task_vars.get(OPT_OUT_VARIABLE, os.environ.get(OPT_OUT_ENVIRONMENT, True)))
        return refusal(getattr(self._connection, "transport", None), self._play_context.become,
                       self._task.async_val, self._task.environment, boolean(enabled, strict=False),
                       interpreter=self._interpreter(task_vars))

    def _interpreter(self, task_vars):
        """The task's Python interpreter setting as the shipped module would get it, templated."""
        # A delegated task's module runs with the delegated host's variables (as in ActionBase._configure_module):
        # delegate_to: localhost from a robot's task uses localhost's interpreter, not the robot's.
        if self._task.delegate_to:
            task_vars = (task_vars.get("ansible_delegated_vars") or {}).get(self._task.delegate_to, task_vars)
        try:
            # The setting (ansible_python_interpreter, ANSIBLE_PYTHON_INTERPRETER, interpreter_python)
            # that ansible-core's module_common._get_shebang reads for a Python module.
            value = C.config.get_config_value("INTERPRETER_PYTHON", variables=task_vars)
            value = self._templar.template(value)
        except AnsibleError as exc:  # the shipped module meets the same error and reports it
            return "(not resolved: %s)" % exc
        return value if isinstance(value, str) else None

    @staticmethod
    def _inject_invocation(task_vars):
        try:
            return bool(C.config.get_config_value("INJECT_INVOCATION", variables=task_vars))
        except AnsibleError:  # ansible-core before 2.21 has no such setting: modules always return it
            return True

    def _execute_module(self, module_name=None, module_args=None, *args, **kwargs):
        """ActionBase's, with the arguments in a dict that prints its secrets masked (ArgumentsMaskedInLogs)."""
        # A copy: ActionBase adds its _ansible_* keys to the dict it gets, as it would to the task's args.
        masked = ArgumentsMaskedInLogs(self._task.args if module_args is None else module_args)
        return super()._execute_module(module_name, masked, *args, **kwargs)

    def run(self, tmp=None, task_vars=None):
        task_vars = task_vars or {}
        reason = self._refusal(task_vars)
        if reason:
            display.vvv("%s: shipped as a module (%s)" % (self._task.action, reason), host=self._play_context.remote_addr)
            return super().run(tmp, task_vars)
        display.vvv("%s: run in the controller's worker" % self._task.action, host=self._play_context.remote_addr)
        result = super(NormalActionModule, self).run(tmp, task_vars)  # ActionBase's checks only
        call = DirectCall(shipped_arguments(self._task.args), self._task.action, check_mode=bool(self._task.check_mode),
                          diff=bool(self._task.diff), inject_invocation=self._inject_invocation(task_vars),
                          cwd=self._loader.get_basedir())
        try:
            module = importlib.import_module(MODULES_PACKAGE + self._task.resolved_action.rsplit(".", 1)[-1])
            module.main(direct=call)
        except ModuleExit as done:
            result.update(done.result)
        else:
            result.update(failed=True, msg="%s returned no result" % self._task.action)
        return result
