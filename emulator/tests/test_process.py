"""The real `python -m rio_emulator serve` process: CLI, restart persistence, 50 concurrent clients,
faults over real sockets."""
import ast
import concurrent.futures
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error

import pytest
import requests

from emulator_helpers import AUTH, DOCKER_AMD64, FLEET, PROJECT, TOKEN, manifest
from rio_emulator.launcher import EmulatorProcess


def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "rio_emulator"] + list(args), capture_output=True, text=True,
                          timeout=30)


def test_bad_flags_exit_non_zero_with_a_message():
    for args in (["serve", "--port", "notaport"], ["serve", "--bogus"], ["serve", "--fault-rate", "1.5"],
                 ["serve", "--phase-delay", "-1"], ["serve", "--fault-kinds", "503,boom"], []):
        result = run_cli(*args)
        assert result.returncode != 0, args
        assert "error" in result.stderr.lower() or "usage" in result.stderr.lower(), args


def test_unreadable_or_invalid_fleet_exits_non_zero():
    result = run_cli("serve", "--port", "0", "--fleet", "/nonexistent/fleet.yml")
    assert result.returncode != 0 and "cannot read fleet file /nonexistent/fleet.yml" in result.stderr
    with tempfile.NamedTemporaryFile("w", suffix=".yml", delete=False) as handle:
        handle.write("devices:\n  - name: a\n    architecture: sparc\n")
    result = run_cli("serve", "--port", "0", "--fleet", handle.name)
    assert result.returncode != 0 and "architecture must be one of" in result.stderr
    with tempfile.NamedTemporaryFile("w", suffix=".yml", delete=False) as handle:
        handle.write("devices: [unclosed\n")
    assert run_cli("serve", "--port", "0", "--fleet", handle.name).returncode != 0


def test_listening_line_and_restart_keeps_state(process_factory):
    first = process_factory()
    assert first.url.startswith("http://127.0.0.1:") and not first.url.endswith(":0")
    with open(first.log_path) as handle:
        assert "rio_emulator listening on %s" % first.url in handle.read()
    created = requests.post(first.url + "/serviceclass/add", json=manifest("cloud-non-ros.json"), headers=AUTH).json()
    plan = created["planIds"][0]
    body = {"service_id": created["packageId"], "plan_id": plan["planId"], "instance_id": "instanceId",
            "parameters": {"global": {}}, "context": {"name": "persisted"}}
    dep = requests.put(first.url + "/v2/service_instances/instanceId", json=body, headers=AUTH).json()["operation"]
    var = requests.post(first.url + "/api/device-manager/v0/config_variables/device/" + DOCKER_AMD64,
                        json={"key": "kept", "value": "yes"}, headers=AUTH)
    assert var.status_code == 200
    first.stop()
    second = process_factory(state=first.state)
    answer = requests.get(second.url + "/serviceinstance/" + dep, headers=AUTH)
    assert answer.status_code == 200 and answer.json()["name"] == "persisted"
    again = requests.post(second.url + "/serviceclass/add", json=manifest("cloud-non-ros.json"), headers=AUTH)
    assert again.status_code == 409
    variables = requests.get(second.url + "/api/device-manager/v0/config_variables/device/" + DOCKER_AMD64,
                             headers=AUTH).json()["response"]["data"]
    assert {"kept": "yes"}.items() <= dict((v["key"], v["value"]) for v in variables).items()


def test_fifty_concurrent_clients(process_factory):
    proc = process_factory("--phase-delay", "0.2")
    created = requests.post(proc.url + "/serviceclass/add", json=manifest("cloud-non-ros.json"), headers=AUTH).json()
    plan = created["planIds"][0]

    def client(index):
        session = requests.Session()
        body = {"service_id": created["packageId"], "plan_id": plan["planId"], "instance_id": "instanceId",
                "parameters": {"global": {}, plan["componentIds"][0]: {"component_id": plan["componentIds"][0]}},
                "context": {"name": "dep-%02d" % index}}
        dep_id = session.put(proc.url + "/v2/service_instances/instanceId", json=body, headers=AUTH).json()["operation"]
        got = session.get(proc.url + "/serviceinstance/" + dep_id, headers=AUTH)
        assert got.status_code == 200 and got.json()["name"] == "dep-%02d" % index
        # Everyone also races to create the same package name: exactly one may win.
        racer = dict(manifest("talker.json"), name="race")
        status = session.post(proc.url + "/serviceclass/add", json=racer, headers=AUTH).status_code
        listed = session.get(proc.url + "/deployment/list", headers=AUTH)
        assert listed.status_code == 200
        return dep_id, status

    with concurrent.futures.ThreadPoolExecutor(max_workers=50) as pool:
        results = list(pool.map(client, range(50)))
    dep_ids = [r[0] for r in results]
    assert len(set(dep_ids)) == 50
    assert sorted(r[1] for r in results) == [200] + [409] * 49
    listed = requests.get(proc.url + "/deployment/list", headers=AUTH).json()
    assert sorted(d["deploymentId"] for d in listed) == sorted(dep_ids)
    assert sorted(d["name"] for d in listed) == ["dep-%02d" % i for i in range(50)]
    stats = requests.get(proc.url + "/_emulator/stats").json()
    assert stats["by_route"]["PUT /v2/service_instances/{instance_id}"] == 50
    assert stats["by_status"].get("500", 0) == 0


def _fault_outcomes(url, count=30):
    out = []
    for _ in range(count):
        try:
            out.append(requests.get(url + "/v2/catalog", headers=AUTH, timeout=5).status_code)
        except requests.ConnectionError:
            out.append("dropped")
    return out


def test_faults_over_a_real_socket_are_reproducible(process_factory):
    first = process_factory("--fault-rate", "0.5", "--fault-latency", "20", "--seed", "11")
    outcomes = _fault_outcomes(first.url)
    assert "dropped" in outcomes and 503 in outcomes and 200 in outcomes
    second = process_factory("--fault-rate", "0.5", "--fault-latency", "20", "--seed", "11")
    assert _fault_outcomes(second.url) == outcomes
    requests.post(second.url + "/_emulator/faults", json={"rate": 0.5, "latency_ms": 20, "seed": 11})
    assert _fault_outcomes(second.url) == outcomes
    assert requests.get(second.url + "/_emulator/health").status_code == 200


def test_default_in_memory_state_without_state_flag():
    env = dict(os.environ)
    proc = subprocess.Popen([sys.executable, "-m", "rio_emulator", "serve", "--port", "0"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env)
    try:
        line = proc.stdout.readline()
        assert line.startswith("rio_emulator listening on http://127.0.0.1:")
        url = line.split()[-1]
        health = requests.get(url + "/_emulator/health").json()
        assert health["state"] == ":memory:"
        answer = requests.get(url + "/v2/catalog", headers={"Authorization": "Bearer rio-emulator-token"})
        assert answer.status_code == 200
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def _self_signed(workdir):
    cert, key = os.path.join(workdir, "cert.pem"), os.path.join(workdir, "key.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key, "-out", cert],
                   check=True, capture_output=True)
    return cert, key


def test_https_with_a_self_signed_certificate(process_factory):
    cert, key = _self_signed(tempfile.mkdtemp(prefix="rio-tls-"))
    proc = process_factory("--tls-cert", cert, "--tls-key", key)
    assert proc.url.startswith("https://127.0.0.1:")
    with pytest.raises(requests.exceptions.SSLError):
        requests.get(proc.url + "/v2/catalog", headers=AUTH, timeout=10)
    answer = requests.get(proc.url + "/v2/catalog", headers=AUTH, verify=cert, timeout=10)
    assert answer.status_code == 200


def test_tls_flag_errors():
    result = run_cli("serve", "--port", "0", "--tls-cert", "/nonexistent.pem")
    assert result.returncode == 2 and "go together" in result.stderr
    result = run_cli("serve", "--port", "0", "--tls-cert", "/nonexistent.pem", "--tls-key", "/nonexistent.key")
    assert result.returncode == 2 and "cannot read TLS file /nonexistent.pem" in result.stderr
    with tempfile.NamedTemporaryFile("w", suffix=".pem", delete=False) as handle:
        handle.write("not a certificate\n")
    result = run_cli("serve", "--port", "0", "--tls-cert", handle.name, "--tls-key", handle.name)
    assert result.returncode == 2 and "TLS" in result.stderr


def test_a_state_file_that_is_not_a_database_exits_non_zero(tmp_path):
    state = tmp_path / "state.sqlite"
    state.write_text("this is not an SQLite database, only text long enough to fill a header page\n" * 3)
    result = run_cli("serve", "--port", "0", "--state", str(state))
    assert result.returncode == 2 and "cannot use state file" in result.stderr


def _gone(pid, timeout=10):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.05)
    return False


def test_launch_prints_url_and_pid_and_leaves_the_server_running(tmp_path):
    log = str(tmp_path / "emulator.log")
    result = run_cli("launch", "--log", log, "--port", "0", "--token", TOKEN, "--project", PROJECT, "--fleet", FLEET,
                     "--state", str(tmp_path / "state.sqlite"))
    assert result.returncode == 0, result.stderr
    url, pid = result.stdout.split()
    pid = int(pid)
    try:
        assert url.startswith("http://127.0.0.1:") and not url.endswith(":0")
        devices = requests.get(url + "/api/device-manager/v0/devices/", headers=AUTH, timeout=10)
        assert devices.status_code == 200 and DOCKER_AMD64 in devices.text
        with open(log) as handle:
            assert "rio_emulator listening on %s" % url in handle.read()
    finally:
        os.kill(pid, signal.SIGTERM)
    assert _gone(pid)


def test_launch_reports_a_server_that_does_not_start(tmp_path):
    result = run_cli("launch", "--log", str(tmp_path / "emulator.log"), "--port", "0", "--fleet", "/nonexistent.yml")
    assert result.returncode == 1 and result.stdout == ""
    assert "did not start" in result.stderr and "cannot read fleet file /nonexistent.yml" in result.stderr


def test_a_killed_process_restarts_on_its_port_and_state(process_factory):
    proc = process_factory()
    url, state = proc.url, proc.state
    created = requests.post(url + "/serviceclass/add", json=manifest("cloud-non-ros.json"), headers=AUTH)
    assert created.status_code == 200
    proc.kill()
    with pytest.raises(requests.ConnectionError):
        requests.get(url + "/v2/catalog", headers=AUTH, timeout=5)
    assert proc.start() == url and proc.state == state
    again = requests.post(url + "/serviceclass/add", json=manifest("cloud-non-ros.json"), headers=AUTH)
    assert again.status_code == 409
    with open(proc.log_path) as handle:
        assert handle.read().count("rio_emulator listening on %s" % url) == 2


def test_a_launcher_made_workdir_goes_away_with_the_process():
    with EmulatorProcess(fleet=FLEET) as proc:
        proc.call("GET", "/v2/catalog", headers={"Authorization": "Bearer " + proc.token, "project": proc.project})
        assert proc.stats()["by_route"] == {"GET /v2/catalog": 1}
        proc.reset(counters_only=True)
        assert proc.stats()["by_route"] == {}
        workdir, pid = proc.workdir, proc.proc.pid
        assert os.path.exists(os.path.join(workdir, "state.sqlite"))
    assert not os.path.exists(workdir) and _gone(pid)


def test_raw_answers_errors_too_and_call_raises_them():
    with EmulatorProcess(fleet=FLEET) as proc:
        status, answer = proc.raw("GET", "/v2/catalog")
        assert status == 401 and answer
        with pytest.raises(urllib.error.HTTPError):
            proc.call("GET", "/v2/catalog")
        headers = {"Authorization": "Bearer " + proc.token, "project": proc.project}
        assert proc.raw("GET", "/v2/catalog", headers=headers)[0] == 200


def test_the_launcher_needs_only_the_standard_library():
    """The riocli and sdk-v2 suites import it in venvs that hold none of the emulator's dependencies."""
    import rio_emulator.launcher as launcher
    import rio_emulator.settings as settings

    absolute, relative = set(), set()
    for module in (launcher, settings):
        with open(module.__file__) as handle:
            for node in ast.walk(ast.parse(handle.read())):
                if isinstance(node, ast.Import):
                    absolute.update(alias.name.split(".")[0] for alias in node.names)
                elif isinstance(node, ast.ImportFrom):
                    (relative if node.level else absolute).add(node.module.split(".")[0])
    assert absolute and absolute <= set(sys.stdlib_module_names), absolute - set(sys.stdlib_module_names)
    assert relative == {"settings"}
