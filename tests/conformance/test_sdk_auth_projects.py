"""Authentication, project isolation, injected faults and the request counters
(docs/reference/v1-api.md#authentication, docs/reference/v1-api.md#the-reference-sdk)."""
import pytest

from rapyuta_io.utils.error import (APIError, ForbiddenError, InternalServerError, PackageNotFound,
                                    ResourceNotFoundError, UnauthorizedError)

from .rio_conformance import OTHER_PROJECT, PROJECT, TOKEN, load_manifest


def test_wrong_token_is_unauthorized_everywhere(rio):
    answer, _ = rio.create("cloud-non-ros.json")
    intruder = rio.new_client(token="not-the-token", project=PROJECT)
    with pytest.raises(UnauthorizedError):
        intruder.get_all_packages()
    with pytest.raises(UnauthorizedError):
        intruder.get_package(answer["packageId"])
    with pytest.raises(UnauthorizedError):
        intruder.create_package(load_manifest("talker.json"))
    with pytest.raises(UnauthorizedError):
        intruder.get_all_deployments()
    with pytest.raises(UnauthorizedError):
        intruder.get_all_devices()
    with pytest.raises(UnauthorizedError):
        intruder.get_all_static_routes()
    # nothing was written by the refused create
    assert [p.packageName for p in rio.client.get_all_packages()] == ["cloud-non-ros"]


def test_bearer_prefix_is_accepted(rio):
    client = rio.new_client(token="Bearer " + TOKEN, project=PROJECT)
    rio.create("talker.json")
    assert [p.packageName for p in client.get_all_packages()] == ["talker"]


def test_other_project_does_not_see_the_packages(rio):
    answer, package = rio.create("cloud-non-ros.json")
    deployment, _ = rio.deploy(package, "conf-isolated", package.get_provision_configuration())
    other = rio.new_client(project=OTHER_PROJECT)
    try:
        visible = [p.packageId for p in other.get_all_packages()]
    except ForbiddenError:
        visible = []
    assert answer["packageId"] not in visible
    with pytest.raises((PackageNotFound, ForbiddenError)):
        other.get_package(answer["packageId"])
    try:
        deployments = [d.deploymentId for d in other.get_all_deployments()]
    except ForbiddenError:
        deployments = []
    assert deployment.deploymentId not in deployments
    with pytest.raises((ResourceNotFoundError, ForbiddenError)):
        other.get_deployment(deployment.deploymentId)
    # the owner still sees everything
    assert [p.packageId for p in rio.client.get_all_packages()] == [answer["packageId"]]


def test_stats_count_the_sdk_requests(rio):
    before = rio.emulator.stats()
    rio.client.get_all_packages()
    rio.client.get_all_packages()
    rio.create("talker.json")  # POST /serviceclass/add + GET /serviceclass/status
    after = rio.emulator.stats()
    routes_before, routes_after = before["by_route"], after["by_route"]

    def delta(route):
        return routes_after.get(route, 0) - routes_before.get(route, 0)

    assert delta("GET /v2/catalog") == 2
    assert delta("POST /serviceclass/add") == 1
    assert delta("GET /serviceclass/status") == 1
    assert after["writes"] - before["writes"] == 1
    assert after["reads"] - before["reads"] >= 3
    assert after["total"] - before["total"] >= 4


def test_injected_faults_surface_as_api_errors(rio):
    answer, _ = rio.create("cloud-non-ros.json")
    # every API request answered 503 or dropped: the SDK maps both to APIError (no retry with retry_limit=0)
    rio.emulator.admin("faults", method="POST", body={"rate": 1.0, "latency_ms": 0, "seed": 7})
    try:
        for _ in range(4):
            with pytest.raises(APIError):
                rio.client.get_package(answer["packageId"])
            with pytest.raises(APIError):
                rio.client.get_all_packages()
    finally:
        rio.emulator.admin("faults", method="POST", body={"rate": 0.0})
    assert rio.client.get_package(answer["packageId"]).packageName == "cloud-non-ros"


def test_set_project_switches_every_sub_client(rio):
    answer, _ = rio.create("cloud-non-ros.json")
    client = rio.new_client()
    client.set_project(OTHER_PROJECT)
    assert answer["packageId"] not in [p.packageId for p in client.get_all_packages()]
    # package names are unique per project: the same manifest is no conflict in another project
    other = client.create_package(load_manifest("cloud-non-ros.json"))
    assert other["packageId"] != answer["packageId"]
    assert [p.packageId for p in client.get_all_packages()] == [other["packageId"]]
    client.set_project(PROJECT)
    assert [p.packageId for p in client.get_all_packages()] == [answer["packageId"]]


def test_http_500_retries_of_the_sdk(rio):
    # docs/reference/v1-api.md#sdk-retries: a GET answered 500 is sent 5 times in all (1 s apart), then InternalServerError; a POST only once
    rio.create("cloud-non-ros.json")
    rio.emulator.admin("faults", method="POST", body={"rate": 1.0, "kinds": ["500"], "seed": 1})
    try:
        before = rio.emulator.stats()["by_route"]
        with pytest.raises(InternalServerError):
            rio.client.get_all_packages()
        with pytest.raises(InternalServerError):
            rio.client.create_package(load_manifest("talker.json"))
        after = rio.emulator.stats()["by_route"]
    finally:
        rio.emulator.admin("faults", method="POST", body={"rate": 0.0})
    assert after.get("GET /v2/catalog", 0) - before.get("GET /v2/catalog", 0) == 5
    assert after.get("POST /serviceclass/add", 0) - before.get("POST /serviceclass/add", 0) == 1
    assert [p.packageName for p in rio.client.get_all_packages()] == ["cloud-non-ros"]
