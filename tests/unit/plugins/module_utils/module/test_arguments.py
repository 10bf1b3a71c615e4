# Copyright: (c) 2026, rapyuta.rio contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""The argument specs every module shares: connection and wait options."""

from ansible.module_utils.basic import env_fallback

from ansible_collections.rapyuta.rio.plugins.module_utils.module.arguments import (
    CONNECTION_OPTIONS,
    client_kwargs,
    connection_argument_spec,
    wait_argument_spec,
)


def test_the_connection_spec_has_exactly_the_options_the_client_takes():
    assert tuple(connection_argument_spec()) == CONNECTION_OPTIONS


def test_the_token_is_no_log_and_each_option_without_a_default_falls_back_to_its_environment_variable():
    spec = connection_argument_spec()
    assert spec["auth_token"]["no_log"] is True
    assert [name for name, option in spec.items() if option.get("no_log")] == ["auth_token"]
    fallbacks = dict((name, option["fallback"]) for name, option in spec.items() if "fallback" in option)
    assert all(function is env_fallback for function, _names in fallbacks.values())
    assert fallbacks["auth_token"][1] == ["RIO_AUTH_TOKEN"] and fallbacks["ca_path"][1] == ["RIO_CA_PATH"]


def test_each_call_gives_a_spec_of_its_own():
    first, second = wait_argument_spec(), wait_argument_spec()
    first["wait"]["default"] = False
    assert second["wait"]["default"] is True
    assert set(second) == {"wait", "wait_timeout", "wait_sleep"}


def test_client_kwargs_reads_only_the_connection_options():
    options = dict((name, "value-of-" + name) for name in CONNECTION_OPTIONS)
    options["name"] = "not a connection option"
    assert client_kwargs(options.get) == dict((name, "value-of-" + name) for name in CONNECTION_OPTIONS)


def test_api_version_is_v1_or_v2_by_default_v1_from_rio_api_version():
    spec = connection_argument_spec()
    assert spec["api_version"]["choices"] == ["v1", "v2"] and spec["api_version"]["default"] == "v1"
    assert spec["api_version"]["fallback"][1] == ["RIO_API_VERSION"]
    assert spec["v2_api_host"]["fallback"][1] == ["RIO_V2_API_HOST"] and "default" not in spec["v2_api_host"]
