"""Issue 8 item 3: per-robot mode (the robot_deployment role on every robot host) with 50 forks
against one emulator: no error, no duplicate, one live deployment per robot."""
import os

from rel_helpers import (PLAYBOOKS, SAMPLE_INVENTORY, ansible_env, fleet_state, playbook, record_figures,
                         write_fleet, writes_of)
from test_flaky_api import EXPECTED_PACKAGES

ROBOTS = 50
FORKS = 50


def test_fifty_forks_one_emulator(emulators, tmp_path):
    fleet = write_fleet(str(tmp_path / "fleet50.yml"), ROBOTS)
    emu = emulators(fleet=fleet, extra=["--phase-delay", "0.5"])
    env = ansible_env(emu, extra={"ANSIBLE_FORKS": str(FORKS)})
    robots = ["bot-%02d" % i for i in range(1, ROBOTS + 1)]
    emu.reset_counters()
    result = playbook(os.path.join(PLAYBOOKS, "deploy_robots.yml"), env, "-e", "rio_fleet_mode=per_robot",
                      inventory=SAMPLE_INVENTORY, timeout=900)
    stats = emu.stats()
    assert result.returncode == 0, result.describe()
    recap = result.recap()
    assert sorted(h for h in recap if h != "localhost") == robots
    assert all(r["failed"] == 0 and r["unreachable"] == 0 for r in recap.values()), recap
    errors = {code: n for code, n in stats["by_status"].items() if int(code) >= 500}
    assert not errors, "server errors under 50 forks: %s" % errors
    state = fleet_state(emu)
    duplicates = {key: ids for kind in state for key, ids in state[kind].items() if len(ids) != 1}
    assert not duplicates, "duplicates: %s" % duplicates
    assert sorted(state["packages"]) == EXPECTED_PACKAGES
    assert sorted(state["deployments"]) == sorted(["talker-%s" % r for r in robots] + ["sample-fleet-monitor"])
    live = {d["name"]: d for d in emu.live_deployments()}
    assert all(live["talker-%s" % r]["phase"] == "Succeeded" for r in robots)
    record_figures("concurrency_50_forks", {
        "robots": ROBOTS, "forks": FORKS, "mode": "per_robot", "requests": stats["total"], "writes": writes_of(stats),
        "by_status": stats["by_status"],
        "provisions": stats["by_route"].get("PUT /v2/service_instances/{instance_id}", 0),
        "package_creations": stats["by_route"].get("POST /serviceclass/add", 0),
        "live_deployments": sum(len(v) for v in state["deployments"].values()),
        "duplicates": 0, "seconds": round(result.seconds, 1)})
