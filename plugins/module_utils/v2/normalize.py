# Copyright: (c) 2026, rapyuta.rio contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""v2 objects in two forms: the wire body to create, and the comparable form. FOR INTERNAL COLLECTION USE ONLY.

The wire body is what ``rio apply`` (riocli 10 through the sdk-v2 models) sends for the same
document, without its nulls (docs/reference/v2-api.md#packages, #deployments): a command string
becomes a list, ``runAsBash`` wraps it in ``/bin/bash -c`` when there is no entrypoint, the
defaults the models fill are filled (``imagePullPolicy``, executable ``type``, reference
``kind``s, ``wait``, ``blockUntilSynced``...). So what the collection creates is what
``rio apply`` creates, and each sees the other's objects as converged.

The comparable form is computed alike from a wire body and from a live object: server fields gone
(guid, timestamps, creator/project/organization, generation, status, a static route's url, the
secret values the server never returns), nulls, ``{}``, ``[]`` and false flags treated as absent,
reference kinds in one spelling, and the defaults the platform applies filled on both sides, so
that a converged object compares equal to its document.
"""

import copy

from ansible_collections.rapyuta.rio.plugins.module_utils.v2.documents import (
    CONFIG_TREE,
    DEFAULT_API_VERSION,
    DEPLOYMENT,
    DISK,
    DOCKER_HUB_REGISTRY,
    NETWORK,
    PACKAGE,
    SECRET,
    STATIC_ROUTE,
)

BASH_WRAPPER = ["/bin/bash", "-c"]
# metadata fields a user sets; the rest is the server's or the object's identity (name, version).
COMPARED_METADATA = ("labels", "description", "region", "depends")


def _dicts(items):
    return [element for element in items if isinstance(element, dict)] if isinstance(items, list) else []


def _child(mapping, key):
    value = mapping.get(key) if isinstance(mapping, dict) else None
    return value if isinstance(value, dict) else None


def _default_kind(reference, kind):
    if isinstance(reference, dict):
        reference.setdefault("kind", kind)


def _as_list(value):
    if isinstance(value, str):
        return [value]
    return list(value) if isinstance(value, list) else value


# -- the defaults the sdk-v2 models fill (sent on the wire) ----------------------------------------
def _package_defaults(spec, wrap):
    for executable in _dicts(spec.get("executables")):
        executable.setdefault("type", "docker")
        docker = _child(executable, "docker")
        if docker is not None:
            docker.setdefault("imagePullPolicy", "IfNotPresent")
            _default_kind(_child(_child(docker, "pullSecret"), "depends"), "Secret")
        if not executable.get("entrypoint"):
            executable.pop("entrypoint", None)
        else:
            executable["entrypoint"] = _as_list(executable["entrypoint"])
        executable.setdefault("runAsBash", False)
        if executable.get("command") is not None:
            command = _as_list(executable["command"])
            if wrap and executable["runAsBash"] is True and "entrypoint" not in executable:
                command = BASH_WRAPPER + command
            executable["command"] = command
        http_get = _child(_child(executable, "livenessProbe"), "httpGet")
        if http_get is not None:
            http_get.setdefault("scheme", "HTTP")
    device = _child(spec, "device")
    if device is not None:
        device.setdefault("arch", "amd64")
        device.setdefault("restart", "always")
    cloud = _child(spec, "cloud")
    if cloud is not None:
        cloud.setdefault("replicas", 1)
    ros = _child(spec, "ros")
    if ros is not None:
        ros.setdefault("enabled", False)


def _deployment_defaults(body):
    _default_kind(_child(body.get("metadata"), "depends"), "Package")
    spec = _child(body, "spec") or {}
    for dependency in _dicts(spec.get("depends")):
        dependency.setdefault("kind", "Deployment")
        dependency.setdefault("wait", False)
    _default_kind(_child(_child(spec, "device"), "depends"), "Device")
    for field, kind in (("volumes", "Disk"), ("rosNetworks", "Network"), ("staticRoutes", "StaticRoute")):
        for entry in _dicts(spec.get(field)):
            _default_kind(_child(entry, "depends"), kind)
    for variable in _dicts(spec.get("envArgs")):
        value = variable.get("value")
        if isinstance(value, bool):
            variable["value"] = "true" if value else "false"
        elif isinstance(value, (int, float)):
            variable["value"] = str(value)
    params = _child(_child(spec, "features"), "params")
    if params is not None:
        params.setdefault("blockUntilSynced", False)
    vpn = _child(_child(spec, "features"), "vpn")
    if vpn is not None:
        vpn.setdefault("enabled", False)


def _fill_model_defaults(kind, body, wrap):
    spec = _child(body, "spec")
    if kind == PACKAGE and spec is not None:
        _package_defaults(spec, wrap)
    elif kind == DEPLOYMENT:
        _deployment_defaults(body)
    elif kind == NETWORK:
        _default_kind(_child(spec, "depends"), "Device")
    elif kind == SECRET:
        docker = _child(spec, "docker")
        if docker is not None:
            docker.setdefault("registry", DOCKER_HUB_REGISTRY)
        _default_kind(_child(spec, "depends"), "Device")
    elif kind == DISK and spec is not None:
        spec.setdefault("runtime", "cloud")


def wire_body(document):
    """The body to POST for a validated Document (``Document.clean``), as ``rio apply`` would send it."""
    clean = copy.deepcopy(document.clean)
    body = {"apiVersion": clean.pop("apiVersion", DEFAULT_API_VERSION), "kind": document.kind}
    clean.pop("kind", None)
    body.update(clean)
    _fill_model_defaults(document.kind, body, wrap=True)
    return body


# -- the comparable form ---------------------------------------------------------------------------
def pruned(value):
    """The value without nulls, empty mappings and empty lists, at any depth."""
    if isinstance(value, dict):
        out = {}
        for key, element in value.items():
            element = pruned(element)
            if element is None or element == {} or element == []:
                continue
            out[key] = element
        return out
    if isinstance(value, list):
        return [pruned(element) for element in value if element is not None]
    return value


def _references_in_one_spelling(value):
    """Reference kinds compare in lower case, under one key spelling (``nameOrGUID``)."""
    if isinstance(value, dict):
        if "nameOrGuid" in value and "nameOrGUID" not in value:
            value["nameOrGUID"] = value.pop("nameOrGuid")
        if "nameOrGUID" in value and isinstance(value.get("kind"), str):
            value["kind"] = value["kind"].lower()
        for element in value.values():
            _references_in_one_spelling(element)
    elif isinstance(value, list):
        for element in value:
            _references_in_one_spelling(element)


def _drop_secret_key_values(value):
    """``valueFrom.secretKeyRef.value`` is the resolved secret, filled by the server: never compared."""
    if isinstance(value, dict):
        reference = _child(_child(value, "valueFrom"), "secretKeyRef")
        if reference is not None:
            reference.pop("value", None)
        for element in value.values():
            _drop_secret_key_values(element)
    elif isinstance(value, list):
        for element in value:
            _drop_secret_key_values(element)


def _package_platform_defaults(spec):
    runtime = spec.get("runtime")
    if runtime == "cloud":
        spec.setdefault("cloud", {}).setdefault("replicas", 1)
    elif runtime == "device":
        device = spec.setdefault("device", {})
        device.setdefault("arch", "amd64")
        device.setdefault("restart", "always")
    for endpoint in _dicts(spec.get("endpoints")):
        endpoint.setdefault("type", "external-http")
    for endpoint in _dicts(_get(spec, "ros", "rosEndpoints")):
        endpoint.setdefault("type", "topic")


def _get(mapping, *keys):
    for key in keys:
        mapping = mapping.get(key) if isinstance(mapping, dict) else None
    return mapping


def _without_false(value):
    """False flags left out: every v2 flag defaults to false, and a Go server may omit a false one."""
    if isinstance(value, dict):
        return dict((key, _without_false(element)) for key, element in value.items() if element is not False)
    if isinstance(value, list):
        return [_without_false(element) for element in value]
    return value


def _secret_spec(spec):
    docker = _child(spec, "docker")
    if docker is not None:
        docker.pop("password", None)
    data = spec.pop("data", None)
    keys = spec.pop("secretKeys", None)
    if spec.get("type") == "Opaque":
        # The values never come back; the keys do (as spec.secretKeys), so the keys are compared.
        keys = sorted(data) if isinstance(data, dict) else keys
        if isinstance(keys, list):
            spec["secretKeys"] = sorted(str(key) for key in keys)


def comparable(kind, obj):
    """The comparable form of a wire body or a live object of ``kind`` (Package, Deployment, ...)."""
    obj = pruned(copy.deepcopy(obj)) if isinstance(obj, dict) else {}
    out = {}
    metadata = _child(obj, "metadata") or {}
    kept = dict((key, metadata[key]) for key in COMPARED_METADATA if key in metadata)
    if kind == CONFIG_TREE:
        kept = dict((key, metadata[key]) for key in ("labels",) if key in metadata)
        out.update((key, value) for key, value in obj.items() if key not in ("apiVersion", "kind", "metadata", "status"))
    if kept:
        out["metadata"] = kept
    spec = _child(obj, "spec")
    if kind != CONFIG_TREE and spec is not None:
        out["spec"] = spec
    _fill_model_defaults(kind, out, wrap=False)
    if kind == PACKAGE and spec is not None:
        _package_platform_defaults(spec)
    elif kind == DEPLOYMENT and spec is not None:
        # `wait` tells riocli to wait before it creates the deployment; it is no state of the object.
        for dependency in _dicts(spec.get("depends")):
            dependency.pop("wait", None)
        for route in _dicts(spec.get("staticRoutes")):
            route.pop("url", None)
    elif kind == STATIC_ROUTE and spec is not None:
        spec.pop("url", None)
    elif kind == SECRET and spec is not None:
        _secret_spec(spec)
    _drop_secret_key_values(out)
    _references_in_one_spelling(out)
    return pruned(_without_false(out))


def desired_form(document):
    """The comparable form of a validated Document: what its object looks like once created."""
    return comparable(document.kind, wire_body(document))
