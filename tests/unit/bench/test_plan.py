# Copyright: (c) 2026, rapyuta.rio contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""bench/plan.py: the peers' workload is what the fleet roles make of the sample inventory, and its
riocli manifests say the same as its options."""

import os
import sys

import pytest
import yaml

BENCH = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "bench"))
sys.path.insert(0, BENCH)

import fleet
import plan

SAMPLE = os.path.join(os.path.dirname(BENCH), "playbooks", "sample")
ROBOTS = 3


def sample_vars(generation):
    inventory = plan.SAMPLE[generation][0]
    with open(os.path.join(SAMPLE, inventory, "group_vars", "all.yml")) as handle:
        return yaml.safe_load(handle)


@pytest.fixture(scope="module", params=("v1", "v2"))
def made(request):
    return request.param, plan.make_plan(request.param, ROBOTS)


def test_one_deployment_per_online_robot_with_the_sample_variables(made):
    generation, workload = made
    devices = fleet.make_fleet(ROBOTS)["devices"]
    rates = sample_vars(generation)["fleet_rate_by_site"]
    assert workload["count"] == ROBOTS
    assert [item["robot"] for item in workload["deployments"]] == [device["name"] for device in devices]
    for device, item in zip(devices, workload["deployments"], strict=True):
        component = item["components"][0]
        assert item["name"] == "talker-" + device["name"]
        assert item["package_name"] == "sample-talker-" + device["architecture"]
        assert component["parameters"]["RATE"] == rates[device["labels"]["site"]]
        # What ours sends: v2 names the device, v1 gives its uuid.
        assert component["device"] == (device["name"] if generation == "v2" else device["uuid"])
        assert item["device_uuid"] == device["uuid"]


def test_the_cloud_side_comes_from_the_sample(made):
    generation, workload = made
    variables = sample_vars(generation)
    assert workload["cloud_deployment"]["name"] == variables["fleet_monitor"]
    assert [net["name"] for net in workload["routed_networks"]] == [variables["fleet_network"]]
    kinds = sorted(document["kind"] for document in workload["resources"])
    assert kinds == (["Disk", "StaticRoute"] if generation == "v2" else [])
    assert len(workload["packages"]) == 3


def test_documents_follow_the_options_in_apply_order(made):
    generation, workload = made
    documents = workload["documents"]
    kinds = [document["kind"] for document in documents]
    assert kinds == (["Package"] * 3 + ["Network"] + [doc["kind"] for doc in workload["resources"]]
                     + ["Deployment"] * (ROBOTS + 1))
    assert set(document["apiVersion"] for document in documents) == {plan.MANIFEST_API[generation]}
    robots = documents[-ROBOTS:]
    for item, document in zip(workload["deployments"], robots, strict=True):
        assert document["metadata"]["name"] == item["name"]
        assert document["spec"]["device"]["depends"]["nameOrGUID"] == item["robot"]
        assert document["metadata"]["depends"]["nameOrGUID"] == item["package_name"]
        assert dict((env["name"], env["value"]) for env in document["spec"]["envArgs"]) == \
            item["components"][0]["parameters"]
        assert [dep["nameOrGUID"] for dep in document["spec"]["depends"]] == item["depends_on"]
    network = documents[3]
    assert ("resourceLimits" in network["spec"]) == (generation == "v1")


def test_riocli_package_says_what_the_catalog_manifest_says():
    manifest = {"name": "talker", "packageVersion": "v2.0.0", "description": "d", "plans": [{"components": [{
        "requiredRuntime": "device", "architecture": "arm64v8", "restart_policy": "on-failure",
        "executables": [{"name": "run", "cmd": ["roslaunch a b.launch"], "docker": "image:tag"}],
        "parameters": [{"name": "RATE", "default": "10", "description": "Hz"}],
        "ros": {"isROS": True, "ros_distro": "noetic", "topics": [{"name": "/t", "qos": "low", "scoped": False}],
                "services": [{"name": "/s"}], "actions": []}}]}]}
    document = plan.riocli_package(manifest)
    assert document["metadata"] == {"name": "talker", "version": "v2.0.0", "description": "d"}
    spec = document["spec"]
    assert spec["device"] == {"arch": "arm64v8", "restart": "onfailure"}
    assert spec["executables"] == [{"name": "run", "type": "docker", "command": "roslaunch a b.launch",
                                    "docker": {"image": "image:tag"}}]
    assert spec["environmentVars"] == [{"name": "RATE", "default": "10", "description": "Hz"}]
    assert spec["ros"]["rosEndpoints"] == [{"type": "topic", "name": "/t", "qos": "low", "scoped": False},
                                           {"type": "service", "name": "/s"}]


def test_a_robot_the_sample_cannot_template_fails_the_plan_naming_it():
    device = dict(fleet.make_fleet(1)["devices"][0], labels={"site": "nowhere"})
    with pytest.raises(RuntimeError, match="robot-001") as failed:
        plan.make_plan("v2", 1, devices=[device])
    # ansible-core 2.18 names the variable (the filter's fleet_error), 2.21 the missing key.
    assert "fleet_rate_by_site" in str(failed.value) or "nowhere" in str(failed.value)
