# Copyright: (c) 2026, rapyuta.rio contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""The volume kind: a disk is created once, never resized, and never deleted while a deployment uses it."""

import pytest
from fake_clock import FakeClock
from resource_fakes import FakeApi

from ansible_collections.rapyuta.rio.plugins.module_utils.resources.ensure import (
    ResourceInputError,
    ResourceInUse,
    ensure,
)
from ansible_collections.rapyuta.rio.plugins.module_utils.resources.volume import (
    CAPACITIES,
    VolumeKind,
    users_of,
)
from ansible_collections.rapyuta.rio.plugins.module_utils.v1.wait import DeploymentFailed


@pytest.fixture
def api():
    return FakeApi(ready_after=2)


def vol(api, check_mode=False, wait=True, **options):
    base = {"name": "db", "state": "present", "capacity": 32, "disk_type": "ssd", "on_change": "fail"}
    base.update(options)
    clock = FakeClock()
    return ensure(VolumeKind(), api, base, check_mode=check_mode,
                  wait={"timeout": 30, "sleep": 1.0} if wait else None, sleeper=clock.sleep, clock=clock)


def test_a_volume_is_created_waited_for_and_left_alone(api):
    out = vol(api)
    assert out["changed"] and out["result"]["status"] == "Available" and out["result"]["capacity"] == 32
    assert api.writes() == [("create_disk", "db", 32, "ssd")]
    api.calls = []
    again = vol(api)
    assert again["changed"] is False and api.writes() == []


def test_a_bound_volume_is_ready():
    api = FakeApi(disk_status="Bound")
    assert vol(api)["result"]["status"] == "Bound"


def test_a_failed_volume_fails_the_task():
    api = FakeApi(disk_status="Failed")
    with pytest.raises(DeploymentFailed) as err:
        vol(api)
    assert "volume 'db' failed: status 'Failed'" in str(err.value)


def test_a_volume_cannot_be_resized(api):
    vol(api)
    with pytest.raises(ResourceInputError) as err:
        vol(api, capacity=64)
    assert err.value.field == "capacity"
    assert "capacity (live 32, declared 64)" in str(err.value)


def test_a_volume_in_use_is_not_deleted(api):
    vol(api)
    disk = next(iter(api.disks.values()))
    disk.update(usedBy="dep-abc", usedByDeploymentName="database")
    for check_mode in (True, False):
        with pytest.raises(ResourceInUse) as err:
            vol(api, state="absent", check_mode=check_mode)
        assert "in use by deployment 'database' (dep-abc)" in str(err.value)
    with pytest.raises(ResourceInUse):
        vol(api, capacity=64, on_change="recreate")
    assert [call[0] for call in api.writes()] == ["create_disk"]


def test_a_volume_is_deleted_once(api):
    vol(api)
    assert vol(api, state="absent")["changed"] is True
    assert vol(api, state="absent")["changed"] is False
    assert api.disks == {}


def test_users_of_a_disk_are_named_for_messages():
    assert users_of({"usedBy": "", "usedByDeploymentName": ""}) is None
    assert users_of({"usedBy": "dep-1", "usedByDeploymentName": "db"}) == "deployment 'db' (dep-1)"
    assert users_of({"usedBy": "dep-1"}) == "deployment 'dep-1'"


def test_the_result_reads_capacity_as_a_number_and_empty_users_as_none():
    result = VolumeKind().result({"name": "db", "guid": "disk-1", "capacity": "32", "diskType": "ssd",
                                  "status": "Available", "errors": None, "usedBy": "", "usedByDeploymentName": ""})
    assert result["capacity"] == 32 and result["used_by"] is None and result["errors"] == []


def test_only_the_platform_capacities_are_accepted():
    # rio_volume's argument spec takes its choices from here (refusals: tests/unit/plugins/modules).
    assert list(CAPACITIES) == [4, 8, 16, 32, 64, 128, 256, 512]
