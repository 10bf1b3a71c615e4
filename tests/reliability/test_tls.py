"""Issue 8 item 5 (TLS): the emulator serves HTTPS with a given certificate (serve --tls-cert/--tls-key).
validate_certs defaults to true: a self-signed certificate fails clearly (naming the host, ca_path and
validate_certs) and nothing is written; ca_path (option or RIO_CA_PATH) or validate_certs=false make it
work. The same for the inventory plugin. The token stays out of every output."""
import json
import os

from rel_helpers import (MANIFESTS, TOKEN, VENV_BIN, ansible_env, playbook, record_figures, run, self_signed_cert,
                         tls_context_trusting, writes_of)
from test_secrets import leaks

HERE = os.path.dirname(os.path.abspath(__file__))


def https_emulator(emulators, tmp_path):
    cert, key = self_signed_cert(str(tmp_path), "emulator")
    emu = emulators(extra=["--tls-cert", cert, "--tls-key", key])
    assert emu.url.startswith("https://"), emu.url
    emu.ssl_context = tls_context_trusting(cert)
    return emu, cert


def test_modules_verify_certificates_by_default(emulators, tmp_path):
    emu, cert = https_emulator(emulators, tmp_path)
    results = str(tmp_path / "tls.json")
    env = ansible_env(emu, extra={"RIO_REL_CA": cert, "RIO_REL_MANIFESTS": MANIFESTS, "RIO_REL_RESULTS": results})
    outcome = playbook(os.path.join(HERE, "playbooks", "tls.yml"), env, "-vvv", inventory="localhost,")
    assert outcome.returncode == 0, outcome.describe()
    with open(results) as handle:
        data = json.load(handle)
    for case in ("default", "default_write"):
        result = data[case]
        assert result["failed"], result
        for needle in ("TLS verification failed", emu.url, "ca_path", "validate_certs"):
            assert needle in result["msg"], (case, needle, result["msg"])
    assert data["ca_path"]["changed"] and not data["ca_path"].get("failed")
    assert not data["no_validation"].get("failed") and data["no_validation"]["packages"]
    assert not data["env_ca_path"].get("failed") and data["env_ca_path"]["devices"]
    stats = emu.stats()
    # One package creation, from the ca_path task; the refused tasks sent nothing that reached the API.
    assert stats["by_route"].get("POST /serviceclass/add") == 1 and writes_of(stats) == 1, stats["by_route"]
    problems = leaks(outcome.stdout, "stdout") + leaks(outcome.stderr, "stderr") + leaks(emu.log(), "emulator log")
    assert not problems, "\n".join(problems)
    record_figures("tls_modules", {"cases": 5, "refused_by_default": 2, "accepted_with_ca_path": 2,
                                   "accepted_without_validation": 1, "writes": writes_of(stats)})


def test_inventory_plugin_verifies_certificates_by_default(emulators, tmp_path):
    emu, cert = https_emulator(emulators, tmp_path)
    source = tmp_path / "tls.rio_devices.yml"
    source.write_text("plugin: rapyuta.rio.rio_devices\nretries: 0\n")
    inventory = os.path.join(VENV_BIN, "ansible-inventory")
    refused = run([inventory, "-i", str(source), "--list"],
                  ansible_env(emu, extra={"ANSIBLE_INVENTORY_UNPARSED_FAILED": "true"}))
    assert refused.returncode != 0, refused.describe()
    for needle in ("TLS verification failed", emu.url, "ca_path", "validate_certs"):
        assert needle in refused.output, (needle, refused.output[-1500:])
    trusted = run([inventory, "-i", str(source), "--list"], ansible_env(emu, extra={"RIO_CA_PATH": cert}))
    assert trusted.returncode == 0 and "robot-docker-amd64" in trusted.stdout, trusted.describe()
    source_off = tmp_path / "off.rio_devices.yml"
    source_off.write_text("plugin: rapyuta.rio.rio_devices\nvalidate_certs: false\n")
    unverified = run([inventory, "-i", str(source_off), "--list"], ansible_env(emu))
    assert unverified.returncode == 0 and "robot-docker-amd64" in unverified.stdout, unverified.describe()
    problems = []
    for label, outcome in (("refused", refused), ("trusted", trusted), ("unverified", unverified)):
        problems += leaks(outcome.output, label)
    assert not problems and TOKEN not in emu.log(), "\n".join(problems)
    record_figures("tls_inventory", {"cases": 3, "refused_by_default": 1, "accepted": 2})
