"""The shared manifest set (tests/fixtures/v2/manifests/, read only) applied through sdk-v2 in
dependency order, one robot deployment on this suite's fleet, then deleted in reverse order
(docs/reference/v2-api.md#manifests, docs/reference/v2-api.md#manifest-dependency-order)."""
import copy
import glob
import os

import yaml

from .sdkv2_support import NOETIC, ROOT, wait_for, wait_phase

MANIFESTS = os.path.join(ROOT, "tests", "fixtures", "v2", "manifests")


def load(name):
    with open(os.path.join(MANIFESTS, name)) as handle:
        return [doc for doc in yaml.safe_load_all(handle) if doc]


def fleet_set():
    """The shared set, one document per file of fleet-set/, in file-name order."""
    return [doc for path in sorted(glob.glob(os.path.join(MANIFESTS, "fleet-set", "*.yaml")))
            for doc in load(path)]


def robot_deployment(device):
    (template,) = load("robot-deployment.yaml")
    body = copy.deepcopy(template)
    body["metadata"]["name"] = "talker-" + device
    body["metadata"]["labels"]["robot"] = device
    body["spec"]["device"]["depends"]["nameOrGUID"] = device
    for arg in body["spec"].get("envArgs") or []:
        if arg["name"] == "ROBOT_NAME":
            arg["value"] = device
    return body


def test_apply_and_delete_the_fleet_set(sdk):
    documents = fleet_set() + [robot_deployment(NOETIC)]
    create = {"Secret": sdk.create_secret, "Disk": sdk.create_disk, "Network": sdk.create_network,
              "StaticRoute": sdk.create_staticroute, "Package": sdk.create_package,
              "Deployment": sdk.create_deployment}
    kinds = [doc["kind"] for doc in documents]
    assert set(kinds) == set(create), kinds
    for doc in documents:
        created = create[doc["kind"]](doc)
        assert created.metadata.name.startswith(doc["metadata"]["name"])

    for doc in documents:
        if doc["kind"] == "Deployment":
            got = wait_phase(sdk, doc["metadata"]["name"], "Succeeded", "Running")
            assert not got.status.error_codes
    wait_for(lambda: sdk.get_network("fleet-net").status.phase, lambda p: p == "Succeeded", what="network")
    bound = sdk.get_disk("fleet-logs")
    assert bound.status.status == "Bound" and bound.status.disk_bound.deployment_name == "fleet-console"
    robot = sdk.get_deployment("talker-" + NOETIC)
    assert robot.spec.device.depends.name_or_guid == NOETIC
    assert robot.spec.depends[0].name_or_guid == "fleet-console"
    assert [d.metadata.name for d in sdk.list_deployments(label_selector=["app=fleet-demo"]).items] == [
        "fleet-console", "talker-" + NOETIC]
    assert [d.metadata.name for d in sdk.list_deployments(device_name=NOETIC).items] == ["talker-" + NOETIC]
    assert sorted(p.metadata.name for p in sdk.list_packages(label_selector=["app=fleet-demo"]).items) == [
        "fleet-console", "fleet-talker"]

    delete = {"Secret": sdk.delete_secret, "Disk": sdk.delete_disk, "Network": sdk.delete_network,
              "StaticRoute": sdk.delete_staticroute, "Deployment": sdk.delete_deployment,
              "Package": lambda name: sdk.delete_package(name, "v1.0.0")}
    for doc in reversed(documents):
        delete[doc["kind"]](doc["metadata"]["name"])
    assert sdk.list_packages().items in ([], None)
    assert sdk.list_networks().items in ([], None) and sdk.list_disks().items in ([], None)
    assert sorted(d.metadata.name for d in sdk.list_deployments(phases=["Stopped"]).items) == [
        "fleet-console", "talker-" + NOETIC]
