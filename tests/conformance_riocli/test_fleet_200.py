"""The issue's fleet figure: `rio apply` of a 200-robot set (one talker deployment per robot, on an
emulator seeded with a generated 200-device fleet) converges, and applying it again writes nothing
besides the requests riocli always sends for existing objects. Marked `fleet200`
(`-m "not fleet200"` skips it); `make bench` measures riocli against the collection (bench/peers)."""
import json
import re

import pytest

from . import fleet_run
from .harness import run_rio

ROBOTS = 200


def _routes(by_route):
    grouped = {}
    for key, count in by_route.items():
        key = re.sub(r"\{[^}]*\}", "{}", key)
        grouped[key] = grouped.get(key, 0) + count
    return grouped


@pytest.mark.fleet200
def test_apply_200_robot_fleet_converges_and_reapplies_without_writes(tmp_path):
    outcome = fleet_run.run(str(tmp_path), ROBOTS, inspect=lambda emulator: run_rio(emulator, "deployment", "list"))
    print("\nriocli fleet figures: %s" % json.dumps(fleet_run.summary(outcome)))
    first, again = outcome["runs"]
    assert first["result"].returncode == 0 and "Apply successful" in first["result"].output, str(first["result"])

    deployments = {d["metadata"]["name"]: d for d in outcome["deployments"]}
    assert len(deployments) == ROBOTS + 1
    for robot in outcome["robots"]:
        talker = deployments["talker-" + robot]
        assert talker["spec"]["device"]["depends"]["nameOrGUID"] == robot
        assert (talker["status"]["phase"], talker["status"]["status"]) == ("Succeeded", "Running"), talker["status"]
    creates = {"POST /v2/secrets/": 1, "POST /v2/disks/": 1, "POST /v2/networks/": 1, "POST /v2/staticroutes/": 1,
               "POST /v2/packages/": 2, "POST /v2/deployments/": ROBOTS + 1}
    assert first["result"].output.count("Created") == sum(creates.values()), str(first["result"])
    first_writes = {k: v for k, v in _routes(first["requests"]["by_route"]).items() if not k.startswith("GET ")}
    assert first_writes == creates, first["requests"]

    result = again["result"]
    assert result.returncode == 0 and "Created" not in result.output and "Failed" not in result.output, str(result)
    assert result.output.count("already exists") == sum(creates.values()) - 2, str(result)
    # the re-run: every create answered 409, riocli's PUT of the two kinds it updates (Secret,
    # StaticRoute; same content), and one dependency-wait list read per robot; nothing else
    assert _routes(again["requests"]["by_route"]) == dict(
        creates, **{"PUT /v2/secrets/{}/": 1, "PUT /v2/staticroutes/{}/": 1, "GET /v2/deployments/": ROBOTS}), \
        again["requests"]
    assert again["requests"]["by_status"].get("409") == sum(creates.values()), again["requests"]
    assert again["requests"]["writes"] == sum(creates.values()) + 2, again["requests"]

    # `rio deployment list` walks every page (50 a page) of the 201 live deployments
    listed = [line.split()[0] for line in outcome["inspected"].output.splitlines()
              if line.split()[:1] and line.split()[0].startswith(("talker-", "fleet-console"))]
    assert sorted(listed) == sorted(deployments), outcome["inspected"].output[-2000:]
