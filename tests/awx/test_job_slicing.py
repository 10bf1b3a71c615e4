# Copyright: (c) 2026, rapyuta.rio contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""AWX job slicing of playbooks/deploy_robots.yml, on both API generations (docs/awx.md#8-large-fleets).

The sample fleet (playbooks/sample/fleet.yml, seven online robots) is deployed by a job template
with 2 and 4 slices run at the same time, each slice through ansible-runner with its own part of
the inventory (awx_job.py says how AWX does each step and what stands in for it). What must hold:
every robot gets exactly one deployment; the shared cloud side (packages, routed network, cloud
deployment, and on v2 the disk and the static route) is created by exactly one request each, counted
in the emulator's access log, although every slice runs the plays on localhost; the slices'
``set_stats`` artifacts add up to the fleet, in the shape docs/awx.md promises, on both generations;
a converged re-run of the sliced job writes nothing.
"""

import os
import re

import pytest

from rio_emulator.launcher import EmulatorProcess

from awx_job import ROOT, ImportedInventory, credential_env, run_sliced_job, runner_env, writes
from race_gate import RaceGate

SAMPLE_FLEET = os.path.join(ROOT, "playbooks", "sample", "fleet.yml")
INVENTORY = {"v1": os.path.join(ROOT, "playbooks", "sample", "inventory"),
             "v2": os.path.join(ROOT, "playbooks", "sample", "inventory_v2")}
PLAYBOOK = "playbooks/deploy_robots.yml"
TOKEN = "awx-TOKEN-5d1e8b20-do-not-leak"
PROJECT = "project-awxslicing"
# Long enough for a follower to find the leader's objects still pending; short enough for make test.
PHASE_DELAY = "1"
# What the sample's cloud side creates, by creation route (docs/reference/v1-api.md, v2-api.md).
SHARED_ROUTES = {
    "v1": {"POST /serviceclass/add": 3, "POST /routednetwork": 1},
    "v2": {"POST /v2/packages/": 3, "POST /v2/networks/": 1, "POST /v2/disks/": 1, "POST /v2/staticroutes/": 1},
}
DEPLOYMENT_ROUTE = {"v1": "PUT /v2/service_instances/instanceId", "v2": "POST /v2/deployments/"}
CLOUD_DEPLOYMENT = "sample-fleet-monitor"
NETWORK = "sample-fleet-net"
# A slice without the leader waits this long at most (the default, 900 s, would let a broken leader
# stall the suite).
FOLLOWER_WAIT = {"cloud_side_leader_timeout": 120, "fleet_deployment_leader_timeout": 120,
                 "cloud_side_leader_poll": 1, "fleet_deployment_leader_poll": 1}


def artifact_keys(name):
    """The keys docs/awx.md promises for an artifact's items (its table of job artifacts)."""
    with open(os.path.join(ROOT, "docs", "awx.md")) as handle:
        for line in handle:
            if line.startswith("| `%s` |" % name):
                return set(re.findall(r"`(\w+)`", line.rsplit("|", 2)[-2]))
    raise AssertionError("docs/awx.md has no row for the artifact %s" % name)


@pytest.fixture
def platform(tmp_path):
    emulator = EmulatorProcess(str(tmp_path), fleet=SAMPLE_FLEET, token=TOKEN, project=PROJECT,
                               extra_args=["--access-log", "--phase-delay", PHASE_DELAY])
    yield emulator
    emulator.stop()


def job_env(emulator, generation, url=None):
    """The job's environment: the rapyuta.io credential (docs/awx-credential-type.yml) filled in for this project."""
    url = url or emulator.url
    inputs = {"auth_token": TOKEN, "project": PROJECT, "organization": emulator.organization, "api_version": generation,
              "catalog_host": url, "core_api_host": url, "v2_api_host": url}
    return runner_env(credential_env(inputs))


def live_deployments(emulator, generation):
    """{name: [id, ...]} of the deployments that are not stopped, from the emulator's API."""
    headers = {"Authorization": "Bearer " + TOKEN, "project": PROJECT}
    found = {}
    if generation == "v1":
        for dep in emulator.call("GET", "/deployment/list", headers=headers) or []:
            if dep.get("phase") != "Deployment stopped":
                found.setdefault(dep["name"], []).append(dep["deploymentId"])
    else:
        for dep in (emulator.call("GET", "/v2/deployments/?limit=1000", headers=headers) or {}).get("items") or []:
            if not (dep.get("metadata") or {}).get("deletedAt"):
                found.setdefault(dep["metadata"]["name"], []).append(dep["metadata"]["guid"])
    return found


def log_size(emulator):
    return os.path.getsize(emulator.log_path)


@pytest.mark.parametrize("generation", ["v1", "v2"])
def test_a_sliced_deploy_creates_the_cloud_side_once_and_every_robot_once(platform, tmp_path, generation, slices=4):
    env = job_env(platform, generation)
    inventory = ImportedInventory.update_from(INVENTORY[generation], env, str(tmp_path))
    robots = inventory.hosts()
    assert len(robots) == 7
    # The inventory plugin names the leader; every slice keeps it (the inventory's variables).
    assert inventory.variables["rio_fleet_leader"] == robots[0]

    before = log_size(platform)
    jobs = run_sliced_job(str(tmp_path), inventory, slices, PLAYBOOK, env, FOLLOWER_WAIT)
    assert [job.status for job in jobs] == ["successful"] * slices, "\n".join(job.describe() for job in jobs)
    assert sorted(host for job in jobs for host in job.hosts) == robots
    assert not [job.name for job in jobs if TOKEN in job.stdout]  # the credential's secret is never shown
    assert sum(robots[0] in job.hosts for job in jobs) == 1

    # Exactly one creation per shared object, none refused, and one deployment per robot plus the cloud one.
    written = writes(platform.log_path, before)
    for route, count in SHARED_ROUTES[generation].items():
        assert written.get(route) == {"ok": count, "409": 0, "other": 0}, (route, written)
    assert written[DEPLOYMENT_ROUTE[generation]] == {"ok": len(robots) + 1, "409": 0, "other": 0}, written
    live = live_deployments(platform, generation)
    assert sorted(live) == sorted(["talker-" + robot for robot in robots] + [CLOUD_DEPLOYMENT])
    assert all(len(ids) == 1 for ids in live.values()), live

    # The artifacts: each slice its own robots, together the fleet, in the promised shape.
    records = [item for job in jobs for item in job.artifacts["rio_fleet_deployments"]]
    assert sorted(item["robot"] for item in records) == robots
    for job in jobs:
        assert sorted(item["robot"] for item in job.artifacts["rio_fleet_deployments"]) == job.hosts
    keys = artifact_keys("rio_fleet_deployments")
    assert all(set(item) == keys for item in records), (keys, records[0])
    assert all(item["phase"] == "Succeeded" and item["status"] == "Running" and not item["failed"] for item in records)
    assert sorted(item["deployment_id"] for item in records) == sorted(live["talker-" + robot][0] for robot in robots)
    clouds = [job.artifacts["rio_cloud_deployment"] for job in jobs]
    assert all(set(cloud) == artifact_keys("rio_cloud_deployment") for cloud in clouds)
    assert {cloud["deployment_id"] for cloud in clouds} == set(live[CLOUD_DEPLOYMENT])

    # The scheduled job's next run: converged, nothing written, nothing changed.
    before = log_size(platform)
    again = run_sliced_job(str(tmp_path), inventory, slices, PLAYBOOK, env, FOLLOWER_WAIT, job_id=200)
    assert [job.status for job in again] == ["successful"] * slices, "\n".join(job.describe() for job in again)
    assert writes(platform.log_path, before) == {}
    assert [job.changed_tasks for job in again] == [[]] * slices


@pytest.mark.parametrize("generation, leader", [("v1", True), ("v2", True), ("v2", False), ("v1", False)])
def test_slices_that_race_create_each_shared_object_once_with_a_leader_and_on_v2_without(
        platform, tmp_path, generation, leader):
    """The creations of the network and of the cloud deployment are held until both slices send them
    (race_gate.py), so the slices race for real. With the leader only its slice creates; without it, v2
    (names unique) answers the second creation 409 and that slice adopts the stored object, while on v1
    the job breaks (a package version refused to one slice, or two networks and cloud deployments of
    one name): what the leader is for."""
    inventory = ImportedInventory.update_from(INVENTORY[generation], job_env(platform, generation), str(tmp_path))
    if not leader:
        del inventory.variables["rio_fleet_leader"]  # a static inventory without it: every slice ensures
    gate = RaceGate(platform.url, names=[NETWORK, CLOUD_DEPLOYMENT], parties=2, hold=3)
    try:
        before = log_size(platform)
        jobs = run_sliced_job(str(tmp_path), inventory, 2, PLAYBOOK, job_env(platform, generation, gate.url),
                              FOLLOWER_WAIT)
    finally:
        gate.close()
    written = writes(platform.log_path, before)
    live = live_deployments(platform, generation)
    raced = set(key[:2] for key, count in gate.raced.items() if count > 1)  # {(path, name)} sent together
    if generation == "v1" and not leader:
        # The slower slice's package creation is refused (409) and it fails, or both create a network and
        # a cloud deployment of the same name: a broken job either way.
        failed = [job for job in jobs if job.status != "successful"]
        doubled = written["POST /routednetwork"]["ok"] > 1 or len(live.get(CLOUD_DEPLOYMENT, [])) > 1
        assert failed or doubled, (written, live)
        return
    assert [job.status for job in jobs] == ["successful"] * 2, "\n".join(job.describe() for job in jobs)
    for route, count in SHARED_ROUTES[generation].items():
        assert written[route]["ok"] == count, (route, written)
    assert written[DEPLOYMENT_ROUTE[generation]]["ok"] == len(inventory.hosts()) + 1, written
    assert all(len(ids) == 1 for ids in live.values()) and len(live) == len(inventory.hosts()) + 1, live
    if leader:
        assert not raced and all(entry["409"] == 0 for entry in written.values()), (raced, written)
    else:
        # They did race: the network and the cloud deployment were each sent twice, and refused once.
        assert {("/v2/networks/", NETWORK), ("/v2/deployments/", CLOUD_DEPLOYMENT)} <= raced, gate.raced
        assert written["POST /v2/networks/"] == {"ok": 1, "409": 1, "other": 0}, written


@pytest.mark.parametrize("generation", ["v1", "v2"])
def test_a_check_run_of_a_slice_without_the_leader_reports_what_the_leader_would_and_writes_nothing(
        platform, tmp_path, generation):
    env = job_env(platform, generation)
    inventory = ImportedInventory.update_from(INVENTORY[generation], env, str(tmp_path))
    before = log_size(platform)
    leader, follower = run_sliced_job(str(tmp_path), inventory, 2, PLAYBOOK, env, FOLLOWER_WAIT, check=True)
    assert (leader.status, follower.status) == ("successful", "successful"), leader.describe() + follower.describe()
    assert writes(platform.log_path, before) == {}
    # No waiting (nothing will appear in check mode), and the same changes announced as the leader's.
    assert follower.retried_tasks == [] and leader.retried_tasks == []
    assert "Ensure the routed networks run" in follower.changed_tasks
    assert follower.changed_tasks == leader.changed_tasks


def test_a_slice_whose_leader_never_runs_fails_naming_it_and_what_is_missing(platform, tmp_path):
    env = job_env(platform, "v1")
    inventory = ImportedInventory.update_from(INVENTORY["v1"], env, str(tmp_path))
    before = log_size(platform)
    (follower,) = run_sliced_job(str(tmp_path), inventory, 2, PLAYBOOK, env, only=[2],
                                 extra_vars={"cloud_side_leader_timeout": 3, "cloud_side_leader_poll": 1})
    assert follower.status == "failed" and follower.retried_tasks, follower.describe()
    message = re.search(r"this run's inventory does not hold the fleet leader .*", follower.stdout).group(0)
    assert inventory.variables["rio_fleet_leader"] in message
    for missing in ("package sample-fleet-monitor v1.0.0", "routed network " + NETWORK,
                    "cloud deployment " + CLOUD_DEPLOYMENT):
        assert missing in message, message
    assert writes(platform.log_path, before) == {}
