# Copyright: (c) 2026, rapyuta.rio contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

import pytest

from ansible_collections.rapyuta.rio.plugins.module_utils.deployments.checks import (
    DeploymentInputError,
    check_labels,
    check_spec,
    rosbag_job_to_wire,
)


def component(name="talker", **options):
    entry = dict(name=name, device=None, volumes=[], static_routes={}, rosbag_jobs=[])
    entry.update(options)
    return entry


def spec(**options):
    params = dict(components=[], routed_networks=[], native_networks=[], depends_on=[], labels={})
    params.update(options)
    return params


def test_rosbag_job_becomes_wire_camel_case_without_unset_options():
    job = {
        "name": "rb",
        "record_options": {"all_topics": None, "topics": ["/a"], "max_split_duration": 30, "compression": "LZ4",
                           "topic_include_regex": None},
        "upload_options": {"max_upload_rate": 10, "purge_after": False, "upload_type": "OnDemand",
                           "on_demand_opts": {"time_range": {"from": 1, "to": 2}}},
        "override_options": {"topic_override_info": [{"topic_name": "/a", "record_frequency": 5, "latched": None}],
                             "exclude_topics": None},
    }
    assert rosbag_job_to_wire(job) == {
        "name": "rb",
        "recordOptions": {"topics": ["/a"], "maxSplitDuration": 30, "compression": "LZ4"},
        "uploadOptions": {"maxUploadRate": 10, "purgeAfter": False, "uploadType": "OnDemand",
                          "onDemandOpts": {"timeRange": {"from": 1, "to": 2}}},
        "overrideOptions": {"topicOverrideInfo": [{"topicName": "/a", "recordFrequency": 5}]},
    }


def test_rosbag_job_without_optional_sections_has_only_record_options():
    job = {"name": "rb", "record_options": {"all_topics": True}, "upload_options": None, "override_options": None}
    assert rosbag_job_to_wire(job) == {"name": "rb", "recordOptions": {"allTopics": True}}


def test_labels_are_strings_and_never_empty():
    assert check_labels({"env": "test", "rev": 3}) == {"env": "test", "rev": "3"}
    with pytest.raises(DeploymentInputError) as err:
        check_labels({"env": ""})
    assert err.value.field == "labels.env"


def test_a_component_listed_twice_is_rejected():
    with pytest.raises(DeploymentInputError) as err:
        check_spec(spec(components=[component(), component()]))
    assert "'talker' is listed more than once" in str(err.value)


def test_device_volume_needs_the_component_device():
    entry = component(volumes=[{"device_volume": True, "executable_mounts": [{"exec_name": "e", "mount_path": "/d"}]}])
    with pytest.raises(DeploymentInputError) as err:
        check_spec(spec(components=[entry]))
    assert err.value.field == "components.talker.volumes[0].device_volume"


def test_device_volume_with_device_and_mounts_passes():
    entry = component(device="robot", volumes=[{"device_volume": True,
                                                "executable_mounts": [{"exec_name": "e", "mount_path": "/d"}]}])
    assert check_spec(spec(components=[entry], labels={"a": "b"})) == {"a": "b"}


def test_volume_entry_needs_a_volume_or_device_volume():
    entry = component(volumes=[{"device_volume": False, "mount_path": "/d"}])
    with pytest.raises(DeploymentInputError) as err:
        check_spec(spec(components=[entry]))
    assert err.value.field == "components.talker.volumes[0]"


def test_duplicate_rosbag_job_names_and_bad_split_duration_are_rejected():
    twice = component(rosbag_jobs=[{"name": "a", "record_options": {}}, {"name": "a", "record_options": {}}])
    with pytest.raises(DeploymentInputError, match="job name 'a' is used more than once"):
        check_spec(spec(components=[twice]))
    zero = component(rosbag_jobs=[{"name": "a", "record_options": {"max_split_duration": 0}}])
    with pytest.raises(DeploymentInputError) as err:
        check_spec(spec(components=[zero]))
    assert err.value.field == "components.talker.rosbag_jobs[0].record_options.max_split_duration"


def test_static_route_values_must_be_names():
    with pytest.raises(DeploymentInputError) as err:
        check_spec(spec(components=[component(static_routes={"ep": ""})]))
    assert err.value.field == "components.talker.static_routes.ep"


def test_a_network_listed_twice_is_rejected():
    with pytest.raises(DeploymentInputError, match="routed_networks: network 'n' is listed more than once"):
        check_spec(spec(routed_networks=[{"name": "n"}, {"name": "n", "network_interface": "eth0"}]))
