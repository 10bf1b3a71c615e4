# Copyright: (c) 2026, rapyuta.rio contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""rio_package and rio_package_info on v2 against an in-memory v2 platform: refusals before any
request, create, verify, drift and force, in-use refusals, absent, check and diff, the info filters."""

import copy
import json

import pytest

from http_server import Reply
from package_fakes import load_fixture
from v2_fakes import FakeV2Api, deployment, package

from ansible_collections.rapyuta.rio.plugins.module_utils.transport.client import RioClient
from ansible_collections.rapyuta.rio.plugins.module_utils.v2 import api as v2api
from ansible_collections.rapyuta.rio.plugins.module_utils.v2.api import RioV2Api

from ansible_collections.rapyuta.rio.plugins.module_utils.packages.v2 import (
    PACKAGE_INFO_V1_ONLY,
    PACKAGE_INFO_V2_ONLY,
    PackageInputError,
    package_v2_infos,
    read_package_document,
    refused_options,
    run_package_info_v2,
    run_package_v2,
    shape_package_v2,
    v1_manifest_problems,
)
from ansible_collections.rapyuta.rio.plugins.module_utils.v2.documents import ManifestError


def params(**kwargs):
    base = dict(name=None, version=None, state="present", manifest=None, manifest_file=None,
                package_id=None, force=False)
    base.update(kwargs)
    return base


class FakeRio:
    """The RioModule methods the v2 flow uses; ``v2_api`` is recorded when touched."""

    def __init__(self, params_, api=None, check_mode=False, diff_mode=False):
        self.params = params_
        self._api = api
        self.check_mode = check_mode
        self.diff_mode = diff_mode
        self.api_used = False
        self.failed = None
        self.exited = None
        self.warnings = []

    @property
    def v2_api(self):
        self.api_used = True
        return self._api

    def warn(self, msg):
        self.warnings.append(msg)

    def fail(self, msg, **extra):
        self.failed = dict(msg=msg, **extra)

    def run(self, action, work, *args, **kwargs):
        return work(*args, **kwargs)

    def fail_from_error(self, exc, action, **extra):
        self.failed = dict(msg="%s: %s" % (action, exc), **extra)

    def exit(self, changed, before=None, after=None, **result):
        self.exited = dict(changed=changed, before=before, after=after, **result)


def run(api, check_mode=False, **kwargs):
    rio = FakeRio(params(**kwargs), api=api, check_mode=check_mode)
    run_package_v2(rio)
    return rio


def live_deployment_of(pkg):
    return deployment(name="talker-1", package_name=pkg["metadata"]["name"], version=pkg["metadata"]["version"])


# -- refusals before any request -----------------------------------------------------------------
def test_package_id_is_refused_on_v2_naming_the_option():
    api = FakeV2Api()
    rio = run(api, state="absent", package_id="pkg-abcdefghijklmnopqrstuvwx")
    assert rio.api_used is False and api.calls == []
    assert rio.failed["msg"].startswith("Not available on the v2 API: package_id: ")
    assert "name and version" in rio.failed["msg"]


def test_a_v1_manifest_is_refused_naming_its_v1_fields():
    api = FakeV2Api()
    rio = run(api, manifest=load_fixture("talker.json"))
    assert rio.api_used is False
    assert "manifest.plans: v2 packages have no plans" in rio.failed["msg"]
    assert "manifest.packageVersion: the version is metadata.version" in rio.failed["msg"]
    assert "api_version: v1" in rio.failed["msg"]
    assert [error["path"] for error in rio.failed["errors"]] == ["manifest.plans", "manifest.packageVersion",
                                                                 "manifest"]


def test_a_v1_manifest_file_is_refused_naming_the_file_option(tmp_path):
    path = tmp_path / "talker.json"
    path.write_text(json.dumps(load_fixture("talker.json")))
    rio = run(FakeV2Api(), manifest_file=str(path))
    assert "manifest_file.plans: " in rio.failed["msg"] and rio.api_used is False


def test_v2_document_is_not_taken_for_a_v1_manifest():
    assert v1_manifest_problems(package()) == []


def test_another_kind_is_refused():
    doc = deployment()
    with pytest.raises(PackageInputError, match=r"manifest.kind: rio_package takes a Package document, got 'Deployment'"):
        read_package_document(params(manifest=doc))


def test_a_file_of_several_documents_is_refused(tmp_path):
    path = tmp_path / "set.json"
    path.write_text(json.dumps([package(), package(version="v2")]))
    with pytest.raises(PackageInputError, match="manifest_file: holds 2 documents; rio_package takes one"):
        read_package_document(params(manifest_file=str(path)))


def test_an_invalid_document_names_the_field_and_value():
    doc = package()
    doc["spec"]["runtime"] = "moon"
    api = FakeV2Api()
    rio = run(api, manifest=doc)
    assert rio.api_used is False
    assert "spec.runtime" in rio.failed["msg"] and "moon" in rio.failed["msg"]
    assert any(error["path"] == "spec.runtime" for error in rio.failed["errors"])


def test_name_or_version_contradicting_the_document_is_refused():
    with pytest.raises(PackageInputError, match=r"version: the manifest's metadata.version is 'v1.0.0' but the task's version is 'v2'"):
        read_package_document(params(manifest=package(), name="talker", version="v2"))


def test_read_document_is_the_wire_form_and_leaves_the_input_alone():
    doc = package()
    given = copy.deepcopy(doc)
    body, _warnings = read_package_document(params(manifest=doc, name="talker", version="v1.0.0"))
    assert body["kind"] == "Package" and body["metadata"]["version"] == "v1.0.0"
    assert doc == given


# -- present ---------------------------------------------------------------------------------------
def test_create_then_converged_with_no_write():
    api = FakeV2Api()
    made = run(api, manifest=package(labels={"app": "demo"}))
    assert made.failed is None
    assert made.exited["changed"] is True and made.exited["action"] == "created"
    assert made.exited["resource"]["metadata"]["guid"].startswith("package-")
    assert made.exited["package"]["package_id"] == made.exited["resource"]["metadata"]["guid"]
    assert (made.exited["package"]["name"], made.exited["package"]["version"]) == ("talker", "v1.0.0")
    assert made.exited["before"] == {} and made.exited["after"]["metadata"] == {"labels": {"app": "demo"}}
    assert [call[0] for call in api.writes()] == ["create"]

    api.calls[:] = []
    again = run(api, manifest=package(labels={"app": "demo"}))
    assert again.exited["changed"] is False and again.exited["action"] == "unchanged"
    assert api.writes() == [] and [call[0] for call in api.calls] == ["get"]
    assert again.exited["before"] == again.exited["after"]
    assert "differences" not in again.exited


def test_check_mode_create_writes_nothing_and_shows_the_document():
    api = FakeV2Api()
    rio = run(api, check_mode=True, manifest=package())
    assert rio.exited["changed"] is True and rio.exited["action"] == "would_create"
    assert rio.exited["resource"]["metadata"]["name"] == "talker"
    assert rio.exited["package"]["package_id"] is None
    assert api.writes() == []


def test_drift_fails_naming_the_fields_without_a_write():
    api = FakeV2Api()
    api.seed(package(image="ros:noetic"))
    rio = run(api, manifest=package(image="ros:humble"))
    assert rio.exited is None and api.writes() == []
    assert rio.failed["msg"].startswith("Failed to update package talker v1.0.0: it exists with different content")
    assert "spec.executables[main].docker.image: 'ros:humble' != 'ros:noetic'" in rio.failed["msg"]
    assert "force: true" in rio.failed["msg"]
    assert rio.failed["differences"] == [{"field": "spec.executables[main].docker.image",
                                          "desired": "ros:humble", "live": "ros:noetic"}]
    assert rio.failed["changed"] is False


def test_force_recreates_a_drifted_package():
    api = FakeV2Api()
    old = api.seed(package(image="ros:noetic"))
    rio = run(api, manifest=package(image="ros:humble"), force=True)
    assert rio.failed is None
    assert rio.exited["changed"] is True and rio.exited["action"] == "recreated"
    assert [call[0] for call in api.writes()] == ["delete", "create"]
    assert rio.exited["resource"]["metadata"]["guid"] != old["metadata"]["guid"]
    assert rio.exited["differences"][0]["field"] == "spec.executables[main].docker.image"
    assert rio.exited["before"]["spec"]["executables"][0]["docker"]["image"] == "ros:noetic"
    assert rio.exited["after"]["spec"]["executables"][0]["docker"]["image"] == "ros:humble"


def test_force_in_check_mode_previews_the_recreation_without_a_write():
    api = FakeV2Api()
    api.seed(package(image="ros:noetic"))
    rio = run(api, check_mode=True, manifest=package(image="ros:humble"), force=True)
    assert rio.exited["changed"] is True and rio.exited["action"] == "would_recreate"
    assert api.writes() == []


@pytest.mark.parametrize("check_mode", [False, True])
def test_force_is_refused_while_live_deployments_use_the_package(check_mode):
    api = FakeV2Api()
    pkg = api.seed(package(image="ros:noetic"))
    dep = api.seed(live_deployment_of(pkg))
    rio = run(api, check_mode=check_mode, manifest=package(image="ros:humble"), force=True)
    assert api.writes() == [] and rio.exited is None
    assert rio.failed["msg"] == ("Failed to replace package talker v1.0.0: live deployments use it: "
                                 "talker-1 (Succeeded); delete them first")
    assert rio.failed["deployments"] == [{"deployment_id": dep["metadata"]["guid"], "name": "talker-1",
                                          "phase": "Succeeded"}]
    assert rio.failed["differences"][0]["field"] == "spec.executables[main].docker.image"


def test_a_deployment_of_another_version_does_not_hold_the_package():
    api = FakeV2Api()
    api.seed(package(image="ros:noetic"))
    api.seed(deployment(name="other", version="v9"))
    rio = run(api, manifest=package(image="ros:humble"), force=True)
    assert rio.failed is None and rio.exited["action"] == "recreated"


# -- absent ----------------------------------------------------------------------------------------
def test_absent_deletes_then_is_a_no_op():
    api = FakeV2Api()
    api.seed(package())
    gone = run(api, state="absent", name="talker", version="v1.0.0")
    assert gone.exited["changed"] is True and gone.exited["action"] == "deleted"
    assert gone.exited["package"] == {} and gone.exited["resource"] == {}
    assert gone.exited["before"]["spec"]["runtime"] == "device" and gone.exited["after"] == {}
    assert api.writes() == [("delete", "Package", "talker", "v1.0.0")]

    again = run(api, state="absent", name="talker", version="v1.0.0")
    assert again.exited["changed"] is False and again.exited["action"] == "absent"
    assert len(api.writes()) == 1


def test_absent_in_check_mode_writes_nothing():
    api = FakeV2Api()
    api.seed(package())
    rio = run(api, check_mode=True, state="absent", name="talker", version="v1.0.0")
    assert rio.exited["changed"] is True and rio.exited["action"] == "would_delete"
    assert api.writes() == []


def test_absent_is_refused_while_live_deployments_use_the_package():
    api = FakeV2Api()
    pkg = api.seed(package())
    api.seed(live_deployment_of(pkg))
    rio = run(api, state="absent", name="talker", version="v1.0.0")
    assert api.writes() == []
    assert rio.failed["msg"].startswith("Failed to delete package talker v1.0.0: live deployments use it: talker-1")
    assert rio.failed["deployments"][0]["name"] == "talker-1"


def test_a_stopped_deployment_does_not_hold_the_package():
    api = FakeV2Api()
    pkg = api.seed(package())
    api.seed(live_deployment_of(pkg), phase=("Stopped", "Stopped"))
    rio = run(api, state="absent", name="talker", version="v1.0.0")
    assert rio.failed is None and rio.exited["action"] == "deleted"


# -- return shape ----------------------------------------------------------------------------------
def test_shape_keeps_the_v1_keys():
    obj = package(description="a talker")
    obj["metadata"]["guid"] = "pkg-x"
    assert shape_package_v2(obj) == {"package_id": "pkg-x", "name": "talker", "version": "v1.0.0",
                                     "description": "a talker", "status": None, "plans": []}
    assert shape_package_v2({}) == {}


# -- rio_package_info ------------------------------------------------------------------------------
def filled_api():
    api = FakeV2Api()
    api.seed(package(name="talker", version="v2.0.0", labels={"app": "demo"}))
    api.seed(package(name="talker", version="v1.0.0", labels={"app": "demo", "tier": "robot"}))
    api.seed(package(name="talker-extra", version="v1.0.0"))
    api.seed(package(name="web", version="v1.0.0", runtime="cloud", labels={"app": "web"}))
    return api


class FilteringApi(FakeV2Api):
    """A platform whose list filters like the API: name exact, labelSelector k=v all matching."""

    def list_objects(self, kind, cached=True, **filters):
        found = super().list_objects(kind, cached=cached)
        if filters.get("name"):
            found = [obj for obj in found if obj["metadata"]["name"] == filters["name"]]
        for selector in filters.get("labelSelector") or []:
            key, value = selector.split("=", 1)
            found = [obj for obj in found if (obj["metadata"].get("labels") or {}).get(key) == value]
        self.calls[-1] = ("list", kind, filters)
        return found


def info(api, **filters):
    packages, resources = package_v2_infos(api, filters)
    return [(item["name"], item["version"]) for item in packages], resources


def test_info_lists_everything_sorted_by_name_and_version():
    names, resources = info(filled_api())
    assert names == [("talker", "v1.0.0"), ("talker", "v2.0.0"), ("talker-extra", "v1.0.0"), ("web", "v1.0.0")]
    assert [obj["metadata"]["name"] for obj in resources] == ["talker", "talker", "talker-extra", "web"]
    assert resources[0]["kind"] == "Package"


def test_info_name_is_exact_and_version_narrows():
    api = filled_api()
    assert info(api, name="talker")[0] == [("talker", "v1.0.0"), ("talker", "v2.0.0")]
    assert info(api, name="talker", version="v2.0.0")[0] == [("talker", "v2.0.0")]
    assert info(api, version="v1.0.0")[0] == [("talker", "v1.0.0"), ("talker-extra", "v1.0.0"), ("web", "v1.0.0")]
    assert info(api, name="nothing")[0] == []


def test_info_labels_go_to_the_api_and_are_checked_again():
    api = filled_api()
    assert info(api, labels={"app": "demo"})[0] == [("talker", "v1.0.0"), ("talker", "v2.0.0")]
    assert api.calls[-1] == ("list", "Package", {"labelSelector": ["app=demo"]})
    assert info(api, labels={"app": "demo", "tier": "robot"})[0] == [("talker", "v1.0.0")]
    filtering = FilteringApi()
    for obj in filled_api().objects.values():
        filtering.objects[filtering.key("Package", obj["metadata"]["name"], obj["metadata"]["version"])] = obj
    assert info(filtering, name="talker", labels={"tier": "robot"})[0] == [("talker", "v1.0.0")]
    assert filtering.calls[-1] == ("list", "Package", {"name": "talker", "labelSelector": ["tier=robot"]})


@pytest.mark.parametrize("option, value", [("package_id", "pkg-x"), ("details", True), ("deployments", True),
                                           ("phases", ["Succeeded"])])
def test_info_v1_only_filters_are_refused_on_v2_before_any_request(option, value):
    api = filled_api()
    given = dict(name=None, version=None, labels=None, package_id=None, details=False, deployments=False, phases=None)
    given[option] = value
    rio = FakeRio(given, api=api)
    run_package_info_v2(rio)
    assert rio.api_used is False
    assert rio.failed["msg"].startswith("Not available on the v2 API: %s: " % option)


def test_info_default_booleans_are_not_refusals():
    rio = FakeRio(dict(name="web", version=None, labels=None, package_id=None, details=False, deployments=False,
                       phases=None), api=filled_api())
    run_package_info_v2(rio)
    assert rio.failed is None
    assert [item["name"] for item in rio.exited["packages"]] == ["web"]
    assert rio.exited["resources"][0]["spec"]["runtime"] == "cloud"


def test_info_reads_every_page_of_the_list_with_the_label_selector(rio_server, monkeypatch):
    monkeypatch.setattr(v2api, "LIST_LIMIT", 2)
    items = [package(name="p%d" % index, labels={"app": "demo"}) for index in range(5)]

    def answer(request):
        offset, limit = int(request.query["continue"][0]), int(request.query["limit"][0])
        page = items[offset:offset + limit]
        return Reply(200, {"kind": "PackageList", "metadata": {"continue": offset + len(page)}, "items": page})

    rio_server.script("GET", "/v2/packages/", answer)
    client = RioClient("unit-token", project="project-aaaaaaaaaaaaaaaaaaaaaaaa", v2_api_host=rio_server.url,
                       catalog_host=rio_server.url, core_api_host=rio_server.url, environ={}, retries=0, timeout=5,
                       organization="org-bbbbbbbbbbbbbbbbbbbbbbbb", api_version="v2")
    packages, resources = package_v2_infos(RioV2Api(client), {"labels": {"app": "demo"}})
    assert [item["name"] for item in packages] == ["p0", "p1", "p2", "p3", "p4"]
    assert len(resources) == 5
    assert [request.query["continue"] for request in rio_server.requests] == [["0"], ["2"], ["4"]]
    assert all(request.query["labelSelector"] == ["app=demo"] for request in rio_server.requests)


def test_refused_options_tables():
    assert refused_options({"labels": {"a": "b"}}, PACKAGE_INFO_V2_ONLY) == [
        "labels: v1 packages have no labels; set api_version: v2 to filter v2 packages by label"]
    assert refused_options({"labels": {}}, PACKAGE_INFO_V2_ONLY) == []
    assert refused_options({"details": False, "phases": []}, PACKAGE_INFO_V1_ONLY) == []


def test_manifest_error_is_raised_for_an_unreadable_file(tmp_path):
    with pytest.raises(ManifestError, match="cannot read manifest file"):
        read_package_document(params(manifest_file=str(tmp_path / "missing.yaml")))
