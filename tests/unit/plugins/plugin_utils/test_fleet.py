# Copyright: (c) 2026, rapyuta.rio contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

import os

import jinja2
import pytest
import yaml
from ansible import context
from ansible.errors import AnsibleUndefinedVariable
from ansible.inventory.manager import InventoryManager
from ansible.module_utils.common.collections import ImmutableDict
from ansible.parsing.dataloader import DataLoader
from ansible.vars.hostvars import HostVars
from ansible.vars.manager import VariableManager

from ansible_collections.rapyuta.rio.plugins.module_utils.deployments.v2 import summary as v2_summary
from ansible_collections.rapyuta.rio.plugins.plugin_utils.fleet import (
    HEADER, ROBOT_DEFAULTS, FleetError, aligned_rows, fleet_items, fleet_records, fleet_table, robot_item, robot_record,
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
    assert table[0].split() == list(HEADER) and len(table) == 3
    assert all("line" not in record for record in without_lines(records))
    assert "line" in records[0]


def test_table_columns_stay_aligned_with_long_names():
    running = {"changed": False, "deployment": {"phase": "Succeeded", "status": "Running"}}
    records = [robot_record("amr-1", ITEM, running),
               robot_record("a-robot-name-longer-than-twenty", dict(ITEM, name="d" * 40), running)]
    table = fleet_table(records)
    assert [line.index("Succeeded") for line in table[1:]] == [table[0].index("PHASE")] * 2
    assert [line.index("Running") for line in table[1:]] == [table[0].index("STATUS")] * 2


def test_aligned_rows_pad_every_column_but_the_last():
    lines = aligned_rows([("ROBOT", "PACKAGE", "ERRORS"), ("a", "a-very-long-package-name", ""), ("bb", None, "x")])
    assert lines == ["ROBOT PACKAGE                  ERRORS",
                     "a     a-very-long-package-name",
                     "bb                             x"]


class _Unreadable(dict):
    """Host variables whose reading raises, as ansible-core's hostvars do when templating fails."""

    def __getitem__(self, name):
        if name == "robot_deployment_package_name":
            raise AnsibleUndefinedVariable("'rio_architecture' is undefined")
        return super().__getitem__(name)


@pytest.mark.parametrize("offline_vars, reason", [
    # ansible-core 2.19+: a lazy undefined marker in the value
    ({"robot_deployment_package_name": jinja2.StrictUndefined(name="rio_architecture")}, "'rio_architecture' is undefined"),
    # ansible-core 2.18: the template text is left as it was
    ({"robot_deployment_package_name": "talker-{{ rio_architecture }}"}, "talker-{{ rio_architecture }}"),
    ({"robot_deployment_package_name": "talker", "robot_deployment_parameters": {
        "ARCH": jinja2.StrictUndefined(name="rio_architecture")}}, "'rio_architecture' is undefined"),
    (_Unreadable(), "'rio_architecture' is undefined"),
])
def test_a_robot_with_an_undefined_variable_fails_alone_and_is_named(offline_vars, reason):
    hostvars = {"amr-1": {"robot_deployment_package_name": "talker-amd64"}, "amr-2": offline_vars,
                "amr-3": {"robot_deployment_package_name": "talker-arm64v8"}}
    items = fleet_items(["amr-1", "amr-2", "amr-3"], hostvars)
    assert [item["name"] for item in items] == ["talker-amd64-amr-1", "amr-2", "talker-arm64v8-amr-3"]
    assert "fleet_error" not in items[0] and "fleet_error" not in items[2]
    assert items[1]["fleet_error"].startswith("robot amr-2: robot_deployment_")
    assert reason in items[1]["fleet_error"]
    results = [{"name": "talker-amd64-amr-1", "changed": True, "deployment": {"phase": "Succeeded"}},
               {"name": "talker-arm64v8-amr-3", "changed": False, "deployment": {"phase": "Succeeded"}}]
    records = fleet_records(["amr-1", "amr-2", "amr-3"], items, results)
    assert [record["failed"] for record in records] == [False, True, False]
    assert records[1]["msg"] == items[1]["fleet_error"]


# The same record shape from rio_deployment's v2 result (issue 20: the rio_fleet_deployments artifact on both
# generations).
V2_ITEM = {"name": "talker-amr-1", "package_name": "talker", "package_version": "v1.0.0"}
V1_RESULT = {"changed": True, "failed": False, "msg": "",
             "deployment": {"deployment_id": "dep-abc", "phase": "Succeeded", "status": "Running",
                            "error_explanations": []}}


def v2_deployment(phase, status, codes=()):
    return {"apiVersion": "api.rapyuta.io/v2", "kind": "Deployment",
            "metadata": {"name": "talker-amr-1", "guid": "dep-v2guid",
                         "depends": {"kind": "package", "nameOrGUID": "talker", "version": "v1.0.0"}},
            "spec": {"runtime": "device", "device": {"depends": {"kind": "device", "nameOrGUID": "amr-1"}}},
            "status": {"phase": phase, "status": status, "error_codes": list(codes)}}


def test_a_running_v2_deployment_gives_the_v1_record_shape():
    v1 = robot_record("amr-1", V2_ITEM, V1_RESULT)
    v2_result = {"changed": True, "failed": False, "msg": "",
                 "deployment": v2_summary(v2_deployment("Succeeded", "Running"))}
    v2 = robot_record("amr-1", V2_ITEM, v2_result)
    assert set(v2) == set(v1)
    assert (v2["deployment_id"], v2["phase"], v2["status"], v2["errors"]) == ("dep-v2guid", "Succeeded", "Running", [])
    assert v2["package"] == v1["package"] == "talker v1.0.0"


def test_a_failed_v2_deployment_records_its_decoded_error_codes():
    result = {"changed": True, "failed": True, "msg": "talker-amr-1 failed",
              "deployment": v2_summary(v2_deployment("FailedToStart", "Error", ["DEP_E151"]))}
    record = robot_record("amr-1", V2_ITEM, result)
    assert record["failed"] and record["phase"] == "FailedToStart" and record["status"] == "Error"
    assert len(record["errors"]) == 1 and record["errors"][0].startswith("DEP_E151: ")
    assert "unknown error code" not in record["errors"][0]
    assert record["line"].endswith(record["errors"][0])


def test_on_v2_the_device_is_the_robots_name_unless_set():
    variables = {"robot_deployment_package_name": "p", "rio_uuid": "uuid-1", "rio_api_version": "v2"}
    assert robot_item("amr-1", variables)["components"][0]["device"] == "amr-1"
    set_device = dict(variables, robot_deployment_device="amr-dev")
    assert robot_item("amr-1", set_device)["components"][0]["device"] == "amr-dev"
    assert robot_item("amr-1", dict(variables, rio_api_version="v1"))["components"][0]["device"] == "uuid-1"


V2_MISSING = [
    "package_name (metadata.depends): no v2 package talker version v1 in the project; nothing was written",
    "depends_on[0] (spec.depends[0]): no live deployment named 'monitor' to depend on; nothing was written",
]


def test_v2_references_missing_in_check_mode_are_a_change_not_a_failure():
    result = {"failed": True, "msg": "Failed to apply deployment talker-amr-1: " + "; ".join(V2_MISSING),
              "problems": V2_MISSING}
    record = robot_record("amr-1", V2_ITEM, result, check_mode=True)
    assert (record["phase"], record["changed"], record["failed"]) == ("would provision", True, False)
    assert robot_record("amr-1", V2_ITEM, result)["failed"]
    # Any other problem next to the missing names is a failure in check mode as well.
    refused = dict(result, problems=V2_MISSING + ["components[0].alias: v2 has no component alias; remove it"])
    assert robot_record("amr-1", V2_ITEM, refused, check_mode=True)["failed"]


# fleet_items over ansible-core's own hostvars: the same items as reading hostvars[robot] for every robot.
HOSTVARS_ROBOTS = ["robot-1", "robot-2", "robot-3", "robot-4", "robot-5"]
HOSTVARS_INVENTORY = {"all": {
    "vars": {"fleet_name": "fleet-a"},
    "children": {"robots": {
        "vars": {"robot_deployment_restart_policy": "always"},
        "children": {
            "site_north": {
                "hosts": {"robot-2": {"rio_architecture": "arm64v8", "rio_labels": {"site": "north"}, "rio_uuid": "u-2"}},
                "children": {"north_fast": {
                    "hosts": {"robot-1": {"rio_architecture": "amd64", "rio_labels": {"site": "north"}}},
                }},
            },
            "site_south": {"hosts": {
                "robot-3": {"rio_labels": {"site": "south"}},  # no architecture: its package cannot be templated
                "robot-4": {"rio_architecture": "amd64", "rio_labels": {"site": "south"},
                            "robot_deployment_parameters": {"RATE": "{{ rates[rio_labels.site] | int * 2 }}"}},
                "robot-5": {"rio_architecture": "arm64v8", "rio_labels": {"site": "south"}, "rio_api_version": "v2"},
            }},
        },
    }},
}}
HOSTVARS_GROUP_VARS = {
    "all": {
        "robot_deployment_package_name": "talker-{{ rio_architecture }}",
        "robot_deployment_package_version": "v1.0.0",
        "robot_deployment_name": "t-{{ inventory_hostname }}",
        "robot_deployment_parameters": {"ROBOT": "{{ inventory_hostname }}", "SITE": "{{ rio_labels.site }}",
                                        "RATE": "{{ rates[rio_labels.site] }}"},
        "rates": {"north": "10", "south": "5"},
        "robot_deployment_labels": {"fleet": "{{ fleet_name }}"},
        "robot_deployment_depends_on": ["{{ monitor }}"],
        "monitor": "monitor-{{ fleet_name }}",
        "robot_deployment_routed_networks": [{"name": "net"}],
    },
    "site_north": {"robot_deployment_package_version": "v2.0.0"},
    "north_fast": {"robot_deployment_package_version": "v3.0.0"},  # the deeper group wins
    "site_south": {"robot_deployment_restart_policy": "never"},
}
HOSTVARS_HOST_VARS = {"robot-2": {"robot_deployment_device": "dev-{{ rio_uuid }}"}}
HOSTVARS_EXTRA_VARS = {"robot_deployment_labels": {"fleet": "{{ fleet_name }}", "robot": "{{ inventory_hostname }}"}}


class CountingHostVars(HostVars):
    """ansible-core's hostvars, noting the robots whose variables it renders."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.rendered = []

    def __getitem__(self, key):
        self.rendered.append(key)
        return super().__getitem__(key)


@pytest.fixture
def inventory_hostvars(tmp_path, monkeypatch):
    def write(path, data):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(yaml.safe_dump(data))
        return str(path)

    write(tmp_path / "inventory" / "hosts.yml", HOSTVARS_INVENTORY)
    for group, data in HOSTVARS_GROUP_VARS.items():
        write(tmp_path / "inventory" / "group_vars" / ("%s.yml" % group), data)
    for host, data in HOSTVARS_HOST_VARS.items():
        write(tmp_path / "inventory" / "host_vars" / ("%s.yml" % host), data)
    extra = write(tmp_path / "extra.yml", HOSTVARS_EXTRA_VARS)
    monkeypatch.setattr(context, "CLIARGS", ImmutableDict(extra_vars=("@" + extra,)))
    loader = DataLoader()
    inventory = InventoryManager(loader=loader, sources=[str(tmp_path / "inventory" / "hosts.yml")])
    variable_manager = VariableManager(loader=loader, inventory=inventory)
    # A fact set by an earlier task (set_fact) outranks the inventory.
    variable_manager.set_nonpersistent_facts("robot-4", {"robot_deployment_on_change": "recreate"})
    return CountingHostVars(inventory=inventory, variable_manager=variable_manager, loader=loader)


def test_the_items_are_those_of_hostvars_and_plain_templates_are_not_rendered_by_ansible_core(inventory_hostvars):
    hostvars = inventory_hostvars
    items = fleet_items(HOSTVARS_ROBOTS, hostvars)
    # Only the robots with a template ansible-core must render: an undefined variable, a filter.
    assert hostvars.rendered == ["robot-3", "robot-4"]
    assert items == fleet_items(HOSTVARS_ROBOTS, dict((robot, hostvars[robot]) for robot in HOSTVARS_ROBOTS))

    by_robot = dict(zip(HOSTVARS_ROBOTS, items, strict=True))
    assert [by_robot[robot].get("package_version") for robot in ("robot-1", "robot-2", "robot-4")] == \
        ["v3.0.0", "v2.0.0", "v1.0.0"]
    assert by_robot["robot-1"]["package_name"] == "talker-amd64" and by_robot["robot-1"]["name"] == "t-robot-1"
    assert by_robot["robot-1"]["labels"] == {"fleet": "fleet-a", "robot": "robot-1"}  # the extra vars
    assert by_robot["robot-1"]["depends_on"] == ["monitor-fleet-a"]
    assert by_robot["robot-1"]["components"][0]["parameters"] == {"ROBOT": "robot-1", "SITE": "north", "RATE": "10"}
    assert by_robot["robot-2"]["components"][0]["device"] == "dev-u-2"
    assert by_robot["robot-5"]["components"][0]["device"] == "robot-5"
    assert "rio_architecture" in by_robot["robot-3"]["fleet_error"]
    assert by_robot["robot-4"]["on_change"] == "recreate"
    assert by_robot["robot-1"]["components"][0]["restart_policy"] == "always"  # the inventory's group variable
    assert by_robot["robot-4"]["components"][0]["restart_policy"] == "never"
    # rendered by ansible-core: 10 (2.19+), "10" (2.18)
    assert str(by_robot["robot-4"]["components"][0]["parameters"]["RATE"]) == "10"
