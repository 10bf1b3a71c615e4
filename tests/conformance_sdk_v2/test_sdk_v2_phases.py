"""Phases as time passes, on an emulator started with --phase-delay (conftest.PHASE_DELAY):
[0, d/2) InProgress/Pending, [d/2, d) Provisioning/Pending, then the final state
(docs/reference/v2-api.md#deployment-phases-and-readiness)."""
from .sdkv2_support import (DOCKER_AMD64, OFFLINE, cloud_deployment, cloud_network, cloud_package, device_deployment,
                            device_package, disk, phase_of, wait_for)

EXPECTED = [("InProgress", "Pending"), ("Provisioning", "Pending"), ("Succeeded", "Running")]


def observe(read, final, timeout=10.0):
    """The distinct (phase, status) pairs seen, in order, until `final` is reached."""
    seen = []

    def record():
        state = phase_of(read())
        if not seen or seen[-1] != state:
            seen.append(state)
        return state

    wait_for(record, lambda state: state == final, timeout=timeout, what="state %s" % (final,))
    return seen


def test_cloud_deployment_goes_in_progress_provisioning_succeeded(slow_sdk):
    sdk = slow_sdk
    sdk.create_package(cloud_package("web"))
    created = sdk.create_deployment(cloud_deployment("slow-web", "web"))
    assert phase_of(created) == ("InProgress", "Pending")
    seen = [phase_of(created)] + observe(lambda: sdk.get_deployment("slow-web"), EXPECTED[-1])
    assert dedupe(seen) == EXPECTED, seen
    assert sdk.get_deployment("slow-web").status.executables_status["web"].status == "running"


def test_device_deployment_goes_in_progress_provisioning_succeeded(slow_sdk):
    sdk = slow_sdk
    sdk.create_package(device_package("talker"))
    created = sdk.create_deployment(device_deployment("slow-talker", "talker", DOCKER_AMD64))
    seen = [phase_of(created)] + observe(lambda: sdk.get_deployment("slow-talker"), EXPECTED[-1])
    assert dedupe(seen) == EXPECTED, seen


def test_the_phases_filter_follows_time(slow_sdk):
    sdk = slow_sdk
    sdk.create_package(cloud_package("web"))
    sdk.create_deployment(cloud_deployment("filtered", "web"))
    assert [d.metadata.name for d in sdk.list_deployments(phases=["InProgress"]).items] == ["filtered"]
    assert sdk.list_deployments(phases=["Succeeded"]).items in ([], None)
    wait_for(lambda: sdk.list_deployments(phases=["Succeeded"]).items or [], lambda items: len(items) == 1,
             what="listed as Succeeded")


def test_offline_device_fails_only_after_the_delay(slow_sdk):
    sdk = slow_sdk
    sdk.create_package(device_package("talker"))
    created = sdk.create_deployment(device_deployment("late-failure", "talker", OFFLINE))
    assert phase_of(created) == ("InProgress", "Pending")
    seen = observe(lambda: sdk.get_deployment("late-failure"), ("FailedToStart", "Error"))
    assert seen[-1] == ("FailedToStart", "Error") and ("Succeeded", "Running") not in seen
    assert "DEP_E151" in sdk.get_deployment("late-failure").status.error_codes


def test_restart_provisions_again(slow_sdk):
    sdk = slow_sdk
    sdk.create_package(cloud_package("web"))
    sdk.create_deployment(cloud_deployment("restarted", "web"))
    observe(lambda: sdk.get_deployment("restarted"), EXPECTED[-1])
    sdk.update_deployment(sdk.get_deployment("restarted"))
    seen = observe(lambda: sdk.get_deployment("restarted"), EXPECTED[-1])
    assert seen[0][0] == "Provisioning" and seen[-1] == EXPECTED[-1], seen
    assert sdk.get_deployment("restarted").metadata.generation == 2


def test_network_phases(slow_sdk):
    sdk = slow_sdk
    created = sdk.create_network(cloud_network("slow-net"))
    assert (created.status.phase, created.status.status) == ("InProgress", "Pending")
    seen = [("InProgress", "Pending")] + observe(
        lambda: sdk.get_network("slow-net"), ("Succeeded", "Running"))
    assert dedupe(seen) == EXPECTED, seen


def test_disk_is_pending_then_available(slow_sdk):
    sdk = slow_sdk
    created = sdk.create_disk(disk("slow-disk"))
    assert created.status.status == "Pending"
    wait_for(lambda: sdk.get_disk("slow-disk").status.status, lambda s: s == "Available", what="disk Available")


def dedupe(states):
    out = []
    for state in states:
        if not out or out[-1] != state:
            out.append(state)
    return out
