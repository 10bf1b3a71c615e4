# Copyright: (c) 2026, rapyuta.rio contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""DocumentModel: the document model on plain dicts, as an applier uses it."""

import copy

import pytest

from v2_manifest_samples import DEVICE_PACKAGE, USER_SET

from ansible_collections.rapyuta.rio.plugins.module_utils.v2.documents import ManifestError
from ansible_collections.rapyuta.rio.plugins.module_utils.v2.model import DocumentModel


def test_load_gives_wire_bodies_and_warning_lines(tmp_path):
    path = tmp_path / "set.yml"
    path.write_text(USER_SET)
    body = copy.deepcopy(DEVICE_PACKAGE)
    body["metadata"]["version"] = "v9"
    body["spec"]["typo"] = 1
    bodies, warnings = DocumentModel().load(definition=body, paths=[str(path)])
    assert len(bodies) == 11
    assert bodies[0]["spec"]["executables"][0]["command"] == ["/bin/bash", "-c", "roslaunch talker talker.launch"]
    assert warnings == ["document 1 (Package talker): spec.typo: unknown field, left out (rio apply drops it too)"]


def test_load_refuses_with_every_problem():
    body = copy.deepcopy(DEVICE_PACKAGE)
    body["spec"]["device"]["arch"] = "x86"
    with pytest.raises(ManifestError, match=r"document 1 \(Package talker\): spec.device.arch: must be one of"):
        DocumentModel().load(definition=body)


def test_compare_and_order_on_dicts():
    model = DocumentModel()
    bodies, _warnings = model.load(definition=USER_SET)
    ordered = model.order(bodies)
    assert [(body["kind"], body["metadata"]["name"]) for body in ordered][-3:] == [
        ("Deployment", "web"), ("Package", "talker"), ("Deployment", "talker-robot-1")]
    package = next(body for body in bodies if body["metadata"]["name"] == "talker")
    live = copy.deepcopy(package)
    live["metadata"]["guid"] = "pkg-abcdefghijabcdefghij"
    assert model.differences(model.comparable(package), model.comparable(live)) == []
    live["spec"]["device"]["arch"] = "amd64"
    assert model.differences(model.comparable(package), model.comparable(live)) == [
        {"path": "spec.device.arch", "before": "amd64", "after": "arm64v8"}]
    assert model.diff_pair(model.comparable(package), None)["before"] == {}
    to_delete, retained = model.delete_order(bodies)
    assert [body["metadata"]["name"] for body in retained] == ["web-disk"]
    assert to_delete[0]["metadata"]["name"] == "talker-robot-1"
    assert model.external_references(bodies) == [
        {"document": "document 1 (Deployment talker-robot-1)", "path": "spec.device.depends", "kind": "device",
         "name": "robot-1", "version": None},
        {"document": "document 5 (Network robot-net)", "path": "spec.depends", "kind": "device", "name": "robot-1",
         "version": None}]
    lone = [body for body in bodies if body["kind"] == "Deployment" and body["metadata"]["name"] == "web"]
    assert {"document": "document 1 (Deployment web)", "path": "metadata.depends", "kind": "package", "name": "web",
            "version": "v2"} in model.external_references(lone)
