"""Device manager routes (wrapped envelope), fleet-derived config variables, selection query."""
from emulator_helpers import DOCKER_AMD64, DOCKER_ARM64, OFFLINE, PREINSTALLED

DM = "/api/device-manager/v0"


def data(answer):
    body = answer.json()
    assert body["status"] == "success", body
    return body["response"]["data"]


def test_list_devices_partial_and_by_name(api):
    devices = data(api.get(DM + "/devices/"))
    assert [d["name"] for d in devices][:5] == ["docker-amd64", "docker-arm64", "preinstalled", "noetic", "offline"]
    assert "ip_interfaces" not in devices[0] and "architecture" not in devices[0]
    assert [d["uuid"] for d in data(api.get(DM + "/devices/", params={"name": "offline"}))] == [OFFLINE]
    assert data(api.get(DM + "/devices/", params={"name": "nobody"})) == []


def test_get_full_device(api):
    device = data(api.get(DM + "/devices/" + DOCKER_AMD64))
    assert device["ip_interfaces"] == {"eth0": ["10.1.0.1"], "docker0": ["172.17.0.1"]}
    assert device["status"] == "ONLINE" and device["device_version"] in ("2", "3")
    assert device["labels"][0]["key"] == "site" and device["labels"][0]["value"] == "alpha"
    assert device["deployments"] == []
    answer = api.get(DM + "/devices/nope")
    assert answer.status_code == 404
    assert answer.json()["status"] == "error" and "nope" in answer.json()["response"]["error"]


def variables(api, uuid):
    return dict((v["key"], v["value"]) for v in data(api.get(DM + "/config_variables/device/" + uuid)))


def test_config_variables_follow_the_runtime(api):
    docker = variables(api, DOCKER_AMD64)
    assert docker == {"runtime": "dockercompose", "ros_distro": "melodic", "runtime_docker": "True",
                      "runtime_preinstalled": "False", "rosbag_mount_path": "/opt/rapyuta/volumes/rosbag"}
    pre = variables(api, PREINSTALLED)
    assert pre["runtime"] == "preinstalled" and pre["runtime_preinstalled"] == "True"
    assert pre["ros_workspace"] == "/home/rapyuta/catkin_ws" and pre["site_id"] == "7"
    assert "rosbag_mount_path" not in pre


def test_config_variable_crud(api):
    added = data(api.post(DM + "/config_variables/device/" + DOCKER_AMD64, json={"key": "color", "value": "red"}))
    assert added["key"] == "color" and isinstance(added["id"], int)
    again = api.post(DM + "/config_variables/device/" + DOCKER_AMD64, json={"key": "color", "value": "x"})
    assert again.status_code == 409
    assert api.post(DM + "/config_variables/device/" + DOCKER_AMD64, json={"value": "x"}).status_code == 400
    assert api.post(DM + "/config_variables/device/nope", json={"key": "a", "value": "b"}).status_code == 404
    added["value"] = "blue"
    assert data(api.put(DM + "/config_variables/%s" % added["id"], json=added))["value"] == "blue"
    assert variables(api, DOCKER_AMD64)["color"] == "blue"
    assert api.delete(DM + "/config_variables/%s" % added["id"]).status_code == 200
    assert "color" not in variables(api, DOCKER_AMD64)
    assert api.delete(DM + "/config_variables/%s" % added["id"]).status_code == 404
    runtime = next(v for v in data(api.get(DM + "/config_variables/device/" + DOCKER_AMD64)) if v["key"] == "runtime")
    assert api.delete(DM + "/config_variables/%s" % runtime["id"]).status_code == 400
    changed = api.put(DM + "/config_variables/%s" % runtime["id"], json=dict(runtime, value="preinstalled"))
    assert changed.status_code == 400


def test_selection_query_by_architecture_only_online(api):
    spec = {"operator": "$or", "specs": {"operator": "$or", "args": [
        {"operator": "$in", "args": ["cpuarch", "aarch64"]}]}}
    assert [d["uuid"] for d in data(api.post(DM + "/selection/query/", json=spec))] == [DOCKER_ARM64]
    amd = {"operator": "$or", "specs": {"operator": "$or", "args": [
        {"operator": "$eq", "args": ["cpuarch", "x86_64"]}, {"operator": "$eq", "args": ["cpuarch", "amd64"]}]}}
    uuids = [d["uuid"] for d in data(api.post(DM + "/selection/query/", json=amd))]
    assert DOCKER_AMD64 in uuids and OFFLINE not in uuids and DOCKER_ARM64 not in uuids


def test_update_and_delete_device(api):
    assert api.put(DM + "/devices/", json={"device_id": DOCKER_ARM64, "name": "renamed"}).status_code == 200
    assert data(api.get(DM + "/devices/" + DOCKER_ARM64))["name"] == "renamed"
    assert api.put(DM + "/devices/", json={"device_id": "nope"}).status_code == 404
    assert api.put(DM + "/devices/", json={}).status_code == 400
    assert api.delete(DM + "/devices/" + DOCKER_ARM64).status_code == 200
    assert api.get(DM + "/devices/" + DOCKER_ARM64).status_code == 404


def test_device_with_a_live_deployment_cannot_be_deleted(api):
    from emulator_helpers import manifest
    pkg = api.create_package(manifest("talker-docker.json"))["packageId"]
    dep = api.provision(pkg, devices={"default": DOCKER_AMD64})
    answer = api.delete(DM + "/devices/" + DOCKER_AMD64)
    assert answer.status_code == 400 and dep in answer.json()["response"]["error"]


def test_device_routes_answer_401_in_the_wrapped_form(api):
    answer = api.get(DM + "/devices/", headers={"Authorization": ""})
    assert answer.status_code == 401
    assert answer.json()["status"] == "error" and answer.json()["response"]["error"]
