# Copyright: (c) 2026, rapyuta.rio contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""rio_resource_info's filters: what goes to the API and what is checked again on what comes back."""

import pytest

from v2_fakes import FakeV2Api, deployment, disk, network, package

from ansible_collections.rapyuta.rio.plugins.module_utils.v2.info import InfoInputError, query, resource_infos


@pytest.fixture
def api():
    api = FakeV2Api()
    api.seed(package())
    api.seed(package(version="v2.0.0"))
    api.seed(package(name="talker-web", version="v1.0.0"))
    api.seed(deployment(name="a", device="robot-1"))
    api.seed(dict(deployment(name="b", device="robot-2", version="v2.0.0"),
                  metadata={"name": "b", "labels": {"team": "nav"},
                            "depends": {"kind": "package", "nameOrGUID": "talker", "version": "v2.0.0"}}))
    api.seed(deployment(name="gone"))
    api.delete("Deployment", "gone")
    api.seed(network(), phase=("FailedToStart", "Error"))
    device_network = {"type": "routed", "rosDistro": "noetic", "runtime": "device",
                      "depends": {"kind": "Device", "nameOrGUID": "robot-1"}}
    api.seed(dict(network(name="robot-net"), spec=device_network))
    api.seed(disk(labels={"team": "nav"}))
    api.seed(disk(name="scratch"))
    api.calls = []
    return api


def names(objects):
    return [obj["metadata"]["name"] + ("@" + obj["metadata"]["version"] if obj["metadata"].get("version") else "")
            for obj in objects]


@pytest.mark.parametrize("kind, filters, expected", [
    ("Package", {}, ["talker@v1.0.0", "talker@v2.0.0", "talker-web@v1.0.0"]),
    ("Package", {"name": "talker"}, ["talker@v1.0.0", "talker@v2.0.0"]),  # an exact name, however the API matches
    ("Package", {"name": "talker", "version": "v2.0.0"}, ["talker@v2.0.0"]),
    ("Package", {"name": "nothing", "version": "v1"}, []),
    ("Deployment", {}, ["a", "b"]),  # a deleted incarnation only on request
    ("Deployment", {"phases": ["Stopped"]}, ["gone"]),
    ("Deployment", {"labels": {"team": "nav"}}, ["b"]),
    ("Deployment", {"device_name": "robot-1"}, ["a"]),
    ("Deployment", {"package_name": "talker", "package_version": "v2.0.0"}, ["b"]),
    ("Deployment", {"name": "a"}, ["a"]),
    ("Network", {"phases": ["FailedToStart"]}, ["net"]),
    ("Network", {"device_name": "robot-1"}, ["robot-net"]),
    ("Disk", {"labels": {"team": "nav"}}, ["logs"]),
    ("Disk", {"name": "scratch"}, ["scratch"]),
    ("Disk", {"name": "nothing"}, []),
])
def test_filters(api, kind, filters, expected):
    assert names(resource_infos(api, kind, filters)) == expected


def test_a_name_of_a_kind_addressed_by_name_is_one_read(api):
    resource_infos(api, "Disk", {"name": "logs"})
    assert api.calls == [("get", "Disk", "logs", None)]


def test_the_query_uses_the_apis_names():
    assert query("Deployment", {"labels": {"b": "2", "a": 1}, "name": "x", "device_name": "r", "package_name": "p",
                                "package_version": "v"}) == {
        "labelSelector": ["a=1", "b=2"], "name": "x", "deviceName": "r", "packageName": "p", "packageVersion": "v",
        "phases": ["InProgress", "Provisioning", "Succeeded", "FailedToStart", "FailedToUpdate"]}
    assert query("Network", {"phases": ["Succeeded"], "device_name": "r", "name": "n"}) == {
        "phases": ["Succeeded"], "deviceName": "r", "names": "n"}
    assert query("Secret", {}) == {}


def test_a_filter_of_another_kind_is_refused():
    with pytest.raises(InfoInputError) as refused:
        resource_infos(FakeV2Api(), "Secret", {"version": "v1", "device_name": "r"})
    assert str(refused.value) == ("version, device_name: not a filter of kind Secret; it applies to version (Package); "
                                  "device_name (Deployment, Network)")
