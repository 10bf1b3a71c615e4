"""Disks, static routes, secrets and config trees through sdk-v2, alone and referenced by deployments
(docs/reference/v2-api.md#disks, docs/reference/v2-api.md#static-routes, docs/reference/v2-api.md#secrets,
docs/reference/v2-api.md#config-trees)."""
import json

import pytest
from rapyuta_io_sdk_v2.exceptions import HttpAlreadyExistsError, HttpNotFoundError
from rapyuta_io_sdk_v2.models import Disk, DiskList, Secret, SecretList, StaticRoute, StaticRouteList
from rapyuta_io_sdk_v2.utils import walk_pages

from .sdkv2_support import (ORGANIZATION_SHORT_ID, PROJECT, TOKEN, cloud_deployment, cloud_package, config_tree,
                            disk, docker_secret, opaque_secret, static_route, wait_for)


def names(listing):
    return [o.metadata.name for o in listing.items or []]


def assert_taken_then_gone(sdk, kind, document, name, stored_name=None):
    """A second create of `document` is 409; once deleted (by `stored_name`, default `name`), a get and
    another delete of `name` are 404."""
    create, get, delete = (getattr(sdk, "%s_%s" % (verb, kind)) for verb in ("create", "get", "delete"))
    with pytest.raises(HttpAlreadyExistsError):
        create(document)
    delete(stored_name or name)
    with pytest.raises(HttpNotFoundError):
        get(name)
    with pytest.raises(HttpNotFoundError):
        delete(name)


def assert_kept_while_used(sdk, kind, name, deployment):
    """Deleting the object is 409, naming the live `deployment` that references it, until that is deleted."""
    delete = getattr(sdk, "delete_" + kind)
    with pytest.raises(HttpAlreadyExistsError, match=deployment):
        delete(name)
    sdk.delete_deployment(deployment)
    delete(name)


# -- disks -------------------------------------------------------------------------------------------
def test_disk_lifecycle(sdk):
    created = sdk.create_disk(disk("data", capacity=8, labels={"app": "demo"}))
    assert isinstance(created, Disk)
    assert created.metadata.guid.startswith("disk-")
    assert (created.spec.runtime, created.spec.capacity) == ("cloud", 8)
    got = wait_for(lambda: sdk.get_disk("data"), lambda d: d.status and d.status.status == "Available",
                   what="disk Available")
    assert got.status.disk_bound is None
    assert got.metadata.labels == {"app": "demo"}
    listing = sdk.list_disks()
    assert isinstance(listing, DiskList) and names(listing) == ["data"]
    sdk.delete_disk("data")
    with pytest.raises(HttpNotFoundError):
        sdk.get_disk("data")
    with pytest.raises(HttpNotFoundError):
        sdk.delete_disk("data")


def test_disk_conflict_filters_and_pages(sdk):
    for index in range(5):
        sdk.create_disk(disk("disk-%d" % index, labels={"even": str(index % 2 == 0).lower()}))
    with pytest.raises(HttpAlreadyExistsError):
        sdk.create_disk(disk("disk-0"))
    assert names(sdk.list_disks(names=["disk-1", "disk-3"])) == ["disk-1", "disk-3"]
    assert names(sdk.list_disks(label_selector=["even=true"])) == ["disk-0", "disk-2", "disk-4"]
    assert names(sdk.list_disks(status=["Available"])) == ["disk-%d" % i for i in range(5)]
    assert names(sdk.list_disks(status=["Bound"])) == []
    pages = list(walk_pages(sdk.list_disks, limit=2))
    assert [len(page) for page in pages] == [2, 2, 1]


def test_a_mounted_disk_is_bound_then_released_and_cannot_go_while_bound(sdk):
    sdk.create_disk(disk("logs"))
    sdk.create_package(cloud_package("web"))
    created = sdk.create_deployment(cloud_deployment(
        "writer", "web", volumes=[{"execName": "web", "mountPath": "/data", "subPath": "logs",
                                   "depends": {"kind": "disk", "nameOrGUID": "logs"}}]))
    bound = wait_for(lambda: sdk.get_disk("logs"), lambda d: d.status and d.status.status == "Bound",
                     what="disk Bound")
    assert bound.status.disk_bound.deployment_name == "writer"
    assert bound.status.disk_bound.deployment_guid == created.metadata.guid
    volume = sdk.get_deployment("writer").spec.volumes[0]
    assert (volume.exec_name, volume.mount_path, volume.sub_path, volume.depends.name_or_guid) == (
        "web", "/data", "logs", "logs")
    with pytest.raises(HttpAlreadyExistsError):
        sdk.delete_disk("logs")
    sdk.delete_deployment("writer")
    released = sdk.get_disk("logs")
    assert released.status.status == "Released"
    sdk.delete_disk("logs")


def test_an_invalid_disk_is_a_bad_request(emulator):
    status, answer = emulator.raw("POST", "/v2/disks/", {"kind": "Disk", "metadata": {"name": "odd"},
                                                         "spec": {"capacity": "lots"}},
                                  headers={"Authorization": "Bearer " + TOKEN, "project": PROJECT})
    assert status == 400 and "capacity" in answer["error"]


# -- static routes ---------------------------------------------------------------------------------------
def test_static_route_lifecycle_and_both_spellings(sdk):
    full = "web-route-" + ORGANIZATION_SHORT_ID
    created = sdk.create_staticroute(static_route("web-route", source_ranges=["10.0.0.0/8"], labels={"a": "b"}))
    assert isinstance(created, StaticRoute)
    assert created.metadata.name == full
    assert created.metadata.guid.startswith("staticroute-")
    assert created.spec.url == full + ".ep-r.io"
    assert created.spec.source_ip_range == ["10.0.0.0/8"]
    assert sdk.get_staticroute("web-route").metadata.name == full
    assert sdk.get_staticroute(full).metadata.guid == created.metadata.guid
    listing = sdk.list_staticroutes()
    assert isinstance(listing, StaticRouteList) and names(listing) == [full]
    assert names(sdk.list_staticroutes(label_selector=["a=b"])) == [full]
    assert names(sdk.list_staticroutes(guids=[created.metadata.guid])) == [full]

    # `rio apply` updates with the unsuffixed name; labels and source ranges are replaced.
    updated = sdk.update_staticroute("web-route", static_route("web-route", source_ranges=["192.168.0.0/16"],
                                                               labels={"a": "c"}))
    assert updated.spec.source_ip_range == ["192.168.0.0/16"]
    got = sdk.get_staticroute(full)
    assert got.metadata.labels == {"a": "c"} and got.spec.source_ip_range == ["192.168.0.0/16"]
    assert got.spec.url == full + ".ep-r.io"

    assert_taken_then_gone(sdk, "staticroute", static_route("web-route"), "web-route", stored_name=full)


def test_a_route_bound_to_a_deployment_cannot_go(sdk):
    sdk.create_staticroute(static_route("bound-route"))
    sdk.create_package(cloud_package("web"))
    sdk.create_deployment(cloud_deployment(
        "routed-web", "web", staticRoutes=[{"name": "http",
                                            "depends": {"kind": "staticroute", "nameOrGUID": "bound-route"}}]))
    route = sdk.get_deployment("routed-web").spec.staticRoutes[0]
    assert (route.name, route.depends.name_or_guid) == ("http", "bound-route")
    assert_kept_while_used(sdk, "staticroute", "bound-route", "routed-web")


# -- secrets -------------------------------------------------------------------------------------------
def raw_secret(emulator, name):
    status, answer = emulator.raw("GET", "/v2/secrets/%s/" % name,
                                  headers={"Authorization": "Bearer " + TOKEN, "project": PROJECT})
    assert status == 200, answer
    return answer


def test_docker_secret_lifecycle_never_shows_the_password(sdk, emulator):
    created = sdk.create_secret(docker_secret("regcred", password="hunter2-secret"))
    assert isinstance(created, Secret)
    assert created.metadata.guid.startswith("secret-")
    assert created.spec.type == "Docker"
    assert (created.spec.docker.username, created.spec.docker.registry) == ("robot", "https://registry.example.com/v2/")
    got = sdk.get_secret("regcred")
    assert got.spec.docker.email == "robot@example.com"
    assert "hunter2-secret" not in json.dumps(raw_secret(emulator, "regcred"))
    assert "password" not in json.dumps(raw_secret(emulator, "regcred"))

    updated = sdk.update_secret("regcred", docker_secret("regcred", password="other-pass", username="robot2"))
    assert updated.spec.docker.username == "robot2"
    assert sdk.get_secret("regcred").spec.docker.username == "robot2"
    assert "other-pass" not in json.dumps(raw_secret(emulator, "regcred"))

    assert_taken_then_gone(sdk, "secret", docker_secret("regcred"), "regcred")
    with pytest.raises(HttpNotFoundError):
        sdk.update_secret("regcred", docker_secret("regcred"))


def test_opaque_secret_shows_its_keys_not_its_values(sdk, emulator):
    created = sdk.create_secret(opaque_secret("api-keys", {"API_KEY": "value-one-xyz", "OTHER": "value-two-xyz"}))
    assert sorted(created.spec.secret_keys) == ["API_KEY", "OTHER"]
    raw = json.dumps(raw_secret(emulator, "api-keys"))
    assert "value-one-xyz" not in raw and "value-two-xyz" not in raw
    assert sorted(sdk.get_secret("api-keys").spec.secret_keys) == ["API_KEY", "OTHER"]


def test_secret_list_and_pages(sdk):
    for index in range(3):
        sdk.create_secret(opaque_secret("s-%d" % index, {"k": "v"}))
    listing = sdk.list_secrets()
    assert isinstance(listing, SecretList) and names(listing) == ["s-0", "s-1", "s-2"]
    assert names(sdk.list_secrets(names=["s-2"])) == ["s-2"]
    first = sdk.list_secrets(limit=2)
    assert names(first) == ["s-0", "s-1"] and first.metadata.continue_ == 2
    assert names(sdk.list_secrets(cont=2, limit=2)) == ["s-2"]


def test_a_secret_referenced_by_a_live_deployment_cannot_go(sdk):
    sdk.create_secret(docker_secret("pull"))
    sdk.create_secret(opaque_secret("env", {"TOKEN": "abc"}))
    body = cloud_package("private")
    body["spec"]["executables"][0]["docker"]["pullSecret"] = {"depends": {"kind": "secret", "nameOrGUID": "pull"}}
    sdk.create_package(body)
    pulled = sdk.get_package("private", "v1.0.0").spec.executables[0].docker.pull_secret
    assert pulled.depends.name_or_guid == "pull"
    sdk.create_deployment(cloud_deployment(
        "uses-secrets", "private",
        envArgs=[{"name": "TOKEN", "valueFrom": {"secretKeyRef": {"name": "env", "key": "TOKEN"}}}]))
    assert sdk.get_deployment("uses-secrets").spec.envArgs[0].valueFrom.secret_key_ref.name == "env"
    assert_kept_while_used(sdk, "secret", "env", "uses-secrets")


# -- config trees ----------------------------------------------------------------------------------------
def test_config_tree_lifecycle(sdk):
    created = sdk.create_configtree(config_tree("robot-config", labels={"fleet": "a"}))
    assert created["metadata"]["name"] == "robot-config"
    assert sdk.get_configtree("robot-config")["metadata"]["name"] == "robot-config"
    sdk.create_configtree(config_tree("site-config"))
    listing = sdk.list_configtrees()
    assert [tree["metadata"]["name"] for tree in listing["items"]] == ["robot-config", "site-config"]
    assert [tree["metadata"]["name"] for page in walk_pages(sdk.list_configtrees, limit=1) for tree in page] == [
        "robot-config", "site-config"]
    with pytest.raises(HttpAlreadyExistsError):
        sdk.create_configtree(config_tree("robot-config"))
    assert_taken_then_gone(sdk, "configtree", config_tree("site-config"), "site-config")


def test_a_tree_used_by_a_deployment_cannot_go(sdk):
    sdk.create_configtree(config_tree("robot-config"))
    sdk.create_package(cloud_package("web"))
    sdk.create_deployment(cloud_deployment(
        "with-params", "web", features={"params": {"enabled": True, "trees": ["robot-config"],
                                                   "blockUntilSynced": True}}))
    params = sdk.get_deployment("with-params").spec.features.params
    assert (params.enabled, params.trees, params.blockUntilSynced) == (True, ["robot-config"], True)
    assert_kept_while_used(sdk, "configtree", "robot-config", "with-params")
