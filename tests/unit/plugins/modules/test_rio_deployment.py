# Copyright: (c) 2026, rapyuta.rio contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""rio_deployment's argument spec: what Ansible itself refuses before any request is made."""

import json

import pytest

from ansible_collections.rapyuta.rio.plugins.modules import rio_deployment


def run_main(patch_module_args, capsys, args):
    base = {"auth_token": "unit-test-token", "project": "p", "catalog_host": "http://127.0.0.1:9", "core_api_host": "http://127.0.0.1:9"}
    base.update(args)
    with patch_module_args(base), pytest.raises(SystemExit):
        rio_deployment.main()
    return json.loads(capsys.readouterr().out)


@pytest.mark.parametrize("args, expected", [
    ({"name": "d"}, "state is present but any of the following are missing: package_id, package_name"),
    ({"name": "d", "package_id": "pkg-a", "package_name": "a", "package_version": "v1"},
     "parameters are mutually exclusive: package_id|package_name"),
    ({"name": "d", "package_name": "a"}, "parameters are required together: package_name, package_version"),
    ({"name": "d", "package_id": "pkg-a", "components": [{"device": "r"}]}, "missing required arguments: name"),
    ({"name": "d", "package_id": "pkg-a", "components": [{"name": "c", "restart_policy": "sometimes"}]},
     "restart_policy must be one of: always, never, on_failure"),
    ({"name": "d", "package_id": "pkg-a",
      "components": [{"name": "c", "volumes": [{"volume": "v", "device_volume": True, "mount_path": "/d"}]}]},
     "parameters are mutually exclusive: volume|device_volume"),
    ({"name": "d", "package_id": "pkg-a", "components": [{"name": "c", "volumes": [{"volume": "v"}]}]},
     "one of the following is required: mount_path, executable_mounts"),
    ({"name": "d", "package_id": "pkg-a",
      "components": [{"name": "c", "rosbag_jobs": [{"name": "j", "record_options": {"max_splits": 2}}]}]},
     "one of the following is required: all_topics, topics, topic_include_regex, node"),
    ({"name": "d", "package_id": "pkg-a", "routed_networks": [{"network_interface": "eth0"}]},
     "missing required arguments: name"),
])
def test_argument_spec_refuses(patch_module_args, capsys, args, expected):
    result = run_main(patch_module_args, capsys, args)
    assert result["failed"] is True
    assert expected in result["msg"], result["msg"]


# -- numeric options out of range: refused before any request, naming the option and the value --------

@pytest.mark.parametrize("args, expected", [
    ({"wait_timeout": -10}, "wait_timeout: must be a number of seconds greater than 0, got -10"),
    ({"wait_timeout": 0}, "wait_timeout: must be a number of seconds greater than 0, got 0"),
    ({"wait_sleep": -1}, "wait_sleep: must be a number of seconds greater than 0, got -1.0"),
    ({"timeout": -5}, "timeout: must be a number of seconds greater than 0, got -5"),
    ({"retries": -1}, "retries: must be 0 or more, got -1"),
])
@pytest.mark.parametrize("state", ["present", "absent"])
def test_out_of_range_numbers_are_refused_before_any_request(patch_module_args, capsys, rio_server, args, expected,
                                                             state):
    args = dict(args, name="d", package_id="pkg-a", state=state, catalog_host=rio_server.url,
                core_api_host=rio_server.url)
    result = run_main(patch_module_args, capsys, args)
    assert result["failed"] is True and result["msg"] == expected
    assert rio_server.requests == []


# -- v2 ------------------------------------------------------------------------------------------------

DOCUMENT = {"kind": "Deployment", "metadata": {"depends": {"kind": "package", "nameOrGUID": "a", "version": "v1"}},
            "spec": {"runtime": "cloud"}}


@pytest.mark.parametrize("args, expected", [
    ({"definition": DOCUMENT}, "definition: a v2 Deployment document, taken with api_version v2 only"),
    ({"definition": DOCUMENT, "api_version": "v2", "plan": "default"},
     "Refused deployment d (api_version v2): definition: mutually exclusive with plan"),
    ({"package_name": "a", "package_version": "v1", "api_version": "v2", "plan": "default"},
     "Refused deployment d (api_version v2): plan: v2 packages have no plans"),
    ({"definition": DOCUMENT, "package_name": "a", "package_version": "v1", "api_version": "v2"},
     "parameters are mutually exclusive: definition|package_name"),
])
def test_v2_refusals_come_before_any_request(patch_module_args, capsys, args, expected):
    # The hosts point at a closed port: a request would fail with another message.
    result = run_main(patch_module_args, capsys, dict(args, name="d", v2_api_host="http://127.0.0.1:9"))
    assert result["failed"] is True and result.get("changed") in (None, False)
    assert expected in result["msg"], result["msg"]
