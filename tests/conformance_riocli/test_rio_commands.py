"""riocli's read and lifecycle commands on the applied fleet set: package, deployment, network, disk and
device commands (docs/reference/v2-api.md#packages, docs/reference/v2-api.md#deployments,
docs/reference/v2-api.md#restart, docs/reference/v2-api.md#deletion-and-incarnations,
docs/reference/v2-api.md#networks, docs/reference/v2-api.md#disks, docs/reference/v2-api.md#devices).

riocli exits 0 on some failures (`rio deployment wait` giving up prints "Try again"), so every test
reads the output as well as the exit status."""
import json

from .harness import ONLINE_ROBOTS, run_rio

TALKERS = ["talker-" + robot for robot in ONLINE_ROBOTS]


def _rows(output, name, anywhere=False):
    """Table rows of riocli's output whose first cell (or, with `anywhere`, any cell) is `name`."""
    rows = [line.split() for line in output.splitlines()]
    return [row for row in rows if (name in row if anywhere else row[:1] == [name])]


def test_package_list_and_inspect(applied, emulator):
    listed = run_rio(emulator, "package", "list")
    for name in ("fleet-console", "fleet-talker"):
        rows = _rows(listed.output, name)
        assert len(rows) == 1 and "v1.0.0" in rows[0], str(listed)

    inspected = run_rio(emulator, "package", "inspect", "fleet-console", "--version", "v1.0.0", "-f", "json")
    package = json.loads(inspected.stdout)
    assert (package["metadata"]["name"], package["metadata"]["version"]) == ("fleet-console", "v1.0.0")
    assert package["metadata"]["guid"].startswith("pkg-")
    assert package["spec"]["runtime"] == "cloud"
    assert package["spec"]["executables"][0]["docker"]["image"] == "registry.example.com/fleet/console:1.0.0"
    assert package["spec"]["endpoints"][0]["name"] == "http"

    missing = run_rio(emulator, "package", "inspect", "fleet-console", "--version", "v9.9.9", expect_ok=False)
    assert missing.returncode != 0 and "not found" in missing.output.lower(), str(missing)


def test_deployment_list_inspect_status_wait(applied, emulator):
    listed = run_rio(emulator, "deployment", "list", "-w")
    guids = {}
    for name in ["fleet-console"] + TALKERS:
        rows = _rows(listed.output, name)
        assert len(rows) == 1, "%s\n%s" % (name, listed)
        assert "Succeeded" in rows[0] and "Running" in rows[0], rows[0]
        guids[name] = next(cell for cell in rows[0] if cell.startswith("dep-"))

    on_robot = run_rio(emulator, "deployment", "list", "--device", "fleet-robot-2")
    assert _rows(on_robot.output, "talker-fleet-robot-2") and not _rows(on_robot.output, "talker-fleet-robot-1") \
        and not _rows(on_robot.output, "fleet-console"), str(on_robot)
    labelled = run_rio(emulator, "deployment", "list", "-l", "robot=fleet-robot-3")
    assert [r[0] for r in _rows(labelled.output, "talker-fleet-robot-3")] == ["talker-fleet-robot-3"]
    assert not _rows(labelled.output, "talker-fleet-robot-1"), str(labelled)

    by_name = json.loads(run_rio(emulator, "deployment", "inspect", "talker-fleet-robot-1", "-f", "json").stdout)
    assert by_name["metadata"]["guid"] == guids["talker-fleet-robot-1"]
    assert by_name["spec"]["device"]["depends"]["nameOrGUID"] == "fleet-robot-1"
    assert by_name["status"]["phase"] == "Succeeded"
    by_guid = json.loads(run_rio(emulator, "deployment", "inspect", guids["fleet-console"], "-f", "json").stdout)
    assert by_guid["metadata"]["name"] == "fleet-console"

    status = run_rio(emulator, "deployment", "status", "fleet-console")
    assert status.stdout.strip() == "Running", str(status)

    waited = run_rio(emulator, "deployment", "wait", "talker-fleet-robot-3")
    assert "Phase: Succeeded Status: Running" in waited.output and "Try again" not in waited.output, str(waited)


def test_deployment_restart(applied, emulator):
    before = emulator.v2_ok("/v2/deployments/fleet-console/?guid=")
    restarted = run_rio(emulator, "deployment", "restart", "fleet-console", "-f")
    assert "Restarted" in restarted.output and "updated successfully" in restarted.output, str(restarted)
    after = emulator.v2_ok("/v2/deployments/fleet-console/?guid=")
    assert after["metadata"]["guid"] == before["metadata"]["guid"]
    assert after["metadata"]["generation"] == before["metadata"]["generation"] + 1, after["metadata"]
    # the restarted deployment runs again; `rio deployment wait` polls through the restart
    waited = run_rio(emulator, "deployment", "wait", "fleet-console")
    assert "Phase: Succeeded Status: Running" in waited.output, str(waited)
    for name in TALKERS:
        assert emulator.v2_ok("/v2/deployments/%s/?guid=" % name)["metadata"]["generation"] == 1, name


def test_deployment_delete(applied, emulator):
    deleted = run_rio(emulator, "deployment", "delete", "talker-fleet-robot-2", "-f")
    assert "Deployment(s) deleted successfully" in deleted.output, str(deleted)
    assert emulator.v2("/v2/deployments/talker-fleet-robot-2/?guid=")[0] == 404
    stopped = emulator.items("deployments", "&phases=Stopped")
    assert [d["metadata"]["name"] for d in stopped] == ["talker-fleet-robot-2"]
    assert stopped[0]["status"]["phase"] == "Stopped" and stopped[0]["metadata"]["deletedAt"]

    listed = run_rio(emulator, "deployment", "list")
    assert not _rows(listed.output, "talker-fleet-robot-2"), str(listed)
    assert _rows(listed.output, "talker-fleet-robot-1") and _rows(listed.output, "fleet-console"), str(listed)
    gone = run_rio(emulator, "deployment", "status", "talker-fleet-robot-2", expect_ok=False)
    assert gone.returncode != 0 and "Running" not in gone.output, str(gone)
    nothing = run_rio(emulator, "deployment", "delete", "talker-fleet-robot-2", "-f")
    assert "Deployment(s) not found" in nothing.output, str(nothing)


def test_network_disk_and_device_lists(applied, emulator):
    networks = run_rio(emulator, "network", "list")
    rows = _rows(networks.output, "fleet-net", anywhere=True)
    assert len(rows) == 1 and "routed" in rows[0] and "cloud" in rows[0], str(networks)
    native_only = run_rio(emulator, "network", "list", "--network", "native")
    assert not _rows(native_only.output, "fleet-net", anywhere=True), str(native_only)

    disks = run_rio(emulator, "disk", "list")
    rows = _rows(disks.output, "fleet-logs", anywhere=True)
    assert len(rows) == 1 and "Bound" in rows[0] and rows[0][-1] == "fleet-console", str(disks)

    devices = run_rio(emulator, "device", "list")
    for robot, status in [(robot, "ONLINE") for robot in ONLINE_ROBOTS] + [("fleet-robot-spare", "OFFLINE")]:
        rows = _rows(devices.output, robot, anywhere=True)
        assert len(rows) == 1 and status in rows[0], "%s\n%s" % (robot, devices)
