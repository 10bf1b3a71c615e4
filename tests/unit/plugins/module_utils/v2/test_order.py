# Copyright: (c) 2026, rapyuta.rio contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""Dependency order: each document after what it refers to, deletion backwards without the retained
ones, references outside the set listed, cycles refused naming their documents."""

import pytest

from v2_manifest_samples import USER_SET

from ansible_collections.rapyuta.rio.plugins.module_utils.v2.documents import Document, ManifestError, load_documents
from ansible_collections.rapyuta.rio.plugins.module_utils.v2.order import (
    apply_levels,
    apply_order,
    delete_levels,
    delete_order,
    dependents,
    external_references,
    references,
)
from ansible_collections.rapyuta.rio.plugins.module_utils.v2.validation import validate_documents


def user_set():
    documents = load_documents(USER_SET)
    validate_documents(documents)
    return documents


def names(documents):
    return ["%s %s" % (document.kind, document.name) for document in documents]


def test_the_user_set_applies_in_levels():
    levels = [names(level) for level in apply_levels(user_set())]
    assert levels == [
        ["Package web", "Network robot-net", "Disk web-disk", "StaticRoute web-route", "Secret regcred", "Secret api-keys",
         "ConfigTree robot-config"],
        ["Deployment web", "Package talker"],
        ["Deployment talker-robot-1"],
    ]


def test_every_document_comes_after_what_it_refers_to():
    documents = user_set()
    ordered = apply_order(documents)
    position = dict((document.key, index) for index, document in enumerate(ordered))
    for document in documents:
        for _path, key in references(document):
            if key in position:
                assert position[key] < position[document.key], (document.label, key)


def test_references_of_each_kind():
    documents = dict((document.name, document) for document in user_set() if document.kind != "Package")
    packages = dict((document.name, document) for document in user_set() if document.kind == "Package")
    assert references(documents["talker-robot-1"]) == [
        ("metadata.depends", ("package", "talker", "v1.0.0")),
        ("spec.depends[0]", ("deployment", "web")),
        ("spec.device.depends", ("device", "robot-1")),
        ("spec.rosNetworks[0].depends", ("network", "robot-net")),
        ("spec.envArgs[1].valueFrom.secretKeyRef", ("secret", "api-keys")),
        ("spec.features.params.trees[0]", ("configtree", "robot-config")),
    ]
    assert references(documents["web"]) == [
        ("metadata.depends", ("package", "web", "v2")),
        ("spec.volumes[0].depends", ("disk", "web-disk")),
        ("spec.staticRoutes[0].depends", ("staticroute", "web-route")),
    ]
    assert references(packages["web"]) == []
    assert references(packages["talker"]) == [("spec.executables[0].docker.pullSecret.depends", ("secret", "regcred"))]
    assert references(documents["robot-net"]) == [("spec.depends", ("device", "robot-1"))]
    device_secret = Document(1, {"kind": "Secret", "metadata": {"name": "s"},
                                 "spec": {"type": "Opaque", "runtime": "device", "depends": {"nameOrGuid": "robot-2"}}})
    assert references(device_secret) == [("spec.depends", ("device", "robot-2"))]
    package = Document(2, {"kind": "Package", "metadata": {"name": "p", "version": "1"},
                           "spec": {"environmentVars": [{"name": "K", "valueFrom": {"secretKeyRef": {"name": "keys", "key": "K"}}}]}})
    assert references(package) == [("spec.environmentVars[0].valueFrom.secretKeyRef", ("secret", "keys"))]


def test_references_outside_the_set_are_listed_not_refused():
    documents = user_set()
    outside = [(document.label, path, key) for document, path, key in external_references(documents)]
    assert outside == [
        ("document 1 (Deployment talker-robot-1)", "spec.device.depends", ("device", "robot-1")),
        ("document 5 (Network robot-net)", "spec.depends", ("device", "robot-1")),
    ]
    alone = [document for document in documents if document.name == "talker-robot-1"]
    assert [key for _document, _path, key in external_references(alone)][:2] == [("package", "talker", "v1.0.0"), ("deployment", "web")]
    assert apply_order(alone) == alone


def test_deletion_runs_backwards_and_keeps_the_retained():
    documents = user_set()
    assert names(delete_levels(documents)[0]) == ["Deployment talker-robot-1"]
    to_delete, retained = delete_order(documents)
    assert names(retained) == ["Disk web-disk"]
    assert names(to_delete)[:3] == ["Deployment talker-robot-1", "Deployment web", "Package talker"]
    assert "Disk web-disk" not in names(to_delete)


def test_dependents_in_the_set():
    documents = user_set()
    by_label = dict(("%s %s" % (document.kind, document.name), document) for document in documents)
    assert names(dependents(documents, by_label["Deployment web"])) == ["Deployment talker-robot-1"]
    assert names(dependents(documents, by_label["Secret regcred"])) == ["Package talker"]
    assert names(dependents(documents, by_label["Package web"])) == ["Deployment web"]
    assert dependents(documents, by_label["Deployment talker-robot-1"]) == []


def test_a_cycle_is_refused_naming_its_documents():
    def deployment(name, *needs):
        return {"kind": "Deployment", "metadata": {"name": name, "depends": {"nameOrGUID": "p", "version": "1"}},
                "spec": {"runtime": "cloud", "depends": [{"nameOrGUID": need} for need in needs]}}

    documents = load_documents([deployment("free"), deployment("a", "b"), deployment("b", "c"), deployment("c", "a", "free")])
    validate_documents(documents)
    with pytest.raises(ManifestError) as caught:
        apply_levels(documents)
    assert str(caught.value) == ("document 2 (Deployment a): is part of a dependency cycle: document 2 (Deployment a) -> "
                                 "document 3 (Deployment b) -> document 4 (Deployment c) -> document 2 (Deployment a)")
    selfish = load_documents([deployment("me", "me")])
    with pytest.raises(ManifestError, match=r"cycle: document 1 \(Deployment me\) -> document 1 \(Deployment me\)"):
        apply_order(selfish)
