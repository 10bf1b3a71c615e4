# Copyright: (c) 2026, rapyuta.rio contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

import os

import pytest
import yaml

from ansible_collections.rapyuta.rio.plugins.plugin_utils.fleet import (
    HEADER, ROBOT_DEFAULTS, FleetError, fleet_items, fleet_records, fleet_table, robot_item, robot_record,
    without_lines,
)

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "..")


def test_defaults_are_the_robot_deployment_roles():
    with open(os.path.join(ROOT, "roles", "robot_deployment", "defaults", "main.yml")) as handle:
        role_defaults = yaml.safe_load(handle)
    for key, value in ROBOT_DEFAULTS.items():
        assert role_defaults[key] == value, key
    # The two computed defaults: the name from the package and the robot, the device from rio_uuid.
    assert "inventory_hostname" in role_defaults["robot_deployment_name"]
    assert "rio_uuid" in role_defaults["robot_deployment_device"]


def test_item_from_minimal_host_variables_takes_the_role_defaults():
    item = robot_item("amr-1", {"robot_deployment_package_name": "talker", "rio_uuid": "uuid-1"})
    assert item == {
        "name": "talker-amr-1", "package_name": "talker", "package_version": "v1.0.0",
        "components": [{"name": "default", "device": "uuid-1", "parameters": {}}],
        "labels": {}, "depends_on": [], "routed_networks": [], "native_networks": [], "on_change": "fail",
    }


def test_item_without_rio_uuid_uses_the_host_name_as_device():
    assert robot_item("amr-1", {"robot_deployment_package_name": "p"})["components"][0]["device"] == "amr-1"


def test_item_with_every_setting():
    variables = {
        "robot_deployment_package_name": "talker-arm64v8", "robot_deployment_package_version": "v2",
        "robot_deployment_name": "talker-north", "robot_deployment_device": "amr-dev", "rio_uuid": "ignored",
        "robot_deployment_plan": "fast", "robot_deployment_component": "talker",
        "robot_deployment_parameters": {"RATE": "10"}, "robot_deployment_restart_policy": "always",
        "robot_deployment_component_options": {"alias": "north", "name": "overridden"},
        "robot_deployment_labels": {"site": "north"}, "robot_deployment_depends_on": ["monitor"],
        "robot_deployment_routed_networks": [{"name": "net"}], "robot_deployment_native_networks": [],
        "robot_deployment_on_change": "recreate",
    }
    item = robot_item("amr-1", variables)
    assert item["name"] == "talker-north"
    assert item["plan"] == "fast"
    # The role's own keys win over component_options, as in the role's combine().
    assert item["components"] == [{"alias": "north", "name": "talker", "device": "amr-dev",
                                   "parameters": {"RATE": "10"}, "restart_policy": "always"}]
    assert (item["labels"], item["depends_on"], item["on_change"]) == ({"site": "north"}, ["monitor"], "recreate")


def test_fleet_items_name_every_robot_without_a_package():
    hostvars = {"a": {"robot_deployment_package_name": "p"}, "b": {}, "c": {"robot_deployment_package_name": ""}}
    with pytest.raises(FleetError) as caught:
        fleet_items(["a", "b", "c"], hostvars)
    assert "robot b: robot_deployment_package_name is not set" in str(caught.value)
    assert "robot c:" in str(caught.value)
    assert "robot a" not in str(caught.value)


def test_fleet_items_keep_the_robots_order():
    hostvars = dict((name, {"robot_deployment_package_name": "p"}) for name in ("z", "a", "m"))
    assert [item["name"] for item in fleet_items(["z", "a", "m"], hostvars)] == ["p-z", "p-a", "p-m"]


ITEM = {"name": "talker-amr-1", "package_name": "talker", "package_version": "v1"}


def test_record_of_a_running_deployment():
    result = {"name": "talker-amr-1", "changed": True, "failed": False, "msg": "",
              "deployment": {"deployment_id": "dep-1", "phase": "Succeeded", "status": "Running",
                             "error_explanations": []}}
    record = robot_record("amr-1", ITEM, result)
    assert record == {
        "robot": "amr-1", "deployment": "talker-amr-1", "deployment_id": "dep-1", "package": "talker v1",
        "phase": "Succeeded", "status": "Running", "errors": [], "changed": True, "failed": False, "msg": "",
        "line": record["line"],
    }
    assert record["line"].split() == ["amr-1", "talker-amr-1", "Succeeded", "Running"]


def test_record_of_a_failed_deployment_shows_the_decoded_errors():
    result = {"failed": True, "changed": True, "msg": "talker-amr-1 failed",
              "deployment": {"deployment_id": "dep-1", "phase": "Failed to start", "status": "Error",
                             "error_explanations": ["DEP_E153: image not found"]}}
    record = robot_record("amr-1", ITEM, result)
    assert (record["failed"], record["changed"], record["msg"]) == (True, True, "talker-amr-1 failed")
    assert record["line"].endswith("DEP_E153: image not found")


def test_record_of_a_refused_input_shows_the_message():
    record = robot_record("amr-1", ITEM, {"failed": True, "msg": "components[0].device: no device 'x'"})
    assert record["phase"] == "not provisioned" and record["status"] == "-"
    assert record["line"].endswith("components[0].device: no device 'x'")


def test_record_without_a_result_is_a_failure():
    record = robot_record("amr-1", ITEM, None)
    assert record["failed"] and record["msg"] == "no result for this robot"


def test_unresolved_names_in_check_mode_are_a_change_not_a_failure():
    result = {"failed": True, "msg": "Failed to resolve deployment talker-amr-1: no package talker v1"}
    record = robot_record("amr-1", ITEM, result, check_mode=True)
    assert (record["phase"], record["changed"], record["failed"]) == ("would provision", True, False)
    assert record["line"].endswith("check mode, not created yet: no package talker v1")
    # Outside check mode the same message is a failure.
    assert robot_record("amr-1", ITEM, result)["failed"]


def test_records_pair_results_with_robots_by_deployment_name():
    items = [dict(ITEM, name="d-a"), dict(ITEM, name="d-b")]
    results = [{"name": "d-b", "changed": False, "failed": False, "deployment": {"phase": "Succeeded"}}]
    records = fleet_records(["a", "b"], items, results)
    assert [(r["robot"], r["deployment"], r["failed"]) for r in records] == [("a", "d-a", True), ("b", "d-b", False)]
    table = fleet_table(records)
    assert table[0] == HEADER and len(table) == 3
    assert all("line" not in record for record in without_lines(records))
    assert "line" in records[0]
