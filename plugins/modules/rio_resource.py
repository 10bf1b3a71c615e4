#!/usr/bin/python
# Copyright: (c) 2026, rapyuta.rio contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

DOCUMENTATION = r'''
---
module: rio_resource
short_description: Apply rapyuta.io v2 manifests (packages, deployments, networks, disks, static routes, secrets)
version_added: 1.0.0
description:
  - Applies the documents that C(rio apply) takes (a dictionary, a list, or a file with one or more YAML
    or JSON documents) to the v2 API, in the spirit of C(kubernetes.core.k8s).
  - Kinds C(Package), C(Deployment), C(Network), C(Disk), C(StaticRoute), C(Secret) and C(ConfigTree).
    Documents are ordered by their dependencies as C(rio apply) orders them (secrets, disks, networks,
    static routes and packages before the deployments that use them, a deployment after those in its
    C(spec.depends)).
  - Every document is validated before the first request; an invalid one fails the task naming the
    document, the field path and the value, and nothing is written.
  - Each document is read and compared field by field with the live object, server defaults and read-only
    fields left out. What is missing is created; what is equal is left alone. Packages, deployments,
    networks, disks and config trees cannot be updated, so a difference is handled per O(on_change);
    secrets and static routes are updated in place.
  - Before the first write, every C(Deployment) document to create or recreate has what it names checked
    (package and its runtime, device with its status and architecture, networks, disks, static routes,
    dependencies), counting what the task's other documents create; a missing one, or a device the
    platform would fail the deployment on (C(DEP_E151), C(DEP_E162)), fails the task naming the document
    and the field, and nothing is written.
  - With O(state=absent) the documents are deleted in reverse dependency order; a document labelled
    C(rapyuta.io/deletionPolicy=retain) is kept, as C(rio delete) keeps it.
  - Always speaks the v2 API; O(api_version=v1) is refused.
author: "rapyuta.rio contributors (@rapyuta-rio)"
options:
  definition:
    description:
      - The documents, as one document (a dictionary), a list of documents, or YAML or JSON text holding one
        or more documents (separated by C(---)).
      - Exactly one of O(definition) and O(src) is required.
    type: raw
  src:
    description:
      - Path to a YAML or JSON file with one or more documents, on the host that runs the module (usually
        the controller).
      - A relative path is taken from the directory of the playbook, as for the other path options.
      - Prefer it for C(Secret) documents, so that their values stay out of the task's arguments.
    type: path
  state:
    description:
      - V(present) creates what is missing and compares what exists.
      - V(absent) deletes the documents' objects, in reverse dependency order; already absent is not an error.
    type: str
    choices: [present, absent]
    default: present
  on_change:
    description:
      - What to do when an object that cannot be updated (a package, deployment, network, disk or config tree)
        exists with other settings than its document.
      - V(fail) fails before any write and lists each differing field with its live and declared values.
      - V(recreate) deletes that object and creates it from its document; other objects are left alone.
    type: str
    choices: [fail, recreate]
    default: fail
  on_dependents:
    description:
      - What to do when an object to recreate or delete is used by live deployments that the task does
        not remove too (a package, a network, a disk, a static route, a secret or config tree, or a
        deployment in their C(spec.depends)).
      - V(fail) fails before any write, naming those deployments.
      - V(break) goes on; the platform may still refuse to delete an object in use, and says so.
    type: str
    choices: [fail, break]
    default: fail
extends_documentation_fragment:
  - rapyuta.rio.rio_auth.v2_only
  - rapyuta.rio.rio_auth
  - rapyuta.rio.rio_wait
  - rapyuta.rio.attributes
attributes:
  diff_mode:
    support: full
    details: Before and after are the compared forms of every object, keyed by kind, name (and version for
      packages), for example C(Deployment/talker-robot-1); a secret's values are shown as C(<hidden>).
notes:
  - With O(wait=true), every object created or found is waited for before the next document is applied
    (deployments and networks until phase C(Succeeded) with status C(Running), disks until C(Available),
    C(Bound) or C(Released)). A deployment or network in phase C(FailedToStart), C(FailedToUpdate) or C(Stopped),
    or still C(Provisioning) with an error the platform does not recover from (C(DEP_E153), the image
    cannot be pulled), fails the task at once with the decoded error codes. All waits share one O(wait_timeout).
    A live network or disk that a created Deployment uses, but that this task does not apply, is not waited for
    before the creation; the wait for that deployment covers it (as in M(rapyuta.rio.rio_deployment)).
  - The API never returns a secret's values, so a C(Secret) is compared by its type, registry, user name and
    keys; a changed password or value is not seen as a difference.
  - Check mode reads every object and reports the actions a real run would take
    (RV(resources[].action) C(would_create), C(would_recreate), C(would_update), C(would_delete)) and the same diff.
seealso:
  - module: rapyuta.rio.rio_resource_info
  - name: The v2 manifest format
    description: The documents C(rio apply) takes.
    link: https://github.com/rapyuta-robotics/rapyuta-io-cli
'''

EXAMPLES = r'''
- name: Apply a file of manifests, as rio apply -f would
  rapyuta.rio.rio_resource:
    src: manifests/robot-stack.yaml

- name: One deployment per robot, from a list of documents
  rapyuta.rio.rio_resource:
    definition:
      - apiVersion: apiextensions.rapyuta.io/v1
        kind: Deployment
        metadata:
          name: "talker-{{ item }}"
          depends: {kind: package, nameOrGUID: talker, version: v1.0.0}
        spec:
          runtime: device
          device: {depends: {kind: device, nameOrGUID: "{{ item }}"}}
  loop: [robot-1, robot-2]

- name: Preview what would change
  rapyuta.rio.rio_resource:
    src: manifests/robot-stack.yaml
  check_mode: true
  diff: true
  register: preview

- name: Replace deployments whose documents changed
  rapyuta.rio.rio_resource:
    src: manifests/robot-stack.yaml
    on_change: recreate

- name: Delete everything but what is labelled rapyuta.io/deletionPolicy=retain
  rapyuta.rio.rio_resource:
    src: manifests/robot-stack.yaml
    state: absent
'''

RETURN = r'''
resources:
  description:
    - One entry per document, in the order they were applied (dependency order; reverse order for O(state=absent)).
  returned: always
  type: list
  elements: dict
  contains:
    kind:
      description: The document's kind.
      type: str
      sample: Deployment
    name:
      description: The document's C(metadata.name).
      type: str
      sample: talker-robot-1
    version:
      description: The package version.
      returned: for packages
      type: str
      sample: v1.0.0
    action:
      description:
        - V(created), V(unchanged), V(recreated), V(updated), V(deleted), V(absent) (already absent),
          V(retained) (kept, labelled C(rapyuta.io/deletionPolicy=retain)); in check mode V(would_create),
          V(would_recreate), V(would_update), V(would_delete); V(refused) for a difference that O(on_change=fail) refuses.
      type: str
      sample: created
    differences:
      description: The fields that differ between the live object and the document.
      type: list
      elements: dict
      sample: [{"path": "spec.envArgs[0].value", "before": "10", "after": "20"}]
      contains:
        path:
          description: The field path.
          type: str
        before:
          description: The live value.
          type: raw
        after:
          description: The declared value.
          type: raw
    object:
      description:
        - The object as the API returned it (after creation and waiting, or as found); for a deletion the
          deleted object; in check mode the document for what would be created. A secret's values are never shown.
      type: dict
msg:
  description: What was done, with the number of documents per action.
  returned: always
  type: str
  sample: "7 document(s) applied: created 2, unchanged 5"
'''

from ansible_collections.rapyuta.rio.plugins.module_utils.module.arguments import wait_argument_spec
from ansible_collections.rapyuta.rio.plugins.module_utils.module.rio_module import RioModule
from ansible_collections.rapyuta.rio.plugins.module_utils.v2.apply import run_resource


def main(direct=None):
    spec = dict(
        definition=dict(type="raw"),
        src=dict(type="path"),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        on_change=dict(type="str", choices=["fail", "recreate"], default="fail"),
        on_dependents=dict(type="str", choices=["fail", "break"], default="fail"),
    )
    spec.update(wait_argument_spec())
    rio = RioModule(spec, direct=direct, api_versions=("v2",), mutually_exclusive=[("definition", "src")],
                    required_one_of=[("definition", "src")])
    run_resource(rio)


if __name__ == "__main__":
    main()
