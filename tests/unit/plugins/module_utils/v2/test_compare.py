# Copyright: (c) 2026, rapyuta.rio contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""Differences between a document and a live object: only declared fields, named lists by name, a
converged object none at all, and a before/after pair for --diff."""

import copy

from v2_manifest_samples import CLOUD_PACKAGE, DEVICE_DEPLOYMENT, DEVICE_PACKAGE

from ansible_collections.rapyuta.rio.plugins.module_utils.v2.compare import describe, diff, diff_pair
from ansible_collections.rapyuta.rio.plugins.module_utils.v2.documents import load_documents
from ansible_collections.rapyuta.rio.plugins.module_utils.v2.normalize import comparable, desired_form, wire_body
from ansible_collections.rapyuta.rio.plugins.module_utils.v2.validation import validate_documents


def one(body):
    [document] = load_documents(body)
    validate_documents([document])
    return document


def live_of(body, change=None):
    """The comparable form of the object the body creates, as the server returns it, after ``change``."""
    document = one(body)
    live = wire_body(document)
    live["metadata"]["guid"] = "x-abcdefghijabcdefghij"
    live["status"] = {"phase": "Succeeded"}
    if change:
        change(live)
    return desired_form(document), comparable(document.kind, live)


def test_a_converged_object_has_no_difference():
    desired, live = live_of(DEVICE_PACKAGE)
    assert diff(desired, live) == []
    assert diff_pair(desired, live) == {"before": desired, "after": desired}


def test_fields_the_server_adds_are_not_drift():
    def add(live):
        live["metadata"]["labels"]["added-by-server"] = "yes"
        live["metadata"]["region"] = "jp"
        live["spec"]["executables"][0]["limits"]["extra"] = 1

    desired, live = live_of(DEVICE_PACKAGE, add)
    assert diff(desired, live) == []
    assert diff_pair(desired, live)["before"] == desired


def test_a_changed_field_is_named_with_before_and_after():
    def edit(live):
        live["spec"]["executables"][0]["docker"]["image"] = "ros:melodic"
        live["spec"]["device"]["arch"] = "amd64"

    desired, live = live_of(DEVICE_PACKAGE, edit)
    assert diff(desired, live) == [("spec.device.arch", "amd64", "arm64v8"),
                                   ("spec.executables[talker].docker.image", "ros:melodic", "ros:noetic")]
    assert describe(diff(desired, live)) == ["spec.device.arch: 'amd64' -> 'arm64v8'",
                                             "spec.executables[talker].docker.image: 'ros:melodic' -> 'ros:noetic'"]
    pair = diff_pair(desired, live)
    assert pair["before"]["spec"]["device"]["arch"] == "amd64" and pair["after"]["spec"]["device"]["arch"] == "arm64v8"


def test_a_server_default_differing_from_the_document_is_drift():
    # The document leaves imagePullPolicy out, which means IfNotPresent; a live Always differs.
    def edit(live):
        live["spec"]["executables"][0]["docker"]["imagePullPolicy"] = "Always"

    desired, live = live_of(CLOUD_PACKAGE, edit)
    assert diff(desired, live) == [("spec.executables[web].docker.imagePullPolicy", "Always", "IfNotPresent")]


def test_named_items_added_or_removed_on_either_side():
    def edit(live):
        live["spec"]["environmentVars"].pop(0)
        live["spec"]["environmentVars"].append({"name": "EXTRA", "default": "1"})

    desired, live = live_of(DEVICE_PACKAGE, edit)
    assert diff(desired, live) == [("spec.environmentVars[RATE]", None, {"name": "RATE", "default": "10", "description": "publish rate"}),
                                   ("spec.environmentVars[EXTRA]", {"name": "EXTRA", "default": "1"}, None)]
    before = diff_pair(desired, live)["before"]["spec"]["environmentVars"]
    assert [variable["name"] for variable in before] == ["PORT", "EXTRA"]


def test_a_field_missing_live_and_unnamed_lists_compare_whole():
    def edit(live):
        live["spec"]["volumes"][0]["mountPath"] = "/other"
        del live["spec"]["restart"]

    desired, live = live_of(DEVICE_DEPLOYMENT, edit)
    found = dict((path, (before, after)) for path, before, after in diff(desired, live))
    assert found["spec.restart"] == (None, "onfailure")
    assert found["spec.volumes"][0][0]["mountPath"] == "/other"
    assert describe([("spec.restart", None, "onfailure")]) == ["spec.restart: (absent) -> 'onfailure'"]


def test_an_absent_object():
    desired, _live = live_of(DEVICE_PACKAGE)
    assert diff_pair(desired, None) == {"before": {}, "after": desired}
    assert ("spec", None, desired["spec"]) in diff(desired, None)
    assert diff({"a": 1}, {"a": 2}) == [("a", 2, 1)]
    assert diff(1, 2) == [("$", 2, 1)]


def test_lists_without_names_or_with_repeated_names_compare_whole():
    desired = {"spec": {"items": [{"name": "a", "v": 1}, {"name": "a", "v": 2}]}}
    live = copy.deepcopy(desired)
    live["spec"]["items"][1]["v"] = 3
    assert diff(desired, live) == [("spec.items", live["spec"]["items"], desired["spec"]["items"])]
    assert diff({"l": [{"name": "a"}]}, {"l": []}) == [("l[a]", None, {"name": "a"})]
