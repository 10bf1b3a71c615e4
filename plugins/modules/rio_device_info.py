#!/usr/bin/python
# Copyright: (c) 2026, rapyuta.rio contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

DOCUMENTATION = r'''
---
module: rio_device_info
short_description: List rapyuta.io devices with their status, labels and configuration variables
version_added: 1.0.0
description:
  - Lists the devices of the project, optionally filtered by name, uuid, status and labels.
  - Labels and configuration variables are returned as dictionaries; the runtime and ROS distribution are
    read from the configuration variables.
author: "rapyuta.rio contributors (@rapyuta-rio)"
options:
  name:
    description:
      - Only the device with this exact name.
    type: str
  uuid:
    description:
      - Only the device with this uuid.
    type: str
  status:
    description:
      - Only devices in one of these statuses.
    type: list
    elements: str
    choices: [ONLINE, OFFLINE, REJECTED, ACCEPTED, REGISTERED, INITIALIZING, FAILED, NEW, DELETED]
  online_only:
    description:
      - Only devices whose status is V(ONLINE) (the platform SDK's C(online_device) filter).
    type: bool
    default: false
  labels:
    description:
      - Only devices carrying all these labels with these values.
    type: dict
  details:
    description:
      - Read every listed device in full (one request per device) to add C(ip_interfaces), C(host) and C(os).
    type: bool
    default: false
  architecture:
    description:
      - Add each online device's CPU architecture, learnt from the platform's device selection queries (one
        request per architecture, three in all). Devices the queries do not match (offline ones, for
        instance) get the architecture from a configuration variable (C(architecture), C(arch) or
        C(cpuarch)) when there is one, else null.
      - The selection queries only read, but are sent as C(POST) (also in check mode).
    type: bool
    default: false
extends_documentation_fragment:
  - rapyuta.rio.rio_auth
  - rapyuta.rio.attributes
  - rapyuta.rio.attributes.read_only
notes:
  - One request lists the devices; configuration variables are read per kept device only when the list
    lacks them.
  - The same with O(api_version=v1) and O(api_version=v2) - devices are still served by the core API's device
    manager on today's platform - so a play on v2 needs no exception for this module.
seealso:
  - module: rapyuta.rio.rio_deployment
  - plugin: rapyuta.rio.rio_devices
    plugin_type: inventory
'''

EXAMPLES = r'''
- name: All devices
  rapyuta.rio.rio_device_info:
  register: all_devices

- name: Online devices of site alpha, with their network interfaces
  rapyuta.rio.rio_device_info:
    online_only: true
    labels:
      site: alpha
    details: true
  register: alpha

- name: Names of the docker-capable devices
  ansible.builtin.debug:
    msg: "{{ alpha.devices | selectattr('runtimes', 'contains', 'dockercompose') | map(attribute='name') | list }}"

- name: One device by name
  rapyuta.rio.rio_device_info:
    name: robot-1

- name: The same in a play on the v2 API (devices still come from the device manager)
  rapyuta.rio.rio_device_info:
    api_version: v2
    name: robot-1
'''

RETURN = r'''
devices:
  description: The matching devices, sorted by name; C([]) when none matches.
  returned: always
  type: list
  elements: dict
  contains:
    uuid:
      description: The device uuid.
      type: str
      sample: 11111111-1111-4111-8111-111111111101
    name:
      description: The device name.
      type: str
      sample: robot-1
    status:
      description: The device status, for example V(ONLINE) or V(OFFLINE).
      type: str
      sample: ONLINE
    description:
      description: The device description.
      type: str
      sample: ""
    labels:
      description: Labels as a dictionary.
      type: dict
      sample: {"site": "alpha"}
    config_variables:
      description: Configuration variables as a dictionary.
      type: dict
      sample: {"runtime_docker": "True", "ros_distro": "melodic"}
    runtime:
      description: The first runtime of RV(devices[].runtimes), or null.
      type: str
      sample: dockercompose
    runtimes:
      description: The runtimes the device offers (V(dockercompose), V(preinstalled)).
      type: list
      elements: str
      sample: [dockercompose]
    ros_distro:
      description: The ROS distribution from the configuration variables, or null.
      type: str
      sample: melodic
    architecture:
      description: V(amd64), V(arm64v8) or V(arm32v7) when known (see O(architecture)), else null.
      type: str
      sample: amd64
    python_version:
      description: The device's Python version (C(device_version)).
      type: str
      sample: "3"
    last_online:
      description: When the device was last online.
      type: str
    registration_time:
      description: When the device was registered.
      type: str
    created_by:
      description: The user guid that registered the device.
      type: str
    error_code:
      description: The device error code (C(DEV_E*)), or null.
      type: str
    error_message:
      description: The device error message, or null.
      type: str
    host:
      description: The device host name.
      returned: when O(details=true)
      type: str
    ip_interfaces:
      description: Network interfaces and their addresses.
      returned: when O(details=true)
      type: dict
      sample: {"eth0": ["10.0.0.11"]}
    os:
      description: The operating system description.
      returned: when O(details=true)
      type: str
'''

from ansible_collections.rapyuta.rio.plugins.module_utils.devices.device import STATUSES, collect_devices
from ansible_collections.rapyuta.rio.plugins.module_utils.module.rio_module import RioModule


def main(direct=None):
    rio = RioModule(
        dict(
            name=dict(type="str"),
            uuid=dict(type="str"),
            status=dict(type="list", elements="str", choices=list(STATUSES)),
            online_only=dict(type="bool", default=False),
            labels=dict(type="dict"),
            details=dict(type="bool", default=False),
            architecture=dict(type="bool", default=False),
        ),
        direct=direct,
        api_versions=("v1", "v2"),  # devices are the v1 device manager's on both generations
    )
    params = rio.params
    filters = dict(name=params["name"], uuid=params["uuid"], statuses=params["status"],
                   online_only=params["online_only"], labels=params["labels"])
    devices = rio.run("Failed to list devices", collect_devices, rio.api, filters, details=params["details"],
                      architecture=params["architecture"], warn=rio.warn)
    rio.exit(changed=False, devices=devices)


if __name__ == "__main__":
    main()
