# Copyright: (c) 2026, rapyuta.rio contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""The argument spec of one deployment, shared by rio_deployment and rio_deployment_batch.
FOR INTERNAL COLLECTION USE ONLY: may change in any release.

rio_deployment takes these options at the top level (plus the wait options); rio_deployment_batch
validates each item of its ``deployments`` list against the same spec, so both modules accept and
refuse exactly the same input. The options are documented in rio_deployment.
"""

import copy

from ansible_collections.rapyuta.rio.plugins.module_utils.module.arguments import wait_argument_spec

_NETWORK = dict(
    name=dict(type="str", required=True),
    network_interface=dict(type="str"),
)

_ROSBAG_JOB = dict(
    name=dict(type="str", required=True),
    record_options=dict(type="dict", required=True, options=dict(
        all_topics=dict(type="bool"),
        topics=dict(type="list", elements="str"),
        topic_include_regex=dict(type="list", elements="str"),
        topic_exclude_regex=dict(type="str"),
        max_message_count=dict(type="int"),
        node=dict(type="str"),
        compression=dict(type="str", choices=["LZ4", "BZ2"]),
        max_splits=dict(type="int"),
        max_split_size=dict(type="int"),
        chunk_size=dict(type="int"),
        max_split_duration=dict(type="int"),
    ), required_one_of=[("all_topics", "topics", "topic_include_regex", "node")]),
    upload_options=dict(type="dict", options=dict(
        max_upload_rate=dict(type="int"),
        purge_after=dict(type="bool"),
        upload_type=dict(type="str", choices=["OnStop", "Continuous", "OnDemand"]),
        on_demand_opts=dict(type="dict", options=dict(
            time_range=dict(type="dict", required=True, options=dict(
                **{"from": dict(type="int", required=True), "to": dict(type="int", required=True)})),
        )),
    )),
    override_options=dict(type="dict", options=dict(
        topic_override_info=dict(type="list", elements="dict", options=dict(
            topic_name=dict(type="str", required=True),
            record_frequency=dict(type="int"),
            latched=dict(type="bool"),
        )),
        exclude_topics=dict(type="list", elements="str"),
    )),
)

_VOLUME = dict(
    volume=dict(type="str"),
    device_volume=dict(type="bool"),
    mount_path=dict(type="str"),
    executable_mounts=dict(type="list", elements="dict", options=dict(
        exec_name=dict(type="str", required=True),
        mount_path=dict(type="str", required=True),
        sub_path=dict(type="str"),
    )),
)

_COMPONENT = dict(
    name=dict(type="str", required=True),
    device=dict(type="str"),
    ignore_device_config=dict(type="list", elements="str", default=[]),
    alias=dict(type="str"),
    set_ros_namespace=dict(type="bool", default=False),
    set_component_alias=dict(type="bool", default=True),
    parameters=dict(type="dict", default={}),
    restart_policy=dict(type="str", choices=["always", "never", "on_failure"]),
    rosbag_jobs=dict(type="list", elements="dict", default=[], options=_ROSBAG_JOB),
    static_routes=dict(type="dict", default={}),
    volumes=dict(type="list", elements="dict", default=[], options=_VOLUME,
                 mutually_exclusive=[("volume", "device_volume"), ("mount_path", "executable_mounts")],
                 required_one_of=[("volume", "device_volume"), ("mount_path", "executable_mounts")]),
)


_DEPLOYMENT = dict(
    name=dict(type="str", required=True),
    state=dict(type="str", choices=["present", "absent"], default="present"),
    package_id=dict(type="str"),
    package_name=dict(type="str"),
    package_version=dict(type="str"),
    plan=dict(type="str"),
    components=dict(type="list", elements="dict", default=[], options=_COMPONENT),
    labels=dict(type="dict", default={}),
    depends_on=dict(type="list", elements="str", default=[]),
    routed_networks=dict(type="list", elements="dict", default=[], options=_NETWORK),
    native_networks=dict(type="list", elements="dict", default=[], options=_NETWORK),
    on_change=dict(type="str", choices=["fail", "recreate"], default="fail"),
    on_dependents=dict(type="str", choices=["fail", "break"], default="fail"),
)

# Cross-option rules, as keyword arguments of AnsibleModule (and of ArgumentSpecValidator).
DEPLOYMENT_CONSTRAINTS = dict(
    mutually_exclusive=[("package_id", "package_name")],
    required_together=[("package_name", "package_version")],
    required_if=[("state", "present", ("package_id", "package_name"), True)],
)


def deployment_options():
    """The options of one deployment (no wait and no connection options)."""
    return copy.deepcopy(_DEPLOYMENT)


def deployment_constraints(definition=False):
    """The cross-option rules; ``definition=True`` for rio_deployment, whose v2 ``definition`` stands
    for the package options (rio_deployment_batch has no such option)."""
    constraints = copy.deepcopy(DEPLOYMENT_CONSTRAINTS)
    if definition:
        constraints["mutually_exclusive"].extend([("definition", "package_id"), ("definition", "package_name")])
        constraints["required_if"] = [("state", "present", ("package_id", "package_name", "definition"), True)]
    return constraints


def deployment_argument_spec():
    """rio_deployment's own options: one deployment, its v2 ``definition`` and the wait options."""
    spec = deployment_options()
    spec["definition"] = dict(type="raw")
    spec.update(wait_argument_spec())
    return spec
