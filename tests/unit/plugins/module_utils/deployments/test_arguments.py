# Copyright: (c) 2026, rapyuta.rio contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""The one-deployment argument spec shared by rio_deployment and rio_deployment_batch, validated the
way AnsibleModule validates it (ansible-core's ArgumentSpecValidator)."""

import pytest
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.rapyuta.rio.plugins.module_utils.deployments.arguments import (
    DEPLOYMENT_CONSTRAINTS,
    deployment_argument_spec,
    deployment_constraints,
    deployment_options,
)
from ansible_collections.rapyuta.rio.plugins.module_utils.module.arguments import wait_argument_spec


def validate(**options):
    return ArgumentSpecValidator(deployment_options(), **deployment_constraints()).validate(options)


def error_text(result):
    return " | ".join(str(error) for error in result.errors)


def test_a_minimal_deployment_gets_every_default():
    result = validate(name="web", package_name="nginx", package_version="v1.0.0",
                      components=[{"name": "nginx"}])
    assert result.errors.errors == []
    params = result.validated_parameters
    assert params["state"] == "present" and params["on_change"] == "fail"
    assert params["labels"] == {} and params["depends_on"] == [] and params["routed_networks"] == []
    component = params["components"][0]
    assert component["set_component_alias"] is True and component["set_ros_namespace"] is False
    assert component["volumes"] == [] and component["static_routes"] == {} and component["parameters"] == {}


@pytest.mark.parametrize("options, words", [
    (dict(package_id="pkg-1", package_name="nginx", package_version="v1"), "mutually exclusive"),
    (dict(package_name="nginx"), "package_version"),
    (dict(), "package_id, package_name"),
    (dict(package_id="pkg-1", on_change="ignore"), "on_change"),
    (dict(package_id="pkg-1", components=[{"name": "c", "restart_policy": "on-failure"}]), "restart_policy"),
])
def test_the_cross_option_rules_refuse_what_the_module_refuses(options, words):
    result = validate(name="web", **options)
    assert words in error_text(result), error_text(result)


def test_absent_needs_no_package():
    assert validate(name="web", state="absent").errors.errors == []


@pytest.mark.parametrize("volume, words", [
    ({"volume": "data", "device_volume": True, "mount_path": "/d"}, "mutually exclusive"),
    ({"volume": "data"}, "one of the following is required"),
    ({"volume": "data", "mount_path": "/d", "executable_mounts": [{"exec_name": "e", "mount_path": "/e"}]},
     "mutually exclusive"),
])
def test_a_volume_names_one_source_and_one_way_to_mount(volume, words):
    result = validate(name="web", package_id="pkg-1", components=[{"name": "c", "volumes": [volume]}])
    assert words in error_text(result), error_text(result)


def test_a_rosbag_job_must_say_what_it_records():
    job = {"name": "bag", "record_options": {"compression": "LZ4"}}
    result = validate(name="web", package_id="pkg-1", components=[{"name": "c", "rosbag_jobs": [job]}])
    assert "all_topics, topics, topic_include_regex, node" in error_text(result)
    job["record_options"]["all_topics"] = True
    assert validate(name="web", package_id="pkg-1", components=[{"name": "c", "rosbag_jobs": [job]}]).errors.errors == []


def test_each_call_returns_a_copy_the_caller_may_change():
    options = deployment_options()
    options["components"]["options"]["name"]["required"] = False
    options["labels"]["default"]["x"] = "y"
    fresh = deployment_options()
    assert fresh["components"]["options"]["name"]["required"] is True and fresh["labels"]["default"] == {}
    deployment_constraints()["mutually_exclusive"].append(("a", "b"))
    assert deployment_constraints()["mutually_exclusive"] == [("package_id", "package_name")]


def test_rio_deployment_adds_the_wait_options_and_its_v2_definition_and_nothing_else():
    spec = deployment_argument_spec()
    assert set(spec) == set(deployment_options()) | set(wait_argument_spec()) | {"definition"}
    assert not set(deployment_options()) & set(wait_argument_spec())
    assert "definition" not in deployment_options()  # rio_deployment_batch's items stay v1


def test_with_a_definition_the_package_options_are_not_required_and_exclusive():
    constraints = deployment_constraints(definition=True)
    spec = deployment_argument_spec()
    assert ArgumentSpecValidator(spec, **constraints).validate(
        {"name": "web", "definition": {"kind": "Deployment"}}).errors.errors == []
    errors = ArgumentSpecValidator(spec, **constraints).validate(
        {"name": "web", "definition": {}, "package_name": "p", "package_version": "v1"}).errors.errors
    assert "mutually exclusive: definition|package_name" in str(errors[0])
    missing = ArgumentSpecValidator(spec, **constraints).validate({"name": "web"}).errors.errors
    assert "package_id, package_name, definition" in str(missing[0])
    assert deployment_constraints() == DEPLOYMENT_CONSTRAINTS
