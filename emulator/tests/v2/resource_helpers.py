"""Bodies in the shapes the vendor's clients send (sdk-v2 fills every unset field with null) and a way to
put a v2 deployment in the store without the deployment routes (the references are all the other routes read)."""
import copy

from emulator_helpers import PROJECT

ORG = "org-emulatoremulatoremulat"
NULL_METADATA = dict((key, None) for key in (
    "guid", "projectGUID", "organizationGUID", "organizationCreatorGUID", "creatorGUID", "labels", "region",
    "createdAt", "updatedAt", "deletedAt", "organizationName", "shortGUID", "projectName"))


def with_nulls(metadata):
    out = dict(NULL_METADATA)
    out.update(metadata)
    return out


def sdk_cloud_package(name="demo-web", version="v1.0.0", labels=None):
    """The captured sdk-v2 create_package body (cloud)."""
    return {
        "apiVersion": "apiextensions.rapyuta.io/v1", "kind": "Package",
        "metadata": with_nulls({"name": name, "labels": labels if labels is not None else {"app": "demo"},
                                "version": version, "description": "cloud demo"}),
        "spec": {"runtime": "cloud", "executables": [{
            "name": "web", "type": "docker",
            "docker": {"image": "nginx:alpine", "imagePullPolicy": "IfNotPresent", "pullSecret": None},
            "entrypoint": None, "command": ["/bin/bash", "-c", "nginx -g 'daemon off;'"], "runAsBash": True,
            "limits": {"cpu": 0.025, "memory": 128}, "livenessProbe": None, "uid": None, "gid": None}],
            "environmentVars": [
                {"name": "GREETING", "description": "a var", "default": "hi", "valueFrom": None, "exposed": None,
                 "exposedName": None},
                {"name": "PORT", "description": None, "default": "80", "valueFrom": None, "exposed": True,
                 "exposedName": "WEB_PORT"}],
            "ros": None,
            "endpoints": [{"name": "http", "type": "external-https", "port": 443, "targetPort": 80, "portRange": None},
                          {"name": "ranges", "type": "internal-tcp-range", "port": None, "targetPort": None,
                           "portRange": "22,80,1024-1030"}],
            "device": None, "cloud": {"replicas": 1}, "hostPID": None}}


def sparse_device_package(name="demo-talker", version="v1.0.0", pull_secret=None):
    """A hand-written (sparse) device package."""
    docker = {"image": "ros:noetic", "imagePullPolicy": "Always"}
    if pull_secret:
        docker["pullSecret"] = {"depends": {"kind": "secret", "nameOrGUID": pull_secret}}
    return {"kind": "Package", "metadata": {"name": name, "version": version},
            "spec": {"runtime": "device", "device": {"arch": "arm64v8", "restart": "onfailure"},
                     "ros": {"enabled": True, "version": "noetic",
                             "rosEndpoints": [{"type": "topic", "name": "/chatter", "qos": "low"}]},
                     "executables": [{"name": "talker", "docker": docker, "command": ["roslaunch", "talker"]},
                                     {"name": "pre", "type": "preInstalled", "command": "roscore"}]}}


def device_network(name="demo-net", device="docker-amd64", interface="eth0"):
    """The captured sdk-v2 create_network body (routed, device)."""
    return {"apiVersion": "apiextensions.rapyuta.io/v1", "kind": "Network", "metadata": with_nulls({"name": name}),
            "spec": {"type": "routed", "rosDistro": "noetic", "runtime": "device", "discoveryServer": None,
                     "resourceLimits": None, "depends": {"kind": "Device", "nameOrGUID": device},
                     "networkInterface": interface, "restartPolicy": "always", "architecture": None,
                     "rabbitMQCreds": None},
            "status": None}


def cloud_network(name="demo-native", kind="native", cpu=0.1, memory=512):
    return {"kind": "Network", "metadata": {"name": name},
            "spec": {"type": kind, "rosDistro": "noetic", "runtime": "cloud",
                     "resourceLimits": {"cpu": cpu, "memory": memory}}}


def disk(name="demo-disk", capacity=4):
    return {"apiVersion": "apiextensions.rapyuta.io/v1", "kind": "Disk", "metadata": with_nulls({"name": name}),
            "spec": {"runtime": "cloud", "capacity": capacity}, "status": None}


def docker_secret(name="regcred", password="s3cr3t-pw"):
    return {"apiVersion": "apiextensions.rapyuta.io/v1", "kind": "Secret", "metadata": with_nulls({"name": name}),
            "spec": {"type": "Docker", "docker": {"registry": "https://index.docker.io/v1/", "username": "u",
                                                  "email": "u@example.com", "password": password},
                     "data": None, "runtime": None, "depends": None}}


def opaque_secret(name="opaque", data=None):
    return {"kind": "Secret", "metadata": {"name": name},
            "spec": {"type": "Opaque", "data": data or {"token": "v4lue-one", "other": "v4lue-two"}}}


def put_deployment(api, name, package=("demo-web", "v1.0.0"), stopped=False, **spec):
    """Store a v2 deployment incarnation directly: the wire object as sent plus server metadata; a stopped
    one carries metadata.deletedAt (the stop marker of the deployment routes)."""
    guid = "dep-" + (name.replace("-", "") + "x" * 24)[:24]
    meta = {"name": name, "guid": guid, "projectGUID": PROJECT,
            "depends": {"kind": "package", "nameOrGUID": package[0], "version": package[1]}}
    if stopped:
        meta["deletedAt"] = "2024-01-01T00:00:00Z"
    doc = {"apiVersion": "api.rapyuta.io/v2", "kind": "Deployment", "metadata": meta,
           "spec": dict({"runtime": "cloud"}, **copy.deepcopy(spec)),
           "_state": {"phaseStart": 0, "mode": "create", "stopped": 1 if stopped else None, "refs": {},
                      "problems": [], "executables": []}}
    api.emu.store.put("v2deployment", PROJECT, guid, doc)
    return doc


def error_of(answer, status):
    """The `error` text of an answer that must have `status` and the v2 error body."""
    assert answer.status_code == status, answer.text
    body = answer.json()
    assert list(body) == ["error"] and isinstance(body["error"], str) and body["error"], body
    return body["error"]
