"""v2 packages: create (null-filled and sparse), identity (name, version), get/list/delete, validation."""
import copy
import re

import pytest

from emulator_helpers import PROJECT

from .resource_helpers import error_of, put_deployment, sdk_cloud_package, sparse_device_package


def create(api, body, expect=201):
    answer = api.post("/v2/packages/", json=body)
    assert answer.status_code == expect, answer.text
    return answer.json()


def test_create_returns_the_object_as_sent_plus_server_metadata(api):
    created = create(api, sdk_cloud_package())
    assert set(created) == {"apiVersion", "kind", "metadata", "spec"}
    assert created["apiVersion"] == "apiextensions.rapyuta.io/v1"
    meta = created["metadata"]
    assert re.match(r"^pkg-[a-z]{24}$", meta["guid"])
    assert (meta["name"], meta["version"], meta["description"], meta["labels"]) == \
        ("demo-web", "v1.0.0", "cloud demo", {"app": "demo"})
    assert meta["projectGUID"] == PROJECT and meta["createdAt"]
    executable = created["spec"]["executables"][0]
    # stored as sent: the command is not wrapped again, nulls are gone
    assert executable["command"] == ["/bin/bash", "-c", "nginx -g 'daemon off;'"]
    assert "pullSecret" not in executable["docker"] and "entrypoint" not in executable
    assert "device" not in created["spec"] and created["spec"]["cloud"] == {"replicas": 1}
    assert create(api, sparse_device_package())["spec"]["executables"][1]["command"] == "roscore"


def test_same_name_and_version_is_409_and_another_version_is_fine(api):
    create(api, sdk_cloud_package())
    assert error_of(api.post("/v2/packages/", json=sdk_cloud_package()), 409) == \
        "package demo-web version v1.0.0 already exists"
    create(api, sdk_cloud_package(version="v2.0.0"))


def test_get_by_name_and_version_or_newest(api):
    first = create(api, sdk_cloud_package(version="v2.0.0"))
    second = create(api, sdk_cloud_package(version="v1.0.0"))
    assert api.get("/v2/packages/demo-web/", params={"version": "v2.0.0"}).json() == first
    # empty version = the most recently created version
    assert api.get("/v2/packages/demo-web/", params={"version": ""}).json() == second
    assert api.get("/v2/packages/demo-web/").json() == second
    assert error_of(api.get("/v2/packages/demo-web/", params={"version": "v9"}), 404) == \
        "package demo-web version v9 not found"
    assert error_of(api.get("/v2/packages/nope/", params={"version": ""}), 404) == "package nope not found"


def test_list_filters_by_exact_name_and_labels(api):
    create(api, sdk_cloud_package(name="web", labels={"app": "demo", "tier": "front"}))
    create(api, sdk_cloud_package(name="web", version="v2", labels={"app": "demo"}))
    create(api, sdk_cloud_package(name="web-extra", labels={}))
    create(api, sparse_device_package())

    def listed(params):
        page = api.get("/v2/packages/", params=params).json()
        assert page["kind"] == "PackageList"
        return [(p["metadata"]["name"], p["metadata"]["version"]) for p in page["items"]]

    everything = [("web", "v1.0.0"), ("web", "v2"), ("web-extra", "v1.0.0"), ("demo-talker", "v1.0.0")]
    assert listed({"continue": 0, "limit": 50, "labelSelector": "", "name": ""}) == everything
    assert listed({"name": "web"}) == [("web", "v1.0.0"), ("web", "v2")]
    assert listed({"labelSelector": "app=demo"}) == [("web", "v1.0.0"), ("web", "v2")]
    assert listed([("labelSelector", "app=demo"), ("labelSelector", "tier=front")]) == [("web", "v1.0.0")]
    assert listed({"labelSelector": "app!=demo"}) == [("web-extra", "v1.0.0"), ("demo-talker", "v1.0.0")]


def test_pagination_walks_every_package_once(api):
    for index in range(7):
        create(api, sdk_cloud_package(name="p%d" % index))
    seen, cursor = [], 0
    while True:
        page = api.get("/v2/packages/", params={"continue": cursor, "limit": 3}).json()
        seen += [p["metadata"]["name"] for p in page["items"]]
        cursor = page["metadata"]["continue"]
        if len(page["items"]) < 3:
            break
    assert seen == ["p%d" % i for i in range(7)] and cursor == 7


def test_delete(api):
    create(api, sdk_cloud_package())
    assert api.delete("/v2/packages/demo-web/", params={"version": "v1.0.0"}).json() == {"success": True}
    assert error_of(api.delete("/v2/packages/demo-web/", params={"version": "v1.0.0"}), 404) == \
        "package demo-web version v1.0.0 not found"
    assert error_of(api.delete("/v2/packages/demo-web/", params={"version": ""}), 400) == \
        "version: required (query parameter)"
    # the name+version is free again
    create(api, sdk_cloud_package())


def test_delete_refused_while_a_live_deployment_uses_it(api):
    create(api, sdk_cloud_package())
    create(api, sdk_cloud_package(version="v2"))
    put_deployment(api, "user-dep", package=("demo-web", "v1.0.0"))
    put_deployment(api, "old-dep", package=("demo-web", "v2"), stopped=True)
    message = error_of(api.delete("/v2/packages/demo-web/", params={"version": "v1.0.0"}), 409)
    assert message.startswith("package demo-web version v1.0.0 is in use by deployments: user-dep (dep-")
    # a stopped deployment does not hold its package
    assert api.delete("/v2/packages/demo-web/", params={"version": "v2"}).status_code == 200


def test_delete_refused_when_the_deployment_names_the_package_by_guid(api):
    guid = create(api, sdk_cloud_package())["metadata"]["guid"]
    put_deployment(api, "user-dep", package=(guid, "v1.0.0"))
    assert error_of(api.delete("/v2/packages/demo-web/", params={"version": "v1.0.0"}), 409)


def _mutate(path, value):
    def apply(body):
        target = body
        for key in path[:-1]:
            target = target[key]
        if value is KeyError:
            del target[path[-1]]
        else:
            target[path[-1]] = value
        return body
    return apply


@pytest.mark.parametrize("mutate, message", [
    (_mutate(["spec", "executables", 0, "docker", "image"], None), "spec.executables[0].docker.image: required"),
    (_mutate(["spec", "executables", 0, "docker"], None), "spec.executables[0].docker: required"),
    (_mutate(["spec", "executables", 0, "docker", "imagePullPolicy"], "Sometimes"),
     "spec.executables[0].docker.imagePullPolicy: must be one of Always, IfNotPresent, Never"),
    (_mutate(["spec", "executables", 0, "type"], "preInstalled"),
     "spec.executables[0].type: preInstalled executables need runtime device"),
    (_mutate(["spec", "executables", 0, "limits", "cpu"], 300), "spec.executables[0].limits.cpu: must be at most 256"),
    (_mutate(["spec", "executables", 0, "command"], [1]), "spec.executables[0].command[0]: must be a string"),
    (_mutate(["spec", "executables"], []), "spec.executables: at least one executable is required"),
    (_mutate(["spec", "executables"], None), "spec.executables: required"),
    (_mutate(["spec", "runtime"], "edge"), "spec.runtime: must be one of cloud, device"),
    (_mutate(["spec", "runtime"], None), "spec.runtime: required"),
    (_mutate(["spec", "device"], {"arch": "amd64"}), "spec.device: must not be set when runtime is cloud"),
    (_mutate(["spec", "cloud", "replicas"], 0), "spec.cloud.replicas: must be at least 1"),
    (_mutate(["spec", "environmentVars", 1, "exposedName"], None), "spec.environmentVars[1].exposedName: required"),
    (_mutate(["spec", "environmentVars", 1, "name"], "GREETING"), "spec.environmentVars[1].name: duplicate name GREETING"),
    (_mutate(["spec", "endpoints", 0, "type"], "ftp"), "spec.endpoints[0].type: must be one of external-http, "
     "external-https, external-tls-tcp, internal-tcp, internal-udp, internal-tcp-range, internal-udp-range"),
    (_mutate(["spec", "endpoints", 0, "targetPort"], None), "spec.endpoints[0].targetPort: required"),
    (_mutate(["spec", "endpoints", 1, "portRange"], "22-"),
     "spec.endpoints[1].portRange: must be ports or ranges separated by commas, e.g. 22,80,1024-1030"),
    (_mutate(["spec", "ros"], {"enabled": True, "version": "humble"}),
     "spec.ros.version: must be one of kinetic, melodic, noetic, foxy"),
    (_mutate(["metadata", "version"], None), "metadata.version: required"),
    (_mutate(["metadata", "version"], ""), "metadata.version: required"),
    (_mutate(["metadata", "name"], None), "metadata.name: required"),
    (_mutate(["metadata", "labels"], {"a": 1}), "metadata.labels.a: must be a string"),
    (_mutate(["kind"], "Deployment"), "kind: must be Package"),
    (_mutate(["spec"], None), "spec: required"),
])
def test_validation_names_the_field_path(api, mutate, message):
    body = mutate(copy.deepcopy(sdk_cloud_package()))
    assert error_of(api.post("/v2/packages/", json=body), 400) == message
    assert api.get("/v2/packages/").json()["items"] == []


def test_device_package_checks(api):
    body = sparse_device_package()
    body["spec"]["device"]["arch"] = "x86"
    assert error_of(api.post("/v2/packages/", json=body), 400) == \
        "spec.device.arch: must be one of amd64, arm32v7, arm64v8"
    body = sparse_device_package()
    body["spec"]["endpoints"] = [{"name": "e", "type": "external-http", "port": 80, "targetPort": 80}]
    assert error_of(api.post("/v2/packages/", json=body), 400) == "spec.endpoints: only cloud packages have endpoints"
    body = sparse_device_package(pull_secret="regcred")
    body["spec"]["executables"][0]["docker"]["pullSecret"]["depends"]["kind"] = "disk"
    assert error_of(api.post("/v2/packages/", json=body), 400) == \
        "spec.executables[0].docker.pullSecret.depends.kind: must be secret"


def test_body_must_be_an_object(api):
    assert error_of(api.post("/v2/packages/", json=[sdk_cloud_package()]), 400) == "the body must be a JSON object"
