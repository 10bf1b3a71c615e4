"""Issue 8 item 5 (secrets): every module and the inventory plugin run at -vvvv with a known token,
on v1 and on v2 (issue 20);
the token appears nowhere in stdout, stderr, the registered results or the emulator log (with its
access log on). A rejected token (the known one plus a suffix) must not appear either."""
import json
import os

from rel_helpers import MANIFESTS, PROJECT, TOKEN, ansible_env, playbook, record_figures, run, VENV_BIN

HERE = os.path.dirname(os.path.abspath(__file__))
WRONG = TOKEN + "-wrong"
# The emulator's default organization (docs/EMULATOR.md), as riocli's config file would name it.
ORGANIZATION = "org-emulatoremulatoremulat"
MODULES = ("rio_package", "rio_package_info", "rio_routed_network", "rio_native_network", "rio_volume",
           "rio_static_route", "rio_deployment", "rio_deployment_batch", "rio_deployment_info", "rio_device_info",
           "rio_resource", "rio_resource_info")


def leaks(text, where):
    found = []
    for secret in (TOKEN, WRONG, TOKEN[len("rel-"):]):
        if secret in text:
            index = text.index(secret)
            found.append("%s contains the token near: %r" % (where, text[max(0, index - 200):index + 60]))
    return found


def test_modules_at_vvvv_never_show_the_token(emulators, tmp_path):
    emu = emulators(extra=["--phase-delay", "0"])
    results = str(tmp_path / "registered.json")
    env = ansible_env(emu, extra={"RIO_REL_MANIFESTS": MANIFESTS, "RIO_REL_RESULTS": results})
    result = playbook(os.path.join(HERE, "playbooks", "secrets.yml"), env, "-vvvv", inventory="localhost,",
                      timeout=400)
    assert result.returncode == 0, result.describe()
    with open(results) as handle:
        registered = handle.read()
    data = json.loads(registered)
    # The run did what it claims: every module ran, the three failures failed for the expected reason.
    for module in MODULES:
        assert "rapyuta.rio.%s" % module in result.stdout or module in result.stdout, module
    assert data["deployment"]["changed"] and data["deployment2"]["changed"]
    assert data["resource"]["changed"] and len(data["resource_info"]["resources"]) == 1
    assert data["routed_v2"]["changed"] and data["routed_v2"]["network"]["phase"] == "Succeeded"
    assert data["route_v2"]["changed"] and data["route_v2"]["static_route"]["name"].startswith("secret-v2-route-")
    # v2: the modules that speak it ran there, their host coming from RIO_V2_API_HOST (no task names it).
    for key in ("package_v2", "package2_v2", "volume_v2", "native_v2", "deployment_v2", "deployment2_v2"):
        assert data[key]["changed"] and not data[key].get("failed"), (key, data[key])
    assert data["deployment_v2"]["deployment"]["phase"] == "Succeeded", data["deployment_v2"]
    assert [p["name"] for p in data["package_info_v2"]["packages"]] == ["secret-v2-talker"], data["package_info_v2"]
    assert {d["name"] for d in data["deployment_info_v2"]["deployments"]} >= {"secret-v2-talker", "secret-v2-web"}
    for key in ("batch", "batch_v2"):
        assert data[key]["changed"] and not data[key].get("failed"), (key, data[key])
    assert [item["changed"] for item in data["absent"]["results"]] == [True, True, True]
    assert [item["changed"] for item in data["absent_v2"]["results"]] == [True, True, True]
    assert data["bad_device_v2"]["failed"] and "robot-nowhere" in data["bad_device_v2"]["msg"]
    assert data["bad_token_v2"]["failed"] and "401" in data["bad_token_v2"]["msg"]
    by_route = emu.stats()["by_route"]
    assert by_route.get("POST /v2/deployments/", 0) == 3 and by_route.get("POST /v2/packages/", 0) == 2, by_route
    assert data["bad_device"]["failed"] and "robot-nowhere" in data["bad_device"]["msg"]
    assert data["bad_token"]["failed"] and "401" in data["bad_token"]["msg"]
    assert data["unreachable"]["failed"] and "refused" in data["unreachable"]["msg"]
    # The emulator log is not vacuous: --access-log writes one line per request.
    assert emu.log().count("HTTP/1.1") >= 40, emu.log()[-2000:]
    problems = (leaks(result.stdout, "stdout") + leaks(result.stderr, "stderr")
                + leaks(registered, "registered results") + leaks(emu.log(), "emulator log"))
    assert not problems, "\n".join(problems)
    record_figures("secrets_modules", {
        "modules": len(MODULES), "tasks_run": result.stdout.count("TASK ["),
        "stdout_bytes": len(result.stdout), "stderr_bytes": len(result.stderr),
        "registered_bytes": len(registered), "emulator_log_bytes": len(emu.log()),
        "emulator_log_lines": emu.log().count("\n"),
        "emulator_requests": emu.stats()["total"], "token_occurrences": 0, "seconds": round(result.seconds, 1)})


def _inventory_file(path, extra=""):
    with open(path, "w") as handle:
        handle.write("plugin: rapyuta.rio.rio_devices\nstatus: [ONLINE]\n" + extra)
    return path


def test_inventory_plugin_at_vvvv_never_shows_the_token(emulators, tmp_path):
    emu = emulators()
    inventory_cmd = os.path.join(VENV_BIN, "ansible-inventory")
    outputs = []
    # Token from the environment; then from the inventory file itself (auth_token option).
    env_source = _inventory_file(str(tmp_path / "env.rio_devices.yml"))
    good = run([inventory_cmd, "-i", env_source, "--list", "-vvvv"], ansible_env(emu))
    assert good.returncode == 0, good.describe()
    assert "robot-docker-amd64" in good.stdout and "robot-offline" not in good.stdout
    outputs.append(("env token", good))
    option_source = _inventory_file(str(tmp_path / "option.rio_devices.yml"), "auth_token: %s\n" % TOKEN)
    env_without = ansible_env(emu)
    del env_without["RIO_AUTH_TOKEN"]
    by_option = run([inventory_cmd, "-i", option_source, "--list", "-vvvv"], env_without)
    assert by_option.returncode == 0, by_option.describe()
    assert "robot-docker-amd64" in by_option.stdout
    outputs.append(("option token", by_option))
    # v2 configuration, everything from riocli's config file (RIO_CONFIG): devices still come from the
    # core API, the token from the file is sent and shown nowhere.
    rio_config = str(tmp_path / "rio-cli.json")
    with open(rio_config, "w") as handle:
        json.dump({"auth_token": TOKEN, "project_id": PROJECT, "organization_id": ORGANIZATION, "environment": "ga",
                   "v2api_host": emu.url, "core_api_host": emu.url, "catalog_host": emu.url}, handle)
    env_v2 = {key: value for key, value in ansible_env(emu).items()
              if key not in ("RIO_AUTH_TOKEN", "RIO_PROJECT", "RIO_CATALOG_HOST", "RIO_CORE_API_HOST", "RIO_V2_API_HOST")}
    env_v2.update({"RIO_API_VERSION": "v2", "RIO_CONFIG": rio_config})
    by_config = run([inventory_cmd, "-i", env_source, "--list", "-vvvv"], env_v2)
    assert by_config.returncode == 0, by_config.describe()
    assert "robot-docker-amd64" in by_config.stdout and "robot-offline" not in by_config.stdout
    outputs.append(("v2 riocli config token", by_config))
    # A rejected token: the parse fails, saying so, without echoing the token.
    bad = run([inventory_cmd, "-i", env_source, "--list", "-vvvv"], ansible_env(emu, token=WRONG))
    assert "401" in bad.output, bad.describe()
    outputs.append(("rejected token", bad))
    problems = []
    for label, outcome in outputs:
        problems += leaks(outcome.stdout, label + " stdout") + leaks(outcome.stderr, label + " stderr")
    problems += leaks(emu.log(), "emulator log")
    assert not problems, "\n".join(problems)
    record_figures("secrets_inventory", {
        "runs": len(outputs), "output_bytes": sum(len(o.output) for _, o in outputs),
        "emulator_log_bytes": len(emu.log()), "token_occurrences": 0})


def test_ansible_debug_never_shows_the_token(emulators, tmp_path):
    """Issue 17 item 11: ANSIBLE_DEBUG=1 prints what ansible-core's debug lines print (the shipped
    module's arguments among them); the token of module_defaults or of a task option is not in it."""
    emu = emulators(extra=["--phase-delay", "0"])
    results = str(tmp_path / "registered.json")
    env = ansible_env(emu, extra={"RIO_REL_RESULTS": results, "RIO_REL_TOKEN": TOKEN, "ANSIBLE_DEBUG": "1"})
    del env["RIO_AUTH_TOKEN"]  # the token reaches the modules only through module_defaults or the task
    result = playbook(os.path.join(HERE, "playbooks", "secrets_debug.yml"), env, "-vvv", inventory="localhost,",
                      timeout=300)
    assert result.returncode == 0, result.describe()
    with open(results) as handle:
        registered = handle.read()
    data = json.loads(registered)
    # Not vacuous: debug output is on, each task ran the way it says, the token reached the API.
    assert "done with _execute_module (rapyuta.rio.rio_static_route" in result.output, result.output[-3000:]
    assert "rapyuta.rio.rio_static_route: shipped as a module" in result.output
    assert "rapyuta.rio.rio_static_route: run in the controller's worker" in result.output
    assert "done with _execute_module (rapyuta.rio.rio_resource" in result.output
    assert "rapyuta.rio.rio_resource: run in the controller's worker" in result.output
    for key in ("shipped", "direct", "shipped_v2", "direct_v2"):
        assert data[key]["changed"] and not data[key].get("failed"), (key, data[key])
    assert data["shipped_option"]["devices"], data["shipped_option"]
    problems = leaks(result.stdout, "stdout") + leaks(result.stderr, "stderr") + leaks(registered, "registered results")
    assert not problems, "\n".join(problems)
