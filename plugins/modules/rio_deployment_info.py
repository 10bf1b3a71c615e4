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
  - B(v2) (O(api_version=v2)) - the v2 deployments of the project, every page of the list, filtered
    by the API (C(name), C(packageName), C(packageVersion), C(deviceName), C(phases), C(labelSelector),
    C(regions)) and again by the module. RV(deployments) keeps the v1 keys that map, RV(resources) holds
    the v2 objects.
author: "rapyuta.rio contributors (@rapyuta-rio)"
options:
  name:
    description:
      - Only deployments with exactly this name.
      - On v2, the deleted incarnations of a name are listed too with O(phases=[Stopped]).
    type: str
  package_id:
    description:
      - Only deployments of this package id. Mutually exclusive with O(package_name).
      - v1 only, refused on v2 (give O(package_name)).
    type: str
  package_name:
    description: Only deployments of packages with exactly this name (and O(package_version), if set).
    type: str
  package_version:
    description: With O(package_name), only this version of the package.
    type: str
  device:
    description:
      - Only deployments with a component on this device (name or uuid).
      - On v2, the deployments whose C(spec.device) names this device by its name or its uuid (one read
        of the device list); an unknown device matches nothing.
    type: str
  phases:
    description:
      - Only deployments in these phases.
      - Defaults to the live phases, that is every phase except V(Deployment stopped) and
        V(Partially deprovisioned).
      - On v2, the v2 phases V(InProgress), V(Provisioning), V(Succeeded), V(FailedToStart),
        V(FailedToUpdate), V(Stopped); the v1 spellings are taken for their v2 counterparts, and
        V(Partially deprovisioned), which has none, is refused. The default is every phase but V(Stopped).
        The v2-only spellings are refused on v1.
    type: list
    elements: str
    choices: ["In progress", "Provisioning", "Succeeded", "Failed to start", "Partially deprovisioned", "Deployment stopped",
              "InProgress", "FailedToStart", "FailedToUpdate", "Stopped"]
  labels:
    description:
      - Only deployments carrying all these labels (key and value).
      - On v2, C(metadata.labels).
    type: dict
  region:
    description:
      - v2 only (refused on v1). Only deployments in this region (C(metadata.region), for example V(jp)).
    type: str
  details:
    description:
      - Read each matching deployment in full, which adds RV(deployments[].status) and
        RV(deployments[].components). Costs one request per deployment.
      - On v2 the list holds whole objects already; ignored.
    type: bool
    default: false
extends_documentation_fragment:
  - rapyuta.rio.rio_auth
  - rapyuta.rio.attributes
  - rapyuta.rio.attributes.read_only
seealso:
  - module: rapyuta.rio.rio_deployment
  - module: rapyuta.rio.rio_resource_info
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

- name: The v2 deployments of a robot that failed to start
  rapyuta.rio.rio_deployment_info:
    api_version: v2
    device: robot-1
    phases: [FailedToStart]
  register: failed_on_robot

- name: Say why
  ansible.builtin.debug:
    msg: "{{ failed_on_robot.deployments | map(attribute='error_explanations') | flatten }}"

- name: The v2 deployments of a package in a region
  rapyuta.rio.rio_deployment_info:
    api_version: v2
    package_name: talker
    package_version: v1.0.0
    region: jp
'''

RETURN = r'''
deployments:
  description:
    - The matching deployments, sorted by name; empty when none matches.
    - Each has the keys and meaning of RV(rapyuta.rio.rio_deployment#module:deployment) except C(config).
    - On v2, the keys that map (as RV(rapyuta.rio.rio_deployment#module:deployment) says for v2), in the
      order of RV(resources).
  returned: always
  type: list
  elements: dict
  sample: [{"deployment_id": "dep-abcdefghijklmnopqrstuvwx", "name": "talker-robot-1", "package_id": "pkg-abcdefghijklmnopqrstuvwx",
            "package_name": "talker-docker", "plan_id": "plan-abcdefghijklmnopqrstuvwx", "phase": "Succeeded", "status": null,
            "errors": [], "error_explanations": [], "labels": {"site": "alpha"}, "depends_on": [], "components": []}]
  contains:
    status:
      description: The deployment status; null unless O(details=true) (the list API does not return it). Always given on v2.
      type: str
    components:
      description: One entry per component; empty unless O(details=true). Always empty on v2.
      type: list
      elements: dict
resources:
  description:
    - v2 only. The matching v2 Deployment objects as the API returns them (C(metadata), C(spec), C(status)),
      sorted by name.
  returned: on v2
  type: list
  elements: dict
  sample: [{"kind": "Deployment", "apiVersion": "api.rapyuta.io/v2",
            "metadata": {"name": "talker-robot-1", "guid": "dep-abcdefghijklmnopqrstuvwx", "region": "jp",
                         "depends": {"kind": "package", "nameOrGUID": "talker", "version": "v1.0.0"}},
            "spec": {"runtime": "device", "device": {"depends": {"kind": "device", "nameOrGUID": "robot-1"}}},
            "status": {"phase": "Succeeded", "status": "Running"}}]
'''

from ansible_collections.rapyuta.rio.plugins.module_utils.v1.constants import (
    LIVE_PHASES,
    PHASE_PARTIALLY_DEPROVISIONED,
    PHASE_STOPPED,
)
from ansible_collections.rapyuta.rio.plugins.module_utils.deployments.info import deployment_infos
from ansible_collections.rapyuta.rio.plugins.module_utils.deployments.v2 import (
    V2_ONLY_PHASES,
    run_deployment_info_v2,
    v1_info_refusals,
)
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
            # In the documented order: the live phases, then the stopped ones, then v2's spellings.
            phases=dict(type="list", elements="str",
                        choices=list(LIVE_PHASES) + [PHASE_PARTIALLY_DEPROVISIONED, PHASE_STOPPED] + list(V2_ONLY_PHASES)),
            labels=dict(type="dict"),
            region=dict(type="str"),
            details=dict(type="bool", default=False),
        ),
        mutually_exclusive=[("package_id", "package_name")],
        required_by={"package_version": "package_name"},
        api_versions=("v1", "v2"),
        direct=direct,
    )
    if rio.api_version == "v2":
        run_deployment_info_v2(rio, dict((key, rio.params[key]) for key in FILTERS + ("region",)))
        return
    problems = v1_info_refusals(rio.params)
    if problems:
        rio.fail("; ".join(problems))
        return
    deployments = rio.run("Failed to list deployments", deployment_infos, rio.api,
                          dict((key, rio.params[key]) for key in FILTERS))
    rio.exit(changed=False, deployments=deployments)


if __name__ == "__main__":
    main()
