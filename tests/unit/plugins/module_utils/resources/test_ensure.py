# Copyright: (c) 2026, rapyuta.rio contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""ensure(): the one loop every immutable resource kind runs (find, compare, create, recreate,
delete, wait on one budget), shown with the network kinds over an in-memory platform; the kinds' own
rules are in test_network, test_volume and test_static_route."""

import pytest
from fake_clock import FakeClock
from resource_fakes import FakeApi, run

from ansible_collections.rapyuta.rio.plugins.module_utils.resources.ensure import (
    Deadline,
    ResourceInputError,
    ResourceKind,
    describe_differences,
    differences,
    ensure,
    merged,
    run_ensure,
)
from ansible_collections.rapyuta.rio.plugins.module_utils.resources.network import NativeNetworkKind, RoutedNetworkKind
from ansible_collections.rapyuta.rio.plugins.module_utils.v1.wait import DeploymentFailed, WaitTimeout


@pytest.fixture
def api():
    return FakeApi(ready_after=2)


def test_differences_skip_undeclared_fields_and_are_sorted():
    desired = {"shared": True, "limits": None, "ros_distro": "noetic", "runtime": "cloud"}
    live = {"shared": False, "limits": {"cpu": 1.0}, "ros_distro": "melodic", "runtime": "cloud"}
    found = differences(desired, live)
    assert found == [("ros_distro", "noetic", "melodic"), ("shared", True, False)]
    assert describe_differences(found) == "ros_distro (live 'melodic', declared 'noetic'); shared (live False, declared True)"


def test_merged_puts_the_declared_values_on_the_live_ones():
    assert merged({"a": 1, "b": 2, "c": 3}, {"a": 9, "b": None}) == {"a": 9, "b": 2, "c": 3}


def test_a_deadline_is_one_budget_that_never_goes_negative():
    clock = FakeClock(100.0)
    deadline = Deadline(10, clock=clock)
    clock.sleep(4)
    assert deadline.left() == 6
    clock.sleep(30)
    assert deadline.left() == 0.0


def test_a_second_run_only_reads(api):
    run(RoutedNetworkKind(), api, limits={"cpu": 0.5, "memory": 1024})
    api.calls = []
    out = run(RoutedNetworkKind(), api, limits={"cpu": 0.5, "memory": 1024})
    assert out["changed"] is False and out["action"] == "none"
    assert api.writes() == []
    assert out["before"] == out["after"]
    assert out["result"]["status"] == "Running"


def test_a_second_run_without_wait_is_one_list_read(api):
    run(RoutedNetworkKind(), api)
    api.calls = []
    out = run(RoutedNetworkKind(), api, wait=False)
    assert out["changed"] is False
    assert [call[0] for call in api.calls] == ["find_network"]


def test_check_mode_announces_the_creation_without_writing(api):
    out = run(NativeNetworkKind(), api, check_mode=True, ros_distro="noetic")
    assert out["changed"] is True and out["action"] == "create"
    assert api.writes() == []
    assert out["result"]["guid"] is None and out["result"]["ros_distro"] == "noetic"


def test_a_differing_network_fails_naming_the_fields(api):
    run(RoutedNetworkKind(), api)
    api.calls = []
    with pytest.raises(ResourceInputError) as err:
        run(RoutedNetworkKind(), api, ros_distro="noetic", shared=True)
    assert "ros_distro (live 'melodic', declared 'noetic')" in str(err.value)
    assert "shared (live False, declared True)" in str(err.value)
    assert "on_change=recreate" in str(err.value)
    assert api.writes() == []


def test_recreate_deletes_waits_and_creates(api):
    run(RoutedNetworkKind(), api)
    api.calls = []
    out = run(RoutedNetworkKind(), api, ros_distro="kinetic", on_change="recreate")
    assert out["action"] == "recreate" and out["changed"]
    assert [call[0] for call in api.writes()] == ["delete_network", "create_network"]
    assert out["before"]["ros_distro"] == "melodic" and out["after"]["ros_distro"] == "kinetic"


def test_check_mode_recreate_writes_nothing(api):
    run(RoutedNetworkKind(), api)
    api.calls = []
    out = run(RoutedNetworkKind(), api, check_mode=True, ros_distro="kinetic", on_change="recreate")
    assert out["changed"] and api.writes() == []


def test_absent_twice(api):
    run(NativeNetworkKind(), api)
    first = run(NativeNetworkKind(), api, state="absent")
    second = run(NativeNetworkKind(), api, state="absent")
    assert first["changed"] and first["after"] == {} and first["before"]["runtime"] == "cloud"
    assert second["changed"] is False
    assert [call[0] for call in api.writes()] == ["create_network", "delete_network"]


def test_a_deleted_name_can_be_used_again(api):
    run(NativeNetworkKind(), api)
    run(NativeNetworkKind(), api, state="absent")
    assert run(NativeNetworkKind(), api)["action"] == "create"


def test_a_failed_network_fails_the_wait_with_decoded_errors():
    api = FakeApi(ready_after=1, final_phase="Failed to start", final_status="Error")
    with pytest.raises(DeploymentFailed) as err:
        run(NativeNetworkKind(), api)
    assert "native network 'net-a' failed" in str(err.value)
    assert "Failed to start" in str(err.value)


def test_a_slow_network_times_out_with_its_last_phase():
    api = FakeApi(ready_after=10 ** 6)
    with pytest.raises(WaitTimeout) as err:
        run(RoutedNetworkKind(), api)
    assert "routed network 'net-a' is not ready after" in str(err.value)
    assert "In progress" in str(err.value)


def test_a_failed_wait_after_a_creation_says_something_changed():
    api = FakeApi(ready_after=1, final_phase="Failed to start", final_status="Error")
    with pytest.raises(DeploymentFailed) as err:
        run(RoutedNetworkKind(), api)
    assert err.value.changed is True
    assert err.value.result["guid"].startswith("net-") and err.value.result["phase"] == "Failed to start"


# -- a kind with only the required hooks: the defaults of ResourceKind -------------------------------
class NoteKind(ResourceKind):
    """Notes in a dict: no readiness, so ensure() never waits for them."""
    label = "note"
    result_key = "note"

    def find(self, api, name):
        return api.get(name)

    def normalize(self, live):
        return {"text": live["text"]}

    def desired(self, api, params):
        return {"text": params.get("text")}

    def create(self, api, params, desired):
        api[params["name"]] = {"name": params["name"], "text": desired["text"]}
        return api[params["name"]]

    def delete(self, api, live):
        del api[live["name"]]

    def result(self, obj):
        return dict(obj)


def test_a_kind_without_readiness_is_never_waited_for_and_predicts_its_options():
    notes = {}
    predicted = ensure(NoteKind(), notes, {"name": "n", "text": "hi"}, check_mode=True)
    assert predicted["result"] == {"name": "n", "text": "hi"} and notes == {}
    clock = FakeClock()
    created = ensure(NoteKind(), notes, {"name": "n", "text": "hi"}, wait={"timeout": 5, "sleep": 1}, clock=clock,
                     sleeper=clock.sleep)
    assert created["msg"] == "note 'n' created" and clock.now == 0
    again = ensure(NoteKind(), notes, {"name": "n", "text": "hi"})
    assert again["action"] == "none" and again["msg"] == "note 'n' is already present as declared"


# -- run_ensure: the module glue --------------------------------------------------------------------
class FakeRio:
    """What run_ensure needs of RioModule: api, params, check_mode, exit, fail, fail_from_error."""

    def __init__(self, api, **params):
        self.api = api
        self.params = dict({"name": "n", "state": "present"}, **params)
        self.check_mode = False
        self.outcome = None

    def exit(self, **result):
        self.outcome = ("exit", result)

    def fail(self, msg, **extra):
        self.outcome = ("fail", dict(extra, msg=msg))

    def fail_from_error(self, exc, action, **extra):
        self.outcome = ("fail_from_error", dict(extra, msg="%s: %s" % (action, exc)))


def test_run_ensure_exits_with_the_result_under_the_kinds_key():
    rio = FakeRio({}, text="hi")
    run_ensure(rio, NoteKind())
    kind, result = rio.outcome
    assert kind == "exit" and result["changed"] is True and result["action"] == "create"
    assert result["note"] == {"name": "n", "text": "hi"} and result["before"] == {}


def test_run_ensure_reports_an_input_error_with_its_field():
    rio = FakeRio({"n": {"name": "n", "text": "old"}}, text="new")
    run_ensure(rio, NoteKind())
    kind, result = rio.outcome
    assert kind == "fail" and result["field"] == "text"
    assert result["msg"].startswith("Failed to ensure note 'n' is present: it exists with different settings")
    assert "text (live 'old', declared 'new')" in result["msg"]


def test_run_ensure_says_a_failed_wait_after_a_creation_changed_something():
    rio = FakeRio(FakeApi(ready_after=1, final_phase="Failed to start", final_status="Error"), name="net-a",
                  ros_distro="melodic", wait=True, wait_timeout=30, wait_sleep=0.01)
    run_ensure(rio, RoutedNetworkKind())
    kind, result = rio.outcome
    assert kind == "fail_from_error" and result["changed"] is True
    assert result["network"]["phase"] == "Failed to start"


def test_run_ensure_without_wait_options_does_not_wait():
    api = FakeApi(ready_after=10 ** 6)
    rio = FakeRio(api, name="net-a", ros_distro="melodic", wait=True, wait_timeout=1)
    run_ensure(rio, RoutedNetworkKind(), wait_options=False)
    kind, result = rio.outcome
    assert kind == "exit" and result["network"]["phase"] == "In progress"
