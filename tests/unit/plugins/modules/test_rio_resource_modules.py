# Copyright: (c) 2026, rapyuta.rio contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""The five modules end to end through main(): argument specs, and the module glue against a local HTTP server."""

import json

import pytest

from http_server import Reply

from ansible_collections.rapyuta.rio.plugins.modules import (
    rio_device_info,
    rio_native_network,
    rio_routed_network,
    rio_static_route,
    rio_volume,
)

DM = "/api/device-manager/v0"


def run_main(module, patch_module_args, capsys, args, host="http://127.0.0.1:9"):
    base = {"auth_token": "unit-test-token", "project": "p", "catalog_host": host, "core_api_host": host, "retries": 0}
    base.update(args)
    with patch_module_args(base), pytest.raises(SystemExit):
        module.main()
    return json.loads(capsys.readouterr().out)


@pytest.mark.parametrize("module, args, expected", [
    (rio_volume, {"name": "v"}, "state is present but all of the following are missing: capacity"),
    (rio_volume, {"name": "v", "capacity": 5}, "capacity must be one of: 4, 8, 16, 32, 64, 128, 256, 512"),
    (rio_volume, {"name": "v", "capacity": 4, "disk_type": "hdd"}, "disk_type must be one of: ssd"),
    (rio_routed_network, {"name": "n", "network_interface": "eth0"}, "missing parameter(s) required by 'network_interface': device"),
    (rio_routed_network, {"name": "n", "ros_distro": "humble"}, "ros_distro must be one of: kinetic, melodic, noetic"),
    (rio_native_network, {"name": "n", "limits": {"cpu": 1}}, "missing required arguments: memory"),
    (rio_native_network, {"name": "n", "shared": True}, "Unsupported parameters"),
    (rio_routed_network, {"name": "n", "restart_policy": "sometimes"}, "restart_policy must be one of: always, never, on_failure"),
    (rio_device_info, {"status": ["AWAKE"]}, "status must be one or more of"),
])
def test_argument_specs_refuse(patch_module_args, capsys, module, args, expected):
    result = run_main(module, patch_module_args, capsys, args)
    assert result["failed"] is True
    assert expected in result["msg"], result["msg"]


def test_a_bad_route_name_fails_without_a_write(rio_server, patch_module_args, capsys):
    rio_server.script("GET", "/api/staticroute/list", Reply(200, []))
    result = run_main(rio_static_route, patch_module_args, capsys, {"name": "Bad_Name"}, rio_server.url)
    assert result["failed"] and result["field"] == "name"
    assert result["msg"].startswith("Failed to ensure static route 'Bad_Name' is present: static route name 'Bad_Name' must")
    assert [r.method for r in rio_server.requests] == ["GET"]


def test_static_route_create_with_diff(rio_server, patch_module_args, capsys):
    route = {"guid": "staticroute-a", "urlPrefix": "dash-prod", "urlString": ""}
    rio_server.script("GET", "/api/staticroute/list", Reply(200, []))
    rio_server.script("POST", "/api/staticroute/create", Reply(200, route))
    rio_server.script("GET", "/api/staticroute/staticroute-a/get", Reply(200, dict(route, urlString="dash-prod-p.ep-r.io")))
    result = run_main(rio_static_route, patch_module_args, capsys, {"name": "dash-prod", "_ansible_diff": True}, rio_server.url)
    assert result["changed"] is True and result["action"] == "create"
    assert result["static_route"]["url"] == "https://dash-prod-p.ep-r.io"
    assert result["diff"] == {"before": {}, "after": {"name": "dash-prod"}}
    assert rio_server.calls("POST")[0].json == {"urlPrefix": "dash-prod"}


def test_volume_check_mode_makes_no_write(rio_server, patch_module_args, capsys):
    rio_server.script("GET", "/disk", Reply(200, []))
    result = run_main(rio_volume, patch_module_args, capsys, {"name": "db", "capacity": 8, "_ansible_check_mode": True},
                      rio_server.url)
    assert result["changed"] is True and result["volume"]["guid"] is None
    assert [r.method for r in rio_server.requests] == ["GET"]


def test_volume_in_use_fails_naming_the_deployment(rio_server, patch_module_args, capsys):
    disk = {"guid": "disk-a", "name": "db", "capacity": 8, "diskType": "ssd", "status": "Bound",
            "usedBy": "dep-x", "usedByDeploymentName": "database"}
    rio_server.script("GET", "/disk", Reply(200, [disk]))
    rio_server.script("GET", "/disk/disk-a", Reply(200, disk))
    result = run_main(rio_volume, patch_module_args, capsys, {"name": "db", "state": "absent"}, rio_server.url)
    assert result["failed"]
    assert "volume 'db' (disk-a) is in use by deployment 'database' (dep-x)" in result["msg"]
    assert rio_server.calls("DELETE") == []


def test_api_errors_name_the_resource(rio_server, patch_module_args, capsys):
    rio_server.script("GET", "/routednetwork", Reply(200, []))
    rio_server.script("POST", "/routednetwork", Reply(400, {"error": "invalid ros distro"}))
    result = run_main(rio_routed_network, patch_module_args, capsys, {"name": "n1", "wait": False}, rio_server.url)
    assert result["failed"] and result["status"] == 400
    assert result["msg"] == "Failed to ensure routed network 'n1' is present: HTTP 400: invalid ros distro"


def test_device_info_returns_dicts(rio_server, patch_module_args, capsys):
    devices = [{"uuid": "u-a", "name": "robot-a", "status": "ONLINE", "labels": [{"id": 1, "key": "site", "value": "alpha"}],
                "config_variables": [{"id": 1, "key": "ros_distro", "value": "melodic"}]},
               {"uuid": "u-b", "name": "robot-b", "status": "OFFLINE", "labels": [], "config_variables": []}]
    rio_server.script("GET", DM + "/devices/", Reply(200, {"status": "success", "response": {"data": devices}}))
    result = run_main(rio_device_info, patch_module_args, capsys, {"online_only": True}, rio_server.url)
    assert result["changed"] is False
    assert [d["name"] for d in result["devices"]] == ["robot-a"]
    assert result["devices"][0]["labels"] == {"site": "alpha"}
    assert result["devices"][0]["ros_distro"] == "melodic"
