"""Checks of a v2 deployment at create: the body's shape (400 naming the field path), every reference
resolved by name or guid (400 naming the field and the value), and the failures the platform would
report later (docs/reference/v2-api.md#deployment-error-codes), reusing v1's detection where the
rule is the same:

DEP_E151 the target device is not online; DEP_E162 the package's architecture or ROS distro does not
match the device; DEP_E153 an image with the tag `missing` (v1's rule, provision.image_problem);
DEP_E156 a `spec.depends` deployment is not running (evaluated at read time, v2/lifecycle.py);
DEP_E171 the deployment's alias clashes: in v2 the deployment name is the cloud bridge's alias,
unique among a project's live v2 deployments, so the clash left is with the bridge alias of a live
v1 deployment of the same project (v1 and v2 share one project).
"""
from .. import provision
from .common import (CONFIGTREE, DEPLOYMENT, DISK, NETWORK, PACKAGE, SECRET, check_bool, check_int, check_labels,
                     check_list, check_name, check_object, check_string, deleted, find_by_name_or_guid, find_device,
                     find_static_route, invalid)

RUNTIMES = ("cloud", "device")
RESTART_POLICIES = ("always", "never", "onfailure")


def _depends(value, path, kinds, required=True):
    """A `{kind, nameOrGUID}` reference -> the name or guid (None when absent and optional)."""
    depends = check_object(value, path, required)
    if not depends:
        if required:
            raise invalid(path, "required")
        return None
    check_string(depends.get("kind"), path + ".kind", choices=kinds)
    key = "nameOrGUID" if "nameOrGUID" in depends else "nameOrGuid"
    return check_string(depends.get(key), "%s.nameOrGUID" % path, required=True)


def validate(body):
    """Shape checks of a body already read by common.read_body; returns (metadata, spec)."""
    metadata = body["metadata"]
    check_name(metadata)
    check_labels(metadata)
    check_string(metadata.get("region"), "metadata.region")
    depends = check_object(metadata.get("depends"), "metadata.depends", required=True)
    _depends(depends, "metadata.depends", ("package", "Package"))
    check_string(depends.get("version"), "metadata.depends.version", required=True)

    spec = check_object(body.get("spec"), "spec", required=True)
    runtime = check_string(spec.get("runtime"), "spec.runtime", required=True, choices=RUNTIMES)
    for index, entry in enumerate(check_list(spec.get("depends"), "spec.depends")):
        path = "spec.depends[%d]" % index
        _depends(entry, path, ("deployment", "Deployment"))
        check_bool(entry.get("wait"), path + ".wait")
    if runtime == "device":
        device = check_object(spec.get("device"), "spec.device", required=True)
        _depends(device.get("depends"), "spec.device.depends", ("device", "Device"))
    elif spec.get("device") is not None:
        raise invalid("spec.device", "only for runtime device")
    check_string(spec.get("restart"), "spec.restart", choices=RESTART_POLICIES)
    for index, entry in enumerate(check_list(spec.get("envArgs"), "spec.envArgs")):
        path = "spec.envArgs[%d]" % index
        check_object(entry, path, required=True)
        check_string(entry.get("name"), path + ".name", required=True)
        check_string(entry.get("value"), path + ".value")
        value_from = check_object(entry.get("valueFrom"), path + ".valueFrom")
        ref = check_object(value_from.get("secretKeyRef"), path + ".valueFrom.secretKeyRef")
        if ref:
            check_string(ref.get("name"), path + ".valueFrom.secretKeyRef.name", required=True)
            check_string(ref.get("key"), path + ".valueFrom.secretKeyRef.key", required=True)
        if check_bool(entry.get("exposed"), path + ".exposed"):
            check_string(entry.get("exposedName"), path + ".exposedName", required=True)
    for index, entry in enumerate(check_list(spec.get("volumes"), "spec.volumes")):
        path = "spec.volumes[%d]" % index
        check_object(entry, path, required=True)
        check_string(entry.get("execName"), path + ".execName", required=True)
        mount = check_string(entry.get("mountPath"), path + ".mountPath", required=True)
        if not mount.startswith("/"):
            raise invalid(path + ".mountPath", "must be an absolute path (got %r)" % mount)
        check_string(entry.get("subPath"), path + ".subPath")
        for key in ("uid", "gid", "perm"):
            if check_int(entry.get(key), "%s.%s" % (path, key)) is not None and runtime == "cloud":
                raise invalid("%s.%s" % (path, key), "only for runtime device")
        disk = _depends(entry.get("depends"), path + ".depends", ("disk", "Disk"), required=runtime == "cloud")
        if disk and runtime == "device":
            raise invalid(path + ".depends", "disks are for runtime cloud only")
    for index, entry in enumerate(check_list(spec.get("rosNetworks"), "spec.rosNetworks")):
        path = "spec.rosNetworks[%d]" % index
        check_object(entry, path, required=True)
        _depends(entry.get("depends"), path + ".depends", ("network", "Network"))
        check_string(entry.get("interface"), path + ".interface")
        check_int(entry.get("domainID"), path + ".domainID")
    check_string(spec.get("networkInterface"), "spec.networkInterface")
    routes = check_list(spec.get("staticRoutes"), "spec.staticRoutes")
    if routes and runtime != "cloud":
        raise invalid("spec.staticRoutes", "only for runtime cloud")
    for index, entry in enumerate(routes):
        path = "spec.staticRoutes[%d]" % index
        check_object(entry, path, required=True)
        check_string(entry.get("name"), path + ".name", required=True)
        _depends(entry.get("depends"), path + ".depends", ("staticroute", "StaticRoute"))
    features = check_object(spec.get("features"), "spec.features")
    params = check_object(features.get("params"), "spec.features.params")
    check_bool(params.get("enabled"), "spec.features.params.enabled")
    check_bool(params.get("blockUntilSynced"), "spec.features.params.blockUntilSynced")
    for index, tree in enumerate(check_list(params.get("trees"), "spec.features.params.trees")):
        check_string(tree, "spec.features.params.trees[%d]" % index, required=True)
    vpn = check_object(features.get("vpn"), "spec.features.vpn")
    check_bool(vpn.get("enabled"), "spec.features.vpn.enabled")
    check_string(spec.get("serviceAccount"), "spec.serviceAccount")
    return metadata, spec


# -- references -------------------------------------------------------------------------------------
def _ref_name(depends):
    return depends.get("nameOrGUID") or depends.get("nameOrGuid")


def find_package(ctx, name_or_guid, version):
    """The stored package of that name (or guid) and version, or None."""
    package = ctx.get(PACKAGE, "%s@%s" % (name_or_guid, version))
    if package is not None:
        return package
    for package in ctx.list(PACKAGE, mentioning=name_or_guid):
        if package["metadata"].get("guid") == name_or_guid and package["metadata"].get("version") == version:
            return package
    return None


def live_incarnation(ctx, name):
    """The live (not deleted) deployment of that name, or None."""
    for doc in ctx.list(DEPLOYMENT, mentioning=name):
        if doc["metadata"]["name"] == name and not deleted(doc):
            return doc
    return None


def find_deployment(ctx, name_or_guid):
    """A `spec.depends` target: the live incarnation of a name, or any incarnation by guid."""
    doc = ctx.get(DEPLOYMENT, name_or_guid)
    return doc if doc is not None else live_incarnation(ctx, name_or_guid)


def _unresolved(path, label, value):
    return invalid(path, "%s %s not found" % (label, value))


def _named(obj):
    return {"name": obj["metadata"]["name"], "guid": obj["metadata"].get("guid")}


def resolve(ctx, metadata, spec):
    """Resolve every reference of a validated body; 400 naming the field path and the value when one is
    missing. Returns (package, device or None, refs) where refs lists what was found (names and guids)."""
    depends = metadata["depends"]
    package = find_package(ctx, _ref_name(depends), depends["version"])
    if package is None:
        raise invalid("metadata.depends", "package %s version %s not found" % (_ref_name(depends), depends["version"]))
    package_spec = package.get("spec") or {}
    package_runtime = package_spec.get("runtime") or "cloud"
    if spec["runtime"] != package_runtime:
        raise invalid("spec.runtime", "must be the package's runtime %s (got %s)" % (package_runtime, spec["runtime"]))
    refs = {"package": {"name": package["metadata"]["name"], "version": package["metadata"]["version"],
                        "guid": package["metadata"].get("guid")},
            "device": None, "deployments": [], "networks": [], "disks": [], "staticroutes": [], "secrets": [],
            "configtrees": []}
    device = None
    if spec["runtime"] == "device":
        wanted = _ref_name(spec["device"]["depends"])
        device = find_device(ctx, wanted)
        if device is None:
            raise _unresolved("spec.device.depends.nameOrGUID", "device", wanted)
        refs["device"] = {"name": device["name"], "uuid": device["uuid"]}
    for index, entry in enumerate(spec.get("depends") or []):
        other = find_deployment(ctx, _ref_name(entry))
        if other is None:
            raise _unresolved("spec.depends[%d].nameOrGUID" % index, "deployment", _ref_name(entry))
        if other["metadata"]["guid"] not in refs["deployments"]:
            refs["deployments"].append(other["metadata"]["guid"])
    for index, entry in enumerate(spec.get("rosNetworks") or []):
        wanted = _ref_name(entry["depends"])
        network = find_by_name_or_guid(ctx, NETWORK, wanted)
        if network is None:
            raise _unresolved("spec.rosNetworks[%d].depends.nameOrGUID" % index, "network", wanted)
        refs["networks"].append(_named(network))
    executables = set(e.get("name") for e in package_spec.get("executables") or [])
    for index, entry in enumerate(spec.get("volumes") or []):
        if entry["execName"] not in executables:
            raise invalid("spec.volumes[%d].execName" % index, "package %s has no executable %s"
                          % (package["metadata"]["name"], entry["execName"]))
        if entry.get("depends"):
            wanted = _ref_name(entry["depends"])
            disk = find_by_name_or_guid(ctx, DISK, wanted)
            if disk is None:
                raise _unresolved("spec.volumes[%d].depends.nameOrGUID" % index, "disk", wanted)
            refs["disks"].append(_named(disk))
    endpoints = set(e.get("name") for e in package_spec.get("endpoints") or [])
    for index, entry in enumerate(spec.get("staticRoutes") or []):
        if entry["name"] not in endpoints:
            raise invalid("spec.staticRoutes[%d].name" % index, "package %s has no endpoint %s"
                          % (package["metadata"]["name"], entry["name"]))
        wanted = _ref_name(entry["depends"])
        route = find_static_route(ctx, wanted)
        if route is None:
            raise _unresolved("spec.staticRoutes[%d].depends.nameOrGUID" % index, "static route", wanted)
        refs["staticroutes"].append(dict(_named(route), url=(route.get("spec") or {}).get("url")))
    for index, entry in enumerate(spec.get("envArgs") or []):
        ref = (entry.get("valueFrom") or {}).get("secretKeyRef")
        if ref:
            secret = find_by_name_or_guid(ctx, SECRET, ref["name"])
            if secret is None:
                raise _unresolved("spec.envArgs[%d].valueFrom.secretKeyRef.name" % index, "secret", ref["name"])
            refs["secrets"].append(_named(secret))
    trees = ((spec.get("features") or {}).get("params") or {}).get("trees") or []
    for index, tree in enumerate(trees):
        found = find_by_name_or_guid(ctx, CONFIGTREE, tree)
        if found is None:
            raise _unresolved("spec.features.params.trees[%d]" % index, "config tree", tree)
        refs["configtrees"].append(_named(found))
    return package, device, refs


# -- failure causes ---------------------------------------------------------------------------------
def device_problems(device, package_spec):
    """DEP_E151 (not online) and DEP_E162 (architecture / ROS distro) for a device deployment."""
    problems = []
    if device.get("status") != "ONLINE":
        problems.append(("DEP_E151", None, "device %s (%s) is %s: offline or unreachable"
                         % (device["name"], device["uuid"], device.get("status"))))
    arch = (package_spec.get("device") or {}).get("arch") or "amd64"
    if arch != device.get("architecture"):
        problems.append(("DEP_E162", None, "package needs architecture %s but device %s has architecture %s"
                         % (arch, device["name"], device.get("architecture"))))
    ros = package_spec.get("ros") or {}
    distro = provision.config_vars(device).get("ros_distro")
    if ros.get("enabled") and ros.get("version") and distro and ros["version"] != distro:
        problems.append(("DEP_E162", None, "package needs ROS distro %s but device %s runs %s"
                         % (ros["version"], device["name"], distro)))
    return problems


def image_problems(package_spec):
    """DEP_E153 per executable whose image cannot be pulled (v1's rule on the v2 executable shape)."""
    problems = []
    for exe in package_spec.get("executables") or []:
        image = (exe.get("docker") or {}).get("image")
        reason = provision.image_problem({"docker": image}) if isinstance(image, str) else None
        if reason:
            problems.append(("DEP_E153", exe.get("name"), "executable %s: %s" % (exe.get("name"), reason)))
    return problems


def alias_problems(ctx, name, package_spec):
    """DEP_E171 when a ROS deployment's name is the bridge alias of a live v1 deployment of the project."""
    if not (package_spec.get("ros") or {}).get("enabled"):
        return []
    renderer = ctx.emu.renderer(ctx.project)
    clashing = provision.in_use_by(ctx.emu, ctx.project, renderer,
                                   lambda d: name in provision._aliases(d.get("parameters")))
    return [("DEP_E171", None, "alias %s is already used by deployment %s (%s)"
             % (name, other["name"], other["deploymentId"])) for other in clashing]


def dependency_problem(other_metadata, phase, codes, not_running_phases):
    """DEP_E156 when a `spec.depends` deployment is not running (or reports an error)."""
    if phase in not_running_phases or codes:
        return ("DEP_E156", None, "dependent deployment %s (%s) is not running: %s%s"
                % (other_metadata["name"], other_metadata.get("guid"), phase,
                   " (%s)" % ", ".join(codes) if codes else ""))
    return None


def failure_causes(ctx, name, package_spec, device):
    """Every cause known at create: [(code, executable name | None, reason)]."""
    problems = []
    if device is not None:
        problems += device_problems(device, package_spec)
    problems += image_problems(package_spec)
    problems += alias_problems(ctx, name, package_spec)
    return problems

