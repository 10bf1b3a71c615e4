"""Packages: create/get/list/delete, the stored restructuring (docs/reference/v1-api.md#stored-package), validation and conflicts."""
import os

import pytest

from emulator_helpers import MANIFESTS, manifest


@pytest.mark.parametrize("name", sorted(os.listdir(MANIFESTS)))
def test_every_fixture_manifest_is_stored_in_the_nested_shape(api, name):
    body = manifest(name)
    created = api.create_package(body)
    assert created["packageId"].startswith("pkg-") and len(created["packageId"]) == 28
    info = api.package(created["packageId"])
    assert info["guid"] == created["packageId"]
    assert info["packageName"] == body["name"] and info["packageVersion"] == body["packageVersion"]
    plan = info["plans"][0]
    assert plan["planId"] == created["planIds"][0]["planId"] and plan["planId"].startswith("plan-")
    assert plan["planName"] == body["plans"][0]["name"]
    assert isinstance(plan["packageId"], int)
    components = plan["components"]["components"]
    assert [c["name"] for c in components] == [c["name"] for c in body["plans"][0]["components"]]
    ids = [ic["componentId"] for ic in plan["internalComponents"]]
    assert ids == created["planIds"][0]["componentIds"]
    assert all(len(i) == 24 and i.isalpha() and i.islower() for i in ids)
    assert [ic["componentName"] for ic in plan["internalComponents"]] == [c["name"] for c in components]
    for comp in components:
        for exe in comp["executables"]:
            assert exe["id"].startswith("exec-")
    inbound = body["plans"][0].get("inboundROSInterfaces")
    if inbound is not None:
        assert plan["inboundROSInterfaces"] == {"inboundROSInterfaces": inbound}


def test_get_answer_envelope_and_builds(api):
    created = api.create_package(manifest("cloud-non-ros.json"))
    answer = api.get("/serviceclass/status", params={"package_uid": created["packageId"], "builds": "true"}).json()
    assert set(answer) == {"packageInfo", "packageUrl", "buildInfo"}
    assert answer["packageInfo"]["status"] == "Complete" and answer["buildInfo"] == []


def test_unknown_package_is_404_package_not_found(api):
    answer = api.get("/serviceclass/status", params={"package_uid": "pkg-nope"})
    assert answer.status_code == 404 and answer.json() == {"error": "Package not found"}
    assert api.delete("/serviceclass/delete", params={"package_uid": "pkg-nope"}).status_code == 404


def test_duplicate_name_and_version_is_409(api):
    api.create_package(manifest("talker.json"))
    answer = api.post("/serviceclass/add", json=manifest("talker.json"))
    assert answer.status_code == 409 and "already exists" in answer.json()["error"]
    other = manifest("talker.json")
    other["packageVersion"] = "v2.0.0"
    api.create_package(other)


@pytest.mark.parametrize("mutate, words", [
    (lambda m: m.pop("name"), "package name"),
    (lambda m: m["plans"][0].pop("name"), "plan name"),
    (lambda m: m["plans"][0]["components"][0].pop("requiredRuntime"), "requiredRuntime"),
    (lambda m: m["plans"][0]["components"][0].pop("architecture"), "architecture"),
    (lambda m: m["plans"][0]["components"][0].update(architecture="x86"), "architecture"),
    (lambda m: m.update(plans=[]), "plan"),
    (lambda m: m["plans"][0]["components"].append(dict(m["plans"][0]["components"][0])), "duplicate component"),
    (lambda m: m["plans"][0]["components"][0]["executables"][0].pop("name"), "name is required"),
])
def test_invalid_manifests_are_400(api, mutate, words):
    body = manifest("cloud-non-ros.json")
    mutate(body)
    answer = api.post("/serviceclass/add", json=body)
    assert answer.status_code == 400 and words in answer.json()["error"]


def test_non_object_and_unparseable_bodies_are_400(api):
    assert api.post("/serviceclass/add", json=[1, 2]).status_code == 400
    answer = api.post("/serviceclass/add", content=b"{not json", headers={"Content-Type": "application/json"})
    assert answer.status_code == 400 and "error" in answer.json()


def test_catalog_lists_summaries_with_the_persistent_volume_package(api):
    created = api.create_package(manifest("talker.json"))
    services = api.get("/v2/catalog").json()["services"]
    assert services[0]["id"] == "io-public-persistent-volume"
    mine = next(s for s in services if s["id"] == created["packageId"])
    assert mine["name"] == "talker" and mine["metadata"]["packageVersion"] == "v1.0.0"
    assert mine["plans"][0]["id"] == created["planIds"][0]["planId"]


def test_persistent_volume_package(api):
    info = api.package("io-public-persistent-volume")
    plan = info["plans"][0]
    assert info["category"] == "Storage" and plan["planId"] == "default"
    assert plan["internalComponents"][0]["componentId"] == "io-pv"
    assert api.delete("/serviceclass/delete", params={"package_uid": "io-public-persistent-volume"}).status_code == 403


def test_delete_then_get_is_404_and_name_is_free_again(api):
    created = api.create_package(manifest("talker.json"))
    answer = api.delete("/serviceclass/delete", params={"package_uid": created["packageId"]})
    assert answer.status_code == 200 and answer.json() is None
    assert api.get("/serviceclass/status", params={"package_uid": created["packageId"]}).status_code == 404
    api.create_package(manifest("talker.json"))


def test_package_in_use_cannot_be_deleted_until_deprovisioned(api):
    pkg = api.create_package(manifest("cloud-non-ros.json"))["packageId"]
    dep = api.provision(pkg, name="user")
    answer = api.delete("/serviceclass/delete", params={"package_uid": pkg})
    assert answer.status_code == 409 and dep in answer.json()["error"] and "user" in answer.json()["error"]
    plan = api.package(pkg)["plans"][0]["planId"]
    api.delete("/v2/service_instances/" + dep, params={"plan_id": plan, "service_id": pkg})
    assert api.delete("/serviceclass/delete", params={"package_uid": pkg}).status_code == 200
