# Copyright: (c) 2026, rapyuta.rio contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""The benchmark's own logic (bench/): which run is reported, the targets' verdicts, the wait probe's moments."""

import os
import sys

import pytest

BENCH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "bench")
sys.path.insert(0, os.path.abspath(BENCH))

import report
import run
import wait_probe


def fig(wall, rc=0, reads=0, writes=0):
    return {"wall_s": wall, "cpu_s": wall, "requests": reads + writes, "reads": reads, "writes": writes,
            "by_route": {}, "rc": rc}


def test_median_run_reports_the_middle_run_and_every_wall_time():
    chosen = run.median_run([fig(5.2), fig(4.6), fig(4.7)])
    assert chosen["wall_s"] == 4.7
    assert chosen["walls_s"] == [5.2, 4.6, 4.7]


def test_median_run_of_an_even_count_takes_the_lower_middle_one():
    assert run.median_run([fig(3.0), fig(1.0), fig(2.0), fig(4.0)])["wall_s"] == 2.0


def test_median_run_shows_a_failed_repeat_whatever_its_time():
    chosen = run.median_run([fig(4.0), fig(9.0, rc=2), fig(4.1)])
    assert chosen["rc"] == 2


def test_a_single_run_is_reported_as_is():
    assert "walls_s" not in run.median_run([fig(1.5)])


def sizes(one_rollout, big_rollout, big_sdk, big_rerun_reads=13, big_rerun_writes=0):
    return [{"n": 1, "rollout": fig(one_rollout)},
            {"n": 200, "rollout": fig(big_rollout), "sdk": fig(big_sdk),
             "rerun": fig(3.0, reads=big_rerun_reads, writes=big_rerun_writes)}]


def verdicts(results, probe=None, latency=None):
    return dict((target.split(" (")[0], ok) for target, _figure, ok in report.targets(results, probe, latency))


def test_targets_pass_and_fail_at_their_limits():
    passed = verdicts(sizes(one_rollout=2.0, big_rollout=6.0, big_sdk=12.0))
    assert passed["200-robot rollout wall <= 3 x 1-robot rollout"]
    assert passed["200-robot batch rollout >= 2 x faster than the SDK script"]
    assert passed["200-robot batch re-run: zero writes"] and passed["200-robot batch re-run: reads <= N + 10 = 210"]
    failed = verdicts(sizes(one_rollout=2.0, big_rollout=6.1, big_sdk=12.1, big_rerun_reads=211, big_rerun_writes=1))
    assert not any(failed.values()), failed


def test_sdk_targets_are_checked_for_every_latency_scenario():
    latency = [dict(sizes(2.0, 5.0, 11.0)[1], latency_ms=5), dict(sizes(2.0, 5.5, 10.0)[1], latency_ms=25)]
    rows = [(target, ok) for target, _figure, ok in report.targets(sizes(2.0, 4.7, 4.7), None, latency)
            if "SDK" in target]
    assert [ok for _target, ok in rows] == [False, True, False]
    assert "(loopback)" in rows[0][0] and "(5 ms per API request)" in rows[1][0] and "(25 ms" in rows[2][0]


def test_wait_targets_read_the_probe():
    probe = {"rio_deployment": {"max_late_s": 0.79}, "batch": {"max_late_s": 1.01}}
    rows = dict((target, ok) for target, _figure, ok in report.targets([], probe))
    assert rows == {"a wait returns within 1 s after readiness (rio_deployment)": True,
                    "a wait returns within 1 s after readiness (batch)": False}


@pytest.mark.parametrize("max_sleep, until, expected", [
    (0.8, 3.0, [0.0, 0.25, 0.75, 1.55, 2.35]),
    (0.5, 2.5, [0.0, 0.25, 0.75, 1.25, 1.75, 2.25]),
])
def test_poll_offsets_follow_the_modules_schedule(max_sleep, until, expected):
    assert wait_probe.poll_offsets(max_sleep, until) == expected


def test_probe_moments_are_just_after_polls_and_halfway():
    delays = wait_probe.phase_delays()
    single = wait_probe.poll_offsets(wait_probe.SINGLE_SLEEP, 2.5)
    batch = wait_probe.poll_offsets(wait_probe.BATCH_SLEEP, 2.5)
    worst = [round(at + wait_probe.JUST_AFTER, 3) for at in single + batch if at >= 1.5]
    assert set(worst) <= set(delays)
    assert len(delays) == len(set(worst)) + 1  # and one halfway between two of rio_deployment's polls
    assert delays == sorted(delays)
