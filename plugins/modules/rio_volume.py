#!/usr/bin/python
# Copyright: (c) 2026, rapyuta.rio contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

DOCUMENTATION = r'''
---
module: rio_volume
short_description: Create and delete rapyuta.io persistent volumes (cloud disks)
version_added: 1.0.0
description:
  - Ensures that a persistent volume (a cloud disk), identified by its O(name) within the project, exists with
    the declared capacity and disk type (O(state=present)) or is deleted (O(state=absent)).
  - Volumes cannot be resized. A live volume whose capacity or disk type differs is handled per O(on_change).
  - A volume used by a deployment is never deleted; the task fails naming the deployment.
  - With O(api_version=v2) the volume is a v2 C(Disk) document with C(spec.runtime=cloud) and
    C(spec.capacity) (C(docs/reference/v2-api.md#disks) in the collection), applied as
    M(rapyuta.rio.rio_resource) applies it, with the same promises (compared, created, handled per
    O(on_change), waited for, deleted only when no live deployment mounts it). The result carries the v2
    object as RV(resource).
author: "rapyuta.rio contributors (@rapyuta-rio)"
options:
  name:
    description:
      - The volume name, unique within the project.
    type: str
    required: true
  state:
    description:
      - V(present) creates the volume unless one with this name exists.
      - V(absent) deletes the volume with this name; already absent is not an error.
    type: str
    choices: [present, absent]
    default: present
  capacity:
    description:
      - The size in GiB. Required with O(state=present).
      - On v2 the disk's C(spec.capacity).
    type: int
    choices: [4, 8, 16, 32, 64, 128, 256, 512]
  disk_type:
    description:
      - The disk type; the platform offers only V(ssd).
      - v2 disks have no type (no counterpart in the v2 API); the only value, V(ssd), is accepted there and
        neither sent nor compared.
    type: str
    choices: [ssd]
    default: ssd
  on_change:
    description:
      - What to do when the volume exists with another capacity or disk type.
      - V(fail) fails and lists the differing fields; nothing is changed.
      - V(recreate) deletes it (B(its data is lost)), waits until it is gone and creates the declared one.
        A volume in use is not recreated.
      - The same on v2, where disks cannot be resized either.
    type: str
    choices: [fail, recreate]
    default: fail
extends_documentation_fragment:
  - rapyuta.rio.rio_auth
  - rapyuta.rio.rio_wait
  - rapyuta.rio.attributes
attributes:
  diff_mode:
    support: full
    details: Before and after are the capacity and the disk type (on v2 the Disk document's C(spec)).
notes:
  - The volume is ready when the disk status is V(Available) or V(Bound) (V(Released) is accepted, as the
    platform SDK does); V(Failed) fails the task. The same statuses on v2 (C(status.status)).
  - Deleting reads the disk first to find out whether a deployment uses it.
  - Whether the platform lets a second deployment mount a volume that is already V(Bound) to another one
    is not known (the API reference does not say). M(rapyuta.rio.rio_deployment) does not refuse it,
    since refusing could block a setup the platform accepts. What the platform answers is reported as it gives it.
seealso:
  - module: rapyuta.rio.rio_deployment
'''

EXAMPLES = r'''
- name: A 32 GiB volume for a database
  rapyuta.rio.rio_volume:
    name: db-data
    capacity: 32

- name: Create it without waiting for it to be available
  rapyuta.rio.rio_volume:
    name: scratch
    capacity: 4
    wait: false

- name: Delete a volume (fails if a deployment still uses it)
  rapyuta.rio.rio_volume:
    name: scratch
    state: absent

- name: The same 32 GiB volume on today's platform (a v2 Disk)
  rapyuta.rio.rio_volume:
    name: db-data
    capacity: 32
    api_version: v2
'''

RETURN = r'''
volume:
  description:
    - The volume (after creation, or as found). With O(state=absent), the deleted volume, or C({}) when it was absent.
    - In check mode a creation returns the declared settings, with C(guid) and C(status) null.
    - On v2 the same keys, from the v2 object (RV(resource)); C(disk_type) and C(internal_deployment_id) are
      null there, C(used_by) and C(used_by_deployment_name) come from C(status.diskBound).
  returned: always
  type: dict
  contains:
    name:
      description: The volume name.
      type: str
      sample: db-data
    guid:
      description: The disk guid.
      type: str
      sample: disk-abcdefghijklmnopqrstuvwx
    capacity:
      description: Size in GiB.
      type: int
      sample: 32
    disk_type:
      description: The disk type.
      type: str
      sample: ssd
    runtime:
      description: Always V(cloud).
      type: str
      sample: cloud
    status:
      description: The disk status (V(Available), V(Bound), V(Released), V(Failed), or a pending state).
      type: str
      sample: Available
    errors:
      description: Error codes reported for the disk.
      type: list
      elements: str
      sample: []
    internal_deployment_id:
      description: The id of the deployment that provides the disk.
      type: str
      sample: dep-abcdefghijklmnopqrstuvwx
    used_by:
      description: The id of the deployment that mounts the volume, or null.
      type: str
      sample: null
    used_by_deployment_name:
      description: The name of that deployment, or null.
      type: str
      sample: null
resource:
  description:
    - The v2 C(Disk) object as the API returned it (after creation and waiting, or as found); for a deletion
      the deleted object; in check mode the document for what would be created; C({}) when absent.
  returned: with O(api_version=v2)
  type: dict
  sample: {"apiVersion": "api.rapyuta.io/v2", "kind": "Disk", "metadata": {"name": "db-data",
           "guid": "disk-abcdefghijklmnopqrstuvwx"}, "spec": {"runtime": "cloud", "capacity": 32},
           "status": {"status": "Available", "capacityUsed": 0.0, "capacityAvailable": 32.0}}
msg:
  description: What was done.
  returned: always
  type: str
  sample: volume 'db-data' created
action:
  description: V(create), V(recreate), V(delete) or V(none).
  returned: always
  type: str
  sample: create
'''

from ansible_collections.rapyuta.rio.plugins.module_utils.module.arguments import wait_argument_spec
from ansible_collections.rapyuta.rio.plugins.module_utils.module.rio_module import RioModule
from ansible_collections.rapyuta.rio.plugins.module_utils.resources.ensure import run_ensure
from ansible_collections.rapyuta.rio.plugins.module_utils.resources.v2 import V2Volume, run_v2
from ansible_collections.rapyuta.rio.plugins.module_utils.resources.volume import CAPACITIES, DISK_TYPES, VolumeKind


def main(direct=None):
    spec = dict(
        name=dict(type="str", required=True),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        capacity=dict(type="int", choices=list(CAPACITIES)),
        disk_type=dict(type="str", choices=list(DISK_TYPES), default="ssd"),
        on_change=dict(type="str", choices=["fail", "recreate"], default="fail"),
    )
    spec.update(wait_argument_spec())
    rio = RioModule(spec, required_if=[("state", "present", ("capacity",))], direct=direct, api_versions=("v1", "v2"))
    if rio.api_version == "v2":
        run_v2(rio, V2Volume())
    else:
        run_ensure(rio, VolumeKind())


if __name__ == "__main__":
    main()
