"""Issue 8 item 1: the fleet playbook for 20 robots against an emulator injecting 20 % faults (503s,
dropped connections, 200 ms delays). It converges with exactly one of each package, one live
deployment per robot (no duplicate from a retried create), and a re-run under the same fault rate
reports changed=0 and writes nothing."""
import os

import pytest

from rel_helpers import (PLAYBOOKS, SAMPLE_INVENTORY, ansible_env, fleet_state, playbook, record_figures,
                         write_fleet, writes_of)

ROBOTS = 20
FAULT_RATE = 0.2
LATENCY_MS = 200
SEED = 8
EXPECTED_PACKAGES = ["sample-fleet-monitor v1.0.0", "sample-talker-amd64 v1.0.0", "sample-talker-arm64v8 v1.0.0"]


def robots():
    return ["bot-%02d" % i for i in range(1, ROBOTS + 1)]


def assert_converged_fleet(state):
    """Exactly one of everything the fleet playbook makes, nothing else."""
    assert sorted(state["packages"]) == EXPECTED_PACKAGES, state["packages"]
    duplicates = {key: ids for kind in ("packages", "deployments", "routed_networks")
                  for key, ids in state[kind].items() if len(ids) != 1}
    assert not duplicates, "duplicates: %s" % duplicates
    expected = sorted(["talker-%s" % robot for robot in robots()] + ["sample-fleet-monitor"])
    assert sorted(state["deployments"]) == expected
    assert sorted(state["routed_networks"]) == ["sample-fleet-net"]


def summary(state):
    return {kind: sum(len(ids) for ids in state[kind].values()) for kind in state}


def fault_figures(emu, stats):
    injected = emu.faults()["injected"]
    return {"faults_injected": sum(injected.values()), "injected_by_kind": injected,
            "requests": stats["total"], "writes": writes_of(stats),
            "answered_503": stats["by_status"].get("503", 0), "dropped": stats["by_status"].get("599", 0),
            # Every 503 and every dropped connection was followed by a retry (or a look-up then a
            # re-send, for creations): the run converged without a failed task.
            "retries_made": stats["by_status"].get("503", 0) + stats["by_status"].get("599", 0),
            "creations": {route: n for route, n in stats["by_route"].items()
                          if route.startswith(("POST /serviceclass/add", "PUT /v2/service_instances",
                                               "POST /routednetwork"))}}


@pytest.mark.parametrize("mode", ["batch", "per_robot"])
def test_fleet_converges_under_faults(emulators, tmp_path, mode):
    fleet = write_fleet(str(tmp_path / "fleet20.yml"), ROBOTS)
    emu = emulators(fleet=fleet, extra=["--phase-delay", "0.5", "--fault-rate", str(FAULT_RATE),
                                        "--fault-latency", str(LATENCY_MS), "--seed", str(SEED)])
    env = ansible_env(emu, extra={"ANSIBLE_FORKS": "10"})
    deploy = os.path.join(PLAYBOOKS, "deploy_robots.yml")
    mode_var = ("-e", "rio_fleet_mode=%s" % mode)

    emu.faults(0)
    before = summary(fleet_state(emu))
    emu.faults(FAULT_RATE, LATENCY_MS, SEED)
    emu.reset_counters()
    first = playbook(deploy, env, *mode_var, inventory=SAMPLE_INVENTORY, timeout=600)
    first_stats = emu.stats()
    first_faults = fault_figures(emu, first_stats)
    assert first.returncode == 0, first.describe()
    recap = first.recap()
    assert first.robots_seen() == robots(), recap
    assert all(r["failed"] == 0 and r["unreachable"] == 0 for r in recap.values()), recap
    assert first_faults["faults_injected"] > 0 and first_faults["retries_made"] > 0, first_faults

    emu.faults(0)
    state = fleet_state(emu)
    assert_converged_fleet(state)
    live = {d["name"]: d for d in emu.live_deployments()}
    assert all(live["talker-%s" % r]["phase"] == "Succeeded" for r in robots()), live

    emu.faults(FAULT_RATE, LATENCY_MS, SEED + 1)
    emu.reset_counters()
    second = playbook(deploy, env, *mode_var, inventory=SAMPLE_INVENTORY, timeout=600)
    second_stats = emu.stats()
    second_faults = fault_figures(emu, second_stats)
    assert second.returncode == 0, second.describe()
    recap = second.recap()
    assert second.robots_seen() == robots()
    assert all(r["changed"] == 0 and r["failed"] == 0 for r in recap.values()), recap
    assert writes_of(second_stats) == 0, second_stats["by_route"]

    emu.faults(0)
    after_state = fleet_state(emu)
    assert after_state == state, "the re-run changed the fleet"
    record_figures("flaky_api_%s" % mode, {
        "robots": ROBOTS, "mode": mode, "fault_rate": FAULT_RATE, "latency_ms": LATENCY_MS, "seed": SEED,
        "run1": dict(first_faults, seconds=round(first.seconds, 1)),
        "run2": dict(second_faults, seconds=round(second.seconds, 1),
                     changed=sum(r["changed"] for r in recap.values())),
        "resources_before": before, "resources_after": summary(after_state)})
