#!/usr/bin/python
# Copyright: (c) 2026, rapyuta.rio contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

DOCUMENTATION = r'''
---
module: rio_native_network
short_description: Create and delete rapyuta.io native networks
version_added: 1.0.0
description:
  - Ensures that a native network, identified by its O(name) within the project, exists with the declared
    settings (O(state=present)) or is deleted (O(state=absent)).
  - A native network runs either in the cloud (O(runtime=cloud)) or on a device (O(runtime=device), with
    O(device) and O(network_interface)). Device native networks do not support ROS V(noetic).
  - Native networks cannot be updated on the platform. A live network whose settings differ from the task is
    handled per O(on_change), and the differing fields are listed.
  - Deleted networks stay listed by the platform with phase V(Deployment stopped); they are ignored, so a
    deleted name can be used again.
author: "rapyuta.rio contributors (@rapyuta-rio)"
options:
  name:
    description:
      - The network name, unique among the live native networks of the project.
    type: str
    required: true
  state:
    description:
      - V(present) creates the network unless a live one with this name and the declared settings exists.
      - V(absent) deletes the live network with this name; already absent is not an error.
    type: str
    choices: [present, absent]
    default: present
  runtime:
    description:
      - Where the network runs. Defaults to V(device) when O(device) is set, else V(cloud).
    type: str
    choices: [cloud, device]
  ros_distro:
    description:
      - The ROS distribution of the network. V(noetic) is refused for device networks.
    type: str
    choices: [kinetic, melodic, noetic]
    default: melodic
  limits:
    description:
      - Resource limits of the network.
      - When omitted, the limits of an existing network are not compared.
    type: dict
    suboptions:
      cpu:
        description: CPU cores (a positive number, for example V(0.5)).
        type: float
        required: true
      memory:
        description: Memory in MiB (a positive integer).
        type: int
        required: true
  device:
    description:
      - The device (name or uuid) that runs a device network.
    type: str
  network_interface:
    description:
      - The device network interface the network binds to, for example V(eth0). Required with O(device).
      - Must be one of the interfaces the device reports; checked before the network is created.
    type: str
  restart_policy:
    description:
      - Restart policy of a device network. When omitted, none is sent and the policy of an existing network
        is not compared.
    type: str
    choices: [always, never, on_failure]
  on_change:
    description:
      - What to do when a live network with this name has other settings than the task declares.
      - V(fail) fails and lists the differing fields; nothing is changed.
      - V(recreate) deletes it, waits until it is gone and creates the declared one. Deployments using the
        network lose it.
    type: str
    choices: [fail, recreate]
    default: fail
extends_documentation_fragment:
  - rapyuta.rio.rio_auth
  - rapyuta.rio.rio_wait
  - ansible.builtin.action_common_attributes
  - ansible.builtin.action_common_attributes.actiongroups
  - rapyuta.rio.direct_execution
attributes:
  check_mode:
    support: full
    details: Reads only and reports the C(changed) and diff a real run would; never waits.
  diff_mode:
    support: full
    details: Before and after are the comparable settings (runtime, ROS distro, limits, device, interface, restart policy).
  action_group:
    support: full
    membership: [rapyuta.rio.rio]
  platform:
    platforms: all
requirements:
  - requests
notes:
  - The network is ready when its internal deployment reaches phase V(Succeeded) with status V(Running);
    phase V(Failed to start) or a permanent error code (for example C(DEP_E209), the native network is not
    running) fails the task with the decoded causes.
  - A converged run only reads (the network list, plus one read of the network when O(wait=true)).
seealso:
  - module: rapyuta.rio.rio_routed_network
  - module: rapyuta.rio.rio_deployment
  - module: rapyuta.rio.rio_device_info
'''

EXAMPLES = r'''
- name: A cloud native network
  rapyuta.rio.rio_native_network:
    name: sim-net
    ros_distro: noetic
    limits:
      cpu: 0.5
      memory: 2048

- name: A native network on a robot, bound to eth0
  rapyuta.rio.rio_native_network:
    name: robot-1-native
    device: robot-1
    network_interface: eth0
    ros_distro: melodic

- name: Create it without waiting for it to run
  rapyuta.rio.rio_native_network:
    name: sim-net-2
    wait: false

- name: Delete it
  rapyuta.rio.rio_native_network:
    name: sim-net
    state: absent
'''

RETURN = r'''
network:
  description:
    - The network (after creation, or as found). With O(state=absent), the deleted network, or C({}) when it was absent.
    - In check mode a creation returns the declared settings, with C(guid) and the status fields null.
  returned: always
  type: dict
  contains:
    name:
      description: The network name.
      type: str
      sample: sim-net
    guid:
      description: The network guid.
      type: str
      sample: net-abcdefghijklmnopqrstuvwx
    runtime:
      description: V(cloud) or V(device).
      type: str
      sample: cloud
    ros_distro:
      description: The ROS distribution.
      type: str
      sample: noetic
    limits:
      description: CPU and memory limits, or null.
      type: dict
      sample: {"cpu": 0.5, "memory": 2048}
    device_id:
      description: The uuid of the device of a device network, else null.
      type: str
      sample: 11111111-1111-4111-8111-111111111101
    network_interface:
      description: The device interface of a device network, else null.
      type: str
      sample: eth0
    restart_policy:
      description: The restart policy of a device network (V(always), V(never), V(on_failure)), else null.
      type: str
      sample: always
    internal_deployment_id:
      description: The id of the deployment that runs the network.
      type: str
      sample: dep-abcdefghijklmnopqrstuvwx
    phase:
      description: Phase of that deployment.
      type: str
      sample: Succeeded
    status:
      description: Status of that deployment (only on a full read, so null after a run with O(wait=false) that found the network).
      type: str
      sample: Running
    error_codes:
      description: Error codes of that deployment.
      type: list
      elements: str
      sample: []
msg:
  description: What was done, for example C(native network 'sim-net' created).
  returned: always
  type: str
  sample: native network 'sim-net' is already present as declared
action:
  description: V(create), V(recreate), V(delete) or V(none).
  returned: always
  type: str
  sample: create
'''

from ansible_collections.rapyuta.rio.plugins.module_utils.module.arguments import wait_argument_spec
from ansible_collections.rapyuta.rio.plugins.module_utils.module.rio_module import RioModule
from ansible_collections.rapyuta.rio.plugins.module_utils.resources.network import NativeNetworkKind, network_argument_spec
from ansible_collections.rapyuta.rio.plugins.module_utils.resources.ensure import run_ensure


def main(direct=None):
    """Run the module (``direct``: see RioModule)."""
    spec = network_argument_spec(routed=False)
    spec.update(wait_argument_spec())
    rio = RioModule(spec, required_by={"network_interface": "device"}, direct=direct)
    run_ensure(rio, NativeNetworkKind())


if __name__ == "__main__":
    main()
