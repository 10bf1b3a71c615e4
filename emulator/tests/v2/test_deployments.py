"""v2 deployments: create (validation, references, 409), get by name or guid, list filters and pages,
delete and re-create of a name, history, and the error bodies."""
import pytest

from emulator_helpers import DOCKER_AMD64, OFFLINE

from .deployment_helpers import (cloud_package, create, create_package, deployment, device_deployment,
                                 device_package, get, listed)

TOP_LEVEL = {"apiVersion", "kind", "metadata", "spec", "status"}


@pytest.fixture
def v2(api):
    create_package(api, cloud_package())
    create_package(api, device_package())
    return api


def _resources(api):
    """One network, disk, static route, secret and config tree, named `demo-*`."""
    bodies = (("/v2/networks/", {"metadata": {"name": "demo-net"},
                                 "spec": {"type": "routed", "rosDistro": "melodic", "runtime": "cloud",
                                          "resourceLimits": {"cpu": 0.5, "memory": 1024}}}),
              ("/v2/disks/", {"metadata": {"name": "demo-disk"}, "spec": {"runtime": "cloud", "capacity": 4}}),
              ("/v2/staticroutes/", {"metadata": {"name": "demo-route"}}),
              ("/v2/secrets/", {"metadata": {"name": "demo-secret"}, "spec": {"type": "Opaque", "data": {"k": "v"}}}),
              ("/v2/configtrees/", {"metadata": {"name": "demo-tree"}}))
    for path, body in bodies:
        answer = api.post(path, json=body)
        assert answer.status_code == 201, answer.text


def _cloud_with_everything(name="full"):
    return deployment(name, nulls=True, envArgs=[{"name": "TOKEN", "valueFrom": {"secretKeyRef": {
                          "name": "demo-secret", "key": "k"}}}],
                      volumes=[{"execName": "web", "mountPath": "/data", "subPath": "web",
                                "depends": {"nameOrGUID": "demo-disk", "kind": "disk"}}],
                      rosNetworks=[{"depends": {"nameOrGUID": "demo-net", "kind": "network"}}],
                      staticRoutes=[{"name": "http", "url": None,
                                     "depends": {"nameOrGUID": "demo-route", "kind": "staticroute"}}],
                      features={"params": {"enabled": True, "trees": ["demo-tree"], "blockUntilSynced": False},
                                "vpn": {"enabled": True}})


# -- create -----------------------------------------------------------------------------------------
def test_create_answers_201_with_the_object_as_sent_plus_server_fields(v2):
    body = deployment("web-dep", nulls=True, labels={"app": "demo"}, region="us",
                      envArgs=[{"name": "GREETING", "value": "hi", "valueFrom": None, "exposed": None,
                                "exposedName": None}])
    body["metadata"]["guid"] = "dep-fromtheclientxxxxxxxxx"
    body["status"] = {"phase": "Stopped"}
    answer = v2.post("/v2/deployments/", json=body)
    assert answer.status_code == 201, answer.text
    dep = answer.json()
    assert set(dep) == TOP_LEVEL
    assert (dep["apiVersion"], dep["kind"]) == ("apiextensions.rapyuta.io/v1", "Deployment")
    meta = dep["metadata"]
    assert meta["guid"].startswith("dep-") and meta["guid"] != "dep-fromtheclientxxxxxxxxx" and len(meta["guid"]) == 28
    assert (meta["name"], meta["labels"], meta["region"], meta["generation"]) == ("web-dep", {"app": "demo"}, "us", 1)
    assert meta["projectGUID"] == "project-test" and meta["organizationGUID"].startswith("org-")
    assert meta["depends"] == {"kind": "package", "nameOrGUID": "web", "version": "v1.0.0"}
    assert "deletedAt" not in meta and meta["createdAt"] == meta["updatedAt"]
    assert dep["spec"] == {"runtime": "cloud", "envArgs": [{"name": "GREETING", "value": "hi"}]}
    assert dep["status"] == {"phase": "Succeeded", "status": "Running", "error_codes": [],
                             "executables_status": {"web": {"name": "web", "image": "nginx:alpine",
                                                            "status": "running", "restart_count": 0}},
                             "dependencies": {"deployments": [], "networks": [], "disk": []}}
    assert get(v2, "web-dep") == dep


def test_package_by_guid_and_device_by_name_or_uuid(v2):
    guid = v2.get("/v2/packages/talker/", params={"version": "v1.0.0"}).json()["metadata"]["guid"]
    by_uuid = device_deployment(v2, "a", device=DOCKER_AMD64, package=guid)
    by_name = device_deployment(v2, "b", device="docker-amd64")
    assert by_uuid["spec"]["device"]["depends"]["nameOrGUID"] == DOCKER_AMD64
    assert by_name["status"]["phase"] == "Succeeded" and by_uuid["status"]["phase"] == "Succeeded"
    assert by_uuid["metadata"]["depends"]["nameOrGUID"] == guid


def test_every_reference_resolves_and_shows_in_the_dependencies(v2):
    _resources(v2)
    create(v2, deployment("base"))
    dep = create(v2, dict(_cloud_with_everything(), spec=dict(_cloud_with_everything()["spec"], depends=[
        {"nameOrGUID": "base", "kind": "deployment", "wait": True}])))
    assert dep["spec"]["staticRoutes"][0]["url"] == "demo-route-emuorg.ep-r.io"
    deps = dep["status"]["dependencies"]
    assert [(d["name"], d["phase"], d["status"]) for d in deps["deployments"]] == [("base", "Succeeded", "Running")]
    assert [(n["name"], n["phase"], n["status"], n["error_codes"]) for n in deps["networks"]] == \
        [("demo-net", "Succeeded", "Running", [])]
    assert [(d["name"], d["status"]) for d in deps["disk"]] == [("demo-disk", "Bound")]
    assert v2.get("/v2/disks/demo-disk/").json()["status"]["diskBound"]["deployment_name"] == "full"


@pytest.mark.parametrize("path, value, message", [
    ("spec.envArgs", [{"name": "T", "valueFrom": {"secretKeyRef": {"name": "nope", "key": "k"}}}],
     "spec.envArgs[0].valueFrom.secretKeyRef.name: secret nope not found"),
    ("spec.volumes", [{"execName": "web", "mountPath": "/d", "depends": {"nameOrGUID": "nope", "kind": "disk"}}],
     "spec.volumes[0].depends.nameOrGUID: disk nope not found"),
    ("spec.volumes", [{"execName": "other", "mountPath": "/d", "depends": {"nameOrGUID": "demo-disk"}}],
     "spec.volumes[0].execName: package web has no executable other"),
    ("spec.rosNetworks", [{"depends": {"nameOrGUID": "nope", "kind": "network"}}],
     "spec.rosNetworks[0].depends.nameOrGUID: network nope not found"),
    ("spec.staticRoutes", [{"name": "http", "depends": {"nameOrGUID": "nope", "kind": "staticroute"}}],
     "spec.staticRoutes[0].depends.nameOrGUID: static route nope not found"),
    ("spec.staticRoutes", [{"name": "ftp", "depends": {"nameOrGUID": "demo-route"}}],
     "spec.staticRoutes[0].name: package web has no endpoint ftp"),
    ("spec.features", {"params": {"enabled": True, "trees": ["demo-tree", "nope"]}},
     "spec.features.params.trees[1]: config tree nope not found"),
    ("spec.depends", [{"nameOrGUID": "nope", "kind": "deployment"}],
     "spec.depends[0].nameOrGUID: deployment nope not found"),
])
def test_an_unresolved_reference_is_400_naming_the_field_and_value(v2, path, value, message):
    _resources(v2)
    body = deployment("broken")
    body["spec"][path.split(".")[1]] = value
    answer = v2.post("/v2/deployments/", json=body)
    assert (answer.status_code, answer.json()) == (400, {"error": message})
    assert listed(v2) == []


@pytest.mark.parametrize("change, message", [
    (lambda b: b["metadata"].pop("depends"), "metadata.depends: required"),
    (lambda b: b["metadata"]["depends"].pop("version"), "metadata.depends.version: required"),
    (lambda b: b["metadata"]["depends"].update(nameOrGUID="nope"), "metadata.depends: package nope version v1.0.0 "
                                                                   "not found"),
    (lambda b: b["metadata"].pop("name"), "metadata.name: required"),
    (lambda b: b["spec"].pop("runtime"), "spec.runtime: required"),
    (lambda b: b["spec"].update(runtime="edge"), "spec.runtime: must be one of cloud, device"),
    (lambda b: b["spec"].update(runtime="device", device={"depends": {"nameOrGUID": DOCKER_AMD64}}),
     "spec.runtime: must be the package's runtime cloud (got device)"),
    (lambda b: b["spec"].update(device={"depends": {"nameOrGUID": DOCKER_AMD64}}), "spec.device: only for runtime "
                                                                                    "device"),
    (lambda b: b["spec"].update(envArgs=[{"value": "x"}]), "spec.envArgs[0].name: required"),
    (lambda b: b["spec"].update(volumes=[{"execName": "web", "mountPath": "data", "depends": {"nameOrGUID": "d"}}]),
     "spec.volumes[0].mountPath: must be an absolute path (got 'data')"),
    (lambda b: b["spec"].update(volumes=[{"execName": "web", "mountPath": "/d", "uid": 1,
                                          "depends": {"nameOrGUID": "d"}}]), "spec.volumes[0].uid: only for runtime "
                                                                             "device"),
    (lambda b: b["spec"].update(depends=[{"kind": "disk", "nameOrGUID": "x"}]),
     "spec.depends[0].kind: must be one of deployment, Deployment"),
    (lambda b: b["spec"].update(features={"vpn": {"enabled": "yes"}}), "spec.features.vpn.enabled: must be a boolean"),
    (lambda b: b.update(kind="Package"), "kind: must be Deployment"),
])
def test_invalid_bodies_are_400_naming_the_field(v2, change, message):
    body = deployment("broken")
    change(body)
    answer = v2.post("/v2/deployments/", json=body)
    assert (answer.status_code, answer.json()) == (400, {"error": message})


def test_device_deployment_needs_a_known_device(v2):
    answer = v2.post("/v2/deployments/", json=deployment("d", package="talker", runtime="device", device="nope"))
    assert (answer.status_code, answer.json()) == (400, {"error": "spec.device.depends.nameOrGUID: device nope "
                                                                  "not found"})
    answer = v2.post("/v2/deployments/", json=deployment("d", package="talker", runtime="device"))
    assert (answer.status_code, answer.json()) == (400, {"error": "spec.device: required"})


def test_body_must_be_an_object(v2):
    answer = v2.post("/v2/deployments/", json=["not", "an", "object"])
    assert answer.status_code == 400 and "JSON object" in answer.json()["error"]


def test_a_live_name_is_409_and_writes_nothing(v2):
    create(v2, deployment("web-dep"))
    answer = v2.post("/v2/deployments/", json=deployment("web-dep", nulls=True))
    assert (answer.status_code, answer.json()) == (409, {"error": "deployment web-dep already exists"})
    assert listed(v2) == ["web-dep"]


# -- get, delete, re-create ---------------------------------------------------------------------------
def test_delete_then_recreate_a_name_keeps_both_incarnations(v2):
    first = create(v2, deployment("web-dep"))["metadata"]["guid"]
    assert v2.delete("/v2/deployments/web-dep/").json() == {"success": True}
    missing = v2.get("/v2/deployments/web-dep/", params={"guid": ""})
    assert (missing.status_code, missing.json()) == (404, {"error": "deployment web-dep not found"})
    second = create(v2, deployment("web-dep"))["metadata"]["guid"]
    assert second != first
    assert get(v2, "web-dep")["metadata"]["guid"] == second
    old = get(v2, "web-dep", first)
    assert old["status"]["phase"] == "Stopped" and old["metadata"]["deletedAt"]
    assert get(v2, "web-dep", second)["status"]["phase"] == "Succeeded"
    # Without a phases filter every incarnation is listed, Stopped included.
    assert [i["metadata"]["guid"] for i in v2.get("/v2/deployments/").json()["items"]] == [first, second]
    assert listed(v2, phases=["InProgress", "Provisioning", "Succeeded", "FailedToStart"]) == ["web-dep"]
    history = v2.get("/v2/deployments/web-dep/history/", params={"guid": ""}).json()
    assert [(h["guid"], h["phase"], h["live"]) for h in history] == [(first, "Stopped", False),
                                                                    (second, "Succeeded", True)]
    assert [h["guid"] for h in v2.get("/v2/deployments/web-dep/history/", params={"guid": first}).json()] == [first]


def test_guid_of_another_name_or_unknown_is_404(v2):
    guid = create(v2, deployment("a"))["metadata"]["guid"]
    create(v2, deployment("b"))
    assert v2.get("/v2/deployments/b/", params={"guid": guid}).status_code == 404
    assert v2.get("/v2/deployments/a/", params={"guid": "dep-unknown"}).status_code == 404
    assert v2.get("/v2/deployments/nope/history/").status_code == 404


def test_delete_of_unknown_or_stopped_is_404(v2):
    assert v2.delete("/v2/deployments/nope/").json() == {"error": "deployment nope not found"}
    create(v2, deployment("web-dep"))
    v2.delete("/v2/deployments/web-dep/")
    assert v2.delete("/v2/deployments/web-dep/").status_code == 404
    assert v2.patch("/v2/deployments/web-dep/", json={}).status_code == 404


def test_delete_while_live_deployments_depend_on_it_is_409(v2):
    create(v2, deployment("base"))
    device_deployment(v2, "robot", depends=["base"])
    answer = v2.delete("/v2/deployments/base/")
    assert answer.status_code == 409 and "robot (dep-" in answer.json()["error"]
    assert get(v2, "base")["status"]["phase"] == "Succeeded"
    v2.delete("/v2/deployments/robot/")
    assert v2.delete("/v2/deployments/base/").status_code == 200


def test_resources_and_packages_in_use_cannot_be_deleted(v2):
    _resources(v2)
    create(v2, _cloud_with_everything())
    for path in ("/v2/networks/demo-net/", "/v2/disks/demo-disk/", "/v2/staticroutes/demo-route/",
                 "/v2/secrets/demo-secret/", "/v2/configtrees/demo-tree/"):
        assert v2.delete(path).status_code == 409, path
    assert v2.delete("/v2/packages/web/", params={"version": "v1.0.0"}).status_code == 409
    v2.delete("/v2/deployments/full/")
    assert v2.get("/v2/disks/demo-disk/").json()["status"]["status"] == "Released"
    assert v2.delete("/v2/networks/demo-net/").status_code == 200


def test_patch_needs_an_object(v2):
    create(v2, deployment("web-dep"))
    answer = v2.patch("/v2/deployments/web-dep/", json="restart")
    assert answer.status_code == 400


# -- lists ------------------------------------------------------------------------------------------
def _fleet_of_deployments(api):
    create_package(api, cloud_package(version="v2.0.0"))
    create(api, deployment("c1", labels={"tier": "web", "site": "a"}, region="jp"))
    create(api, deployment("c2", version="v2.0.0", labels={"tier": "web", "site": "b"}, region="us"))
    device_deployment(api, "d1", device=DOCKER_AMD64, labels={"tier": "robot"})
    device_deployment(api, "d2", device=OFFLINE)
    create(api, deployment("c3"))
    api.delete("/v2/deployments/c3/")


def test_list_filters(v2):
    _fleet_of_deployments(v2)
    assert listed(v2) == ["c1", "c2", "d1", "d2", "c3"]
    # sdk-v2 sends every filter, empty when unset: empty means absent.
    empty = dict((k, "") for k in ("deviceName", "guids", "labelSelector", "name", "names", "packageName",
                                   "packageVersion", "phases", "regions"))
    assert listed(v2, dependencies="false", **empty) == ["c1", "c2", "d1", "d2", "c3"]
    assert listed(v2, names=["c1", "d2"]) == ["c1", "d2"]
    assert listed(v2, name="c2") == ["c2"]
    guid = get(v2, "d1")["metadata"]["guid"]
    assert listed(v2, guids=[guid]) == ["d1"]
    assert listed(v2, deviceName="docker-amd64") == ["d1"]
    assert listed(v2, packageName="web") == ["c1", "c2", "c3"]
    assert listed(v2, packageName="web", packageVersion="v2.0.0") == ["c2"]
    assert listed(v2, phases=["FailedToStart"]) == ["d2"]
    assert listed(v2, phases=["Stopped", "FailedToStart"]) == ["d2", "c3"]
    assert listed(v2, labelSelector="tier=web") == ["c1", "c2"]
    assert listed(v2, labelSelector=["tier=web", "site=b"]) == ["c2"]
    assert listed(v2, labelSelector="tier!=web") == ["d1", "d2", "c3"]
    assert listed(v2, regions=["us"]) == ["c2"]
    assert listed(v2, regions=["us"], labelSelector="site=a") == []
    assert listed(v2, dependencies="true") == ["c1", "c2", "d1", "d2", "c3"]


def test_unknown_phase_filter_is_400(v2):
    answer = v2.get("/v2/deployments/", params={"phases": "Running"})
    assert answer.status_code == 400 and answer.json()["error"].startswith("phases: must be one of InProgress")


def test_pages_follow_the_continue_cursor(v2):
    _fleet_of_deployments(v2)
    seen, cursor = [], 0
    for _ in range(4):
        page = v2.get("/v2/deployments/", params={"continue": cursor, "limit": 2}).json()
        assert page["kind"] == "DeploymentList" and page["apiVersion"] == "api.rapyuta.io/v2"
        seen.append([i["metadata"]["name"] for i in page["items"]])
        cursor = page["metadata"]["continue"]
    assert seen == [["c1", "c2"], ["d1", "d2"], ["c3"], []]
    assert cursor == 5
    filtered = v2.get("/v2/deployments/", params={"continue": 1, "limit": 1, "packageName": "web"}).json()
    assert [i["metadata"]["name"] for i in filtered["items"]] == ["c2"] and filtered["metadata"]["continue"] == 2
    assert v2.get("/v2/deployments/", params={"limit": 0}).status_code == 400


# -- context ----------------------------------------------------------------------------------------
def test_auth_and_project_header(v2):
    assert v2.get("/v2/deployments/", headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert v2.client.get("/v2/deployments/", headers={"Authorization": "Bearer test-token"}).json() == \
        {"error": "project header required"}
    assert v2.get("/v2/deployments/", headers={"project": "project-other"}).status_code == 403


def test_requests_are_counted_by_route_template(v2):
    v2.client.post("/_emulator/stats/reset")
    create(v2, deployment("web-dep"))
    get(v2, "web-dep")
    v2.delete("/v2/deployments/web-dep/")
    by_route = v2.client.get("/_emulator/stats").json()["by_route"]
    assert by_route == {"POST /v2/deployments/": 1, "GET /v2/deployments/{name}/": 1,
                        "DELETE /v2/deployments/{name}/": 1}
