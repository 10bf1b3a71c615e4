# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rapyuta.rio contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""RioModule: the only place modules meet Ansible plumbing. FOR INTERNAL COLLECTION USE ONLY: may change in any release."""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import traceback

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

from ansible_collections.rapyuta.rio.plugins.module_utils._client import (
    HAS_REQUESTS,
    REQUESTS_IMPORT_ERROR,
    RioApiError,
    RioClient,
    RioConnectionError,
    RioError,
    explain_error,
)
from ansible_collections.rapyuta.rio.plugins.module_utils._api import RioApi
from ansible_collections.rapyuta.rio.plugins.module_utils._common_args import (
    client_kwargs,
    connection_argument_spec,
)
from ansible_collections.rapyuta.rio.plugins.module_utils._wait import DeploymentFailed, WaitTimeout


class RioModule(object):
    """A thin wrapper over AnsibleModule: connection options, one API per run, errors to fail_json."""

    def __init__(self, argument_spec, **kwargs):
        spec = connection_argument_spec()
        spec.update(argument_spec)
        kwargs.setdefault("supports_check_mode", True)
        self.module = AnsibleModule(argument_spec=spec, **kwargs)
        self.params = self.module.params
        self._api = None
        if not HAS_REQUESTS:
            self.module.fail_json(msg=missing_required_lib("requests"), exception=str(REQUESTS_IMPORT_ERROR))

    @property
    def check_mode(self):
        return self.module.check_mode

    @property
    def diff_mode(self):
        return self.module._diff

    @property
    def api(self):
        if self._api is None:
            try:
                client = RioClient(**client_kwargs(self.params.get))
            except RioError as exc:
                self.module.fail_json(msg="Cannot connect to rapyuta.io: %s" % exc)
            self._api = RioApi(client)
        return self._api

    def request_stats(self):
        return dict(self._api.client.stats) if self._api else {"requests": 0, "retries": 0, "by_method": {}}

    def warn(self, msg):
        self.module.warn(msg)

    def fail(self, msg, **extra):
        self.module.fail_json(msg=msg, **extra)

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
        self.module.fail_json(msg="%s: %s" % (action, cause), **details)

    def exit(self, changed, before=None, after=None, **result):
        if self.diff_mode and (before is not None or after is not None):
            result["diff"] = {"before": before if before is not None else {},
                              "after": after if after is not None else {}}
        self.module.exit_json(changed=changed, **result)
