#!/usr/bin/python
# Copyright: (c) 2026, rapyuta.rio contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

DOCUMENTATION = r'''
---
module: rio_package
short_description: Create, compare and delete rapyuta.io packages
version_added: 1.0.0
description:
  - Ensures that a package, identified by its name and version, exists with the content of a
    manifest (O(state=present)) or does not exist (O(state=absent)).
  - The manifest (the body of the platform's C(POST /serviceclass/add), as written by the SDK's
    C(create_package_from_manifest)) is validated against the manifest schema before any request.
    An invalid manifest fails naming the JSON path of every bad field, for example
    C(plans[0].components[1].architecture), and nothing is sent.
  - A package that exists is compared with the manifest in a normalized form, which ignores the
    fields the platform fills itself (ids, status, owner, timestamps, component ids) and the order of
    named items. An equal package is left alone.
  - A package version is immutable on the platform. A package that exists with different content
    makes the task fail and list the differing fields, unless O(force=true).
  - A package that live deployments use is never deleted or replaced; the task fails and names them.
    Every deployment of the package that is not in phase V(Deployment stopped) counts, including
    V(Partially deprovisioned) ones.
  - On the v2 API (O(api_version=v2)), the manifest is one v2 Package document (C(kind=Package)), as C(rio apply)
    takes it (see C(docs/reference/v2-api.md#packages) in the collection); the package is identified by
    C(metadata.name) and C(metadata.version). It is validated before any request, created when missing,
    compared field by field (server defaults and read-only fields left out) when it exists, and a
    difference fails naming the fields unless O(force=true). It runs through the same applier as
    M(rapyuta.rio.rio_resource). A package that live v2 deployments use (any phase but V(Stopped)) is
    never deleted or replaced.
  - A v1 catalog manifest (with C(plans), C(packageVersion)) is refused on v2, not converted, because
    plans, several components and plan-level settings have no exact v2 form; the message names the
    v1 fields. C(docs/reference/v2-api.md#v1-to-v2-mapping) in the collection maps each v1 field to its v2 place.
author: "rapyuta.rio contributors (@rapyuta-rio)"
options:
  name:
    description:
      - The package name.
      - With O(state=absent), identifies the package together with O(version) (unless O(package_id) is set).
      - With O(state=present), optional; when set it must equal the C(name) of the manifest.
      - Requires O(version); mutually exclusive with O(package_id).
      - On v2, the same, with C(metadata.name) of the v2 document.
    type: str
  version:
    description:
      - The package version, for example V(v1.0.0).
      - With O(state=absent), identifies the package together with O(name).
      - With O(state=present), optional; when set it must equal the C(packageVersion) of the manifest.
      - On v2, the same, with C(metadata.version) of the v2 document.
    type: str
  state:
    description:
      - V(present) creates the package from the manifest unless an equal one exists.
      - V(absent) deletes the package; already absent is not an error.
      - The same on v2, where V(absent) takes O(name) and O(version).
    type: str
    choices: [present, absent]
    default: present
  manifest:
    description:
      - The package manifest as a dictionary, for example from
        C(lookup('ansible.builtin.file', 'talker.json') | from_json).
      - Required with O(state=present) unless O(manifest_file) is set.
      - It is sent to the platform as given.
      - On v2, one v2 Package document with C(apiVersion), C(kind=Package), C(metadata) and C(spec); it is sent
        in the form C(rio apply) sends. A v1 manifest is refused on v2.
    type: dict
  manifest_file:
    description:
      - Path to a JSON or YAML file holding the package manifest, on the host that runs the module
        (usually the controller, with C(delegate_to=localhost) or C(connection=local)).
      - A relative path is taken from the directory of the playbook (ansible-core's base directory of the
        task), whether the module runs in the controller's worker or is shipped over a local connection;
        a module shipped to another host takes it from its working directory there. In roles, build the
        path from C(role_path).
      - Required with O(state=present) unless O(manifest) is set.
      - On v2, the file holds one v2 Package document (a file of several documents is refused;
        apply those with M(rapyuta.rio.rio_resource)).
    type: path
  package_id:
    description:
      - The package id (C(pkg-...)) to delete with O(state=absent), instead of O(name) and O(version).
      - v1 only, refused on v2, where packages are addressed by O(name) and O(version).
    type: str
  force:
    description:
      - When the package exists with different content, delete it and create it again from the
        manifest. The package, plan and component ids change.
      - Refused while live deployments use the package; deprovision them first.
      - If the creation fails after the deletion, the package is gone; run the task again.
      - The same on v2 (the package gets a new C(metadata.guid)); refused while live v2 deployments use it.
    type: bool
    default: false
attributes:
  diff_mode:
    support: full
    details: Before and after are the normalized manifest (server-owned fields left out); on v2 the
      comparable form of the v2 document.
extends_documentation_fragment:
  - rapyuta.rio.rio_auth
  - rapyuta.rio.attributes
requirements:
  - jsonschema (with O(state=present))
  - PyYAML (for a YAML O(manifest_file))
notes:
  - Fields the manifest leaves out (for example C(apiVersion), C(bindable), C(restart_policy) or a
    topic's C(qos)) are not compared, because the platform may store its own defaults there. Removing
    such a field from the manifest is therefore not seen as a difference.
  - In the differences, items of named lists are shown by name, for example
    C(plans[default].components[talker].executables[talkerExec].docker), while validation errors give
    the position in the manifest, for example C(plans[0].components[0].executables[0].docker).
seealso:
  - module: rapyuta.rio.rio_package_info
  - module: rapyuta.rio.rio_deployment
  - module: rapyuta.rio.rio_resource
'''

EXAMPLES = r'''
- name: Create a package from a manifest file
  rapyuta.rio.rio_package:
    manifest_file: "{{ playbook_dir }}/files/talker.json"
  register: talker_package

- name: Deploy the package just created, by its id
  rapyuta.rio.rio_deployment:
    name: talker-cloud
    package_id: "{{ talker_package.package.package_id }}"

- name: Create a package from an inline manifest
  rapyuta.rio.rio_package:
    manifest:
      name: nginx
      packageVersion: v1.0.0
      description: A web server
      plans:
        - name: default
          metadata: {}
          singleton: false
          components:
            - name: nginx
              description: ""
              requiredRuntime: cloud
              architecture: amd64
              ros: {isROS: false}
              cloudInfra:
                replicas: 1
                endpoints:
                  - {name: web, exposeExternally: true, port: 443, targetPort: 80, proto: HTTPS}
              executables:
                - {name: nginx, docker: "nginx:alpine", cmd: []}
              parameters: []
          dependentDeployments: []
          exposedParameters: []
          inboundROSInterfaces: {topics: [], services: [], actions: []}

- name: Show what would change, without writing
  rapyuta.rio.rio_package:
    manifest_file: "{{ playbook_dir }}/files/talker.json"
  check_mode: true
  diff: true

- name: Replace a package whose content changed under the same version (no live deployment may use it)
  rapyuta.rio.rio_package:
    manifest_file: "{{ playbook_dir }}/files/talker.json"
    force: true

- name: Delete a package by name and version
  rapyuta.rio.rio_package:
    name: talker
    version: v1.0.0
    state: absent

- name: Delete a package by id, with the connection set once for the whole group
  rapyuta.rio.rio_package:
    package_id: pkg-abcdefghijklmnopqrstuvwx
    state: absent
  module_defaults:
    group/rapyuta.rio.rio:
      auth_token: "{{ rio_auth_token }}"
      project: "{{ rio_project }}"

- name: Create a v2 package from a v2 manifest
  rapyuta.rio.rio_package:
    api_version: v2
    manifest:
      apiVersion: api.rapyuta.io/v2
      kind: Package
      metadata: {name: talker, version: v1.0.0, labels: {app: demo}}
      spec:
        runtime: device
        device: {arch: amd64, restart: always}
        executables:
          - name: talker
            type: docker
            docker: {image: "ros:noetic-ros-base", imagePullPolicy: IfNotPresent}
            command: [roslaunch, talker, talker.launch]
        ros: {enabled: true, version: noetic}
  register: talker_v2

- name: Replace a v2 package whose document changed under the same version
  rapyuta.rio.rio_package:
    api_version: v2
    manifest_file: "{{ playbook_dir }}/files/talker-package.yaml"
    force: true

- name: Delete a v2 package
  rapyuta.rio.rio_package:
    api_version: v2
    name: talker
    version: v1.0.0
    state: absent
'''

RETURN = r'''
package:
  description:
    - The package after the task. In check mode a package about to be created has null ids.
    - Empty after O(state=absent).
    - On v2, C(package_id) is the package's C(metadata.guid), C(status) is null and C(plans) is empty (a v2
      package has neither); the whole v2 object is RV(resource).
  returned: always
  type: dict
  sample:
    package_id: pkg-abcdefghijklmnopqrstuvwx
    name: talker
    version: v1.0.0
    description: talker amd64 package
    status: Complete
    plans:
      - plan_id: plan-abcdefghijklmnopqrstuvwx
        name: default
        components:
          - name: default
            component_id: cccccccccccccccccccccccc
            runtime: device
            architecture: amd64
            executables:
              - name: talkerExec
                executable_id: exec-abcdefghijklmnopqrstuvwx
                docker: null
                build_guid: null
                cmd: [roslaunch talker talker.launch]
            parameters:
              - {name: topic_name, default: telemetry}
  contains:
    package_id:
      description: The package id (C(pkg-...)); null when not created yet (check mode).
      type: str
    name:
      description: The package name.
      type: str
    version:
      description: The package version.
      type: str
    description:
      description: The package description.
      type: str
    status:
      description: The package status on the platform (for example V(Complete)); null in check mode.
      type: str
    plans:
      description: The plans of the package.
      type: list
      elements: dict
      contains:
        plan_id:
          description: The plan id (C(plan-...)), used to deploy the plan.
          type: str
        name:
          description: The plan name.
          type: str
        components:
          description: The components of the plan.
          type: list
          elements: dict
          contains:
            name:
              description: The component name.
              type: str
            component_id:
              description: The component id within the package.
              type: str
            runtime:
              description: V(cloud) or V(device).
              type: str
            architecture:
              description: V(amd64), V(arm32v7) or V(arm64v8).
              type: str
            executables:
              description: The executables of the component.
              type: list
              elements: dict
              contains:
                name:
                  description: The executable name.
                  type: str
                executable_id:
                  description: The executable id (C(exec-...)).
                  type: str
                docker:
                  description: The docker image, if the executable runs one.
                  type: str
                build_guid:
                  description: The build GUID, if the executable runs a build.
                  type: str
                cmd:
                  description: The command.
                  type: list
                  elements: str
            parameters:
              description: The component parameters with their defaults.
              type: list
              elements: dict
              contains:
                name:
                  description: The parameter name.
                  type: str
                default:
                  description: The default value.
                  type: raw
resource:
  description:
    - On v2, the v2 Package object after the task, as the API returns it (in check mode, a package about to
      be created is the document as it would be sent). Empty after O(state=absent).
  returned: with O(api_version=v2)
  type: dict
  sample:
    apiVersion: api.rapyuta.io/v2
    kind: Package
    metadata: {name: talker, version: v1.0.0, guid: pkg-abcdefghijklmnopqrst, labels: {app: demo}}
    spec:
      runtime: device
      device: {arch: amd64, restart: always}
      executables: [{name: talker, type: docker, docker: {image: "ros:noetic-ros-base"}}]
action:
  description:
    - On v2, what the task did to the package, V(created), V(unchanged), V(recreated), V(deleted) or
      V(absent); in check mode V(would_create), V(would_recreate) or V(would_delete) for the writes.
  returned: with O(api_version=v2)
  type: str
  sample: created
differences:
  description:
    - The fields in which the stored package differs from the manifest, when it was (or, in check mode,
      would be) replaced with O(force=true), and on failure when it differs and O(force=false).
    - Items of named lists are shown by name, for example C(plans[default].components[talker].architecture);
      on v2 C(spec.executables[talker].docker.image).
  returned: when the package differs from the manifest
  type: list
  elements: dict
  sample:
    - field: plans[default].components[talker].executables[talkerExec].docker
      desired: quay.io/rapyuta/io_tutorials:v2
      live: quay.io/rapyuta/io_tutorials:latest
  contains:
    field:
      description: The path of the field.
      type: str
    desired:
      description: The value in the manifest; null when the manifest does not have it.
      type: raw
    live:
      description: The stored value; null when the stored package does not have it.
      type: raw
deployments:
  description:
    - On failure because live deployments use the package, those deployments.
    - On v2, C(deployment_id) is the deployment's C(metadata.guid) and C(phase) its C(status.phase).
  returned: on failure, when live deployments use the package
  type: list
  elements: dict
  sample:
    - deployment_id: dep-abcdefghijklmnopqrstuvwx
      name: talker-cloud
      phase: Succeeded
errors:
  description:
    - On an invalid manifest, every problem with the JSON path of the field.
    - On v2, also for a v1 manifest (its v1 fields) or a document of another kind.
  returned: on failure, when the manifest is invalid
  type: list
  elements: dict
  sample:
    - path: plans[0].components[1].architecture
      message: "'amd46' is not one of ['amd64', 'arm32v7', 'arm64v8']"
'''

from ansible.module_utils.basic import missing_required_lib

from ansible_collections.rapyuta.rio.plugins.module_utils.v1.manifest import HAS_JSONSCHEMA, JSONSCHEMA_IMPORT_ERROR
from ansible_collections.rapyuta.rio.plugins.module_utils.module.rio_module import RioModule
from ansible_collections.rapyuta.rio.plugins.module_utils.packages.package import run_package
from ansible_collections.rapyuta.rio.plugins.module_utils.packages.v2 import run_package_v2


def main(direct=None):
    rio = RioModule(
        dict(
            name=dict(type="str"),
            version=dict(type="str"),
            state=dict(type="str", choices=["present", "absent"], default="present"),
            manifest=dict(type="dict"),
            manifest_file=dict(type="path"),
            package_id=dict(type="str"),
            force=dict(type="bool", default=False),
        ),
        mutually_exclusive=[("manifest", "manifest_file"), ("package_id", "name"), ("package_id", "version"),
                            ("package_id", "manifest"), ("package_id", "manifest_file")],
        required_together=[("name", "version")],
        required_if=[("state", "present", ("manifest", "manifest_file"), True),
                     ("state", "absent", ("package_id", "name"), True)],
        direct=direct,
        api_versions=("v1", "v2"),
    )
    if rio.api_version == "v2":
        run_package_v2(rio)
        return
    if rio.params["state"] == "present" and not HAS_JSONSCHEMA:
        rio.fail(missing_required_lib("jsonschema"), exception=JSONSCHEMA_IMPORT_ERROR)
    run_package(rio)


if __name__ == "__main__":
    main()
