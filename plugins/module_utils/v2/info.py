# Copyright: (c) 2026, rapyuta.rio contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""rio_resource_info: v2 objects of one kind, filtered. FOR INTERNAL COLLECTION USE ONLY: may change in any release.

The API filters what it can (docs/reference/v2-api.md#lists-and-pagination); every filter is
checked again here on the objects that come back, so a server that ignores a filter, or a name
filter that matches more than the name, cannot widen the result. Nothing here imports Ansible.
"""

from ansible_collections.rapyuta.rio.plugins.module_utils.transport.client import RioError
from ansible_collections.rapyuta.rio.plugins.module_utils.v2.documents import KINDS
from ansible_collections.rapyuta.rio.plugins.module_utils.v2.readiness import LIVE_PHASES

# What `rio deployment list` shows by default: every phase but Stopped (deleted incarnations).
DEFAULT_DEPLOYMENT_PHASES = LIVE_PHASES

# Which filter options each kind takes (the others are refused, naming the option).
KIND_FILTERS = {
    "Package": ("version",),
    "Deployment": ("phases", "device_name", "package_name", "package_version"),
    "Network": ("phases", "device_name"),
}
FILTER_OPTIONS = ("version", "phases", "device_name", "package_name", "package_version")


class InfoInputError(RioError):
    """A filter that does not apply to the kind asked for."""


def _matches(obj, filters):
    metadata = obj.get("metadata") or {}
    spec = obj.get("spec") or {}
    status = obj.get("status") or {}
    labels = metadata.get("labels") or {}
    if filters.get("name") and metadata.get("name") != filters["name"]:
        return False
    if filters.get("version") and metadata.get("version") != filters["version"]:
        return False
    for key, value in (filters.get("labels") or {}).items():
        if labels.get(key) != str(value):
            return False
    if filters.get("phases") and status.get("phase") not in filters["phases"]:
        return False
    if filters.get("device_name"):
        device = ((spec.get("device") or {}).get("depends") or spec.get("depends") or {})
        if not isinstance(device, dict) or device.get("nameOrGUID") != filters["device_name"]:
            return False
    package = metadata.get("depends") or {}
    if filters.get("package_name") and package.get("nameOrGUID") != filters["package_name"]:
        return False
    return not (filters.get("package_version") and package.get("version") != filters["package_version"])


def check_filters(kind, filters):
    wrong = [option for option in FILTER_OPTIONS if filters.get(option) and option not in KIND_FILTERS.get(kind, ())]
    if wrong:
        raise InfoInputError("%s: not a filter of kind %s; it applies to %s" % (", ".join(wrong), kind, "; ".join(
            "%s (%s)" % (option, ", ".join(name for name in KINDS if option in KIND_FILTERS.get(name, ())))
            for option in wrong)))


def query(kind, filters):
    """The list request's filters, in the API's names."""
    wire = {}
    if filters.get("labels"):
        wire["labelSelector"] = ["%s=%s" % (key, value) for key, value in sorted(filters["labels"].items())]
    if filters.get("name"):
        wire["name" if kind in ("Package", "Deployment") else "names"] = filters["name"]
    if kind == "Deployment":
        wire["phases"] = list(filters.get("phases") or DEFAULT_DEPLOYMENT_PHASES)
        for option, key in (("device_name", "deviceName"), ("package_name", "packageName"),
                            ("package_version", "packageVersion")):
            if filters.get(option):
                wire[key] = filters[option]
    elif kind == "Network":
        if filters.get("phases"):
            wire["phases"] = list(filters["phases"])
        if filters.get("device_name"):
            wire["deviceName"] = filters["device_name"]
    return wire


def resource_infos(api, kind, filters):
    """The objects of ``kind`` matching ``filters`` (the module's option names), as the API gives them."""
    check_filters(kind, filters)
    if filters.get("name") and (kind not in ("Package", "Deployment") or (kind == "Package" and filters.get("version"))):
        found = [obj for obj in [api.find(kind, filters["name"], version=filters.get("version"))] if obj is not None]
    else:
        found = api.list_objects(kind, **query(kind, filters))
    local = dict(filters)
    if kind == "Deployment" and not local.get("phases"):
        local["phases"] = DEFAULT_DEPLOYMENT_PHASES
    return [obj for obj in found if _matches(obj, local)]


def run_resource_info(rio):
    """Module glue: list and exit, or fail naming the cause (rio: a RioModule)."""
    params = rio.params
    filters = dict((key, params.get(key)) for key in ("name", "labels") + FILTER_OPTIONS)
    resources = rio.run("Failed to list %s objects" % params["kind"], resource_infos, rio.v2_api, params["kind"], filters)
    rio.exit(changed=False, resources=resources)
