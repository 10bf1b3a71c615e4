"""Issue 8 item 5 (TLS), modules on v1 and v2: the emulator serves HTTPS with a given certificate (serve --tls-cert/--tls-key).
validate_certs defaults to true: a self-signed certificate fails clearly (naming the host, ca_path and
validate_certs) and nothing is written; ca_path (option or RIO_CA_PATH) or validate_certs=false make it
work. The same for the inventory plugin. The token stays out of every output."""
import json
import os

from rel_helpers import (MANIFESTS, TOKEN, VENV_BIN, ansible_env, playbook, record_figures, run, self_signed_cert,
                         tls_context_trusting, writes_of)
from test_secrets import leaks

HERE = os.path.dirname(os.path.abspath(__file__))
# The cases of playbooks/tls.yml refused by default, with the host option their message names.
REFUSED = {"default": "catalog_host", "default_write": "catalog_host", "v2_default": "v2_api_host",
           "v2_default_write": "v2_api_host"}


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
    for case, host_option in REFUSED.items():
        result = data[case]
        assert result["failed"], result
        for needle in ("TLS verification failed", emu.url, "(%s)" % host_option, "ca_path", "validate_certs"):
            assert needle in result["msg"], (case, needle, result["msg"])
    for case in ("ca_path", "v2_ca_path"):
        assert data[case]["changed"] and not data[case].get("failed"), data[case]
    assert not data["no_validation"].get("failed") and data["no_validation"]["packages"]
    assert not data["env_ca_path"].get("failed") and data["env_ca_path"]["devices"]
    assert not data["v2_no_validation"].get("failed") and len(data["v2_no_validation"]["resources"]) == 1
    assert not data["v2_env_ca_path"].get("failed") and "deployments" in data["v2_env_ca_path"]
    stats = emu.stats()
    # One creation per generation, from the ca_path tasks; the refused tasks sent nothing that reached the API.
    creations = {"POST /serviceclass/add": 1, "POST /v2/disks/": 1}
    assert {route: stats["by_route"].get(route) for route in creations} == creations, stats["by_route"]
    assert writes_of(stats) == len(creations), stats["by_route"]
    problems = leaks(outcome.stdout, "stdout") + leaks(outcome.stderr, "stderr") + leaks(emu.log(), "emulator log")
    assert not problems, "\n".join(problems)
    record_figures("tls_modules", {"cases": 10, "api_versions": ["v1", "v2"], "refused_by_default": len(REFUSED),
                                   "accepted_with_ca_path": 4, "accepted_without_validation": 2,
                                   "writes": writes_of(stats)})


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
