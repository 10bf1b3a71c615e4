"""v2 networks, disks, static routes, secrets and config trees (docs/reference/v2-api.md#networks,
#disks, #static-routes, #secrets, #config-trees). Objects are keyed by name (static routes by their
full name `<name>-<organization short guid>`); private `_`-prefixed keys never reach the wire.
An object a live v2 deployment references cannot be deleted (409).

`network_status(ctx, network)` and `disk_status(ctx, disk)` give the `status` blocks, also for the
deployments' dependency statuses.
"""
import copy
import ipaddress
from typing import Any

from fastapi import APIRouter, Body, Depends, Request

from ..lifecycle import IN_PROGRESS, timeline
from . import common as c

router = APIRouter(prefix="/v2")

RUNTIMES = ("cloud", "device")
NETWORK_TYPES = ("routed", "native")
ROS_DISTROS = ("melodic", "kinetic", "noetic", "foxy")
RESTART_POLICIES = ("always", "never", "onfailure")
ARCHITECTURES = ("amd64", "arm32v7", "arm64v8")
SECRET_TYPES = ("Docker", "Opaque")
DOCKER_REGISTRY = "https://index.docker.io/v1/"
# A Docker secret holds one key, as a Kubernetes registry secret does.
DOCKER_SECRET_KEYS = [".dockerconfigjson"]
ROUTE_DOMAIN = "ep-r.io"


def _timeline_state(ctx):
    return {"phaseStart": ctx.now(), "mode": "create", "stopped": None}


def _in_use(ctx, label, name, kind, names):
    users = c.users_of(ctx, kind, names)
    if users:
        raise c.conflict("%s %s is in use by deployments: %s" % (label, name, c.names_of(users)))


def _get_or_404(ctx, kind, label, name):
    obj = ctx.get(kind, name)
    if obj is None:
        raise c.not_found(label, name)
    return obj


def _insert(ctx, kind, label, obj):
    """Store a new object under its metadata.name; 409 when that name is taken."""
    name = obj["metadata"]["name"]
    with ctx.tx():
        if ctx.get(kind, name) is not None:
            raise c.conflict("%s %s already exists" % (label, name))
        ctx.put(kind, name, obj)
    return obj


def _delete_unused(ctx, kind, label, users_kind, find):
    """Delete the object find() returns, keyed by its metadata.name, unless a live deployment references it
    by a name it answers to or by its guid (409)."""
    with ctx.tx():
        obj = find()
        name = obj["metadata"]["name"]
        _in_use(ctx, label, name, users_kind, [name, obj.get("_givenName"), obj["metadata"]["guid"]])
        ctx.delete(kind, name)
    return c.success()


def _add_get_and_delete(path, kind, label, users_kind, view):
    """GET and DELETE /v2/<path>/{name}/ of a kind stored under its name (routes named get_<users_kind>,
    delete_<users_kind>); view(ctx, obj) is what GET answers."""
    def get_one(name: str, ctx: c.V2Context = Depends(c.project_context)):
        return view(ctx, _get_or_404(ctx, kind, label, name))

    def delete_one(name: str, ctx: c.V2Context = Depends(c.project_context)):
        return _delete_unused(ctx, kind, label, users_kind, lambda: _get_or_404(ctx, kind, label, name))

    router.get("/%s/{name}/" % path, name="get_" + users_kind)(get_one)
    router.delete("/%s/{name}/" % path, name="delete_" + users_kind)(delete_one)


# -- networks --------------------------------------------------------------------------------------
def network_status(ctx, network):
    """{"phase", "status", "errorCodes"}: the deployments' timeline (--phase-delay), then Succeeded/Running
    or FailedToStart/Error with the code recorded at create (DEP_E151: device offline)."""
    state = network["_state"]
    phase, _status, settled = timeline(state, ctx.settings.phase_delay, ctx.now())
    if not settled:
        return {"phase": "InProgress" if phase == IN_PROGRESS else "Provisioning", "status": "Pending",
                "errorCodes": []}
    if state.get("errorCodes"):
        return {"phase": "FailedToStart", "status": "Error", "errorCodes": list(state["errorCodes"])}
    return {"phase": "Succeeded", "status": "Running", "errorCodes": []}


def _network_view(ctx, network):
    out = c.public(network)
    out["status"] = network_status(ctx, network)
    return out


def _check_network(ctx, body):
    """400 naming the first invalid field; returns (name, error codes the network will end with)."""
    name = c.check_name(body["metadata"])
    c.check_labels(body["metadata"])
    spec = c.check_object(body.get("spec"), "spec", required=True)
    c.check_string(spec.get("type"), "spec.type", required=True, choices=NETWORK_TYPES)
    c.check_string(spec.get("rosDistro"), "spec.rosDistro", required=True, choices=ROS_DISTROS)
    runtime = c.check_string(spec.get("runtime"), "spec.runtime", required=True, choices=RUNTIMES)
    c.check_string(spec.get("restartPolicy"), "spec.restartPolicy", choices=RESTART_POLICIES)
    c.check_string(spec.get("architecture"), "spec.architecture", choices=ARCHITECTURES)
    limits = c.check_object(spec.get("resourceLimits"), "spec.resourceLimits")
    if limits:
        cpu = c.check_number(limits.get("cpu"), "spec.resourceLimits.cpu", required=True, minimum=0.025, maximum=4)
        if abs(cpu / 0.025 - round(cpu / 0.025)) > 1e-6:
            raise c.invalid("spec.resourceLimits.cpu", "must be a multiple of 0.025")
        memory = c.check_int(limits.get("memory"), "spec.resourceLimits.memory", required=True, minimum=128,
                             maximum=16384)
        if memory % 128:
            raise c.invalid("spec.resourceLimits.memory", "must be a multiple of 128")
    discovery = c.check_object(spec.get("discoveryServer"), "spec.discoveryServer")
    c.check_int(discovery.get("serverID"), "spec.discoveryServer.serverID", minimum=0)
    c.check_int(discovery.get("serverPort"), "spec.discoveryServer.serverPort", minimum=0, maximum=65535)
    creds = c.check_object(spec.get("rabbitMQCreds"), "spec.rabbitMQCreds")
    if creds:
        c.check_string(creds.get("defaultUser"), "spec.rabbitMQCreds.defaultUser", required=True)
        c.check_string(creds.get("defaultPassword"), "spec.rabbitMQCreds.defaultPassword", required=True)
    if runtime == "cloud":
        if spec.get("depends"):
            raise c.invalid("spec.depends", "only device networks depend on a device")
        return name, []
    depends = c.check_object(spec.get("depends"), "spec.depends", required=True)
    c.check_string(depends.get("kind", "Device"), "spec.depends.kind", choices=("Device",))
    device_ref = c.check_string(depends.get("nameOrGUID"), "spec.depends.nameOrGUID", required=True)
    interface = c.check_string(spec.get("networkInterface"), "spec.networkInterface", required=True)
    device = c.find_device(ctx, device_ref)
    if device is None:
        raise c.invalid("spec.depends.nameOrGUID", "device %s not found" % device_ref)
    if interface not in (device.get("ip_interfaces") or {}):
        raise c.invalid("spec.networkInterface", "device %s has no network interface %s" % (device["name"], interface))
    return name, ([] if device.get("status") == "ONLINE" else ["DEP_E151"])


@router.post("/networks/", status_code=201)
def create_network(body: Any = Body(None), ctx: c.V2Context = Depends(c.project_context)):
    body = c.read_body(body, "Network")
    _name, codes = _check_network(ctx, body)
    network = c.new_object(ctx, body, "Network", c.NETWORK)
    network["_state"] = dict(_timeline_state(ctx), errorCodes=codes)
    return _network_view(ctx, _insert(ctx, c.NETWORK, "network", network))


@router.get("/networks/")
def list_networks(request: Request, ctx: c.V2Context = Depends(c.project_context)):
    types = set(c.query_values(request, "networkType"))
    phases = set(c.query_values(request, "phases"))
    statuses = set(c.query_values(request, "status"))
    device_names = c.query_values(request, "deviceName")
    devices = set(device_names)
    for ref in device_names:
        device = c.find_device(ctx, ref)
        if device is not None:
            devices.update((device["name"], device["uuid"]))
    items = []
    for network in c.select([_network_view(ctx, n) for n in ctx.list(c.NETWORK)], request):
        spec, status = network["spec"], network["status"]
        if types and spec.get("type") not in types:
            continue
        if phases and status["phase"] not in phases:
            continue
        if statuses and status["status"] not in statuses:
            continue
        if devices and (spec.get("depends") or {}).get("nameOrGUID") not in devices:
            continue
        items.append(network)
    return c.list_response(request, items, "NetworkList")


_add_get_and_delete("networks", c.NETWORK, "network", "network", _network_view)


# -- disks -----------------------------------------------------------------------------------------
def _disk_deployments(ctx, disk):
    """(live users, stopped users) of a disk among the project's v2 deployments."""
    names = {disk["metadata"]["name"], disk["metadata"]["guid"]}
    live, stopped = [], []
    for dep in ctx.list(c.DEPLOYMENT, mentioning=disk["metadata"]["name"]):
        if names.intersection(c.deployment_references(dep)["disk"]):
            (stopped if c.deleted(dep) else live).append(dep)
    return live, stopped


def disk_status(ctx, disk):
    """{"status", "capacityUsed", "capacityAvailable", "diskBound"}: Pending until the phase delay passed,
    then Bound while a live deployment mounts it, Released once such a deployment stopped, else Available."""
    capacity = disk["spec"].get("capacity", 0)
    out = {"status": "Available", "capacityUsed": 0.0, "capacityAvailable": float(capacity), "diskBound": {}}
    _phase, _status, settled = timeline(disk["_state"], ctx.settings.phase_delay, ctx.now())
    live, stopped = _disk_deployments(ctx, disk)
    if live:
        meta = live[0]["metadata"]
        out.update(status="Bound", diskBound={"deployment_guid": meta.get("guid"), "deployment_name": meta.get("name")})
    elif not settled:
        out["status"] = "Pending"
    elif stopped:
        out["status"] = "Released"
    return out


def _disk_view(ctx, disk):
    out = c.public(disk)
    out["status"] = disk_status(ctx, disk)
    return out


@router.post("/disks/", status_code=201)
def create_disk(body: Any = Body(None), ctx: c.V2Context = Depends(c.project_context)):
    body = c.read_body(body, "Disk")
    c.check_name(body["metadata"])
    c.check_labels(body["metadata"])
    spec = c.check_object(body.get("spec"), "spec", required=True)
    c.check_string(spec.get("runtime", "cloud"), "spec.runtime", choices=("cloud",))
    capacity = c.check_int(spec.get("capacity"), "spec.capacity", required=True, minimum=4, maximum=512)
    if capacity % 2:
        raise c.invalid("spec.capacity", "must be an even number of GiB")
    spec.setdefault("runtime", "cloud")
    disk = c.new_object(ctx, body, "Disk", c.DISK, spec=spec)
    disk["_state"] = _timeline_state(ctx)
    return _disk_view(ctx, _insert(ctx, c.DISK, "disk", disk))


@router.get("/disks/")
def list_disks(request: Request, ctx: c.V2Context = Depends(c.project_context)):
    statuses = set(c.query_values(request, "status"))
    items = [d for d in c.select([_disk_view(ctx, d) for d in ctx.list(c.DISK)], request)
             if not statuses or d["status"]["status"] in statuses]
    return c.list_response(request, items, "DiskList")


_add_get_and_delete("disks", c.DISK, "disk", "disk", _disk_view)


# -- static routes ---------------------------------------------------------------------------------
def _check_route_spec(body):
    spec = c.check_object(body.get("spec"), "spec")
    for index, cidr in enumerate(c.check_list(spec.get("sourceIPRange"), "spec.sourceIPRange")):
        path = "spec.sourceIPRange[%d]" % index
        c.check_string(cidr, path, required=True)
        try:
            ipaddress.IPv4Network(cidr, strict=False)
        except ValueError:
            raise c.invalid(path, "must be an IPv4 CIDR range such as 10.0.0.0/8, got %s" % cidr)
    return spec


def _route_view(route):
    out = c.public(route)
    out["status"] = {"status": "Available"}
    return out


def _find_route(ctx, name):
    route = c.find_static_route(ctx, name)
    if route is None:
        raise c.not_found("static route", name)
    return route


@router.post("/staticroutes/", status_code=201)
def create_static_route(body: Any = Body(None), ctx: c.V2Context = Depends(c.project_context)):
    body = c.read_body(body, "StaticRoute")
    name = c.check_name(body["metadata"])
    c.check_labels(body["metadata"])
    spec = _check_route_spec(body)
    full = c.static_route_full_name(name)
    spec["url"] = "%s.%s" % (full, ROUTE_DOMAIN)
    body["metadata"]["name"] = full
    route = c.new_object(ctx, body, "StaticRoute", c.STATICROUTE, spec=spec)
    route["_givenName"] = name
    return _route_view(_insert(ctx, c.STATICROUTE, "static route", route))


@router.get("/staticroutes/")
def list_static_routes(request: Request, ctx: c.V2Context = Depends(c.project_context)):
    names = set(c.query_values(request, "names", "name"))
    # A name filter matches either spelling (as given at creation, or with the organization suffix).
    routes = [_route_view(r) for r in ctx.list(c.STATICROUTE)
              if not names or names.intersection((r["metadata"]["name"], r.get("_givenName")))]
    return c.list_response(request, c.select(routes, request, names_key=None), "StaticRouteList")


@router.get("/staticroutes/{name}/")
def get_static_route(name: str, ctx: c.V2Context = Depends(c.project_context)):
    return _route_view(_find_route(ctx, name))


@router.put("/staticroutes/{name}/")
def update_static_route(name: str, body: Any = Body(None), ctx: c.V2Context = Depends(c.project_context)):
    """Replaces labels and spec.sourceIPRange (the name and url stay)."""
    body = c.read_body(body, "StaticRoute")
    c.check_labels(body["metadata"])
    spec = _check_route_spec(body)
    with ctx.tx():
        stored = _find_route(ctx, name)
        route = copy.deepcopy(stored)
        route["metadata"]["labels"] = body["metadata"].get("labels", {})
        if "sourceIPRange" in spec:
            route["spec"]["sourceIPRange"] = spec["sourceIPRange"]
        else:
            route["spec"].pop("sourceIPRange", None)
        route = c.save_if_changed(ctx, c.STATICROUTE, route["metadata"]["name"], stored, route)
    return _route_view(route)


@router.delete("/staticroutes/{name}/")
def delete_static_route(name: str, ctx: c.V2Context = Depends(c.project_context)):
    return _delete_unused(ctx, c.STATICROUTE, "static route", "staticroute", lambda: _find_route(ctx, name))


# -- secrets ---------------------------------------------------------------------------------------
def _check_secret_spec(ctx, body):
    """The stored spec (no password, no data values, with secretKeys) and the private values."""
    spec = c.check_object(body.get("spec"), "spec", required=True)
    kind = c.check_string(spec.get("type"), "spec.type", required=True, choices=SECRET_TYPES)
    c.check_string(spec.get("runtime"), "spec.runtime", choices=RUNTIMES)
    depends = c.check_object(spec.get("depends"), "spec.depends")
    if depends:
        kind_path = "spec.depends.kind"
        if c.check_string(depends.get("kind", "Device"), kind_path).lower() != "device":
            raise c.invalid(kind_path, "must be Device")
        ref = c.check_string(depends.get("nameOrGUID"), "spec.depends.nameOrGUID", required=True)
        if c.find_device(ctx, ref) is None:
            raise c.invalid("spec.depends.nameOrGUID", "device %s not found" % ref)
    stored = dict((k, v) for k, v in spec.items() if k not in ("docker", "data", "secretKeys"))
    if kind == "Docker":
        if spec.get("data"):
            raise c.invalid("spec.data", "only for type Opaque")
        docker = c.check_object(spec.get("docker"), "spec.docker", required=True)
        for key in ("username", "email", "password"):
            c.check_string(docker.get(key), "spec.docker." + key, required=True)
        c.check_string(docker.get("registry"), "spec.docker.registry")
        stored["docker"] = {"registry": docker.get("registry") or DOCKER_REGISTRY, "username": docker["username"],
                            "email": docker["email"]}
        stored["secretKeys"] = list(DOCKER_SECRET_KEYS)
        return stored, {"docker": dict(docker, registry=stored["docker"]["registry"])}
    if spec.get("docker"):
        raise c.invalid("spec.docker", "only for type Docker")
    data = c.check_object(spec.get("data"), "spec.data", required=True)
    if not data:
        raise c.invalid("spec.data", "at least one key is required")
    for key, value in data.items():
        c.check_string(value, "spec.data." + key)
    stored["secretKeys"] = sorted(data)
    return stored, {"data": dict(data)}


def _secret_users(ctx, secret):
    """Live deployments naming the secret in envArgs, or whose package uses it (pullSecret, env valueFrom)."""
    names = {secret["metadata"]["name"], secret["metadata"]["guid"]}
    users, packages = [], {}
    for dep in c.live_deployments(ctx):
        refs = c.deployment_references(dep)
        used = bool(names.intersection(refs["secret"]))
        for ref, version in refs["package"] if not used else ():
            key = (ref, version)
            if key not in packages:
                packages[key] = _package_secrets(ctx, ref, version)
            used = used or bool(names.intersection(packages[key]))
        if used:
            users.append(dep)
    return users


def _package_secrets(ctx, ref, version):
    from .routes_packages import find_package
    package = find_package(ctx, ref, version)
    spec = (package or {}).get("spec") or {}
    out = set()
    for exe in spec.get("executables") or []:
        depends = (((exe.get("docker") or {}).get("pullSecret") or {}).get("depends")) or {}
        out.add(depends.get("nameOrGUID") or depends.get("nameOrGuid"))
    for var in spec.get("environmentVars") or []:
        out.add(((var.get("valueFrom") or {}).get("secretKeyRef") or {}).get("name"))
    out.discard(None)
    return out


def _secret_view(secret):
    return c.public(secret)


@router.post("/secrets/", status_code=201)
def create_secret(body: Any = Body(None), ctx: c.V2Context = Depends(c.project_context)):
    body = c.read_body(body, "Secret")
    c.check_name(body["metadata"])
    c.check_labels(body["metadata"])
    spec, values = _check_secret_spec(ctx, body)
    secret = c.new_object(ctx, body, "Secret", c.SECRET, spec=spec)
    secret["_values"] = values
    return _secret_view(_insert(ctx, c.SECRET, "secret", secret))


@router.get("/secrets/")
def list_secrets(request: Request, ctx: c.V2Context = Depends(c.project_context)):
    return c.list_response(request, c.select([_secret_view(s) for s in ctx.list(c.SECRET)], request), "SecretList")


@router.get("/secrets/{name}/")
def get_secret(name: str, ctx: c.V2Context = Depends(c.project_context)):
    return _secret_view(_get_or_404(ctx, c.SECRET, "secret", name))


@router.put("/secrets/{name}/")
def update_secret(name: str, body: Any = Body(None), ctx: c.V2Context = Depends(c.project_context)):
    """Replaces labels and spec (type, docker credentials or data)."""
    body = c.read_body(body, "Secret")
    c.check_labels(body["metadata"])
    spec, values = _check_secret_spec(ctx, body)
    with ctx.tx():
        stored = _get_or_404(ctx, c.SECRET, "secret", name)
        secret = copy.deepcopy(stored)
        secret["metadata"]["labels"] = body["metadata"].get("labels", {})
        secret["spec"], secret["_values"] = spec, values
        secret = c.save_if_changed(ctx, c.SECRET, name, stored, secret)
    return _secret_view(secret)


@router.delete("/secrets/{name}/")
def delete_secret(name: str, ctx: c.V2Context = Depends(c.project_context)):
    with ctx.tx():
        secret = _get_or_404(ctx, c.SECRET, "secret", name)
        users = _secret_users(ctx, secret)
        if users:
            raise c.conflict("secret %s is in use by deployments: %s" % (name, c.names_of(users)))
        ctx.delete(c.SECRET, name)
    return c.success()


# -- config trees ----------------------------------------------------------------------------------
def _read_tree(body):
    """Config trees are free-form: only metadata is cleaned (nulls, read-only fields); the rest is kept."""
    if not isinstance(body, dict):
        raise c.bad_request("the body must be a JSON object")
    metadata = c.check_object(body.get("metadata"), "metadata", required=True)
    cleaned = c.read_body({"metadata": metadata})["metadata"]
    tree = dict((k, copy.deepcopy(v)) for k, v in body.items() if k not in ("metadata", "status"))
    tree["metadata"] = cleaned
    return tree


@router.post("/configtrees/", status_code=201)
def create_configtree(body: Any = Body(None), ctx: c.V2Context = Depends(c.project_context)):
    body = _read_tree(body)
    c.check_name(body["metadata"])
    c.check_labels(body["metadata"])
    tree = c.new_object(ctx, body, body.get("kind") or "ConfigTree", c.CONFIGTREE)
    for key, value in body.items():
        tree.setdefault(key, value)
    if not body.get("spec"):
        tree.pop("spec", None)
    return c.public(_insert(ctx, c.CONFIGTREE, "config tree", tree))


@router.get("/configtrees/")
def list_configtrees(request: Request, ctx: c.V2Context = Depends(c.project_context)):
    trees = c.select([c.public(t) for t in ctx.list(c.CONFIGTREE)], request)
    return c.list_response(request, trees, "ConfigTreeList")


_add_get_and_delete("configtrees", c.CONFIGTREE, "config tree", "configtree", lambda _ctx, tree: c.public(tree))
