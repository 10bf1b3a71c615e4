# Copyright: (c) 2026, rapyuta.rio contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""Device filters and conversion, and the requests collect_devices makes against a real local HTTP server."""

import pytest

from http_server import Reply

from ansible_collections.rapyuta.rio.plugins.module_utils.v1.api import RioApi
from ansible_collections.rapyuta.rio.plugins.module_utils.transport.client import RioClient, RioError
from ansible_collections.rapyuta.rio.plugins.module_utils.devices.device import (
    arch_from_config,
    collect_devices,
    device_runtimes,
    interface_names,
    key_value_dict,
    matches,
    normalize_device,
    selection_query,
)

DM = "/api/device-manager/v0"


def dev(name, uuid, status="ONLINE", labels=None, config=None):
    device = {"uuid": uuid, "name": name, "status": status, "description": "",
              "labels": [{"id": i, "key": k, "value": v} for i, (k, v) in enumerate(sorted((labels or {}).items()))]}
    if config is not None:
        device["config_variables"] = [{"id": i, "key": k, "value": v, "type": "string"}
                                      for i, (k, v) in enumerate(sorted(config.items()))]
    return device


def envelope(data):
    return Reply(200, {"status": "success", "response": {"data": data}})


FLEET = [
    dev("robot-a", "u-a", labels={"site": "alpha"}, config={"runtime_docker": "True", "ros_distro": "melodic"}),
    dev("robot-b", "u-b", labels={"site": "beta"}, config={"runtime": "preinstalled", "ros_distro": "noetic"}),
    dev("robot-off", "u-off", status="OFFLINE", labels={"site": "alpha"}, config={"runtime_docker": "True"}),
]


@pytest.mark.parametrize("filters, expected", [
    ({}, ["robot-a", "robot-b", "robot-off"]),
    ({"name": "robot-b"}, ["robot-b"]),
    ({"uuid": "u-off"}, ["robot-off"]),
    ({"statuses": ["ONLINE"]}, ["robot-a", "robot-b"]),
    ({"statuses": ["offline"]}, ["robot-off"]),
    ({"online_only": True}, ["robot-a", "robot-b"]),
    ({"online_only": True, "statuses": ["OFFLINE"]}, []),
    ({"labels": {"site": "alpha"}}, ["robot-a", "robot-off"]),
    ({"labels": {"site": "alpha"}, "statuses": ["ONLINE"]}, ["robot-a"]),
    ({"labels": {"site": "gamma"}}, []),
    ({"name_pattern": "^robot-[ab]$"}, ["robot-a", "robot-b"]),
])
def test_filters(filters, expected):
    assert [d["name"] for d in FLEET if matches(d, filters)] == expected


def test_conversion_of_labels_config_and_runtimes():
    device = normalize_device(FLEET[0])
    assert device["labels"] == {"site": "alpha"}
    assert device["config_variables"] == {"runtime_docker": "True", "ros_distro": "melodic"}
    assert device["runtime"] == "dockercompose" and device["runtimes"] == ["dockercompose"]
    assert device["ros_distro"] == "melodic" and device["architecture"] is None
    assert "ip_interfaces" not in device
    assert device_runtimes({"runtime_docker": "True", "runtime_preinstalled": "True"}) == ["dockercompose", "preinstalled"]
    assert device_runtimes({}) == []
    assert key_value_dict({"a": 1}) == {"a": 1}


def test_architecture_from_a_config_variable():
    assert arch_from_config({"arch": "aarch64"}) == "arm64v8"
    assert arch_from_config({"architecture": "amd64"}) == "amd64"
    assert arch_from_config({}) is None


def test_selection_query_is_the_sdk_form():
    assert selection_query("amd64") == {"operator": "$or", "specs": {"operator": "$or", "args": [
        {"operator": "$eq", "args": ["cpuarch", "x86_64"]}, {"operator": "$eq", "args": ["cpuarch", "amd64"]}]}}
    assert selection_query("arm32v7")["specs"]["args"] == [{"operator": "$in", "args": ["cpuarch", "armv7"]}]


def api_for(server):
    return RioApi(RioClient("t", project="p", catalog_host=server.url, core_api_host=server.url, retries=0))


def test_one_list_request_when_it_carries_config_variables(rio_server):
    rio_server.script("GET", DM + "/devices/", envelope(FLEET))
    devices = collect_devices(api_for(rio_server), {"statuses": ["ONLINE"]})
    assert [d["name"] for d in devices] == ["robot-a", "robot-b"]
    assert len(rio_server.requests) == 1
    assert rio_server.requests[0].headers.get("project") == "p"


def test_config_variables_are_read_only_for_kept_devices_lacking_them(rio_server):
    bare = [dev("robot-a", "u-a"), dev("robot-off", "u-off", status="OFFLINE")]
    rio_server.script("GET", DM + "/devices/", envelope(bare))
    rio_server.script("GET", DM + "/config_variables/device/u-a",
                      envelope([{"id": 1, "key": "ros_distro", "value": "kinetic"}]))
    devices = collect_devices(api_for(rio_server), {"online_only": True})
    assert devices[0]["ros_distro"] == "kinetic"
    assert [r.path for r in rio_server.requests] == [DM + "/devices/", DM + "/config_variables/device/u-a"]


def test_architectures_take_one_query_each_and_fall_back_on_config(rio_server):
    fleet = FLEET + [dev("robot-off-arm", "u-x", status="OFFLINE", config={"arch": "armv7"})]
    rio_server.script("GET", DM + "/devices/", envelope(fleet))

    def select(request):
        args = request.json["specs"]["args"]
        value = args[0]["args"][1]
        return envelope({"x86_64": [{"uuid": "u-a"}], "aarch64": [{"uuid": "u-b"}]}.get(value, []))

    rio_server.script("POST", DM + "/selection/query/", select)
    devices = dict((d["name"], d) for d in collect_devices(api_for(rio_server), {}, architecture=True))
    assert devices["robot-a"]["architecture"] == "amd64"
    assert devices["robot-b"]["architecture"] == "arm64v8"
    assert devices["robot-off"]["architecture"] is None
    assert devices["robot-off-arm"]["architecture"] == "arm32v7"
    assert len(rio_server.calls("POST")) == 3


def test_an_unavailable_selection_api_is_a_warning(rio_server):
    rio_server.script("GET", DM + "/devices/", envelope(FLEET))
    rio_server.script("POST", DM + "/selection/query/", Reply(404, {"status": "error", "response": {"error": "no"}}))
    warnings = []
    devices = collect_devices(api_for(rio_server), {}, architecture=True, warn=warnings.append)
    assert len(devices) == 3 and "selection query failed" in warnings[0]


def test_no_selection_query_without_online_devices(rio_server):
    rio_server.script("GET", DM + "/devices/", envelope(FLEET))
    collect_devices(api_for(rio_server), {"statuses": ["OFFLINE"]}, architecture=True)
    assert rio_server.calls("POST") == []


def test_details_read_each_device_in_full(rio_server):
    rio_server.script("GET", DM + "/devices/", envelope(FLEET[:1]))
    full = dict(FLEET[0], ip_interfaces={"eth0": ["10.0.0.1"]}, host="robot-a.local")
    rio_server.script("GET", DM + "/devices/u-a", envelope(full))
    devices = collect_devices(api_for(rio_server), {}, details=True)
    assert devices[0]["ip_interfaces"] == {"eth0": ["10.0.0.1"]} and devices[0]["host"] == "robot-a.local"


def test_a_bad_name_pattern_is_an_error():
    with pytest.raises(RioError) as err:
        collect_devices(None, {"name_pattern": "("})
    assert "name_pattern" in str(err.value)


def test_interface_names_are_sorted_and_empty_when_none_reported():
    assert interface_names({"ip_interfaces": {"wlan0": ["10.0.0.2"], "eth0": ["10.0.0.1"]}}) == ["eth0", "wlan0"]
    assert interface_names({"ip_interfaces": None}) == []
    assert interface_names({}) == []
