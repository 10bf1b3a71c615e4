# Copyright: (c) 2026, rapyuta.rio contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""rio_package and rio_package_info main(): argument spec, and failures before or without an API."""

import json
import os

import pytest

from ansible_collections.rapyuta.rio.plugins.modules import rio_package, rio_package_info

from package_fakes import MANIFESTS
UNREACHABLE = "http://127.0.0.1:9"


def run_main(module, patch_module_args, capsys, args, token="unit-test-token"):
    base = {"project": "p", "catalog_host": UNREACHABLE, "core_api_host": UNREACHABLE, "retries": 0, "timeout": 2}
    if token:
        base["auth_token"] = token
    base.update(args)
    with patch_module_args(base), pytest.raises(SystemExit):
        module.main()
    return json.loads(capsys.readouterr().out)


def talker():
    with open(os.path.join(MANIFESTS, "talker.json")) as handle:
        return json.load(handle)


@pytest.mark.parametrize("args, expected", [
    ({}, "state is present but any of the following are missing: manifest, manifest_file"),
    ({"state": "absent"}, "state is absent but any of the following are missing: package_id, name"),
    ({"state": "absent", "name": "talker"}, "parameters are required together: name, version"),
    ({"manifest": {"name": "a"}, "manifest_file": "/tmp/x.json"}, "mutually exclusive: manifest|manifest_file"),
    ({"state": "absent", "package_id": "pkg-a", "name": "a", "version": "v1"}, "mutually exclusive: package_id|name"),
    ({"state": "gone", "package_id": "pkg-a"}, "value of state must be one of: present, absent"),
])
def test_argument_spec_refuses(patch_module_args, capsys, args, expected):
    result = run_main(rio_package, patch_module_args, capsys, args)
    assert result["failed"] is True
    assert expected in result["msg"], result["msg"]


def test_bad_manifest_fails_before_any_request(patch_module_args, capsys):
    manifest = talker()
    manifest["plans"][0]["components"][0]["architecture"] = "amd46"
    # No token and an unreachable host: the manifest error must come first, so no request was tried.
    result = run_main(rio_package, patch_module_args, capsys, {"manifest": manifest}, token=None)
    assert result["failed"] is True
    assert result["msg"].startswith("Invalid package manifest: plans[0].components[0].architecture: 'amd46'")
    assert result["errors"] == [{"path": "plans[0].components[0].architecture",
                                 "message": "'amd46' is not one of ['amd64', 'arm32v7', 'arm64v8']"}]


def test_unreadable_manifest_file(patch_module_args, capsys, tmp_path):
    result = run_main(rio_package, patch_module_args, capsys, {"manifest_file": str(tmp_path / "nope.yml")})
    assert result["failed"] is True
    assert "cannot read manifest file" in result["msg"]


def test_yaml_manifest_file_then_unreachable_host(patch_module_args, capsys, tmp_path):
    yaml = pytest.importorskip("yaml")
    path = tmp_path / "talker.yml"
    path.write_text(yaml.safe_dump(talker()))
    result = run_main(rio_package, patch_module_args, capsys, {"manifest_file": str(path)})
    assert result["failed"] is True
    assert result["msg"].startswith("Failed to find package talker v1.0.0: cannot reach the API"), result["msg"]


def test_missing_token(patch_module_args, capsys, monkeypatch):
    monkeypatch.delenv("RIO_AUTH_TOKEN", raising=False)
    result = run_main(rio_package, patch_module_args, capsys, {"manifest": talker()}, token=None)
    assert result["failed"] is True
    assert "auth_token is required" in result["msg"]


def test_info_phases_need_deployments(patch_module_args, capsys):
    result = run_main(rio_package_info, patch_module_args, capsys, {"phases": ["Succeeded"]})
    assert result["failed"] is True
    assert "set deployments=true" in result["msg"]


def test_info_unreachable_host(patch_module_args, capsys):
    result = run_main(rio_package_info, patch_module_args, capsys, {"name": "talker"})
    assert result["failed"] is True
    assert result["msg"].startswith("Failed to list packages: cannot reach the API")
    assert "unit-test-token" not in json.dumps(result)


def test_without_jsonschema(patch_module_args, capsys, monkeypatch):
    monkeypatch.setattr(rio_package, "HAS_JSONSCHEMA", False)
    result = run_main(rio_package, patch_module_args, capsys, {"manifest": talker()})
    assert result["failed"] is True
    assert "Failed to import the required Python library (jsonschema)" in result["msg"]
