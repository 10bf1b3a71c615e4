#!/usr/bin/python
# Copyright: (c) 2026, rapyuta.rio contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

DOCUMENTATION = r'''
---
module: rio_deployment_batch
short_description: Converge many rapyuta.io deployments in one task
version_added: 1.0.0
description:
  - Ensures a list of deployments, typically one per robot of a fleet, in one task run on the
    controller. Each item is handled exactly as M(rapyuta.rio.rio_deployment) handles its task
    (resolve every name, compare with the live deployment, provision, recreate or deprovision),
    and accepts and refuses the same options.
  - The deployment list, the device list and each package are read once for the whole task, and
    the device configuration variables come from the device list. The writes run on a bounded pool
    of O(workers) threads. The waits are shared, one poll of the deployment list per round for all
    deployments still starting, so a converged fleet costs a handful of list reads plus one read per
    deployment, and a rollout costs one provisioning request per new deployment.
  - One deployment's failure (a bad input, a refused change, a device that is offline) is that
    deployment's result; the others are converged all the same. The task then fails listing the
    failed deployments, unless O(fail_on_error=false).
  - Use M(rapyuta.rio.rio_deployment) per robot when robots must be updated in a controlled order
    (rolling updates with C(serial) and health gates).
  - B(v2) (O(api_version=v2)) - each item is ONE v2 Deployment, one per robot as v2 has it (v2 has no
    device selector), made from the item's options as M(rapyuta.rio.rio_deployment) makes it on v2, or
    given as a document in the item's C(definition). Each item is then converged as that module
    converges it on v2 (compare, create, C(on_change), C(on_dependents), wait for C(Succeeded) and
    C(Running), failing at once with the decoded C(DEP_E) causes). Every item is mapped and checked
    before the first request, so a refused item costs nothing. The live deployments of the batch are
    read with one list request (by name for up to 100 items, else the project's live deployments, a
    page per 1,000; v2 lists carry whole objects), and a converged batch makes no other request and
    no write. Items run on the same bounded pool of O(workers), and the waits are shared as on v1 -
    one watcher lists the deployments still starting once per round for all of them. v2 has no
    component alias, so there are no alias clashes to refuse.
    C(docs/reference/v2-api.md#v1-to-v2-mapping) in the collection gives the mapping.
author: "rapyuta.rio contributors (@rapyuta-rio)"
options:
  deployments:
    description:
      - The deployments to converge. Each item takes the options of M(rapyuta.rio.rio_deployment),
        with the same defaults and rules - C(name) (required, unique within the list), C(state),
        C(package_id) or C(package_name) and C(package_version), C(plan), C(components), C(labels),
        C(depends_on), C(routed_networks), C(native_networks), C(on_change) and C(on_dependents) - except the wait
        options, which are set once for the task.
      - An item whose options are invalid fails alone, with the validation message.
      - C(depends_on) may not name another deployment of the same list (it must be live before
        the task); converge dependencies in an earlier task.
      - On v2 an item takes the options of M(rapyuta.rio.rio_deployment) on v2 - the same options, one
        component, no C(plan), C(package_id), C(alias) or ROS bag jobs (refused for that item, naming the
        option) - or a C(definition), one v2 Deployment document (its C(metadata.name) may be left out,
        the item's C(name) is then used). A C(definition) item takes no package, component, label, dependency
        or network option, neither from itself nor from O(defaults). C(definition) is refused on v1.
      - On v2 a dependency on another item of the list is refused alike, whether from C(depends_on) or
        from a document's C(spec.depends).
    type: list
    elements: dict
    required: true
  defaults:
    description:
      - Options applied to every item that does not set them itself (a shallow merge), for example
        the package name and version shared by the fleet.
      - On v2 the same, except that an item with a C(definition) does not take the package, component,
        label, dependency and network options from here.
    type: dict
    default: {}
  workers:
    description:
      - How many deployments are resolved, provisioned and read at the same time (1 to 16, the
        size of the connection pool). Each of them mostly waits for the API, so more workers mean
        a shorter rollout; lower it to spare a busy API.
      - The same on v2.
    type: int
    default: 16
  compare:
    description:
      - How a live deployment is compared with its item.
      - V(auto) finds a live deployment unchanged from the deployment list, read once for the whole
        task, when the list shows everything needed - package, plan, devices, parameters, aliases,
        labels and dependencies are in the list; the rest of the configuration (routed and native
        networks, restart policies, static routes, ROS bag jobs, volumes - the provisioning context) is
        not, and is vouched for by the label C(rapyuta.rio/context-digest) that the collection puts on
        every deployment it provisions (a digest of that part, which no API call can change afterwards;
        see M(rapyuta.rio.rio_deployment)). So a deployment is compared from its list entry when its
        label matches the item's configuration, or, without the label, when the item declares none of
        these settings (its package declares no ROS bag jobs either). Any other live deployment, and
        every one the list shows differing, is read in full and compared as
        M(rapyuta.rio.rio_deployment) compares it, so the differences reported and acted on are always
        those of the full deployment. A deployment found unchanged in the list and shown there
        C(Succeeded) without error codes is taken as running (the list has no status, so the C(status)
        of RV(results[].deployment) is null and its components are not listed).
      - V(full) reads every live deployment in full, one request each, as M(rapyuta.rio.rio_deployment)
        does.
      - The trade-offs of V(auto) - for a deployment provisioned without the label (by other tools or
        by earlier releases of the collection), a setting that only the full deployment shows and that
        the item does not declare (a routed network removed from the item, for example) is not seen as a
        difference; and the label is trusted - a deployment provisioned by other means with this label
        copied from another one is compared as if its context were the one the label records. Use V(full)
        to compare such deployments.
      - v1 only - ignored on v2, where the list of the batch's deployments carries whole objects, and every
        item is compared with its whole live deployment, without a read of its own.
    type: str
    choices: [auto, full]
    default: auto
  fail_on_error:
    description:
      - Fail the task when any deployment failed, naming them.
      - With V(false) the task succeeds and the failures are only reported in RV(results) and
        RV(summary).
      - The same on v2.
    type: bool
    default: true
  wait:
    description:
      - Wait until every provisioned or converged deployment is ready (or gone, for C(state=absent)).
      - Dependencies still starting are waited for whatever this option says, within O(wait_timeout).
      - Never waits in check mode.
      - On v2 a deployment is ready at C(Succeeded) and C(Running); one the platform fails (an image
        that cannot be pulled, an offline device) fails its item as soon as a poll shows it, with the
        decoded error codes.
    type: bool
    default: true
  wait_timeout:
    description:
      - Seconds each deployment may take, counted from the start of its own handling, before it
        fails with its last observed phase, status and errors.
      - Must be greater than 0; checked before any request.
      - The same on v2.
    type: int
    default: 300
  wait_sleep:
    description:
      - The longest pause between two polls, in seconds. Polling starts at once and backs off from
        0.25 s up to this value, so readiness is noticed within O(wait_sleep) seconds.
      - One poll is one read of the deployment list for all the deployments still starting, so the
        default is shorter than that of M(rapyuta.rio.rio_deployment).
      - Must be greater than 0; checked before any request.
      - The same on v2 (one list of the deployments still starting, which carries them whole).
    type: float
    default: 0.5
attributes:
  check_mode:
    details: Every item's result is what a real run would give.
  diff_mode:
    support: full
    details: One diff per deployment (headed by its name), in the normalized form of M(rapyuta.rio.rio_deployment).
extends_documentation_fragment:
  - rapyuta.rio.rio_auth
  - rapyuta.rio.attributes
notes:
  - A converged run makes no write. It reads the deployment list, the package catalog, each
    package and the device list once; with O(compare=auto) that is all for the deployments the
    collection provisioned (whatever their items declare) and for items that declare nothing of the
    provisioning context; the other live deployments are read once each in full (the list has neither
    their provisioning context nor their status). With O(compare=full) every live deployment is read
    once in full.
  - A rollout makes one provisioning request per new deployment; its first full read is the one
    that confirms it runs (the watcher reads it when the list shows it done).
  - The device configuration variables are taken from the device list read at the start of the
    task; a device listed without them is read on its own.
  - Results are returned in the order of O(deployments).
  - On v2 a converged run makes one list request and nothing else; a rollout makes one creation
    request per new deployment, plus the reads that check what it names (package, device,
    dependencies, networks, disks, static routes; each read once for the task) and one list request
    per poll for all the deployments still starting.
seealso:
  - module: rapyuta.rio.rio_deployment
  - module: rapyuta.rio.rio_deployment_info
  - module: rapyuta.rio.rio_package
'''

EXAMPLES = r'''
- name: Converge two robots' deployments
  rapyuta.rio.rio_deployment_batch:
    defaults:
      package_name: talker-docker
      package_version: v1.0.0
      on_change: recreate
    deployments:
      - name: talker-robot-1
        components:
          - name: default
            device: robot-1
            parameters: {RATE: "10"}
      - name: talker-robot-2
        components:
          - name: default
            device: robot-2
            parameters: {RATE: "5"}
    workers: 8
  register: fleet

- name: Show the robots that failed
  ansible.builtin.debug:
    msg: "{{ fleet.summary.failed_names }}"

- name: Build the list from the hosts of the play (each host sets rio_spec with set_fact first)
  rapyuta.rio.rio_deployment_batch:
    deployments: "{{ ansible_play_hosts | map('extract', hostvars, 'rio_spec') | list }}"
    fail_on_error: false
  run_once: true
  delegate_to: localhost

- name: One v2 Deployment per robot, the last one from a document
  rapyuta.rio.rio_deployment_batch:
    api_version: v2
    defaults:
      package_name: talker
      package_version: v1.0.0
      labels: {fleet: talkers}
      on_change: recreate
    deployments:
      - name: talker-robot-1
        components: [{name: talker, device: robot-1, parameters: {RATE: "10"}}]
      - name: talker-robot-2
        components: [{name: talker, device: robot-2, parameters: {RATE: "5"}}]
      - name: talker-robot-3
        definition:
          apiVersion: apiextensions.rapyuta.io/v1
          kind: Deployment
          metadata:
            labels: {fleet: talkers}
            depends: {kind: package, nameOrGUID: talker, version: v1.0.0}
          spec:
            runtime: device
            device: {depends: {kind: device, nameOrGUID: robot-3}}
            envArgs: [{name: RATE, value: "20"}]

- name: Remove deployments
  rapyuta.rio.rio_deployment_batch:
    deployments:
      - name: talker-robot-1
        state: absent
      - name: talker-robot-2
        state: absent
'''

RETURN = r'''
results:
  description:
    - One entry per item of O(deployments), in the same order.
  returned: always
  type: list
  elements: dict
  contains:
    name:
      description: The deployment name (or C(deployments[INDEX]) for an item without a valid name).
      type: str
      sample: talker-robot-1
    state:
      description: The item's C(state), null when the item could not be validated.
      type: str
      sample: present
    changed:
      description: Whether this deployment was (or, in check mode, would be) provisioned, recreated or removed.
      type: bool
    failed:
      description: Whether this deployment failed.
      type: bool
    msg:
      description: Why it failed (empty when it did not), worded as the failure of M(rapyuta.rio.rio_deployment).
      type: str
      sample: >-
        Refused to provision deployment talker-robot-3: components.talker.device: component talker runs on
        device robot-3 (3c5d...), which is OFFLINE, not ONLINE: the platform would fail the deployment
        (DEP_E151, device offline or unreachable); nothing was written
    deployment:
      description:
        - The deployment after the task, as the C(deployment) return value of M(rapyuta.rio.rio_deployment)
          (with its normalized C(config)); empty after C(state=absent) and for items that failed before
          anything was read.
        - On v2 the C(deployment) return value of M(rapyuta.rio.rio_deployment) on v2 (its guid, package
          name and version, runtime, device, phase, status, decoded error codes, labels, dependencies).
        - For a converged deployment compared from the list (O(compare=auto)), C(status) is null and
          C(components) is empty.
      type: dict
    differences:
      description: The fields in which the live deployment differed, as in M(rapyuta.rio.rio_deployment).
      type: list
      elements: dict
      returned: when a live deployment differed
    duration:
      description: Seconds this deployment was waited for.
      type: float
      returned: when the deployment was waited for
    broken_dependents:
      description: As in M(rapyuta.rio.rio_deployment), with C(on_dependents=break).
      type: list
      elements: str
      returned: when the deployment was removed or recreated although others depended on it
    diff:
      description: The deployment's own before and after (normalized configuration; on v2 the comparable form of the document).
      type: dict
      returned: in diff mode
    warnings:
      description: Warnings about this deployment (they are also shown as task warnings).
      type: list
      elements: str
    resource:
      description:
        - v2 only - the deployment as the v2 API returned it (the document as sent, in check mode);
          empty after C(state=absent).
      type: dict
      returned: on v2, when the item got as far as its plan
    action:
      description:
        - v2 only - what was done, as in M(rapyuta.rio.rio_deployment) on v2 - V(created), V(recreated),
          V(deleted), V(unchanged), V(absent), V(retained), or V(would_create), V(would_recreate),
          V(would_delete) in check mode.
      type: str
      returned: on v2, for an item that did not fail
      sample: created
    problems:
      description: v2 only - one line per reason an item's plan was refused before any write.
      type: list
      elements: str
      returned: on v2, when an item's plan was refused
summary:
  description: Counts over all items.
  returned: always
  type: dict
  sample:
    total: 200
    ok: 199
    changed: 12
    unchanged: 187
    failed: 1
    changed_names: [talker-robot-001]
    failed_names: [talker-robot-007]
  contains:
    total:
      description: Number of items.
      type: int
    ok:
      description: Items that did not fail.
      type: int
    changed:
      description: Items that changed (or would change).
      type: int
    unchanged:
      description: Items already converged.
      type: int
    failed:
      description: Items that failed.
      type: int
    changed_names:
      description: Names of the items that changed.
      type: list
      elements: str
    failed_names:
      description: Names of the items that failed.
      type: list
      elements: str
'''

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.module_utils.errors import UnsupportedError

from ansible_collections.rapyuta.rio.plugins.module_utils.deployments.batch import (
    DEFAULT_WORKERS,
    BatchItem,
    BatchRun,
    failure_message,
)
from ansible_collections.rapyuta.rio.plugins.module_utils.deployments.batch_v2 import BatchRunV2
from ansible_collections.rapyuta.rio.plugins.module_utils.deployments.v2 import MAPPED_OPTIONS
from ansible_collections.rapyuta.rio.plugins.module_utils.module.arguments import wait_argument_spec
from ansible_collections.rapyuta.rio.plugins.module_utils.deployments.arguments import (
    deployment_constraints,
    deployment_options,
)
from ansible_collections.rapyuta.rio.plugins.module_utils.module.rio_module import RioModule, dict_element_problems


def argument_spec():
    spec = dict(
        deployments=dict(type="list", elements="dict", required=True),
        defaults=dict(type="dict", default={}),
        workers=dict(type="int", default=DEFAULT_WORKERS),
        fail_on_error=dict(type="bool", default=True),
        compare=dict(type="str", choices=["auto", "full"], default="auto"),
    )
    spec.update(wait_argument_spec())
    spec["wait_sleep"]["default"] = 0.5
    return spec


def validated_items(params, v2=False):
    """Each item merged over ``defaults`` and checked against rio_deployment's own spec (on v2 with
    its ``definition``)."""
    options = deployment_options()
    if v2:
        options["definition"] = dict(type="raw")
    validator = ArgumentSpecValidator(options, **deployment_constraints(definition=v2))
    wait_options = dict((key, params[key]) for key in wait_argument_spec())
    items = []
    for index, raw in enumerate(params["deployments"]):
        merged = dict(params["defaults"])
        if v2 and isinstance(raw, dict) and raw.get("definition") is not None:
            # The document says it all: the shared options it stands for are not merged into it.
            for option in MAPPED_OPTIONS:
                merged.pop(option, None)
        merged.update(raw or {})
        name = merged.get("name") if isinstance(merged.get("name"), str) and merged.get("name") else (
            "deployments[%d]" % index)
        checked = validator.validate(merged)
        messages = [("unsupported option(s) %s" % error.msg) if isinstance(error, UnsupportedError) else error.msg
                    for error in checked.errors]
        if messages:
            # ansible-core's message for a list element that cannot be a dict names neither the option nor
            # the value; such an element is always one of its errors, so only an invalid item is walked.
            messages = [message for _option, message in dict_element_problems(options, merged)] or messages
        if messages:
            items.append(BatchItem(index, name, error="deployments[%d] (%s): %s" % (index, name, "; ".join(messages))))
            continue
        item_params = checked.validated_parameters
        item_params.update(wait_options)
        items.append(BatchItem(index, name, params=item_params))
    return items


def main(direct=None):
    rio = RioModule(argument_spec(), direct=direct, api_versions=("v1", "v2"))
    if not 1 <= rio.params["workers"] <= 16:
        rio.fail("workers must be between 1 and 16, got %d" % rio.params["workers"])
    if rio.api_version == "v2":
        batch = BatchRunV2(rio.v2_api, validated_items(rio.params, v2=True), check_mode=rio.check_mode,
                           diff_mode=rio.diff_mode, workers=rio.params["workers"])
    else:
        batch = BatchRun(rio.api, validated_items(rio.params), check_mode=rio.check_mode, diff_mode=rio.diff_mode,
                         workers=rio.params["workers"], compare=rio.params["compare"])
    # A failure here is one of the shared look-ups (credentials, API unreachable): no item can run.
    results, summary = rio.run("Failed to read the project before converging %d deployments" % len(batch.items),
                               batch.run)
    diffs = []
    for result in results:
        for warning in result.get("warnings") or []:
            rio.warn("%s: %s" % (result["name"], warning))
        if "diff" in result:
            diffs.append(dict(result["diff"], before_header=result["name"], after_header=result["name"]))
    changed = summary["changed"] > 0
    extra = dict(results=results, summary=summary)
    if diffs:
        extra["diff"] = diffs
    if summary["failed"] and rio.params["fail_on_error"]:
        rio.fail(failure_message(results, summary), changed=changed, **extra)
    rio.exit(changed=changed, **extra)


if __name__ == "__main__":
    main()
