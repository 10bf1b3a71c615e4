# Copyright: (c) 2026, rapyuta.rio contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""Persistent volumes (disks) for rio_volume (docs/reference/v1-api.md#volumes). FOR INTERNAL COLLECTION USE ONLY: may change in any release.

A disk is created by name with a capacity and a disk type, read, and deleted; it cannot be resized.
It is ready when its status is Available or Bound (Released is accepted too, as the SDK's poller
does). A disk used by a deployment is not deleted: the task fails naming the deployment.
"""

from ansible_collections.rapyuta.rio.plugins.module_utils.resources.ensure import ResourceInUse, ResourceKind
from ansible_collections.rapyuta.rio.plugins.module_utils.v1.wait import as_code_list, explain_errors

CAPACITIES = (4, 8, 16, 32, 64, 128, 256, 512)
DISK_TYPES = ("ssd",)
READY_STATUSES = frozenset(["Available", "Bound", "Released"])
FAILED_STATUSES = frozenset(["Failed"])


def _int_or_same(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return value


def users_of(disk):
    """Who uses a disk, for messages: 'deployment NAME (dep-...)' or None."""
    used_by = disk.get("usedBy")
    name = disk.get("usedByDeploymentName")
    if not used_by and not name:
        return None
    if used_by and name:
        return "deployment %r (%s)" % (name, used_by)
    return "deployment %r" % (name or used_by)


class VolumeKind(ResourceKind):
    label = "volume"
    result_key = "volume"
    can_wait = True

    def find(self, api, name):
        return api.find_disk(name)

    def refresh(self, api, live):
        return api.get_disk(live["guid"])

    def normalize(self, live):
        return {"capacity": _int_or_same(live.get("capacity")), "disk_type": live.get("diskType")}

    def desired(self, api, params):
        return {"capacity": params.get("capacity"), "disk_type": params.get("disk_type") or "ssd"}

    def check_delete(self, api, live):
        disk = api.get_disk(live["guid"]) or live
        user = users_of(disk)
        if user:
            raise ResourceInUse("volume %r (%s) is in use by %s; deprovision that deployment first"
                                % (live.get("name"), live.get("guid"), user))

    def create(self, api, params, desired):
        return api.create_disk(params["name"], desired["capacity"], desired["disk_type"])

    def delete(self, api, live):
        api.delete_disk(live["guid"])

    def ready_state(self, obj):
        status = obj.get("status")
        if status in READY_STATUSES:
            return "ready"
        if status in FAILED_STATUSES:
            return "failed"
        return "pending"

    def explain(self, obj):
        text = "status %r" % obj.get("status")
        causes = explain_errors(obj.get("errors"))
        if causes:
            text += ", errors: " + "; ".join(causes)
        return text

    def result(self, obj):
        return {
            "name": obj.get("name"),
            "guid": obj.get("guid"),
            "capacity": _int_or_same(obj.get("capacity")),
            "disk_type": obj.get("diskType"),
            "runtime": obj.get("runtime"),
            "status": obj.get("status"),
            "errors": as_code_list(obj.get("errors")),
            "internal_deployment_id": obj.get("internalDeploymentGUID"),
            "used_by": obj.get("usedBy") or None,
            "used_by_deployment_name": obj.get("usedByDeploymentName") or None,
        }

    def predicted(self, name, desired):
        return {"name": name, "guid": None, "capacity": desired["capacity"], "disk_type": desired["disk_type"],
                "runtime": "cloud", "status": None, "errors": [], "internal_deployment_id": None,
                "used_by": None, "used_by_deployment_name": None}
