# Copyright: (c) 2026, rapyuta.rio contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""The wire body is what `rio apply` sends (the captures of docs/reference/v2-api.md#packages and
#deployments, without their nulls); a live object as the server returns it compares equal to the
document that created it."""

import copy
import json

from v2_manifest_samples import CLOUD_DEPLOYMENT, DEVICE_DEPLOYMENT, DEVICE_PACKAGE, USER_SET

from ansible_collections.rapyuta.rio.plugins.module_utils.v2.documents import load_documents
from ansible_collections.rapyuta.rio.plugins.module_utils.v2.normalize import comparable, desired_form, pruned, wire_body
from ansible_collections.rapyuta.rio.plugins.module_utils.v2.validation import validate_documents

SERVER_METADATA = {"guid": "x-abcdefghijabcdefghij", "projectGUID": "project-aaaaaaaaaaaaaaaaaaaaaaaa",
                   "organizationGUID": "org-aaaaaaaaaaaaaaaaaaaaaaaa", "creatorGUID": "0f8e3a52-6b7e-4b4e-9a53-0d1c2a3b4c5d",
                   "createdAt": "2026-01-01T10:00:00Z", "updatedAt": "2026-01-01T10:00:00Z", "deletedAt": None,
                   "organizationName": "acme", "projectName": "demo", "shortGUID": "abcde"}


def validated(source):
    documents = load_documents(source)
    validate_documents(documents)
    return documents


def one(source):
    [document] = validated(source)
    return document


def test_the_captured_cloud_package_body():
    manifest = {
        "apiVersion": "apiextensions.rapyuta.io/v1", "kind": "Package",
        "metadata": {"name": "demo-web", "version": "v1.0.0", "description": "cloud demo package", "labels": {"app": "demo"}},
        "spec": {"runtime": "cloud", "cloud": {"replicas": 1},
                 "executables": [{"name": "web", "docker": {"image": "nginx:alpine"}, "command": "nginx -g 'daemon off;'",
                                  "runAsBash": True, "limits": {"cpu": 0.025, "memory": 128}}],
                 "environmentVars": [{"name": "GREETING", "default": "hi"},
                                     {"name": "PORT", "default": "80", "exposed": True, "exposedName": "WEB_PORT"}],
                 "endpoints": [{"name": "http", "type": "external-https", "port": 443, "targetPort": 80},
                               {"name": "ranges", "type": "internal-tcp-range", "portRange": "22,80,1024-1030"}]}}
    captured = json.loads("""{"apiVersion":"apiextensions.rapyuta.io/v1","kind":"Package",
     "metadata":{"name":"demo-web","guid":null,"labels":{"app":"demo"},"region":null,"version":"v1.0.0","description":"cloud demo package"},
     "spec":{"runtime":"cloud",
       "executables":[{"name":"web","type":"docker",
         "docker":{"image":"nginx:alpine","imagePullPolicy":"IfNotPresent","pullSecret":null},
         "entrypoint":null,"command":["/bin/bash","-c","nginx -g 'daemon off;'"],"runAsBash":true,
         "limits":{"cpu":0.025,"memory":128},"livenessProbe":null,"uid":null,"gid":null}],
       "environmentVars":[{"name":"GREETING","description":null,"default":"hi","valueFrom":null,"exposed":null,"exposedName":null},
                          {"name":"PORT","description":null,"default":"80","valueFrom":null,"exposed":true,"exposedName":"WEB_PORT"}],
       "ros":null,
       "endpoints":[{"name":"http","type":"external-https","port":443,"targetPort":80,"portRange":null},
                    {"name":"ranges","type":"internal-tcp-range","port":null,"targetPort":null,"portRange":"22,80,1024-1030"}],
       "device":null,"cloud":{"replicas":1},"hostPID":null}}""")
    assert wire_body(one(manifest)) == pruned(captured)


def test_the_bash_wrap_follows_the_sdk():
    body = copy.deepcopy(DEVICE_PACKAGE)
    executables = body["spec"]["executables"]
    executables[0]["entrypoint"] = "/bin/sh"
    executables.append({"name": "empty-entrypoint", "entrypoint": "", "command": "run", "runAsBash": True,
                        "docker": {"image": "busybox"}})
    executables.append({"name": "plain", "command": "roscore", "type": "preInstalled"})
    executables.append({"name": "listed", "command": ["a", "b"], "runAsBash": "true", "docker": {"image": "busybox"}})
    wire = wire_body(one(body))["spec"]["executables"]
    assert (wire[0]["entrypoint"], wire[0]["command"]) == (["/bin/sh"], ["roslaunch talker talker.launch"])
    assert "entrypoint" not in wire[1] and wire[1]["command"] == ["/bin/bash", "-c", "run"]
    assert (wire[2]["command"], wire[2]["runAsBash"], wire[2]["type"]) == (["roscore"], False, "preInstalled")
    assert wire[3]["command"] == ["/bin/bash", "-c", "a", "b"]


def test_the_captured_device_deployment_body():
    manifest = {"apiVersion": "apiextensions.rapyuta.io/v1", "kind": "Deployment",
                "metadata": {"name": "demo-talker-dep", "depends": {"kind": "package", "nameOrGUID": "demo-talker", "version": "v1.0.0"}},
                "spec": {"runtime": "device", "device": {"depends": {"kind": "device", "nameOrGUID": "robot-1"}}, "restart": "always",
                         "envArgs": [{"name": "RATE", "value": 10}],
                         "volumes": [{"execName": "talker", "mountPath": "/data", "subPath": "/opt/data", "uid": 1000, "gid": 1000, "perm": 755}],
                         "rosNetworks": [{"depends": {"kind": "network", "nameOrGUID": "demo-net"}, "interface": "eth0"}],
                         "features": {"params": {"enabled": True, "trees": ["robot-config"], "blockUntilSynced": True}}}}
    captured = json.loads("""{"apiVersion":"apiextensions.rapyuta.io/v1","kind":"Deployment",
     "metadata":{"name":"demo-talker-dep","guid":null,"labels":null,"region":null,
       "depends":{"kind":"package","nameOrGUID":"demo-talker","version":"v1.0.0"},"generation":null},
     "spec":{"runtime":"device","depends":null,
       "device":{"depends":{"nameOrGUID":"robot-1","kind":"device"}},
       "restart":"always",
       "envArgs":[{"name":"RATE","value":"10","valueFrom":null,"exposed":null,"exposedName":null}],
       "volumes":[{"execName":"talker","mountPath":"/data","subPath":"/opt/data","uid":1000,"gid":1000,"perm":755,"depends":null}],
       "rosNetworks":[{"depends":{"nameOrGUID":"demo-net","kind":"network"},"domainID":null,"interface":"eth0"}],
       "features":{"params":{"enabled":true,"trees":["robot-config"],"blockUntilSynced":true},"vpn":null},
       "staticRoutes":null,"serviceAccount":null,"networkInterface":null},
     "status":null}""")
    assert wire_body(one(manifest)) == pruned(captured)


def test_the_defaults_the_models_fill_are_sent():
    body = copy.deepcopy(CLOUD_DEPLOYMENT)
    body["metadata"]["depends"].pop("kind")
    body["spec"]["envArgs"] = [{"name": "ON", "value": True}, {"name": "RATIO", "value": 0.5}]
    body["spec"]["features"] = {"params": {"enabled": True}, "vpn": {"enabled": False}}
    body["spec"]["staticRoutes"][0]["url"] = "web-route-abcde.ep-r.io"
    for entry in body["spec"]["volumes"] + body["spec"]["staticRoutes"] + body["spec"]["rosNetworks"]:
        entry["depends"].pop("kind")
    body["spec"]["depends"][0].pop("kind")
    spec = wire_body(one(body))["spec"]
    assert spec["envArgs"] == [{"name": "ON", "value": "true"}, {"name": "RATIO", "value": "0.5"}]
    assert spec["depends"] == [{"nameOrGUID": "db", "kind": "Deployment", "wait": False}]
    assert [entry["depends"]["kind"] for entry in spec["volumes"] + spec["staticRoutes"] + spec["rosNetworks"]] == [
        "Disk", "StaticRoute", "Network"]
    assert spec["staticRoutes"][0] == {"name": "http", "depends": {"nameOrGUID": "web-route", "kind": "StaticRoute"}}
    assert spec["features"] == {"params": {"enabled": True, "blockUntilSynced": False}, "vpn": {"enabled": False}}
    assert "managedServices" not in spec
    assert wire_body(one(body))["metadata"]["depends"]["kind"] == "Package"
    others = dict((document.kind + document.name, wire_body(document)) for document in validated(USER_SET))
    assert others["Networkrobot-net"]["spec"]["depends"]["kind"] == "Device"
    assert others["Secretregcred"]["spec"]["docker"]["registry"] == "https://index.docker.io/v1/"
    assert others["Diskweb-disk"]["spec"]["runtime"] == "cloud"
    assert others["ConfigTreerobot-config"] == {"apiVersion": "api.rapyuta.io/v2", "kind": "ConfigTree",
                                                "metadata": {"name": "robot-config"}}
    device = wire_body(one({"kind": "Package", "metadata": {"name": "p", "version": "1"},
                            "spec": {"runtime": "device", "device": {"arch": "arm64v8"}, "ros": {"version": "noetic"},
                                     "executables": [{"name": "e", "docker": {"image": "x"},
                                                      "livenessProbe": {"httpGet": {"path": "/", "port": 80}}}]}}))
    assert device["spec"]["device"] == {"arch": "arm64v8", "restart": "always"}
    assert device["spec"]["ros"] == {"version": "noetic", "enabled": False}
    assert device["spec"]["executables"][0]["livenessProbe"]["httpGet"]["scheme"] == "HTTP"


def _live(body, **extra):
    """A live object the way the server answers: server metadata, nulls, {} for empty parts, a status."""
    live = copy.deepcopy(body)
    live["metadata"].update(SERVER_METADATA)
    live.update(extra)
    return live


def test_a_live_package_compares_equal_to_its_document():
    document = one(DEVICE_PACKAGE)
    live = _live(wire_body(document))
    live["apiVersion"] = "api.rapyuta.io/v2"
    executable = live["spec"]["executables"][0]
    executable.update({"entrypoint": None, "uid": 1000, "livenessProbe": dict(executable["livenessProbe"], httpGet=None)})
    live["spec"]["environmentVars"][0]["exposed"] = False
    live["spec"]["hostPID"] = None
    live["spec"]["cloud"] = {}
    assert comparable("Package", live) == desired_form(document)
    sparse = one({"kind": "Package", "metadata": {"name": "p", "version": "1"},
                  "spec": {"runtime": "cloud", "executables": [{"name": "e", "docker": {"image": "x"}}],
                           "endpoints": [{"name": "h", "targetPort": 80}]}})
    live = _live(wire_body(sparse), status=None)
    live["spec"].update({"ros": {}, "cloud": {"replicas": 1}})
    live["spec"]["executables"][0]["docker"]["pullSecret"] = {"depends": {}}
    live["spec"]["endpoints"][0]["type"] = "external-http"
    assert comparable("Package", live) == desired_form(sparse)


def test_a_live_deployment_compares_equal_to_its_document():
    document = one(CLOUD_DEPLOYMENT)
    live = _live(wire_body(document), status={"phase": "Succeeded", "status": "Running", "error_codes": []})
    live["metadata"].update({"generation": 3, "depends": {"kind": "Package", "nameOrGuid": "web", "version": "v2"}})
    live["spec"]["staticRoutes"][0]["url"] = "web-route-abcde.ep-r.io"
    live["spec"]["envArgs"][0]["valueFrom"] = None
    live["spec"]["depends"][0]["kind"] = "Deployment"
    assert comparable("Deployment", live) == desired_form(document)
    assert "status" not in comparable("Deployment", live)
    # riocli's pre-create wait is no state of the object: a server that drops it shows no drift.
    waiting = one(DEVICE_DEPLOYMENT)
    live = _live(wire_body(waiting))
    del live["spec"]["depends"][0]["wait"]
    assert wire_body(waiting)["spec"]["depends"][0]["wait"] is True
    assert comparable("Deployment", live) == desired_form(waiting)


def test_secret_values_never_reach_the_comparable_form():
    documents = dict((document.name, document) for document in validated(USER_SET))
    docker = desired_form(documents["regcred"])
    opaque = desired_form(documents["api-keys"])
    assert "s3cr3t-pass" not in json.dumps(docker) and "t0ps3cret" not in json.dumps(opaque)
    assert opaque["spec"]["secretKeys"] == ["TOKEN"]
    live_docker = _live({"kind": "Secret", "metadata": {"name": "regcred"},
                         "spec": {"type": "Docker", "docker": {"registry": "https://index.docker.io/v1/", "username": "robot",
                                                               "email": "robot@example.com"}, "secretKeys": ["password"]}})
    assert comparable("Secret", live_docker) == docker
    live_opaque = _live({"kind": "Secret", "metadata": {"name": "api-keys"}, "spec": {"type": "Opaque", "secretKeys": ["TOKEN"]}})
    assert comparable("Secret", live_opaque) == opaque


def test_server_fields_of_the_other_kinds_are_left_out():
    documents = dict((document.name, document) for document in validated(USER_SET))
    route = _live(wire_body(documents["web-route"]))
    route["metadata"]["name"] = "web-route-abcde"
    route["spec"]["url"] = "web-route-abcde.ep-r.io"
    route["status"] = {"status": "Available"}
    assert comparable("StaticRoute", route) == desired_form(documents["web-route"])
    disk = _live(wire_body(documents["web-disk"]), status={"status": "Available", "capacityUsed": 0.1, "diskBound": {}})
    assert comparable("Disk", disk) == desired_form(documents["web-disk"])
    network = _live(wire_body(documents["robot-net"]), status={"phase": "Succeeded", "status": "Running", "errorCodes": []})
    network["spec"].update({"discoveryServer": None, "resourceLimits": None, "depends": {"kind": "Device", "nameOrGUID": "robot-1"}})
    assert comparable("Network", network) == desired_form(documents["robot-net"])
    tree = _live(wire_body(documents["robot-config"]), head={"revision": "r1"})
    assert comparable("ConfigTree", tree) == {"head": {"revision": "r1"}}
    assert desired_form(documents["robot-config"]) == {}


def test_comparable_tolerates_odd_live_objects():
    assert comparable("Package", None) == {}
    assert comparable("Package", {"spec": {"runtime": "device", "executables": ["x", {"command": "a"}]}}) == {
        "spec": {"runtime": "device", "device": {"arch": "amd64", "restart": "always"},
                 "executables": ["x", {"type": "docker", "command": ["a"]}]}}
    assert comparable("Secret", {"spec": {"type": "Opaque", "data": "not-a-map"}}) == {"spec": {"type": "Opaque"}}


def test_pruned_drops_nulls_and_empties_at_any_depth():
    assert pruned({"a": None, "b": {}, "c": [], "d": {"e": {"f": None}}, "g": [None, 0, False, ""], "h": "x"}) == {
        "g": [0, False, ""], "h": "x"}
