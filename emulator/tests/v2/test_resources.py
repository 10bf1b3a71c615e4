"""v2 networks, disks, static routes, secrets and config trees."""
import json

import pytest

from emulator_helpers import DOCKER_AMD64, OFFLINE

from .resource_helpers import (cloud_network, device_network, disk, docker_secret, error_of, opaque_secret,
                               put_deployment, sdk_cloud_package, sparse_device_package)


def create(api, route, body, expect=201):
    answer = api.post("/v2/%s/" % route, json=body)
    assert answer.status_code == expect, answer.text
    return answer.json()


def names(api, route, params=None):
    return [item["metadata"]["name"] for item in api.get("/v2/%s/" % route, params=params or {}).json()["items"]]


# -- networks --------------------------------------------------------------------------------------
def test_device_network_goes_through_the_phases(slow_api):
    api = slow_api
    created = create(api, "networks", device_network())
    assert set(created) == {"apiVersion", "kind", "metadata", "spec", "status"}
    assert created["spec"]["depends"] == {"kind": "Device", "nameOrGUID": "docker-amd64"}
    assert "discoveryServer" not in created["spec"]
    seen = []
    for _ in range(3):
        seen.append(api.get("/v2/networks/demo-net/").json()["status"])
        api.clock.advance(5)
    assert seen == [{"phase": "InProgress", "status": "Pending", "errorCodes": []},
                    {"phase": "Provisioning", "status": "Pending", "errorCodes": []},
                    {"phase": "Succeeded", "status": "Running", "errorCodes": []}]


def test_network_on_an_offline_device_fails_to_start_with_dep_e151(slow_api):
    create(slow_api, "networks", device_network(device=OFFLINE))
    assert slow_api.get("/v2/networks/demo-net/").json()["status"]["errorCodes"] == []
    slow_api.clock.advance(11)
    assert slow_api.get("/v2/networks/demo-net/").json()["status"] == \
        {"phase": "FailedToStart", "status": "Error", "errorCodes": ["DEP_E151"]}


def test_device_may_be_named_by_uuid(api):
    assert create(api, "networks", device_network(device=DOCKER_AMD64))["status"]["phase"] == "Succeeded"


@pytest.mark.parametrize("change, message", [
    (lambda s: s.update(depends={"kind": "Device", "nameOrGUID": "nope"}), "spec.depends.nameOrGUID: device nope not found"),
    (lambda s: s.update(depends={"kind": "device", "nameOrGUID": "docker-amd64"}), "spec.depends.kind: must be one of Device"),
    (lambda s: s.update(depends=None), "spec.depends: required"),
    (lambda s: s.update(networkInterface="wlan9"), "spec.networkInterface: device docker-amd64 has no network interface wlan9"),
    (lambda s: s.update(type="mesh"), "spec.type: must be one of routed, native"),
    (lambda s: s.update(rosDistro="humble"), "spec.rosDistro: must be one of melodic, kinetic, noetic, foxy"),
    (lambda s: s.update(restartPolicy="onFailure"), "spec.restartPolicy: must be one of always, never, onfailure"),
    (lambda s: s.update(runtime=None), "spec.runtime: required"),
])
def test_device_network_checks(api, change, message):
    body = device_network()
    change(body["spec"])
    assert error_of(api.post("/v2/networks/", json=body), 400) == message


@pytest.mark.parametrize("cpu, memory, message", [
    (0.03, 512, "spec.resourceLimits.cpu: must be a multiple of 0.025"),
    (8, 512, "spec.resourceLimits.cpu: must be at most 4"),
    (0.1, 500, "spec.resourceLimits.memory: must be a multiple of 128"),
    (0.1, 512.5, "spec.resourceLimits.memory: must be an integer"),
])
def test_cloud_network_limits(api, cpu, memory, message):
    assert error_of(api.post("/v2/networks/", json=cloud_network(cpu=cpu, memory=memory)), 400) == message


def test_network_names_are_unique_and_list_filters(slow_api):
    api = slow_api
    create(api, "networks", device_network())
    create(api, "networks", device_network(name="off-net", device=OFFLINE))
    create(api, "networks", cloud_network())
    assert error_of(api.post("/v2/networks/", json=cloud_network()), 409) == "network demo-native already exists"
    api.clock.advance(11)
    assert names(api, "networks", {"networkType": "routed"}) == ["demo-net", "off-net"]
    assert names(api, "networks", {"networkType": "native", "deviceName": ""}) == ["demo-native"]
    assert names(api, "networks", {"deviceName": "docker-amd64"}) == ["demo-net"]
    assert names(api, "networks", {"deviceName": OFFLINE}) == ["off-net"]
    assert names(api, "networks", [("phases", "FailedToStart"), ("phases", "InProgress")]) == ["off-net"]
    assert names(api, "networks", {"status": "Running"}) == ["demo-net", "demo-native"]
    assert names(api, "networks", {"names": "demo-net", "regions": "jp"}) == ["demo-net"]
    assert names(api, "networks", {"regions": "us"}) == []


def test_network_delete_and_in_use(api):
    create(api, "networks", device_network())
    assert error_of(api.get("/v2/networks/nope/"), 404) == "network nope not found"
    put_deployment(api, "talker", runtime="device", rosNetworks=[{"depends": {"kind": "network",
                                                                               "nameOrGUID": "demo-net"}}])
    assert error_of(api.delete("/v2/networks/demo-net/"), 409).startswith(
        "network demo-net is in use by deployments: talker (dep-")
    put_deployment(api, "talker", runtime="device", stopped=True,
                   rosNetworks=[{"depends": {"kind": "network", "nameOrGUID": "demo-net"}}])
    assert api.delete("/v2/networks/demo-net/").json() == {"success": True}
    assert error_of(api.delete("/v2/networks/demo-net/"), 404) == "network demo-net not found"


# -- disks -----------------------------------------------------------------------------------------
def _volume(name="demo-disk"):
    return [{"execName": "web", "mountPath": "/data", "depends": {"kind": "disk", "nameOrGUID": name}}]


def test_disk_is_pending_then_available(slow_api):
    created = create(slow_api, "disks", disk())
    assert set(created) == {"apiVersion", "kind", "metadata", "spec", "status"}
    assert created["spec"] == {"runtime": "cloud", "capacity": 4}
    assert created["status"] == {"status": "Pending", "capacityUsed": 0.0, "capacityAvailable": 4.0, "diskBound": {}}
    slow_api.clock.advance(10)
    assert slow_api.get("/v2/disks/demo-disk/").json()["status"]["status"] == "Available"


def test_disk_is_bound_while_mounted_then_released(api):
    create(api, "disks", disk())
    doc = put_deployment(api, "web-dep", volumes=_volume())
    status = api.get("/v2/disks/demo-disk/").json()["status"]
    assert status["status"] == "Bound"
    assert status["diskBound"] == {"deployment_guid": doc["metadata"]["guid"], "deployment_name": "web-dep"}
    assert error_of(api.delete("/v2/disks/demo-disk/"), 409).startswith("disk demo-disk is in use by deployments: web-dep")
    put_deployment(api, "web-dep", volumes=_volume(), stopped=True)
    assert api.get("/v2/disks/demo-disk/").json()["status"]["status"] == "Released"
    assert names(api, "disks", {"status": "Released"}) == ["demo-disk"]
    assert names(api, "disks", {"status": "Available"}) == []
    assert api.delete("/v2/disks/demo-disk/").json() == {"success": True}
    assert error_of(api.get("/v2/disks/demo-disk/"), 404) == "disk demo-disk not found"


@pytest.mark.parametrize("spec, message", [
    ({"capacity": 5}, "spec.capacity: must be an even number of GiB"),
    ({"capacity": 2}, "spec.capacity: must be at least 4"),
    ({"capacity": 1024}, "spec.capacity: must be at most 512"),
    ({"capacity": "8"}, "spec.capacity: must be an integer"),
    ({}, "spec.capacity: required"),
    ({"capacity": 8, "runtime": "device"}, "spec.runtime: must be one of cloud"),
])
def test_disk_checks(api, spec, message):
    body = disk()
    body["spec"] = spec
    assert error_of(api.post("/v2/disks/", json=body), 400) == message


def test_disk_names_are_unique(api):
    create(api, "disks", disk())
    assert error_of(api.post("/v2/disks/", json=disk(capacity=8)), 409) == "disk demo-disk already exists"


# -- static routes ---------------------------------------------------------------------------------
def _route(name="demo-route", ranges=None, labels=None):
    body = {"apiVersion": "api.rapyuta.io/v2", "kind": "StaticRoute", "metadata": {"name": name, "guid": None},
            "spec": None, "status": None}
    if ranges is not None:
        body["spec"] = {"sourceIPRange": ranges}
    if labels is not None:
        body["metadata"]["labels"] = labels
    return body


def test_static_route_name_gets_the_organization_suffix(api):
    created = create(api, "staticroutes", _route())
    assert created["metadata"]["name"] == "demo-route-emuorg"
    assert created["spec"] == {"url": "demo-route-emuorg.ep-r.io"}
    assert created["status"] == {"status": "Available"}
    for spelling in ("demo-route", "demo-route-emuorg", created["metadata"]["guid"]):
        assert api.get("/v2/staticroutes/%s/" % spelling).json() == created
    assert error_of(api.post("/v2/staticroutes/", json=_route()), 409) == "static route demo-route-emuorg already exists"


def test_static_route_put_by_either_spelling_replaces_labels_and_ranges(api):
    create(api, "staticroutes", _route(ranges=["10.0.0.0/8"], labels={"a": "1"}))
    updated = api.put("/v2/staticroutes/demo-route/", json=_route(ranges=["192.168.1.0/24"], labels={"b": "2"})).json()
    assert updated["metadata"]["labels"] == {"b": "2"}
    assert updated["spec"] == {"url": "demo-route-emuorg.ep-r.io", "sourceIPRange": ["192.168.1.0/24"]}
    again = api.put("/v2/staticroutes/demo-route-emuorg/", json=_route()).json()
    assert again["spec"] == {"url": "demo-route-emuorg.ep-r.io"} and again["metadata"]["labels"] == {}
    assert error_of(api.put("/v2/staticroutes/nope/", json=_route()), 404) == "static route nope not found"


def test_static_route_checks_and_list(api):
    assert error_of(api.post("/v2/staticroutes/", json=_route(ranges=["10.0.0.0/33"])), 400).startswith(
        "spec.sourceIPRange[0]: must be an IPv4 CIDR range")
    create(api, "staticroutes", _route(labels={"app": "x"}))
    create(api, "staticroutes", _route(name="other"))
    assert names(api, "staticroutes", {"guids": "", "labelSelector": "", "names": "", "regions": ""}) == \
        ["demo-route-emuorg", "other-emuorg"]
    assert names(api, "staticroutes", {"names": "other"}) == ["other-emuorg"]
    assert names(api, "staticroutes", {"names": "other-emuorg"}) == ["other-emuorg"]
    assert names(api, "staticroutes", {"labelSelector": "app=x"}) == ["demo-route-emuorg"]


def test_static_route_delete_and_in_use(api):
    create(api, "staticroutes", _route())
    put_deployment(api, "web-dep", staticRoutes=[{"name": "http", "depends": {"kind": "staticroute",
                                                                               "nameOrGUID": "demo-route"}}])
    assert error_of(api.delete("/v2/staticroutes/demo-route-emuorg/"), 409).startswith(
        "static route demo-route-emuorg is in use by deployments: web-dep")
    put_deployment(api, "web-dep", stopped=True)
    assert api.delete("/v2/staticroutes/demo-route-emuorg/").json() == {"success": True}
    assert error_of(api.delete("/v2/staticroutes/demo-route/"), 404) == "static route demo-route not found"


# -- secrets ---------------------------------------------------------------------------------------
def test_docker_secret_never_returns_the_password(api):
    created = create(api, "secrets", docker_secret())
    assert created["spec"] == {"type": "Docker", "docker": {"registry": "https://index.docker.io/v1/", "username": "u",
                                                            "email": "u@example.com"},
                               "secretKeys": [".dockerconfigjson"]}
    for answer in (api.get("/v2/secrets/regcred/"), api.get("/v2/secrets/")):
        assert "s3cr3t-pw" not in answer.text
    assert "status" not in created


def test_opaque_secret_returns_its_keys_only(api):
    created = create(api, "secrets", opaque_secret())
    assert created["spec"] == {"type": "Opaque", "secretKeys": ["other", "token"]}
    assert "v4lue" not in json.dumps(api.get("/v2/secrets/").json())


def test_put_secret_updates_it(api):
    create(api, "secrets", docker_secret())
    body = opaque_secret(name="regcred", data={"k": "new-v4lue"})
    body["metadata"]["labels"] = {"rotated": "yes"}
    updated = api.put("/v2/secrets/regcred/", json=body).json()
    assert updated["spec"] == {"type": "Opaque", "secretKeys": ["k"]}
    assert updated["metadata"]["labels"] == {"rotated": "yes"}
    assert "new-v4lue" not in api.get("/v2/secrets/regcred/").text
    assert error_of(api.put("/v2/secrets/nope/", json=body), 404) == "secret nope not found"


@pytest.mark.parametrize("spec, message", [
    ({"type": "Docker", "docker": {"username": "u", "email": "e"}}, "spec.docker.password: required"),
    ({"type": "Docker"}, "spec.docker: required"),
    ({"type": "Opaque"}, "spec.data: required"),
    ({"type": "Opaque", "data": {"k": 1}}, "spec.data.k: must be a string"),
    ({"type": "Opaque", "data": {"k": "v"}, "docker": {"username": "u"}}, "spec.docker: only for type Docker"),
    ({"type": "Vault"}, "spec.type: must be one of Docker, Opaque"),
    ({"type": "Opaque", "data": {"k": "v"}, "runtime": "device", "depends": {"kind": "device", "nameOrGUID": "nope"}},
     "spec.depends.nameOrGUID: device nope not found"),
])
def test_secret_checks(api, spec, message):
    body = opaque_secret()
    body["spec"] = spec
    assert error_of(api.post("/v2/secrets/", json=body), 400) == message


def test_secret_list_and_duplicates(api):
    create(api, "secrets", docker_secret())
    create(api, "secrets", opaque_secret())
    assert error_of(api.post("/v2/secrets/", json=opaque_secret()), 409) == "secret opaque already exists"
    assert names(api, "secrets", {"continue": 0, "limit": 1}) == ["regcred"]
    assert names(api, "secrets", {"continue": 1, "limit": 1}) == ["opaque"]
    assert names(api, "secrets", {"names": "opaque"}) == ["opaque"]


def test_secret_in_use_by_env_args_or_by_the_deployments_package(api):
    create(api, "secrets", docker_secret())
    create(api, "secrets", opaque_secret())
    create(api, "packages", sparse_device_package(pull_secret="regcred"))
    put_deployment(api, "talker", package=("demo-talker", "v1.0.0"), runtime="device")
    put_deployment(api, "web", package=("demo-web", "v1.0.0"),
                   envArgs=[{"name": "TOKEN", "valueFrom": {"secretKeyRef": {"name": "opaque", "key": "token"}}}])
    assert error_of(api.delete("/v2/secrets/regcred/"), 409).startswith("secret regcred is in use by deployments: talker")
    assert error_of(api.delete("/v2/secrets/opaque/"), 409).startswith("secret opaque is in use by deployments: web")
    put_deployment(api, "talker", package=("demo-talker", "v1.0.0"), runtime="device", stopped=True)
    assert api.delete("/v2/secrets/regcred/").json() == {"success": True}


# -- config trees ----------------------------------------------------------------------------------
def test_config_trees_are_free_form(api):
    body = {"kind": "ConfigTree", "metadata": {"name": "robot-config", "labels": {"site": "a"}, "guid": None},
            "head": {"keys": {"a/b": {"value": None}}}}
    created = create(api, "configtrees", body)
    assert created["head"] == {"keys": {"a/b": {"value": None}}}
    assert created["metadata"]["guid"].startswith("configtree-") and "spec" not in created
    assert api.get("/v2/configtrees/robot-config/", params={"includeData": "true"}).json() == created
    assert error_of(api.post("/v2/configtrees/", json=body), 409) == "config tree robot-config already exists"
    create(api, "configtrees", {"metadata": {"name": "other"}})
    assert names(api, "configtrees") == ["robot-config", "other"]
    assert names(api, "configtrees", {"labelSelector": "site=a"}) == ["robot-config"]
    assert error_of(api.put("/v2/configtrees/other/", json=body), 405)
    assert error_of(api.post("/v2/configtrees/", json={"head": {}}), 400) == "metadata: required"


def test_config_tree_in_use_and_delete(api):
    create(api, "configtrees", {"metadata": {"name": "cfg"}})
    put_deployment(api, "web", features={"params": {"enabled": True, "trees": ["cfg"]}})
    assert error_of(api.delete("/v2/configtrees/cfg/"), 409).startswith("config tree cfg is in use by deployments: web")
    put_deployment(api, "web", stopped=True)
    assert api.delete("/v2/configtrees/cfg/").json() == {"success": True}
    assert error_of(api.get("/v2/configtrees/cfg/"), 404) == "config tree cfg not found"


def test_objects_live_in_their_project_only(api):
    create(api, "packages", sdk_cloud_package())
    create(api, "disks", disk())
    other = api.post("/v2/projects/", json={"metadata": {"name": "second"}}).json()["metadata"]["guid"]
    assert api.get("/v2/disks/demo-disk/", headers={"project": other}).status_code == 404
    assert api.post("/v2/disks/", json=disk(), headers={"project": other}).status_code == 201


def test_a_put_of_the_same_object_changes_nothing(api):
    """rio apply re-sends every secret and static route with PUT: an unchanged one keeps its updatedAt."""
    secret = create(api, "secrets", docker_secret())
    route = create(api, "staticroutes", _route(ranges=["10.0.0.0/8"], labels={"a": "1"}))
    api.clock.advance(60)
    assert api.put("/v2/secrets/regcred/", json=docker_secret()).json() == secret
    assert api.put("/v2/staticroutes/demo-route/", json=_route(ranges=["10.0.0.0/8"], labels={"a": "1"})).json() == route
    assert api.get("/v2/secrets/regcred/").json() == secret
    assert api.get("/v2/staticroutes/demo-route/").json() == route
    # a changed password is a change, though the answer shows no password
    changed = api.put("/v2/secrets/regcred/", json=docker_secret(password="rotated")).json()
    assert changed["metadata"]["updatedAt"] > secret["metadata"]["updatedAt"]
    assert changed["spec"] == secret["spec"]
    moved = api.put("/v2/staticroutes/demo-route/", json=_route(ranges=["10.0.0.0/16"], labels={"a": "1"})).json()
    assert moved["metadata"]["updatedAt"] > route["metadata"]["updatedAt"]
