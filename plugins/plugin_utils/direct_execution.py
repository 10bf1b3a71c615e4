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
or an ``environment``, the controller lacks the module's requirement (requests), or
``rio_direct_execution`` is false (a variable; its default comes from the controller's environment
variable RIO_DIRECT_EXECUTION, else true).
"""
from __future__ import annotations

import importlib
import os

from ansible import constants as C
from ansible.errors import AnsibleError
from ansible.module_utils.parsing.convert_bool import boolean
from ansible.plugins.action.normal import ActionModule as NormalActionModule
from ansible.utils.display import Display

from ansible_collections.rapyuta.rio.plugins.module_utils.transport.client import HAS_REQUESTS
from ansible_collections.rapyuta.rio.plugins.module_utils.module.direct import DirectCall, ModuleExit

display = Display()

OPT_OUT_VARIABLE = "rio_direct_execution"
OPT_OUT_ENVIRONMENT = "RIO_DIRECT_EXECUTION"


def refusal(transport, become, async_val, environment, enabled, has_requests=HAS_REQUESTS):
    """Why this task must ship its module instead of running it in the worker, or None."""
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
    if not has_requests:
        return "the controller's Python cannot import requests"
    return None


MODULES_PACKAGE = "ansible_collections.rapyuta.rio.plugins.modules."


def preload(module_name):
    """Import the module now, if it can be; a failure shows when a task runs it."""
    try:
        importlib.import_module(MODULES_PACKAGE + module_name)
    except Exception as exc:  # pylint: disable=broad-exception-caught
        display.debug("rapyuta.rio: %s not preloaded: %s" % (module_name, exc))


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
                       self._task.async_val, self._task.environment, boolean(enabled, strict=False))

    @staticmethod
    def _inject_invocation(task_vars):
        try:
            return bool(C.config.get_config_value("INJECT_INVOCATION", variables=task_vars))
        except AnsibleError:  # ansible-core before 2.21 has no such setting: modules always return it
            return True

    def run(self, tmp=None, task_vars=None):
        task_vars = task_vars or {}
        reason = self._refusal(task_vars)
        if reason:
            display.vvv("%s: shipped as a module (%s)" % (self._task.action, reason), host=self._play_context.remote_addr)
            return super().run(tmp, task_vars)
        display.vvv("%s: run in the controller's worker" % self._task.action, host=self._play_context.remote_addr)
        result = super(NormalActionModule, self).run(tmp, task_vars)  # ActionBase's checks only
        call = DirectCall(dict(self._task.args), self._task.action, check_mode=bool(self._task.check_mode),
                          diff=bool(self._task.diff), inject_invocation=self._inject_invocation(task_vars))
        try:
            module = importlib.import_module(MODULES_PACKAGE + self._task.resolved_action.rsplit(".", 1)[-1])
            module.main(direct=call)
        except ModuleExit as done:
            result.update(done.result)
        else:
            result.update(failed=True, msg="%s returned no result" % self._task.action)
        return result
