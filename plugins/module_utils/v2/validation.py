# Copyright: (c) 2026, rapyuta.rio contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""Validation of v2 manifest documents, per kind. FOR INTERNAL COLLECTION USE ONLY.

What is accepted is the union of what the vendor's two validators accept (the sdk-v2 models that
``rio apply`` runs and the JSON schemas shipped with riocli, docs/reference/v2-api.md#manifests),
minus what makes no sense for a runtime (a device section on a cloud object and the reverse). Every
problem is reported at once, each naming the document, the field path and the value.

A field neither validator knows is not an error: ``rio apply`` drops it, so it is dropped here too,
with a warning naming it (a misspelt key then shows). The same holds for the fields only the
schemas know, which ``rio apply`` never sends. Read-only fields a live object carries (guid,
timestamps, ``status``...) are dropped without a word, so a document copied from the API works.

The result of a valid document is its *clean* form: known fields only, nulls and empty mappings
left out, lenient scalars made exact (``"4"`` -> 4, ``"true"`` -> True, an ``envArgs`` value -> a
string) and ``nameOrGuid`` spelt ``nameOrGUID``.
"""

import ipaddress
import posixpath
import re

from ansible_collections.rapyuta.rio.plugins.module_utils.v2.documents import (
    API_VERSIONS,
    ARCHITECTURES,
    CONFIG_TREE,
    DEPLOYMENT,
    DISK,
    ENDPOINT_TYPES,
    EXECUTABLE_TYPES,
    KINDS,
    NETWORK,
    NETWORK_TYPES,
    PACKAGE,
    PULL_POLICIES,
    RANGE_ENDPOINT_TYPES,
    RESTART_POLICIES,
    ROS_DISTROS,
    ROS_ENDPOINT_TYPES,
    ROS_QOS,
    RUNTIMES,
    SECRET,
    SECRET_TYPES,
    STATIC_ROUTE,
    ManifestError,
    Problem,
    object_key,
    key_text,
    shown,
)

INVALID = object()
_TRUE = ("true", "yes", "on")
_FALSE = ("false", "no", "off")
_INTEGER_TEXT = re.compile(r"^\s*[-+]?\d+\s*$")
_NOT_SENT = "not sent: rio apply (sdk-v2) leaves it out, so the platform never sees it"
UNKNOWN_FIELD = "unknown field, left out (rio apply drops it too)"

# Read-only metadata of live objects (docs/reference/v2-api.md#object-envelope); `creator` and
# `project` are the schemas' spellings.
READ_ONLY_METADATA = ("guid", "projectGUID", "organizationGUID", "organizationCreatorGUID", "creatorGUID",
                      "createdAt", "updatedAt", "deletedAt", "organizationName", "shortGUID", "projectName",
                      "generation", "creator", "project")


class Report:
    """Problems and warnings of one document."""

    def __init__(self, document):
        self.document = document
        self.problems = []
        self.warnings = []

    def problem(self, path, message):
        self.problems.append(Problem(self.document, path, message))

    def warn(self, path, message):
        self.warnings.append(Problem(self.document, path, message))


def join(path, key):
    return "%s.%s" % (path, key) if path else str(key)


def item(path, index):
    return "%s[%d]" % (path, index)


# -- field types: check(value, path, report) -> the clean value, or INVALID after reporting ----------
class Field:
    hidden = False

    def got(self, value):
        """The 'got ...' part of a message; a hidden field (a password) never shows its value."""
        return "" if self.hidden else ", got %s" % shown(value)

    def check(self, value, path, report):
        return value


class Anything(Field):
    """Free-form content (a config tree's data), kept as given."""


class Str(Field):
    def __init__(self, nonempty=False, test=None, hidden=False):
        self.nonempty = nonempty
        self.test = test
        self.hidden = hidden

    def check(self, value, path, report):
        if not isinstance(value, str):
            report.problem(path, "must be a string%s" % self.got(value))
            return INVALID
        if self.nonempty and not value.strip():
            report.problem(path, "must not be empty")
            return INVALID
        message = self.test(value) if self.test else None
        if message:
            report.problem(path, "%s%s" % (message, self.got(value)))
            return INVALID
        return value


class Enum(Field):
    def __init__(self, choices):
        self.choices = tuple(choices)

    def check(self, value, path, report):
        if not isinstance(value, str) or value not in self.choices:
            if len(self.choices) == 1:
                report.problem(path, "must be %s, got %s" % (self.choices[0], shown(value)))
            else:
                report.problem(path, "must be one of %s, got %s" % (", ".join(self.choices), shown(value)))
            return INVALID
        return value


class Bool(Field):
    def check(self, value, path, report):
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lower() in _TRUE + _FALSE:
            return value.strip().lower() in _TRUE
        report.problem(path, "must be true or false, got %s" % shown(value))
        return INVALID


class Number(Field):
    """A number; numeric text is read as the number (the sdk-v2 models do the same)."""

    integer = False

    def __init__(self, minimum=None, maximum=None, step=None, test=None):
        self.minimum = minimum
        self.maximum = maximum
        self.step = step
        self.test = test

    def _read(self, value):
        if isinstance(value, bool):
            return INVALID
        if isinstance(value, int):
            return value
        if isinstance(value, float):
            if self.integer:
                return int(value) if value.is_integer() else INVALID
            return value
        if isinstance(value, str):
            if _INTEGER_TEXT.match(value):
                return int(value)
            if not self.integer:
                try:
                    return float(value)
                except ValueError:
                    return INVALID
        return INVALID

    def check(self, value, path, report):
        number = self._read(value)
        if number is INVALID:
            report.problem(path, "must be %s, got %s" % ("an integer" if self.integer else "a number", shown(value)))
            return INVALID
        if self.minimum is not None and number < self.minimum:
            report.problem(path, "must be at least %s, got %s" % (self.minimum, shown(value)))
            return INVALID
        if self.maximum is not None and number > self.maximum:
            report.problem(path, "must be at most %s, got %s" % (self.maximum, shown(value)))
            return INVALID
        if self.step is not None and abs(round(number / self.step) * self.step - number) > 1e-9:
            report.problem(path, "must be a multiple of %s, got %s" % (self.step, shown(value)))
            return INVALID
        message = self.test(number) if self.test else None
        if message:
            report.problem(path, "%s, got %s" % (message, shown(value)))
            return INVALID
        return number


class Int(Number):
    integer = True


class Text(Field):
    """A value the client turns into a string (an ``envArgs`` value): 10 -> "10", true -> "true"."""

    def check(self, value, path, report):
        if isinstance(value, str):
            return value
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, (int, float)):
            return str(value)
        report.problem(path, "must be a string, a number or a boolean, got %s" % shown(value))
        return INVALID


class Command(Field):
    """A command or entrypoint: a string or a list of strings."""

    def check(self, value, path, report):
        if isinstance(value, str):
            return value
        if isinstance(value, list) and all(isinstance(part, str) for part in value):
            return list(value)
        report.problem(path, "must be a string or a list of strings, got %s" % shown(value))
        return INVALID


class List(Field):
    def __init__(self, of):
        self.of = of

    def check(self, value, path, report):
        if not isinstance(value, list):
            report.problem(path, "must be a list, got %s" % shown(value))
            return INVALID
        out = []
        for index, element in enumerate(value):
            if element is None:
                report.problem(item(path, index), "must not be null")
                continue
            clean = self.of.check(element, item(path, index), report)
            if clean is not INVALID:
                out.append(clean)
        return out


class Map(Field):
    """A mapping of strings to values of one type (labels, an opaque secret's data)."""

    def __init__(self, of, hidden=False):
        self.of = of
        self.hidden = hidden

    def check(self, value, path, report):
        if not isinstance(value, dict):
            report.problem(path, "must be a mapping%s" % self.got(value))
            return INVALID
        out = {}
        for key, element in value.items():
            if not isinstance(key, str):
                report.problem(path, "keys must be strings, got %s" % shown(key))
                continue
            clean = self.of.check(element, join(path, key), report)
            if clean is not INVALID:
                out[key] = clean
        return out


class Obj(Field):
    """A mapping with known fields.

    ``dropped``: fields known to the vendor but never sent (warned and left out); ``read_only``:
    server fields (left out silently); ``aliases``: other spellings the sdk-v2 models accept;
    ``free``: unknown fields are kept as given instead of being warned about.
    """

    def __init__(self, fields, required=(), dropped=None, read_only=(), aliases=None, free=False):
        self.fields = fields
        self.required = tuple(required)
        self.dropped = dropped or {}
        self.read_only = tuple(read_only)
        self.aliases = aliases or {}
        self.free = free

    def _empty_is_wrong(self, key):
        # {} reads as absent, as in the sdk-v2 models, except where they refuse it: an object with
        # required fields (docker without an image), other than the references they turn to null.
        field = self.fields.get(key)
        return isinstance(field, Obj) and bool(field.required) and key != "depends"

    def check(self, value, path, report):
        if not isinstance(value, dict):
            report.problem(path, "must be a mapping, got %s" % shown(value))
            return INVALID
        out = {}
        present = set()
        for key, element in value.items():
            key = self.aliases.get(key, key)
            if element is None or (element == {} and not self._empty_is_wrong(key)):
                continue
            present.add(key)
            where = join(path, key)
            if key in self.fields:
                clean = self.fields[key].check(element, where, report)
                # An object left empty by its check ({"depends": {}}) is absent, unless it came empty and
                # was checked because empty is wrong there: the rules then see it given.
                if clean is not INVALID and not (clean == {} and element != {} and isinstance(self.fields[key], Obj)):
                    out[key] = clean
            elif key in self.read_only:
                continue
            elif key in self.dropped:
                report.warn(where, self.dropped[key])
            elif self.free:
                out[key] = element
            else:
                report.warn(where, UNKNOWN_FIELD)
        for key in self.required:
            if key not in present:
                report.problem(join(path, key), "required")
        return out


# -- the fields of each kind -----------------------------------------------------------------------
def _reference(kinds, required=("nameOrGUID",), extra=None):
    fields = {"kind": Enum(kinds), "nameOrGUID": Str(nonempty=True)}
    fields.update(extra or {})
    return Obj(fields, required=required, aliases={"nameOrGuid": "nameOrGUID"})


def _absolute(value):
    return None if posixpath.isabs(value) else "must be an absolute path"


def _ipv4_range(value):
    # The sdk-v2 model takes an IPv4 address with an optional prefix length of 1 to 32.
    address, _slash, prefix = value.partition("/")
    try:
        ipaddress.IPv4Address(address)
    except ValueError:
        return "must be an IPv4 range in CIDR notation (10.0.0.0/8)"
    if _slash and not (prefix.isdigit() and 1 <= int(prefix) <= 32):
        return "must be an IPv4 range in CIDR notation (10.0.0.0/8)"
    return None


def _disk_capacity(value):
    # Union of the two vendor rules: the sdk-v2 model (even, 4 to 512) holds the schemas' list.
    if value % 2 or not 4 <= value <= 512:
        return "must be an even number of GiB from 4 to 512"
    return None


def _memory_step(value):
    return None if value % 128 == 0 else "must be a multiple of 128"


SECRET_REFERENCE = _reference(("Secret", "secret"))
DEVICE_REFERENCE = _reference(("Device", "device"))
PACKAGE_REFERENCE = _reference(("Package", "package"), required=("nameOrGUID", "version"),
                               extra={"version": Str(nonempty=True)})
DEPLOYMENT_REFERENCE = _reference(("Deployment", "deployment"), extra={"wait": Bool()})
NETWORK_REFERENCE = _reference(("Network", "network"))
DISK_REFERENCE = _reference(("Disk", "disk"))
STATIC_ROUTE_REFERENCE = _reference(("StaticRoute", "staticroute"))
LABELS = Map(Str())
VALUE_FROM = Obj({"secretKeyRef": Obj({"name": Str(nonempty=True), "key": Str(nonempty=True)},
                                      required=("name", "key"), read_only=("value",))})


def _metadata(extra=None, required=("name",)):
    fields = {"name": Str(nonempty=True), "labels": LABELS, "region": Str()}
    fields.update(extra or {})
    return Obj(fields, required=required, read_only=READ_ONLY_METADATA)


PROBE = Obj({
    "httpGet": Obj({"path": Str(), "port": Int(1, 65535), "host": Str(), "scheme": Str(),
                    "httpHeaders": List(Obj({"name": Str(), "value": Str()}, required=("name", "value")))},
                   required=("path", "port")),
    "exec": Obj({"command": List(Str())}, required=("command",)),
    "tcpSocket": Obj({"port": Int(1, 65535)}, required=("port",)),
    "initialDelaySeconds": Int(minimum=1),
    "timeoutSeconds": Int(minimum=10),
    "periodSeconds": Int(minimum=1),
    "successThreshold": Int(minimum=1),
    "failureThreshold": Int(minimum=1),
})

EXECUTABLE = Obj({
    "name": Str(nonempty=True),
    "type": Enum(EXECUTABLE_TYPES),
    "docker": Obj({
        "image": Str(nonempty=True),
        "imagePullPolicy": Enum(PULL_POLICIES),
        "pullSecret": Obj({"depends": SECRET_REFERENCE},
                          dropped={"nameOrGUID": "not sent: write it as pullSecret.depends.nameOrGUID, "
                                                 "the only spelling rio apply (sdk-v2) sends"}),
    }, required=("image",)),
    "entrypoint": Command(),
    "command": Command(),
    "runAsBash": Bool(),
    "limits": Obj({"cpu": Number(0, 256), "memory": Number(minimum=0)}),
    "livenessProbe": PROBE,
    "uid": Int(),
    "gid": Int(),
})

ENVIRONMENT_VARIABLE = Obj({
    "name": Str(nonempty=True),
    "description": Str(),
    "default": Str(),
    "valueFrom": VALUE_FROM,
    "exposed": Bool(),
    "exposedName": Str(nonempty=True),
}, required=("name",))

ENDPOINT = Obj({
    "name": Str(nonempty=True),
    "type": Enum(ENDPOINT_TYPES),
    "port": Int(1, 65535),
    "targetPort": Int(1, 65535),
    "portRange": Str(nonempty=True),
}, required=("name",))

ROS_ENDPOINT = Obj({
    "type": Enum(ROS_ENDPOINT_TYPES),
    "name": Str(nonempty=True),
    "compression": Bool(),
    "scoped": Bool(),
    "targeted": Bool(),
    "qos": Enum(ROS_QOS),
    "timeout": Number(minimum=0),
}, required=("name",))

PACKAGE_SPEC = Obj({
    "runtime": Enum(RUNTIMES),
    "executables": List(EXECUTABLE),
    "environmentVars": List(ENVIRONMENT_VARIABLE),
    "ros": Obj({"enabled": Bool(), "version": Enum(ROS_DISTROS), "rosEndpoints": List(ROS_ENDPOINT)},
               dropped={"inboundScopedTargeted": _NOT_SENT}),
    "endpoints": List(ENDPOINT),
    "device": Obj({"arch": Enum(ARCHITECTURES), "restart": Enum(RESTART_POLICIES)}),
    "cloud": Obj({"replicas": Int(minimum=0)}),
    "hostPID": Bool(),
}, required=("runtime",))

DEPLOYMENT_SPEC = Obj({
    "runtime": Enum(RUNTIMES),
    "depends": List(DEPLOYMENT_REFERENCE),
    "device": Obj({"depends": DEVICE_REFERENCE}),
    "restart": Enum(RESTART_POLICIES),
    "envArgs": List(Obj({"name": Str(nonempty=True), "value": Text(), "valueFrom": VALUE_FROM, "exposed": Bool(),
                         "exposedName": Str(nonempty=True)}, required=("name",))),
    "volumes": List(Obj({"execName": Str(nonempty=True), "mountPath": Str(nonempty=True, test=_absolute),
                         "subPath": Str(), "uid": Int(), "gid": Int(), "perm": Int(minimum=0),
                         "depends": DISK_REFERENCE})),
    "rosNetworks": List(Obj({"depends": NETWORK_REFERENCE, "domainID": Int(minimum=0), "interface": Str()},
                            required=("depends",))),
    "networkInterface": Str(),
    "features": Obj({
        "params": Obj({"enabled": Bool(), "trees": List(Str(nonempty=True)), "blockUntilSynced": Bool()},
                      dropped={"disableSync": _NOT_SENT}),
        "vpn": Obj({"enabled": Bool()}),
    }),
    "staticRoutes": List(Obj({"name": Str(nonempty=True), "depends": STATIC_ROUTE_REFERENCE},
                             required=("depends",), read_only=("url",))),
    "serviceAccount": Str(nonempty=True),
}, required=("runtime",), dropped={"managedServices": _NOT_SENT})

NETWORK_SPEC = Obj({
    "type": Enum(NETWORK_TYPES),
    "rosDistro": Enum(ROS_DISTROS),
    "runtime": Enum(RUNTIMES),
    "discoveryServer": Obj({"serverID": Int(minimum=0), "serverPort": Int(1, 65535)}),
    "resourceLimits": Obj({"cpu": Number(minimum=0, step=0.025), "memory": Int(minimum=0, test=_memory_step)},
                          required=("cpu", "memory")),
    # The sdk-v2 Network model takes only this spelling of the device reference.
    "depends": _reference(("Device",)),
    "networkInterface": Str(),
    "restartPolicy": Enum(RESTART_POLICIES),
    "architecture": Enum(ARCHITECTURES),
    "rabbitMQCreds": Obj({"defaultUser": Str(nonempty=True), "defaultPassword": Str(nonempty=True, hidden=True)},
                         required=("defaultUser", "defaultPassword")),
}, required=("type", "rosDistro", "runtime"))

DISK_SPEC = Obj({"runtime": Enum(RUNTIMES), "capacity": Int(test=_disk_capacity)}, required=("capacity",))

STATIC_ROUTE_SPEC = Obj({"sourceIPRange": List(Str(test=_ipv4_range))}, read_only=("url",))

SECRET_SPEC = Obj({
    "type": Enum(SECRET_TYPES),
    "docker": Obj({"registry": Str(nonempty=True), "username": Str(nonempty=True), "email": Str(nonempty=True),
                   "password": Str(nonempty=True, hidden=True)},
                  required=("username", "email", "password")),
    "data": Map(Str(hidden=True), hidden=True),
    "runtime": Enum(RUNTIMES),
    "depends": DEVICE_REFERENCE,
}, required=("type",), read_only=("secretKeys",))

METADATA = {
    PACKAGE: _metadata({"version": Str(nonempty=True), "description": Str()}, required=("name", "version")),
    DEPLOYMENT: _metadata({"depends": PACKAGE_REFERENCE}, required=("name", "depends")),
}
SPECS = {
    PACKAGE: PACKAGE_SPEC,
    DEPLOYMENT: DEPLOYMENT_SPEC,
    NETWORK: NETWORK_SPEC,
    DISK: DISK_SPEC,
    STATIC_ROUTE: STATIC_ROUTE_SPEC,
    SECRET: SECRET_SPEC,
    CONFIG_TREE: Anything(),
}
# Kinds whose spec may be left out altogether.
OPTIONAL_SPEC = (STATIC_ROUTE, CONFIG_TREE)


def _top(kind):
    fields = {"apiVersion": Enum(API_VERSIONS), "kind": Enum(KINDS),
              "metadata": METADATA.get(kind) or _metadata(), "spec": SPECS[kind]}
    required = ("metadata",) if kind in OPTIONAL_SPEC else ("metadata", "spec")
    return Obj(fields, required=required, read_only=("status",), free=kind == CONFIG_TREE)


# -- rules the field types cannot say --------------------------------------------------------------
def _duplicate_names(report, items, path, key="name"):
    seen = {}
    for index, element in enumerate(items or []):
        name = element.get(key)
        if name is None:
            continue
        if name in seen:
            report.problem(join(item(path, index), key), "%s is already used by %s" % (shown(name), item(path, seen[name])))
        else:
            seen[name] = index


def _package_rules(spec, report):
    runtime = spec.get("runtime")
    if runtime == "device":
        for field in ("cloud", "endpoints"):
            if field in spec:
                report.problem(join("spec", field), "only a cloud package has %s (spec.runtime is 'device')" % field)
    elif runtime == "cloud":
        if "device" in spec:
            report.problem("spec.device", "only a device package has it (spec.runtime is 'cloud')")
        for index, executable in enumerate(spec.get("executables") or []):
            if executable.get("type") == "preInstalled":
                report.problem(join(item("spec.executables", index), "type"),
                               "'preInstalled' needs spec.runtime 'device', got 'preInstalled'")
    for index, variable in enumerate(spec.get("environmentVars") or []):
        if variable.get("exposed") and not variable.get("exposedName"):
            report.problem(join(item("spec.environmentVars", index), "exposedName"), "required when exposed is true")
    for index, endpoint in enumerate(spec.get("endpoints") or []):
        where = item("spec.endpoints", index)
        if endpoint.get("type") in RANGE_ENDPOINT_TYPES:
            if "portRange" not in endpoint:
                report.problem(join(where, "portRange"), "required for type %s" % shown(endpoint["type"]))
        elif "targetPort" not in endpoint:
            report.problem(join(where, "targetPort"), "required for type %s" % shown(endpoint.get("type", "external-http")))
    for field in ("executables", "environmentVars", "endpoints"):
        _duplicate_names(report, spec.get(field), join("spec", field))


def _deployment_rules(spec, report):
    runtime = spec.get("runtime")
    volumes = spec.get("volumes") or []
    if runtime == "device":
        if "device" not in spec:
            report.problem("spec.device.depends", "required for a device deployment (the device to run on)")
        if "staticRoutes" in spec:
            report.problem("spec.staticRoutes", "only a cloud deployment binds static routes (spec.runtime is 'device')")
        for index, volume in enumerate(volumes):
            if "depends" in volume:
                report.problem(join(item("spec.volumes", index), "depends"),
                               "disks mount on cloud deployments only (spec.runtime is 'device'), got %s" % shown(volume["depends"]))
    elif runtime == "cloud":
        for field in ("device", "restart"):
            if field in spec:
                report.problem(join("spec", field), "only a device deployment has it (spec.runtime is 'cloud')")
        for index, volume in enumerate(volumes):
            where = item("spec.volumes", index)
            if "depends" not in volume:
                report.problem(join(where, "depends"), "required for a cloud deployment (the disk to mount)")
            for field in ("uid", "gid", "perm"):
                if field in volume:
                    report.problem(join(where, field), "only a device deployment's volume has it, got %s" % shown(volume[field]))
    for index, variable in enumerate(spec.get("envArgs") or []):
        if variable.get("exposed") and not variable.get("exposedName"):
            report.problem(join(item("spec.envArgs", index), "exposedName"), "required when exposed is true")
    _duplicate_names(report, spec.get("envArgs"), "spec.envArgs")


def _network_rules(spec, report):
    if spec.get("runtime") == "device" and "depends" not in spec:
        report.problem("spec.depends", "required for a device network: {kind: Device, nameOrGUID: <device>}")


def _secret_rules(spec, report):
    if spec.get("type") == "Docker" and "docker" not in spec:
        report.problem("spec.docker", "required for a Docker secret (registry, username, email, password)")
    if spec.get("type") == "Opaque" and "data" not in spec:
        report.problem("spec.data", "required for an Opaque secret (a mapping of keys to values)")


RULES = {PACKAGE: _package_rules, DEPLOYMENT: _deployment_rules, NETWORK: _network_rules, SECRET: _secret_rules}


# -- documents -------------------------------------------------------------------------------------
def check_document(document):
    """(clean form or None, problems, warnings) of one document; the document itself is not changed."""
    report = Report(document)
    body = document.body
    if not isinstance(body, dict):
        report.problem(None, "must be a mapping (one object with apiVersion, kind, metadata, spec), got %s" % shown(body))
        return None, report.problems, report.warnings
    kind = body.get("kind")
    if kind not in KINDS:
        if kind is None:
            report.problem("kind", "required (one of %s)" % ", ".join(KINDS))
        else:
            report.problem("kind", "must be one of %s, got %s" % (", ".join(KINDS), shown(kind)))
        return None, report.problems, report.warnings
    clean = _top(kind).check(body, "", report)
    if kind in RULES and isinstance(clean.get("spec"), dict):
        RULES[kind](clean["spec"], report)
    return (None if report.problems else clean), report.problems, report.warnings


def _set_problems(documents):
    """Problems between documents: one object declared twice, a deployment whose package differs in runtime."""
    problems = []
    first = {}
    for document in documents:
        if document.clean is None:
            continue
        key = document.key
        if key in first:
            problems.append(Problem(document, None, "declares %s again (first declared by %s)"
                                    % (key_text(key), first[key].label)))
        else:
            first[key] = document
    for document in documents:
        if document.clean is None or document.kind != DEPLOYMENT:
            continue
        depends = document.clean["metadata"]["depends"]
        package = first.get(object_key(PACKAGE, depends["nameOrGUID"], depends["version"]))
        if package is None:
            continue
        wanted = package.clean["spec"].get("runtime")
        runtime = document.clean["spec"].get("runtime")
        if wanted != runtime:
            problems.append(Problem(document, "spec.runtime", "must equal the runtime of %s (%s), %s, got %s"
                                    % (key_text(package.key), package.label, shown(wanted), shown(runtime))))
    return problems


def validate_documents(documents):
    """Check every document and the set; return the warnings, raise ManifestError naming every problem.

    Each valid document gets its clean form in ``Document.clean`` and its warnings in
    ``Document.warnings``.
    """
    problems = []
    warnings = []
    for document in documents:
        clean, found, warned = check_document(document)
        document.clean = clean
        document.warnings = warned
        problems.extend(found)
        warnings.extend(warned)
    problems.extend(_set_problems(documents))
    if problems:
        raise ManifestError(problems)
    return warnings
