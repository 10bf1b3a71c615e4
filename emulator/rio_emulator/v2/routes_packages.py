"""v2 packages (docs/reference/v2-api.md#packages): identity (name, version), no update route, stored
as sent (kind PACKAGE, id `name@version`) plus server metadata; no `status` block."""
import re
from typing import Any

from fastapi import APIRouter, Body, Depends, Request

from . import common as c

router = APIRouter(prefix="/v2")

VERSION = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._+-]*$")
PORT_RANGE = re.compile(r"^\d+(-\d+)?(,\d+(-\d+)?)*$")
RUNTIMES = ("cloud", "device")
ARCHITECTURES = ("amd64", "arm32v7", "arm64v8")
RESTART_POLICIES = ("always", "never", "onfailure")
EXECUTABLE_TYPES = ("docker", "preInstalled")
PULL_POLICIES = ("Always", "IfNotPresent", "Never")
ENDPOINT_TYPES = ("external-http", "external-https", "external-tls-tcp", "internal-tcp", "internal-udp",
                  "internal-tcp-range", "internal-udp-range")
ROS_DISTROS = ("kinetic", "melodic", "noetic", "foxy")
ROS_ENDPOINT_TYPES = ("topic", "service", "action")
QOS = ("low", "med", "hi", "max")
PROBE_MINIMUMS = {"initialDelaySeconds": 1, "timeoutSeconds": 10, "periodSeconds": 1, "successThreshold": 1,
                  "failureThreshold": 1}


def package_id(name, version):
    """The store id of a package version."""
    return "%s@%s" % (name, version)


def _strings(value, path):
    """A command/entrypoint: a string or a list of strings."""
    if value is None or isinstance(value, str):
        return
    for index, item in enumerate(c.check_list(value, path)):
        c.check_string(item, "%s[%d]" % (path, index), required=True)


def _check_secret_ref(value, path):
    ref = c.check_object(value, path)
    if ref:
        c.check_string(ref.get("name"), path + ".name", required=True)
        c.check_string(ref.get("key"), path + ".key", required=True)


def _check_executable(exe, path, runtime):
    exe = c.check_object(exe, path)
    c.check_string(exe.get("name"), path + ".name", required=True)
    kind = c.check_string(exe.get("type", "docker"), path + ".type", choices=EXECUTABLE_TYPES)
    if kind == "preInstalled" and runtime == "cloud":
        raise c.invalid(path + ".type", "preInstalled executables need runtime device")
    docker = c.check_object(exe.get("docker"), path + ".docker", required=kind == "docker")
    if docker:
        c.check_string(docker.get("image"), path + ".docker.image", required=True)
        c.check_string(docker.get("imagePullPolicy"), path + ".docker.imagePullPolicy", choices=PULL_POLICIES)
        pull = c.check_object(docker.get("pullSecret"), path + ".docker.pullSecret")
        depends = c.check_object(pull.get("depends"), path + ".docker.pullSecret.depends")
        if depends:
            kind_path = path + ".docker.pullSecret.depends.kind"
            if c.check_string(depends.get("kind", "secret"), kind_path).lower() != "secret":
                raise c.invalid(kind_path, "must be secret")
            c.check_string(depends.get("nameOrGUID") or depends.get("nameOrGuid"),
                           path + ".docker.pullSecret.depends.nameOrGUID", required=True)
    _strings(exe.get("entrypoint"), path + ".entrypoint")
    _strings(exe.get("command"), path + ".command")
    c.check_bool(exe.get("runAsBash"), path + ".runAsBash")
    limits = c.check_object(exe.get("limits"), path + ".limits")
    c.check_number(limits.get("cpu"), path + ".limits.cpu", minimum=0, maximum=256)
    c.check_number(limits.get("memory"), path + ".limits.memory", minimum=0)
    probe = c.check_object(exe.get("livenessProbe"), path + ".livenessProbe")
    for key, minimum in PROBE_MINIMUMS.items():
        c.check_int(probe.get(key), "%s.livenessProbe.%s" % (path, key), minimum=minimum)
    http = c.check_object(probe.get("httpGet"), path + ".livenessProbe.httpGet")
    if http:
        c.check_string(http.get("path"), path + ".livenessProbe.httpGet.path", required=True)
        c.check_int(http.get("port"), path + ".livenessProbe.httpGet.port", required=True, minimum=1, maximum=65535)
    c.check_object(probe.get("exec"), path + ".livenessProbe.exec")
    c.check_object(probe.get("tcpSocket"), path + ".livenessProbe.tcpSocket")
    c.check_int(exe.get("uid"), path + ".uid", minimum=0)
    c.check_int(exe.get("gid"), path + ".gid", minimum=0)
    return exe["name"]


def _check_endpoint(endpoint, path):
    endpoint = c.check_object(endpoint, path)
    c.check_string(endpoint.get("name"), path + ".name", required=True)
    kind = c.check_string(endpoint.get("type"), path + ".type", required=True, choices=ENDPOINT_TYPES)
    if kind.endswith("-range"):
        port_range = c.check_string(endpoint.get("portRange"), path + ".portRange", required=True)
        if not PORT_RANGE.match(port_range):
            raise c.invalid(path + ".portRange", "must be ports or ranges separated by commas, e.g. 22,80,1024-1030")
    else:
        c.check_int(endpoint.get("port"), path + ".port", required=True, minimum=1, maximum=65535)
        c.check_int(endpoint.get("targetPort"), path + ".targetPort", required=True, minimum=1, maximum=65535)
    return endpoint["name"]


def _unique(names, path):
    seen = set()
    for index, name in enumerate(names):
        if name in seen:
            raise c.invalid("%s[%d].name" % (path, index), "duplicate name %s" % name)
        seen.add(name)


def check_package(body):
    """400 naming the first invalid field of a (cleaned) package body; returns (name, version)."""
    meta = body["metadata"]
    name = c.check_name(meta)
    version = c.check_string(meta.get("version"), "metadata.version", required=True)
    if len(version) > 128 or not VERSION.match(version):
        raise c.invalid("metadata.version", "must start with a letter or digit and contain only letters, digits, "
                                            "'.', '_', '+', '-' (at most 128 characters)")
    c.check_string(meta.get("description"), "metadata.description")
    c.check_labels(meta)
    spec = c.check_object(body.get("spec"), "spec", required=True)
    runtime = c.check_string(spec.get("runtime"), "spec.runtime", required=True, choices=RUNTIMES)
    other = "device" if runtime == "cloud" else "cloud"
    if spec.get(other):
        raise c.invalid("spec." + other, "must not be set when runtime is %s" % runtime)
    if runtime == "cloud":
        cloud = c.check_object(spec.get("cloud"), "spec.cloud")
        c.check_int(cloud.get("replicas"), "spec.cloud.replicas", minimum=1)
    else:
        device = c.check_object(spec.get("device"), "spec.device")
        c.check_string(device.get("arch"), "spec.device.arch", choices=ARCHITECTURES)
        c.check_string(device.get("restart"), "spec.device.restart", choices=RESTART_POLICIES)
        if spec.get("endpoints"):
            raise c.invalid("spec.endpoints", "only cloud packages have endpoints")
    executables = c.check_list(spec.get("executables"), "spec.executables", required=True)
    if not executables:
        raise c.invalid("spec.executables", "at least one executable is required")
    _unique([_check_executable(e, "spec.executables[%d]" % i, runtime) for i, e in enumerate(executables)],
            "spec.executables")
    env_names = []
    for index, var in enumerate(c.check_list(spec.get("environmentVars"), "spec.environmentVars")):
        path = "spec.environmentVars[%d]" % index
        var = c.check_object(var, path)
        env_names.append(c.check_string(var.get("name"), path + ".name", required=True))
        c.check_string(var.get("description"), path + ".description")
        c.check_string(var.get("default"), path + ".default")
        if c.check_bool(var.get("exposed"), path + ".exposed"):
            c.check_string(var.get("exposedName"), path + ".exposedName", required=True)
        _check_secret_ref(c.check_object(var.get("valueFrom"), path + ".valueFrom").get("secretKeyRef"),
                          path + ".valueFrom.secretKeyRef")
    _unique(env_names, "spec.environmentVars")
    _unique([_check_endpoint(e, "spec.endpoints[%d]" % i)
             for i, e in enumerate(c.check_list(spec.get("endpoints"), "spec.endpoints"))], "spec.endpoints")
    ros = c.check_object(spec.get("ros"), "spec.ros")
    c.check_bool(ros.get("enabled"), "spec.ros.enabled")
    c.check_string(ros.get("version"), "spec.ros.version", choices=ROS_DISTROS)
    for index, endpoint in enumerate(c.check_list(ros.get("rosEndpoints"), "spec.ros.rosEndpoints")):
        path = "spec.ros.rosEndpoints[%d]" % index
        endpoint = c.check_object(endpoint, path)
        c.check_string(endpoint.get("type"), path + ".type", required=True, choices=ROS_ENDPOINT_TYPES)
        c.check_string(endpoint.get("name"), path + ".name", required=True)
        c.check_string(endpoint.get("qos"), path + ".qos", choices=QOS)
        c.check_number(endpoint.get("timeout"), path + ".timeout", minimum=0)
        for flag in ("compression", "scoped", "targeted"):
            c.check_bool(endpoint.get(flag), "%s.%s" % (path, flag))
    c.check_bool(spec.get("hostPID"), "spec.hostPID")
    return name, version


def find_package(ctx, name, version=None):
    """The stored package `name` at `version` (by guid too); without a version the newest one; or None."""
    if version:
        found = ctx.get(c.PACKAGE, package_id(name, version))
        if found is None and name.startswith("pkg-"):
            found = next((p for p in ctx.list(c.PACKAGE, mentioning=name) if p["metadata"]["guid"] == name
                          and p["metadata"]["version"] == version), None)
        return found
    versions = [p for p in ctx.list(c.PACKAGE, mentioning=name)
                if name in (p["metadata"]["name"], p["metadata"]["guid"])]
    return versions[-1] if versions else None


def package_users(ctx, package):
    """Live v2 deployments whose metadata.depends names this package (by name or guid, and version)."""
    meta = package["metadata"]
    return [d for d in c.live_deployments(ctx)
            for ref, version in c.deployment_references(d)["package"]
            if ref in (meta["name"], meta["guid"]) and (not version or version == meta["version"])]


@router.post("/packages/", status_code=201)
def create_package(body: Any = Body(None), ctx: c.V2Context = Depends(c.project_context)):
    body = c.read_body(body, "Package")
    name, version = check_package(body)
    with ctx.tx():
        if ctx.get(c.PACKAGE, package_id(name, version)) is not None:
            raise c.conflict("package %s version %s already exists" % (name, version))
        package = c.new_object(ctx, body, "Package", c.PACKAGE)
        ctx.put(c.PACKAGE, package_id(name, version), package)
    return c.public(package)


@router.get("/packages/")
def list_packages(request: Request, ctx: c.V2Context = Depends(c.project_context)):
    packages = c.select([c.public(p) for p in ctx.list(c.PACKAGE)], request, names_key="name")
    return c.list_response(request, packages, "PackageList")


@router.get("/packages/{name}/")
def get_package(name: str, request: Request, ctx: c.V2Context = Depends(c.project_context)):
    version = c.query_value(request, "version")
    package = find_package(ctx, name, version)
    if package is None:
        raise c.not_found("package", "%s version %s" % (name, version) if version else name)
    return c.public(package)


@router.delete("/packages/{name}/")
def delete_package(name: str, request: Request, ctx: c.V2Context = Depends(c.project_context)):
    version = c.query_value(request, "version")
    if version is None:
        raise c.invalid("version", "required (query parameter)")
    with ctx.tx():
        package = find_package(ctx, name, version)
        if package is None:
            raise c.not_found("package", "%s version %s" % (name, version))
        users = package_users(ctx, package)
        if users:
            raise c.conflict("package %s version %s is in use by deployments: %s" % (
                package["metadata"]["name"], version, c.names_of(users)))
        ctx.delete(c.PACKAGE, package_id(package["metadata"]["name"], version))
    return c.success()
