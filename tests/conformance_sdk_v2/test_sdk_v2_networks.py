"""Routed and native networks, cloud and device, through sdk-v2 (docs/reference/v2-api.md#networks)."""
import pytest
from rapyuta_io_sdk_v2.exceptions import HttpAlreadyExistsError, HttpNotFoundError, MethodNotAllowedError
from rapyuta_io_sdk_v2.models import Network, NetworkList

from .sdkv2_support import (DOCKER_AMD64, OFFLINE, cloud_deployment, cloud_network, cloud_package, device_deployment,
                            device_network, device_package, wait_for)


def names(listing):
    return [n.metadata.name for n in listing.items or []]


def wait_network(sdk, name, phase, status):
    return wait_for(lambda: sdk.get_network(name),
                    lambda n: n.status is not None and (n.status.phase, n.status.status) == (phase, status),
                    what="network %s %s/%s" % (name, phase, status))


@pytest.mark.parametrize("kind", ["routed", "native"])
def test_cloud_network_lifecycle(sdk, kind):
    created = sdk.create_network(cloud_network("net-" + kind, kind=kind, labels={"app": "demo"}))
    assert isinstance(created, Network)
    assert created.metadata.guid and created.metadata.guid.startswith("network-")
    assert (created.spec.type, created.spec.runtime, created.spec.rosDistro) == (kind, "cloud", "melodic")
    assert created.spec.resourceLimits is not None
    got = wait_network(sdk, "net-" + kind, "Succeeded", "Running")
    assert got.metadata.labels == {"app": "demo"}
    assert got.status.errorCodes in ([], None)
    sdk.delete_network("net-" + kind)
    with pytest.raises(HttpNotFoundError):
        sdk.get_network("net-" + kind)
    with pytest.raises(HttpNotFoundError):
        sdk.delete_network("net-" + kind)


@pytest.mark.parametrize("kind", ["routed", "native"])
def test_device_network_lifecycle(sdk, kind):
    created = sdk.create_network(device_network("dnet-" + kind, DOCKER_AMD64, kind=kind))
    assert created.spec.runtime == "device"
    assert (created.spec.depends.kind, created.spec.depends.name_or_guid) == ("Device", DOCKER_AMD64)
    assert (created.spec.networkInterface, created.spec.restartPolicy) == ("eth0", "always")
    wait_network(sdk, "dnet-" + kind, "Succeeded", "Running")
    sdk.delete_network("dnet-" + kind)
    assert names(sdk.list_networks()) == []


def test_device_network_on_an_offline_device_fails_with_dep_e151(sdk):
    sdk.create_network(device_network("offline-net", OFFLINE))
    got = wait_network(sdk, "offline-net", "FailedToStart", "Error")
    assert got.status.errorCodes == ["DEP_E151"]


def test_device_network_needs_a_known_device(sdk):
    with pytest.raises((MethodNotAllowedError, HttpNotFoundError), match="no-such-robot"):
        sdk.create_network(device_network("lost-net", "no-such-robot"))


def test_duplicate_network_is_a_conflict(sdk):
    sdk.create_network(cloud_network("twice"))
    with pytest.raises(HttpAlreadyExistsError):
        sdk.create_network(cloud_network("twice", kind="native"))


def test_list_filters_and_pages(sdk):
    sdk.create_network(cloud_network("c-routed", labels={"site": "a"}))
    sdk.create_network(cloud_network("c-native", kind="native", labels={"site": "b"}))
    sdk.create_network(device_network("d-routed", DOCKER_AMD64))
    sdk.create_network(device_network("d-native", DOCKER_AMD64, kind="native"))
    sdk.create_network(device_network("d-offline", OFFLINE))
    listing = sdk.list_networks()
    assert isinstance(listing, NetworkList)
    assert names(listing) == ["c-routed", "c-native", "d-routed", "d-native", "d-offline"]
    assert names(sdk.list_networks(network_type="native")) == ["c-native", "d-native"]
    assert names(sdk.list_networks(device_name=DOCKER_AMD64)) == ["d-routed", "d-native"]
    assert names(sdk.list_networks(names=["c-native", "d-offline"])) == ["c-native", "d-offline"]
    assert names(sdk.list_networks(label_selector=["site=a"])) == ["c-routed"]
    assert names(sdk.list_networks(phases=["FailedToStart"])) == ["d-offline"]
    assert names(sdk.list_networks(status=["Running"])) == ["c-routed", "c-native", "d-routed", "d-native"]
    page = sdk.list_networks(limit=2, cont=2)
    assert names(page) == ["d-routed", "d-native"] and page.metadata.continue_ == 4


def test_deployments_use_networks_and_a_network_in_use_cannot_go(sdk):
    sdk.create_network(cloud_network("shared-net"))
    sdk.create_network(device_network("robot-net", DOCKER_AMD64))
    sdk.create_package(cloud_package("web"))
    sdk.create_package(device_package("talker"))
    sdk.create_deployment(cloud_deployment(
        "web-on-net", "web", rosNetworks=[{"depends": {"kind": "network", "nameOrGUID": "shared-net"}}]))
    sdk.create_deployment(device_deployment(
        "talker-on-net", "talker", DOCKER_AMD64,
        rosNetworks=[{"depends": {"kind": "network", "nameOrGUID": "robot-net"}, "interface": "eth0"}]))
    got = sdk.get_deployment("talker-on-net")
    assert got.spec.rosNetworks[0].depends.name_or_guid == "robot-net"
    assert got.spec.rosNetworks[0].interface == "eth0"
    for net in ("shared-net", "robot-net"):
        with pytest.raises(HttpAlreadyExistsError):
            sdk.delete_network(net)
    sdk.delete_deployment("web-on-net")
    sdk.delete_deployment("talker-on-net")
    sdk.delete_network("shared-net")
    sdk.delete_network("robot-net")
