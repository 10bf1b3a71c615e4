# Copyright: (c) 2026, rapyuta.rio contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""MANIFEST_SCHEMA on its own (no manifest.py on the way): a valid draft-07 schema that accepts
every fixture, closes the objects the platform defines field by field, and leaves the rest open."""

import copy

import pytest
from package_fakes import load_fixture, manifest_names

from ansible_collections.rapyuta.rio.plugins.module_utils.v1.manifest_schema import MANIFEST_SCHEMA

jsonschema = pytest.importorskip("jsonschema")


def errors(manifest):
    validator = jsonschema.validators.validator_for(MANIFEST_SCHEMA)(MANIFEST_SCHEMA)
    return sorted((list(error.absolute_path), error.validator) for error in validator.iter_errors(manifest))


def test_the_schema_is_a_valid_json_schema():
    jsonschema.validators.validator_for(MANIFEST_SCHEMA).check_schema(MANIFEST_SCHEMA)


@pytest.mark.parametrize("name", manifest_names())
def test_every_fixture_matches_the_schema(name):
    assert errors(load_fixture(name)) == []


def test_objects_the_platform_defines_refuse_unknown_fields():
    manifest = load_fixture("nginx-single-component.json")
    component = manifest["plans"][0]["components"][0]
    component["executables"][0]["dockr"] = "x"
    component["cloudInfra"]["endpoints"][0]["prot"] = "HTTPS"
    assert errors(manifest) == [
        (["plans", 0, "components", 0, "cloudInfra", "endpoints", 0], "additionalProperties"),
        (["plans", 0, "components", 0, "executables", 0], "additionalProperties"),
    ]


def test_the_top_level_and_metadata_stay_open():
    manifest = load_fixture("nginx-single-component.json")
    manifest["x-owner"] = "fleet team"
    manifest["plans"][0]["metadata"] = {"anything": {"goes": 1}}
    assert errors(manifest) == []


@pytest.mark.parametrize("path, value, rule", [
    (["plans", 0, "components", 0, "architecture"], "x86", "enum"),
    (["plans", 0, "components", 0, "requiredRuntime"], "edge", "enum"),
    (["plans", 0, "components", 0, "restart_policy"], "on_failure", "enum"),  # the wire spelling is on-failure
    (["plans", 0, "components", 0, "cloudInfra", "endpoints", 0, "port"], 0, "minimum"),
    (["plans", 0, "components", 0, "cloudInfra", "endpoints", 0, "port"], 65536, "maximum"),
    (["plans", 0, "components"], [], "minItems"),
    (["packageVersion"], "", "minLength"),
])
def test_values_outside_the_platform_rules_are_refused(path, value, rule):
    manifest = copy.deepcopy(load_fixture("nginx-single-component.json"))
    target = manifest
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    assert errors(manifest) == [(path, rule)]


def test_required_fields():
    manifest = load_fixture("nginx-single-component.json")
    del manifest["name"]
    del manifest["plans"][0]["components"][0]["executables"]
    assert errors(manifest) == [([], "required"), (["plans", 0, "components", 0], "required")]


def test_the_sdk_string_booleans_are_accepted_for_ros_flags():
    manifest = load_fixture("nginx-single-component.json")
    ros = manifest["plans"][0]["components"][0]["ros"]
    ros["topics"] = [{"name": "/chatter", "scoped": "True", "targeted": "false"}]
    assert errors(manifest) == []
    ros["topics"][0]["scoped"] = "yes"
    assert errors(manifest) == [(["plans", 0, "components", 0, "ros", "topics", 0, "scoped"], "enum")]
