"""The fleet_scale target's helper (runme.sh), talking to the emulator over the wire, never through the collection:

  fleet_scale.py fleet PATH COUNT              write an emulator fleet of COUNT online robots and one offline
  fleet_scale.py snapshot FILE                 keep the emulator's request counters in FILE
  fleet_scale.py record STEPS GEN STEP BEFORE STARTED RC
                                               append one step's wall time (since the epoch time STARTED) and
                                               requests (counted since the snapshot BEFORE)
  fleet_scale.py requests STEPS GEN STEP WHAT  print how many requests the step sent: WHAT is a route
                                               ("POST /v2/deployments/"), or requests, reads or writes
  fleet_scale.py verify GEN EXPECT FLEET [VERSION [OLD_VERSION BATCH]]
                                               assert what the platform holds (deployed | stopped_rollout | torn_down)
  fleet_scale.py figures STEPS OUTPUT          write the figures (JSON) and print them as a table
  fleet_scale.py replace_v1 NAME               play someone else: replace the live v1 deployment NAME by one
                                               provisioned without its routed networks and without the
                                               collection's labels (as another tool would)
  fleet_scale.py recorded_v1 NAME              exit 0 when the live v1 deployment NAME carries the collection's
                                               record label, 1 otherwise

Connection from the environment of emulator.sh (RIO_EMULATOR_URL, RIO_AUTH_TOKEN, RIO_PROJECT).
"""
import json
import os
import sys
import time
import urllib.request
import uuid

import yaml

ARCHITECTURES = ("amd64", "arm64v8")
MONITOR = "sample-fleet-monitor"
NETWORK = "sample-fleet-net"


def make_fleet(path, count):
    """Robots robot-001..: both architectures and both sites of the sample inventories' group_vars, mixed."""
    devices = [{"name": "robot-%03d" % index, "uuid": str(uuid.UUID(int=index, version=4)),
                "status": "OFFLINE" if index > count else "ONLINE",
                "architecture": ARCHITECTURES[index % 2], "runtime": "dockercompose", "ros_distro": "noetic",
                "labels": {"site": "south" if index % 3 == 0 else "north"}} for index in range(1, count + 2)]
    with open(path, "w") as handle:
        yaml.safe_dump({"devices": devices}, handle, sort_keys=False)


def online_robots(fleet_path):
    with open(fleet_path) as handle:
        return {d["name"]: d for d in yaml.safe_load(handle)["devices"] if d["status"] == "ONLINE"}


def call(method, path, body=None):
    data = None if body is None else json.dumps(body).encode("utf-8")
    request = urllib.request.Request(os.environ["RIO_EMULATOR_URL"] + path, data=data, method=method, headers={
        "Authorization": "Bearer " + os.environ["RIO_AUTH_TOKEN"], "project": os.environ["RIO_PROJECT"],
        "Content-Type": "application/json"})
    with urllib.request.urlopen(request) as answer:
        text = answer.read()
    return json.loads(text) if text else None


def get(path):
    return call("GET", path)


def replace_v1(name):
    """Deprovision the live deployment NAME and provision its like without routed networks or the
    collection's record label (rapyuta.rio/...), as a user of another tool would."""
    live = [dep for dep in get("/deployment/list") if dep["name"] == name and dep["phase"] != "Deployment stopped"]
    assert len(live) == 1, live
    full = get("/serviceinstance/" + live[0]["deploymentId"])
    call("DELETE", "/v2/service_instances/%s?plan_id=%s&service_id=%s&accepts_incomplete=false"
         % (full["deploymentId"], full["planId"], full["packageId"]))
    context = dict(full["provisionContext"], routedNetworks=[])
    context["labels"] = [label for label in context.get("labels") or [] if not label["key"].startswith("rapyuta.rio/")]
    body = {"service_id": full["packageId"], "plan_id": full["planId"], "api_version": "1.0.0",
            "instance_id": "instanceId", "organization_guid": "organizationGuid", "space_guid": "spaceGuid",
            "accepts_incomplete": True, "parameters": full["parameters"], "context": context}
    print("replaced %s (%s) by %s" % (name, full["deploymentId"],
                                      call("PUT", "/v2/service_instances/instanceId", body)["operation"]))


def recorded_v1(name):
    """Whether the live deployment NAME carries the collection's record of its provisioning context."""
    live = [dep for dep in get("/deployment/list") if dep["name"] == name and dep["phase"] != "Deployment stopped"]
    assert len(live) == 1, live
    return any(label["key"] == "rapyuta.rio/context-digest" for label in live[0]["labels"] or [])


def stats():
    with urllib.request.urlopen(os.environ["RIO_EMULATOR_URL"] + "/_emulator/stats") as answer:
        return json.load(answer)


def record(steps_path, generation, step, before_path, started, rc):
    seconds = time.time() - float(started)
    with open(before_path) as handle:
        before = json.load(handle)
    after = stats()
    routes = {route: count - before["by_route"].get(route, 0) for route, count in after["by_route"].items()}
    entry = {"generation": generation, "step": step, "seconds": round(seconds, 2), "rc": int(rc),
             "requests": after["total"] - before["total"], "reads": after["reads"] - before["reads"],
             "writes": after["writes"] - before["writes"],
             "by_route": {route: count for route, count in routes.items() if count}}
    with open(steps_path, "a") as handle:
        handle.write(json.dumps(entry) + "\n")


def read_steps(steps_path):
    with open(steps_path) as handle:
        return [json.loads(line) for line in handle if line.strip()]


def step_requests(steps_path, generation, step, what):
    entry = [s for s in read_steps(steps_path) if (s["generation"], s["step"]) == (generation, step)][-1]
    return entry[what] if what in ("requests", "reads", "writes") else entry["by_route"].get(what, 0)


# -- what the platform holds ---------------------------------------------------------------------------
def v2_items(kind):
    items, offset = [], 0
    while True:
        page = get("/v2/%s/?limit=1000&continue=%d" % (kind, offset))
        items += page["items"]
        if not page["items"]:
            return items
        offset = page["metadata"]["continue"]


def v2_live_deployments():
    """{name: (package, version, device, phase, status, error codes)} of the deployments not stopped, one per name."""
    live = {}
    for dep in v2_items("deployments"):
        meta, spec, status = dep["metadata"], dep["spec"], dep["status"]
        if status["phase"] == "Stopped":
            continue
        assert meta["name"] not in live, "two live deployments named %s" % meta["name"]
        device = ((spec.get("device") or {}).get("depends") or {}).get("nameOrGUID")
        live[meta["name"]] = (meta["depends"]["nameOrGUID"], meta["depends"]["version"], device,
                              status["phase"], status["status"], tuple(status["error_codes"]))
    return live


def v1_live_deployments(robots):
    """The same view on v1: a robot's device is the one its component is placed on (by uuid)."""
    versions = {p["id"]: p["metadata"]["packageVersion"] for p in get("/v2/catalog")["services"]}
    by_uuid = {d["uuid"]: name for name, d in robots.items()}
    live = {}
    for dep in get("/deployment/list"):
        if dep["phase"] == "Deployment stopped":
            continue
        assert dep["name"] not in live, "two live deployments named %s" % dep["name"]
        devices = [value["device_id"] for value in dep["parameters"].values()
                   if isinstance(value, dict) and value.get("device_id")]
        device = by_uuid.get(devices[0]) if devices else None
        # The list has no status; a deployment whose phase is Succeeded runs.
        live[dep["name"]] = (dep["packageName"], versions.get(dep["packageId"]), device, dep["phase"],
                             "Running" if dep["phase"] == "Succeeded" else "", ())
    return live


def v2_shared_left():
    return {kind: sorted(item["metadata"]["name"] for item in v2_items(kind))
            for kind in ("networks", "disks", "staticroutes", "packages")}


def v1_shared_left():
    networks = [n["name"] for n in get("/routednetwork")
                if (n.get("internalDeploymentStatus") or {}).get("phase") != "Deployment stopped"]
    packages = [p["name"] for p in get("/v2/catalog")["services"] if not p["metadata"]["isPublic"]]
    return {"networks": sorted(networks), "packages": sorted(packages)}


def healthy(state):
    return state[3:5] == ("Succeeded", "Running")


def verify(generation, expect, fleet_path, version="v1.0.0", old_version=None, batch=0):
    robots = online_robots(fleet_path)
    live = v2_live_deployments() if generation == "v2" else v1_live_deployments(robots)
    talkers = {"talker-" + name: name for name in robots}
    if expect == "torn_down":
        left = v2_shared_left() if generation == "v2" else v1_shared_left()
        assert live == {} and not any(left.values()), (sorted(live)[:5], left)
        print("verified %s %s: nothing left" % (generation, expect))
        return
    assert sorted(live) == sorted(list(talkers) + [MONITOR]), "live: %d, expected %d" % (len(live), len(talkers) + 1)
    assert healthy(live[MONITOR]), live[MONITOR]
    # stopped_rollout: the robots of the first batch (whichever the play took first) are those on the new version.
    first = [name for name in talkers if live[name][1] == version] if expect == "stopped_rollout" else []
    assert len(first) == int(batch), "%d robots on %s, expected %s" % (len(first), version, batch)
    for name, robot in talkers.items():
        package, running, device, *_state = live[name]
        assert package == "sample-talker-" + robots[robot]["architecture"] and device == robot, (name, live[name])
        if expect == "deployed":
            assert running == version and healthy(live[name]), (name, live[name])
        elif name in first:  # it took the bad version and failed
            assert not healthy(live[name]), (name, live[name])
            assert generation == "v1" or "DEP_E153" in live[name][5], (name, live[name])
        else:
            assert running == old_version and healthy(live[name]), (name, live[name])
    if generation == "v2":
        left = v2_shared_left()
        assert left["networks"] == [NETWORK] and left["disks"] and left["staticroutes"], left
    else:
        assert v1_shared_left()["networks"] == [NETWORK]
    print("verified %s %s: %d robots and the cloud side" % (generation, expect, len(talkers)))


# -- the figures ----------------------------------------------------------------------------------------
def figures(steps_path, output_path):
    steps = read_steps(steps_path)
    generations = {}
    for entry in steps:
        generations.setdefault(entry["generation"], {})[entry["step"]] = {
            key: entry[key] for key in ("seconds", "requests", "reads", "writes", "rc")}
    result = {"robots": int(os.environ["FLEET_SCALE_ROBOTS"]), "ansible": os.environ["FLEET_SCALE_ANSIBLE"],
              "direct_execution": os.environ.get("RIO_DIRECT_EXECUTION", "true"), "forks": int(os.environ["ANSIBLE_FORKS"]),
              "phase_delay_s": 0, "rolling_update_serial": int(os.environ["FLEET_SCALE_SERIAL"]),
              "generations": generations}
    os.makedirs(os.path.dirname(output_path), exist_ok=True)
    with open(output_path, "w") as handle:
        json.dump(result, handle, indent=2)
        handle.write("\n")
    names = list(dict.fromkeys(entry["step"] for entry in steps))
    print("%d robots, %s, forks %d, loopback, phase delay 0 (%s)"
          % (result["robots"], result["ansible"], result["forks"], output_path))
    columns = "   %9s %6s %6s %6s"
    print("%-9s" % "step" + "".join(columns % (gen + " wall s", "req", "reads", "writes") for gen in generations))
    for name in names:
        row = "%-9s" % name
        for gen in generations:
            fig = generations[gen].get(name)
            row += columns % (("%.1f" % fig["seconds"], fig["requests"], fig["reads"], fig["writes"]) if fig else ("-",) * 4)
        print(row)


def main(argv):
    command, args = argv[1], argv[2:]
    if command == "fleet":
        make_fleet(args[0], int(args[1]))
    elif command == "snapshot":
        with open(args[0], "w") as handle:
            json.dump(stats(), handle)
    elif command == "record":
        record(*args)
    elif command == "requests":
        print(step_requests(*args))
    elif command == "verify":
        verify(*args)
    elif command == "figures":
        figures(*args)
    elif command == "replace_v1":
        replace_v1(*args)
    elif command == "recorded_v1":
        raise SystemExit(0 if recorded_v1(*args) else 1)
    else:
        raise SystemExit("unknown command %s" % command)


if __name__ == "__main__":
    main(sys.argv)
