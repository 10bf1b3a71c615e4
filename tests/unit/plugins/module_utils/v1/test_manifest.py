# Copyright: (c) 2026, rapyuta.rio contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""Manifests: every SDK fixture validates; broken ones fail naming the JSON path; a manifest and
its stored form normalize to the same thing; differences are named."""

import copy
import json
import os

import pytest


from package_fakes import load_fixture, manifest_names, stored_form

from ansible_collections.rapyuta.rio.plugins.module_utils.v1 import manifest as _manifest
from ansible_collections.rapyuta.rio.plugins.module_utils.v1.manifest import (
    ManifestError,
    diff_manifests,
    json_path,
    load_manifest,
    manifest_differences,
    normalize_manifest,
    normalize_stored_package,
    parse_manifest,
    validate_manifest,
)

FIXTURES = manifest_names()


def test_there_are_fixtures():
    assert len(FIXTURES) >= 20


@pytest.mark.parametrize("name", FIXTURES)
def test_every_fixture_is_valid(name):
    validate_manifest(load_fixture(name))


@pytest.mark.parametrize("name", FIXTURES)
def test_manifest_and_its_stored_form_normalize_the_same(name):
    manifest = load_fixture(name)
    assert normalize_manifest(manifest) == normalize_stored_package(stored_form(manifest))
    assert diff_manifests(normalize_manifest(manifest), normalize_stored_package(stored_form(manifest))) == []


def _broken(change, name="scoped-targeted.json"):
    manifest = load_fixture(name)
    change(manifest)
    with pytest.raises(ManifestError) as info:
        validate_manifest(manifest)
    return info.value


def _set(path, value):
    def change(manifest):
        target = manifest
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
    return change


def _delete(path):
    def change(manifest):
        target = manifest
        for key in path[:-1]:
            target = target[key]
        del target[path[-1]]
    return change


@pytest.mark.parametrize("change, path, words", [
    (_set(["plans", 0, "components", 1, "architecture"], "amd46"), "plans[0].components[1].architecture", "amd64"),
    (_delete(["plans", 0, "components", 1, "requiredRuntime"]), "plans[0].components[1].requiredRuntime",
     "required field is missing"),
    (_delete(["name"]), "name", "required field is missing"),
    (_delete(["packageVersion"]), "packageVersion", "required field is missing"),
    (_delete(["plans", 0, "name"]), "plans[0].name", "required field is missing"),
    (_set(["plans"], []), "plans", "should be non-empty"),
    (_set(["plans", 0, "components", 0, "executables", 0, "dockr"], "x"),
     "plans[0].components[0].executables[0].dockr", "unknown field"),
    (_set(["plans", 0, "components", 0, "ros", "topics", 0, "scoped"], "maybe"),
     "plans[0].components[0].ros.topics[0].scoped", "'maybe' is not one of"),
    (_set(["plans", 0, "components", 0, "cloudInfra", "replicas"], "two"),
     "plans[0].components[0].cloudInfra.replicas", "not of type 'integer'"),
    (_set(["plans", 0, "components", 1, "restart_policy"], "sometimes"),
     "plans[0].components[1].restart_policy", "'sometimes' is not one of"),
    (_set(["plans", 0, "components", 0, "ros", "ros_distro"], "jazzy"),
     "plans[0].components[0].ros.ros_distro", "'jazzy' is not one of"),
    (_set(["plans", 0, "inboundROSInterfaces"], {"bogus": 1}), "plans[0].inboundROSInterfaces.bogus", "unknown field"),
    (_set(["plans", 0, "inboundROSInterfaces"], 5), "plans[0].inboundROSInterfaces", "not of type 'null' or 'object'"),
    (_set(["plans", 0, "components", 0, "executables", 0, "docker"], ""),
     "plans[0].components[0].executables[0].docker", "should be non-empty"),
])
def test_broken_manifest_names_the_path(change, path, words):
    error = _broken(change)
    assert error.path == path, str(error)
    assert path in str(error)
    assert words in str(error), str(error)


def test_endpoint_port_out_of_range():
    error = _broken(_set(["plans", 0, "components", 0, "cloudInfra", "endpoints", 0, "port"], 70000),
                    name="nginx-single-component.json")
    assert error.path == "plans[0].components[0].cloudInfra.endpoints[0].port"


def test_every_error_is_reported_in_path_order():
    def change(manifest):
        manifest["plans"][0]["components"][1]["architecture"] = "x86"
        manifest["plans"][0]["components"][0]["requiredRuntime"] = "moon"
        del manifest["name"]
    error = _broken(change)
    assert [path for path, _message in error.errors] == [
        "name", "plans[0].components[0].requiredRuntime", "plans[0].components[1].architecture"]


def test_duplicate_component_names():
    error = _broken(_set(["plans", 0, "components", 1, "name"], "cloudping"))
    assert error.path == "plans[0].components[1].name"
    assert "already used by plans[0].components[0]" in str(error)


def test_two_executable_kinds():
    error = _broken(_set(["plans", 0, "components", 0, "executables", 0, "buildGUID"], "build-x"),
                    name="nginx-single-component.json")
    assert error.path == "plans[0].components[0].executables[0]"
    assert "only one of docker, gitExecutable, buildGUID" in str(error)


def test_exposed_parameter_must_exist():
    exposed = [{"component": "cloudping", "param": "NOPE", "targetParam": "x"}]
    error = _broken(_set(["plans", 0, "exposedParameters"], exposed))
    assert error.path == "plans[0].exposedParameters[0].param"


@pytest.mark.parametrize("value, message", [([], "not a list"), (None, "null"), ("text", "a string")])
def test_not_an_object(value, message):
    with pytest.raises(ManifestError) as info:
        validate_manifest(value)
    assert info.value.path == "$"


def test_without_jsonschema_validation_says_what_is_missing(monkeypatch):
    monkeypatch.setattr(_manifest, "HAS_JSONSCHEMA", False)
    with pytest.raises(_manifest.MissingLibrary) as info:
        validate_manifest(load_fixture("talker.json"))
    assert info.value.library == "jsonschema"
    assert "jsonschema" in str(info.value)


# -- loading -----------------------------------------------------------------------------------------
def test_load_json_and_yaml_files(tmp_path):
    manifest = load_fixture("talker.json")
    json_file = tmp_path / "talker.json"
    json_file.write_text(json.dumps(manifest))
    yaml = pytest.importorskip("yaml")
    yaml_file = tmp_path / "talker.yml"
    yaml_file.write_text(yaml.safe_dump(manifest))
    assert load_manifest(str(json_file)) == manifest
    assert load_manifest(str(yaml_file)) == manifest


def test_load_from_dict_copies():
    manifest = load_fixture("talker.json")
    loaded = load_manifest(manifest)
    loaded["name"] = "other"
    assert manifest["name"] == "talker"


@pytest.mark.parametrize("text, words", [
    ("name: [unclosed", "neither JSON nor YAML"),
    ("- a\n- b\n", "must hold one object"),
    ("", "must hold one object"),
])
def test_parse_errors(text, words):
    with pytest.raises(ManifestError) as info:
        parse_manifest(text)
    assert words in str(info.value)


def test_missing_file(tmp_path):
    with pytest.raises(ManifestError) as info:
        load_manifest(str(tmp_path / "nope.json"))
    assert "cannot read manifest file" in str(info.value)
    assert "nope.json" in str(info.value)


def test_json_path():
    assert json_path(["plans", 0, "components", 1, "architecture"]) == "plans[0].components[1].architecture"
    assert json_path([]) == "$"


# -- normalization and comparison --------------------------------------------------------------------
def test_order_of_named_items_does_not_matter():
    manifest = load_fixture("nginx-multi-component.json")
    reordered = copy.deepcopy(manifest)
    reordered["plans"][0]["components"].reverse()
    reordered["plans"][0]["components"][0]["cloudInfra"]["endpoints"].reverse()
    assert normalize_manifest(manifest) == normalize_manifest(reordered)


def test_bool_like_strings_and_inbound_forms_are_equal():
    manifest = load_fixture("talker-docker.json")  # "scoped": "False"
    other = copy.deepcopy(manifest)
    other["plans"][0]["components"][0]["ros"]["topics"][0]["scoped"] = False
    other["plans"][0]["inboundROSInterfaces"] = {"anyIncomingScopedOrTargetedRosConfig": False}
    assert normalize_manifest(manifest) == normalize_manifest(other)


def test_server_fields_are_ignored():
    manifest = load_fixture("nginx-single-component.json")
    stored = stored_form(manifest, "pkg-bbbbbbbbbbbbbbbbbbbbbbbb")
    stored["status"] = "New"
    stored["plans"][0]["planId"] = "plan-other"
    stored["plans"][0]["internalComponents"][0]["componentId"] = "other"
    stored["plans"][0]["components"]["components"][0]["executables"][0]["id"] = "exec-other"
    assert normalize_stored_package(stored) == normalize_manifest(manifest)


def test_null_stored_inbound_equals_empty():
    manifest = load_fixture("nginx-single-component.json")
    stored = stored_form(manifest)
    stored["plans"][0]["inboundROSInterfaces"] = None
    assert normalize_stored_package(stored) == normalize_manifest(manifest)


def test_differences_are_named():
    manifest = load_fixture("scoped-targeted.json")
    changed = copy.deepcopy(manifest)
    changed["plans"][0]["components"][0]["executables"][0]["docker"] = "nginx:alpine"
    changed["plans"][0]["components"][1]["architecture"] = "arm64v8"
    changed["plans"][0]["components"][0]["parameters"][0]["default"] = "pongping"
    changed["description"] = "new"
    lines = diff_manifests(normalize_manifest(changed), normalize_stored_package(stored_form(manifest)))
    assert lines == [
        "description: 'new' != 'scoped and targeted sdk test package'",
        "plans[default].components[cloudping].executables[cloudy].docker: 'nginx:alpine' != (absent)",
        "plans[default].components[cloudping].parameters[ROS_PKG].default: 'pongping' != 'pingpong'",
        "plans[default].components[devicepong].architecture: 'arm64v8' != 'amd64'",
    ]


def test_added_and_removed_components():
    manifest = load_fixture("talker-cloud-device.json")
    fewer = copy.deepcopy(manifest)
    removed = fewer["plans"][0]["components"].pop(0)
    differences = manifest_differences(normalize_manifest(fewer), normalize_manifest(manifest))
    assert [item["field"] for item in differences] == ["plans[default].components[talker-device]"]
    assert differences[0]["desired"] is None and differences[0]["live"]["name"] == removed["name"]
    differences = manifest_differences(normalize_manifest(manifest), normalize_manifest(fewer))
    assert differences[0]["live"] is None
    assert diff_manifests(normalize_manifest(manifest), normalize_manifest(fewer)) == [
        "plans[default].components[talker-device]: %r != (absent)" % normalize_manifest(manifest)["plans"][0]
        ["components"][1]]


def test_undeclared_optional_fields_are_not_compared():
    manifest = load_fixture("talker.json")  # no bindable, no apiVersion, no restart_policy
    stored = stored_form(manifest)
    stored["bindable"] = True
    stored["apiVersion"] = "1.0.0"
    stored["plans"][0]["components"]["components"][0]["restart_policy"] = "always"
    assert manifest_differences(normalize_manifest(manifest), normalize_stored_package(stored)) == []
    declared = copy.deepcopy(manifest)
    declared["plans"][0]["components"][0]["restart_policy"] = "no"
    assert diff_manifests(normalize_manifest(declared), normalize_stored_package(stored)) == [
        "plans[default].components[default].restart_policy: 'no' != 'always'"]


def test_cmd_order_matters():
    manifest = load_fixture("no-scoped-targeted.json")
    changed = copy.deepcopy(manifest)
    changed["plans"][0]["components"][0]["executables"][0]["cmd"].reverse()
    assert len(diff_manifests(normalize_manifest(changed), normalize_manifest(manifest))) == 1


def test_numeric_parameter_defaults_equal_their_text():
    manifest = load_fixture("fast-talker-device-docker-with-rosbags.json")  # RATE: "100000"
    numeric = copy.deepcopy(manifest)
    numeric["plans"][0]["components"][0]["parameters"][0]["default"] = 100000
    validate_manifest(numeric)
    assert normalize_manifest(numeric) == normalize_manifest(manifest)


def test_missing_relative_file_shows_where_it_was_looked_for(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ManifestError) as info:
        load_manifest("nope.json")
    assert "nope.json (%s)" % os.path.join(str(tmp_path), "nope.json") in str(info.value)
