#!/usr/bin/env bash
# The fleet playbooks end to end against a private emulator seeded with the sample fleet
# (playbooks/sample/fleet.yml), through the sample rio_devices inventory:
#   dry run on an empty project -> deploy (as many changes as the dry run said) -> converged re-run
#   (changed=0, zero writes) -> check mode -> rolling update preview -> rolling update ->
#   converged rolling update -> a broken rollout the health gate stops after one batch ->
#   rollback -> teardown preview -> teardown -> converged teardown (changed=0, zero writes) ->
#   --limit (one robot, in one batch) -> redeploy -> status (also under --limit) -> a robot goes
#   offline -> the teardown still removes its deployment.
set -eux

source ../setup_rio_emulator/emulator.sh

repo="$(collection_root)"
inventory="$repo/playbooks/sample/inventory"
playbooks="$repo/playbooks"
export RIO_FLEET="$repo/playbooks/sample/fleet.yml"
export ANSIBLE_FORKS="${ANSIBLE_FORKS:-8}"
out="$(mktemp -d)"

start_emulator --phase-delay 0.2

# Check mode says what the real run then does: the same number of changes, and no red "fatal".
same_changes() {  # same_changes CHECK_RUN REAL_RUN
    [ "$(changed_total "$1")" = "$(changed_total "$2")" ] || {
        echo "$1 predicted $(changed_total "$1") changes, $2 made $(changed_total "$2")" >&2; return 1; }
}

table_row() {  # table_row NAME ROBOT PHASE_AND_STATUS: the fleet table of run NAME has that row
    grep -Eq "^ +\"$2 +[^ ]+ +$3" "$out/$1.log" || { echo "$1: no table row '$2 ... $3'" >&2; return 1; }
}

verify() { ansible-playbook -i "$inventory" verify.yml -e "$*"; }

# The offline robot stays out of the inventory.
ansible-inventory -i "$inventory" --list > "$out/inventory.json"
grep -q amr-north-01 "$out/inventory.json"
if grep -q amr-south-04 "$out/inventory.json"; then echo "the offline robot is in the inventory" >&2; exit 1; fi

# A dry run on the empty project writes nothing and reports what it would do; the robots, whose
# packages and cloud side do not exist yet, are reported as "would provision" instead of failing.
before="$(writes)"
play dry_run "$playbooks/deploy_robots.yml" --check
[ "$(writes)" = "$before" ]
grep -q 'would provision' "$out/dry_run.log"
table_row dry_run amr-south-03 'would provision'
if grep -E 'failed=[1-9]|fatal:' "$out/dry_run.log"; then echo "the dry run failed somewhere" >&2; exit 1; fi
play dry_run_per_robot "$playbooks/deploy_robots.yml" --check -e rio_fleet_mode=per_robot
[ "$(writes)" = "$before" ]
table_row dry_run_per_robot amr-south-03 'would provision'
if grep -E 'failed=[1-9]|fatal:' "$out/dry_run_per_robot.log"; then echo "the per-robot dry run failed somewhere" >&2; exit 1; fi

# Deploy, then a converged re-run: changed=0 and no write.
play deploy "$playbooks/deploy_robots.yml"
table_row deploy amr-north-01 'Succeeded +Running'
if grep -q -- '-> amr-north-01\]' "$out/deploy.log"; then echo "host facts were set unasked" >&2; exit 1; fi
verify expect=deployed
same_changes dry_run deploy
before="$(writes)"
play deploy_again "$playbooks/deploy_robots.yml"
converged deploy_again
[ "$(writes)" = "$before" ]

# Check mode on the converged fleet predicts no change either; asked for, every robot gets its
# robot_deployment_result host fact (one loop line per robot).
play deploy_check "$playbooks/deploy_robots.yml" --check -e fleet_deployment_host_facts=true
converged deploy_check
grep -Eq 'ok: \[[^] ]+ -> amr-south-03\]' "$out/deploy_check.log"
[ "$(writes)" = "$before" ]

# A rollout can be previewed: check mode writes nothing, passes the health gates (nothing was
# updated) and says every robot would be recreated.
play rolling_check "$playbooks/rolling_update.yml" --check -e rolling_update_package_version=v1.1.0 -e rolling_update_serial=2
[ "$(writes)" = "$before" ]
[ "$(grep -Ec '^amr-.*changed=[1-9].* failed=0 ' "$out/rolling_check.log")" = 7 ]

# Rolling update to v1.1.0, two robots per batch, then converged.
play rolling "$playbooks/rolling_update.yml" -e rolling_update_package_version=v1.1.0 -e rolling_update_serial=2
grep -q 'rio_rolling_update\|Health gate' "$out/rolling.log"
verify expect=rolled version=v1.1.0
before="$(writes)"
play rolling_again "$playbooks/rolling_update.yml" -e rolling_update_package_version=v1.1.0 -e rolling_update_serial=2
converged rolling_again
[ "$(writes)" = "$before" ]

# A broken version (its image cannot be pulled): the first batch fails its health gate and the
# rollout stops there; the five other robots keep v1.1.0.
if play broken "$playbooks/rolling_update.yml" -e rolling_update_package_version=v1.2.0 \
        -e fleet_talker_new_image_tag=missing -e rolling_update_serial=2; then
    echo "the broken rollout did not fail" >&2; exit 1
fi
grep -q 'DEP_E153' "$out/broken.log"
verify expect=stopped_rollout version=v1.2.0 old_version=v1.1.0

# Roll back to v1.1.0: only the two failed robots are recreated.
play rollback "$playbooks/rolling_update.yml" -e rolling_update_package_version=v1.1.0 -e rolling_update_serial=3
verify expect=rolled version=v1.1.0
[ "$(grep -Ec '^amr-.*changed=1 ' "$out/rollback.log")" = 2 ]

# Teardown (robots, then the monitor, then the network, then the packages), then converged.
packages='{"teardown_packages": [
  {"name": "sample-talker-amd64", "version": "v1.0.0"}, {"name": "sample-talker-arm64v8", "version": "v1.0.0"},
  {"name": "sample-talker-amd64", "version": "v1.1.0"}, {"name": "sample-talker-arm64v8", "version": "v1.1.0"},
  {"name": "sample-talker-amd64", "version": "v1.2.0"}, {"name": "sample-talker-arm64v8", "version": "v1.2.0"},
  {"name": "sample-fleet-monitor", "version": "v1.0.0"}]}'
# The teardown preview lists no robot deployment as an orphan (the robots' play removes them first)
# and predicts as many changes as the real teardown makes.
before="$(writes)"
play teardown_check "$playbooks/teardown_robots.yml" --check -e "$packages"
[ "$(writes)" = "$before" ]
if grep -E '^changed: \[localhost\] => \(item=talker-' "$out/teardown_check.log"; then
    echo "the teardown preview lists the play's robots as orphans" >&2; exit 1
fi
play teardown "$playbooks/teardown_robots.yml" -e "$packages"
verify expect=torn_down
same_changes teardown_check teardown
before="$(writes)"
play teardown_again "$playbooks/teardown_robots.yml" -e "$packages"
converged teardown_again
[ "$(writes)" = "$before" ]

# --limit (AWX's Limit field) narrows the batch to the limited robot, cloud side included; a
# limit that leaves no robot of rio_fleet_hosts fails instead of skipping every play with rc 0.
play limited "$playbooks/deploy_robots.yml" --limit amr-north-01
grep -q '1 robots: amr-north-01' "$out/limited.log"
table_row limited amr-north-01 'Succeeded +Running'
verify expect=limited
if play limited_none "$playbooks/deploy_robots.yml" --limit amr-north-01 -e rio_fleet_hosts=site_south; then
    echo "a limit without robots did not fail" >&2; exit 1
fi
grep -q "no robot selected: rio_fleet_hosts 'site_south' matches no host of --limit amr-north-01" "$out/limited_none.log"

# The fleet comes back after a teardown (names are reusable; one task per robot this time), and
# the status playbook reads it, all of it or the limited robots only.
play redeploy "$playbooks/deploy_robots.yml" -e rio_fleet_mode=per_robot
verify expect=deployed
play status "$playbooks/fleet_status.yml"
grep -q 'talker-amr-south-03' "$out/status.log"
play status_limited "$playbooks/fleet_status.yml" --limit amr-north-01
grep -q 'talker-amr-north-01' "$out/status_limited.log"
if grep -q 'talker-amr-south-03' "$out/status_limited.log"; then echo "the status ignores --limit" >&2; exit 1; fi

# A robot goes offline: it leaves the inventory, but the teardown still removes its deployment
# (found by the fleet label) before the cloud side.
"${RIO_EMULATOR_PYTHON:-python}" - "$RIO_EMULATOR_URL" <<'PY'
import json, sys, urllib.request
request = urllib.request.Request(sys.argv[1] + "/_emulator/devices/5a3e0c1e-0000-4000-8000-000000000101",
                                 data=json.dumps({"status": "OFFLINE"}).encode(), method="POST",
                                 headers={"Content-Type": "application/json"})
urllib.request.urlopen(request).read()
PY
ansible-inventory -i "$inventory" --list > "$out/inventory_offline.json"
if grep -q amr-north-01 "$out/inventory_offline.json"; then echo "the robot taken offline is still in the inventory" >&2; exit 1; fi
play teardown_offline "$playbooks/teardown_robots.yml"
grep -q 'talker-amr-north-01' "$out/teardown_offline.log"
verify expect=torn_down robots_expected=6
