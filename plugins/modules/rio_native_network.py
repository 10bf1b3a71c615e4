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
  - Creates the native network named O(name) unless a live one with the declared settings exists, or deletes
    it with O(state=absent).
  - Deployments join it through the C(native_networks) option of M(rapyuta.rio.rio_deployment).
  - With O(api_version=v2) the network is a v2 C(Network) document of C(spec.type) C(native)
    (C(docs/reference/v2-api.md#networks) in the collection), with the same promises.
author: "rapyuta.rio contributors (@rapyuta-rio)"
options:
  ros_distro:
    description:
      - The ROS distribution of the network. Device native networks do not support V(noetic).
      - The same rule on v2, where it is the network's C(spec.rosDistro).
extends_documentation_fragment:
  - rapyuta.rio.rio_network
  - rapyuta.rio.rio_auth
  - rapyuta.rio.rio_wait
  - rapyuta.rio.attributes
notes:
  - C(DEP_E209) on the network's internal deployment means that the native network is not running.
seealso:
  - module: rapyuta.rio.rio_routed_network
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

- name: A cloud native network on today's platform (a v2 Network document)
  rapyuta.rio.rio_native_network:
    name: sim-net
    ros_distro: noetic
    limits:
      cpu: 0.5
      memory: 2048
    api_version: v2
'''

RETURN = r'''
action:
  description: What the task did, as RV(rapyuta.rio.rio_routed_network#module:action).
  returned: always
  type: str
  sample: create
msg:
  description: What was done, for example C(native network 'sim-net' created).
  returned: always
  type: str
  sample: native network 'sim-net' is already present as declared
network:
  description:
    - The network as found, created or deleted, with the keys and meaning of
      RV(rapyuta.rio.rio_routed_network#module:network) but C(shared) (on v2 as that module's, too).
  returned: always
  type: dict
  sample: {"name": "sim-net", "guid": "net-abcdefghijklmnopqrstuvwx", "runtime": "cloud", "ros_distro": "noetic",
           "limits": {"cpu": 0.5, "memory": 2048}, "device_id": null, "network_interface": null,
           "restart_policy": null, "internal_deployment_id": "dep-abcdefghijklmnopqrstuvwx",
           "phase": "Succeeded", "status": "Running", "error_codes": []}
resource:
  description: The v2 C(Network) object, as RV(rapyuta.rio.rio_routed_network#module:resource).
  returned: with O(api_version=v2)
  type: dict
  sample: {"apiVersion": "api.rapyuta.io/v2", "kind": "Network", "metadata": {"name": "sim-net"},
           "spec": {"type": "native", "rosDistro": "noetic", "runtime": "cloud"},
           "status": {"phase": "Succeeded", "status": "Running", "errorCodes": []}}
'''

from ansible_collections.rapyuta.rio.plugins.module_utils.module.rio_module import RioModule
from ansible_collections.rapyuta.rio.plugins.module_utils.resources.network import NativeNetworkKind, network_argument_spec, network_constraints
from ansible_collections.rapyuta.rio.plugins.module_utils.resources.ensure import run_ensure
from ansible_collections.rapyuta.rio.plugins.module_utils.resources.v2 import V2Network, run_v2


def main(direct=None):
    rio = RioModule(network_argument_spec(routed=False), direct=direct, api_versions=("v1", "v2"),
                    **network_constraints())
    if rio.api_version == "v2":
        run_v2(rio, V2Network(NativeNetworkKind(), "native"))
    else:
        run_ensure(rio, NativeNetworkKind())


if __name__ == "__main__":
    main()
