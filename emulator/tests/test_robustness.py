"""Malformed bodies are answered 4xx, never 500: every field of representative bodies is replaced by
values of the wrong type."""
import copy
import json

import pytest

from emulator_helpers import DOCKER_AMD64, make_api, manifest

WRONG = [None, 1, "x", [], [1], {}, {"a": 1}, True]


def paths(obj, prefix=()):
    if isinstance(obj, dict):
        for key, value in obj.items():
            yield prefix + (key,)
            for sub in paths(value, prefix + (key,)):
                yield sub
    elif isinstance(obj, list):
        for index, value in enumerate(obj):
            yield prefix + (index,)
            for sub in paths(value, prefix + (index,)):
                yield sub


def variants(template):
    for path in paths(template):
        for value in WRONG:
            body = copy.deepcopy(template)
            target = body
            for key in path[:-1]:
                target = target[key]
            target[path[-1]] = value
            yield body


@pytest.fixture(scope="module")
def setup():
    api = make_api()
    TestClient = type(api.client)
    api.client = TestClient(api.client.app, raise_server_exceptions=False)
    created = api.create_package(manifest("talker-docker.json"))
    dep = api.provision(created["packageId"], devices={"default": DOCKER_AMD64})
    return api, created, dep


def bodies(created, dep):
    cid = created["planIds"][0]["componentIds"][0]
    provision = {"service_id": created["packageId"], "plan_id": created["planIds"][0]["planId"],
                 "parameters": {"global": {"device_ids": [DOCKER_AMD64]},
                                cid: {"device_id": DOCKER_AMD64, "bridge_params": {"alias": "a"}}},
                 "context": {"name": "x", "labels": [{"key": "k", "value": "v"}],
                             "dependentDeployments": [{"dependentDeploymentId": dep}],
                             "routedNetworks": [{"guid": "net-x"}], "diskMountInfo": [{"diskResourceId": DOCKER_AMD64}],
                             "component_context": {cid: {"static_route_config": {"ep": "staticroute-x"}}}}}
    update = {"context": {"component_context": {cid: {"component": {"executables": [{"id": "e", "docker": "i"}]}}}}}
    return [
        ("PUT", "/v2/service_instances/instanceId", provision),
        ("PATCH", "/v2/service_instances/" + dep, update),
        ("POST", "/routednetwork", {"name": "n", "runtime": "device", "rosDistro": "melodic",
                                    "parameters": {"device_id": DOCKER_AMD64, "NETWORK_INTERFACE": "eth0"}}),
        ("POST", "/nativenetwork", {"name": "n", "runtime": "cloud", "rosDistro": "melodic", "parameters": {}}),
        ("POST", "/disk", {"name": "d", "runtime": "cloud", "capacity": 32, "diskType": "ssd"}),
        ("POST", "/api/staticroute/create", {"urlPrefix": "abcd"}),
        ("POST", "/api/secret/create", {"type": "t", "name": "abc", "data": {"k": "v"}}),
        ("PUT", "/api/device-manager/v0/devices/", {"device_id": DOCKER_AMD64, "name": "n"}),
        ("POST", "/api/device-manager/v0/config_variables/device/" + DOCKER_AMD64, {"key": "k", "value": "v"}),
        ("POST", "/api/device-manager/v0/selection/query/", {"specs": {"args": [{"args": ["cpuarch", "x"]}]}}),
    ]


def test_no_malformed_body_crashes_the_emulator(setup):
    api, created, dep = setup
    crashes = []
    for method, path, template in bodies(created, dep):
        for body in [None, 1, "x", []] + list(variants(template)):
            answer = api.request(method, path, json=body)
            if answer.status_code >= 500:
                crashes.append((method, path, json.dumps(body)[:160], answer.text[:120]))
            if answer.status_code == 200 and method == "PATCH":
                api.clock.advance(5)
    assert crashes == []


def test_manifest_variants_never_crash(setup):
    api, _created, _dep = setup
    template = manifest("cloud-non-ros.json")
    template["name"] = "variant"
    for index, body in enumerate(variants(template)):
        if body.get("name") == "variant":
            body["name"] = "variant-%d" % index  # a fresh name, so that validation (not 409) answers
        answer = api.post("/serviceclass/add", json=body)
        assert answer.status_code in (200, 400, 409), (json.dumps(body)[:200], answer.text)
    assert api.get("/v2/catalog").status_code == 200
