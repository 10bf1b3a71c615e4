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


def source(rows, date="2026-12-06T08:00:00Z", commit="abc1234", reused=None, repeats=3):
    return {"environment": {"date": date, "commit": commit, "duration_s": 1260, "loadavg_at_end": [0.2, 0.3, 0.4]},
            "repeats": repeats, "network_check": None, "reused": reused or [], "rows": rows}


def no_git(monkeypatch):
    monkeypatch.setattr(report, "peer_inputs_changed", lambda commit, recorded=None: [])


def test_rows_of_tools_not_run_are_taken_from_the_first_file_that_has_their_cell(monkeypatch):
    no_git(monkeypatch)
    first = source([row("sdk-1.17.1", 200, rollout=fig(150.0)), row("ours-v1", 200, rollout=fig(7.0)),
                    row("sdk-1.17.1", 10, rollout=fig(10.0))])
    second = source([row("sdk-1.17.1", 200, rollout=fig(99.0)), row("riocli-8.1.0", 200, rollout=fig(75.0)),
                     row("riocli-8.1.0", 1000, rollout=fig(900.0))], date="2026-12-06T09:00:00Z", commit="def5678",
                    repeats=1)
    rows, runs = run.reused_rows([(os.path.join(run.report.ROOT, "bench", "one.json"), first),
                                  (os.path.join(os.sep, "elsewhere", "two.json"), second)], measured={"ours-v1"},
                                 wanted=lambda row: row["n"] == 200)
    assert [(r["tool"], r["rollout"]["wall_s"], r["reused"], r["repeats"]) for r in rows] == [
        ("sdk-1.17.1", 150.0, "a", 3), ("riocli-8.1.0", 75.0, "b", 1)]
    assert [(r["label"], r["commit"], r["file"]) for r in runs] == [
        ("a", "abc1234", os.path.join("bench", "one.json")), ("b", "def5678", "two.json (outside the repository)")]


def test_a_row_taken_again_keeps_the_run_it_was_measured_in(monkeypatch):
    no_git(monkeypatch)
    measured_in = {"label": "a", "file": "/old/results.json", "date": "2026-12-01T00:00:00Z", "commit": "0ld0000",
                   "duration_s": 60, "repeats": 3, "network_check": None, "peer_inputs": None}
    middle = source([row("ours-v1", 10), dict(row("sdk-1.17.1", 10), reused="a", repeats=3)], reused=[measured_in],
                    repeats=1)
    rows, runs = run.reused_rows([("middle.json", middle)], measured={"ours-v1"}, wanted=lambda row: True)
    assert [(r["tool"], r["reused"], r["repeats"]) for r in rows] == [("sdk-1.17.1", "a", 3)]
    assert (runs[0]["commit"], runs[0]["file"]) == ("0ld0000", "/old/results.json")


def test_reused_rows_are_marked_and_judged_with(monkeypatch):
    no_git(monkeypatch)
    rows, runs = run.reused_rows([("old.json", source([row("sdk-1.17.1", 200, rollout=fig(12.5, reads=400)),
                                                       dict(row("riocli-8.1.0", 200, rollout=fig(40.0)), runs=1)]))],
                                 measured={"ours-v1"}, wanted=lambda row: True)
    now = dict(results(row("ours-v1", 200, rollout=fig(2.5, reads=200)), *rows), repeats=1, reused=runs,
               environment={"date": "d", "commit": "c", "cpus": 2, "forks": 10, "loadavg_at_end": [1.0, 1.0, 1.0]})
    checks = dict((check["target"].split(" (")[0], check) for check in report.targets(now))
    faster = checks["ours-v1: 200-robot rollout >= 5 x faster than the fastest peer"]
    assert "sdk-1.17.1 [a], 12.50 s" in faster["target"] and faster["verdict"] == "PASS"
    text = report.markdown(now)
    assert "| 200 | sdk-1.17.1 [a] | 12.50 |" in text
    # Its run repeated its cells three times: one run of the peer there is marked as such.
    assert "| 200 | riocli-8.1.0 [a] | 40.00 (1 run) |" in text
    assert "Rows marked [a] were not measured in this run: they are those of the run of 2026-12-06T08:00:00Z " \
           "(commit abc1234, 21 min, 3 repeat(s) per cell, load average at its end 0.20" in text
    assert "are the same as then" in text


def test_the_note_names_what_changed_since_the_rows_were_measured():
    run_of = {"label": "b", "date": "d", "commit": "c", "duration_s": 60, "repeats": 3}
    assert "CHANGED since that run: bench/plan.py, emulator/rio_emulator/v1.py." in report.reused_note(
        dict(run_of, peer_inputs_changed=["bench/plan.py", "emulator/rio_emulator/v1.py"]))
    assert "cannot be told here" in report.reused_note(dict(run_of, peer_inputs_changed=None))


def git(repo, *args):
    import subprocess
    return subprocess.check_output(("git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@t", *args),
                                   text=True).strip()


def test_the_peers_inputs_are_compared_with_git_from_the_run_commit(tmp_path, monkeypatch):
    monkeypatch.setattr(report, "ROOT", str(tmp_path))
    monkeypatch.setattr(report, "PEER_INPUTS", ("emulator", "bench/plan.py"))
    git(tmp_path, "init", "-q")
    (tmp_path / "emulator").mkdir()
    (tmp_path / "emulator" / "state.py").write_text("a = 1\n")
    (tmp_path / "bench").mkdir()
    (tmp_path / "bench" / "plan.py").write_text("plan = 1\n")
    (tmp_path / "ours.py").write_text("ours = 1\n")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "one")
    first = git(tmp_path, "rev-parse", "HEAD")
    assert report.peer_inputs() == {"commit": first, "uncommitted": []}
    (tmp_path / "ours.py").write_text("ours = 2\n")
    git(tmp_path, "commit", "-q", "-am", "ours only")
    assert report.peer_inputs()["commit"] == first
    assert report.peer_inputs_changed(git(tmp_path, "rev-parse", "--short", "HEAD")) == []
    (tmp_path / "emulator" / "state.py").write_text("a = 2\n")
    (tmp_path / "emulator" / "new.py").write_text("")
    assert report.peer_inputs()["uncommitted"] == ["emulator/new.py", "emulator/state.py"]
    assert report.peer_inputs_changed(first) == ["emulator/new.py", "emulator/state.py"]
    # A run that had bench/plan.py uncommitted ran code that this checkout may not have.
    assert report.peer_inputs_changed("x", {"commit": first, "uncommitted": ["bench/plan.py"]}) == [
        "bench/plan.py", "emulator/new.py", "emulator/state.py"]
    assert report.peer_inputs_changed("0000000") is None


def test_requests_per_robot_are_counted_alike_for_ours_and_the_peers():
    # The peer was measured at 1,000 only: ours is counted as requests / N there too, not from N=200.
    checks = report.targets(results(
        row("ours-v1", 200, rollout=fig(2.0, reads=232, writes=200)),
        row("ours-v1", 1000, rollout=fig(8.0, reads=1032, writes=1000)),
        row("sdk-1.17.1", 1000, rollout=fig(900.0, reads=1020, writes=1000))))
    check = next(check for check in checks if "requests per robot" in check["target"])
    assert (check["measured"], check["verdict"]) == ("2.03", "MISS")
    assert "(sdk-1.17.1, 2.02)" in check["target"]


def large_results():
    return dict(results(row("ours-v2", 200, generation="v2", rollout=fig(6.0), rerun=fig(5.0)),
                        row("ours-v2", 1000, generation="v2", rollout=fig(20.0), rerun=fig(9.0)),
                        row("riocli-10.11.0", 1000, generation="v2", rollout=fig(21.0))),
                repeats=3, environment={"date": "d", "commit": "c", "cpus": 2, "forks": 10,
                                        "loadavg_at_end": [0.1, 0.1, 0.1], "duration_s": 600})


def test_the_large_block_holds_the_targets_about_1000_robots_only():
    text = report.large_block(large_results())
    assert "ours-v2: 1,000-robot rollout <= 8 s" in text
    assert "ours-v2: converged 1,000-robot re-run <= 1.5 x the 200-robot one (7.50 s)" in text
    assert "200-robot rollout" not in text and "converged 200-robot" not in text
    assert "10 min in all" in text and "wall_time.png" in text
    assert report.large_block(None).startswith("No `make bench-large` run is committed yet")


DOC = """# Title
<!-- bench:run -->
old
<!-- /bench:run -->
prose
<!-- bench:net50 -->
| old |
<!-- /bench:net50 -->
"""


def test_the_document_gets_each_generated_block_between_its_markers():
    expected = ("# Title\n<!-- bench:run -->\n\nnew run\n\n<!-- /bench:run -->\nprose\n<!-- bench:net50 -->\n\n| new |\n\n"
                "<!-- /bench:net50 -->\n")
    assert report.rewrite_doc(DOC, {"run": "new run\n", "net50": "| new |\n"}) == expected
    assert report.rewrite_doc(expected, {"run": "new run\n", "net50": "| new |\n"}) == expected
    with pytest.raises(ValueError, match=r"missing \['large'\]"):
        report.rewrite_doc(DOC, {"run": "", "net50": "", "large": ""})
    with pytest.raises(ValueError, match="unknown block in the document: net50"):
        report.rewrite_doc(DOC, {"run": ""})
    with pytest.raises(ValueError, match=r"repeated \['net50', 'run'\]"):
        report.rewrite_doc(DOC + DOC, {"run": "", "net50": ""})


def test_the_committed_figures_are_those_of_the_committed_runs():
    """docs/PERFORMANCE.md's generated tables and bench/results/*/results.md are what the committed
    results.json give (make bench-docs writes them)."""
    assert report.main(["--check"]) == 0
    for path in (report.RESULTS, report.LARGE_RESULTS):
        if os.path.exists(path):
            with open(os.path.join(os.path.dirname(path), "results.md")) as handle:
                assert handle.read() == report.markdown(report._load(path)), path
