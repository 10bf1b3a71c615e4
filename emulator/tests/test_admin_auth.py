"""Auth, tenancy, the admin API (health, stats, reset, faults) and the status page."""

from emulator_helpers import AUTH, DOCKER_AMD64, PROJECT, manifest
from rio_emulator.app import DroppedConnection


def test_missing_or_wrong_token_is_401(api):
    for headers in ({"Authorization": ""}, {"Authorization": "Bearer nope"}, {"Authorization": "test-token"}):
        answer = api.get("/v2/catalog", headers=headers)
        assert answer.status_code == 401 and answer.json()["error"]


def test_projects_are_isolated(api):
    mine = api.create_package(manifest("cloud-non-ros.json"))["packageId"]
    dep = api.provision(mine)
    other = {"project": "project-other"}
    services = api.get("/v2/catalog", headers=other).json()["services"]
    assert [s["id"] for s in services] == ["io-public-persistent-volume"]
    assert api.get("/serviceclass/status", params={"package_uid": mine}, headers=other).status_code == 404
    assert api.get("/serviceinstance/" + dep, headers=other).status_code == 404
    assert api.get("/deployment/list", headers=other).json() == []
    assert api.get("/api/device-manager/v0/devices/", headers=other).json()["response"]["data"] == []
    assert api.get("/api/device-manager/v0/devices/" + DOCKER_AMD64, headers=other).status_code == 404
    theirs = api.post("/serviceclass/add", json=manifest("cloud-non-ros.json"), headers=other)
    assert theirs.status_code == 200  # same name+version is free in another project
    assert api.delete("/serviceclass/delete", params={"package_uid": theirs.json()["packageId"]}).status_code == 404


def test_requests_without_project_act_in_the_default_project(api):
    answer = api.get("/api/device-manager/v0/devices/", headers={"project": ""})
    assert len(answer.json()["response"]["data"]) == 6


def test_admin_routes_need_no_auth_and_are_not_counted(api):
    api.get("/v2/catalog")
    api.get("/serviceinstance/dep-a")
    api.get("/serviceinstance/dep-b")
    api.post("/serviceclass/add", json={})
    plain = api.client
    assert plain.get("/_emulator/health").json()["status"] == "ok"
    stats = plain.get("/_emulator/stats").json()
    assert stats["total"] == 4 and stats["reads"] == 3 and stats["writes"] == 1
    assert stats["by_route"] == {"GET /v2/catalog": 1, "GET /serviceinstance/{deployment_id}": 2,
                                 "POST /serviceclass/add": 1}
    plain.get("/")
    assert plain.get("/_emulator/stats").json()["total"] == 4


def test_unauthorized_and_unknown_routes_are_counted(api):
    api.get("/v2/catalog", headers={"Authorization": ""})
    api.get("/no/such/route")
    stats = api.client.get("/_emulator/stats").json()
    assert stats["by_route"]["GET /v2/catalog"] == 1 and stats["total"] == 2
    assert api.get("/no/such/route").status_code == 404


def test_reset_counters_only_and_full_reset(api):
    api.create_package(manifest("cloud-non-ros.json"))
    api.post("/api/device-manager/v0/config_variables/device/" + DOCKER_AMD64, json={"key": "k", "value": "v"})
    assert api.client.post("/_emulator/stats/reset").json()["total"] == 0
    api.get("/v2/catalog")
    api.client.post("/_emulator/reset", params={"counters_only": "true"})
    assert api.client.get("/_emulator/stats").json()["total"] == 0
    assert len(api.get("/v2/catalog").json()["services"]) == 2
    api.client.post("/_emulator/reset")
    assert api.client.get("/_emulator/stats").json()["total"] == 0
    assert len(api.get("/v2/catalog").json()["services"]) == 1
    keys = [v["key"] for v in api.get("/api/device-manager/v0/config_variables/device/" + DOCKER_AMD64).json()[
        "response"]["data"]]
    assert "k" not in keys and "runtime" in keys  # fleet re-seeded


def test_faults_configuration(api):
    assert api.client.post("/_emulator/faults", json={"rate": 2}).status_code == 400
    assert api.client.post("/_emulator/faults", content=b"[]").status_code == 400
    answer = api.client.post("/_emulator/faults", content=b'{"rate": 1, "latency_ms": 5, "seed": 3}').json()
    assert answer["rate"] == 1.0 and answer["latency_ms"] == 5.0 and answer["seed"] == 3
    outcomes = []
    for _ in range(30):
        try:
            outcomes.append(api.get("/v2/catalog").status_code)
        except DroppedConnection:
            outcomes.append("drop")
    assert set(outcomes) == {503, 200, "drop"}  # 200 = delayed, then answered
    injected = api.client.get("/_emulator/faults").json()["injected"]
    assert sum(injected.values()) == 30
    assert api.client.get("/_emulator/health").status_code == 200  # admin never faulted
    api.client.post("/_emulator/faults", json={"rate": 0})
    assert api.get("/v2/catalog").status_code == 200


def _sequence(seed):
    from emulator_helpers import make_api
    api = make_api(fault_rate=0.5, fault_latency_ms=1, seed=seed)
    out = []
    for _ in range(40):
        try:
            out.append(api.get("/v2/catalog").status_code)
        except DroppedConnection:
            out.append("drop")
    return out


def test_faults_are_reproducible_with_a_seed():
    assert _sequence(7) == _sequence(7)
    assert _sequence(7) != _sequence(8)


def test_status_page_lists_devices_packages_and_deployments(api):
    pkg = api.create_package(manifest("talker-docker.json"))["packageId"]
    api.provision(pkg, name="watch-me", devices={"default": DOCKER_AMD64})
    page = api.client.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    text = page.text
    assert 'http-equiv="refresh"' in text
    for needle in ("docker-amd64", "talker-docker", "watch-me", "Succeeded", PROJECT):
        assert needle in text
    assert AUTH["Authorization"] not in text


def test_login_returns_the_token_without_auth(api):
    answer = api.client.post("/user/login", params={"type": "high"}, json={"email": "a@b.c", "password": "x"})
    assert answer.status_code == 200 and answer.json() == {"data": {"token": "test-token"}}
    assert api.client.post("/user/login", json={}).status_code == 400


def test_selection_query_counts_as_a_read(api):
    api.post("/api/device-manager/v0/selection/query/", json={})
    stats = api.client.get("/_emulator/stats").json()
    assert stats["reads"] == 1 and stats["writes"] == 0


def test_500_faults_on_request(api):
    assert api.client.post("/_emulator/faults", json={"rate": 1, "kinds": ["500"]}).json()["kinds"] == ["500"]
    answer = api.get("/v2/catalog")
    assert answer.status_code == 500 and "injected" in answer.json()["error"]
    assert api.client.post("/_emulator/faults", json={"rate": 1, "kinds": ["404"]}).status_code == 400
    assert api.client.post("/_emulator/faults", json={"rate": 1, "kinds": "500"}).status_code == 400


def test_openapi_document_is_served_under_the_admin_prefix(api):
    document = api.client.get("/_emulator/openapi.json").json()
    assert "/serviceclass/add" in document["paths"] and "/v2/service_instances/{instance_id}" in document["paths"]
    assert api.client.get("/_emulator/stats").json()["total"] == 0
