# Copyright: (c) 2026, rapyuta.rio contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""build_config: declared options -> the provisioning body and the prerequisites, through a Resolver
over the in-memory platform; builder errors are renamed after the option (and list item) at fault."""

import pytest
from deployment_fakes import AMD64, add_volume, component, make_api, params, talker

from ansible_collections.rapyuta.rio.plugins.module_utils.deployments.build import Prerequisites, build_config
from ansible_collections.rapyuta.rio.plugins.module_utils.deployments.checks import DeploymentInputError
from ansible_collections.rapyuta.rio.plugins.module_utils.deployments.resolve import Resolver


@pytest.fixture
def api():
    return make_api()


def build(api, **options):
    declared = params(**options)
    resolver = Resolver(api)
    package_info = resolver.package(None, declared["package_name"], declared["package_version"])
    config, prerequisites = build_config(resolver, declared, package_info, declared["labels"])
    return config.to_body(declared["name"]), prerequisites


def refused(api, **options):
    with pytest.raises(DeploymentInputError) as err:
        build(api, **options)
    assert api.writes() == []
    return err.value


def test_a_device_component_gets_its_device_parameters_and_restart_policy(api):
    body, prerequisites = build(api, **talker())
    component_id = "pkg-talker-docker-comp-0"
    assert body["service_id"] == "pkg-talker-docker" and body["plan_id"] == "plan-pkg-talker-docker-0"
    assert body["parameters"]["global"] == {"device_ids": [AMD64]}
    assert body["parameters"][component_id] == {"component_id": component_id, "device_id": AMD64,
                                                "runtime": "dockercompose", "ros_distro": "melodic", "RATE": "10"}
    assert body["context"]["component_context"][component_id] == {"component_override": {"restart_policy": "on-failure"}}
    assert body["context"]["labels"] == [{"key": "site", "value": "alpha"}]
    assert prerequisites.items == []


def test_ignored_device_config_variables_are_left_out(api):
    entry = component("default", device="robot-docker-amd64", ignore_device_config=["ros_distro"])
    body, _prerequisites = build(api, **talker(components=[entry]))
    assert "ros_distro" not in body["parameters"]["pkg-talker-docker-comp-0"]


def test_networks_static_routes_and_volumes_resolve_to_their_ids(api):
    add_volume(api, phase="Succeeded")
    nginx = component("nginx", volumes=[{"volume": "data", "mount_path": "/data"}],
                      static_routes={"test": "web-front"})
    body, prerequisites = build(api, components=[nginx], routed_networks=[{"name": "fleet-net", "network_interface": None}])
    context = body["context"]
    assert context["routedNetworks"] == [{"guid": "net-aaaa"}]
    # a cloud volume is mounted as a dependency on the volume's deployment, on its component only
    assert context["dependentDeployments"] == [{"dependentDeploymentId": "dep-vol",
                                                "applicableComponentId": "pkg-nginx-single-component-comp-0",
                                                "config": {"mountPath": "/data"}}]
    assert context["diskMountInfo"] == []
    assert [(field, dep["deploymentId"]) for field, dep in prerequisites.items] == [
        ("components.nginx.volumes[0].volume", "dep-vol")]


def test_a_dependency_that_is_also_a_volume_is_one_prerequisite(api):
    add_volume(api, phase="In progress")
    nginx = component("nginx", volumes=[{"volume": "data", "mount_path": "/data"}])
    _body, prerequisites = build(api, components=[nginx], depends_on=["dep-vol"])
    # the first option that needs it names it; a still-starting one is accepted (the task waits for it)
    assert [(field, dep["deploymentId"]) for field, dep in prerequisites.items] == [
        ("components.nginx.volumes[0].volume", "dep-vol")]


def test_prerequisites_keep_the_first_field_per_deployment():
    prerequisites = Prerequisites()
    prerequisites.add("depends_on[0]", {"deploymentId": "dep-1"})
    prerequisites.add("depends_on[1]", {"deploymentId": "dep-2"})
    prerequisites.add("components.a.volumes[0].volume", {"deploymentId": "dep-1"})
    assert [field for field, _dep in prerequisites.items] == ["depends_on[0]", "depends_on[1]"]


def test_an_unknown_static_route_names_the_endpoint(api):
    error = refused(api, components=[component("nginx", static_routes={"test": "nope"})])
    assert error.field == "components.nginx.static_routes.test"
    assert "web-front" in str(error)  # the known routes are listed


def test_an_unknown_volume_or_network_names_the_list_item(api):
    add_volume(api, phase="Succeeded")
    error = refused(api, components=[component("nginx", volumes=[{"volume": "nope", "mount_path": "/d"}])])
    assert error.field == "components.nginx.volumes[0].volume" and "data" in str(error)
    error = refused(api, routed_networks=[{"name": "nope", "network_interface": None}])
    assert error.field == "routed_networks[0].name" and "fleet-net" in str(error)


def test_builder_errors_name_the_list_item(api):
    error = refused(api, routed_networks=[{"name": "fleet-net", "network_interface": "eth0"}])
    assert error.field == "routed_networks[0].network_interface" and "cloud network" in str(error)
    add_volume(api, phase="Succeeded")
    mounts = [{"exec_name": "apache", "mount_path": "/d", "sub_path": None}]
    volumes = [{"volume": "data", "mount_path": "/a"}, {"volume": "data", "executable_mounts": mounts}]
    error = refused(api, components=[component("nginx", volumes=volumes)])
    assert error.field == "components.nginx.volumes[1].executable_mounts" and "apache" in str(error)


def test_an_unknown_dependency_names_its_index(api):
    error = refused(api, depends_on=["dep-none", "ghost"])
    assert error.field == "depends_on[0]"
