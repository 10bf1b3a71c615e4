#!/usr/bin/env bash
# playbooks/deploy_robots.yml on v2 against a private emulator seeded with the sample fleet
# (playbooks/sample/fleet.yml), through the v2 sample inventory (playbooks/sample/inventory_v2, whose
# group_vars set rio_api_version: v2):
#   dry run on an empty project (no write) -> rollout (one v2 Deployment per robot, on its device by
#   name, depending on the cloud monitor) -> converged re-run (changed=0, zero writes) -> --check --diff
#   of a changed fleet (no write; the same changes and diffs as the real run that follows) -> converged
#   again, also robot by robot (rio_fleet_mode=per_robot) -> --limit (only the limited robot changes).
set -eux

source ../setup_rio_emulator/emulator.sh

repo="$(collection_root)"
inventory="$repo/playbooks/sample/inventory_v2"
deploy="$repo/playbooks/deploy_robots.yml"
export RIO_FLEET="$repo/playbooks/sample/fleet.yml"
export ANSIBLE_FORKS="${ANSIBLE_FORKS:-8}"
out="$(mktemp -d)"

start_emulator --phase-delay 0.2

deploy_fleet() {  # deploy_fleet NAME [args...]: deploy_robots.yml, its output in $out/NAME.log
    local name="$1"; shift
    play "$name" "$deploy" "$@"
}

diffed() {  # diffed NAME: the deployments whose diff run NAME shows, sorted
    grep -E '^\+\+\+ after: ' "$out/$1.log" | sed 's/^+++ after: //' | sort
}

# verify EXPECTATION: the live v2 deployments of the project, read over the wire (not through the collection).
verify() {
    "${RIO_EMULATOR_PYTHON:-python}" - "$RIO_EMULATOR_URL" "$1" <<'PY'
import json, os, sys, urllib.request
url, expect = sys.argv[1], sys.argv[2]
headers = {"Authorization": "Bearer " + os.environ["RIO_AUTH_TOKEN"], "project": os.environ["RIO_PROJECT"]}
def items(path):
    return json.load(urllib.request.urlopen(urllib.request.Request(url + path, headers=headers)))["items"]
deployments = {d["metadata"]["name"]: d for d in items("/v2/deployments/?limit=100")}
robots = ["amr-north-01", "amr-north-02", "amr-north-03", "amr-north-04", "amr-south-01", "amr-south-02", "amr-south-03"]
arm = {"amr-north-03", "amr-north-04", "amr-south-02"}
assert sorted(deployments) == sorted(["sample-fleet-monitor"] + ["talker-" + r for r in robots]), sorted(deployments)
monitor = deployments["sample-fleet-monitor"]
assert monitor["spec"]["runtime"] == "cloud"
assert [v["depends"]["nameOrGUID"] for v in monitor["spec"]["volumes"]] == ["sample-fleet-telemetry"]
assert [r["depends"]["nameOrGUID"] for r in monitor["spec"]["staticRoutes"]] == ["sample-fleet-dashboard"]
rates = {}
for robot in robots:
    dep = deployments["talker-" + robot]
    spec, meta = dep["spec"], dep["metadata"]
    assert spec["device"]["depends"]["nameOrGUID"] == robot, (robot, spec["device"])
    assert meta["depends"]["nameOrGUID"] == "sample-talker-" + ("arm64v8" if robot in arm else "amd64"), meta["depends"]
    assert [d["nameOrGUID"] for d in spec["depends"]] == ["sample-fleet-monitor"], spec["depends"]
    assert [n["depends"]["nameOrGUID"] for n in spec["rosNetworks"]] == ["sample-fleet-net"], spec["rosNetworks"]
    assert meta["labels"]["fleet"] == "sample-fleet" and meta["labels"]["robot"] == robot, meta["labels"]
    env = {e["name"]: e["value"] for e in spec["envArgs"]}
    assert env["ROBOT_NAME"] == robot, env
    rates[robot] = env["RATE"]
for dep in deployments.values():
    assert (dep["status"]["phase"], dep["status"]["status"]) == ("Succeeded", "Running"), (dep["metadata"]["name"], dep["status"])
want = {"deployed": {"north": "10", "south": "5"}, "changed": {"north": "20", "south": "5"},
        "limited": {"north": "20", "south": "5", "amr-south-01": "7"}}[expect]
wanted = {robot: want.get(robot, want[robot.split("-")[1]]) for robot in robots}
assert rates == wanted, (rates, wanted)
print("verified", expect, len(deployments), "deployments")
PY
}

# The robots come from the v0 device manager as on v1; the offline robot is left out.
ansible-inventory -i "$inventory" --list > "$out/inventory.json"
grep -q amr-north-01 "$out/inventory.json"
if grep -q amr-south-04 "$out/inventory.json"; then echo "the offline robot is in the inventory" >&2; exit 1; fi

# A dry run on the empty project writes nothing and fails nothing.
before="$(writes)"
deploy_fleet dry_run --check
[ "$(writes)" = "$before" ]
no_failure dry_run
grep -Eq '^ +"amr-south-03 +talker-amr-south-03 +would provision' "$out/dry_run.log"

# The rollout: the cloud side, then one v2 Deployment per robot in one batch.
deploy_fleet rollout
no_failure rollout
verify deployed
[ "$(changed_total dry_run)" = "$(changed_total rollout)" ]
rolled="$(writes)"
[ "$rolled" -gt "$before" ]

# The converged re-run: changed=0 on every host and not one write.
deploy_fleet rerun
no_failure rerun
[ "$(changed_total rerun)" = 0 ]
[ "$(writes)" = "$rolled" ]
verify deployed

# A changed fleet (north's rate doubled, recreated on change): --check --diff writes nothing and
# reports exactly what the real run then does (the same number of changes, diffs of the same robots).
changes=(-e robot_deployment_on_change=recreate -e '{"fleet_rate_by_site": {"north": "20", "south": "5"}}')
deploy_fleet preview --check --diff "${changes[@]}"
no_failure preview
[ "$(writes)" = "$rolled" ]
[ "$(diffed preview | tr '\n' ' ')" = "talker-amr-north-01 talker-amr-north-02 talker-amr-north-03 talker-amr-north-04 " ]
grep -qE '^\+ +"value": "20"' "$out/preview.log"
verify deployed
deploy_fleet change --diff "${changes[@]}"
no_failure change
[ "$(changed_total preview)" = "$(changed_total change)" ]
[ "$(changed_total change)" -gt 0 ]
[ "$(diffed preview)" = "$(diffed change)" ]
verify changed
changed_writes="$(writes)"
deploy_fleet change_again "${changes[@]}"
[ "$(changed_total change_again)" = 0 ]
[ "$(writes)" = "$changed_writes" ]
# The per-robot mode (one rio_deployment task per robot) on the same v2 fleet: converged as well.
deploy_fleet per_robot -e rio_fleet_mode=per_robot "${changes[@]}"
no_failure per_robot
[ "$(changed_total per_robot)" = 0 ]
[ "$(writes)" = "$changed_writes" ]

# --limit: south's rate changes, but only the limited robot is touched.
deploy_fleet limited --diff --limit amr-south-01 -e robot_deployment_on_change=recreate \
    -e '{"fleet_rate_by_site": {"north": "20", "south": "7"}}'
no_failure limited
[ "$(diffed limited | tr '\n' ' ')" = "talker-amr-south-01 " ]
grep -q 'amr-south-01 *talker-amr-south-01 *Succeeded' "$out/limited.log"
if grep -q 'talker-amr-south-02' "$out/limited.log"; then echo "--limit was not honoured" >&2; exit 1; fi
verify limited
