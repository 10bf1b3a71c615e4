#!/usr/bin/python
# Copyright: (c) 2026, rapyuta.rio contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

DOCUMENTATION = r'''
---
module: rio_deployment_info
short_description: List rapyuta.io deployments
version_added: 1.0.0
description:
  - Lists the deployments of the project, filtered by name, package, device, phases and labels.
  - Package, device and phase filters are applied by the API in one list request; name and labels
    are matched by the module. With O(details=true) each matching deployment is read in full.
  - A filter naming a package or device that does not exist matches nothing; that is not an error.
  - Volume deployments (package C(io-public-persistent-volume)) are left out unless asked for by
    O(package_id).
author: "rapyuta.rio contributors (@rapyuta-rio)"
options:
  name:
    description: Only deployments with exactly this name.
    type: str
  package_id:
    description: Only deployments of this package id. Mutually exclusive with O(package_name).
    type: str
  package_name:
    description: Only deployments of packages with exactly this name (and O(package_version), if set).
    type: str
  package_version:
    description: With O(package_name), only this version of the package.
    type: str
  device:
    description: Only deployments with a component on this device (name or uuid).
    type: str
  phases:
    description:
      - Only deployments in these phases.
      - Defaults to the live phases, that is every phase except V(Deployment stopped) and
        V(Partially deprovisioned).
    type: list
    elements: str
    choices: ["In progress", "Provisioning", "Succeeded", "Failed to start", "Partially deprovisioned", "Deployment stopped"]
  labels:
    description: Only deployments carrying all these labels (key and value).
    type: dict
  details:
    description:
      - Read each matching deployment in full, which adds RV(deployments[].status) and
        RV(deployments[].components). Costs one request per deployment.
    type: bool
    default: false
extends_documentation_fragment:
  - rapyuta.rio.rio_auth
  - rapyuta.rio.attributes
  - rapyuta.rio.attributes.read_only
seealso:
  - module: rapyuta.rio.rio_deployment
'''

EXAMPLES = r'''
- name: List the running deployments of a robot
  rapyuta.rio.rio_deployment_info:
    device: robot-1
    phases: [Succeeded]
  register: robot_deployments

- name: Read one deployment in full
  rapyuta.rio.rio_deployment_info:
    name: talker-robot-1
    details: true
  register: talker

- name: Find the deployments of a package version that carry a label
  rapyuta.rio.rio_deployment_info:
    package_name: talker-docker
    package_version: v1.0.0
    labels:
      site: alpha
'''

RETURN = r'''
deployments:
  description:
    - The matching deployments, sorted by name; empty when none matches.
    - Each has the keys and meaning of RV(rapyuta.rio.rio_deployment#module:deployment) except C(config).
  returned: always
  type: list
  elements: dict
  sample: [{"deployment_id": "dep-abcdefghijklmnopqrstuvwx", "name": "talker-robot-1", "package_id": "pkg-abcdefghijklmnopqrstuvwx",
            "package_name": "talker-docker", "plan_id": "plan-abcdefghijklmnopqrstuvwx", "phase": "Succeeded", "status": null,
            "errors": [], "error_explanations": [], "labels": {"site": "alpha"}, "depends_on": [], "components": []}]
  contains:
    status:
      description: The deployment status; null unless O(details=true) (the list API does not return it).
      type: str
    components:
      description: One entry per component; empty unless O(details=true).
      type: list
      elements: dict
'''

from ansible_collections.rapyuta.rio.plugins.module_utils.v1.constants import (
    LIVE_PHASES,
    PHASE_PARTIALLY_DEPROVISIONED,
    PHASE_STOPPED,
)
from ansible_collections.rapyuta.rio.plugins.module_utils.deployments.info import deployment_infos
from ansible_collections.rapyuta.rio.plugins.module_utils.module.rio_module import RioModule

FILTERS = ("name", "package_id", "package_name", "package_version", "device", "phases", "labels", "details")


def main(direct=None):
    rio = RioModule(
        dict(
            name=dict(type="str"),
            package_id=dict(type="str"),
            package_name=dict(type="str"),
            package_version=dict(type="str"),
            device=dict(type="str"),
            # In the documented order: the live phases, then the stopped ones.
            phases=dict(type="list", elements="str",
                        choices=list(LIVE_PHASES) + [PHASE_PARTIALLY_DEPROVISIONED, PHASE_STOPPED]),
            labels=dict(type="dict"),
            details=dict(type="bool", default=False),
        ),
        mutually_exclusive=[("package_id", "package_name")],
        required_by={"package_version": "package_name"},
        direct=direct,
    )
    deployments = rio.run("Failed to list deployments", deployment_infos, rio.api,
                          dict((key, rio.params[key]) for key in FILTERS))
    rio.exit(changed=False, deployments=deployments)


if __name__ == "__main__":
    main()
