#!/usr/bin/python
# Copyright: (c) 2026, rapyuta.rio contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

DOCUMENTATION = r'''
---
module: rio_resource_info
short_description: List or read rapyuta.io v2 objects (packages, deployments, networks, disks, static routes, secrets)
version_added: 1.0.0
description:
  - Lists the objects of one kind in the project, or reads one by name, through the v2 API, in the spirit of
    C(kubernetes.core.k8s_info).
  - The filters O(labels), O(phases), O(device_name), O(package_name) and O(package_version) are sent to the
    API where it has them and checked again here, so the result holds only what matches.
  - Nothing matching is not an error; RV(resources) is then empty.
  - Always speaks the v2 API; O(api_version=v1) is refused.
author: "rapyuta.rio contributors (@rapyuta-rio)"
options:
  kind:
    description:
      - The kind of object.
    type: str
    required: true
    choices: [Package, Deployment, Network, Disk, StaticRoute, Secret, ConfigTree]
  name:
    description:
      - Only the object of this name. For a package, every version of it unless O(version) is set; for a
        deployment, its incarnations in O(phases).
    type: str
  version:
    description:
      - With O(kind=Package), only this version.
    type: str
  labels:
    description:
      - Only objects carrying every one of these labels with these values.
    type: dict
  phases:
    description:
      - For deployments and networks, only those in these phases.
      - By default deployments are listed in every phase except V(Stopped) (what C(rio deployment list) shows);
        add V(Stopped) to see deleted incarnations too.
    type: list
    elements: str
    choices: [InProgress, Provisioning, Succeeded, FailedToStart, FailedToUpdate, Stopped]
  device_name:
    description:
      - For deployments and device networks, only those on the device of this name.
    type: str
  package_name:
    description:
      - For deployments, only those of the package of this name.
    type: str
  package_version:
    description:
      - For deployments, only those of this package version.
    type: str
extends_documentation_fragment:
  - rapyuta.rio.rio_auth.v2_only
  - rapyuta.rio.rio_auth
  - rapyuta.rio.attributes
  - rapyuta.rio.attributes.read_only
seealso:
  - module: rapyuta.rio.rio_resource
'''

EXAMPLES = r'''
- name: Every live deployment on robot-1
  rapyuta.rio.rio_resource_info:
    kind: Deployment
    device_name: robot-1
  register: on_robot

- name: The versions of a package
  rapyuta.rio.rio_resource_info:
    kind: Package
    name: talker
  register: talker_versions

- name: One disk, with its status
  rapyuta.rio.rio_resource_info:
    kind: Disk
    name: logs
  register: logs_disk

- name: Deployments of one team, failed or starting
  rapyuta.rio.rio_resource_info:
    kind: Deployment
    labels:
      team: navigation
    phases: [InProgress, Provisioning, FailedToStart]
'''

RETURN = r'''
resources:
  description:
    - The matching objects as the API returns them (C(apiVersion), C(kind), C(metadata), C(spec), C(status)),
      in the API's order; empty when none matches.
    - Secrets come without their values (the API never returns them; C(spec.secretKeys) names the keys).
  returned: always
  type: list
  elements: dict
  sample: [{"apiVersion": "api.rapyuta.io/v2", "kind": "Disk",
            "metadata": {"name": "logs", "guid": "disk-abcdefghijklmnopqrstuvwx", "labels": {}},
            "spec": {"runtime": "cloud", "capacity": 4}, "status": {"status": "Available"}}]
'''

from ansible_collections.rapyuta.rio.plugins.module_utils.module.rio_module import RioModule
from ansible_collections.rapyuta.rio.plugins.module_utils.v2.documents import KINDS
from ansible_collections.rapyuta.rio.plugins.module_utils.v2.info import run_resource_info
from ansible_collections.rapyuta.rio.plugins.module_utils.v2.readiness import PHASES


def main(direct=None):
    rio = RioModule(
        dict(
            kind=dict(type="str", required=True, choices=list(KINDS)),
            name=dict(type="str"),
            version=dict(type="str"),
            labels=dict(type="dict"),
            phases=dict(type="list", elements="str", choices=list(PHASES)),
            device_name=dict(type="str"),
            package_name=dict(type="str"),
            package_version=dict(type="str"),
        ),
        direct=direct,
        api_versions=("v2",),
    )
    run_resource_info(rio)


if __name__ == "__main__":
    main()
