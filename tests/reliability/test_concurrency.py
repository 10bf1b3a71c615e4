"""Issue 8 item 3, on both API generations: per-robot mode (the robot_deployment role on every robot
host) with 50 forks against one emulator: no error, no duplicate, one live deployment per robot."""
import os

import pytest

from rel_helpers import (GENERATIONS, PLAYBOOKS, ansible_env, assert_one_of_each, figures_name, playbook,
                         record_figures, resource_counts, write_fleet, writes_of)

ROBOTS = 50
FORKS = 50


@pytest.mark.parametrize("api", sorted(GENERATIONS))
def test_fifty_forks_one_emulator(emulators, tmp_path, api):
    generation = GENERATIONS[api]
    fleet = write_fleet(str(tmp_path / "fleet50.yml"), ROBOTS)
    emu = emulators(fleet=fleet, extra=["--phase-delay", "0.5"])
    env = ansible_env(emu, extra={"ANSIBLE_FORKS": str(FORKS)})
    robots = ["bot-%02d" % i for i in range(1, ROBOTS + 1)]
    emu.reset_counters()
    result = playbook(os.path.join(PLAYBOOKS, "deploy_robots.yml"), env, "-e", "rio_fleet_mode=per_robot",
                      inventory=generation.inventory, timeout=900)
    stats = emu.stats()
    assert result.returncode == 0, result.describe()
    recap = result.recap()
    assert sorted(h for h in recap if h != "localhost") == robots
    assert all(r["failed"] == 0 and r["unreachable"] == 0 for r in recap.values()), recap
    errors = {code: n for code, n in stats["by_status"].items() if int(code) >= 500}
    assert not errors, "server errors under 50 forks: %s" % errors
    state = generation.state(emu)
    assert_one_of_each(state, generation, robots)
    phases = generation.live_phases(emu)
    assert all(phases["talker-%s" % r] == "Succeeded" for r in robots), phases
    record_figures(figures_name("concurrency_50_forks", api), {
        "robots": ROBOTS, "forks": FORKS, "api_version": api, "mode": "per_robot", "requests": stats["total"],
        "writes": writes_of(stats), "by_status": stats["by_status"], "provisions": generation.provisions(stats),
        "package_creations": stats["by_route"].get(generation.package_route, 0),
        "creations": generation.creations(stats), "resources": resource_counts(state),
        "live_deployments": resource_counts(state)["deployments"],
        "duplicates": 0, "seconds": round(result.seconds, 1)})
