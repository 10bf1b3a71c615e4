# Copyright: (c) 2026, rapyuta.rio contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""bench/netem_proxy.py: the round trips it charges, and what it counts and forwards (at RTT 0: no timed test)."""

import http.client
import os
import socket
import sys
import threading
import urllib.parse

import pytest

BENCH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "bench")
sys.path.insert(0, os.path.abspath(BENCH))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

import netem_proxy
from http_server import Reply, ScriptedServer

RTT = 0.05


@pytest.mark.parametrize("tls_rtts, expected_rtts", [(0, 2), (1, 3), (2, 4)])
def test_first_request_on_a_new_connection_pays_tcp_tls_and_its_own_round_trip(tls_rtts, expected_rtts):
    accepted = 100.0
    ready_at = accepted + netem_proxy.handshake_rtts(tls_rtts) * RTT
    assert netem_proxy.hold_seconds(accepted, ready_at, RTT) == pytest.approx(expected_rtts * RTT)


def test_a_request_on_a_kept_alive_connection_pays_one_round_trip():
    ready_at = 100.0 + netem_proxy.handshake_rtts(1) * RTT
    assert netem_proxy.hold_seconds(ready_at + 2.0, ready_at, RTT) == pytest.approx(RTT)


def test_a_connection_opened_early_has_part_of_its_handshake_behind_it():
    ready_at = 100.0 + netem_proxy.handshake_rtts(1) * RTT
    assert netem_proxy.hold_seconds(100.0 + RTT, ready_at, RTT) == pytest.approx(2 * RTT)


@pytest.mark.parametrize("head, expected", [
    (b"GET / HTTP/1.1\r\nHost: x\r\n\r\n", ("length", 0)),
    (b"POST / HTTP/1.1\r\ncontent-LENGTH: 12\r\n\r\n", ("length", 12)),
    (b"POST / HTTP/1.1\r\nTransfer-Encoding: Chunked\r\n\r\n", ("chunked", None)),
])
def test_body_framing_reads_the_request_head(head, expected):
    assert netem_proxy.body_framing(head) == expected


def test_only_plain_http_upstreams_are_accepted():
    assert netem_proxy.parse_upstream("http://127.0.0.1:8123") == ("127.0.0.1", 8123)
    with pytest.raises(ValueError):
        netem_proxy.parse_upstream("https://127.0.0.1:8123")


@pytest.fixture
def upstream():
    server = ScriptedServer().start()
    server.script("GET", "/thing", Reply(200, {"name": "a"}))
    server.script("POST", "/thing", Reply(201, {"created": True}))
    yield server
    server.stop()


@pytest.fixture
def proxy(upstream, tmp_path):
    with netem_proxy.NetemProxy(upstream.url, rtt_ms=0, tls_rtts=1, stats_path=str(tmp_path / "stats.json")) as proc:
        yield proc


def connect(url):
    parts = urllib.parse.urlsplit(url)
    return http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)


def exchange(connection, method, body=None, chunked=False):
    headers = {"Content-Type": "application/json"}
    connection.request(method, "/thing", body=body, headers=headers, encode_chunked=chunked)
    answer = connection.getresponse()
    return answer.status, answer.read()


def test_requests_and_connections_are_counted_and_forwarded_intact(upstream, proxy):
    assert proxy.stats()["connections"] == 0 and proxy.stats()["requests"] == 0
    kept_alive = connect(proxy.url)
    assert exchange(kept_alive, "GET") == (200, b'{"name": "a"}')
    assert exchange(kept_alive, "POST", body=b'{"n": "' + b"x" * 200000 + b'"}')[0] == 201
    kept_alive.close()
    fresh = connect(proxy.url)
    assert exchange(fresh, "GET")[0] == 200
    fresh.close()
    stats = proxy.stats()
    assert (stats["connections"], stats["requests"]) == (2, 3)
    assert [(r.method, r.json) for r in upstream.requests] == [
        ("GET", None), ("POST", {"n": "x" * 200000}), ("GET", None)]


def raw_upstream(answers):
    """A server that reads one chunked request per connection and answers it: the bytes it read go to `answers`."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)

    def serve():
        connection, _address = listener.accept()
        data = b""
        while not data.endswith(b"0\r\n\r\n"):
            data += connection.recv(4096)
        answers.append(data)
        connection.sendall(b"HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n")
        connection.close()
        listener.close()

    threading.Thread(target=serve, daemon=True).start()
    return "http://127.0.0.1:%d" % listener.getsockname()[1]


def test_a_chunked_body_is_forwarded_whole_and_counted_once(tmp_path):
    received = []
    with netem_proxy.NetemProxy(raw_upstream(received), rtt_ms=0, stats_path=str(tmp_path / "s.json")) as proxy:
        connection = connect(proxy.url)
        assert exchange(connection, "POST", body=iter([b"ab", b"cde"]), chunked=True) == (204, b"")
        connection.close()
        assert proxy.stats()["requests"] == 1
    assert received[0].endswith(b"\r\n\r\n2\r\nab\r\n3\r\ncde\r\n0\r\n\r\n")


def test_the_stats_file_holds_the_model(proxy):
    assert proxy.stats() == {"connections": 0, "requests": 0, "rtt_ms": 0.0, "tls_rtts": 1}


def test_an_https_upstream_is_refused_at_start():
    with pytest.raises(RuntimeError):
        netem_proxy.NetemProxy("https://127.0.0.1:1", rtt_ms=0)
