# Copyright: (c) 2026, rapyuta.rio contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""Resolver: names in a deployment task -> platform objects; every miss names the option and what exists."""

import pytest
from deployment_fakes import AMD64, add_volume, device, make_api

from ansible_collections.rapyuta.rio.plugins.module_utils.deployments.checks import DeploymentInputError
from ansible_collections.rapyuta.rio.plugins.module_utils.deployments.resolve import Resolver
from ansible_collections.rapyuta.rio.plugins.module_utils.v1.api import RioLookupError
from ansible_collections.rapyuta.rio.plugins.module_utils.v1.constants import NATIVE, ROUTED


@pytest.fixture
def api():
    return make_api()


def refused(call, *args):
    with pytest.raises(DeploymentInputError) as err:
        call(*args)
    return err.value


# -- package ---------------------------------------------------------------------------------------
def test_a_package_by_id_or_by_name_and_version(api):
    resolver = Resolver(api)
    assert resolver.package(package_id="pkg-talker-docker")["packageName"] == "talker-docker"
    assert resolver.package(package_name="talker-docker", package_version="v1.0.0")["guid"] == "pkg-talker-docker"


def test_an_unknown_package_id_names_package_id(api):
    error = refused(Resolver(api).package, "pkg-nope")
    assert error.field == "package_id" and "'pkg-nope' not found" in str(error)


def test_an_unknown_version_lists_the_known_ones(api):
    error = refused(Resolver(api).package, None, "talker-docker", "v9")
    assert error.field == "package_name"
    assert "package talker-docker v9 not found (known versions: v1.0.0)" in str(error)
    error = refused(Resolver(api).package, None, "ghost", "v1")
    assert "(known versions: none)" in str(error)


def test_a_package_held_twice_is_an_input_error_on_package_name(api):
    def ambiguous(name, version):
        raise RioLookupError("package %s %s exists 2 times: a, b" % (name, version))
    api.find_package = ambiguous
    error = refused(Resolver(api).package, None, "talker-docker", "v1.0.0")
    assert error.field == "package_name" and "exists 2 times" in str(error)


# -- devices ---------------------------------------------------------------------------------------
def test_a_device_by_name_or_uuid_and_its_config_variables(api):
    resolver = Resolver(api)
    robot = resolver.device("components.default.device", "robot-docker-amd64")
    assert robot["uuid"] == AMD64 and resolver.device("components.default.device", AMD64) is not None
    assert {"key": "ros_distro", "value": "melodic"} in resolver.config_variables(robot)


def test_an_unknown_device_lists_the_known_ones_under_its_field(api):
    error = refused(Resolver(api).device, "components.default.device", "robot-9")
    assert error.field == "components.default.device"
    assert "device 'robot-9' not found; known devices: robot-docker-amd64, robot-docker-arm64, robot-offline" \
        in str(error)


def test_a_shared_device_name_is_an_input_error(api):
    api.devices.append(device("11111111-1111-4111-8111-111111111199", "robot-docker-amd64"))
    error = refused(Resolver(api).device, "components.default.device", "robot-docker-amd64")
    assert error.field == "components.default.device" and "shared" in str(error)


# -- static routes ---------------------------------------------------------------------------------
def test_a_static_route_by_guid_or_url_prefix(api):
    resolver = Resolver(api)
    assert resolver.static_route("f", "web-front")["guid"] == "staticroute-aaaa"
    assert resolver.static_route("f", "staticroute-aaaa")["urlPrefix"] == "web-front"


def test_an_unknown_static_route_lists_the_known_prefixes(api):
    error = refused(Resolver(api).static_route, "components.nginx.static_routes.test", "nope")
    assert error.field == "components.nginx.static_routes.test"
    assert "static route 'nope' not found; known static routes: web-front" in str(error)


# -- networks --------------------------------------------------------------------------------------
def test_networks_are_found_by_kind(api):
    assert Resolver(api).network(ROUTED, "routed_networks[0].name", "fleet-net")["guid"] == "net-aaaa"
    error = refused(Resolver(api).network, NATIVE, "native_networks[0].name", "fleet-net")
    assert error.field == "native_networks[0].name"
    assert "native network 'fleet-net' not found; known: none" in str(error)


def test_an_unknown_routed_network_lists_the_known_ones(api):
    error = refused(Resolver(api).network, ROUTED, "routed_networks[1].name", "nope")
    assert error.field == "routed_networks[1].name" and "routed network 'nope' not found; known: fleet-net" in str(error)


def test_a_shared_network_name_is_an_input_error(api):
    def ambiguous(kind, name):
        raise RioLookupError("%s name %s is shared by 2 networks" % (kind, name))
    api.find_network = ambiguous
    error = refused(Resolver(api).network, ROUTED, "routed_networks[0].name", "fleet-net")
    assert error.field == "routed_networks[0].name" and "shared by 2 networks" in str(error)


# -- live deployments ------------------------------------------------------------------------------
def live(api, deployment_id, name, phase="Succeeded"):
    api.deployments[deployment_id] = {"deploymentId": deployment_id, "name": name, "phase": phase, "reads": 0}


def test_a_dependency_by_id_or_unique_name(api):
    live(api, "dep-0001", "base")
    resolver = Resolver(api)
    assert resolver.live_deployment("depends_on[0]", "dep-0001")["name"] == "base"
    assert resolver.live_deployment("depends_on[0]", "base")["deploymentId"] == "dep-0001"


def test_an_id_wins_over_a_name(api):
    live(api, "dep-0001", "dep-0002")
    live(api, "dep-0002", "other")
    assert Resolver(api).live_deployment("depends_on[0]", "dep-0002")["name"] == "other"


def test_a_stopped_or_missing_dependency_is_not_found(api):
    live(api, "dep-0001", "base", phase="Deployment stopped")
    error = refused(Resolver(api).live_deployment, "depends_on[2]", "base")
    assert error.field == "depends_on[2]" and "no live deployment named 'base'" in str(error)


def test_a_dependency_name_held_twice_asks_for_an_id(api):
    live(api, "dep-0001", "base")
    live(api, "dep-0002", "base")
    error = refused(Resolver(api).live_deployment, "depends_on[0]", "base")
    assert "shared by 2 live deployments: dep-0001, dep-0002; use an id" in str(error)


# -- volumes ---------------------------------------------------------------------------------------
def test_a_volume_resolves_to_the_live_deployment_behind_it(api):
    add_volume(api, phase="Succeeded")
    resolver = Resolver(api)
    assert resolver.volume_deployment("v", "data")["deploymentId"] == "dep-vol"
    assert resolver.volume_deployment("v", "disk-1")["deploymentId"] == "dep-vol"


def test_an_unknown_or_shared_volume_is_an_input_error(api):
    add_volume(api, phase="Succeeded")
    error = refused(Resolver(api).volume_deployment, "components.nginx.volumes[0].volume", "nope")
    assert error.field == "components.nginx.volumes[0].volume" and "known volumes: data" in str(error)
    api.disks.append({"guid": "disk-2", "name": "data", "status": "Available", "internalDeploymentGUID": "dep-x"})
    error = refused(Resolver(api).volume_deployment, "v", "data")
    assert "shared by 2 volumes: disk-1, disk-2; use the guid" in str(error)


def test_a_volume_whose_deployment_is_gone_says_its_status(api):
    add_volume(api, phase="Deployment stopped")
    api.disks[0]["status"] = "Released"
    error = refused(Resolver(api).volume_deployment, "v", "data")
    assert "volume 'data' (disk-1) has no live deployment (status 'Released')" in str(error)
