# Copyright: (c) 2026, rapyuta.rio contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""Package manifests: load, validate, normalize, compare. FOR INTERNAL COLLECTION USE ONLY.

The platform stores a manifest in another shape (docs/reference/v1-api.md#stored-package: ``plans[].components.components``,
``plans[].inboundROSInterfaces.inboundROSInterfaces``, exposed parameters under ``metadata``)
and adds its own fields (ids, ``internalComponents``, status, owner, timestamps). Both shapes
are brought to one *normalized* form here: only the fields a manifest declares, defaults filled,
bool-like strings made bools, and lists of named things sorted by name, so that two normalized
forms compare with ``==`` and :func:`diff_manifests` can name what differs.
"""

import copy
import importlib.util
import json
import os

from ansible_collections.rapyuta.rio.plugins.module_utils.transport.client import RioError


# PyYAML, jsonschema and the schema are imported when first used, so that the modules that only read
# plans (rio_deployment among them) do not pay for importing them (docs/PERFORMANCE.md, "Imports").
# Only their presence is recorded here.
def _missing(name):
    return None if importlib.util.find_spec(name) is not None else "No module named '%s'" % name


YAML_IMPORT_ERROR = _missing("yaml")
HAS_YAML = YAML_IMPORT_ERROR is None
JSONSCHEMA_IMPORT_ERROR = _missing("jsonschema")
HAS_JSONSCHEMA = JSONSCHEMA_IMPORT_ERROR is None

EXECUTABLE_KINDS = ("docker", "gitExecutable", "buildGUID")
_TRUE_STRINGS = ("true", "True")
_FALSE_STRINGS = ("false", "False")


class ManifestError(RioError):
    """A manifest that cannot be used. ``errors`` is ``[(path, message)]``; ``path`` the first path."""

    def __init__(self, errors):
        self.errors = list(errors)
        self.path = self.errors[0][0] if self.errors else "$"
        super().__init__("; ".join(
            message if path == "$" else "%s: %s" % (path, message) for path, message in self.errors))


class MissingLibrary(RioError):
    """A Python library a manifest operation needs is not installed. ``library`` names it."""

    def __init__(self, library, error):
        self.library = library
        self.error = error
        super().__init__("the Python library '%s' is required (%s)" % (library, error))


# -- loading ---------------------------------------------------------------------------------------
def parse_manifest(text, source="manifest"):
    """JSON or YAML text -> dict. JSON is tried first; YAML (a superset) gives the line on errors."""
    try:
        data = json.loads(text)
    except ValueError as json_error:
        if not HAS_YAML:
            raise ManifestError([("$", "%s is not valid JSON (%s), and PyYAML is not installed to read YAML"
                                  % (source, json_error))])
        import yaml  # lazy: see the imports above
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as yaml_error:
            raise ManifestError([("$", "%s is neither JSON nor YAML: %s" % (source, yaml_error))])
    if not isinstance(data, dict):
        raise ManifestError([("$", "%s must hold one object (a mapping), not %s" % (source, _type_name(data)))])
    return data


def load_manifest(source):
    """A manifest from a dict (copied) or from the path of a JSON or YAML file."""
    if isinstance(source, dict):
        return copy.deepcopy(source)
    try:
        with open(source, "rb") as handle:
            text = handle.read().decode("utf-8")
    except OSError as exc:
        where = source if os.path.isabs(source) else "%s (%s)" % (source, os.path.abspath(source))
        raise ManifestError([("$", "cannot read manifest file %s: %s" % (where, getattr(exc, "strerror", None) or exc))])
    except UnicodeDecodeError as exc:
        raise ManifestError([("$", "manifest file %s is not UTF-8 text: %s" % (source, exc))])
    return parse_manifest(text, source="manifest file %s" % source)


# -- validation ------------------------------------------------------------------------------------
def json_path(parts):
    """['plans', 0, 'components', 1, 'architecture'] -> 'plans[0].components[1].architecture'."""
    text = ""
    for part in parts:
        if isinstance(part, int):
            text += "[%d]" % part
        else:
            text += ("." if text else "") + str(part)
    return text or "$"


def _type_name(value):
    if value is None:
        return "null"
    return {bool: "a boolean", int: "a number", float: "a number", str: "a string",
            list: "a list", dict: "an object"}.get(type(value), type(value).__name__)


def _error_entries(error):
    """One jsonschema error -> [(path, message)], pointing at the field that is wrong or missing."""
    parts = list(error.absolute_path)
    if error.validator == "required":
        # "'architecture' is a required property": point at the missing field itself.
        return [(json_path(parts + [name]), "required field is missing")
                for name in error.validator_value if name not in (error.instance or {})]
    if error.validator == "additionalProperties":
        allowed = sorted(error.schema.get("properties", {}))
        return [(json_path(parts + [name]), "unknown field (allowed: %s)" % ", ".join(allowed))
                for name in sorted(set(error.instance) - set(allowed))]
    if error.validator == "anyOf" and error.context:
        # A nullable object: the errors of the alternative whose type matched are the useful ones.
        relevant = [item for item in error.context if item.relative_path or item.validator != "type"]
        if not relevant:
            types = " or ".join(repr(item.validator_value) for item in error.context)
            return [(json_path(parts), "%r is not of type %s" % (error.instance, types))]
        entries = []
        for item in relevant:
            entries.extend(_error_entries(item))
        return entries
    return [(json_path(parts), error.message)]


def _schema_errors(manifest):
    if not HAS_JSONSCHEMA:
        raise MissingLibrary("jsonschema", JSONSCHEMA_IMPORT_ERROR)
    import jsonschema  # lazy: see the imports above
    from ansible_collections.rapyuta.rio.plugins.module_utils.v1.manifest_schema import MANIFEST_SCHEMA

    validator = jsonschema.validators.validator_for(MANIFEST_SCHEMA)(MANIFEST_SCHEMA)
    found = []
    for error in validator.iter_errors(manifest):
        found.extend(_error_entries(error))
    return found


def _duplicates(items, key="name"):
    seen = {}
    for index, item in enumerate(items):
        if isinstance(item, dict) and item.get(key) is not None:
            if item[key] in seen:
                yield index, item[key], seen[item[key]]
            else:
                seen[item[key]] = index


def _rule_errors(manifest):
    """What the schema cannot say: unique names, one executable kind, exposed parameters that exist."""
    found = []
    plans = manifest.get("plans") or []
    for index, name, first in _duplicates(plans):
        found.append(("plans[%d].name" % index, "plan name %r is already used by plans[%d]" % (name, first)))
    for p_index, plan in enumerate(plans):
        components = plan.get("components") or []
        for index, name, first in _duplicates(components):
            found.append(("plans[%d].components[%d].name" % (p_index, index),
                          "component name %r is already used by plans[%d].components[%d]" % (name, p_index, first)))
        for c_index, component in enumerate(components):
            where = "plans[%d].components[%d]" % (p_index, c_index)
            for field in ("executables", "parameters", "rosBagJobDefs"):
                for index, name, first in _duplicates(component.get(field) or []):
                    found.append(("%s.%s[%d].name" % (where, field, index),
                                  "name %r is already used by %s.%s[%d]" % (name, where, field, first)))
            for index, name, first in _duplicates((component.get("cloudInfra") or {}).get("endpoints") or []):
                found.append(("%s.cloudInfra.endpoints[%d].name" % (where, index),
                              "endpoint name %r is already used by %s.cloudInfra.endpoints[%d]" % (name, where, first)))
            for e_index, executable in enumerate(component.get("executables") or []):
                kinds = [kind for kind in EXECUTABLE_KINDS if executable.get(kind)]
                if len(kinds) > 1:
                    found.append(("%s.executables[%d]" % (where, e_index),
                                  "set only one of docker, gitExecutable, buildGUID (found %s)" % ", ".join(kinds)))
        names = dict((comp.get("name"), comp) for comp in components if isinstance(comp, dict))
        for x_index, exposed in enumerate(plan.get("exposedParameters") or []):
            component = names.get(exposed.get("component"))
            where = "plans[%d].exposedParameters[%d]" % (p_index, x_index)
            if component is None:
                found.append((where + ".component", "no component %r in this plan" % exposed.get("component")))
            elif exposed.get("param") not in [par.get("name") for par in component.get("parameters") or []]:
                found.append((where + ".param", "component %r has no parameter %r" % (
                    exposed.get("component"), exposed.get("param"))))
    return found


def validate_manifest(manifest):
    """Raise ManifestError listing every problem with its JSON path; None when the manifest is usable."""
    if not isinstance(manifest, dict):
        raise ManifestError([("$", "a manifest must be an object (a mapping), not %s" % _type_name(manifest))])
    errors = _schema_errors(manifest)
    if not errors:
        errors = _rule_errors(manifest)
    if errors:
        raise ManifestError(sorted(set(errors), key=_path_sort_key))


def _path_sort_key(item):
    return [(0, int(token), "") if token.isdigit() else (1, 0, token)
            for token in item[0].replace("[", ".").replace("]", "").split(".")]


# -- normalization ---------------------------------------------------------------------------------
def _drop_none(mapping):
    return dict((key, value) for key, value in mapping.items() if value is not None)


def _as_bool(value, default=False):
    if value is None:
        return default
    if value in _TRUE_STRINGS:
        return True
    if value in _FALSE_STRINGS:
        return False
    return bool(value)


def _by_name(items, shape):
    return sorted((shape(item) for item in items or [] if isinstance(item, dict)),
                  key=lambda item: str(item.get("name")))


def canonical_list(items):
    """An order-free list of opaque values, sorted by their JSON text."""
    return sorted(items or [], key=lambda item: json.dumps(item, sort_keys=True, default=str))


def _ros_interface(item):
    return _drop_none({
        "name": item.get("name"),
        "qos": item.get("qos"),
        "compression": item.get("compression") or "",
        "scoped": _as_bool(item.get("scoped")),
        "targeted": _as_bool(item.get("targeted")),
        "timeout": item.get("timeout"),
    })


def _ros(ros):
    ros = ros or {}
    return _drop_none({
        "isROS": _as_bool(ros.get("isROS")),
        "ros_distro": ros.get("ros_distro") or None,
        "topics": _by_name(ros.get("topics"), _ros_interface),
        "services": _by_name(ros.get("services"), _ros_interface),
        "actions": _by_name(ros.get("actions"), _ros_interface),
    })


def _endpoint(endpoint):
    return _drop_none({
        "name": endpoint.get("name"),
        "exposeExternally": _as_bool(endpoint.get("exposeExternally")),
        "port": endpoint.get("port"),
        "targetPort": endpoint.get("targetPort"),
        "portRange": endpoint.get("portRange"),
        "proto": endpoint.get("proto"),
    })


def _executable(executable):
    build_options = executable.get("buildOptions")
    if build_options is not None:
        build_options = {"catkinOptions": list(build_options.get("catkinOptions") or [])}
    return _drop_none({
        "name": executable.get("name"),
        "cmd": list(executable.get("cmd") or []),
        "docker": executable.get("docker") or None,
        "secret": executable.get("secret") or None,
        "gitExecutable": executable.get("gitExecutable") or None,
        "buildOptions": build_options,
        "buildGUID": executable.get("buildGUID") or None,
        "simulationOptions": {"simulation": _as_bool((executable.get("simulationOptions") or {}).get("simulation"))},
        "limits": executable.get("limits") or None,
        "args": executable.get("args") or None,
        "env": executable.get("env") or None,
    })


def _parameter_value(value):
    """Parameters reach executables as environment strings: 10 and "10" are the same default."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return value


def _parameter(parameter):
    return _drop_none({
        "name": parameter.get("name"),
        "default": _parameter_value(parameter.get("default")),
        "description": parameter.get("description") or "",
        "exposed": parameter.get("exposed"),
        "exposedName": parameter.get("exposedName"),
    })


def _rosbag_job(job):
    return _drop_none({
        "name": job.get("name"),
        "recordOptions": job.get("recordOptions") or {},
        "uploadOptions": job.get("uploadOptions"),
        "overrideOptions": job.get("overrideOptions"),
    })


def _default_infra(infra):
    """True for a cloudInfra that holds only the defaults (no endpoints, one replica)."""
    if not infra:
        return True
    return (isinstance(infra, dict) and not infra.get("endpoints") and infra.get("replicas") in (None, 1)
            and set(infra) <= {"endpoints", "replicas"})


def _component(component):
    normalized = {
        "name": component.get("name"),
        "description": component.get("description") or "",
        "requiredRuntime": component.get("requiredRuntime"),
        "architecture": component.get("architecture"),
        "restart_policy": component.get("restart_policy") or None,
        "ros": _ros(component.get("ros")),
        "executables": _by_name(component.get("executables"), _executable),
        "parameters": _by_name(component.get("parameters"), _parameter),
        "rosBagJobDefs": _by_name(component.get("rosBagJobDefs"), _rosbag_job),
    }
    infra = component.get("cloudInfra")
    if component.get("requiredRuntime") != "cloud" and _default_infra(infra):
        # The platform stores every component with cloudInfra {"endpoints": null, "replicas": 1}; on a
        # device component that says nothing, and keeping it would show it removed in a diff.
        infra = None
    if component.get("requiredRuntime") == "cloud" or infra:
        infra = infra or {}
        normalized["cloudInfra"] = {
            "replicas": infra.get("replicas") or 1,
            "endpoints": _by_name(infra.get("endpoints"), _endpoint),
        }
    return _drop_none(normalized)


def _inbound(inbound):
    inbound = inbound or {}
    return {
        "anyIncomingScopedOrTargetedRosConfig": _as_bool(inbound.get("anyIncomingScopedOrTargetedRosConfig")),
        "topics": canonical_list(inbound.get("topics")),
        "services": canonical_list(inbound.get("services")),
        "actions": canonical_list(inbound.get("actions")),
    }


def _plan(plan, components, inbound, exposed):
    metadata = dict(plan.get("metadata") or {})
    metadata.pop("exposedParameters", None)
    metadata.pop("singleton", None)
    return {
        "name": plan.get("name") if plan.get("name") is not None else plan.get("planName"),
        "description": plan.get("description") or "",
        "metadata": metadata,
        "singleton": _as_bool(plan.get("singleton")),
        "components": _by_name(components, _component),
        "dependentDeployments": canonical_list(plan.get("dependentDeployments")),
        "includePackages": canonical_list(plan.get("includePackages")),
        "exposedParameters": canonical_list(exposed),
        "inboundROSInterfaces": _inbound(inbound),
    }


def _top(source, name, plans):
    return _drop_none({
        "name": name,
        "packageVersion": source.get("packageVersion"),
        "description": source.get("description") or "",
        "apiVersion": source.get("apiVersion") or None,
        "bindable": source.get("bindable"),
        "plans": sorted(plans, key=lambda plan: str(plan.get("name"))),
    })


def normalize_manifest(manifest):
    """A manifest (the creation body, docs/reference/v1-api.md#package-manifest) -> the normalized, comparable form."""
    plans = [_plan(plan, plan.get("components"), plan.get("inboundROSInterfaces"),
                   plan.get("exposedParameters") or (plan.get("metadata") or {}).get("exposedParameters"))
             for plan in manifest.get("plans") or []]
    return _top(manifest, manifest.get("name"), plans)


def plan_components(plan):
    """The component list of a plan in either shape (flat manifest or nested stored)."""
    components = plan.get("components")
    if isinstance(components, dict):
        components = components.get("components")
    return components or []


def normalize_stored_package(package_info):
    """A stored package (``packageInfo``, docs/reference/v1-api.md#stored-package) -> the same form; server-owned fields are left out."""
    plans = []
    for plan in package_info.get("plans") or []:
        inbound = plan.get("inboundROSInterfaces")
        if isinstance(inbound, dict) and "inboundROSInterfaces" in inbound:
            inbound = inbound.get("inboundROSInterfaces")
        exposed = plan.get("exposedParameters")
        if exposed is None:
            exposed = (plan.get("metadata") or {}).get("exposedParameters")
        plans.append(_plan(plan, plan_components(plan), inbound, exposed))
    name = package_info.get("packageName") if package_info.get("packageName") is not None else package_info.get("name")
    return _top(package_info, name, plans)


# -- comparison ------------------------------------------------------------------------------------
def _named(items):
    return bool(isinstance(items, list) and items and all(isinstance(item, dict) and "name" in item for item in items))


def _differences(declared, stored, path, out):
    if isinstance(declared, dict) and isinstance(stored, dict):
        for key in sorted(declared):
            child = "%s.%s" % (path, key) if path else key
            if key not in stored:
                out.append({"field": child, "desired": declared[key], "live": None})
            else:
                _differences(declared[key], stored[key], child, out)
        return
    if (_named(declared) or _named(stored)) and isinstance(declared, list) and isinstance(stored, list):
        stored_by_name = dict((item.get("name"), item) for item in stored)
        declared_names = [item.get("name") for item in declared]
        for item in declared:
            child = "%s[%s]" % (path, item.get("name"))
            if item.get("name") not in stored_by_name:
                out.append({"field": child, "desired": item, "live": None})
            else:
                _differences(item, stored_by_name[item.get("name")], child, out)
        for item in stored:
            if item.get("name") not in declared_names:
                out.append({"field": "%s[%s]" % (path, item.get("name")), "desired": None, "live": item})
        return
    if declared != stored:
        out.append({"field": path or "$", "desired": declared, "live": stored})


def manifest_differences(declared, stored):
    """Differing fields of two normalized forms: ``[{"field", "desired", "live"}]`` (None: not there).

    ``field`` is a JSON-like path in which items of named lists (plans, components,
    executables, parameters, endpoints, ROS interfaces, rosbag jobs) are matched by name and
    shown as ``[name]``: ``plans[default].components[web].executables[nginx].docker``.
    A field the declared side leaves out (``apiVersion``, ``bindable``, ``restart_policy``, a
    topic's ``qos``...) is not compared, because the platform may store its own default there.
    """
    out = []
    _differences(declared, stored, "", out)
    return out


def _shown(value):
    return "(absent)" if value is None else repr(value)


def describe_difference(item):
    return "%s: %s != %s" % (item["field"], _shown(item["desired"]), _shown(item["live"]))


def diff_manifests(declared, stored):
    """The same differences as readable lines, ``"<field>: <declared> != <stored>"``."""
    return [describe_difference(item) for item in manifest_differences(declared, stored)]
