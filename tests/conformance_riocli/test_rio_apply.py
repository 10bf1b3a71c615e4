"""`rio apply -f` of the fleet manifest set converges, and applying it again writes nothing but the
create attempts riocli always makes (docs/reference/v2-api.md#manifests)."""
import re

from .harness import ONLINE_ROBOTS, ORGANIZATION_SHORT_ID, SET_KEYS, run_rio, stats_delta

TALKERS = ["talker-" + robot for robot in ONLINE_ROBOTS]
DEPLOYMENTS = ["fleet-console"] + TALKERS
COLLECTIONS = ("packages", "deployments", "networks", "disks", "staticroutes", "secrets")


def _route(key):
    """`PUT /v2/secrets/{name}/` -> `PUT /v2/secrets/{}/`: the parameter's name is the emulator's business."""
    return re.sub(r"\{[^}]*\}", "{}", key)


def _by_name(items):
    return {item["metadata"]["name"]: item for item in items}


def test_apply_reports_every_object_created(applied):
    for key in SET_KEYS + tuple("deployment:" + name for name in TALKERS):
        assert "Created %s" % key in applied.output, "%s not created\n%s" % (key, applied)
    assert "Apply successful" in applied.output, str(applied)
    assert "Failed" not in applied.output, str(applied)


def test_apply_creates_packages_as_sent(applied, emulator):
    packages = {(p["metadata"]["name"], p["metadata"]["version"]): p for p in emulator.items("packages")}
    assert set(packages) == {("fleet-console", "v1.0.0"), ("fleet-talker", "v1.0.0")}
    console = packages[("fleet-console", "v1.0.0")]
    assert console["kind"] == "Package" and console["metadata"]["guid"].startswith("pkg-")
    assert console["metadata"]["labels"] == {"app": "fleet-demo"}
    assert console["spec"]["runtime"] == "cloud" and console["spec"]["cloud"] == {"replicas": 1}
    executable = console["spec"]["executables"][0]
    # sdk-v2 wraps a runAsBash command once before sending; the server keeps what it got.
    assert executable["command"] == ["/bin/bash", "-c", "console --port 8080"]
    assert executable["docker"]["pullSecret"]["depends"] == {"kind": "secret", "nameOrGUID": "fleet-regcred"}
    assert console["spec"]["endpoints"][0]["type"] == "external-https"
    talker = packages[("fleet-talker", "v1.0.0")]
    assert talker["spec"]["runtime"] == "device" and talker["spec"]["device"]["arch"] == "amd64"
    assert talker["spec"]["ros"]["version"] == "noetic"


def test_apply_deployments_reach_succeeded_running(applied, emulator):
    deployments = _by_name(emulator.items("deployments"))
    assert set(deployments) == set(DEPLOYMENTS)
    for name, deployment in deployments.items():
        assert deployment["metadata"]["guid"].startswith("dep-"), name
        assert (deployment["status"]["phase"], deployment["status"]["status"]) == ("Succeeded", "Running"), \
            "%s: %s" % (name, deployment["status"])
        assert not deployment["status"].get("error_codes"), deployment["status"]
    console = deployments["fleet-console"]
    assert console["metadata"]["depends"] == {"kind": "package", "nameOrGUID": "fleet-console", "version": "v1.0.0"}
    assert console["spec"]["volumes"][0]["depends"]["nameOrGUID"] == "fleet-logs"
    assert console["spec"]["staticRoutes"][0]["depends"]["nameOrGUID"] == "fleet-console"
    for robot in ONLINE_ROBOTS:
        talker = deployments["talker-" + robot]
        assert talker["spec"]["runtime"] == "device"
        assert talker["spec"]["device"]["depends"]["nameOrGUID"] == robot
        assert talker["spec"]["depends"][0]["nameOrGUID"] == "fleet-console"
        assert talker["metadata"]["labels"] == {"app": "fleet-demo", "robot": robot}
        assert talker["status"]["executables_status"]["talker"]["status"] == "running", talker["status"]
        on_robot = emulator.items("deployments", "&deviceName=" + robot)
        assert [d["metadata"]["name"] for d in on_robot] == ["talker-" + robot]


def test_apply_creates_the_related_resources(applied, emulator):
    network = emulator.v2_ok("/v2/networks/fleet-net/")
    assert network["spec"]["type"] == "routed" and network["spec"]["runtime"] == "cloud"
    assert network["status"]["phase"] == "Succeeded", network["status"]

    disk = emulator.v2_ok("/v2/disks/fleet-logs/")
    assert disk["spec"]["capacity"] == 8
    # mounted by the live console deployment (docs/reference/v2-api.md#disks)
    assert disk["status"]["status"] == "Bound", disk["status"]
    assert disk["status"]["diskBound"]["deployment_name"] == "fleet-console", disk["status"]

    full_name = "fleet-console-" + ORGANIZATION_SHORT_ID
    route = emulator.v2_ok("/v2/staticroutes/fleet-console/")
    assert route["metadata"]["name"] == full_name
    assert route["spec"]["sourceIPRange"] == ["10.0.0.0/8"]
    assert route["spec"]["url"].startswith(full_name)
    assert emulator.v2_ok("/v2/staticroutes/%s/" % full_name)["metadata"]["guid"] == route["metadata"]["guid"]

    secret = emulator.v2_ok("/v2/secrets/fleet-regcred/")
    assert secret["spec"]["type"] == "Docker"
    assert "fleet-bot-registry-password" not in str(secret), "a secret answer carries the password"


def _snapshot(emulator):
    return {collection: _by_name(emulator.items(collection)) for collection in COLLECTIONS}


def test_apply_again_exists_and_writes_nothing(applied, emulator, manifest_files):
    """The re-run sends exactly: one create per object (answered 409), then riocli's update for the two
    kinds it can update (Secret, StaticRoute: a PUT of the same manifest), and before each robot's
    create its dependency wait (one list read). Nothing else is written and nothing changes."""
    before_objects = _snapshot(emulator)
    before = emulator.stats()
    again = run_rio(emulator, "apply", "-f", "-ri", "1", *manifest_files)
    delta = stats_delta(before, emulator.stats())

    for key in ("disk:fleet-logs", "network:fleet-net", "package:fleet-console:v1.0.0",
                "package:fleet-talker:v1.0.0") + tuple("deployment:" + name for name in DEPLOYMENTS):
        assert "%s already exists" % key in again.output, "%s\n%s" % (key, again)
    for key in ("secret:fleet-regcred", "staticroute:fleet-console"):
        assert "Updated %s" % key in again.output, "%s\n%s" % (key, again)
    assert "Created" not in again.output and "Failed" not in again.output, str(again)

    routes = {}
    for key, count in delta["by_route"].items():
        routes[_route(key)] = routes.get(_route(key), 0) + count
    creates = {"POST /v2/secrets/": 1, "POST /v2/disks/": 1, "POST /v2/networks/": 1, "POST /v2/staticroutes/": 1,
               "POST /v2/packages/": 2, "POST /v2/deployments/": len(DEPLOYMENTS)}
    updates = {"PUT /v2/secrets/{}/": 1, "PUT /v2/staticroutes/{}/": 1}
    reads = {"GET /v2/deployments/": len(TALKERS)}
    assert routes == dict(creates, **updates, **reads), delta
    assert delta["by_status"].get("409") == sum(creates.values()), delta
    assert delta["writes"] == sum(creates.values()) + sum(updates.values()), delta

    # riocli's PUTs of an unchanged secret and static route leave them as they were, updatedAt included.
    assert _snapshot(emulator) == before_objects
