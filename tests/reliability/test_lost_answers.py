"""Issue 8 item 1, the hard half of "no duplicate from a retried create": answers to creations are lost
AFTER the emulator applied them (lossy_proxy.py), half of the time. The collection must look the
resource up before sending the creation again: the fleet still ends with exactly one package, network
and live deployment of each, and a re-run through the same proxy changes nothing."""
import os

from lossy_proxy import LossyProxy
from rel_helpers import (PLAYBOOKS, SAMPLE_INVENTORY, ansible_env, fleet_state, playbook, record_figures,
                         write_fleet, writes_of)
from test_flaky_api import EXPECTED_PACKAGES

ROBOTS = 10
LOSS_RATE = 0.5


def test_lost_creation_answers_make_no_duplicate(emulators, tmp_path):
    fleet = write_fleet(str(tmp_path / "fleet.yml"), ROBOTS)
    emu = emulators(fleet=fleet, extra=["--phase-delay", "0.5"])
    proxy = LossyProxy(emu.url, LOSS_RATE, seed=11)
    robots = ["bot-%02d" % i for i in range(1, ROBOTS + 1)]
    try:
        env = ansible_env(emu, extra={"ANSIBLE_FORKS": "5", "RIO_CATALOG_HOST": proxy.url,
                                      "RIO_CORE_API_HOST": proxy.url})
        deploy = os.path.join(PLAYBOOKS, "deploy_robots.yml")
        emu.reset_counters()
        first = playbook(deploy, env, inventory=SAMPLE_INVENTORY, timeout=600)
        first_stats = emu.stats()
        assert first.returncode == 0, first.describe()
        lost = dict(proxy.lost)
        assert sum(lost.values()) > 0, "the proxy lost no answer"
        state = fleet_state(emu)
        duplicates = {key: ids for kind in state for key, ids in state[kind].items() if len(ids) != 1}
        assert not duplicates, "duplicates: %s (answers lost: %s)" % (duplicates, lost)
        assert sorted(state["packages"]) == EXPECTED_PACKAGES
        assert sorted(state["deployments"]) == sorted(["talker-%s" % r for r in robots] + ["sample-fleet-monitor"])

        emu.reset_counters()
        second = playbook(deploy, env, inventory=SAMPLE_INVENTORY, timeout=600)
        assert second.returncode == 0, second.describe()
        recap = second.recap()
        assert all(r["changed"] == 0 and r["failed"] == 0 for r in recap.values()), recap
        assert writes_of(emu.stats()) == 0
        assert fleet_state(emu) == state
    finally:
        proxy.close()
    creations = {route: n for route, n in first_stats["by_route"].items()
                 if route in ("POST /serviceclass/add", "PUT /v2/service_instances/{instance_id}",
                              "POST /routednetwork")}
    record_figures("lost_answers", {
        "robots": ROBOTS, "loss_rate_for_creations": LOSS_RATE, "answers_lost_after_commit": lost,
        "creations_received_by_emulator": creations,
        "resources_after": {k: sum(len(v) for v in state[k].values()) for k in state}, "duplicates": 0,
        "rerun_changed": 0, "seconds": round(first.seconds, 1)})
