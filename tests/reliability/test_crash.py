"""Issue 8 item 2, on both API generations: the emulator is killed (SIGKILL) in the middle of a fleet
rollout and restarted on the same state file and the same port. Re-running the playbook converges: every
deployment that existed before the crash is still there (nothing lost), and there is exactly one of each
package, cloud-side object and robot deployment (nothing duplicated)."""
import os
import signal
import subprocess
import time

import pytest

from rel_helpers import (GENERATION_MODE_IDS, GENERATION_MODES, GENERATIONS, PLAYBOOKS, VENV_BIN, ansible_env,
                         assert_one_of_each, figures_name, playbook, record_figures, resource_counts, write_fleet)

ROBOTS = 8
# The cloud side's deployment, then the first robot ones: the kill lands while the others are in flight.
PROVISIONED_BEFORE_KILL = 2


@pytest.mark.parametrize("api,mode", GENERATION_MODES, ids=GENERATION_MODE_IDS)
def test_rollout_survives_an_emulator_crash(emulators, tmp_path, api, mode):
    generation = GENERATIONS[api]
    fleet = write_fleet(str(tmp_path / "fleet.yml"), ROBOTS)
    emu = emulators(fleet=fleet, extra=["--phase-delay", "2"])
    port, state_file = emu.port, emu.state
    env = ansible_env(emu, extra={"ANSIBLE_FORKS": "2"})
    mode_var = ["-e", "rio_fleet_mode=%s" % mode]
    # A slow API until the crash (every call delayed 300 ms), so that the kill lands among the provisions.
    emu.faults(1.0, 300, 1, kinds=["delay"])
    deploy = os.path.join(PLAYBOOKS, "deploy_robots.yml")
    robots = ["bot-%02d" % i for i in range(1, ROBOTS + 1)]

    log = open(str(tmp_path / "rollout1.log"), "w")
    rollout = subprocess.Popen([os.path.join(VENV_BIN, "ansible-playbook"), "-i", generation.inventory] + mode_var + [deploy],
                               env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                               start_new_session=True)
    try:
        deadline = time.monotonic() + 240
        provisions = 0
        while time.monotonic() < deadline and rollout.poll() is None:
            # Admin counters answer at once (never delayed): kill as soon as the threshold is seen.
            stats_before_kill = emu.stats()
            provisions = generation.provisions(stats_before_kill)
            if provisions >= PROVISIONED_BEFORE_KILL:
                break
            time.sleep(0.02)
        assert rollout.poll() is None, "the rollout ended before the crash could be injected"
        assert provisions >= PROVISIONED_BEFORE_KILL, "the rollout made no progress in 240 s"
        emu.kill()
        killed_at = time.monotonic()
        time.sleep(2)
        emu.start(port=port)  # same port, same state file
        assert emu.port == port and emu.state == state_file
        downtime = time.monotonic() - killed_at
        rollout.wait(timeout=600)
    finally:
        if rollout.poll() is None:
            os.killpg(rollout.pid, signal.SIGKILL)
            rollout.wait(timeout=30)
        log.close()
    first_rc = rollout.returncode
    with open(str(tmp_path / "rollout1.log")) as handle:
        first_output = handle.read()
    first_failed = sorted(line.split()[0] for line in first_output.splitlines()
                          if line.startswith("bot-") and "failed=0" not in line)

    survived = generation.state(emu)
    # Nothing lost: every provisioning the emulator answered before the crash is still there (SQLite
    # committed it before the answer); the first rollout may have made more after the restart.
    acknowledged = generation.provisions(stats_before_kill)
    survived_deployments = sum(len(ids) for ids in survived["deployments"].values())
    assert survived_deployments >= acknowledged, (survived, acknowledged)
    assert "sample-fleet-monitor" in survived["deployments"]

    emu.reset_counters()
    second = playbook(deploy, env, *mode_var, inventory=generation.inventory, timeout=600)
    second_stats = emu.stats()
    assert second.returncode == 0, second.describe()
    recap = second.recap()
    assert second.robots_seen() == robots
    assert all(r["failed"] == 0 for r in recap.values()), recap

    after = generation.state(emu)
    assert_one_of_each(after, generation, robots)
    for kind in survived:  # the same resources: what survived the crash was reused, not replaced
        for key, ids in survived[kind].items():
            assert after[kind][key] == ids, (kind, key, ids, after[kind][key])
    phases = generation.live_phases(emu)
    assert all(phases["talker-%s" % r] in generation.rollout_phases for r in robots), phases
    record_figures(figures_name("crash_mid_rollout", api, mode), {
        "robots": ROBOTS, "api_version": api, "mode": mode, "provisions_before_kill": acknowledged,
        "requests_before_kill": stats_before_kill["total"], "downtime_seconds": round(downtime, 1),
        "first_rollout_rc": first_rc, "first_rollout_failed_robots": len(first_failed),
        "provisions_acknowledged_before_kill": acknowledged,
        "resources_after_restart": resource_counts(survived), "resources_after_rerun": resource_counts(after),
        "rerun_changed_hosts": sum(1 for r in recap.values() if r["changed"]), "lost": 0, "duplicates": 0,
        "provisions_in_rerun": generation.provisions(second_stats),
        "rerun_seconds": round(second.seconds, 1)})
