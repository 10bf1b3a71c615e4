# Copyright: (c) 2026, rapyuta.rio contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""Checks and conversions of the declarative deployment options that need no API call.
FOR INTERNAL COLLECTION USE ONLY: may change in any release.

Ansible validates types and suboptions; this file checks what an argument spec cannot express
(duplicates, cross-field rules) and turns snake_case options into the wire's camelCase. Every
error names the option path (``components.talker.volumes[0].mount_path``) and the value.
"""

from ansible_collections.rapyuta.rio.plugins.module_utils.transport.client import RioError
from ansible_collections.rapyuta.rio.plugins.module_utils.v1.provision import CONTEXT_RECORD_LABEL


class DeploymentInputError(RioError):
    """A declared option is wrong; ``field`` is its dotted path."""

    def __init__(self, field, message):
        super().__init__("%s: %s" % (field, message))
        self.field = field


def component_path(component_name, *parts):
    return ".".join(["components", component_name] + [part for part in parts if part])


# -- ROS bag jobs: options -> wire (docs/reference/v1-api.md#ros-bag-options) ----------------------
def _camel(name):
    head, *rest = name.split("_")
    return head + "".join(part.capitalize() for part in rest)


def to_wire_keys(value):
    """snake_case option dicts -> camelCase wire dicts, dropping unset (None) options.

    Applies to nested dicts and to dicts inside lists; leaf values are kept as they are.
    """
    if isinstance(value, dict):
        return dict((_camel(key), to_wire_keys(item)) for key, item in value.items() if item is not None)
    if isinstance(value, list):
        return [to_wire_keys(item) for item in value]
    return value


def rosbag_job_to_wire(job):
    """One ``rosbag_jobs`` entry -> ``{"name", "recordOptions", "uploadOptions"?, "overrideOptions"?}``."""
    wire = to_wire_keys(job)
    for key in ("uploadOptions", "overrideOptions"):
        if not wire.get(key):
            wire.pop(key, None)
    return wire


# -- cross-field checks -----------------------------------------------------------------------------
def check_components(components):
    """Duplicates and the volume/route rules an argument spec cannot state."""
    seen = set()
    for entry in components:
        name = entry["name"]
        if name in seen:
            raise DeploymentInputError("components", "component %r is listed more than once" % name)
        seen.add(name)
        _check_static_routes(name, entry.get("static_routes") or {})
        _check_rosbag_jobs(name, entry.get("rosbag_jobs") or [])
        for index, volume in enumerate(entry.get("volumes") or []):
            _check_volume(name, index, volume, entry.get("device"))


def _check_static_routes(component, routes):
    for endpoint, route in routes.items():
        if not isinstance(route, str) or not route:
            raise DeploymentInputError(component_path(component, "static_routes", endpoint),
                                       "expected a static route name or guid, got %r" % (route,))


def _check_rosbag_jobs(component, jobs):
    names = [job["name"] for job in jobs]
    for name in names:
        if names.count(name) > 1:
            raise DeploymentInputError(component_path(component, "rosbag_jobs"),
                                       "job name %r is used more than once" % name)
    for index, job in enumerate(jobs):
        duration = (job.get("record_options") or {}).get("max_split_duration")
        if duration is not None and duration <= 0:
            raise DeploymentInputError(
                component_path(component, "rosbag_jobs[%d].record_options.max_split_duration" % index),
                "must be greater than 0, got %r" % duration)


def _check_volume(component, index, volume, device):
    path = component_path(component, "volumes[%d]" % index)
    if volume.get("device_volume"):
        if not device:
            raise DeploymentInputError(path + ".device_volume",
                                       "a device volume needs the component's device option")
        if not volume.get("executable_mounts"):
            raise DeploymentInputError(path + ".executable_mounts", "a device volume needs executable_mounts")
    elif not volume.get("volume"):
        raise DeploymentInputError(path, "set either volume (a cloud volume name) or device_volume: true")


def check_labels(labels):
    """Labels are non-empty strings on the wire; YAML numbers and booleans are turned into strings,
    anything else (a dict, a list) is refused rather than sent as its Python text."""
    clean = {}
    for key, value in (labels or {}).items():
        if value is None or str(value) == "" or not key:
            raise DeploymentInputError("labels.%s" % key, "labels need a non-empty key and value, got %r" % (value,))
        if not isinstance(value, (str, int, float)):
            # Named by kind, not type name: under Ansible a YAML dict is an _AnsibleTaggedDict.
            kind = "a dict" if isinstance(value, dict) else "a list" if isinstance(value, (list, tuple)) else \
                type(value).__name__
            raise DeploymentInputError("labels.%s" % key, "a label value must be a string (or a number), got %s: %r"
                                       % (kind, value))
        clean[str(key)] = value if isinstance(value, str) else str(value)
    return clean


def check_networks(option, networks):
    names = [net["name"] for net in networks]
    for name in names:
        if names.count(name) > 1:
            raise DeploymentInputError(option, "network %r is listed more than once" % name)


def check_spec(params):
    """All the input checks that need no API call, in option order."""
    check_components(params.get("components") or [])
    check_networks("routed_networks", params.get("routed_networks") or [])
    check_networks("native_networks", params.get("native_networks") or [])
    depends_on = params.get("depends_on") or []
    for item in depends_on:
        if not item:
            raise DeploymentInputError("depends_on", "empty deployment name")
    labels = check_labels(params.get("labels"))
    if CONTEXT_RECORD_LABEL in labels:
        raise DeploymentInputError("labels.%s" % CONTEXT_RECORD_LABEL,
                                   "the key is the collection's own: it records the provisioning context of every "
                                   "deployment the collection provisions; use another key")
    return labels
