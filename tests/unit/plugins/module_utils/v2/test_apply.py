# Copyright: (c) 2026, rapyuta.rio contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""The v2 applier's plan and acts against an in-memory platform: order, compare, on_change,
on_dependents, absent with retain, waits, check mode and diff."""

import pytest

from fake_clock import FakeClock
from v2_fakes import FakeV2Api, deployment, disk, network, package, route, secret

from ansible_collections.rapyuta.rio.plugins.module_utils.transport.client import RioConflict
from ansible_collections.rapyuta.rio.plugins.module_utils.v1.wait import DeploymentFailed, WaitTimeout
from ansible_collections.rapyuta.rio.plugins.module_utils.v2.apply import (
    HIDDEN,
    ApplyRefused,
    ManifestApply,
    diff_key,
    identity,
    is_dependent,
    label,
    masked_invocation,
    prepare,
    shown,
    wait_settings,
)

WAIT = {"timeout": 60, "sleep": 0.8}


def stack():
    """A user's set, deliberately out of order: the applier orders it."""
    return [deployment(env={"RATE": "10"}, rosNetworks=[{"depends": {"kind": "network", "nameOrGUID": "net"}}]),
            package(), network(), disk(), secret()]


class applier:
    """ManifestApply on a fake clock, run on documents as the module gives them (validated, ordered, wire form)."""

    def __init__(self, api, clock=None, **kwargs):
        clock = clock or FakeClock()
        self.engine = ManifestApply(api, clock=clock, sleeper=clock.sleep, **kwargs)

    def run(self, documents, state="present"):
        return self.engine.run(prepare(documents)[0], state)


def actions(outcome):
    return [(entry["kind"], entry["name"], entry["action"]) for entry in outcome["resources"]]


# -- present ---------------------------------------------------------------------------------------

def test_a_new_set_is_created_in_dependency_order_and_waited_for():
    api = FakeV2Api(phases=[("InProgress", "Pending"), ("Provisioning", "Pending"), ("Succeeded", "Running")])
    outcome = applier(api, wait=WAIT).run(stack())
    assert outcome["changed"] is True
    # what the deployment uses first, in the order given; the deployment last
    assert [call[1] for call in api.writes()] == ["Package", "Network", "Disk", "Secret", "Deployment"]
    assert actions(outcome)[-1] == ("Deployment", "talker-1", "created")
    assert outcome["resources"][-1]["object"]["status"] == {"phase": "Succeeded", "status": "Running"}
    assert outcome["resources"][0]["version"] == "v1.0.0" and "version" not in outcome["resources"][1]
    assert outcome["msg"] == "5 document(s) applied: created 5"
    assert outcome["before"] == {} and sorted(outcome["after"]) == [
        "Deployment/talker-1", "Disk/logs", "Network/net", "Package/talker@v1.0.0", "Secret/regcred"]


def test_without_wait_nothing_is_read_after_a_creation():
    api = FakeV2Api(phases=[("InProgress", "Pending")])
    outcome = applier(api).run([network()])
    assert [call[0] for call in api.calls] == ["get", "create"]
    assert outcome["resources"][0]["object"]["status"]["phase"] == "InProgress"


def test_a_converged_set_reads_each_document_once_and_writes_nothing():
    api = FakeV2Api()
    for doc in stack():
        api.seed(doc)
    outcome = applier(api, wait=WAIT).run(stack())
    assert outcome["changed"] is False and api.writes() == []
    assert [call[0] for call in api.calls] == ["get"] * 5
    assert set(entry["action"] for entry in outcome["resources"]) == {"unchanged"}
    assert outcome["before"] == outcome["after"] and len(outcome["before"]) == 5
    assert outcome["msg"] == "5 document(s) applied: unchanged 5"


def test_without_diff_the_outcome_has_no_before_and_after_and_the_same_reports():
    with_diff, without = FakeV2Api(), FakeV2Api()
    for api in (with_diff, without):
        api.seed(network())
    full = applier(with_diff).run(stack())
    lean = applier(without, diff=False).run(stack())
    assert full["before"] and full["after"] and lean["before"] == {} and lean["after"] == {}
    assert lean["resources"] == full["resources"] and lean["msg"] == full["msg"]
    assert lean["resources"][0] is not lean["resources"][1]


def test_an_unchanged_object_still_starting_is_waited_for():
    api = FakeV2Api(phases=[("Provisioning", "Pending"), ("Succeeded", "Running")])
    api.seed(network(), phase=("InProgress", "Pending"))
    api._reads[("Network", "net", None)] = 0
    outcome = applier(api, wait=WAIT).run([network()])
    assert outcome["changed"] is False
    assert outcome["resources"][0]["object"]["status"]["phase"] == "Succeeded"
    assert [call[0] for call in api.calls] == ["get", "get"]  # the plan's read is the wait's first poll


def test_check_mode_writes_nothing_and_reports_what_the_real_run_does():
    drifted = stack()
    checked_api, real_api = FakeV2Api(), FakeV2Api()
    for api in (checked_api, real_api):
        api.seed(package())
        api.seed(deployment(env={"RATE": "5"}, rosNetworks=drifted[0]["spec"]["rosNetworks"]))
    checked = applier(checked_api, check_mode=True, on_change="recreate").run(drifted)
    real = applier(real_api, on_change="recreate").run(stack())
    assert checked_api.writes() == []
    assert checked["changed"] is real["changed"] is True
    assert (checked["before"], checked["after"]) == (real["before"], real["after"])
    assert [action.replace("would_", "") for _k, _n, action in actions(checked)] == \
        [action[:-1] if action.endswith("d") and action != "unchanged" else action for _k, _n, action in actions(real)]
    assert actions(checked)[-1] == ("Deployment", "talker-1", "would_recreate")
    assert [entry["object"]["spec"]["docker"]["password"] for entry in checked["resources"]
            if entry["kind"] == "Secret"] == [HIDDEN]
    assert checked["msg"].startswith("5 document(s) planned: ")


def test_a_difference_is_refused_before_any_write_naming_the_fields():
    api = FakeV2Api()
    api.seed(package())
    api.seed(deployment(env={"RATE": "5"}))
    with pytest.raises(ApplyRefused) as refused:
        applier(api).run([network(), package(), deployment(env={"RATE": "20"})])
    assert api.writes() == []  # the network is not created either
    message = str(refused.value)
    assert "Deployment 'talker-1' exists with different settings that cannot be updated" in message
    assert "spec.envArgs[RATE].value (live '5', declared '20')" in message
    assert "on_change=recreate" in message
    assert [entry["action"] for entry in refused.value.resources] == ["would_create", "unchanged", "refused"]


def test_recreate_replaces_that_object_only():
    api = FakeV2Api()
    api.seed(package())
    old = api.seed(deployment(env={"RATE": "5"}))
    outcome = applier(api, on_change="recreate").run([package(), deployment(env={"RATE": "20"})])
    assert api.writes() == [("delete", "Deployment", "talker-1", None), ("create", "Deployment", "talker-1")]
    assert actions(outcome) == [("Package", "talker", "unchanged"), ("Deployment", "talker-1", "recreated")]
    assert outcome["resources"][1]["differences"] == [{"path": "spec.envArgs[RATE].value", "before": "5", "after": "20"}]
    assert outcome["resources"][1]["object"]["metadata"]["guid"] != old["metadata"]["guid"]
    assert outcome["before"]["Deployment/talker-1"]["spec"]["envArgs"][0]["value"] == "5"
    assert outcome["after"]["Deployment/talker-1"]["spec"]["envArgs"][0]["value"] == "20"


def test_recreate_deletes_dependents_first_and_creates_them_last():
    api = FakeV2Api()
    api.seed(network())
    api.seed(deployment(name="master", env={"A": "1"}))
    api.seed(deployment(name="talker-1", env={"A": "1"}, depends=[{"kind": "deployment", "nameOrGUID": "master"}]))
    docs = [deployment(name="master", env={"A": "2"}),
            deployment(name="talker-1", env={"A": "2"}, depends=[{"kind": "deployment", "nameOrGUID": "master"}])]
    applier(api, on_change="recreate").run(docs)
    assert api.writes() == [("delete", "Deployment", "talker-1", None), ("delete", "Deployment", "master", None),
                            ("create", "Deployment", "master"), ("create", "Deployment", "talker-1")]


def test_recreating_what_a_live_deployment_uses_is_refused_unless_break():
    api = FakeV2Api()
    api.seed(network())
    api.seed(deployment(name="other", rosNetworks=[{"depends": {"kind": "network", "nameOrGUID": "net"}}]))
    changed = dict(network(), spec=dict(network()["spec"], rosDistro="melodic"))
    with pytest.raises(ApplyRefused) as refused:
        applier(api, on_change="recreate").run([changed])
    assert "Network 'net' is used by live deployments 'other', which would break" in str(refused.value)
    assert "on_dependents=break" in str(refused.value) and api.writes() == []
    outcome = applier(api, on_change="recreate", on_dependents="break").run([changed])
    assert actions(outcome) == [("Network", "net", "recreated")]


def test_a_stopped_deployment_is_no_dependent():
    api = FakeV2Api()
    api.seed(package())
    api.seed(deployment())
    api.delete("Deployment", "talker-1")
    api.calls = []
    outcome = applier(api, on_change="recreate").run([package(image="ros:melodic")])
    assert actions(outcome) == [("Package", "talker", "recreated")]


def test_a_package_is_used_only_by_deployments_of_its_version():
    api = FakeV2Api()
    api.seed(package(version="v2"))
    api.seed(deployment(version="v1.0.0"))
    outcome = applier(api, on_change="recreate").run([package(version="v2", image="ros:melodic")])
    assert actions(outcome) == [("Package", "talker", "recreated")]


def test_secrets_and_static_routes_are_updated_in_place_and_secret_values_never_shown():
    api = FakeV2Api()
    api.seed(secret())
    api.seed(route())
    changed_secret = secret(password="new-password-value")
    changed_secret["spec"]["docker"]["username"] = "robot"
    outcome = applier(api).run([changed_secret, route(ranges=["192.168.0.0/16"])])
    assert api.writes() == [("put", "Secret", "regcred"), ("put", "StaticRoute", "dash")]
    assert [entry["action"] for entry in outcome["resources"]] == ["updated", "updated"]
    assert "new-password-value" not in repr(outcome) and "s3cr3t-value" not in repr(outcome)


def test_shown_hides_secret_values_only():
    hidden = shown({"kind": "Secret", "spec": {"type": "Opaque", "data": {"KEY": "value"}}})
    assert hidden["spec"]["data"] == {"KEY": HIDDEN}
    assert shown(package()) == package()
    assert shown({"spec": {"docker": {"password": "p"}}}, "Secret") == {"spec": {"docker": {"password": HIDDEN}}}
    assert shown({"spec": {"docker": {"password": "p"}}}, "Package") == {"spec": {"docker": {"password": "p"}}}


# -- absent ----------------------------------------------------------------------------------------

def test_absent_deletes_in_reverse_order_and_keeps_retained_objects():
    api = FakeV2Api()
    retained_disk = disk(labels={"rapyuta.io/deletionPolicy": "retain"})
    for doc in [package(), deployment(), network(), retained_disk]:
        api.seed(doc)
    outcome = applier(api, wait=WAIT).run([package(), deployment(), network(), retained_disk, secret()], state="absent")
    assert api.writes() == [("delete", "Deployment", "talker-1", None), ("delete", "Network", "net", None),
                            ("delete", "Package", "talker", "v1.0.0")]
    assert ("get", "Disk", "logs", None) not in api.calls  # a retained object is not even read
    assert dict(((kind, name), action) for kind, name, action in actions(outcome)) == {
        ("Deployment", "talker-1"): "deleted", ("Package", "talker"): "deleted", ("Network", "net"): "deleted",
        ("Disk", "logs"): "retained", ("Secret", "regcred"): "absent"}
    assert outcome["after"] == {} and sorted(outcome["before"]) == ["Deployment/talker-1", "Network/net",
                                                                    "Package/talker@v1.0.0"]
    assert outcome["changed"] is True


def test_absent_twice_changes_nothing():
    api = FakeV2Api()
    outcome = applier(api).run(stack(), state="absent")
    assert outcome["changed"] is False and api.writes() == []
    assert set(entry["action"] for entry in outcome["resources"]) == {"absent"}


def test_absent_refuses_what_a_deployment_outside_the_set_uses():
    api = FakeV2Api()
    api.seed(disk())
    api.seed(deployment(name="db", runtime="cloud",
                        volumes=[{"execName": "main", "mountPath": "/data", "depends": {"kind": "disk", "nameOrGUID": "logs"}}]))
    with pytest.raises(ApplyRefused) as refused:
        applier(api).run([disk()], state="absent")
    assert "Disk 'logs' is used by live deployments 'db'" in str(refused.value) and api.writes() == []


def test_check_mode_absent_reports_would_delete():
    api = FakeV2Api()
    api.seed(network())
    outcome = applier(api, check_mode=True).run([network()], state="absent")
    assert actions(outcome) == [("Network", "net", "would_delete")] and outcome["changed"] is True
    assert api.writes() == []


# -- waits -----------------------------------------------------------------------------------------

def test_a_deployment_that_fails_to_start_fails_at_once_with_the_decoded_cause():
    api = FakeV2Api(phases=[("InProgress", "Pending"), ("FailedToStart", "Error")], error_codes=["DEP_E151"])
    clock = FakeClock()
    with pytest.raises(DeploymentFailed) as failed:
        applier(api, clock=clock, wait=WAIT).run([deployment()])
    assert str(failed.value) == ("Deployment 'talker-1' failed: phase 'FailedToStart', status 'Error', "
                                 "errors: DEP_E151: the device is offline or unreachable")
    assert failed.value.changed is True
    assert failed.value.resources[0]["action"] == "created"
    assert failed.value.resources[0]["object"]["status"]["phase"] == "FailedToStart"  # the last one seen
    assert clock.now < 2


def test_an_image_that_cannot_be_pulled_fails_while_provisioning():
    api = FakeV2Api(phases=[("Provisioning", "Error")], error_codes=["DEP_E153"])
    with pytest.raises(DeploymentFailed) as failed:
        applier(api, wait=WAIT).run([deployment()])
    assert "DEP_E153: the image could not be pulled or built" in str(failed.value)


def test_a_wait_that_runs_out_says_where_the_object_stands():
    api = FakeV2Api(phases=[("InProgress", "Pending")])
    with pytest.raises(WaitTimeout) as late:
        applier(api, wait={"timeout": 5, "sleep": 1}).run([network()])
    assert str(late.value) == "Network 'net' is not ready after 5s: phase 'InProgress', status 'Pending'"


def test_a_deletion_that_does_not_end_fails_the_wait():
    class Lingering(FakeV2Api):
        def delete(self, kind, name, version=None):
            self.calls.append(("delete", kind, name, version))

    api = Lingering()
    api.seed(network())
    with pytest.raises(WaitTimeout) as late:
        applier(api, wait={"timeout": 3, "sleep": 1}).run([network()], state="absent")
    assert str(late.value) == "Network 'net' is still not deleted: phase 'Succeeded', status 'Running'"
    assert late.value.changed is True


def test_a_failing_write_reports_what_was_written_before():
    api = FakeV2Api()
    api.refuse_delete[("Network", "net", None)] = "network net is in use"
    api.seed(network())
    with pytest.raises(RioConflict) as refused:
        applier(api, on_dependents="break").run([disk(), network()], state="absent")
    assert refused.value.changed is False
    api.seed(disk())
    with pytest.raises(RioConflict) as refused:
        applier(api, on_dependents="break").run([network(), disk()], state="absent")
    assert refused.value.changed is True  # the disk went first
    assert [entry["action"] for entry in refused.value.resources] == ["deleted", "deleted"]


# -- helpers ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("key, live, expected", [
    (("Package", "talker", "v1.0.0"), None, True),
    (("Package", "talker", "v2"), None, False),
    (("Deployment", "master", None), None, True),
    (("Network", "net", None), None, True),
    (("Disk", "logs", None), None, True),
    (("StaticRoute", "dash", None), {"metadata": {"name": "dash-emuorg"}}, True),
    (("StaticRoute", "web", None), {"metadata": {"name": "web-emuorg", "guid": "staticroute-x"}}, False),
    (("Secret", "api", None), None, True),
    (("ConfigTree", "cfg", None), None, True),
    (("Network", "other", None), {"metadata": {"name": "other", "guid": "network-abc"}}, False),
])
def test_what_a_live_deployment_uses(key, live, expected):
    doc = deployment(runtime="cloud", depends=[{"kind": "deployment", "nameOrGUID": "master"}],
                     rosNetworks=[{"depends": {"kind": "network", "nameOrGUID": "net"}}],
                     volumes=[{"execName": "a", "mountPath": "/d", "depends": {"kind": "disk", "nameOrGUID": "logs"}}],
                     staticRoutes=[{"name": "http", "depends": {"kind": "staticroute", "nameOrGUID": "dash-emuorg"}}],
                     envArgs=[{"name": "K", "valueFrom": {"secretKeyRef": {"name": "api", "key": "K"}}}],
                     features={"params": {"enabled": True, "trees": ["cfg"]}})
    assert is_dependent(doc, key, live) is expected


def test_a_reference_by_guid_counts():
    doc = deployment(rosNetworks=[{"depends": {"kind": "network", "nameOrGUID": "network-abc"}}])
    assert is_dependent(doc, ("Network", "net", None), {"metadata": {"name": "net", "guid": "network-abc"}})


def test_names_and_keys():
    assert identity(package()) == ("Package", "talker", "v1.0.0")
    assert identity(dict(disk(), metadata={"name": "logs", "version": "ignored"})) == ("Disk", "logs", None)
    assert label(package()) == "Package 'talker@v1.0.0'" and label(("Disk", "logs", None)) == "Disk 'logs'"
    assert diff_key(("Package", "talker", "v1")) == "Package/talker@v1" and diff_key(("Disk", "d", None)) == "Disk/d"


def test_prepare_orders_and_warns_before_any_request():
    bodies, warnings = prepare([deployment(), dict(disk(), spec=dict(disk()["spec"], diskType="ssd")), package()])
    assert [body["kind"] for body in bodies] == ["Disk", "Package", "Deployment"]
    assert warnings == ["document 2 (Disk logs): spec.diskType: unknown field, left out (rio apply drops it too)"]
    assert "diskType" not in bodies[0]["spec"]


def test_an_inline_secret_is_not_shown_in_the_invocation():
    assert masked_invocation({"definition": None, "src": "x.yaml"}) == {}
    assert masked_invocation({"definition": [disk()]}) == {}
    masked = masked_invocation({"definition": [disk(), secret()], "state": "present"})["invocation"]["module_args"]
    assert masked["state"] == "present" and masked["definition"][0] == disk()
    assert masked["definition"][1]["spec"]["docker"]["password"] == HIDDEN
    text = "kind: Secret\nmetadata: {name: s}\nspec: {type: Opaque, data: {KEY: value-never-shown}}\n"
    assert "value-never-shown" not in repr(masked_invocation({"definition": text}))
    assert masked_invocation({"definition": secret()})["invocation"]["module_args"]["definition"]["kind"] == "Secret"
    assert masked_invocation({"definition": "key: [unclosed"})["invocation"]["module_args"]["definition"] == HIDDEN


def test_wait_settings():
    assert wait_settings({"wait": False}) is None
    assert wait_settings({"wait": True, "wait_timeout": 30, "wait_sleep": 2.0}) == {"timeout": 30, "sleep": 2.0}
