# Copyright: (c) 2026, rapyuta.rio contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""rio_package's plan of action and rio_package_info's listing against an in-memory platform."""

import copy
import json

import pytest


from package_fakes import FakePackageApi, load_fixture

from ansible_collections.rapyuta.rio.plugins.module_utils.v1.api import RioLookupError
from ansible_collections.rapyuta.rio.plugins.module_utils.v1.manifest import ManifestError
from ansible_collections.rapyuta.rio.plugins.module_utils.packages.package import (
    PackageChangeRefused,
    PackageInUse,
    PackageTask,
    package_infos,
    read_manifest,
    run_package,
    shape_package,
)


def params(**kwargs):
    base = dict(name=None, version=None, state="present", manifest=None, manifest_file=None,
                package_id=None, force=False)
    base.update(kwargs)
    return base


def present(api, manifest, check_mode=False, diff_mode=False, **kwargs):
    task = PackageTask(api, params(manifest=manifest, **kwargs), check_mode=check_mode, diff_mode=diff_mode)
    return task, task.present(read_manifest(task.params))


def absent(api, check_mode=False, diff_mode=False, **kwargs):
    task = PackageTask(api, params(state="absent", **kwargs), check_mode=check_mode, diff_mode=diff_mode)
    return task, task.absent()


def changed_talker():
    manifest = load_fixture("talker.json")
    manifest["plans"][0]["components"][0]["executables"][0]["cmd"] = ["roslaunch talker fast.launch"]
    manifest["plans"][0]["components"][0]["parameters"][0]["default"] = "chatter"
    return manifest


# -- state: present ----------------------------------------------------------------------------------
def test_create_then_unchanged():
    api = FakePackageApi()
    _task, result = present(api, load_fixture("talker.json"))
    assert result["changed"] is True
    package = result["package"]
    assert package["package_id"].startswith("pkg-")
    assert (package["name"], package["version"]) == ("talker", "v1.0.0")
    assert package["plans"][0]["plan_id"].startswith("plan-")
    component = package["plans"][0]["components"][0]
    assert component["component_id"] == "comp-0-0"
    assert component["executables"][0]["executable_id"] == "exec-0-0-0"
    assert api.writes() == [("create_package", "talker", "v1.0.0")]

    api.calls = []
    _task, again = present(api, load_fixture("talker.json"))
    assert again["changed"] is False
    assert again["package"] == package
    assert api.writes() == []


def test_create_in_check_mode_writes_nothing():
    api = FakePackageApi()
    _task, result = present(api, load_fixture("nginx-multi-component.json"), check_mode=True, diff_mode=True)
    assert result["changed"] is True
    assert result["package"]["package_id"] is None
    assert result["package"]["plans"][0]["plan_id"] is None
    assert [comp["name"] for comp in result["package"]["plans"][0]["components"]] == ["nginx2", "nginx"]
    assert result["before"] == {}
    assert result["after"]["name"] == "nginx-multi-component"
    assert api.writes() == [] and api.packages == {}


def test_unchanged_with_reordered_manifest():
    api = FakePackageApi()
    api.add(load_fixture("nginx-multi-component.json"))
    manifest = load_fixture("nginx-multi-component.json")
    manifest["plans"][0]["components"].reverse()
    _task, result = present(api, manifest, diff_mode=True)
    assert result["changed"] is False
    assert result["before"] == result["after"]
    assert api.writes() == []


def test_drift_fails_naming_the_fields():
    api = FakePackageApi()
    api.add(load_fixture("talker.json"))
    with pytest.raises(PackageChangeRefused) as info:
        present(api, changed_talker())
    message = str(info.value)
    assert "package version is immutable" in message
    assert "force: true" in message
    assert "plans[default].components[default].executables[talkerExec].cmd" in message
    assert "plans[default].components[default].parameters[topic_name].default: 'chatter' != 'telemetry'" in message
    assert api.writes() == []


def test_drift_failure_carries_differences_and_action():
    api = FakePackageApi()
    package_id = api.add(load_fixture("talker.json"))
    task = PackageTask(api, params(manifest=changed_talker()))
    with pytest.raises(PackageChangeRefused):
        task.present(read_manifest(task.params))
    assert task.action == "Failed to update package talker v1.0.0 (%s)" % package_id
    assert [item["field"] for item in task.extra["differences"]] == [
        "plans[default].components[default].executables[talkerExec].cmd",
        "plans[default].components[default].parameters[topic_name].default",
    ]
    assert task.extra["package"]["package_id"] == package_id


def test_force_replaces():
    api = FakePackageApi()
    old_id = api.add(load_fixture("talker.json"))
    _task, result = present(api, changed_talker(), force=True, diff_mode=True)
    assert result["changed"] is True
    assert [call[0] for call in api.writes()] == ["delete_package", "create_package"]
    assert result["package"]["package_id"] != old_id
    assert len(result["differences"]) == 2
    assert result["before"]["plans"][0]["components"][0]["parameters"][0]["default"] == "telemetry"
    assert result["after"]["plans"][0]["components"][0]["parameters"][0]["default"] == "chatter"
    api.calls = []
    _task, again = present(api, changed_talker(), force=True)
    assert again["changed"] is False and api.writes() == []


def test_force_in_check_mode_writes_nothing():
    api = FakePackageApi()
    old_id = api.add(load_fixture("talker.json"))
    _task, result = present(api, changed_talker(), force=True, check_mode=True)
    assert result["changed"] is True
    assert result["package"]["package_id"] is None
    assert len(result["differences"]) == 2
    assert api.writes() == [] and list(api.packages) == [old_id]


@pytest.mark.parametrize("check_mode", [False, True])
def test_force_refused_while_deployed(check_mode):
    api = FakePackageApi()
    package_id = api.add(load_fixture("talker.json"))
    api.deploy(package_id, "talker-robot-1")
    api.deploy(package_id, "old-one", phase="Deployment stopped")
    task = PackageTask(api, params(manifest=changed_talker(), force=True), check_mode=check_mode)
    with pytest.raises(PackageInUse) as info:
        task.present(read_manifest(task.params))
    assert "talker-robot-1 (dep-talker-robot-1, Succeeded)" in str(info.value)
    assert "old-one" not in str(info.value)
    assert task.action.startswith("Failed to replace package talker v1.0.0")
    assert [dep["name"] for dep in task.extra["deployments"]] == ["talker-robot-1"]
    assert api.writes() == []


def test_name_and_version_options_must_match_the_manifest():
    with pytest.raises(ManifestError) as info:
        read_manifest(params(manifest=load_fixture("talker.json"), name="talker", version="v2.0.0"))
    assert info.value.path == "packageVersion"
    assert "'v1.0.0'" in str(info.value) and "'v2.0.0'" in str(info.value)
    read_manifest(params(manifest=load_fixture("talker.json"), name="talker", version="v1.0.0"))


def test_manifest_file(tmp_path):
    path = tmp_path / "talker.json"
    path.write_text(json.dumps(load_fixture("talker.json")))
    assert read_manifest(params(manifest_file=str(path)))["name"] == "talker"


def test_duplicates_on_the_platform_fail():
    api = FakePackageApi()
    api.add(load_fixture("talker.json"))
    api.add(load_fixture("talker.json"))
    with pytest.raises(RioLookupError):
        present(api, load_fixture("talker.json"))
    assert api.writes() == []


# -- state: absent -----------------------------------------------------------------------------------
def test_absent_by_name_and_version_then_again():
    api = FakePackageApi()
    api.add(load_fixture("talker.json"))
    _task, result = absent(api, name="talker", version="v1.0.0", diff_mode=True)
    assert result["changed"] is True and result["package"] == {}
    assert result["before"]["name"] == "talker" and result["after"] == {}
    assert api.packages == {}
    _task, again = absent(api, name="talker", version="v1.0.0")
    assert again["changed"] is False
    assert [call[0] for call in api.writes()] == ["delete_package"]


def test_absent_by_id():
    api = FakePackageApi()
    package_id = api.add(load_fixture("talker.json"))
    _task, result = absent(api, package_id=package_id)
    assert result["changed"] is True
    assert api.writes() == [("delete_package", package_id)]
    _task, again = absent(api, package_id=package_id)
    assert again["changed"] is False


def test_absent_in_check_mode():
    api = FakePackageApi()
    api.add(load_fixture("talker.json"))
    _task, result = absent(api, name="talker", version="v1.0.0", check_mode=True)
    assert result["changed"] is True
    assert api.writes() == [] and len(api.packages) == 1


def test_absent_other_version_untouched():
    api = FakePackageApi()
    api.add(load_fixture("talker.json"))
    _task, result = absent(api, name="talker", version="v9.0.0")
    assert result["changed"] is False and len(api.packages) == 1


@pytest.mark.parametrize("check_mode", [False, True])
def test_absent_refused_while_deployed(check_mode):
    api = FakePackageApi()
    package_id = api.add(load_fixture("talker.json"))
    api.deploy(package_id, "b-robot")
    api.deploy(package_id, "a-robot", phase="Provisioning")
    task = PackageTask(api, params(state="absent", package_id=package_id), check_mode=check_mode)
    with pytest.raises(PackageInUse) as info:
        task.absent()
    assert "a-robot (dep-a-robot, Provisioning), b-robot (dep-b-robot, Succeeded)" in str(info.value)
    assert "deprovision them first" in str(info.value)
    assert api.writes() == [] and package_id in api.packages


def test_partially_deprovisioned_still_uses_the_package():
    api = FakePackageApi()
    package_id = api.add(load_fixture("talker.json"))
    api.deploy(package_id, "half", phase="Partially deprovisioned")
    with pytest.raises(PackageInUse) as info:
        absent(api, package_id=package_id)
    assert "half (dep-half, Partially deprovisioned)" in str(info.value)


def test_absent_after_deployments_stopped():
    api = FakePackageApi()
    package_id = api.add(load_fixture("talker.json"))
    api.deploy(package_id, "gone", phase="Deployment stopped")
    _task, result = absent(api, package_id=package_id)
    assert result["changed"] is True


# -- the return value ----------------------------------------------------------------------------------
def test_shape_package_from_stored_form_and_manifest_agree_but_for_ids():
    api = FakePackageApi()
    package_id = api.add(load_fixture("scoped-targeted.json"))
    stored = shape_package(api.packages[package_id])
    predicted = shape_package(load_fixture("scoped-targeted.json"))

    def without_ids(package):
        package = copy.deepcopy(package)
        package.update(package_id=None, status=None)
        for plan in package["plans"]:
            plan["plan_id"] = None
            for comp in plan["components"]:
                comp["component_id"] = None
                for exe in comp["executables"]:
                    exe["executable_id"] = None
        return package
    assert without_ids(stored) == predicted
    assert stored["status"] == "Complete"


# -- rio_package_info --------------------------------------------------------------------------------
def info_api():
    api = FakePackageApi()
    ids = {}
    for name in ("talker.json", "talker-docker.json", "talker-noetic.json", "nginx-single-component.json"):
        manifest = load_fixture(name)
        ids[manifest["name"]] = api.add(manifest)
    manifest = load_fixture("talker.json")
    manifest["packageVersion"] = "v2.0.0"
    ids["talker v2"] = api.add(manifest)
    api.deploy(ids["talker"], "t1")
    api.deploy(ids["talker"], "t0", phase="Deployment stopped")
    return api, ids


def names(packages):
    return [(pkg["name"], pkg["version"]) for pkg in packages]


@pytest.mark.parametrize("filters, expected", [
    ({}, [("nginx-single-component", "v1.0.0"), ("talker", "v1.0.0"), ("talker", "v2.0.0"),
          ("talker noetic", "v1.0.0"), ("talker-docker", "v1.0.0")]),
    ({"name": "talker"}, [("talker", "v1.0.0"), ("talker", "v2.0.0"), ("talker noetic", "v1.0.0"),
                          ("talker-docker", "v1.0.0")]),
    ({"name": "docker"}, [("talker-docker", "v1.0.0")]),
    ({"name": "talker", "version": "v2.0.0"}, [("talker", "v2.0.0")]),
    ({"version": "v3"}, []),
    ({"name": "nothing"}, []),
])
def test_info_filters(filters, expected):
    api, _ids = info_api()
    assert names(package_infos(api, filters)) == expected


def test_info_by_id_and_details():
    api, ids = info_api()
    packages = package_infos(api, {"package_id": ids["talker-docker"]})
    assert names(packages) == [("talker-docker", "v1.0.0")]
    assert packages[0]["plans"][0]["plan_id"].startswith("plan-")
    assert packages[0]["plans"][0]["components"] == []
    assert [call[0] for call in api.calls].count("get_package") == 0
    detailed = package_infos(api, {"package_id": ids["talker-docker"], "details": True})
    assert detailed[0]["plans"][0]["components"][0]["component_id"] == "comp-0-0"
    assert detailed[0]["status"] == "Complete"
    assert package_infos(api, {"package_id": "pkg-nope"}) == []


def test_info_deployments_with_phases():
    api, ids = info_api()
    packages = package_infos(api, {"name": "talker", "version": "v1.0.0", "deployments": True})
    assert [[dep["name"] for dep in pkg["deployments"]] for pkg in packages] == [["t0", "t1"], [], []]
    packages = package_infos(api, {"package_id": ids["talker"], "deployments": True, "phases": ["Succeeded"]})
    assert [dep["name"] for dep in packages[0]["deployments"]] == ["t1"]
    assert packages[0]["deployments"][0]["deployment_id"] == "dep-t1"
    assert "deployments" not in package_infos(api, {"package_id": ids["talker"]})[0]


def test_info_never_writes():
    api, _ids = info_api()
    package_infos(api, {"details": True, "deployments": True})
    assert api.writes() == []


# -- run_package: the manifest is checked before any request -----------------------------------------
class FakeRio:
    def __init__(self, params_, api=None, check_mode=False, diff_mode=False):
        self.params = params_
        self._api = api
        self.check_mode = check_mode
        self.diff_mode = diff_mode
        self.api_used = False
        self.failed = None
        self.exited = None

    @property
    def api(self):
        self.api_used = True
        return self._api

    def fail(self, msg, **extra):
        self.failed = dict(msg=msg, **extra)

    def fail_from_error(self, exc, action, **extra):
        self.failed = dict(msg="%s: %s" % (action, exc), **extra)

    def exit(self, changed, before=None, after=None, **result):
        self.exited = dict(changed=changed, **result)


def test_run_package_bad_manifest_makes_no_request():
    manifest = load_fixture("talker.json")
    manifest["plans"][0]["components"][0]["architecture"] = "amd46"
    rio = FakeRio(params(manifest=manifest))
    run_package(rio)
    assert rio.api_used is False
    assert rio.failed["msg"].startswith("Invalid package manifest: plans[0].components[0].architecture:")
    assert rio.failed["errors"][0]["path"] == "plans[0].components[0].architecture"


def test_run_package_drift_failure_has_differences():
    api = FakePackageApi()
    api.add(load_fixture("talker.json"))
    rio = FakeRio(params(manifest=changed_talker()), api=api)
    run_package(rio)
    assert rio.failed["msg"].startswith("Failed to update package talker v1.0.0 (pkg-")
    assert len(rio.failed["differences"]) == 2
    assert rio.exited is None


def test_run_package_success():
    api = FakePackageApi()
    rio = FakeRio(params(manifest=load_fixture("talker.json")), api=api)
    run_package(rio)
    assert rio.failed is None
    assert rio.exited["changed"] is True and rio.exited["package"]["name"] == "talker"


def test_the_cloud_infra_the_platform_adds_to_a_device_component_is_no_difference():
    """The platform stores every component with cloudInfra (docs/reference/v1-api.md#stored-package);
    a force diff showed it as removed from the device component."""
    api = FakePackageApi()
    manifest = load_fixture("talker-cloud-device.json")
    package_id = api.add(manifest)
    for plan in api.packages[package_id]["plans"]:
        for component in plan["components"]["components"]:
            component.setdefault("cloudInfra", {"endpoints": None, "replicas": 1})
    _task, same = present(api, load_fixture("talker-cloud-device.json"), diff_mode=True)
    assert same["changed"] is False and same["before"] == same["after"]
    changed = load_fixture("talker-cloud-device.json")
    changed["plans"][0]["components"][0]["executables"][0]["cmd"] = ["roslaunch talker other.launch"]
    _task, forced = present(api, changed, force=True, diff_mode=True)
    device = [next(comp for comp in plan["components"] if comp["name"] == "talker-device")
              for plan in (forced["before"]["plans"][0], forced["after"]["plans"][0])]
    assert "cloudInfra" not in device[0] and "cloudInfra" not in device[1]
    assert [item["field"].rsplit(".", 1)[-1] for item in forced["differences"]] == ["cmd"]
