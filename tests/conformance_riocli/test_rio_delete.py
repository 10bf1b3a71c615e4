"""`rio delete -f` of the applied set: reverse dependency order, everything gone but the object labelled
`rapyuta.io/deletionPolicy: retain`, and the deleted deployments listed as Stopped
(docs/reference/v2-api.md#manifest-dependency-order, docs/reference/v2-api.md#deployments)."""
from .harness import ONLINE_ROBOTS, ORGANIZATION_SHORT_ID, run_rio

TALKERS = ["talker-" + robot for robot in ONLINE_ROBOTS]
DELETED = ["deployment:" + name for name in TALKERS] + [
    "deployment:fleet-console", "package:fleet-console:v1.0.0", "package:fleet-talker:v1.0.0",
    "network:fleet-net", "staticroute:fleet-console", "secret:fleet-regcred"]


def _position(output, text):
    index = output.find(text)
    assert index >= 0, "%r not in the output\n%s" % (text, output)
    return index


def test_delete_removes_the_set_in_reverse_order(applied, emulator, manifest_files):
    result = run_rio(emulator, "delete", "-f", "-ri", "1", *manifest_files)
    output = result.output
    for key in DELETED:
        assert "Deleted %s" % key in output, "%s\n%s" % (key, result)
    assert "disk:fleet-logs cannot be deleted since deletion policy is set to 'retain'" in output, str(result)
    assert "Delete successful" in output and "Failed" not in output and "not found" not in output, str(result)

    # dependents first: robots, then the console deployment, then what it used
    console_starts = _position(output, "Deleting deployment:fleet-console")
    for name in TALKERS:
        assert _position(output, "Deleted deployment:" + name) < console_starts
    console_done = _position(output, "Deleted deployment:fleet-console")
    for key in ("package:fleet-console:v1.0.0", "network:fleet-net", "staticroute:fleet-console"):
        assert console_done < _position(output, "Deleting " + key), key
    assert _position(output, "Deleted package:fleet-console:v1.0.0") < _position(output, "Deleting secret:fleet-regcred")

    names = {p["metadata"]["name"] for p in emulator.items("packages")}
    assert not names & {"fleet-console", "fleet-talker"}, names
    for name in ["fleet-console"] + TALKERS:
        assert emulator.v2("/v2/deployments/%s/?guid=" % name)[0] == 404, name
    assert emulator.v2("/v2/networks/fleet-net/")[0] == 404
    assert emulator.v2("/v2/secrets/fleet-regcred/")[0] == 404
    for route in ("fleet-console", "fleet-console-" + ORGANIZATION_SHORT_ID):
        assert emulator.v2("/v2/staticroutes/%s/" % route)[0] == 404, route
    disk = emulator.v2_ok("/v2/disks/fleet-logs/")
    assert disk["metadata"]["labels"]["rapyuta.io/deletionPolicy"] == "retain"
    # its only user has stopped (docs/reference/v2-api.md#disks)
    assert disk["status"]["status"] == "Released", disk["status"]

    stopped = {d["metadata"]["name"]: d for d in emulator.items("deployments", "&phases=Stopped")}
    assert set(stopped) == {"fleet-console"} | set(TALKERS)
    for name, deployment in stopped.items():
        assert (deployment["status"]["phase"], deployment["status"]["status"]) == ("Stopped", "Stopped"), name
        assert deployment["metadata"]["deletedAt"], name

    # riocli exits 0 when everything is already gone: the output says so (docs/reference/v2-api.md#manifests)
    again = run_rio(emulator, "delete", "-f", "-ri", "1", *manifest_files)
    for key in DELETED:
        assert "%s not found" % key in again.output, "%s\n%s" % (key, again)


def test_stopped_deployments_listed_with_their_stop_time(applied, emulator, manifest_files):
    live = {name: emulator.v2_ok("/v2/deployments/%s/?guid=" % name)["metadata"]["guid"]
            for name in ["fleet-console"] + TALKERS}
    run_rio(emulator, "delete", "-f", "-ri", "1", *manifest_files)

    listed = run_rio(emulator, "deployment", "list", "--phase", "Stopped", "-w")
    assert "Stopped Time (UTC)" in listed.output, str(listed)
    for name, guid in live.items():
        rows = [line.split() for line in listed.output.splitlines() if line.split()[:1] == [name]]
        assert len(rows) == 1, "%s\n%s" % (name, listed)
        assert "Stopped" in rows[0] and guid in rows[0], rows[0]
        # the last cell is metadata.deletedAt, a timestamp after the guid
        assert rows[0][-1] != guid and rows[0][-1][:2] == "20", rows[0]

    default = run_rio(emulator, "deployment", "list")
    for name in live:
        assert not [line for line in default.output.splitlines() if line.split()[:1] == [name]], str(default)
