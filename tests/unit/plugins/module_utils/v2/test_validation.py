# Copyright: (c) 2026, rapyuta.rio contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""v2 validation: every problem at once, each naming the document, the field path and the value.

The oracle tests hold the collection to the vendor's JSON schemas (those riocli 10.11.0 ships):
what they accept is accepted, what both refuse is refused with the path given in
v2_manifest_samples.INVALID. The schemas are read where the riocli wheel installed them
(`make venv-riocli`) or from the folder in RIO_V2_SCHEMAS; never copied into the repository.
"""

import copy
import glob
import os

import pytest

from v2_manifest_samples import CLOUD_DEPLOYMENT, CLOUD_PACKAGE, DEVICE_PACKAGE, INVALID, UNION, USER_SET, VALID
from vendor_schemas import kind_schema, schema_folder, validator

from ansible_collections.rapyuta.rio.plugins.module_utils.v2.documents import ManifestError, load_documents
from ansible_collections.rapyuta.rio.plugins.module_utils.v2.validation import (
    UNKNOWN_FIELD,
    check_document,
    validate_documents,
)

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "..", "..", ".."))
FIXTURE_MANIFESTS = os.path.join(REPO, "tests", "fixtures", "v2", "manifests")


SCHEMAS = schema_folder()
needs_schemas = pytest.mark.skipif(SCHEMAS is None, reason="the vendor's schemas are not installed (make venv-riocli)")


def schema_accepts(document):
    return not list(validator(document["kind"], SCHEMAS).iter_errors(copy.deepcopy(document)))


def problems_of(source):
    documents = load_documents(source)
    try:
        validate_documents(documents)
    except ManifestError as error:
        return error.problems
    return []


def paths_of(source):
    return [problem.path for problem in problems_of(source)]


# -- the oracle --------------------------------------------------------------------------------------
@needs_schemas
@pytest.mark.parametrize("name", sorted(VALID))
def test_what_the_schemas_accept_is_accepted(name):
    assert schema_accepts(VALID[name])
    assert problems_of(VALID[name]) == []


@needs_schemas
@pytest.mark.parametrize("name", sorted(INVALID))
def test_what_the_schemas_refuse_is_refused_with_its_path(name):
    document, path = INVALID[name]
    assert not schema_accepts(document)
    assert path in paths_of(document)


@needs_schemas
@pytest.mark.parametrize("name", sorted(UNION))
def test_what_only_the_sdk_models_accept_is_accepted_too(name):
    assert not schema_accepts(UNION[name]) or name == "deployment without spec.depends kinds"
    assert problems_of(UNION[name]) == []


@needs_schemas
def test_the_shared_fixture_manifests_the_schemas_accept_are_accepted():
    import yaml

    files = sorted(glob.glob(os.path.join(FIXTURE_MANIFESTS, "**", "*.y*ml"), recursive=True))
    if not files:
        pytest.skip("no v2 fixture manifests yet")
    for path in files:
        with open(path) as handle:
            for body in yaml.safe_load_all(handle):
                if isinstance(body, dict) and body.get("kind") in ("Package", "Deployment") and schema_accepts(body):
                    assert problems_of(body) == [], path


def test_the_oracle_validator_needs_its_defaults():
    # Without default injection the schemas refuse a ROS endpoint that leaves out scoped/targeted.
    if SCHEMAS is None:
        pytest.skip("the vendor's schemas are not installed")
    import jsonschema

    assert list(jsonschema.Draft7Validator(kind_schema("Package", SCHEMAS)).iter_errors(copy.deepcopy(DEVICE_PACKAGE)))
    assert schema_accepts(DEVICE_PACKAGE)


# -- messages ------------------------------------------------------------------------------------------
def test_the_message_names_document_path_and_value():
    body = copy.deepcopy(DEVICE_PACKAGE)
    body["spec"]["device"]["arch"] = "x86"
    [problem] = problems_of([CLOUD_PACKAGE, body])
    assert str(problem) == "document 2 (Package talker): spec.device.arch: must be one of amd64, arm32v7, arm64v8, got 'x86'"


def test_every_problem_of_every_document_is_reported_at_once():
    first = copy.deepcopy(DEVICE_PACKAGE)
    first["spec"]["device"]["arch"] = "x86"
    first["spec"]["executables"][0]["docker"]["imagePullPolicy"] = "Sometimes"
    second = copy.deepcopy(CLOUD_DEPLOYMENT)
    second["spec"]["restart"] = "always"
    problems = problems_of([first, second])
    assert [(problem.document.index, problem.path) for problem in problems] == [
        (1, "spec.device.arch"), (1, "spec.executables[0].docker.imagePullPolicy"), (2, "spec.restart")]


def test_a_document_that_is_not_a_mapping_or_of_an_unknown_kind():
    assert [str(problem) for problem in problems_of(["just text"])] == [
        "document 1: must be a mapping (one object with apiVersion, kind, metadata, spec), got 'just text'"]
    [unknown] = problems_of({"kind": "Device", "metadata": {"name": "robot-1"}})
    assert str(unknown).startswith("document 1 (Device robot-1): kind: must be one of Package, Deployment, Network")
    assert str(unknown).endswith("got 'Device'")
    assert paths_of({"metadata": {"name": "x"}}) == ["kind"]


def test_type_messages():
    body = copy.deepcopy(DEVICE_PACKAGE)
    body["spec"]["hostPID"] = "maybe"
    body["spec"]["executables"][0]["uid"] = "root"
    body["spec"]["executables"][0]["limits"]["cpu"] = "lots"
    body["spec"]["executables"][0]["command"] = {"run": "x"}
    body["spec"]["environmentVars"][0]["default"] = 10
    body["spec"]["ros"]["rosEndpoints"] = "none"
    body["metadata"]["labels"] = {5: "x"}
    body["spec"]["executables"][0]["livenessProbe"] = "tcp"
    body["spec"]["environmentVars"].append(None)
    messages = [problem.message for problem in problems_of(body)]
    assert "must be true or false, got 'maybe'" in messages
    assert "must be an integer, got 'root'" in messages
    assert "must be a number, got 'lots'" in messages
    assert "must be a string or a list of strings, got {'run': 'x'}" in messages
    assert "must be a string, got 10" in messages
    assert "must be a list, got 'none'" in messages
    assert "keys must be strings, got 5" in messages
    assert "must be a mapping, got 'tcp'" in messages
    assert "must not be null" in messages


def test_ranges_steps_and_empty_strings():
    network = {"kind": "Network", "metadata": {"name": "n"},
               "spec": {"type": "routed", "rosDistro": "noetic", "runtime": "cloud",
                        "resourceLimits": {"cpu": 0.03, "memory": 1000}, "discoveryServer": {"serverPort": 70000}}}
    problems = dict((problem.path, problem.message) for problem in problems_of(network))
    assert problems == {"spec.resourceLimits.cpu": "must be a multiple of 0.025, got 0.03",
                        "spec.resourceLimits.memory": "must be a multiple of 128, got 1000",
                        "spec.discoveryServer.serverPort": "must be at most 65535, got 70000"}
    body = copy.deepcopy(DEVICE_PACKAGE)
    body["metadata"]["version"] = " "
    body["spec"]["executables"][0]["limits"]["memory"] = -1
    problems = dict((problem.path, problem.message) for problem in problems_of(body))
    assert problems == {"metadata.version": "must not be empty", "spec.executables[0].limits.memory": "must be at least 0, got -1"}


def test_lenient_scalars_are_read_as_the_sdk_models_read_them():
    body = copy.deepcopy(DEVICE_PACKAGE)
    body["spec"]["hostPID"] = "True"
    body["spec"]["executables"][0]["uid"] = "1000"
    body["spec"]["executables"][0]["gid"] = 1000.0
    body["spec"]["executables"][0]["limits"]["cpu"] = "0.5"
    [document] = load_documents(body)
    validate_documents([document])
    spec = document.clean["spec"]
    assert spec["hostPID"] is True
    assert spec["executables"][0]["uid"] == 1000
    assert spec["executables"][0]["gid"] == 1000
    assert spec["executables"][0]["limits"]["cpu"] == 0.5
    body["spec"]["executables"][0]["gid"] = 1000.5
    body["spec"]["executables"][0]["limits"]["cpu"] = True
    messages = [problem.message for problem in problems_of(body)]
    assert messages == ["must be an integer, got 1000.5", "must be a number, got True"]


def test_nulls_and_empty_mappings_read_as_absent():
    body = copy.deepcopy(DEVICE_PACKAGE)
    body["metadata"].update({"guid": None, "description": None, "labels": {}})
    body["spec"]["executables"][0]["docker"]["pullSecret"] = {"depends": {}}
    body["spec"]["ros"] = {}
    [document] = load_documents(body)
    assert validate_documents([document]) == []
    assert "ros" not in document.clean["spec"]
    assert "pullSecret" not in document.clean["spec"]["executables"][0]["docker"]
    assert "labels" not in document.clean["metadata"]


def test_an_empty_mapping_where_a_field_is_required_is_refused():
    body = copy.deepcopy(CLOUD_PACKAGE)
    body["spec"]["executables"][0]["docker"] = {}
    assert paths_of(body) == ["spec.executables[0].docker.image"]


def test_unknown_and_vendor_dropped_fields_are_warned_and_left_out():
    body = copy.deepcopy(DEVICE_PACKAGE)
    body["spec"]["executables"][0]["imagePullPolity"] = "Always"
    body["spec"]["ros"]["inboundScopedTargeted"] = True
    body["spec"]["executables"][0]["docker"]["pullSecret"] = {"nameOrGUID": "regcred"}
    body["status"] = {"phase": "Succeeded"}
    body["metadata"]["guid"] = "pkg-abcdefghijabcdefghij"
    [document] = load_documents(body)
    warnings = validate_documents([document])
    assert sorted((warning.path, warning.message == UNKNOWN_FIELD) for warning in warnings) == [
        ("spec.executables[0].docker.pullSecret.nameOrGUID", False),
        ("spec.executables[0].imagePullPolity", True),
        ("spec.ros.inboundScopedTargeted", False),
    ]
    assert document.warnings == warnings
    assert "status" not in document.clean and "guid" not in document.clean["metadata"]
    assert "inboundScopedTargeted" not in document.clean["spec"]["ros"]


def test_name_or_guid_spelling_is_made_one():
    body = copy.deepcopy(CLOUD_DEPLOYMENT)
    body["metadata"]["depends"] = {"kind": "Package", "nameOrGuid": "web", "version": "v2"}
    [document] = load_documents(body)
    validate_documents([document])
    assert document.clean["metadata"]["depends"] == {"kind": "Package", "nameOrGUID": "web", "version": "v2"}


# -- runtime rules --------------------------------------------------------------------------------------
def test_package_device_and_cloud_sections_exclude_each_other():
    body = copy.deepcopy(DEVICE_PACKAGE)
    body["spec"]["cloud"] = {"replicas": 1}
    body["spec"]["endpoints"] = [{"name": "http", "type": "external-http", "port": 80, "targetPort": 80}]
    assert paths_of(body) == ["spec.cloud", "spec.endpoints"]
    body = copy.deepcopy(CLOUD_PACKAGE)
    body["spec"]["device"] = {"arch": "amd64"}
    assert paths_of(body) == ["spec.device"]


def test_endpoints_need_their_ports():
    body = copy.deepcopy(CLOUD_PACKAGE)
    del body["spec"]["endpoints"][0]["targetPort"]
    del body["spec"]["endpoints"][1]["portRange"]
    body["spec"]["endpoints"].append({"name": "http", "port": 1, "targetPort": 2})
    problems = [(problem.path, problem.message) for problem in problems_of(body)]
    assert problems == [("spec.endpoints[0].targetPort", "required for type 'external-https'"),
                        ("spec.endpoints[1].portRange", "required for type 'internal-udp-range'"),
                        ("spec.endpoints[2].name", "'http' is already used by spec.endpoints[0]")]


def test_device_deployments_need_their_device():
    body = copy.deepcopy(VALID["minimal device deployment"])
    del body["spec"]["device"]
    assert paths_of(body) == ["spec.device.depends"]
    for empty in ({}, {"depends": {}}):
        body["spec"]["device"] = empty
        assert [str(problem) for problem in problems_of(body)] == [
            "document 1 (Deployment core-robot-1): spec.device.depends: required for a device deployment (the device to run on)"]
    body["spec"]["device"] = {"depends": {"kind": "robot", "nameOrGUID": "robot-1"}}
    [problem] = problems_of(body)
    assert (problem.path, problem.message) == ("spec.device.depends.kind", "must be one of Device, device, got 'robot'")


def test_cloud_volumes_mount_disks_and_take_no_owner():
    body = copy.deepcopy(CLOUD_DEPLOYMENT)
    body["spec"]["volumes"] = [{"execName": "web", "mountPath": "srv", "uid": 0}]
    assert paths_of(body) == ["spec.volumes[0].mountPath", "spec.volumes[0].depends", "spec.volumes[0].uid"]


def test_exposed_env_args_need_a_name_and_names_are_unique():
    body = copy.deepcopy(CLOUD_DEPLOYMENT)
    body["spec"]["envArgs"] = [{"name": "A", "value": "1", "exposed": True}, {"name": "A", "value": "2"}]
    assert paths_of(body) == ["spec.envArgs[0].exposedName", "spec.envArgs[1].name"]


def test_networks():
    device = {"kind": "Network", "metadata": {"name": "n"}, "spec": {"type": "native", "rosDistro": "foxy", "runtime": "device"}}
    assert paths_of(device) == ["spec.depends"]
    device["spec"]["depends"] = {"kind": "device", "nameOrGUID": "robot-1"}
    [problem] = problems_of(device)
    assert str(problem) == "document 1 (Network n): spec.depends.kind: must be Device, got 'device'"
    device["spec"]["depends"] = {"nameOrGUID": "robot-1"}
    device["spec"]["restartPolicy"] = "onFailure"
    [problem] = problems_of(device)
    assert problem.message == "must be one of always, never, onfailure, got 'onFailure'"


def test_disk_capacity():
    def disk(capacity):
        return {"kind": "Disk", "metadata": {"name": "d"}, "spec": {"capacity": capacity}}

    assert problems_of(disk(4)) == problems_of(disk(512)) == problems_of(disk(10)) == []
    for wrong in (2, 5, 514):
        [problem] = problems_of(disk(wrong))
        assert problem.message == "must be an even number of GiB from 4 to 512, got %d" % wrong
    assert paths_of({"kind": "Disk", "metadata": {"name": "d"}, "spec": {"runtime": "cloud"}}) == ["spec.capacity"]


def test_secrets_by_type_and_their_values_never_shown():
    docker = {"kind": "Secret", "metadata": {"name": "s"}, "spec": {"type": "Docker"}}
    assert paths_of(docker) == ["spec.docker"]
    docker["spec"]["docker"] = {}
    assert paths_of(docker) == ["spec.docker.username", "spec.docker.email", "spec.docker.password"]
    docker["spec"]["docker"] = {"username": "u", "email": "e", "password": 123456789}
    [problem] = problems_of(docker)
    assert str(problem) == "document 1 (Secret s): spec.docker.password: must be a string"
    opaque = {"kind": "Secret", "metadata": {"name": "o"}, "spec": {"type": "Opaque", "data": {}}}
    assert paths_of(opaque) == ["spec.data"]
    opaque["spec"]["data"] = {"TOKEN": 987654321}
    [problem] = problems_of(opaque)
    assert "987654321" not in str(problem)
    assert paths_of({"kind": "Secret", "metadata": {"name": "x"}, "spec": {"type": "Vault"}}) == ["spec.type"]


def test_static_routes_take_ipv4_ranges():
    route = {"kind": "StaticRoute", "metadata": {"name": "r"}, "spec": {"sourceIPRange": ["10.0.0.0/8", "192.168.1.1"]}}
    assert problems_of(route) == []
    for wrong in ("10.0.0.0/0", "10.0.0.0/33", "300.1.1.1", "fe80::/10", "10.0.0.0/x"):
        route["spec"]["sourceIPRange"] = [wrong]
        [problem] = problems_of(route)
        assert problem.path == "spec.sourceIPRange[0]"
        assert problem.message.endswith("got %r" % wrong)
    assert problems_of({"kind": "StaticRoute", "metadata": {"name": "r"}}) == []


def test_config_trees_are_free_form():
    tree = {"kind": "ConfigTree", "metadata": {"name": "t", "labels": {"a": "b"}}, "spec": {"anything": [1, 2]}, "head": "x"}
    [document] = load_documents(tree)
    assert validate_documents([document]) == []
    assert document.clean["spec"] == {"anything": [1, 2]} and document.clean["head"] == "x"


# -- the set --------------------------------------------------------------------------------------------
def test_the_user_set_is_valid():
    documents = load_documents(USER_SET)
    warnings = validate_documents(documents)
    assert warnings == []
    assert all(document.clean is not None for document in documents)


def test_an_object_declared_twice_is_refused():
    problems = problems_of([DEVICE_PACKAGE, CLOUD_PACKAGE, DEVICE_PACKAGE])
    assert [str(problem) for problem in problems] == [
        "document 3 (Package talker): declares Package talker v1.0.0 again (first declared by document 1 (Package talker))"]
    other_version = copy.deepcopy(DEVICE_PACKAGE)
    other_version["metadata"]["version"] = "v2.0.0"
    assert problems_of([DEVICE_PACKAGE, other_version]) == []


def test_a_deployment_runs_on_its_packages_runtime():
    deployment = copy.deepcopy(CLOUD_DEPLOYMENT)
    deployment["metadata"]["depends"]["nameOrGUID"] = "talker"
    deployment["metadata"]["depends"]["version"] = "v1.0.0"
    [problem] = problems_of([DEVICE_PACKAGE, deployment])
    assert str(problem) == ("document 2 (Deployment web): spec.runtime: must equal the runtime of Package talker v1.0.0 "
                            "(document 1 (Package talker)), 'device', got 'cloud'")


def test_check_document_leaves_the_document_alone():
    [document] = load_documents(DEVICE_PACKAGE)
    clean, problems, warnings = check_document(document)
    assert clean is not None and problems == [] and warnings == []
    assert document.clean is None
