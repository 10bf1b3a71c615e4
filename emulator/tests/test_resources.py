"""Routed/native networks, disks (volume instances), static routes and secrets."""
import pytest

from emulator_helpers import DOCKER_AMD64, OFFLINE, manifest


@pytest.mark.parametrize("kind", ["routednetwork", "nativenetwork"])
def test_cloud_network_lifecycle(slow_api, kind):
    api = slow_api
    body = {"name": "net1", "runtime": "cloud", "rosDistro": "melodic",
            "parameters": {"limits": {"cpu": 1, "memory": 4096}}}
    if kind == "routednetwork":
        body["shared"] = True
    created = api.post("/" + kind, json=body).json()
    assert created["name"] == "net1" and created["guid"].startswith("net-")
    net = api.get("/%s/%s" % (kind, created["guid"])).json()
    assert net["parameters"] == body["parameters"] and net["internalDeploymentGUID"].startswith("dep-")
    assert net["internalDeploymentStatus"] == {"phase": "In progress", "status": "Pending", "error_code": []}
    api.clock.advance(10)
    assert api.get("/%s/%s" % (kind, created["guid"])).json()["internalDeploymentStatus"]["status"] == "Running"
    internal = api.deployment(net["internalDeploymentGUID"])
    assert internal["phase"] == "Succeeded"
    listed = api.get("/" + kind).json()
    assert listed[0]["guid"] == created["guid"] and "status" not in listed[0]["internalDeploymentStatus"]
    assert api.post("/" + kind, json=body).status_code == 409
    assert api.delete("/%s/%s" % (kind, created["guid"])).status_code == 200
    listed = api.get("/" + kind).json()
    assert listed[0]["internalDeploymentStatus"]["phase"] == "Deployment stopped"
    assert api.get("/deployment/list").json() == []


@pytest.mark.parametrize("kind, text", [("routednetwork", "routed network not found in db"),
                                        ("nativenetwork", "native network not found in db")])
def test_network_404(api, kind, text):
    assert api.get("/%s/net-none" % kind).json() == {"error": text}
    assert api.delete("/%s/net-none" % kind).status_code == 404


def test_network_validation_and_device_networks(api):
    def post(**body):
        base = {"name": "n", "runtime": "device", "rosDistro": "melodic",
                "parameters": {"device_id": DOCKER_AMD64, "NETWORK_INTERFACE": "docker0", "restart_policy": "always"}}
        base.update(body)
        return api.post("/routednetwork", json=base)

    assert post(name="").status_code == 400
    assert post(runtime="moon").status_code == 400
    assert post(rosDistro="indigo").status_code == 400
    assert post(parameters={"device_id": "nope", "NETWORK_INTERFACE": "eth0"}).status_code == 404
    assert post(parameters={"device_id": DOCKER_AMD64, "NETWORK_INTERFACE": "wlan9"}).status_code == 400
    good = post().json()["guid"]
    assert api.get("/routednetwork/" + good).json()["internalDeploymentStatus"]["status"] == "Running"
    offline = post(name="o", parameters={"device_id": OFFLINE, "NETWORK_INTERFACE": "eth0"}).json()["guid"]
    status = api.get("/routednetwork/" + offline).json()["internalDeploymentStatus"]
    assert status["phase"] == "Failed to start" and status["error_code"] == ["DEP_E151"]
    native = api.post("/nativenetwork", json={"name": "nn", "runtime": "device", "rosDistro": "noetic",
                                              "parameters": {"device_id": DOCKER_AMD64, "NETWORK_INTERFACE": "eth0"}})
    assert native.status_code == 400


def test_network_in_use_cannot_be_deleted(api):
    net = api.post("/routednetwork", json={"name": "rn", "runtime": "cloud", "rosDistro": "melodic",
                                           "parameters": {}}).json()["guid"]
    pkg = api.create_package(manifest("cloud-non-ros.json"))["packageId"]
    dep = api.provision(pkg, context={"routedNetworks": [{"guid": net}]})
    answer = api.delete("/routednetwork/" + net)
    assert answer.status_code == 409 and dep in answer.json()["error"]
    internal = api.get("/routednetwork/" + net).json()["internalDeploymentGUID"]
    assert api.delete("/v2/service_instances/" + internal).status_code == 400
    api.delete("/v2/service_instances/" + dep)
    assert api.delete("/routednetwork/" + net).status_code == 200


def test_disk_volume_instance_lifecycle(api):
    created = api.post("/disk", json={"name": "vol", "runtime": "cloud", "capacity": 32, "diskType": "ssd"}).json()
    assert created["guid"].startswith("disk-")
    disk = api.get("/disk/" + created["guid"]).json()
    assert disk["status"] == "Available" and disk["capacity"] == 32 and disk["usedBy"] == ""
    volume = api.deployment(disk["internalDeploymentGUID"])
    assert volume["packageId"] == "io-public-persistent-volume" and volume["status"] == "Running"
    assert volume["parameters"]["io-pv"]["capacity"] == 32
    assert [d["deploymentId"] for d in api.get("/deployment/list").json()] == [volume["deploymentId"]]
    pkg = api.create_package(manifest("pv-reader.json"))["packageId"]
    cid = api.package(pkg)["plans"][0]["internalComponents"][0]["componentId"]
    user = api.provision(pkg, context={"dependentDeployments": [
        {"dependentDeploymentId": volume["deploymentId"], "applicableComponentId": cid,
         "config": {"mountPath": "/data"}}]})
    disk = api.get("/disk/" + created["guid"]).json()
    assert disk["status"] == "Bound" and disk["usedBy"] == user
    listed = api.get("/disk", params={"deployment_guid": volume["deploymentId"]}).json()
    assert [d["guid"] for d in listed] == [created["guid"]]
    assert api.get("/disk", params={"deployment_guid": "dep-none"}).json() == []
    assert api.delete("/disk/" + created["guid"]).status_code == 409
    api.delete("/v2/service_instances/" + user)
    assert api.delete("/disk/" + created["guid"]).status_code == 200
    assert api.get("/disk/" + created["guid"]).status_code == 404
    assert api.deployment(volume["deploymentId"])["phase"] == "Deployment stopped"


@pytest.mark.parametrize("body", [{"name": "v", "capacity": 33}, {"name": "v", "capacity": 32, "diskType": "hdd"},
                                  {"capacity": 32}, {"name": "v", "capacity": 32, "runtime": "device"}])
def test_disk_validation(api, body):
    assert api.post("/disk", json=body).status_code == 400


def test_static_routes(api):
    route = api.post("/api/staticroute/create", json={"urlPrefix": "my-route"}).json()
    assert route["guid"].startswith("staticroute-") and route["urlPrefix"] == "my-route"
    assert api.post("/api/staticroute/create", json={"urlPrefix": "my-route"}).status_code == 409
    assert api.post("/api/staticroute/create", json={"urlPrefix": "Bad_Name"}).status_code == 400
    got = api.get("/api/staticroute/%s/get" % route["guid"]).json()
    assert got["urlString"].startswith("my-route")
    assert [r["guid"] for r in api.get("/api/staticroute/list").json()] == [route["guid"]]
    assert api.get("/api/staticroute/filter", params={"urlPrefix": "my-route"}).json()[0]["guid"] == route["guid"]
    assert api.get("/api/staticroute/filter", params={"urlPrefix": "none"}).status_code == 404
    assert api.get("/api/staticroute/staticroute-none/get").status_code == 404
    pkg = api.create_package(manifest("nginx-single-component.json"))["packageId"]
    info = api.package(pkg)["plans"][0]
    cid = info["internalComponents"][0]["componentId"]
    endpoint = info["components"]["components"][0]["cloudInfra"]["endpoints"][0]["name"]
    dep = api.provision(pkg, context={"component_context": {cid: {"static_route_config": {endpoint: route["guid"]}}}})
    assert api.delete("/api/staticroute/delete", json={"guid": route["guid"]}).status_code == 409
    api.delete("/v2/service_instances/" + dep)
    assert api.delete("/api/staticroute/delete", json={"guid": route["guid"]}).json() == {"success": True}
    assert api.delete("/api/staticroute/delete", json={"guid": route["guid"]}).status_code == 404


def test_secrets(api):
    body = {"type": "kubernetes.io/dockercfg", "name": "pull-secret", "data": {".dockercfg": "e30="}}
    secret = api.post("/api/secret/create", json=body).json()
    assert secret["guid"].startswith("secret-") and secret["name"] == "pull-secret"
    assert api.post("/api/secret/create", json=body).status_code == 409
    assert api.post("/api/secret/create", json=dict(body, name="-bad")).status_code == 400
    assert api.get("/api/secret/%s/get" % secret["guid"]).json()["data"] == body["data"]
    updated = api.put("/api/secret/%s/update" % secret["guid"], json=dict(body, data={".dockercfg": "e30K"})).json()
    assert updated["data"] == {".dockercfg": "e30K"}
    assert [s["guid"] for s in api.get("/api/secret/list").json()] == [secret["guid"]]
    assert api.delete("/api/secret/delete", json={"guid": secret["guid"]}).json() == {"success": True}
    assert api.get("/api/secret/%s/get" % secret["guid"]).status_code == 404
