# Copyright: (c) 2026, rapyuta.rio contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""RioModule: the only place modules meet Ansible plumbing. FOR INTERNAL COLLECTION USE ONLY: may change in any release."""

import sys
import traceback

from ansible.module_utils import basic
from ansible.module_utils.basic import AnsibleModule, missing_required_lib
from ansible.module_utils.common.validation import check_type_dict, check_type_list

from ansible_collections.rapyuta.rio.plugins.module_utils.transport.client import (
    HAS_REQUESTS,
    REQUESTS_IMPORT_ERROR,
    RioApiError,
    RioClient,
    RioConnectionError,
    RioError,
    explain_error,
)
from ansible_collections.rapyuta.rio.plugins.module_utils.v1.api import LookupCache, RioApi
from ansible_collections.rapyuta.rio.plugins.module_utils.v2.api import RioV2Api
from ansible_collections.rapyuta.rio.plugins.module_utils.module.direct import DirectModule
from ansible_collections.rapyuta.rio.plugins.module_utils.module.arguments import (
    client_kwargs,
    connection_argument_spec,
    out_of_range,
)
from ansible_collections.rapyuta.rio.plugins.module_utils.v1.wait import DeploymentFailed, WaitTimeout


_SHOWN_CHARS = 80
_KINDS = ((bool, "boolean"), (str, "string"), (int, "integer"), (float, "number"))


def _hides_values(option):
    """Whether an option or any of its suboptions is no_log: then a wrong value is described, not shown."""
    return bool(option.get("no_log")) or any(_hides_values(sub) for sub in (option.get("options") or {}).values())


def describe_value(value, hidden=False):
    """"the string 'nginx'", "the integer 3", "a list"...: what a message may say about a value."""
    if value is None:
        return "null"
    for kind_type, kind in _KINDS:
        if isinstance(value, kind_type):
            if hidden:
                return "a value of type %s (not shown: no_log)" % kind
            if kind == "string":
                return "the string %r" % (value if len(value) <= _SHOWN_CHARS else value[:_SHOWN_CHARS] + "...")
            return "the %s %s" % (kind, str(value).lower() if kind == "boolean" else value)
    return "a %s" % type(value).__name__


def _option_value(params, name, option):
    for key in [name] + list(option.get("aliases") or []):
        if key in params:
            return key, params[key]
    return name, None


def dict_element_problems(argument_spec, params, path="", top=None):
    """Elements of ``type=list, elements=dict`` options that are not dicts and cannot be made dicts.

    ansible-core refuses them with "dictionary requested, could not parse JSON or key=value", naming
    neither the option nor the value. This walks the raw parameters (suboptions too) with
    ansible-core's own conversions (check_type_list, check_type_dict), so exactly what it accepts
    (dicts, JSON objects, key=value strings) passes, and says where and what each refused value is.
    Returns ``[(top-level option, message)]``; the rest of the validation is ansible-core's.
    """
    problems = []
    for name, option in argument_spec.items():
        key, value = _option_value(params, name, option)
        if value is None:
            continue
        where, owner = path + key, top or name
        if option.get("type") == "list" and option.get("elements") == "dict":
            try:
                items = check_type_list(value)
            except TypeError:
                continue  # not a list at all: ansible-core's own message names the option
            bad = []
            for index, item in enumerate(items):
                try:
                    item = check_type_dict(item)
                except TypeError:
                    bad.append((index, item))
                    continue
                problems.extend(dict_element_problems(option.get("options") or {}, item,
                                                      "%s[%d]." % (where, index), owner))
            hidden = _hides_values(option)
            if bad and not isinstance(value, list):  # ansible-core made the list (a string split at commas)
                problems.append((owner, "%s: expected a list of dicts, got %s" % (where, describe_value(value, hidden))))
            else:
                problems.extend((owner, "%s[%d]: expected a dict, got %s" % (where, index, describe_value(item, hidden)))
                                for index, item in bad)
        elif option.get("type") == "dict" and option.get("options"):
            try:
                value = check_type_dict(value)
            except TypeError:
                continue  # ansible-core's own message names the option
            problems.extend(dict_element_problems(option["options"], value, where + ".", owner))
    return problems


def _relaxed(argument_spec, options):
    """The spec with these top-level options taken as they come (so that validation reaches our message)."""
    spec = dict(argument_spec)
    for name in options:
        spec[name] = dict((key, value) for key, value in spec[name].items()
                          if key in ("aliases", "no_log", "required", "default", "fallback"))
        spec[name]["type"] = "raw"
    return spec


# The API generations a module speaks unless it says otherwise (RioModule's ``api_versions``).
V1_ONLY = ("v1",)


def calling_module_name(depth=2):
    """The FQCN of the module file whose code called (``depth`` frames up), for messages naming the module.

    Modules build their RioModule in their own main(), which runs under the module's import name in a
    module process (AnsiballZ runs it with runpy) and in the controller's worker alike."""
    frame_globals = sys._getframe(depth).f_globals
    name = getattr(frame_globals.get("__spec__"), "name", None) or frame_globals.get("__name__", "")
    parts = name.split(".")
    if len(parts) == 6 and parts[0] == "ansible_collections" and parts[3:5] == ["plugins", "modules"]:
        return ".".join(parts[1:3] + parts[5:])
    return parts[-1]


class RioModule:
    """What every module shares: the connection options, one API client per run, errors to fail_json.

    It drives an AnsibleModule in a module process, or a DirectModule with the same interface when
    the module runs in the controller's worker (direct execution). That object stays private
    (``_module``): module code uses only RioModule's methods, so that whatever it does works the
    same both ways (tests/unit/plugins/module_utils/module/test_rio_module.py checks the modules)."""

    def __init__(self, argument_spec, direct=None, api_versions=V1_ONLY, **kwargs):
        """``direct``: a DirectCall when an action plugin runs the module in the controller's worker
        (see direct.py); otherwise the module is a module process and talks to an AnsibleModule.
        ``api_versions``: the API generations the module speaks, the first its default; another
        ``api_version`` fails the task before any request (a module widens it when it learns v2)."""
        self._name = calling_module_name()
        spec = connection_argument_spec()
        spec["api_version"]["default"] = api_versions[0]
        spec.update(argument_spec)
        kwargs.setdefault("supports_check_mode", True)
        # Before ansible-core's validation, whose message for a list element of the wrong type names
        # neither the option nor the value (see dict_element_problems). The raw arguments are read the
        # way AnsibleModule reads them (looked up at call time, so that tools replacing it still can).
        raw = direct.raw_params if direct else basic._load_params()
        problems = dict_element_problems(spec, raw) if isinstance(raw, dict) else []
        if problems:
            spec = _relaxed(spec, set(option for option, _message in problems))
        if direct:
            self._module = DirectModule(spec, direct, **kwargs)
        else:
            self._module = AnsibleModule(argument_spec=spec, **kwargs)
        if problems:
            self._module.fail_json(msg="; ".join(message for _option, message in problems))
        self.params = self._module.params
        self._client = self._api = self._v2_api = None
        if self.api_version not in api_versions:
            self._module.fail_json(msg=self.unspoken_version_message(api_versions))
        out_of_range_values = out_of_range(self.params.get, names=self.params)
        if out_of_range_values:
            self._module.fail_json(msg="; ".join(out_of_range_values))
        if not HAS_REQUESTS:
            self._module.fail_json(msg=missing_required_lib("requests"), exception=str(REQUESTS_IMPORT_ERROR))

    @property
    def check_mode(self):
        return self._module.check_mode

    @property
    def diff_mode(self):
        return self._module._diff

    @property
    def module_name(self):
        """The module's FQCN, for messages."""
        return self._name

    @property
    def api_version(self):
        """The API generation this task speaks (the api_version option, default v1)."""
        return self.params.get("api_version") or V1_ONLY[0]

    def unspoken_version_message(self, api_versions):
        """Why the task stops: the generation asked for, the module, what it speaks and where to change it."""
        return ("api_version=%s: %s does not speak the %s API%s (it speaks %s); set api_version: %s on this task, "
                "or change the module_defaults or the RIO_API_VERSION environment variable that gave %s"
                % (self.api_version, self._name, self.api_version, " yet" if self.api_version == "v2" else "",
                   " and ".join(api_versions), api_versions[0], self.api_version))

    @property
    def client(self):
        """The run's one RioClient (built on first use; a connection setting that cannot be used fails the task)."""
        if self._client is None:
            try:
                self._client = RioClient(**client_kwargs(self.params.get))
            except RioError as exc:
                self._module.fail_json(msg="Cannot connect to rapyuta.io: %s" % exc)
        return self._client

    @property
    def api(self):
        """The v1 calls (and the devices, which v2 reads through the v1 device manager too)."""
        if self._api is None:
            self._api = RioApi(self.client, cache=self._v2_api.cache if self._v2_api else None)
        return self._api

    @property
    def v2_api(self):
        """The v2 calls, on the same client and the same cache of reads as ``api``."""
        if self._v2_api is None:
            self._v2_api = RioV2Api(self.client, cache=self._api.cache if self._api else LookupCache())
        return self._v2_api

    def request_stats(self):
        return dict(self._client.stats) if self._client else {"requests": 0, "retries": 0, "by_method": {}}

    def warn(self, msg):
        self._module.warn(msg)

    def fail(self, msg, **extra):
        self._module.fail_json(msg=msg, **extra)

    def run(self, action, work, *args, **kwargs):
        """``work(*args, **kwargs)``'s return value; any failure ends the module as
        fail_from_error does ("<action>: <cause>")."""
        try:
            return work(*args, **kwargs)
        except Exception as exc:  # every failure, expected or not
            self.fail_from_error(exc, action)
            raise  # not reached: fail_from_error ends the module

    def fail_from_error(self, exc, action, **extra):
        """Turn any exception into fail_json: '<action>: <cause>' plus structured keys."""
        details = dict(extra)
        if isinstance(exc, RioApiError):
            details.update(status=exc.status, method=exc.method, path=exc.path, body=exc.body)
            cause = explain_error(exc)
        elif isinstance(exc, RioConnectionError):
            details.update(method=exc.method, path=exc.path)
            cause = explain_error(exc)
        elif isinstance(exc, (DeploymentFailed, WaitTimeout)):
            details.update(duration=round(exc.duration or 0, 2))
            cause = str(exc)
        elif isinstance(exc, RioError):
            cause = str(exc)
        else:
            details["exception"] = traceback.format_exc()
            cause = "unexpected %s: %s" % (type(exc).__name__, exc)
        self._module.fail_json(msg="%s: %s" % (action, cause), **details)

    def exit(self, changed, before=None, after=None, **result):
        if self.diff_mode and (before is not None or after is not None):
            result["diff"] = {"before": before if before is not None else {},
                              "after": after if after is not None else {}}
        self._module.exit_json(changed=changed, **result)
