#!/usr/bin/python
# Copyright: (c) 2026, rapyuta.rio contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

DOCUMENTATION = r'''
---
module: rio_routed_network
short_description: Create and delete rapyuta.io routed networks
version_added: 1.0.0
description:
  - Ensures that a routed network exists with the declared settings (O(state=present)) or is deleted
    (O(state=absent)); the network is identified by its O(name) within the project.
  - Deployments join it through the C(routed_networks) option of M(rapyuta.rio.rio_deployment). A routed
    network may be shared with the deployments of other projects (O(shared)).
author: "rapyuta.rio contributors (@rapyuta-rio)"
options:
  shared:
    description:
      - Whether deployments of other projects may join the network.
    type: bool
    default: false
  limits:
    description:
      - CPU and memory limits of a cloud network; refused with O(runtime=device).
      - When omitted, the limits of an existing network are not compared.
  restart_policy:
    description:
      - Restart policy of a device network. A new one gets V(always) when it is omitted; the policy of an
        existing network is then not compared.
extends_documentation_fragment:
  - rapyuta.rio.rio_network
  - rapyuta.rio.rio_auth
  - rapyuta.rio.rio_wait
  - rapyuta.rio.attributes
seealso:
  - module: rapyuta.rio.rio_native_network
'''

EXAMPLES = r'''
- name: A cloud routed network with limits
  rapyuta.rio.rio_routed_network:
    name: fleet-net
    ros_distro: melodic
    limits:
      cpu: 1
      memory: 4096

- name: A routed network on a robot, bound to eth0
  rapyuta.rio.rio_routed_network:
    name: robot-1-net
    device: robot-1
    network_interface: eth0
    restart_policy: on_failure

- name: Replace a network whose settings changed
  rapyuta.rio.rio_routed_network:
    name: fleet-net
    ros_distro: noetic
    on_change: recreate
    wait_timeout: 600

- name: Delete it
  rapyuta.rio.rio_routed_network:
    name: fleet-net
    state: absent
'''

RETURN = r'''
action:
  description: V(create), V(recreate), V(delete) or V(none).
  returned: always
  type: str
  sample: create
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
      sample: fleet-net
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
      sample: melodic
    shared:
      description: Whether the network is shared.
      type: bool
      sample: false
    limits:
      description: CPU and memory limits, or null.
      type: dict
      sample: {"cpu": 1.0, "memory": 4096}
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
  description: What was done, for example C(routed network 'fleet-net' created).
  returned: always
  type: str
  sample: routed network 'fleet-net' is already present as declared
'''

from ansible_collections.rapyuta.rio.plugins.module_utils.module.rio_module import RioModule
from ansible_collections.rapyuta.rio.plugins.module_utils.resources.network import RoutedNetworkKind, network_argument_spec, network_constraints
from ansible_collections.rapyuta.rio.plugins.module_utils.resources.ensure import run_ensure


def main(direct=None):
    rio = RioModule(network_argument_spec(routed=True), direct=direct, **network_constraints())
    run_ensure(rio, RoutedNetworkKind())


if __name__ == "__main__":
    main()
