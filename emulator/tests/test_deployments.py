"""Provisioning and deployments: wire shapes, list filters, deprovision, update, binding, errors."""
import pytest

from emulator_helpers import DOCKER_AMD64, PREINSTALLED, manifest

PHASES = ("In progress", "Provisioning", "Succeeded")


def test_provision_answers_operation_and_is_readable_at_once(api):
    pkg = api.create_package(manifest("cloud-non-ros.json"))["packageId"]
    dep_id = api.provision(pkg, name="web")
    assert dep_id.startswith("dep-") and len(dep_id) == 28
    dep = api.deployment(dep_id)
    assert dep["deploymentId"] == dep_id and dep["name"] == "web" and dep["packageId"] == pkg
    assert dep["phase"] == "Succeeded" and dep["status"] == "Running" and dep["errors"] is None
    info = dep["componentInfo"][0]
    assert set(["componentID", "componentInstanceID", "name", "runtime", "status", "phase", "planID",
                "errorCode", "isDeprovisioned", "executableMetaData", "executablesStatusInfo"]) <= set(info)
    assert info["componentInstanceID"].startswith("inst-") and info["name"] == "default"
    ids = dep["componentInstanceIds"][0]
    assert ids["componentId"] == info["componentID"] and ids["componentInstanceId"] == info["componentInstanceID"]
    assert dep["provisionContext"]["name"] == "web"
    assert "_devices" not in dep["provisionContext"]


def test_list_is_partial_and_filters(api):
    cloud = api.create_package(manifest("cloud-non-ros.json"))["packageId"]
    talker = api.create_package(manifest("talker-docker.json"))["packageId"]
    a = api.provision(cloud, name="a")
    b = api.provision(talker, name="b", devices={"default": DOCKER_AMD64})
    listed = api.get("/deployment/list").json()
    assert [d["deploymentId"] for d in listed] == [a, b]
    assert "status" not in listed[0] and listed[0]["phase"] == "Succeeded"
    assert [d["deploymentId"] for d in api.get("/deployment/list", params={"package_uid": talker}).json()] == [b]
    assert [d["deploymentId"] for d in api.get("/deployment/list", params={"device_uid": DOCKER_AMD64}).json()] == [b]
    api.delete("/v2/service_instances/" + a)
    stopped = api.get("/deployment/list", params=[("phase", "Deployment stopped")]).json()
    assert [d["deploymentId"] for d in stopped] == [a]
    both = api.get("/deployment/list", params=[("phase", "Deployment stopped"), ("phase", "Succeeded")]).json()
    assert len(both) == 2
    assert api.get("/deployment/list", params={"package_uid": "pkg-none"}).json() == []


def test_deprovision_keeps_the_deployment_readable_as_stopped(api):
    pkg = api.create_package(manifest("cloud-non-ros.json"))["packageId"]
    dep_id = api.provision(pkg)
    answer = api.delete("/v2/service_instances/" + dep_id,
                        params={"plan_id": "p", "service_id": pkg, "accepts_incomplete": "false"})
    assert answer.status_code == 200
    dep = api.deployment(dep_id)
    assert dep["phase"] == "Deployment stopped" and dep["status"] == "Deployment not running"
    assert dep["componentInfo"][0]["isDeprovisioned"] is True
    assert api.delete("/v2/service_instances/dep-unknown").status_code == 404


def test_unknown_deployment_is_404(api):
    answer = api.get("/serviceinstance/dep-xxxxxxxxxxxxxxxxxxxxxxxx")
    assert answer.status_code == 404 and "not found" in answer.json()["error"]


def _plan(api, pkg):
    return api.package(pkg)["plans"][0]


def test_provision_errors(api):
    pkg = api.create_package(manifest("talker-docker.json"))["packageId"]
    plan = _plan(api, pkg)
    cid = plan["internalComponents"][0]["componentId"]
    base = {"service_id": pkg, "plan_id": plan["planId"],
            "parameters": {"global": {}, cid: {"device_id": DOCKER_AMD64}},
            "context": {"name": "x"}}

    def put(**changes):
        body = dict(base)
        body.update(changes)
        return api.put("/v2/service_instances/instanceId", json=body)

    answer = put(service_id="pkg-missing")
    assert answer.status_code == 404 and "pkg-missing" in answer.json()["error"]
    answer = put(plan_id="plan-missing")
    assert answer.status_code == 404 and "plan-missing" in answer.json()["error"]
    answer = put(parameters={"global": {}, "nosuchcomponent": {}})
    assert answer.status_code == 400 and "nosuchcomponent" in answer.json()["error"]
    answer = put(parameters={"global": {}, cid: {"device_id": "no-such-device"}})
    assert answer.status_code == 404 and "no-such-device" in answer.json()["error"]
    answer = put(parameters={"global": {}, cid: {}})
    assert answer.status_code == 400 and "not mapped to a device" in answer.json()["error"]
    answer = put(context={})
    assert answer.status_code == 400 and "name" in answer.json()["error"]
    answer = put(context={"name": "x", "dependentDeployments": [{"dependentDeploymentId": "dep-gone"}]})
    assert answer.status_code == 404 and "dep-gone" in answer.json()["error"]
    answer = put(context={"name": "x", "routedNetworks": [{"guid": "net-gone"}]})
    assert answer.status_code == 404 and "net-gone" in answer.json()["error"]
    answer = put(context={"name": "x", "component_context": {cid: {"static_route_config": {"ep": "staticroute-x"}}}})
    assert answer.status_code == 404 and "staticroute-x" in answer.json()["error"]
    assert api.put("/v2/service_instances/instanceId", json=["x"]).status_code == 400
    assert put(service_id="io-public-persistent-volume").status_code == 400
    assert put().status_code == 200


def test_device_parameters_are_kept_verbatim(api):
    pkg = api.create_package(manifest("talker.json"))["packageId"]
    dep_id = api.provision(pkg, devices={"default": PREINSTALLED}, extra_params={"default": {"ros_workspace": "/ws"}})
    dep = api.deployment(dep_id)
    cid = dep["componentInfo"][0]["componentID"]
    assert dep["parameters"][cid]["device_id"] == PREINSTALLED
    assert dep["parameters"]["global"]["device_ids"] == [PREINSTALLED]
    assert dep["status"] == "Running"


def test_update_goes_through_provisioning_and_refuses_a_second_patch(api):
    pkg = api.create_package(manifest("cloud-non-ros.json"))["packageId"]
    dep_id = api.provision(pkg)
    dep = api.deployment(dep_id)
    cid = dep["componentInfo"][0]["componentID"]
    exe = dep["componentInfo"][0]["executableMetaData"][0]
    body = {"deployment_id": dep_id, "service_id": pkg, "plan_id": dep["planId"],
            "context": {"component_context": {cid: {"update_deployment": True, "component": {
                "executables": [{"id": exe["id"], "name": exe["name"], "docker": "nginx:1.25"}]}}}}}
    assert api.patch("/v2/service_instances/" + dep_id, json=body).status_code == 200
    assert api.deployment(dep_id)["phase"] == "Provisioning"
    second = api.patch("/v2/service_instances/" + dep_id, json=body)
    assert second.status_code == 400 and "Provisioning" in second.json()["error"]
    api.clock.advance(1.5)
    dep = api.deployment(dep_id)
    assert dep["phase"] == "Succeeded" and dep["currentGeneration"] == 2
    assert dep["componentInfo"][0]["executableMetaData"][0]["docker"] == "nginx:1.25"
    bad = {"context": {"component_context": {"nope": {}}}}
    assert api.patch("/v2/service_instances/" + dep_id, json=bad).status_code == 400
    assert api.patch("/v2/service_instances/dep-none", json=body).status_code == 404
    api.delete("/v2/service_instances/" + dep_id)
    assert api.patch("/v2/service_instances/" + dep_id, json=body).status_code == 400


def test_update_to_a_missing_image_fails_with_dep_e153_and_can_be_fixed(api):
    pkg = api.create_package(manifest("cloud-non-ros.json"))["packageId"]
    dep_id = api.provision(pkg)
    info = api.deployment(dep_id)["componentInfo"][0]
    exe = info["executableMetaData"][0]

    def patch(image):
        body = {"context": {"component_context": {info["componentID"]: {"update_deployment": True, "component": {
            "executables": [{"id": exe["id"], "name": exe["name"], "docker": image}]}}}}}
        assert api.patch("/v2/service_instances/" + dep_id, json=body).status_code == 200
        api.clock.advance(2)
        return api.deployment(dep_id)

    assert patch("nginx:missing")["errors"] == ["DEP_E153"]
    assert patch("nginx:alpine")["errors"] is None


def test_service_binding(api):
    pkg = api.create_package(manifest("nginx-multi-component.json"))["packageId"]
    dep_id = api.provision(pkg)
    answer = api.put("/v2/service_instances/%s/service_bindings/bind-rio" % dep_id,
                     json={"service_id": pkg, "plan_id": "x"})
    assert answer.status_code == 200
    components = answer.json()["credentials"]["components"]
    assert len(components) == 2
    endpoints = [list(c["networkEndpoints"]) for c in components.values()]
    assert sorted(name for names in endpoints for name in names) == ["test", "test2"]
    assert all(url.startswith("https://") for c in components.values() for url in c["networkEndpoints"].values())
    assert api.put("/v2/service_instances/dep-none/service_bindings/bind-rio", json={}).status_code == 404
    assert api.delete("/v2/service_instances/%s/service_bindings/bind-rio" % dep_id).json() == {}


@pytest.mark.parametrize("path", ["/serviceinstance/x", "/deployment/list", "/v2/catalog"])
def test_every_catalog_route_requires_the_token(api, path):
    answer = api.get(path, headers={"Authorization": "Bearer wrong"})
    assert answer.status_code == 401 and "error" in answer.json()


def test_leaked_sdk_state_with_the_token_is_neither_stored_nor_echoed(tmp_path):
    from emulator_helpers import make_api
    state = str(tmp_path / "state.sqlite")
    api = make_api(state=state)
    pkg = api.create_package(manifest("talker-docker.json"))["packageId"]
    plan = api.package(pkg)["plans"][0]
    cid = plan["internalComponents"][0]["componentId"]
    secret = "Bearer leaked-secret-token-value"
    body = {"service_id": pkg, "plan_id": plan["planId"], "instance_id": "instanceId",
            "parameters": {"global": {"device_ids": [DOCKER_AMD64]}, cid: {"device_id": DOCKER_AMD64}},
            "context": {"name": "leak"}, "_is_provisioned": True,
            "_devices": {DOCKER_AMD64: {"uuid": DOCKER_AMD64, "_auth_token": secret}}}
    dep_id = api.put("/v2/service_instances/instanceId", json=body).json()["operation"]
    assert "leaked-secret" not in api.get("/serviceinstance/" + dep_id).text
    assert "leaked-secret" not in api.get("/deployment/list").text
    api.emu.store.close()
    with open(state, "rb") as handle:
        assert b"leaked-secret" not in handle.read()
