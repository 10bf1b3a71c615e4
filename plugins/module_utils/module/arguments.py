# Copyright: (c) 2026, rapyuta.rio contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""The argument specs every module shares: connection and wait options.
FOR INTERNAL COLLECTION USE ONLY: may change in any release.

Where an argument spec lives: in the module file, unless several modules take the same options; a
shared spec (with its cross-option rules) lives in module_utils next to the logic those modules share
(here; deployments/arguments.py; resources/network.py), and its options are documented once, in a
doc fragment or in one of the modules. Documented by the ``rapyuta.rio.rio_auth`` and
``rapyuta.rio.rio_wait`` doc fragments; validate-modules keeps each spec and its docs in step.
"""

import copy

from ansible_collections.rapyuta.rio.plugins.module_utils.transport.client import API_VERSIONS
from ansible_collections.rapyuta.rio.plugins.module_utils.v1.wait import MAX_SLEEP

try:
    from ansible.module_utils.basic import env_fallback
except ImportError:  # pragma: no cover - plugins import the option names only
    env_fallback = None

CONNECTION_OPTIONS = ("api_version", "auth_token", "project", "organization", "catalog_host", "core_api_host",
                      "v2_api_host", "validate_certs", "ca_path", "timeout", "retries")

WAIT_ARGUMENT_SPEC = dict(
    wait=dict(type="bool", default=True),
    wait_timeout=dict(type="int", default=300),
    wait_sleep=dict(type="float", default=MAX_SLEEP),
)


def _env(*names):
    return (env_fallback, list(names))


def connection_argument_spec():
    return dict(
        api_version=dict(type="str", choices=list(API_VERSIONS), default="v1", fallback=_env("RIO_API_VERSION")),
        auth_token=dict(type="str", no_log=True, fallback=_env("RIO_AUTH_TOKEN")),
        project=dict(type="str", fallback=_env("RIO_PROJECT")),
        organization=dict(type="str", fallback=_env("RIO_ORGANIZATION")),
        catalog_host=dict(type="str", fallback=_env("RIO_CATALOG_HOST")),
        core_api_host=dict(type="str", fallback=_env("RIO_CORE_API_HOST")),
        v2_api_host=dict(type="str", fallback=_env("RIO_V2_API_HOST")),
        validate_certs=dict(type="bool", default=True, fallback=_env("RIO_VALIDATE_CERTS")),
        ca_path=dict(type="path", fallback=_env("RIO_CA_PATH")),
        timeout=dict(type="int", default=30),
        retries=dict(type="int", default=6),
    )


def wait_argument_spec():
    return copy.deepcopy(WAIT_ARGUMENT_SPEC)


# Numeric options and the values they take. Checked before the first request (RioModule, the
# inventory plugin): past it, a negative wait_sleep ends in time.sleep()'s ValueError and a negative
# timeout in urllib3's, naming no option, and only after the deployment was created.
VALUE_RANGES = (("timeout", "a number of seconds greater than 0", lambda value: value > 0),
                ("retries", "0 or more", lambda value: value >= 0),
                ("wait_timeout", "a number of seconds greater than 0", lambda value: value > 0),
                ("wait_sleep", "a number of seconds greater than 0", lambda value: value > 0))


def out_of_range(get_option, names=None):
    """Messages for the numeric options whose value is out of range: ``timeout: must be ..., got -5``.

    ``names``: the options the caller has (all of VALUE_RANGES by default); a missing or null value
    is left to the option's own default and type checks."""
    problems = []
    for name, wanted, accepts in VALUE_RANGES:
        if names is not None and name not in names:
            continue
        value = get_option(name)
        if isinstance(value, (int, float)) and not isinstance(value, bool) and not accepts(value):
            problems.append("%s: must be %s, got %s" % (name, wanted, value))
    return problems


def client_kwargs(get_option):
    """Keyword arguments for RioClient from any option source (module params or plugin options)."""
    return dict((name, get_option(name)) for name in CONNECTION_OPTIONS)
