# Copyright: (c) 2026, rapyuta.rio contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""v2 documents load from a mapping, a list, or JSON/YAML text with several documents, and are named
in messages by number, kind and name."""

import json

import pytest

from v2_manifest_samples import DEVICE_PACKAGE, USER_SET

from ansible_collections.rapyuta.rio.plugins.module_utils.v2 import documents as _documents
from ansible_collections.rapyuta.rio.plugins.module_utils.v2.documents import (
    Document,
    ManifestError,
    Problem,
    key_text,
    load_documents,
    load_sources,
    object_key,
    parse_documents,
    read_documents_file,
    shown,
)


def test_a_yaml_stream_gives_one_document_per_part_numbered_from_one():
    documents = load_documents(USER_SET)
    assert [document.index for document in documents] == list(range(1, 11))
    assert documents[0].label == "document 1 (Deployment talker-robot-1)"
    assert documents[2].label == "document 3 (Package talker)"
    assert [document.kind for document in documents][-1] == "ConfigTree"


def test_a_mapping_and_a_list_load_as_copies():
    [single] = load_documents(DEVICE_PACKAGE)
    single.body["metadata"]["name"] = "changed"
    assert DEVICE_PACKAGE["metadata"]["name"] == "talker"
    several = load_documents([DEVICE_PACKAGE, None, [DEVICE_PACKAGE]], first_index=4)
    assert [document.index for document in several] == [4, 5]


def test_json_text_and_a_json_list_load():
    assert len(load_documents(json.dumps(DEVICE_PACKAGE))) == 1
    assert len(load_documents(json.dumps([DEVICE_PACKAGE, DEVICE_PACKAGE]))) == 2


def test_empty_yaml_documents_are_skipped():
    assert parse_documents("---\n---\nkind: Disk\n---\n") == [{"kind": "Disk"}]


def test_broken_yaml_is_one_problem_naming_the_source():
    with pytest.raises(ManifestError) as caught:
        parse_documents("kind: [unclosed", source="manifest file x.yml")
    assert "manifest file x.yml is neither JSON nor YAML" in str(caught.value)


def test_without_pyyaml_only_json_reads(monkeypatch):
    monkeypatch.setattr(_documents, "HAS_YAML", False)
    assert parse_documents('{"kind": "Disk"}') == [{"kind": "Disk"}]
    with pytest.raises(ManifestError, match="PyYAML is not installed"):
        parse_documents("kind: Disk")


def test_a_source_of_another_type_is_refused():
    with pytest.raises(ManifestError, match="got int"):
        load_documents(42)


def test_files_and_a_definition_number_in_one_run(tmp_path):
    first = tmp_path / "a.yml"
    first.write_text(USER_SET)
    second = tmp_path / "b.json"
    second.write_text(json.dumps([DEVICE_PACKAGE]))
    documents = load_sources(definition=DEVICE_PACKAGE, paths=[str(first), str(second)])
    assert [document.index for document in documents] == list(range(1, 13))
    assert documents[11].label == "document 12 (Package talker)"


def test_unreadable_files_are_named(tmp_path):
    with pytest.raises(ManifestError, match=r"cannot read manifest file .*missing\.yml"):
        read_documents_file(str(tmp_path / "missing.yml"))
    with pytest.raises(ManifestError, match=r"cannot read manifest file relative-missing\.yml \("):
        read_documents_file("relative-missing.yml")
    binary = tmp_path / "binary.yml"
    binary.write_bytes(b"\xff\xfe\x00")
    with pytest.raises(ManifestError, match="not UTF-8"):
        read_documents_file(str(binary))


def test_labels_without_kind_or_name():
    assert Document(2, {"kind": "Disk", "metadata": {}}).label == "document 2 (Disk)"
    assert Document(3, ["not", "a", "mapping"]).label == "document 3"
    assert Document(4, {"kind": 7, "metadata": {"name": 5}}).label == "document 4"


def test_identity_keys_a_package_by_name_and_version():
    package = Document(1, DEVICE_PACKAGE)
    assert package.key == ("package", "talker", "v1.0.0")
    assert Document(2, {"kind": "StaticRoute", "metadata": {"name": "r"}}).key == ("staticroute", "r")
    assert object_key("Deployment", "web", "ignored") == ("deployment", "web")
    assert key_text(("package", "talker", "v1.0.0")) == "Package talker v1.0.0"
    assert key_text(("device", "robot-1")) == "Device robot-1"


def test_the_retain_label_marks_a_document():
    kept = Document(1, {"kind": "Disk", "metadata": {"name": "d", "labels": {"rapyuta.io/deletionPolicy": "retain"}}})
    assert kept.retained
    assert not Document(1, {"kind": "Disk", "metadata": {"name": "d", "labels": {"rapyuta.io/deletionPolicy": "delete"}}}).retained
    assert not Document(1, {"kind": "Disk", "metadata": {"name": "d", "labels": "not-a-map"}}).retained


def test_problems_read_as_document_path_message():
    document = Document(2, DEVICE_PACKAGE)
    assert str(Problem(document, "spec.device.arch", "bad")) == "document 2 (Package talker): spec.device.arch: bad"
    assert str(Problem(document, None, "bad")) == "document 2 (Package talker): bad"
    assert str(Problem(None, None, "bad")) == "manifest: bad"
    assert "spec.x" in repr(Problem(document, "spec.x", "bad"))
    error = ManifestError([Problem(document, "a", "one"), Problem(document, "b", "two")])
    assert str(error) == "document 2 (Package talker): a: one; document 2 (Package talker): b: two"
    assert repr(document) == "<document 2 (Package talker)>"


def test_long_values_are_cut_in_messages():
    assert shown("x") == "'x'"
    assert len(shown("y" * 500)) == 80
