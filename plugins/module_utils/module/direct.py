# Copyright: (c) 2026, rapyuta.rio contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""DirectModule: what a module sees of AnsibleModule when it runs inside the controller's worker process.

The collection's action plugins run a module's ``main()`` in the worker instead of shipping it as an
AnsiballZ payload to a new interpreter, when the task runs on the controller anyway (see
plugins/plugin_utils/direct_execution.py). RioModule then talks to a DirectModule instead of an
AnsibleModule: the same argument validation (ansible-core's ArgumentSpecValidator, the messages
AnsibleModule gives), the same masking of no_log values in everything returned, and exit_json /
fail_json ending the module by raising ModuleExit (a BaseException, as SystemExit is) instead of
printing JSON and exiting the process. FOR INTERNAL COLLECTION USE ONLY: may change in any release.
"""

import copy
import json
import os

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.module_utils.common.parameters import remove_values
from ansible.module_utils.common.text.converters import to_native
from ansible.module_utils.errors import UnsupportedError


def masked(result, no_log_values):
    """``remove_values(result, no_log_values)``, without its walk where nothing is to be hidden.

    remove_values copies the result value by value in Python, a sizeable part of a large batch's
    time. Where no no_log value occurs in a value's JSON text (JSON escapes character by character,
    so a value inside a string shows there as its own escaped text), remove_values would change
    nothing but the containers' types (tuples become lists), which a JSON round trip in C does alike.
    A dict in which one shows (the ``invocation`` holding the token) is masked entry by entry, each
    the same way; any other value in which one shows, and whatever JSON cannot carry as is (bytes,
    dates, NaN), goes to remove_values.
    """
    needles = [json.dumps(to_native(value, errors="surrogate_or_strict"), ensure_ascii=False)[1:-1]
               for value in no_log_values]

    def mask(value):
        try:
            text = json.dumps(value, ensure_ascii=False, allow_nan=False)
        except (TypeError, ValueError):
            return remove_values(value, no_log_values)
        if not any(needle in text for needle in needles):
            return json.loads(text)
        if isinstance(value, dict):
            return dict((key, mask(inner)) for key, inner in value.items())
        return remove_values(value, no_log_values)

    return mask(result)


class ModuleExit(BaseException):
    """The module returned: ``result`` is what it returned (no_log values already masked).

    A BaseException, like the SystemExit that exit_json raises in a module process, so that the
    modules' ``except Exception`` handlers do not catch it.
    """

    def __init__(self, result):
        super().__init__(result.get("msg", ""))
        self.result = result


class DirectCall:
    """A module run asked for by an action plugin: the task's arguments, the module's name, the modes.

    ``raw_params`` are the task's arguments (without Ansible's internal ``_ansible_*`` keys);
    ``inject_invocation``: whether the result carries ``invocation`` (ansible-core 2.21's
    INJECT_INVOCATION setting; before 2.21 modules always returned it).
    ``cwd``: the directory a shipped module would run in (ansible-core runs a module over a local
    connection in the task's base directory, the playbook's); relative ``type: path`` options are
    taken from it, as they would be there, and not from the directory ansible-playbook was started in.
    """

    def __init__(self, raw_params, name, check_mode=False, diff=False, inject_invocation=True, cwd=None):
        self.raw_params = raw_params
        self.name = name
        self.check_mode = check_mode
        self.diff = diff
        self.inject_invocation = inject_invocation
        self.cwd = cwd


class DirectModule:
    """The part of AnsibleModule that RioModule uses, for a module run in the controller's worker."""

    def __init__(self, argument_spec, call, mutually_exclusive=None, required_together=None,
                 required_one_of=None, required_if=None, required_by=None, supports_check_mode=True):
        name = call.name
        self.check_mode = call.check_mode
        self._diff = call.diff
        self._warnings = []
        self._deprecations = []
        self._inject_invocation = call.inject_invocation
        self.no_log_values = set()
        self.params = copy.deepcopy(call.raw_params)
        validator = ArgumentSpecValidator(argument_spec, mutually_exclusive, required_together,
                                          required_one_of, required_if, required_by)
        validation = validator.validate(self.params)
        self.params.update(validation.validated_parameters)
        self.no_log_values.update(validation._no_log_values)
        self._given_paths = {}  # the relative paths as the task gave them, for ``invocation``
        if call.cwd:
            for option, spec in argument_spec.items():
                value = self.params.get(option)
                if spec.get("type") == "path" and isinstance(value, str) and value and not os.path.isabs(value):
                    self._given_paths[option] = value
                    self.params[option] = os.path.join(call.cwd, value)
        for conflict in validation._warnings:
            self.warn("Both option {option} and its alias {alias} are set.".format(**conflict))
        for deprecation in validation._deprecations:
            self.deprecate(deprecation["msg"], version=deprecation.get("version"), date=deprecation.get("date"),
                           collection_name=deprecation.get("collection_name"))
        if validation.errors.errors:
            msg = validation.errors.msg
            if isinstance(validation.errors[0], UnsupportedError):
                msg = "Unsupported parameters for (%s) module: %s" % (name, msg)
            self.fail_json(msg=msg)
        if self.check_mode and not supports_check_mode:
            self.exit_json(skipped=True, msg="module (%s) does not support check mode" % name)

    def warn(self, msg):
        self._warnings.append(msg)

    def deprecate(self, msg, version=None, date=None, collection_name=None):
        """Recorded as ansible-core 2.18's AnsibleModule records one: the task result's ``deprecations``
        entries, which the controller shows as deprecations (2.19 and later read this form too)."""
        deprecation = {"msg": msg, "collection_name": collection_name}
        if date is not None:
            deprecation["date"] = date
        else:
            deprecation["version"] = version
        self._deprecations.append(deprecation)

    def _finish(self, result):
        if self._inject_invocation:
            result.setdefault("invocation", {"module_args": dict(self.params, **self._given_paths)})
        else:
            result.pop("invocation", None)
        if self._warnings:  # where AnsibleModule puts them; ansible-core shows them after the task
            result["warnings"] = self._warnings
        if self._deprecations:
            result["deprecations"] = self._deprecations
        # As AnsibleModule: booleans and nulls survive the masking (a no_log value of "True" would
        # otherwise turn every true into a string).
        preserved = dict((key, value) for key, value in result.items() if value is None or isinstance(value, bool))
        result = masked(result, self.no_log_values)
        result.update(preserved)
        raise ModuleExit(result)

    def exit_json(self, **result):
        self._finish(result)

    def fail_json(self, msg, **result):
        result.update(failed=True, msg=str(msg))
        self._finish(result)
