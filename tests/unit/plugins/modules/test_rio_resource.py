# Copyright: (c) 2026, rapyuta.rio contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""rio_resource and rio_resource_info end to end through main(), against a local HTTP server."""

import json

import pytest

from http_server import Reply

from ansible_collections.rapyuta.rio.plugins.modules import rio_resource, rio_resource_info

TOKEN = "unit-test-token"
DISK = {"apiVersion": "api.rapyuta.io/v2", "kind": "Disk", "metadata": {"name": "logs"},
        "spec": {"runtime": "cloud", "capacity": 4}}
STORED_DISK = {"apiVersion": "api.rapyuta.io/v2", "kind": "Disk",
               "metadata": {"name": "logs", "guid": "disk-abcdefghijklmnopqrstuvwx", "createdAt": "2026-01-01T00:00:00Z"},
               "spec": {"runtime": "cloud", "capacity": 4}, "status": {"status": "Available"}}
SECRET_TEXT = """
apiVersion: api.rapyuta.io/v2
kind: Secret
metadata: {name: regcred}
spec:
  type: Docker
  docker: {username: bot, email: bot@example.com, password: never-shown-password}
"""


def run_main(module, patch_module_args, capsys, args, host="http://127.0.0.1:9"):
    base = {"auth_token": TOKEN, "project": "project-p", "organization": "org-o", "v2_api_host": host,
            "core_api_host": host, "retries": 0}
    base.update(args)
    with patch_module_args(base), pytest.raises(SystemExit):
        module.main()
    out = capsys.readouterr().out
    assert TOKEN not in out
    return json.loads(out)


@pytest.mark.parametrize("args, expected", [
    ({}, "one of the following is required: definition, src"),
    ({"definition": DISK, "src": "x.yaml"}, "parameters are mutually exclusive: definition|src"),
    ({"definition": DISK, "on_change": "update"}, "on_change must be one of: fail, recreate"),
    ({"definition": DISK, "on_dependents": "ignore"}, "on_dependents must be one of: fail, break"),
])
def test_argument_spec_refuses(patch_module_args, capsys, args, expected):
    result = run_main(rio_resource, patch_module_args, capsys, args)
    assert result["failed"] is True and expected in result["msg"], result["msg"]


def test_v1_is_refused_naming_the_option(rio_server, patch_module_args, capsys):
    result = run_main(rio_resource, patch_module_args, capsys, {"definition": DISK, "api_version": "v1"}, rio_server.url)
    assert result["failed"] is True and result["msg"].startswith("api_version=v1: rapyuta.rio.rio_resource")
    assert rio_server.requests == []


def test_a_bad_document_is_refused_before_any_request(rio_server, patch_module_args, capsys):
    bad = dict(DISK, spec={"runtime": "cloud", "capacity": 5})
    result = run_main(rio_resource, patch_module_args, capsys, {"definition": [DISK, bad]}, rio_server.url)
    assert result["failed"] is True and result["changed"] is False
    assert result["msg"].startswith("Failed to apply the documents: document 2 (Disk logs): spec.capacity: ")
    assert "5" in result["msg"] and len(result["problems"]) >= 1
    assert rio_server.requests == []


def test_an_empty_definition_is_refused(rio_server, patch_module_args, capsys):
    result = run_main(rio_resource, patch_module_args, capsys, {"definition": []}, rio_server.url)
    assert result["failed"] is True and result["msg"] == "Failed to apply the documents: no document given"


def test_create_with_diff_then_converged(rio_server, patch_module_args, capsys):
    rio_server.script("GET", "/v2/disks/logs/", Reply(404, {"error": "disk logs not found"}), Reply(200, STORED_DISK))
    rio_server.script("POST", "/v2/disks/", Reply(201, dict(STORED_DISK, status={"status": "Pending"})))
    result = run_main(rio_resource, patch_module_args, capsys, {"definition": DISK, "_ansible_diff": True},
                      rio_server.url)
    assert result["changed"] is True, result
    assert result["resources"] == [{"kind": "Disk", "name": "logs", "action": "created", "differences": [],
                                    "object": STORED_DISK}]
    assert result["diff"] == {"before": {}, "after": {"Disk/logs": {"spec": {"runtime": "cloud", "capacity": 4}}}}
    assert rio_server.calls("POST")[0].json["spec"] == {"runtime": "cloud", "capacity": 4}
    assert rio_server.calls("POST")[0].headers.get("organizationguid") == "org-o"

    rio_server.requests.clear()
    again = run_main(rio_resource, patch_module_args, capsys, {"definition": DISK}, rio_server.url)
    assert again["changed"] is False and again["resources"][0]["action"] == "unchanged"
    assert [request.method for request in rio_server.requests] == ["GET"]


def test_check_mode_makes_no_write_and_hides_secret_values(rio_server, patch_module_args, capsys):
    rio_server.script("GET", "/v2/secrets/regcred/", Reply(404, {"error": "secret regcred not found"}))
    result = run_main(rio_resource, patch_module_args, capsys,
                      {"definition": SECRET_TEXT, "_ansible_check_mode": True, "_ansible_diff": True}, rio_server.url)
    assert result["changed"] is True and result["resources"][0]["action"] == "would_create"
    assert [request.method for request in rio_server.requests] == ["GET"]
    assert "never-shown-password" not in json.dumps(result)


def test_src_file_and_absent(rio_server, patch_module_args, capsys, tmp_path):
    path = tmp_path / "stack.yaml"
    path.write_text("---\n" + json.dumps(DISK) + "\n---\n" + json.dumps(dict(DISK, metadata={
        "name": "kept", "labels": {"rapyuta.io/deletionPolicy": "retain"}})) + "\n")
    rio_server.script("GET", "/v2/disks/logs/", Reply(200, STORED_DISK), Reply(404, {"error": "disk logs not found"}))
    rio_server.script("GET", "/v2/deployments/", Reply(200, {"items": [], "metadata": {"continue": 0}}))
    rio_server.script("DELETE", "/v2/disks/logs/", Reply(200, {"success": True}))
    result = run_main(rio_resource, patch_module_args, capsys, {"src": str(path), "state": "absent"}, rio_server.url)
    assert result["changed"] is True, result
    assert [(entry["name"], entry["action"]) for entry in result["resources"]] == [("kept", "retained"), ("logs", "deleted")]
    assert [request.method for request in rio_server.calls("DELETE")] == ["DELETE"]


def test_a_difference_fails_naming_the_field(rio_server, patch_module_args, capsys):
    rio_server.script("GET", "/v2/disks/logs/", Reply(200, dict(STORED_DISK, spec={"runtime": "cloud", "capacity": 8})))
    result = run_main(rio_resource, patch_module_args, capsys, {"definition": DISK}, rio_server.url)
    assert result["failed"] is True and result["changed"] is False
    assert "Disk 'logs' exists with different settings that cannot be updated: spec.capacity (live 8, declared 4)" in result["msg"]
    assert result["resources"][0]["action"] == "refused"
    assert [request.method for request in rio_server.requests] == ["GET"]


def test_an_api_error_while_writing_is_reported_with_its_request(rio_server, patch_module_args, capsys):
    rio_server.script("GET", "/v2/disks/logs/", Reply(404, {"error": "disk logs not found"}))
    rio_server.script("POST", "/v2/disks/", Reply(400, {"error": "spec.capacity: too large for the project"}))
    result = run_main(rio_resource, patch_module_args, capsys, {"definition": DISK}, rio_server.url)
    assert result["failed"] is True and result["changed"] is False
    assert result["status"] == 400 and result["method"] == "POST" and result["path"] == "/v2/disks/"
    assert "spec.capacity: too large for the project" in result["msg"]


# -- rio_resource_info -----------------------------------------------------------------------------

def test_info_lists_with_filters(rio_server, patch_module_args, capsys):
    dep = {"kind": "Deployment",
           "metadata": {"name": "a", "labels": {"team": "nav"},
                        "depends": {"kind": "package", "nameOrGUID": "talker", "version": "v1"}},
           "spec": {"runtime": "device", "device": {"depends": {"kind": "device", "nameOrGUID": "robot-1"}}},
           "status": {"phase": "Succeeded", "status": "Running"}}
    other = dict(dep, metadata=dict(dep["metadata"], name="b", labels={"team": "ops"}))
    rio_server.script("GET", "/v2/deployments/", Reply(200, {"items": [dep, other], "metadata": {"continue": 2}}))
    result = run_main(rio_resource_info, patch_module_args, capsys,
                      {"kind": "Deployment", "labels": {"team": "nav"}, "device_name": "robot-1"}, rio_server.url)
    assert result["changed"] is False and [obj["metadata"]["name"] for obj in result["resources"]] == ["a"]
    query = rio_server.calls("GET")[0].query
    assert query["labelSelector"] == ["team=nav"] and query["deviceName"] == ["robot-1"]
    assert "Stopped" not in query["phases"]


def test_info_reads_one_by_name(rio_server, patch_module_args, capsys):
    rio_server.script("GET", "/v2/disks/logs/", Reply(200, STORED_DISK))
    rio_server.script("GET", "/v2/disks/gone/", Reply(404, {"error": "disk gone not found"}))
    found = run_main(rio_resource_info, patch_module_args, capsys, {"kind": "Disk", "name": "logs"}, rio_server.url)
    missing = run_main(rio_resource_info, patch_module_args, capsys, {"kind": "Disk", "name": "gone"}, rio_server.url)
    assert found["resources"] == [STORED_DISK] and missing["resources"] == []


def test_info_refuses_a_filter_of_another_kind(rio_server, patch_module_args, capsys):
    result = run_main(rio_resource_info, patch_module_args, capsys, {"kind": "Disk", "phases": ["Succeeded"]},
                      rio_server.url)
    assert result["failed"] is True
    assert result["msg"] == "Failed to list Disk objects: phases: not a filter of kind Disk; it applies to phases (Deployment, Network)"
    assert rio_server.requests == []
