"""v2 deployment phases over time and every failure cause (DEP_E151/E153/E156/E162/E171), restart and stop."""
from emulator_helpers import DOCKER_AMD64, DOCKER_ARM64, NOETIC, OFFLINE, make_api, manifest

from .deployment_helpers import (cloud_package, create, create_package, deployment, device_deployment,
                                 device_package, get, listed, phase)


def test_phases_progress_with_elapsed_time(slow_api):
    api = slow_api
    create_package(api, cloud_package())
    create(api, deployment("web-dep"))
    seen = []
    for _ in range(4):
        seen.append(phase(api, "web-dep"))
        api.clock.advance(4)
    assert seen == [("InProgress", "Pending", []), ("InProgress", "Pending", []), ("Provisioning", "Pending", []),
                    ("Succeeded", "Running", [])]
    assert get(api, "web-dep")["status"]["executables_status"]["web"]["status"] == "running"


def test_executables_wait_while_the_deployment_is_in_progress(slow_api):
    create_package(slow_api, cloud_package())
    created = create(slow_api, deployment("web-dep"))
    assert created["status"]["phase"] == "InProgress"
    assert created["status"]["executables_status"]["web"] == {"name": "web", "status": "pending",
                                                              "image": "nginx:alpine", "restart_count": 0}


def test_failures_show_only_after_the_phase_delay(slow_api):
    api = slow_api
    create_package(api, device_package())
    device_deployment(api, "talker-dep", device=OFFLINE)
    assert phase(api, "talker-dep") == ("InProgress", "Pending", [])
    api.clock.advance(10)
    assert phase(api, "talker-dep") == ("FailedToStart", "Error", ["DEP_E151"])


def test_offline_device_is_dep_e151(api):
    create_package(api, device_package())
    device_deployment(api, "talker-dep", device="offline")
    status = get(api, "talker-dep")["status"]
    assert (status["phase"], status["status"], status["error_codes"]) == ("FailedToStart", "Error", ["DEP_E151"])
    talker = status["executables_status"]["talker"]
    assert talker["status"] == "error" and talker["error_code"] == "DEP_E151" and "offline" in talker["reason"]


def test_architecture_mismatch_is_dep_e162(api):
    create_package(api, device_package())
    device_deployment(api, "talker-dep", device=DOCKER_ARM64)
    assert phase(api, "talker-dep") == ("FailedToStart", "Error", ["DEP_E162"])
    assert "architecture amd64" in get(api, "talker-dep")["status"]["executables_status"]["talker"]["reason"]
    create_package(api, device_package(name="arm", arch="arm64v8"))
    device_deployment(api, "arm-dep", device=DOCKER_ARM64, package="arm")
    assert phase(api, "arm-dep") == ("Succeeded", "Running", [])


def test_ros_distro_mismatch_is_dep_e162(api):
    create_package(api, device_package())
    device_deployment(api, "talker-dep", device=NOETIC)
    assert phase(api, "talker-dep")[2] == ["DEP_E162"]
    assert "ROS distro melodic" in get(api, "talker-dep")["status"]["executables_status"]["talker"]["reason"]
    create_package(api, device_package(name="noetic-talker", distro="noetic"))
    device_deployment(api, "noetic-dep", device=NOETIC, package="noetic-talker")
    assert phase(api, "noetic-dep") == ("Succeeded", "Running", [])


def test_offline_wins_over_validation(api):
    create_package(api, device_package(arch="arm64v8"))
    device_deployment(api, "talker-dep", device=OFFLINE)
    assert phase(api, "talker-dep")[2] == ["DEP_E151"]


def test_missing_image_tag_is_dep_e153_on_the_failing_executable_only(api):
    executables = [{"name": "ok", "type": "docker", "docker": {"image": "nginx:alpine"}},
                   {"name": "bad", "type": "docker", "docker": {"image": "nginx:missing"}}]
    create_package(api, cloud_package(executables=executables))
    create(api, deployment("web-dep"))
    status = get(api, "web-dep")["status"]
    # The platform keeps retrying a pull: Provisioning with the error attached (what `rio deployment wait` checks).
    assert (status["phase"], status["status"], status["error_codes"]) == ("Provisioning", "Error", ["DEP_E153"])
    assert status["executables_status"]["ok"]["status"] == "pending"
    bad = status["executables_status"]["bad"]
    assert bad["status"] == "error" and bad["error_code"] == "DEP_E153" and "nginx:missing" in bad["reason"]


def test_image_pull_wins_over_alias_and_loses_to_the_device(api):
    create_package(api, device_package(image="ros:missing"))
    device_deployment(api, "a", device=DOCKER_AMD64)
    device_deployment(api, "b", device=OFFLINE)
    assert phase(api, "a")[2] == ["DEP_E153"] and phase(api, "b")[2] == ["DEP_E151"]


def test_dependency_that_is_not_running_is_dep_e156(api):
    create_package(api, cloud_package(name="broken", image="nginx:missing"))
    create_package(api, cloud_package())
    create(api, deployment("base", package="broken"))
    create(api, deployment("child", depends=["base"]))
    status = get(api, "child")["status"]
    assert (status["phase"], status["error_codes"]) == ("FailedToStart", ["DEP_E156"])
    assert "DEP_E153" in status["executables_status"]["web"]["reason"]
    base = status["dependencies"]["deployments"][0]
    assert (base["name"], base["phase"], base["status"], base["error_codes"]) == \
        ("base", "Provisioning", "Error", ["DEP_E153"])


def test_dependency_check_is_dynamic(slow_api):
    api = slow_api
    create_package(api, cloud_package())
    create_package(api, device_package())
    device_deployment(api, "robot", device=DOCKER_AMD64)
    create(api, deployment("cloud", depends=["robot"]))
    api.clock.advance(10)
    assert phase(api, "cloud") == ("Succeeded", "Running", [])
    api.client.post("/_emulator/devices/" + DOCKER_AMD64, json={"project": "project-test", "status": "OFFLINE"})
    restarted = api.patch("/v2/deployments/robot/", json=get(api, "robot"))
    assert restarted.status_code == 200
    api.clock.advance(10)
    assert phase(api, "robot") == ("FailedToUpdate", "Error", ["DEP_E151"])
    assert phase(api, "cloud") == ("FailedToStart", "Error", ["DEP_E156"])


def test_dependency_on_a_stopped_incarnation_by_guid_is_dep_e156(api):
    create_package(api, cloud_package())
    old = create(api, deployment("base"))["metadata"]["guid"]
    api.delete("/v2/deployments/base/")
    create(api, deployment("late", depends=[old]))
    assert phase(api, "late")[2] == ["DEP_E156"]
    assert get(api, "late")["status"]["dependencies"]["deployments"][0]["phase"] == "Stopped"


def _v1_alias(api, name, alias):
    pkg = api.create_package(manifest("scoped-cloud.json"))["packageId"]
    component = api.package(pkg)["plans"][0]["internalComponents"][0]["componentName"]
    return api.provision(pkg, name=name, extra_params={component: {"bridge_params": {"alias": alias,
                                                                                     "setROSNamespace": False}}})


def test_name_used_as_a_v1_bridge_alias_is_dep_e171(api):
    v1 = _v1_alias(api, "v1-dep", "shared")
    create_package(api, cloud_package(name="ros-web", ros={"enabled": True, "version": "melodic"}))
    create_package(api, cloud_package())
    create(api, deployment("shared", package="ros-web"))
    status = get(api, "shared")["status"]
    assert (status["phase"], status["error_codes"]) == ("FailedToStart", ["DEP_E171"])
    assert "v1-dep" in status["executables_status"]["web"]["reason"]
    # Without ROS there is no bridge, so no alias to clash.
    api.delete("/v2/deployments/shared/")
    create(api, deployment("shared"))
    assert phase(api, "shared") == ("Succeeded", "Running", [])
    # Once the v1 deployment stopped, the alias is free again.
    api.delete("/v2/deployments/shared/")
    api.delete("/v2/service_instances/" + v1)
    create(api, deployment("shared", package="ros-web"))
    assert phase(api, "shared") == ("Succeeded", "Running", [])


def test_restart_bumps_the_generation_and_provisions_again(api):
    create_package(api, cloud_package())
    created = create(api, deployment("web-dep", nulls=True))
    answer = api.patch("/v2/deployments/web-dep/", json=created)
    assert answer.status_code == 200, answer.text
    restarted = answer.json()
    assert restarted["metadata"]["generation"] == 2 and restarted["metadata"]["guid"] == created["metadata"]["guid"]
    # Visible as Provisioning for at least a second even with --phase-delay 0.
    assert restarted["status"]["phase"] == "Provisioning"
    api.clock.advance(1)
    assert phase(api, "web-dep") == ("Succeeded", "Running", [])


def test_restart_takes_at_least_the_phase_delay(slow_api):
    create_package(slow_api, cloud_package())
    create(slow_api, deployment("web-dep"))
    slow_api.clock.advance(10)
    slow_api.patch("/v2/deployments/web-dep/", json={})
    slow_api.clock.advance(9)
    assert phase(slow_api, "web-dep")[0] == "Provisioning"
    slow_api.clock.advance(1)
    assert phase(slow_api, "web-dep")[0] == "Succeeded"


def test_restart_ignores_spec_changes_and_sees_the_device_as_it_is_now(api):
    create_package(api, device_package())
    body = device_deployment(api, "talker-dep", device="offline")
    assert phase(api, "talker-dep")[2] == ["DEP_E151"]
    api.client.post("/_emulator/devices/" + OFFLINE, json={"project": "project-test", "status": "ONLINE"})
    body["spec"]["restart"] = "never"
    api.patch("/v2/deployments/talker-dep/", json=body)
    api.clock.advance(1)
    after = get(api, "talker-dep")
    assert (after["status"]["phase"], after["status"]["status"]) == ("Succeeded", "Running")
    assert "restart" not in after["spec"]


def test_restart_keeps_an_image_pull_error(api):
    create_package(api, cloud_package(image="nginx:missing"))
    create(api, deployment("web-dep"))
    api.patch("/v2/deployments/web-dep/", json={})
    api.clock.advance(1)
    assert phase(api, "web-dep") == ("Provisioning", "Error", ["DEP_E153"])


def test_stopped_deployment_reads_as_stopped(api):
    create_package(api, cloud_package())
    guid = create(api, deployment("web-dep"))["metadata"]["guid"]
    api.clock.advance(5)
    assert api.delete("/v2/deployments/web-dep/").json() == {"success": True}
    stopped = get(api, "web-dep", guid)
    assert (stopped["status"]["phase"], stopped["status"]["status"]) == ("Stopped", "Stopped")
    assert stopped["status"]["executables_status"]["web"]["status"] == "terminated"
    assert stopped["metadata"]["deletedAt"] > stopped["metadata"]["createdAt"]
    assert listed(api, phases=["Stopped"]) == ["web-dep"]


def test_phase_delay_and_faults_apply_to_v2_routes():
    api = make_api(fault_rate=1.0, fault_kinds=["503"], seed=1)
    answer = api.post("/v2/deployments/", json=deployment("web-dep"))
    assert answer.status_code == 503 and answer.json() == {"error": "service unavailable (injected fault)"}
    assert api.client.get("/_emulator/stats").json()["by_route"] == {"POST /v2/deployments/": 1}
