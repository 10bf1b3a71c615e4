"""The collection and riocli on the same objects: what `rio apply -f` made, `rapyuta.rio.rio_resource` sees
as converged; what the collection made, riocli lists, inspects and deletes; a deployment that riocli
re-made differently is drift to the collection, naming the fields
(docs/reference/v2-api.md#manifests, docs/reference/v2-api.md#deployments).

The collection runs as a user who ran `rio auth login` would run it: the main venv's `ansible-playbook`
with no connection option and no RIO_* variable, so every setting comes from riocli's config file
(RIO_CONFIG). The playbook (playbooks/apply_manifests.yml) records the module's result, failure included,
in a JSON file for the test to read.
"""
import copy
import json
import os
import subprocess

import pytest
import yaml

from .harness import ONLINE_ROBOTS, ROOT, TOKEN, robot_documents, run_rio, set_documents, stats_delta

ANSIBLE_PLAYBOOK = os.path.join(ROOT, ".venv", "bin", "ansible-playbook")
PLAYBOOK = os.path.join(os.path.dirname(os.path.abspath(__file__)), "playbooks", "apply_manifests.yml")
PLAYBOOK_TIMEOUT = 300
TALKERS = ["talker-" + robot for robot in ONLINE_ROBOTS]
DEPLOYMENTS = ["fleet-console"] + TALKERS
COLLECTIONS = ("packages", "deployments", "networks", "disks", "staticroutes", "secrets")
# What the server adds to an object; the rest is what the client sent (docs/reference/v2-api.md#object-envelope).
SERVER_METADATA = ("guid", "createdAt", "updatedAt", "deletedAt", "creatorGUID", "projectGUID", "organizationGUID",
                   "generation", "shortGUID")
PASSWORD = "fleet-bot-registry-password"
EDITED_ROBOT = "talker-fleet-robot-2"


@pytest.fixture(scope="module")
def set_file(emulator):
    """The shared set and the robots' deployments in one multi-document file, as riocli users keep manifests:
    one task applies (and deletes) them in order."""
    path = os.path.join(emulator.workdir, "interop-set.yaml")
    with open(path, "w") as handle:
        yaml.safe_dump_all(set_documents() + robot_documents(ONLINE_ROBOTS), handle, sort_keys=False)
    return path


class Playbook:
    def __init__(self, proc, result):
        self.returncode, self.output, self.result = proc.returncode, proc.stdout + proc.stderr, result

    def __str__(self):
        return "ansible-playbook -> exit %s\n%s\nresult: %s" % (
            self.returncode, self.output[-4000:], json.dumps(self.result, indent=1)[-4000:])


def run_collection(emulator, src, **extra_vars):
    """playbooks/apply_manifests.yml on `src` with the main venv's ansible-playbook; the module's result."""
    result_file = os.path.join(emulator.workdir, "collection-result.json")
    if os.path.exists(result_file):
        os.remove(result_file)
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("RIO_", "ANSIBLE_", "PYTHON", "VIRTUAL_ENV"))}
    env.update(RIO_CONFIG=emulator.config_path, ANSIBLE_CONFIG=os.path.join(ROOT, "ansible.cfg"),
               HOME=emulator.workdir, ANSIBLE_NOCOLOR="1")
    variables = dict(extra_vars, src=src, result_file=result_file)
    proc = subprocess.run([ANSIBLE_PLAYBOOK, "-i", "localhost,", "-c", "local",
                           "-e", "ansible_python_interpreter={{ ansible_playbook_python }}",
                           "-e", json.dumps(variables), PLAYBOOK],
                          capture_output=True, text=True, env=env, cwd=ROOT, timeout=PLAYBOOK_TIMEOUT,
                          stdin=subprocess.DEVNULL)
    result = None
    if os.path.exists(result_file):
        with open(result_file) as handle:
            result = json.load(handle)
    run = Playbook(proc, result)
    assert proc.returncode == 0 and result is not None, str(run)
    # the token and the registry password stay out of everything the collection prints
    for secret in (TOKEN, PASSWORD):
        assert secret not in run.output and secret not in json.dumps(result), "a secret is shown\n%s" % run
    return run


def actions(result):
    return {(entry["kind"], entry["name"]): entry["action"] for entry in result["resources"]}


def _sent(obj):
    """An object as its client sent it: the server's metadata and the status left out."""
    metadata = {key: value for key, value in obj["metadata"].items() if key not in SERVER_METADATA}
    return {"apiVersion": obj.get("apiVersion"), "kind": obj.get("kind"), "metadata": metadata, "spec": obj.get("spec")}


def stored(emulator):
    return {(collection, obj["metadata"]["name"]): _sent(obj)
            for collection in COLLECTIONS for obj in emulator.items(collection)}


def test_rio_apply_is_converged_for_the_collection(applied, emulator, set_file):
    for preview in (True, False):  # check and diff mode first, then a real run
        before = emulator.stats()
        run = run_collection(emulator, set_file, preview=preview)
        delta = stats_delta(before, emulator.stats())

        result = run.result
        assert not result.get("failed") and result["changed"] is False, str(run)
        assert len(result["resources"]) == 10, str(run)
        assert set(actions(result).values()) == {"unchanged"}, str(run)
        assert all(not entry.get("differences") for entry in result["resources"]), str(run)
        if preview:
            assert len(result["diff"]["after"]) == 10 and result["diff"]["before"] == result["diff"]["after"], str(run)
        # one read per document and nothing else
        assert delta["writes"] == 0, delta
        assert all(route.startswith("GET ") for route in delta["by_route"]), delta
        assert delta["total"] == 10, delta


def test_the_collection_stores_what_rio_apply_stores(fresh, manifest_files, set_file):
    """The same manifests give the same stored objects, whichever client applied them."""
    run_rio(fresh, "apply", "-f", "-ri", "1", *manifest_files)
    by_riocli = stored(fresh)
    fresh.reset()

    before = fresh.stats()
    run = run_collection(fresh, set_file)
    delta = stats_delta(before, fresh.stats())
    assert run.result["changed"] is True and set(actions(run.result).values()) == {"created"}, str(run)
    assert delta["writes"] == 10, delta

    by_collection = stored(fresh)
    assert set(by_collection) == set(by_riocli)
    for key, obj in by_riocli.items():
        assert by_collection[key] == obj, "%s differs\nriocli:     %s\ncollection: %s" % (
            key, json.dumps(obj, sort_keys=True), json.dumps(by_collection[key], sort_keys=True))


def _rows(output, name):
    return [row for row in (line.split() for line in output.splitlines()) if row[:1] == [name]]


def test_riocli_lists_inspects_and_deletes_what_the_collection_made(fresh, manifest_files, set_file):
    run = run_collection(fresh, set_file)
    assert run.result["changed"] is True and set(actions(run.result).values()) == {"created"}, str(run)

    listed = run_rio(fresh, "deployment", "list", "-w")
    for name in DEPLOYMENTS:
        rows = _rows(listed.output, name)
        assert len(rows) == 1 and "Succeeded" in rows[0] and "Running" in rows[0], "%s\n%s" % (name, listed)
    inspected = json.loads(run_rio(fresh, "deployment", "inspect", "talker-fleet-robot-3", "-f", "json").stdout)
    assert inspected["metadata"]["depends"]["nameOrGUID"] == "fleet-talker"
    assert inspected["spec"]["device"]["depends"]["nameOrGUID"] == "fleet-robot-3"
    assert inspected["spec"]["envArgs"] == [{"name": "ROBOT_NAME", "value": "fleet-robot-3"}]
    assert inspected["status"]["phase"] == "Succeeded"
    package = json.loads(run_rio(fresh, "package", "inspect", "fleet-console", "--version", "v1.0.0",
                                 "-f", "json").stdout)
    assert package["metadata"]["guid"] == fresh.v2_ok("/v2/packages/fleet-console/?version=v1.0.0")["metadata"]["guid"]
    assert package["spec"]["executables"][0]["docker"]["image"] == "registry.example.com/fleet/console:1.0.0"

    # riocli finds every object already there and creates nothing
    again = run_rio(fresh, "apply", "-f", "-ri", "1", *manifest_files)
    for name in DEPLOYMENTS:
        assert "deployment:%s already exists" % name in again.output, str(again)
    assert "Created" not in again.output and "Failed" not in again.output, str(again)

    deleted = run_rio(fresh, "delete", "-f", "-ri", "1", *manifest_files)
    for key in ["deployment:" + name for name in DEPLOYMENTS] + [
            "package:fleet-console:v1.0.0", "package:fleet-talker:v1.0.0", "network:fleet-net",
            "staticroute:fleet-console", "secret:fleet-regcred"]:
        assert "Deleted %s" % key in deleted.output, "%s\n%s" % (key, deleted)
    assert "Delete successful" in deleted.output and "Failed" not in deleted.output, str(deleted)
    assert not fresh.items("packages") and not fresh.items("networks") and not fresh.items("secrets")
    assert {d["metadata"]["name"] for d in fresh.items("deployments", "&phases=Stopped")} == set(DEPLOYMENTS)
    assert [d["metadata"]["name"] for d in fresh.items("disks")] == ["fleet-logs"]  # labelled retain

    # and the collection, applying the same set, finds only the retained disk
    gone = run_collection(fresh, set_file, state="absent")
    found = actions(gone.result)
    assert found.pop(("Disk", "fleet-logs")) == "retained", str(gone)
    assert set(found.values()) == {"absent"}, str(gone)


def _edited_robot(directory):
    """The robot's deployment as a riocli user changed it: another ROBOT_NAME and another restart policy."""
    document = copy.deepcopy(next(d for d in robot_documents(ONLINE_ROBOTS) if d["metadata"]["name"] == EDITED_ROBOT))
    original = os.path.join(directory, "robot-original.yaml")
    with open(original, "w") as handle:
        yaml.safe_dump(document, handle, sort_keys=False)
    document["spec"]["envArgs"] = [{"name": "ROBOT_NAME", "value": "renamed-by-riocli"}]
    document["spec"]["restart"] = "never"
    edited = os.path.join(directory, "robot-edited.yaml")
    with open(edited, "w") as handle:
        yaml.safe_dump(document, handle, sort_keys=False)
    return original, edited


def test_a_deployment_riocli_remade_is_drift(applied, emulator, set_file):
    original, edited = _edited_robot(emulator.workdir)
    # `rio apply` never updates a deployment, so a riocli user deletes it and applies the new manifest
    run_rio(emulator, "delete", "-f", original)
    remade = run_rio(emulator, "apply", "-f", edited)
    assert "Created deployment:%s" % EDITED_ROBOT in remade.output, str(remade)

    before = emulator.stats()
    run = run_collection(emulator, set_file)
    delta = stats_delta(before, emulator.stats())
    result = run.result
    assert result.get("failed") is True and result["changed"] is False, str(run)
    assert delta["writes"] == 0, delta
    message = result["msg"]
    for text in (EDITED_ROBOT, "spec.envArgs[ROBOT_NAME].value", "renamed-by-riocli", "fleet-robot-2",
                 "spec.restart", "never"):
        assert text in message, "%r not in %r" % (text, message)
    refused = {entry["name"]: entry for entry in result["resources"] if entry.get("action") == "refused"}
    assert list(refused) == [EDITED_ROBOT], str(run)
    differences = {item["path"]: (item["before"], item["after"]) for item in refused[EDITED_ROBOT]["differences"]}
    assert differences == {"spec.envArgs[ROBOT_NAME].value": ("renamed-by-riocli", "fleet-robot-2"),
                           "spec.restart": ("never", "always")}, differences

    # on_change=recreate puts the manifest's deployment back; riocli sees it
    fixed = run_collection(emulator, set_file, on_change="recreate")
    assert fixed.result["changed"] is True, str(fixed)
    assert {name for (kind, name), action in actions(fixed.result).items() if action != "unchanged"} == {EDITED_ROBOT}
    assert actions(fixed.result)[("Deployment", EDITED_ROBOT)] == "recreated", str(fixed)
    inspected = json.loads(run_rio(emulator, "deployment", "inspect", EDITED_ROBOT, "-f", "json").stdout)
    assert inspected["spec"]["envArgs"] == [{"name": "ROBOT_NAME", "value": "fleet-robot-2"}]
    assert inspected["spec"]["restart"] == "always" and inspected["status"]["phase"] == "Succeeded"
    stopped = [d for d in emulator.items("deployments", "&phases=Stopped") if d["metadata"]["name"] == EDITED_ROBOT]
    assert len(stopped) == 2, stopped  # the first incarnation (riocli) and the edited one (the collection)
