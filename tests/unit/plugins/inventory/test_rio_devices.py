# Copyright: (c) 2026, rapyuta.rio contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""The rio_devices inventory plugin: filters, host variables and groups, against a real local HTTP server."""

import json
import re

import pytest

from http_server import Reply

from ansible.errors import AnsibleParserError
from ansible.inventory.data import InventoryData
from ansible.parsing.dataloader import DataLoader
from ansible.plugins.inventory import Constructable
from ansible.template import Templar

from ansible_collections.rapyuta.rio.plugins.inventory.rio_devices import InventoryModule

try:  # ansible-core >= 2.19 only templates expressions that come from a trusted source (the config file)
    from ansible.template import trust_as_template
except ImportError:  # ansible-core 2.18
    def trust_as_template(value):
        return value

DM = "/api/device-manager/v0"


def dev(name, uuid, status="ONLINE", labels=None, config=None):
    return {"uuid": uuid, "name": name, "status": status,
            "labels": [{"id": 1, "key": k, "value": v} for k, v in sorted((labels or {}).items())],
            "config_variables": [{"id": 1, "key": k, "value": v} for k, v in sorted((config or {}).items())]}


FLEET = [
    dev("robot-a", "u-a", labels={"site": "alpha"}, config={"runtime_docker": "True", "ros_distro": "melodic"}),
    dev("robot-b", "u-b", labels={"site": "beta"}, config={"runtime": "preinstalled", "ros_distro": "noetic"}),
    dev("robot-off", "u-off", status="OFFLINE", labels={"site": "alpha"}, config={"runtime_docker": "True"}),
    dev("robot-a", "u-dup", labels={"site": "alpha"}),
]


def envelope(data):
    return Reply(200, {"status": "success", "response": {"data": data}})


def make_plugin(server, **options):
    plugin = InventoryModule()
    values = {"auth_token": "t", "project": "p", "organization": None, "catalog_host": server.url,
              "core_api_host": server.url, "validate_certs": True, "ca_path": None, "timeout": 5, "retries": 0,
              "status": [], "labels": {}, "name_pattern": None, "filters": {}, "hostname": "name", "vars_prefix": "rio_",
              "architecture": True, "compose": {}, "groups": {}, "keyed_groups": [], "strict": False,
              "leading_separator": True, "use_extra_vars": False}
    values.update(options)
    plugin.get_option = values.get
    plugin.inventory = InventoryData()
    plugin.templar = Templar(loader=DataLoader())
    plugin._vars = {}
    warnings = []
    plugin.display.warning = warnings.append
    return plugin, warnings


@pytest.fixture
def fleet_server(rio_server):
    rio_server.script("GET", DM + "/devices/", envelope(FLEET))

    def select(request):
        value = request.json["specs"]["args"][0]["args"][1]
        return envelope({"x86_64": [{"uuid": "u-a"}, {"uuid": "u-dup"}], "aarch64": [{"uuid": "u-b"}]}.get(value, []))

    rio_server.script("POST", DM + "/selection/query/", select)
    return rio_server


def load(plugin):
    plugin._populate(plugin._fetch_devices())
    return plugin.inventory


def test_verify_file_wants_the_suffix(tmp_path):
    plugin = InventoryModule()
    good = tmp_path / "lab.rio_devices.yml"
    other = tmp_path / "lab.yml"
    for path in (good, other):
        path.write_text("plugin: rapyuta.rio.rio_devices\n")
    assert plugin.verify_file(str(good))
    assert not plugin.verify_file(str(other))


def test_online_devices_with_host_vars(fleet_server):
    plugin, warnings = make_plugin(fleet_server, status=["ONLINE"])
    inventory = load(plugin)
    assert sorted(inventory.hosts) == ["robot-a", "robot-b", "u-dup"]
    host = inventory.get_host("robot-a").get_vars()
    assert host["rio_uuid"] == "u-a" and host["rio_status"] == "ONLINE"
    assert host["rio_labels"] == {"site": "alpha"}
    assert host["rio_config_variables"] == {"runtime_docker": "True", "ros_distro": "melodic"}
    assert host["rio_runtime"] == "dockercompose" and host["rio_ros_distro"] == "melodic"
    assert host["rio_architecture"] == "amd64"
    assert inventory.get_host("robot-b").get_vars()["rio_architecture"] == "arm64v8"
    assert "ansible_connection" not in host
    assert "more than one device" in warnings[0]
    # one list, three selection queries, nothing else
    assert len(fleet_server.requests) == 4


def test_offline_devices_have_no_architecture_var(fleet_server):
    plugin, _warnings = make_plugin(fleet_server, status=["OFFLINE"])
    inventory = load(plugin)
    assert list(inventory.hosts) == ["robot-off"]
    assert "rio_architecture" not in inventory.get_host("robot-off").get_vars()
    assert fleet_server.calls("POST") == []


def test_labels_name_pattern_prefix_and_uuid_hostnames(fleet_server):
    plugin, _warnings = make_plugin(fleet_server, labels={"site": "alpha"}, name_pattern="-a$", hostname="uuid",
                                    vars_prefix="dev_", architecture=False)
    inventory = load(plugin)
    assert sorted(inventory.hosts) == ["u-a", "u-dup"]
    assert inventory.get_host("u-a").get_vars()["dev_name"] == "robot-a"
    assert fleet_server.calls("POST") == []


def test_grouped_filters_win_and_labels_merge(fleet_server):
    plugin, _warnings = make_plugin(fleet_server, status=["OFFLINE"], labels={"site": "alpha"}, architecture=False,
                                    filters={"status": ["ONLINE"], "labels": {"site": "alpha"}, "name_pattern": "a$"})
    inventory = load(plugin)
    assert sorted(inventory.hosts) == ["robot-a", "u-dup"]


def test_keyed_groups_groups_and_compose(fleet_server):
    plugin, _warnings = make_plugin(
        fleet_server, status=["ONLINE", "OFFLINE"],
        keyed_groups=[{"key": trust_as_template("rio_labels.site"), "prefix": "site"},
                      {"key": trust_as_template("rio_status"), "prefix": "status"}],
        groups={"docker_robots": trust_as_template("'dockercompose' in rio_runtimes")},
        compose={"robot_site": trust_as_template("rio_labels.site | upper")}, strict=True)
    inventory = load(plugin)
    assert sorted(inventory.groups["site_alpha"].hosts, key=str) == sorted(
        [inventory.get_host(h) for h in ("robot-a", "robot-off", "u-dup")], key=str)
    assert [h.name for h in inventory.groups["site_beta"].hosts] == ["robot-b"]
    assert [h.name for h in inventory.groups["status_OFFLINE"].hosts] == ["robot-off"]
    assert sorted(h.name for h in inventory.groups["docker_robots"].hosts) == ["robot-a", "robot-off"]
    assert inventory.get_host("robot-b").get_vars()["robot_site"] == "BETA"


def test_api_errors_become_parser_errors_without_the_token(rio_server):
    rio_server.script("GET", DM + "/devices/", Reply(401, {"status": "error", "response": {"error": "bad token"}}))
    plugin, _warnings = make_plugin(rio_server)
    with pytest.raises(AnsibleParserError) as err:
        plugin._fetch_devices()
    assert "cannot list the devices" in str(err.value) and "401" in str(err.value)


@pytest.mark.parametrize("options, expected", [
    ({"timeout": -5}, "timeout: must be a number of seconds greater than 0, got -5"),
    ({"timeout": 0}, "timeout: must be a number of seconds greater than 0, got 0"),
    ({"retries": -1}, "retries: must be 0 or more, got -1"),
])
def test_out_of_range_connection_numbers_are_refused_before_any_request(fleet_server, options, expected):
    plugin, _warnings = make_plugin(fleet_server, **options)
    with pytest.raises(AnsibleParserError, match=expected):
        plugin._fetch_devices()
    assert fleet_server.requests == []


@pytest.mark.parametrize("options", [{"status": ["UP"]}, {"status": ["ONLINE", "online"]},
                                     {"filters": {"status": ["UP"]}}])
def test_an_unknown_status_is_refused_as_rio_device_info_does(fleet_server, options):
    plugin, _warnings = make_plugin(fleet_server, **options)
    with pytest.raises(AnsibleParserError) as err:
        plugin._fetch_devices()
    assert "value of status must be one or more of: ONLINE, OFFLINE" in str(err.value)
    assert "Got no match for: " in str(err.value)
    assert fleet_server.requests == []


def test_a_v2_configuration_reads_the_same_devices_from_the_core_api(fleet_server, tmp_path, monkeypatch):
    """api_version v2 with everything from riocli's config file: devices are still the v1 device manager's,
    asked with the file's token and project, and come out as under v1."""
    for name in ("RIO_AUTH_TOKEN", "RIO_PROJECT", "RIO_ORGANIZATION", "RIO_CATALOG_HOST", "RIO_CORE_API_HOST",
                 "RIO_V2_API_HOST"):
        monkeypatch.delenv(name, raising=False)
    config = tmp_path / "rio-cli.json"
    config.write_text(json.dumps({"auth_token": "file-token", "project_id": "project-file",
                                  "organization_id": "org-file", "environment": "ga",
                                  "v2api_host": "http://127.0.0.1:9", "core_api_host": fleet_server.url}))
    monkeypatch.setenv("RIO_CONFIG", str(config))
    plugin, _warnings = make_plugin(fleet_server, api_version="v2", auth_token=None, project=None, catalog_host=None,
                                    core_api_host=None, status=["ONLINE"],
                                    keyed_groups=[{"key": trust_as_template("rio_runtimes"), "prefix": "runtime"},
                                                  {"key": trust_as_template("rio_labels"), "prefix": "label"}])
    inventory = load(plugin)
    assert sorted(inventory.hosts) == ["robot-a", "robot-b", "u-dup"]
    assert inventory.get_host("robot-b").get_vars()["rio_architecture"] == "arm64v8"
    assert [h.name for h in inventory.groups["runtime_preinstalled"].hosts] == ["robot-b"]
    assert [h.name for h in inventory.groups["label_site_beta"].hosts] == ["robot-b"]
    assert {req.path.split("?")[0] for req in fleet_server.requests} == {DM + "/devices/", DM + "/selection/query/"}
    assert {req.headers.get("Authorization") for req in fleet_server.requests} == {"Bearer file-token"}
    assert {req.headers.get("project") for req in fleet_server.requests} == {"project-file"}


@pytest.mark.parametrize("options, leader", [
    ({"status": ["ONLINE"]}, "robot-a"),                      # the first name, not the first device listed
    ({"status": ["ONLINE"], "name_pattern": "-b$"}, "robot-b"),
    ({"hostname": "uuid", "vars_prefix": "dev_"}, "u-a"),      # a host name, whatever names the hosts
])
def test_the_first_host_in_name_order_is_the_fleet_leader_of_the_all_group(fleet_server, options, leader):
    plugin, _warnings = make_plugin(fleet_server, architecture=False, **options)
    fleet_server.script("GET", DM + "/devices/", envelope(list(reversed(FLEET))))
    inventory = load(plugin)
    assert inventory.groups["all"].get_vars() == {"rio_fleet_leader": leader}
    assert leader in inventory.hosts


def test_no_host_no_fleet_leader(fleet_server):
    plugin, _warnings = make_plugin(fleet_server, status=["ONLINE"], name_pattern="^nothing$", architecture=False)
    inventory = load(plugin)
    assert inventory.hosts == {} and "rio_fleet_leader" not in inventory.groups["all"].get_vars()


@pytest.mark.parametrize("expression", [
    "rio_architecture", "rio_labels.site", " rio_labels.site ", "rio_labels.zone", "rio_labels.items",
    "rio_labels.template", "rio_labels.flag", "rio_labels.listed", "rio_count", "rio_labels['site']",
    "rio_labels.site | upper", "missing", "rio_labels.site.inner",
])
def test_a_variable_looked_up_directly_is_what_ansible_core_evaluates(fleet_server, expression):
    # The lookup that saves ansible-core a compilation per host must answer exactly as ansible-core,
    # or leave the expression to it.
    plugin, _warnings = make_plugin(fleet_server)
    variables = {"rio_architecture": "arm64v8", "rio_count": 3,
                 "rio_labels": {"site": "north-1", "items": "x", "template": "{{ 1 + 1 }}", "flag": "True",
                                "listed": "[1, 2]"}}
    expression = trust_as_template(expression)
    try:
        expected = super(InventoryModule, plugin)._compose(expression, variables)
    except Exception as exc:  # pylint: disable=broad-exception-caught
        expected = type(exc)
    try:
        got = plugin._compose(expression, variables)
    except Exception as exc:  # pylint: disable=broad-exception-caught
        got = type(exc)
    # On ansible-core 2.18 `rio_labels.items` renders the dict's bound method; its text holds the address
    # of the dict, which differs between the two evaluations.
    if isinstance(got, str) and isinstance(expected, str):
        got, expected = (re.sub(r" at 0x[0-9a-f]+", "", text) for text in (got, expected))
    assert got == expected and type(got) is type(expected)


def test_plain_variable_names_are_looked_up_without_ansible_core(fleet_server, monkeypatch):
    plugin, _warnings = make_plugin(fleet_server)
    evaluated = []
    monkeypatch.setattr(Constructable, "_compose", lambda self, template, variables, *a, **k: evaluated.append(template))
    assert plugin._compose(trust_as_template("rio_labels.site"), {"rio_labels": {"site": "north"}}) == "north"
    plugin._compose(trust_as_template("rio_labels.site | upper"), {"rio_labels": {"site": "north"}})
    assert evaluated == ["rio_labels.site | upper"]
