# Copyright: (c) 2026, rapyuta.rio contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""The benchmark's own logic (bench/): which run is reported, the order of the tools, the targets'
verdicts, the parts of a playbook run, what the emulator's state says about a rollout."""

import json
import os
import sqlite3
import sys

import pytest

BENCH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "bench")
sys.path.insert(0, os.path.abspath(BENCH))

import measure
import report
import run


def fig(wall, rc=0, reads=0, writes=0, connections=0, **more):
    return dict({"wall_s": wall, "cpu_s": wall, "requests": reads + writes, "reads": reads, "writes": writes,
                 "by_route": {}, "connections": connections, "rc": rc, "deployments": 0}, **more)


def test_median_run_reports_the_middle_run_and_every_wall_time():
    chosen = run.median_run([fig(5.2), fig(4.6), fig(4.7)])
    assert chosen["wall_s"] == 4.7
    assert chosen["walls_s"] == [5.2, 4.6, 4.7]


def test_median_run_of_an_even_count_takes_the_lower_middle_one():
    assert run.median_run([fig(3.0), fig(1.0), fig(2.0), fig(4.0)])["wall_s"] == 2.0


def test_median_run_shows_a_failed_repeat_whatever_its_time():
    assert run.median_run([fig(4.0), fig(9.0, rc=2), fig(4.1)])["rc"] == 2


def test_a_single_run_is_reported_as_is():
    assert "walls_s" not in run.median_run([fig(1.5)])


def test_each_repeat_starts_the_tools_one_further_on():
    tools = ["a", "b", "c"]
    assert [run.rotated(tools, repeat) for repeat in range(4)] == [
        ["a", "b", "c"], ["b", "c", "a"], ["c", "a", "b"], ["a", "b", "c"]]


def row(tool, n, scenario="net50", generation="v1", rollout=None, rerun=None):
    out = {"scenario": scenario, "n": n, "tool": tool, "generation": generation, "ours": tool.startswith("ours"),
           "rollout": rollout or fig(1.0)}
    if rerun is not None:
        out["rerun"] = rerun
    return out


def results(*rows):
    return {"scenarios": run.SCENARIOS, "rows": list(rows)}


def verdicts(checks):
    return dict((check["target"].split(" (")[0], check["verdict"]) for check in checks)


def test_rollout_targets_pass_and_miss_at_their_limits():
    passing = results(row("ours-v1", 200, rollout=fig(2.5, reads=300, writes=200)),
                      row("sdk-1.17.1", 200, rollout=fig(12.5, reads=400, writes=200)))
    assert verdicts(report.targets(passing)) == {
        "ours-v1: 200-robot rollout <= 2.5 s": "PASS",
        "ours-v1: 200-robot rollout >= 5 x faster than the fastest peer": "PASS",
        "ours-v1: 200-robot rollout requests per robot <= the peers' minimum": "PASS"}
    missing = results(row("ours-v1", 200, rollout=fig(2.51, reads=401, writes=200)),
                      row("sdk-1.17.1", 200, rollout=fig(12.5, reads=400, writes=200)),
                      row("riocli-8.1.0", 200, rollout=fig(30.0, reads=900, writes=200)))
    checks = report.targets(missing)
    assert set(verdicts(checks).values()) == {"MISS"}
    assert all(check["bound"] for check in checks)


def test_the_fastest_peer_of_the_same_generation_is_the_yardstick():
    checks = report.targets(results(
        row("ours-v2", 200, generation="v2", rollout=fig(2.0)),
        row("riocli-10.11.0", 200, generation="v2", rollout=fig(9.0)),
        row("sdk-v2-0.10.0", 200, generation="v2", rollout=fig(11.0)),
        row("sdk-1.17.1", 200, generation="v1", rollout=fig(3.0))))
    faster = [check for check in checks if "faster" in check["target"]]
    assert len(faster) == 1 and "riocli-10.11.0" in faster[0]["target"] and faster[0]["verdict"] == "MISS"


def test_a_failed_peer_is_no_yardstick():
    checks = report.targets(results(row("ours-v1", 200, rollout=fig(2.0)),
                                    row("sdk-1.17.1", 200, rollout=fig(3.0, rc=1))))
    assert not [check for check in checks if "faster" in check["target"]]


def test_rerun_targets():
    checks = report.targets(results(
        row("ours-v1", 10, rerun=fig(1.0, reads=12)),
        row("ours-v1", 200, rerun=fig(1.2, reads=12)),
        row("sdk-1.17.1", 200, rerun=fig(0.4, reads=4))))
    assert verdicts(checks) == {
        "ours-v1: converged 200-robot re-run <= 1.2 s": "PASS",
        "ours-v1: converged 200-robot re-run <= 3 x the idempotent sdk-1.17.1 script": "PASS",
        "ours-v1: converged 200-robot re-run makes no write": "PASS",
        "ours-v1: re-run requests do not grow with N": "PASS",
        "ours-v1: 200-robot rollout <= 2.5 s": "PASS",
        "ours-v1: 200-robot rollout >= 5 x faster than the fastest peer": "MISS",
        "ours-v1: 200-robot rollout requests per robot <= the peers' minimum": "PASS"}
    growing = report.targets(results(row("ours-v1", 10, rerun=fig(1.0, reads=12)),
                                     row("ours-v1", 200, rerun=fig(1.3, reads=13, writes=1))))
    assert verdicts(growing) == {
        "ours-v1: converged 200-robot re-run <= 1.2 s": "MISS",
        "ours-v1: converged 200-robot re-run makes no write": "MISS",
        "ours-v1: re-run requests do not grow with N": "MISS",
        "ours-v1: 200-robot rollout <= 2.5 s": "PASS"}


def test_large_fleet_rerun_is_held_to_one_and_a_half_times_the_200_robot_one():
    def check(large_wall):
        checks = report.targets(results(row("ours-v2", 200, generation="v2", rerun=fig(1.0)),
                                        row("ours-v2", 1000, generation="v2", rerun=fig(large_wall))))
        return verdicts(checks)["ours-v2: converged 1,000-robot re-run <= 1.5 x the 200-robot one"]
    assert (check(1.5), check(1.51)) == ("PASS", "MISS")


def test_loopback_and_phase_delay_targets():
    checks = report.targets(results(
        row("ours-v1", 1, scenario="loopback", rollout=fig(0.9)),
        row("ours-v2", 1, scenario="loopback", generation="v2", rollout=fig(0.91)),
        row("ours-v1", 10, scenario="phase5", rollout=fig(8.0, after_ready_s=1.0)),
        row("ours-v2", 10, scenario="phase5", generation="v2", rollout=fig(8.0, after_ready_s=1.01))))
    assert verdicts(checks) == {
        "ours-v1: 1-robot rollout on loopback <= 0.9 s": "PASS",
        "ours-v2: 1-robot rollout on loopback <= 0.9 s": "MISS",
        "ours-v1: 10 robots ready 5 s after creation: returns <= 1 s after the last is ready": "PASS",
        "ours-v2: 10 robots ready 5 s after creation: returns <= 1 s after the last is ready": "MISS"}


def test_profile_parts_add_up_to_the_run_and_follow_the_tasks():
    timings = {"playbook_start": 10.5, "stats": 14.0, "tasks": [
        {"start": 10.5, "name": "Refuse a selection without robots", "role": None, "action": "fail"},
        {"start": 10.6, "name": "Ensure the routed network", "role": "cloud_side", "action": "x.rio_network"},
        {"start": 11.0, "name": "Describe every robot's deployment", "role": "fleet_deployment",
         "action": "set_fact"},
        {"start": 11.5, "name": "Ensure the package versions exist", "role": "fleet_deployment",
         "action": "rapyuta.rio.rio_package"},
        {"start": 11.7, "name": "Converge", "role": "fleet_deployment", "action": "rapyuta.rio.rio_deployment_batch"},
        {"start": 13.5, "name": "Record every robot's outcome", "role": "fleet_deployment", "action": "set_fact"}]}
    parts = report.profile_parts(timings, started=10.0, ended=14.25)
    assert parts == pytest.approx({
        "start-up + inventory": 0.5, "robot selection": 0.1, "cloud side": 0.4, "packages": 0.2,
        "describing robots + templating items": 0.5, "the batch": 1.8, "results": 0.5, "other tasks": 0.0,
        "recap + exit": 0.25})
    assert sum(parts.values()) == pytest.approx(4.25)


def test_the_state_says_which_deployments_exist_and_when_the_last_became_ready(tmp_path):
    path = str(tmp_path / "state.sqlite")
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE docs (kind TEXT, project TEXT, id TEXT, doc TEXT)")
    docs = [("deployment", {"name": "talker-robot-001", "phaseStart": 100.0}),
            ("deployment", {"name": "sample-net", "phaseStart": 500.0}),
            ("v2deployment", {"metadata": {"name": "talker-robot-002"}, "_state": {"phaseStart": 103.0}}),
            ("v2deployment", {"metadata": {"name": "talker-robot-002"}, "_state": {"phaseStart": 101.0}})]
    for index, (kind, doc) in enumerate(docs):
        connection.execute("INSERT INTO docs VALUES (?, 'p', ?, ?)", (kind, str(index), json.dumps(doc)))
    connection.commit()
    connection.close()
    counts, ready_at = measure.deployments_state(path, ["talker-robot-001", "talker-robot-002", "monitor"], 5.0)
    assert counts == {"talker-robot-001": 1, "talker-robot-002": 2, "monitor": 0}
    assert ready_at == 108.0


def test_a_peers_report_is_its_last_json_line(tmp_path):
    log = tmp_path / "rollout.log"
    log.write_text('{"tool": "early"}\nnoise {not json}\n{"tool": "x", "created": 3}\nTraceback? no\n')
    assert measure.last_json_line(str(log)) == {"tool": "x", "created": 3}


def test_the_markdown_shows_failed_and_incomplete_runs():
    text = report.markdown(dict(results(
        row("ours-v1", 10, rollout=fig(1.0, rc=report.INCOMPLETE, deployments=9), rerun=fig(1.0)),
        row("sdk-1.17.1", 10, rollout=fig(2.0, rc=3), rerun=fig(0.5))),
        environment={"date": "d", "commit": "c", "cpus": 2, "forks": 10, "loadavg_at_end": [1.0, 1.0, 1.0]},
        repeats=3))
    assert "INCOMPLETE (9 deployments" in text and "FAILED rc=3" in text


@pytest.mark.parametrize("ours_at_200, verdict", [(228, "PASS"), (229, "MISS")])
def test_requests_per_robot_are_what_each_robot_adds(ours_at_200, verdict):
    checks = report.targets(results(
        row("ours-v2", 10, generation="v2", rollout=fig(1.0, reads=21, writes=17)),
        row("ours-v2", 200, generation="v2", rollout=fig(2.0, reads=21, writes=ours_at_200 - 21)),
        row("riocli-10.11.0", 10, generation="v2", rollout=fig(9.0, reads=3, writes=17)),
        row("riocli-10.11.0", 200, generation="v2", rollout=fig(20.0, reads=3, writes=207))))
    rows = [check for check in checks if "requests per robot" in check["target"]]
    assert [check["verdict"] for check in rows] == [verdict]
    assert "riocli-10.11.0, 1.00" in rows[0]["target"]
