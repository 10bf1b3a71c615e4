#!/usr/bin/python
# Copyright: (c) 2026, rapyuta.rio contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

DOCUMENTATION = r'''
---
module: rio_deployment
short_description: Provision, compare and deprovision rapyuta.io deployments
version_added: 1.0.0
description:
  - Ensures that a deployment of a package, identified by its O(name) within the project, is
    running with the declared configuration (O(state=present)) or is deprovisioned (O(state=absent)).
  - Every name in the task (package, plan, components, devices, networks, static routes, volumes,
    dependencies) is resolved and every provisioning rule is checked before the first write. A bad
    input fails naming the option and the value, and nothing is created.
  - A live deployment whose configuration equals the declared one is left alone (only reads). A
    deployment is immutable on the platform, so a differing one is handled per O(on_change) and the
    differing fields are listed.
  - Waiting follows the platform's own rules (ready on phase V(Succeeded) with status V(Running)) and
    stops early on failures, decoding the C(DEP_E*) error codes into readable causes and naming the
    failing components.
  - B(v2) (O(api_version=v2)) - the task is ONE v2 Deployment document, made from the options as
    the v1 to v2 mapping says (each option below states its v2 field), or given whole in
    O(definition). A v2 package is one component, so O(components) has at most one entry. Options
    without a v2 counterpart (O(plan), O(package_id), a second component, aliases, ROS bag jobs,
    O(components[].ignore_device_config)) are refused before any request, naming the option and
    what to do instead.
  - On v2 the document is applied as M(rapyuta.rio.rio_resource) applies one. It is read by name and compared
    field by field (server fields and defaults left out), created when missing, a difference handled per
    O(on_change) (a v2 deployment cannot be updated), deleted with O(state=absent), waited for (phase
    V(Succeeded) with status V(Running); an image that cannot be pulled, C(DEP_E153), fails the wait at
    once with the decoded cause). Before a creation only, the package (and its runtime), the device
    (and its status and architecture), the networks (and their type), disks, static routes and
    dependencies the document names are read, so a missing one, or a device the platform would fail
    the deployment on, is refused with nothing written.
author: "rapyuta.rio contributors (@rapyuta-rio)"
options:
  name:
    description:
      - The deployment name, unique among the live deployments of the project.
      - Two live deployments with this name make the module fail and list their ids.
      - On v2, C(metadata.name); the platform has one live deployment per name.
    type: str
    required: true
  state:
    description:
      - V(present) provisions the deployment unless an equal one is live.
      - V(absent) deprovisions the live deployment with this name; already gone is not an error.
      - A deployment that other live deployments depend on is not deprovisioned unless
        O(on_dependents=break); see there.
      - On v2, V(absent) deletes the live deployment (its stopped incarnation stays listable with
        O(rapyuta.rio.rio_deployment_info#module:phases=Stopped)); only O(name) is needed.
    type: str
    choices: [present, absent]
    default: present
  package_id:
    description:
      - The package id (C(pkg-...)) to deploy.
      - Mutually exclusive with O(package_name). One of the two (or, on v2, O(definition)) is required
        with O(state=present).
      - v1 only, refused on v2 (v2 addresses a package by name and version); give O(package_name) and
        O(package_version).
    type: str
  package_name:
    description:
      - The package name to deploy; requires O(package_version).
      - On v2, C(metadata.depends) with O(package_version); the package must exist before the deployment
        is created, and its runtime decides whether O(components[].device) is needed.
    type: str
  package_version:
    description:
      - The package version, for example V(v1.0.0); requires O(package_name).
      - On v2, C(metadata.depends.version).
    type: str
  plan:
    description:
      - The plan name or plan id. Defaults to the first plan of the package.
      - v1 only, refused on v2 (v2 packages have no plans).
    type: str
  components:
    description:
      - Per-component configuration. Components not listed here are deployed with the package
        defaults; every device-runtime component must be listed with a O(components[].device).
      - On v2, at most one entry (a v2 package is one component; deploy each other component as its own
        deployment linked with O(depends_on)); its fields make the document's C(spec).
    type: list
    elements: dict
    default: []
    suboptions:
      name:
        description:
          - The component name as declared in the package.
          - On v2 only a label for the entry (a v2 package has one component, not named).
        type: str
        required: true
      device:
        description:
          - The device (name or uuid) that runs this component. Required for device-runtime components,
            refused (before anything is written) on a cloud component.
          - The device's configuration variables are passed to the component, as the platform expects.
          - Before a deployment is provisioned or recreated, a device that is not V(ONLINE), or whose
            architecture is not the component's, is refused (see the notes).
          - On v2, C(spec.device.depends) (name or uuid) and C(spec.runtime=device) (without it, V(cloud));
            the runtime must be the package's. No configuration variable is copied. Before a creation or
            recreation, a device that is not V(ONLINE) (C(DEP_E151)) or whose architecture is not the
            package's C(spec.device.arch) (C(DEP_E162)) is refused, as on v1.
        type: str
      ignore_device_config:
        description:
          - Device configuration variable keys not to pass to the component.
          - v1 only, refused on v2 when not empty (v2 copies no configuration variables).
        type: list
        elements: str
        default: []
      alias:
        description:
          - The component alias for the cloud bridge. Only sent when the plan needs aliases
            (scoped or targeted ROS interfaces, or a dependency with aliases); otherwise the task
            warns that it is not used.
          - Defaults to the device name for device components (see O(components[].set_component_alias)),
            else to the component name.
          - v1 only, refused on v2 (v2 has no component alias; the deployment name plays its role).
        type: str
      set_ros_namespace:
        description:
          - Put the component's ROS interfaces under the alias namespace (meant for native networks).
          - v1 only, V(true) is refused on v2.
        type: bool
        default: false
      set_component_alias:
        description:
          - When O(components[].device) is set and O(components[].alias) is not, use the device
            name as the alias.
          - v1 only, V(false) is refused on v2.
        type: bool
        default: true
      parameters:
        description:
          - Component parameters (environment variables), overriding the package defaults.
          - Values are sent as given; the platform passes them to executables as strings, so
            quote numbers (V("10")) to keep comparisons with live deployments exact.
          - On v2, C(spec.envArgs) (C(name), C(value)); numbers and booleans are sent as their text,
            as C(rio apply) does; a dict or list value is refused.
        type: dict
        default: {}
      restart_policy:
        description:
          - Restart policy of a device component, overriding the package.
          - Omitted means "not managed". A new deployment gets the package's policy, and a live
            deployment's policy, whatever it is, is never a difference (so giving V(never) once and
            then omitting the option leaves the deployment alone). Give it to have it compared.
          - Refused on a cloud component (the platform ignores it there), before anything is written.
          - On v2, C(spec.restart); V(on_failure) is sent as C(onfailure). Omitted, it is not compared either.
        type: str
        choices: [always, never, on_failure]
      rosbag_jobs:
        description:
          - ROS bag recording jobs for this component, in addition to the package's own.
          - v1 only, refused on v2 when not empty (the platform removed ROS bag jobs).
        type: list
        elements: dict
        default: []
        suboptions:
          name:
            description: Job name, unique within the component.
            type: str
            required: true
          record_options:
            description:
              - What to record. At least one of O(components[].rosbag_jobs[].record_options.all_topics),
                O(components[].rosbag_jobs[].record_options.topics),
                O(components[].rosbag_jobs[].record_options.topic_include_regex) or
                O(components[].rosbag_jobs[].record_options.node) is required.
            type: dict
            required: true
            suboptions:
              all_topics:
                description: Record every topic.
                type: bool
              topics:
                description: Topics to record.
                type: list
                elements: str
              topic_include_regex:
                description: Regular expressions of topics to record.
                type: list
                elements: str
              topic_exclude_regex:
                description: Regular expression of topics not to record.
                type: str
              max_message_count:
                description: Stop after this many messages.
                type: int
              node:
                description: Record the topics of this node.
                type: str
              compression:
                description: Bag compression.
                type: str
                choices: [LZ4, BZ2]
              max_splits:
                description: Number of bag splits to keep.
                type: int
              max_split_size:
                description: Split size in MB.
                type: int
              chunk_size:
                description: Chunk size in KB.
                type: int
              max_split_duration:
                description: Split duration in seconds (greater than 0).
                type: int
          upload_options:
            description: How bags are uploaded.
            type: dict
            suboptions:
              max_upload_rate:
                description: Upload rate limit in bytes per second.
                type: int
              purge_after:
                description: Delete bags on the device after upload.
                type: bool
              upload_type:
                description: When to upload.
                type: str
                choices: [OnStop, Continuous, OnDemand]
              on_demand_opts:
                description: Time range for V(OnDemand) uploads.
                type: dict
                suboptions:
                  time_range:
                    description: The time range to upload.
                    type: dict
                    required: true
                    suboptions:
                      from:
                        description: Start, in epoch seconds.
                        type: int
                        required: true
                      to:
                        description: End, in epoch seconds.
                        type: int
                        required: true
          override_options:
            description: Per-topic overrides.
            type: dict
            suboptions:
              topic_override_info:
                description: Throttled or latched topics.
                type: list
                elements: dict
                suboptions:
                  topic_name:
                    description: The topic.
                    type: str
                    required: true
                  record_frequency:
                    description: Recording frequency in Hz.
                    type: int
                  latched:
                    description: Record the topic as latched.
                    type: bool
              exclude_topics:
                description: Topics never recorded.
                type: list
                elements: str
      static_routes:
        description:
          - Maps an endpoint name of this (cloud) component to a static route, given by its name
            (URL prefix) or its guid (C(staticroute-...)).
          - On v2, C(spec.staticRoutes) (C(name) = the endpoint, C(depends) = the v2 static route); the
            route must exist before the deployment is created.
        type: dict
        default: {}
      volumes:
        description:
          - Volumes mounted into this component.
          - A cloud volume (O(components[].volumes[].volume)) is mounted either at
            O(components[].volumes[].mount_path) or per executable with
            O(components[].volumes[].executable_mounts); it must be running.
          - A device volume (O(components[].volumes[].device_volume=true)) mounts paths of the
            component's device per executable; it needs O(components[].volumes[].executable_mounts).
          - On v2, C(spec.volumes), one entry per executable mount. A cloud volume is a v2 Disk
            (C(depends)); a device volume mounts the host path O(components[].volumes[].executable_mounts[].sub_path)
            (default V(/)). O(components[].volumes[].mount_path) is refused (v2 mounts per executable).
        type: list
        elements: dict
        default: []
        suboptions:
          volume:
            description: The cloud volume name (or its C(disk-...) guid).
            type: str
          device_volume:
            description: Mount a directory of the component's device.
            type: bool
          mount_path:
            description: Where a cloud volume is mounted in every executable.
            type: str
          executable_mounts:
            description: Mounts per executable.
            type: list
            elements: dict
            suboptions:
              exec_name:
                description: The executable name.
                type: str
                required: true
              mount_path:
                description: Mount path inside the executable.
                type: str
                required: true
              sub_path:
                description: Sub-directory of the volume (for a device volume, the host path; default V(/)).
                type: str
  labels:
    description:
      - Deployment labels. Keys and values are strings; a number or boolean value is sent as its
        text, a dict or list value is refused (before anything is written).
      - On v1 the key C(rapyuta.rio/context-digest) is the collection's own and is refused here -
        every deployment the collection provisions carries it, the record of its provisioning context
        (see the notes). It is not compared and not part of the C(labels) the module returns.
      - On v2, C(metadata.labels).
    type: dict
    default: {}
  depends_on:
    description:
      - Deployments (names or ids) this one depends on. Dependencies that are still starting are
        waited for (within O(wait_timeout)) before provisioning; failed ones make the task fail.
      - On v2, C(spec.depends) (deployment names), with the same checks and waits before a creation.
    type: list
    elements: str
    default: []
  routed_networks:
    description:
      - Routed networks to join.
      - On v2, C(spec.rosNetworks) entries (with C(interface)); each must be a routed v2 network.
    type: list
    elements: dict
    default: []
    suboptions:
      name:
        description: The routed network name.
        type: str
        required: true
      network_interface:
        description:
          - The device network interface, for device networks only; it must be one of the
            interfaces of the network's device (checked before anything is written).
        type: str
  native_networks:
    description:
      - Native networks to join.
      - On v2, C(spec.rosNetworks) entries (with C(interface)); each must be a native v2 network.
    type: list
    elements: dict
    default: []
    suboptions:
      name:
        description: The native network name.
        type: str
        required: true
      network_interface:
        description:
          - The device network interface, for device networks only; it must be one of the
            interfaces of the network's device (checked before anything is written).
        type: str
  on_change:
    description:
      - What to do when a live deployment with this name differs from the declared configuration.
      - V(fail) fails and lists the differing fields; nothing is changed. The message shows networks,
        static routes, dependencies and volumes by the names the task uses, with their ids
        (C(fleet-net (net-...))); RV(differences) keeps the ids, as RV(deployment.config) does.
      - V(recreate) deprovisions it, waits until it is gone (within O(wait_timeout)) and provisions
        the declared configuration anew. The new deployment has a new id, so a deployment that other
        live deployments depend on is recreated only with O(on_dependents=break).
      - On v2 the same; the differences are named by their document paths, such as
        C(spec.envArgs[RATE].value).
    type: str
    choices: [fail, recreate]
    default: fail
  on_dependents:
    description:
      - What to do when the deployment is to be deprovisioned (O(state=absent)) or recreated
        (O(on_change=recreate)) while other live deployments depend on it (they list it in their
        C(depends_on), or mount it as a cloud volume).
      - V(fail) refuses, naming the dependents; nothing is written. Check mode refuses the same way.
        Remove the dependents first (or, for a recreation, recreate them after it).
      - V(break) proceeds and leaves the dependents pointing at the removed deployment id. The platform
        does not re-point them, so they fail with C(DEP_E156) (a dependent deployment is not running)
        and stay failed until each is recreated (its own task with O(on_change=recreate) re-points it
        to the new deployment by name) or removed. The task warns and names them in RV(broken_dependents).
      - Dependents are read from the deployment list the task reads anyway (no request of its own).
        In M(rapyuta.rio.rio_deployment_batch), dependents that the same task removes do not count.
      - On v2 the platform itself refuses to delete a deployment that live deployments depend on
        (C(spec.depends)), so V(break) is refused too, before any write, naming them; remove them first,
        then create them again after the recreation.
    type: str
    choices: [fail, break]
    default: fail
  definition:
    description:
      - A v2 Deployment document (the format C(rio apply) takes), as a dict or as YAML or JSON text;
        v2 only (O(api_version=v2)), refused on v1.
      - Mutually exclusive with O(package_id), O(package_name), O(package_version), O(plan),
        O(components), O(labels), O(depends_on), O(routed_networks) and O(native_networks), as the
        document says it all.
      - C(metadata.name) may be left out (it is then O(name)); when given it must equal O(name).
      - Validated as M(rapyuta.rio.rio_resource) validates a document; use that module for several
        documents or for other kinds.
    type: raw
attributes:
  diff_mode:
    support: full
    details: Before and after are the normalized deployment configuration (component names, not ids).
extends_documentation_fragment:
  - rapyuta.rio.rio_auth
  - rapyuta.rio.rio_wait
  - rapyuta.rio.attributes
notes:
  - A converged run costs few requests; the deployment list, devices and their configuration
    variables are read once per task.
  - On v1 every deployment the task provisions carries one more label, C(rapyuta.rio/context-digest),
    a digest of the part of its configuration that the deployment list does not show (routed and
    native networks, restart policies, static routes, ROS bag jobs, volumes). A v1 deployment's
    provisioning context cannot change after provisioning, so
    M(rapyuta.rio.rio_deployment_batch) (with its default C(compare=auto)) finds
    an unchanged deployment from the list alone when its label matches what its item declares. This
    module still reads the live deployment in full every time.
  - With O(wait=false) a dependency that is not ready yet makes the task fail instead of waiting.
  - The routed and native networks the deployment joins (and on v2 the disks it mounts) need not run
    before it is provisioned; the platform starts it meanwhile. With O(wait=true) the wait for the
    deployment also waits for those that are still starting, so a network (or disk) created without
    waiting just before starts together with the deployment instead of one after the other; one that
    fails fails the task naming it (the option and the network or disk). No request is added when they
    already run (v1 judges them from the network list, v2 from the deployment's C(status.dependencies)).
  - O(wait_timeout) bounds all the waiting of one task together (dependencies, the removal before
    a recreation, the networks and disks it uses, and the new deployment).
  - The comparison covers what the task controls. Device configuration variables that the platform
    copies into component parameters are left out (the well-known ones such as C(ros_distro), and any
    other variable of the device that the task does not set itself in O(components[].parameters)), and
    an omitted O(components[].restart_policy) is not compared; component parameters or ROS bag options found
    only on the live deployment are not differences (the platform may add its own); so removing an
    extra parameter from the task alone does not recreate the deployment.
  - A live deployment with the declared configuration that failed (phase V(Failed to start)) makes
    the task fail with its decoded errors when O(wait=true); remove it with O(state=absent) to start over.
  - Before provisioning a deployment (a new one, a recreation, or the prediction of either in check
    mode) the task refuses, with nothing written, a device the platform would fail the deployment on,
    that is a device whose status is not V(ONLINE) (C(DEP_E151)), or whose ROS distribution (its
    C(ros_distro) configuration variable) or CPU architecture differs from the component's
    (C(DEP_E162)). The message names the component, the device (name and uuid), its status, ROS
    distribution or architecture, and the component's. The status comes from the device list, the ROS
    distribution from the configuration variables the task reads anyway; the architecture from the
    device selection query, asked once per architecture and task (the device object has no
    architecture field). If the architecture cannot be told (the query fails or
    matches no architecture), a warning says it was not checked and the platform decides.
  - A converged deployment is never refused for its device; a robot that went offline after its
    deployment converged is reported C(ok), not failed.
  - On v2, the status and architecture checks above are made the same way (the architecture is the
    package's C(spec.device.arch), V(amd64) when it has none); the ROS distribution and the alias check
    below are the platform's (C(DEP_E162), C(DEP_E171), reported by the wait).
  - Also before provisioning, the task refuses a component alias that a live deployment on one of
    the same routed networks already uses (the platform would fail the new deployment with
    C(DEP_E171)); a recreation does not count the deployment it replaces. Deployments provisioned by
    the same M(rapyuta.rio.rio_deployment_batch) run are not seen by each other's check.
seealso:
  - module: rapyuta.rio.rio_deployment_info
  - module: rapyuta.rio.rio_resource
  - module: rapyuta.rio.rio_package
  - module: rapyuta.rio.rio_routed_network
  - module: rapyuta.rio.rio_native_network
  - module: rapyuta.rio.rio_static_route
  - module: rapyuta.rio.rio_volume
'''

EXAMPLES = r'''
- name: Run the talker on a robot
  rapyuta.rio.rio_deployment:
    name: talker-robot-1
    package_name: talker-docker
    package_version: v1.0.0
    components:
      - name: default
        device: robot-1
        restart_policy: on_failure
        parameters:
          RATE: "10"
    labels:
      site: alpha

- name: Run a cloud web service behind a static route, with a volume and a routed network
  rapyuta.rio.rio_deployment:
    name: dashboard
    package_name: nginx-single-component
    package_version: v1.0.0
    components:
      - name: nginx
        static_routes:
          test: dashboard-prod
        volumes:
          - volume: dashboard-data
            mount_path: /data
    routed_networks:
      - name: fleet-net
    depends_on:
      - database
    on_change: recreate
    wait_timeout: 600

- name: Record bags on a device component
  rapyuta.rio.rio_deployment:
    name: recorder
    package_id: pkg-abcdefghijklmnopqrstuvwx
    components:
      - name: default
        device: robot-1
        rosbag_jobs:
          - name: telemetry
            record_options:
              topics: [/telemetry]
              max_split_duration: 60
            upload_options:
              upload_type: OnStop

- name: Remove a deployment
  rapyuta.rio.rio_deployment:
    name: talker-robot-1
    state: absent

- name: Run the talker on a robot, on the v2 API
  rapyuta.rio.rio_deployment:
    api_version: v2
    name: talker-robot-1
    package_name: talker
    package_version: v1.0.0
    components:
      - name: talker
        device: robot-1
        restart_policy: on_failure
        parameters:
          RATE: "10"
    depends_on:
      - fleet-console
    routed_networks:
      - name: fleet-net
    labels:
      site: alpha

- name: A v2 deployment given as the document rio apply takes, recreated when it differs
  rapyuta.rio.rio_deployment:
    api_version: v2
    name: fleet-console
    on_change: recreate
    definition:
      apiVersion: apiextensions.rapyuta.io/v1
      kind: Deployment
      metadata:
        name: fleet-console
        depends: {kind: package, nameOrGUID: fleet-console, version: v1.0.0}
        region: jp
      spec:
        runtime: cloud
        envArgs:
          - {name: LOG_DIR, value: /logs/console}
        staticRoutes:
          - {name: http, depends: {kind: staticroute, nameOrGUID: fleet-console}}

- name: Remove a v2 deployment
  rapyuta.rio.rio_deployment:
    api_version: v2
    name: talker-robot-1
    state: absent

- name: Remove a cloud deployment although robot deployments still depend on it (they are left failing)
  rapyuta.rio.rio_deployment:
    name: fleet-monitor
    state: absent
    on_dependents: break
  register: removed

- name: Say which deployments were left broken
  ansible.builtin.debug:
    msg: "Recreate or remove: {{ removed.broken_dependents | default([]) | join(', ') }}"
'''

RETURN = r'''
deployment:
  description:
    - The deployment after the task. In check mode, or when it is about to be provisioned, the
      server-owned fields (id, phase, status) are null.
    - Empty after O(state=absent).
    - On v2, the keys that map (C(deployment_id) is C(metadata.guid), C(errors) are C(status.error_codes));
      C(package_id), C(plan_id) are null, C(components) and C(config) empty or absent, and
      C(package_version), C(runtime), C(device) and C(region) are added. The v2 object is RV(resource).
  returned: always
  type: dict
  sample:
    deployment_id: dep-abcdefghijklmnopqrstuvwx
    name: talker-robot-1
    package_id: pkg-abcdefghijklmnopqrstuvwx
    package_name: talker-docker
    plan_id: plan-abcdefghijklmnopqrstuvwx
    phase: Succeeded
    status: Running
    errors: []
    error_explanations: []
    labels: {site: alpha}
    depends_on: []
    components:
      - name: default
        component_id: cccccccccccccccccccccccc
        component_instance_id: inst-abcdefghijklmnopqrstuvwx
        runtime: device
        phase: Succeeded
        status: running
        error_codes: []
    config:
      package_id: pkg-abcdefghijklmnopqrstuvwx
      plan_id: plan-abcdefghijklmnopqrstuvwx
      labels: {site: alpha}
      depends_on: []
      routed_networks: {}
      native_networks: {}
      components:
        default:
          device: 7f0c1f0e-0000-4000-8000-000000000001
          parameters: {RATE: "10"}
          alias: null
          set_ros_namespace: null
          restart_policy: on-failure
          static_routes: {}
          rosbag_jobs: {}
          volumes: []
  contains:
    deployment_id:
      description: The deployment id (C(dep-...)); null when not provisioned yet (check mode).
      type: str
    name:
      description: The deployment name.
      type: str
    package_id:
      description: The package id.
      type: str
    package_name:
      description: The package name.
      type: str
    package_version:
      description: The package version (v2 only).
      type: str
    runtime:
      description: V(cloud) or V(device) (v2 only).
      type: str
    device:
      description: The device name or uuid the deployment runs on, null for a cloud deployment (v2 only).
      type: str
    region:
      description: The deployment's region, for example V(jp) (v2 only).
      type: str
    plan_id:
      description: The plan id.
      type: str
    phase:
      description: The deployment phase, for example V(Succeeded) or V(Failed to start) (v2 V(FailedToStart)).
      type: str
    status:
      description: The deployment status, for example V(Running).
      type: str
    errors:
      description: The deployment's error codes (C(DEP_E*)).
      type: list
      elements: str
    error_explanations:
      description: The error codes with their readable causes.
      type: list
      elements: str
    labels:
      description: The deployment labels (on v1 without the collection's own C(rapyuta.rio/context-digest)).
      type: dict
    depends_on:
      description: Ids of the deployments this one depends on.
      type: list
      elements: str
    components:
      description: One entry per component.
      type: list
      elements: dict
      contains:
        name:
          description: The component name, as in the package.
          type: str
        component_id:
          description: The component id, as in RV(rapyuta.rio.rio_package#module:package.plans[].components).
          type: str
        component_instance_id:
          description: The id of the running component instance.
          type: str
        runtime:
          description: V(cloud) or V(device).
          type: str
        phase:
          description: The component phase.
          type: str
        status:
          description: The component status (often lower case).
          type: str
        error_codes:
          description: The component's error codes.
          type: list
          elements: str
    config:
      description:
        - The normalized configuration (the same form as the diff), the one that was compared.
        - Ids stand for what the task named (devices by uuid, networks, static routes and
          dependencies by their guid or id). Device configuration variables that the platform
          copies into component parameters (C(runtime), C(ros_distro), C(ros_workspace), ...)
          are left out.
      type: dict
      contains:
        package_id:
          description: The package id.
          type: str
        plan_id:
          description: The plan id.
          type: str
        labels:
          description: The deployment labels.
          type: dict
        depends_on:
          description: Ids of the deployments this one depends on (cloud volumes are under the components).
          type: list
          elements: str
        routed_networks:
          description: Routed network guid to C({network_interface}).
          type: dict
        native_networks:
          description: Native network guid to C({network_interface}).
          type: dict
        components:
          description:
            - Component name to its configuration, with the keys C(device) (uuid or null),
              C(parameters), C(alias) and C(set_ros_namespace) (null when the plan needs no
              aliases), C(restart_policy) (the wire value V(always), V(no) or V(on-failure), or
              null), C(static_routes) (endpoint to route guid), C(rosbag_jobs) (job name to its
              options) and C(volumes).
          type: dict
resource:
  description:
    - v2 only. The v2 Deployment object after the task, as the API returns it (C(metadata), C(spec),
      C(status) with C(phase), C(status), C(error_codes) and C(executables_status)); in check mode, for a
      creation, the document that would be sent. Empty after O(state=absent).
  returned: on v2
  type: dict
  sample:
    kind: Deployment
    apiVersion: api.rapyuta.io/v2
    metadata: {name: talker-robot-1, guid: dep-abcdefghijklmnopqrstuvwx,
               depends: {kind: package, nameOrGUID: talker, version: v1.0.0}}
    spec: {runtime: device, device: {depends: {kind: device, nameOrGUID: robot-1}}, restart: onfailure}
    status: {phase: Succeeded, status: Running}
action:
  description:
    - v2 only. What the task did to the deployment, as M(rapyuta.rio.rio_resource) says it -
      V(created), V(unchanged), V(recreated), V(deleted), V(absent), and V(would_create),
      V(would_recreate), V(would_delete) in check mode.
  returned: on v2
  type: str
  sample: created
differences:
  description:
    - The fields in which the live deployment differed from the declared configuration.
    - On v2, C(field) is the path in the v2 document (C(spec.envArgs[RATE].value)) and a value absent
      on one side is null.
  returned: when a live deployment differed
  type: list
  elements: dict
  sample:
    - field: components.default.parameters.RATE
      desired: "20"
      live: "10"
  contains:
    field:
      description: The dotted path of the differing field.
      type: str
    desired:
      description: The declared value.
      type: raw
    live:
      description: The live value.
      type: raw
duration:
  description: Seconds spent waiting.
  returned: when the task waited
  type: float
  sample: 3.52
broken_dependents:
  description:
    - The names of the live deployments that depended on the deployment removed or recreated with
      O(on_dependents=break); they are left failing (C(DEP_E156)) until recreated or removed.
  returned: when O(on_dependents=break) removed or recreated a deployment others depended on (in check mode, would); v1 only
  type: list
  elements: str
  sample: [talker-robot-1]
'''

from ansible_collections.rapyuta.rio.plugins.module_utils.deployments.arguments import (
    deployment_argument_spec,
    deployment_constraints,
)
from ansible_collections.rapyuta.rio.plugins.module_utils.module.rio_module import RioModule
from ansible_collections.rapyuta.rio.plugins.module_utils.deployments.task import run_deployment
from ansible_collections.rapyuta.rio.plugins.module_utils.deployments.v2 import run_deployment_v2


def main(direct=None):
    rio = RioModule(deployment_argument_spec(), direct=direct, api_versions=("v1", "v2"),
                    **deployment_constraints(definition=True))
    if rio.api_version == "v2":
        run_deployment_v2(rio)
    elif rio.params.get("definition") is not None:
        rio.fail("definition: a v2 Deployment document, taken with api_version v2 only; set api_version: v2, or "
                 "give the deployment through the other options")
    else:
        run_deployment(rio)


if __name__ == "__main__":
    main()
