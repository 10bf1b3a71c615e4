# Copyright: (c) 2026, rapyuta.rio contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""The documented ``deployment`` return value, from a full deployment, a listed (partial) one, or a
prediction; only named fields are copied, so nothing else the API returns reaches a task result."""

from ansible_collections.rapyuta.rio.plugins.module_utils.deployments.results import (
    dependency_ids,
    predicted_deployment,
    shape_component,
    shape_deployment,
)

FULL = {
    "deploymentId": "dep-1", "name": "talker", "packageId": "pkg-1", "packageName": "talker-docker",
    "planId": "plan-1", "phase": "Failed to start", "status": "Error", "errors": ["DEP_E151", ""],
    "labels": [{"key": "site", "value": "alpha"}],
    "dependentDeployments": [{"dependentDeploymentId": "dep-b"}, {"dependentDeploymentId": "dep-a"},
                             {"dependentDeploymentId": "dep-b"}, {"config": {}}],
    "componentInfo": [{"componentID": "comp-1", "componentInstanceID": "inst-1", "name": "default",
                       "runtime": "device", "phase": "In progress", "status": "Pending", "errorCode": "DEP_E151"}],
    "parameters": {"comp-1": {"ros_distro": "melodic", "device_id": "d-1"}},
    "_devices": {"d-1": {"_auth_token": "Bearer secret"}},
}


def test_a_full_deployment_is_shaped_field_by_field():
    shaped = shape_deployment(FULL, config={"labels": {"site": "alpha"}})
    assert shaped == {
        "deployment_id": "dep-1", "name": "talker", "package_id": "pkg-1", "package_name": "talker-docker",
        "plan_id": "plan-1", "phase": "Failed to start", "status": "Error", "errors": ["DEP_E151"],
        "error_explanations": [shaped["error_explanations"][0]], "labels": {"site": "alpha"},
        "depends_on": ["dep-a", "dep-b"],
        "components": [{"name": "default", "component_id": "comp-1", "component_instance_id": "inst-1",
                        "runtime": "device", "phase": "In progress", "status": "Pending",
                        "error_codes": ["DEP_E151"]}],
        "config": {"labels": {"site": "alpha"}},
    }
    assert shaped["error_explanations"][0].startswith("DEP_E151: ")
    assert "secret" not in repr(shaped) and "melodic" not in repr(shaped)  # no _devices, no parameters


def test_without_config_there_is_no_config_key():
    assert "config" not in shape_deployment(FULL)


def test_a_listed_deployment_has_no_status_or_components():
    partial = dict((key, value) for key, value in FULL.items() if key not in ("status", "componentInfo", "errors"))
    shaped = shape_deployment(partial)
    assert shaped["status"] is None and shaped["components"] == [] and shaped["errors"] == []


def test_dependencies_come_from_the_provision_context_when_the_top_level_has_none():
    assert dependency_ids({"provisionContext": {"dependentDeployments": [{"dependentDeploymentId": "dep-x"}]}}) \
        == ["dep-x"]
    assert dependency_ids({"dependentDeployments": [], "provisionContext": {
        "dependentDeployments": [{"dependentDeploymentId": "dep-x"}]}}) == []
    assert dependency_ids({}) == []


def test_component_ids_in_either_spelling():
    shaped = shape_component({"componentId": "c", "componentInstanceId": "i", "errorCode": None})
    assert shaped["component_id"] == "c" and shaped["component_instance_id"] == "i" and shaped["error_codes"] == []


def test_a_prediction_has_the_shape_of_a_result_and_no_server_fields():
    predicted = predicted_deployment("talker", {"guid": "pkg-1", "packageName": "talker-docker"}, "plan-1",
                                     {"site": "alpha"}, ["dep-b", "dep-a"], {"labels": {"site": "alpha"}})
    assert set(predicted) == set(shape_deployment(FULL, config={}))
    assert predicted["deployment_id"] is None and predicted["phase"] is None and predicted["components"] == []
    assert predicted["package_id"] == "pkg-1" and predicted["depends_on"] == ["dep-a", "dep-b"]
    assert predicted_deployment("t", {"packageId": "pkg-2"}, None, {}, [], {})["package_id"] == "pkg-2"
