#!/usr/bin/python
# Copyright: (c) 2026, rapyuta.rio contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

DOCUMENTATION = r'''
---
module: rio_package_info
short_description: List rapyuta.io packages
version_added: 1.0.0
description:
  - Lists the packages of the project, optionally filtered by name, version and id, as the SDK's
    C(get_all_packages) does. The public persistent-volume package is not listed.
  - The list gives each package with its plan ids; O(details=true) reads each matching package in
    full, which adds the components, their ids, executables and parameters.
  - O(deployments=true) adds the deployments of each package, optionally only those in O(phases),
    as the SDK's C(package.deployments(phases)) does.
  - Nothing matching is not an error; RV(packages) is then empty.
  - On the v2 API (O(api_version=v2)), lists the v2 packages of the project, filtered by O(name),
    O(version) and O(labels), reading every page of the list; RV(resources) holds the v2 Package
    objects as the API gives them, and RV(packages) the same packages in the keys of the v1 result.
    O(package_id), O(details), O(deployments) and O(phases) are v1 only and refused on v2.
author: "rapyuta.rio contributors (@rapyuta-rio)"
options:
  name:
    description:
      - Only packages whose name contains this text (a substring match, as in the SDK).
      - On v2, only packages with exactly this name (the API's C(name) filter).
    type: str
  version:
    description:
      - Only packages with exactly this version (the same on v2).
    type: str
  package_id:
    description:
      - Only the package with this id (C(pkg-...)).
      - v1 only, refused on v2, where packages are addressed by O(name) and O(version).
    type: str
  details:
    description:
      - Read each matching package in full, which fills RV(packages[].plans[].components) and
        RV(packages[].status). Costs one request per package.
      - v1 only, refused on v2 when true (a v2 list holds every package in full).
    type: bool
    default: false
  deployments:
    description:
      - Add RV(packages[].deployments), the deployments of each package. Costs one request per package.
      - v1 only, refused on v2 when true; list v2 deployments with M(rapyuta.rio.rio_deployment_info).
    type: bool
    default: false
  phases:
    description:
      - With O(deployments=true), only the deployments in these phases. By default every deployment the
        API lists for the package, whatever its phase.
      - v1 only, refused on v2.
    type: list
    elements: str
    choices: ["In progress", "Provisioning", "Succeeded", "Failed to start", "Partially deprovisioned", "Deployment stopped"]
  labels:
    description:
      - v2 only (v1 packages have no labels; refused on v1). Only packages that carry every one of these
        labels with the value given (the API's C(labelSelector)).
    type: dict
extends_documentation_fragment:
  - rapyuta.rio.rio_auth
  - rapyuta.rio.attributes
  - rapyuta.rio.attributes.read_only
seealso:
  - module: rapyuta.rio.rio_package
  - module: rapyuta.rio.rio_deployment_info
'''

EXAMPLES = r'''
- name: List every package of the project
  rapyuta.rio.rio_package_info:
  register: all_packages

- name: Find the versions of the talker packages
  rapyuta.rio.rio_package_info:
    name: talker
  register: talkers

- name: Read one package version in full, with its component ids
  rapyuta.rio.rio_package_info:
    name: talker-docker
    version: v1.0.0
    details: true
  register: talker_docker

- name: Show the running deployments of a package
  rapyuta.rio.rio_package_info:
    package_id: pkg-abcdefghijklmnopqrstuvwx
    deployments: true
    phases: [Succeeded, Provisioning]
  register: in_use

- name: The v2 packages of an app, every version
  rapyuta.rio.rio_package_info:
    api_version: v2
    labels: {app: demo}
  register: demo_packages

- name: One v2 package version, in full
  rapyuta.rio.rio_package_info:
    api_version: v2
    name: talker
    version: v1.0.0
  register: talker_v2
'''

RETURN = r'''
packages:
  description:
    - The matching packages, sorted by name and version; empty when none matches.
    - Each has the keys and meaning of RV(rapyuta.rio.rio_package#module:package), plus RV(packages[].deployments).
    - On v2, C(package_id) is C(metadata.guid), C(status) is null and C(plans) empty; RV(resources) has the
      v2 objects.
  returned: always
  type: list
  elements: dict
  sample: [{"package_id": "pkg-abcdefghijklmnopqrstuvwx", "name": "talker", "version": "v1.0.0",
            "description": "talker amd64 package", "status": null,
            "plans": [{"plan_id": "plan-abcdefghijklmnopqrstuvwx", "name": "default", "components": []}],
            "deployments": [{"deployment_id": "dep-abcdefghijklmnopqrstuvwx", "name": "talker-robot-1", "phase": "Succeeded"}]}]
  contains:
    status:
      description: The package status (for example V(Complete)); null unless O(details=true).
      type: str
    plans:
      description: The plans of the package (C(plan_id), C(name) and C(components)).
      type: list
      elements: dict
      contains:
        components:
          description: The components of the plan; empty unless O(details=true).
          type: list
          elements: dict
    deployments:
      description:
        - The deployments of the package, in the form of RV(rapyuta.rio.rio_deployment_info#module:deployments)
          (without components and status, which only a full read gives).
      returned: when O(deployments=true)
      type: list
      elements: dict
resources:
  description:
    - On v2, the matching v2 Package objects as the API gives them, in the order of RV(packages).
  returned: with O(api_version=v2)
  type: list
  elements: dict
  sample:
    - apiVersion: api.rapyuta.io/v2
      kind: Package
      metadata: {name: talker, version: v1.0.0, guid: pkg-abcdefghijklmnopqrst, labels: {app: demo}}
      spec: {runtime: device, executables: [{name: talker, type: docker, docker: {image: "ros:noetic-ros-base"}}]}
'''

from ansible_collections.rapyuta.rio.plugins.module_utils.v1.constants import GONE_PHASES, LIVE_PHASES
from ansible_collections.rapyuta.rio.plugins.module_utils.module.rio_module import RioModule
from ansible_collections.rapyuta.rio.plugins.module_utils.packages.package import package_infos
from ansible_collections.rapyuta.rio.plugins.module_utils.packages.v2 import (
    PACKAGE_INFO_V2_ONLY,
    refused_options,
    run_package_info_v2,
)

FILTERS = ("name", "version", "package_id", "details", "deployments", "phases")


def main(direct=None):
    rio = RioModule(
        dict(
            name=dict(type="str"),
            version=dict(type="str"),
            package_id=dict(type="str"),
            details=dict(type="bool", default=False),
            deployments=dict(type="bool", default=False),
            phases=dict(type="list", elements="str", choices=sorted(set(LIVE_PHASES) | GONE_PHASES)),
            labels=dict(type="dict"),
        ),
        direct=direct,
        api_versions=("v1", "v2"),
    )
    if rio.api_version == "v2":
        run_package_info_v2(rio)
        return
    refused = refused_options(rio.params, PACKAGE_INFO_V2_ONLY)
    if refused:
        rio.fail("Not available on the v1 API: %s" % "; ".join(refused))
    if rio.params["phases"] and not rio.params["deployments"]:
        rio.fail("phases filters the deployments of each package: set deployments=true to use it")
    packages = rio.run("Failed to list packages", package_infos, rio.api, dict((key, rio.params[key]) for key in FILTERS))
    rio.exit(changed=False, packages=packages)


if __name__ == "__main__":
    main()
