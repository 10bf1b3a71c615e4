"""Issue 8 item 4: a matrix of bad inputs across the modules, the roles and the inventory plugin.
Each case fails with a message naming the field and the value, and the emulator counts zero writes
(GET /_emulator/stats; the device selection query is a read) for that case: "every provisioning rule
is checked before the first write" (issue 17), tested case by case.

Adding a case: a task in playbooks/bad_inputs.yml that registers ``case_<id>`` (or a set_fact of
it in a rescue), and one line ``"<id>": [substrings of the message]`` in EXPECTED. The callback
callback_plugins/case_writes.py counts each case's requests; test_each_bad_input_writes_nothing checks
every case, EXPECTED and GAPS alike, with nothing more to add. Cases of both API generations share the
playbook and the emulator (v1 and v2 objects side by side, seeded by playbooks/bad_inputs_seed.yml)."""
import json
import os

import pytest

from rel_helpers import (Emulator, MANIFESTS, VENV_BIN, ansible_env, playbook, record_figures, run, self_signed_cert,
                         writes_of)
from servers import Servers

HERE = os.path.dirname(os.path.abspath(__file__))
OFFLINE_UUID = "11111111-1111-4111-8111-111111111105"  # robot-offline of the test fleet (TEST_FLEET)

# case -> substrings the failure message must contain (the field, then the value).
EXPECTED = {
    "pkg_malformed": ["malformed.json"],
    "pkg_schema_architecture": ["plans[0].components[0]", "architecture"],
    "pkg_schema_runtime": ["plans[0].components[0].requiredRuntime", "moon"],
    "pkg_missing_file": ["manifest file", "no-such-manifest.json"],
    "pkg_version_mismatch": ["version", "v2.0.0", "v1.0.0"],
    "pkg_force_type": ["force", "perhaps"],
    "pkg_missing_required": ["manifest", "manifest_file"],
    "dep_unknown_version": ["package_name", "v9.9.9"],
    "dep_unknown_plan": ["plan", "no-such-plan"],
    "dep_unknown_component": ["components", "talkr"],
    "dep_unknown_device": ["components.default.device", "robot-nowhere"],
    "dep_no_device": ["components.default.device", "device"],
    "dep_unknown_routed_network": ["routed_networks[0].name", "no-such-routed-net"],
    "dep_unknown_native_network": ["native_networks[0].name", "no-such-native-net"],
    "dep_unknown_static_route": ["components.nginx.static_routes.test", "no-such-route"],
    "dep_unknown_endpoint": ["static_routes", "no-such-endpoint"],
    "dep_unknown_volume": ["components.nginx.volumes", "no-such-volume"],
    "dep_unknown_dependency": ["depends_on[0]", "no-such-deployment"],
    "dep_invalid_restart_policy": ["restart_policy", "sometimes"],
    "dep_rosbag_not_ros": ["components.nginx.rosbag_jobs", "ROS"],
    "dep_rosbag_records_nothing": ["rosbag_jobs", "record_options"],
    "dep_duplicate_aliases": ["components.devicepong.alias", "twin"],
    "dep_component_twice": ["components", "nginx"],
    "dep_missing_name": ["name"],
    "dep_name_without_version": ["package_name", "package_version"],
    "dep_wait_timeout_type": ["wait_timeout", "soon"],
    "dep_components_type": ["components: expected a list of dicts", "nginx"],
    "dep_wait_timeout_negative": ["wait_timeout", "got -10"],
    "dep_wait_timeout_zero": ["wait_timeout", "greater than 0", "got 0"],
    "dep_wait_sleep_negative": ["wait_sleep", "got -1"],
    "dep_timeout_negative": ["timeout", "got -5"],
    "dep_retries_negative": ["retries", "got -1"],
    "dep_absent_with_dependents": ["rel-base", "rel-child", "on_dependents: break"],
    "dep_absent_with_dependents_check": ["rel-base", "rel-child", "on_dependents: break"],
    "dep_recreate_with_dependents": ["rel-base", "rel-child", "on_dependents: break"],
    "dep_offline_device": ["components.default.device", "component default", "robot-offline", OFFLINE_UUID, "OFFLINE"],
    "dep_offline_device_check": ["components.default.device", "robot-offline", "OFFLINE"],
    "dep_wrong_architecture": ["components.default.device", "needs architecture amd64", "robot-docker-arm64",
                               "arm64v8"],
    "dep_wrong_ros_distro": ["components.default.device", "needs ROS distro melodic", "robot-noetic", "runs noetic"],
    "dep_invalid_on_change": ["on_change", "overwrite"],
    "dep_alias_clash": ["components.cloudping.alias", "'cloudping'", "rel-ping", "DEP_E171"],
    "dep_alias_clash_check": ["components.cloudping.alias", "'cloudping'", "rel-ping", "DEP_E171"],
    "dep_cloud_component_device": ["components.nginx.device", "runs in the cloud", "robot-docker-amd64"],
    "dep_unknown_network_interface": ["routed_networks[0].network_interface", "wlan9", "robot-docker-amd64",
                                      "eth0"],
    "dep_label_dict": ["labels.site", "got a dict", "region"],
    "dep_cloud_restart_policy": ["components.nginx.restart_policy", "runs in the cloud", "never"],
    "batch_unknown_device": ["components.default.device", "robot-nowhere"],
    "batch_duplicate_name": ["deployment batch-twice", "listed 2 times"],
    "batch_wait_sleep_negative": ["wait_sleep", "got -1"],
    "batch_absent_with_dependents": ["rel-base", "rel-child", "on_dependents: break"],
    "batch_missing_deployments": ["deployments"],
    "batch_device_refused": ["batch-offline", "robot-offline", "OFFLINE", "batch-arch", "robot-docker-arm64",
                             "arm64v8"],
    "routed_negative_limit": ["limits.cpu", "-1"],
    "native_unknown_device": ["device", "robot-nowhere"],
    "native_unknown_interface": ["network_interface", "wlan9"],
    "routed_offline_device": ["device", "robot-offline", "OFFLINE", "DEP_E151"],
    "native_offline_device_check": ["device", "robot-offline", "OFFLINE", "DEP_E151"],
    "routed_delete_in_use": ["routed network 'rel-net'", "in use by deployments", "'rel-ping'"],
    "route_delete_in_use": ["static route 'rel-route'", "in use by deployments", "'rel-web'"],
    "volume_capacity_choice": ["capacity", "10"],
    "volume_capacity_type": ["capacity", "big"],
    "route_invalid_name": ["name", "Bad_Route!"],
    "deployment_info_phase": ["phases", "Exploded"],
    "device_info_status": ["status", "SLEEPY"],
    "conn_bad_token": ["auth_token", "401"],
    "conn_unreachable": ["catalog_host", "{closed_url}"],
    "conn_not_rapyuta": ["catalog_host", "{other_url}"],
    "conn_tls": ["{tls_url}", "validate_certs", "ca_path"],
    "conn_timeout": ["{silent_url}", "2s"],
    "conn_invalid_url": ["catalog_host", "ftp//rapyuta"],
    "conn_no_project": ["project option", "RIO_PROJECT"],
    "conn_rio_config_missing": ["RIO_CONFIG", "/nonexistent/rio-config.json", "cannot be read"],
    "conn_ca_path_missing": ["ca_path", "/nonexistent/ca.pem"],
    "conn_ca_path_not_pem": ["ca_path", "talker-docker.json", "holds no PEM certificate"],
    "role_robot_restart_policy": ["robot_deployment_restart_policy", "sometimes"],
    "role_robot_wait_timeout": ["robot_deployment_wait_timeout", "soon"],
    "role_robot_missing_package": ["robot_deployment_package_name"],
    "resource_bad_field": ["document 2 (Disk odd)", "spec.capacity", "got 5"],
    "resource_missing_src": ["manifest file", "no-such-manifests.yaml"],
    "resource_v1": ["api_version=v1", "rapyuta.rio.rio_resource"],
    "routed_v2_shared": ["shared=true", "v2 networks cannot be shared"],
    "native_v2_limits_step": ["limits.cpu", "0.31", "0.025"],
    "routed_v2_offline_device": ["device", "robot-offline", "OFFLINE", "DEP_E151"],
    "route_v2_source_range": ["source_ip_range[1]", "10.0.0.300/8"],
    "route_v1_source_range": ["source_ip_range", "api_version: v2"],
    "pkg_v2_package_id": ["package_id", "name and version"],
    "pkg_v2_v1_manifest": ["manifest_file.plans", "v2 packages have no plans", "api_version: v1"],
    "pkg_v2_runtime": ["spec.runtime", "moon"],
    "pkg_v2_kind": ["manifest.kind", "'Disk'"],
    "pkg_info_v2_details": ["details", "v2 API"],
    "dep_v2_plan": ["plan", "v2 packages have no plans", "remove it"],
    "dep_v2_components": ["components", "one component", "depends_on"],
    "dep_v2_rosbag": ["components[0].rosbag_jobs", "no ROS bag jobs"],
    "dep_v2_definition_mixed": ["definition", "mutually exclusive with labels"],
    "dep_v2_definition_runtime": ["definition.spec.runtime", "'moon'"],
    "dep_v1_definition": ["definition", "api_version: v2"],
    "dep_v2_unknown_package": ["package_name", "no-such-v2-package", "v1.0.0"],
    "dep_v2_offline_device": ["components[0].device", "robot-offline", "OFFLINE", "DEP_E151"],
    "dep_v2_wrong_architecture": ["components[0].device", "needs architecture amd64", "robot-docker-arm64", "arm64v8"],
    "batch_v2_device_refused": ["relv2-batch-offline", "robot-offline", "OFFLINE", "relv2-batch-arch",
                                "robot-docker-arm64", "arm64v8", "nothing was written"],
    "batch_v2_plan": ["bad-v2-batch", "plan", "v2 packages have no plans", "nothing was written"],
    "batch_v2_definition_mixed": ["bad-v2-batch", "definition", "mutually exclusive with labels"],
    "batch_v2_alias": ["bad-v2-batch", "components[0].alias", "no component alias"],
    "dep_info_v1_region": ["region", "api_version: v2"],
    "dep_info_v2_phase": ["phases", "'Partially deprovisioned'", "no v2 counterpart"],
    "resource_duplicate_document": ["document 2 (Disk relv2-new-disk)", "declares Disk relv2-new-disk again"],
    "resource_unknown_kind": ["document 2 (Robot r2d2)", "kind", "'Robot'"],
    "resource_missing_name": ["document 2 (Disk)", "metadata.name", "required"],
    "resource_not_yaml": ["manifest file", "broken-manifests.yaml", "neither JSON nor YAML"],
    "resource_bad_third_document": ["document 3 (Disk relv2-third-c)", "spec.capacity", "got 5"],
    "resource_cycle": ["dependency cycle", "Deployment cyc-a", "Deployment cyc-b"],
    "resource_on_change_fail": ["Disk 'relv2-disk'", "spec.capacity", "live 4, declared 8", "on_change"],
    "resource_absent_with_dependents": ["relv2-base", "relv2-child", "on_dependents=break"],
    "resource_disk_in_use": ["Disk 'relv2-disk'", "relv2-base", "on_dependents=break"],
    "resource_unknown_package": ["metadata.depends", "no-such-v2-package"],
    "resource_offline_device": ["Deployment 'relv2-offline'", "spec.device.depends.nameOrGUID", "robot-offline",
                                "OFFLINE", "nothing was written"],
    "conn_v2_bad_token": ["auth_token", "401"],
    "conn_v2_unreachable": ["v2_api_host", "{closed_url}"],
    "conn_v2_not_rapyuta": ["v2_api_host", "{other_url}"],
    "conn_v2_tls": ["{tls_url}", "v2_api_host", "validate_certs", "ca_path"],
    "conn_v2_timeout": ["{silent_url}", "v2_api_host", "2s"],
    "conn_v2_organization": ["403", "organization org-aaaaaaaaaaaaaaaaaaaaaaaa"],
    "conn_v2_project": ["403", "project project-nowhere"],
    "role_api_version": ["rio_api_version", "v3"],
}

# Three documents of one file, the third one bad: refused as a whole, naming the document.
BAD_THIRD_MANIFESTS = """\
apiVersion: api.rapyuta.io/v2
kind: Disk
metadata: {name: relv2-third-a}
spec: {runtime: cloud, capacity: 4}
---
apiVersion: api.rapyuta.io/v2
kind: StaticRoute
metadata: {name: relv2-third-b}
spec: {}
---
apiVersion: api.rapyuta.io/v2
kind: Disk
metadata: {name: relv2-third-c}
spec: {runtime: cloud, capacity: 5}
"""

# Inventory sources (rio_devices) -> expected substrings of the parse failure.
INVENTORY_CASES = {
    "bad_regex": ("name_pattern: '[robot'\n", ["name_pattern", "[robot"]),
    "bad_hostname_choice": ("hostname: ip_address\n", ["hostname", "ip_address"]),
    "bad_status_type": ("status: {{online: true}}\n", ["status"]),
    "bad_token": ("auth_token: not-the-token\n", ["auth_token", "401"]),
    "unreachable": ("core_api_host: {closed_url}\nretries: 0\n", ["core_api_host", "{closed_url}"]),
    "negative_timeout": ("timeout: -5\n", ["timeout", "got -5"]),
    "negative_retries": ("retries: -1\n", ["retries", "got -1"]),
    "unknown_status": ("status: [UP]\n", ["status", "Got no match for: UP"]),
}



# Cases whose message does not meet the bar yet, with the reason; each is an xfail(strict) test, so
# fixing the gap makes the suite say so (docs/RELIABILITY.md).
GAPS = {
    "role_cloud_networks_type": (["cloud_side_routed_networks", "just-one-net"],
                                 "ansible-core's role argument validation (validate_argument_spec, run before any "
                                 "task of the role) names the option but not the value of a list element of the "
                                 "wrong type, and a role cannot run anything before it"),
}

# Cases that write before they are refused, with the reason; their zero-write check is an xfail(strict).
WRITE_GAPS = {}


def is_v2_case(case):
    """The cases of v2: those named for it, and every case of the v2-only rio_resource."""
    return "v2" in case.split("_") or case.startswith("resource_")


def _message(result):
    parts = [str(result.get("msg", ""))]
    for key in ("errors", "field"):
        if result.get(key):
            parts.append(json.dumps(result[key]))
    return " | ".join(parts)


def _urls(servers):
    return {"closed_url": servers.closed_url, "other_url": servers.other_url, "tls_url": servers.tls_url,
            "silent_url": servers.silent_url}


@pytest.fixture(scope="module")
def matrix(tmp_path_factory):
    """Runs playbooks/bad_inputs.yml once against a private emulator; the tests below read its results."""
    work = tmp_path_factory.mktemp("bad-inputs")
    emu = Emulator(str(work))
    cert, key = self_signed_cert(str(work))
    servers = Servers(cert, key)
    try:
        for name in ("talker-docker", "nginx-single-component", "scoped-targeted", "scoped-cloud"):
            with open(os.path.join(MANIFESTS, name + ".json")) as handle:
                emu.api("POST", "/serviceclass/add", json.load(handle))
        emu.api("POST", "/api/staticroute/create", {"urlPrefix": "rel-route"})
        # rel-child depends on rel-base: made before the counters are reset, for the dependents cases.
        seeded = playbook(os.path.join(HERE, "playbooks", "bad_inputs_seed.yml"), ansible_env(emu),
                          inventory="localhost,", timeout=300)
        assert seeded.returncode == 0, seeded.describe()
        (work / "malformed.json").write_text('{"name": "broken", "plans": [ {"name": ')
        (work / "broken-manifests.yaml").write_text("kind: Disk\nmetadata:\n  name: [\n---\n")
        (work / "bad-third-manifests.yaml").write_text(BAD_THIRD_MANIFESTS)
        urls = _urls(servers)
        results = str(work / "cases.json")
        case_stats = str(work / "case-stats.json")
        env = ansible_env(emu, extra={
            "ANSIBLE_CALLBACK_PLUGINS": os.path.join(HERE, "callback_plugins"),
            "ANSIBLE_CALLBACKS_ENABLED": "case_writes", "RIO_REL_CASE_STATS": case_stats,
            "RIO_REL_MANIFESTS": MANIFESTS, "RIO_REL_WORK": str(work), "RIO_REL_RESULTS": results,
            "RIO_REL_CLOSED_URL": urls["closed_url"], "RIO_REL_OTHER_URL": urls["other_url"],
            "RIO_REL_TLS_URL": urls["tls_url"], "RIO_REL_SILENT_URL": urls["silent_url"]})
        emu.reset_counters()
        outcome = playbook(os.path.join(HERE, "playbooks", "bad_inputs.yml"), env, inventory="localhost,",
                           timeout=500)
        assert outcome.returncode == 0, outcome.describe()
        with open(results) as handle:
            cases = json.load(handle)
        with open(case_stats) as handle:
            requests_by_case = json.load(handle)
        yield {"cases": cases, "stats": cases.pop("_stats_after_cases"), "requests_by_case": requests_by_case,
               "urls": urls, "seconds": outcome.seconds, "emulator": emu, "work": work}
    finally:
        servers.close()
        emu.stop()


def test_every_case_ran(matrix):
    assert sorted(matrix["cases"]) == sorted(list(EXPECTED) + list(GAPS))


def test_bad_inputs_write_nothing(matrix):
    """No write in the whole run but those of the known write gaps (counted case by case)."""
    stats = matrix["stats"]
    gap_writes = sum(writes_of({"by_route": matrix["requests_by_case"][case][0]}) for case in WRITE_GAPS)
    assert writes_of(stats) == gap_writes, "the bad inputs wrote: %s" % stats["by_route"]
    meeting = [case for case in EXPECTED if case not in WRITE_GAPS]
    v2 = [case for case in list(EXPECTED) + list(GAPS) if is_v2_case(case)]
    record_figures("bad_input_matrix", {
        "playbook_cases": len(EXPECTED) + len(GAPS), "inventory_cases": len(INVENTORY_CASES),
        "v2_cases": len(v2), "v2_cases_meeting_the_bar": len([c for c in v2 if c in meeting]),
        "known_gaps": len(set(GAPS) | set(WRITE_GAPS)), "message_gaps": len(GAPS), "write_gaps": len(WRITE_GAPS),
        "cases_meeting_the_bar": len(meeting) + len(INVENTORY_CASES), "writes": writes_of(stats),
        "writes_of_gaps": gap_writes, "reads": stats["reads"], "playbook_seconds": round(matrix["seconds"], 1)})


def test_every_case_was_counted_once(matrix):
    counted = matrix["requests_by_case"]
    assert sorted(counted) == sorted(matrix["cases"]), "cases the callback did not count, or counted that are not cases"
    assert all(len(counts) == 1 for counts in counted.values()), {
        case: len(counts) for case, counts in counted.items() if len(counts) != 1}


@pytest.mark.parametrize("case", sorted(list(EXPECTED) + list(GAPS)))
def test_each_bad_input_writes_nothing(matrix, case, request):
    """The requests of this case's own tasks (callback_plugins/case_writes.py) include no write."""
    if case in WRITE_GAPS:
        request.applymarker(pytest.mark.xfail(strict=True, reason=WRITE_GAPS[case]))
    requests = matrix["requests_by_case"][case][0]
    assert writes_of({"by_route": requests}) == 0, "case %s wrote: %s" % (case, requests)


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_bad_input_fails_naming_field_and_value(matrix, case):
    result = matrix["cases"][case]
    assert result.get("failed"), "did not fail: %s" % json.dumps(result)[:600]
    message = _message(result)
    needles = [n.format(**matrix["urls"]) for n in EXPECTED[case]]
    missing = [n for n in needles if n not in message]
    assert not missing, "message lacks %s: %s" % (missing, message[:600])


@pytest.mark.parametrize("case", sorted(GAPS))
def test_known_gap(matrix, case, request):
    needles, reason = GAPS[case]
    request.applymarker(pytest.mark.xfail(strict=True, reason=reason))
    result = matrix["cases"][case]
    assert result.get("failed"), "did not fail: %s" % json.dumps(result)[:600]
    message = _message(result)
    missing = [n for n in needles if n not in message]
    assert not missing, "message lacks %s: %s" % (missing, message[:600])


@pytest.fixture
def inventory_setup(emulators, tmp_path):
    emu = emulators()
    servers = Servers()
    yield emu, _urls(servers)
    servers.close()


@pytest.mark.parametrize("case", sorted(INVENTORY_CASES))
def test_bad_inventory_source(inventory_setup, tmp_path, case):
    emu, urls = inventory_setup
    extra, needles = INVENTORY_CASES[case]
    source = tmp_path / ("%s.rio_devices.yml" % case)
    source.write_text("plugin: rapyuta.rio.rio_devices\n" + extra.format(**urls))
    emu.reset_counters()
    env = ansible_env(emu, extra={"ANSIBLE_INVENTORY_UNPARSED_FAILED": "true",
                                  "ANSIBLE_INVENTORY_ANY_UNPARSED_IS_FAILED": "true"})
    outcome = run([os.path.join(VENV_BIN, "ansible-inventory"), "-i", str(source), "--list"], env, timeout=120)
    assert outcome.returncode != 0, outcome.describe()
    missing = [n.format(**urls) for n in needles if n.format(**urls) not in outcome.output]
    assert not missing, "message lacks %s:\n%s" % (missing, outcome.output[-2000:])
    assert writes_of(emu.stats()) == 0
