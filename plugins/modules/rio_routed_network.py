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
  - With O(api_version=v2) the network is a v2 C(Network) document of C(spec.type) C(routed)
    (C(docs/reference/v2-api.md#networks) in the collection); O(shared) has no v2 counterpart.
author: "rapyuta.rio contributors (@rapyuta-rio)"
options:
  shared:
    description:
      - Whether deployments of other projects may join the network.
      - v1 only. v2 networks have no such setting, so O(shared=true) is refused on v2 before any request
        (remove it); V(false) is what every v2 network is.
    type: bool
    default: false
  limits:
    description:
      - CPU and memory limits of a cloud network; refused with O(runtime=device).
      - When omitted, the limits of an existing network are not compared.
      - On v2 they are the network's C(spec.resourceLimits); the platform takes CPU in steps of V(0.025) up to
        V(4) cores and memory in steps of V(128) MiB up to V(16384), and other values are refused before any request.
  restart_policy:
    description:
      - Restart policy of a device network. A new one gets V(always) when it is omitted; the policy of an
        existing network is then not compared.
      - The same on v2, where it is the network's C(spec.restartPolicy) (V(on_failure) is sent as C(onfailure)).
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

- name: The same cloud network on today's platform (a v2 Network document)
  rapyuta.rio.rio_routed_network:
    name: fleet-net
    ros_distro: noetic
    limits:
      cpu: 1
      memory: 4096
    api_version: v2

- name: A routed network on a robot, on v2
  rapyuta.rio.rio_routed_network:
    name: robot-1-net
    device: robot-1
    network_interface: eth0
    api_version: v2
  register: robot_net

- name: Its v2 object
  ansible.builtin.debug:
    msg: "{{ robot_net.resource.status.phase }}"
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
    - On v2 the same keys, taken from the v2 object (RV(resource)); C(shared) is always false and
      C(internal_deployment_id) null there (v2 networks have neither).
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
      description: Error codes of that deployment (on v2 the network's C(status.errorCodes)).
      type: list
      elements: str
      sample: []
resource:
  description:
    - The v2 C(Network) object as the API returned it (after creation and waiting, or as found); for a deletion
      the deleted object; in check mode the document for what would be created; C({}) when absent.
  returned: with O(api_version=v2)
  type: dict
  sample: {"apiVersion": "api.rapyuta.io/v2", "kind": "Network", "metadata": {"name": "fleet-net",
           "guid": "network-abcdefghijklmnopqrstuvwx"}, "spec": {"type": "routed", "rosDistro": "noetic",
           "runtime": "cloud", "resourceLimits": {"cpu": 1.0, "memory": 4096}},
           "status": {"phase": "Succeeded", "status": "Running", "errorCodes": []}}
msg:
  description: What was done, for example C(routed network 'fleet-net' created).
  returned: always
  type: str
  sample: routed network 'fleet-net' is already present as declared
'''

from ansible_collections.rapyuta.rio.plugins.module_utils.module.rio_module import RioModule
from ansible_collections.rapyuta.rio.plugins.module_utils.resources.network import RoutedNetworkKind, network_argument_spec, network_constraints
from ansible_collections.rapyuta.rio.plugins.module_utils.resources.ensure import run_ensure
from ansible_collections.rapyuta.rio.plugins.module_utils.resources.v2 import V2Network, run_v2


def main(direct=None):
    rio = RioModule(network_argument_spec(routed=True), direct=direct, api_versions=("v1", "v2"),
                    **network_constraints())
    if rio.api_version == "v2":
        run_v2(rio, V2Network(RoutedNetworkKind(), "routed"))
    else:
        run_ensure(rio, RoutedNetworkKind())


if __name__ == "__main__":
    main()
