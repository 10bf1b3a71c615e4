# Copyright: (c) 2026, rapyuta.rio contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""bench/peers: the contract the harness relies on, and the readiness probe of the riocli peers
(what it takes as ready, what it counts as its own requests)."""

import json
import os
import sys

from http_server import Reply

BENCH = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "bench"))
sys.path.insert(0, BENCH)

from peers import PEERS, ROOT, peers_of
from peers.common import ReadinessProbe, Settings, report


def settings(url):
    return Settings({"RIO_ENDPOINT": url + "/", "RIO_AUTH_TOKEN": "t0ken", "RIO_PROJECT": "project-x",
                     "RIO_ORGANIZATION": "org-y"})


def test_every_peer_runs_its_script_with_the_python_of_its_venv():
    assert sorted(PEERS) == ["riocli-10.11.0", "riocli-8.1.0", "sdk-1.17.1", "sdk-v2-0.10.0"]
    assert [peer.name for peer in peers_of("v1")] == ["sdk-1.17.1", "riocli-8.1.0"]
    for peer in PEERS.values():
        argv = peer.argv("/plans/p.json", "/tmp/peer-dir")
        assert argv[0] == os.path.join(ROOT, peer.venv_python)
        assert os.path.isfile(argv[1]) and argv[2:] == ["/plans/p.json"]
        assert peer.make_target in open(os.path.join(ROOT, "Makefile")).read()


def test_report_is_one_json_line_with_the_contract_keys(capsys):
    report("sdk-1.17.1", 3, 1.23456, 4, exit=0)
    line = json.loads(capsys.readouterr().out)
    assert line == {"tool": "sdk-1.17.1", "created": 3, "seconds": 1.235, "ready": 4, "exit": 0}


def v1_item(name, phase="Succeeded", code=None):
    return {"name": name, "phase": phase, "componentInstanceIds": [{"errorCode": code}]}


def v2_item(name, status="Running"):
    return {"metadata": {"name": name}, "status": {"phase": "Succeeded", "status": status}}


def test_v1_probe_takes_succeeded_without_error_code_as_ready(rio_server):
    rio_server.script("GET", "/deployment/list", Reply(200, [v1_item("a"), v1_item("b", code=["DEP_E151"])]))
    probe = ReadinessProbe(settings(rio_server.url), "v1")
    assert probe.ready_names() == {"a"}
    request = rio_server.calls()[0]
    assert request.query["phase"] == ["Succeeded"]
    assert request.headers.get("Authorization") == "Bearer t0ken"
    assert request.headers.get("project") == "project-x"


def test_v2_probe_waits_until_every_name_runs_and_counts_its_requests(rio_server):
    listed = [{"items": [v2_item("a"), v2_item("b", status="Pending")], "metadata": {"continue": 2}},
              {"items": [v2_item("a"), v2_item("b"), v2_item("other")], "metadata": {"continue": 3}}]
    rio_server.script("GET", "/v2/deployments/", *[Reply(200, page) for page in listed])
    probe = ReadinessProbe(settings(rio_server.url), "v2")
    assert probe.wait(["a", "b"], timeout=30) == 2
    probe.close()
    assert (probe.requests, probe.connections) == (2, 1)
    assert all(call.headers.get("organizationguid") == "org-y" for call in rio_server.calls())


def test_probe_gives_up_at_its_timeout_with_what_is_ready(rio_server):
    rio_server.script("GET", "/v2/deployments/", Reply(200, {"items": [v2_item("a")], "metadata": {"continue": 1}}))
    probe = ReadinessProbe(settings(rio_server.url), "v2")
    assert probe.wait(["a", "b"], timeout=0) == 1
