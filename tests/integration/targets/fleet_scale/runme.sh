#!/usr/bin/env bash
# A 200-robot fleet (a generated devices file, read through the sample rio_devices inventories) against
# one private emulator (phase delay 0), on v2 and then on v1 in the same run:
#   v2 (playbooks/sample/inventory_v2): rollout with deploy_robots.yml (the cloud side, one Deployment per
#   robot) -> converged re-run (changed=0, zero writes) -> rolling update to v1.1.0, 50 robots per batch ->
#   a bad image the health gate stops after the first batch (the 150 other robots untouched) -> teardown
#   (nothing left).
#   v1 (playbooks/sample/inventory): rollout -> converged re-run (as many requests as the re-run of two
#   robots) -> a deployment replaced by someone else, seen and recreated -> teardown (nothing left). The v1
#   rolling update goes robot by robot, too slow for this rung at 200 robots; fleet_playbooks runs it on 7.
# Each step's wall time and requests (total, reads, writes, from /_emulator/stats) go to
# tests/output/fleet_scale/figures.json of the checkout, and a table at the end.
set -eux

source ../setup_rio_emulator/emulator.sh

playbooks="$(collection_root)/playbooks"
python="${RIO_EMULATOR_PYTHON:-python}"
out="$(mktemp -d)"
steps="$out/steps.jsonl"
export FLEET_SCALE_ROBOTS="${FLEET_SCALE_ROBOTS:-200}" FLEET_SCALE_SERIAL=50
export ANSIBLE_FORKS="${ANSIBLE_FORKS:-8}"
export RIO_FLEET="$out/fleet.yml"
"$python" fleet_scale.py fleet "$RIO_FLEET" "$FLEET_SCALE_ROBOTS"

start_emulator --phase-delay 0

measured() {  # measured GEN STEP PLAYBOOK [args...]: play GEN-STEP with its wall time and requests recorded
    local gen="$1" step="$2" started rc=0
    shift 2
    "$python" fleet_scale.py snapshot "$out/before.json"
    started="$(date +%s.%N)"
    play "$gen-$step" "$@" || rc=$?
    "$python" fleet_scale.py record "$steps" "$gen" "$step" "$out/before.json" "$started" "$rc"
    return "$rc"
}
sent() { "$python" fleet_scale.py requests "$steps" "$@"; }  # sent GEN STEP ROUTE|requests|reads|writes
verify() { "$python" fleet_scale.py verify "$1" "$2" "$RIO_FLEET" "${@:3}"; }
batches() { grep -c '^PLAY \[Roll the new version out, batch by batch\]' "$out/$1.log" || true; }
robots="$FLEET_SCALE_ROBOTS"
bad_version=(-e rolling_update_package_version=v1.2.0 -e fleet_talker_new_image_tag=missing)

# --- v2 ------------------------------------------------------------------------------------------------
# shellcheck disable=SC2034  # play (emulator.sh) reads it
inventory="$playbooks/sample/inventory_v2"

# The rollout: every robot of the inventory (the offline one is left out), one Deployment each, created
# once, next to the monitor.
measured v2 rollout "$playbooks/deploy_robots.yml"
no_failure v2-rollout
grep -q "\"$robots robots: robot-" "$out/v2-rollout.log"
verify v2 deployed
[ "$(sent v2 rollout 'POST /v2/deployments/')" = $((robots + 1)) ]

measured v2 rerun "$playbooks/deploy_robots.yml"
converged v2-rerun
[ "$(sent v2 rerun writes)" = 0 ]

# Rolling update: each robot's Deployment recreated once on v1.1.0, batch after batch.
measured v2 rolling "$playbooks/rolling_update.yml" -e rolling_update_package_version=v1.1.0 \
    -e rolling_update_serial="$FLEET_SCALE_SERIAL"
no_failure v2-rolling
[ "$(batches v2-rolling)" = $((robots / FLEET_SCALE_SERIAL)) ]
verify v2 deployed v1.1.0
[ "$(sent v2 rolling 'POST /v2/deployments/')" = "$robots" ]

# A bad image: the first batch fails its health gate, naming the cause, and the rollout stops there;
# the other robots were not touched (no deletion, no creation) and keep v1.1.0.
if measured v2 broken "$playbooks/rolling_update.yml" "${bad_version[@]}" -e rolling_update_serial="$FLEET_SCALE_SERIAL"; then
    echo "the broken rollout did not fail" >&2; exit 1
fi
grep -q 'DEP_E153' "$out/v2-broken.log"
[ "$(grep -Eo '^fatal: \[robot-[0-9]+\]' "$out/v2-broken.log" | sort -u | wc -l)" = "$FLEET_SCALE_SERIAL" ]
[ "$(batches v2-broken)" = 1 ]
verify v2 stopped_rollout v1.2.0 v1.1.0 "$FLEET_SCALE_SERIAL"
[ "$(sent v2 broken 'POST /v2/deployments/')" = "$FLEET_SCALE_SERIAL" ]
[ "$(sent v2 broken 'DELETE /v2/deployments/{name}/')" = "$FLEET_SCALE_SERIAL" ]

measured v2 teardown "$playbooks/teardown_robots.yml" -e '{"teardown_packages": [
  {"name": "sample-talker-amd64", "version": "v1.0.0"}, {"name": "sample-talker-arm64v8", "version": "v1.0.0"},
  {"name": "sample-talker-amd64", "version": "v1.1.0"}, {"name": "sample-talker-arm64v8", "version": "v1.1.0"},
  {"name": "sample-talker-amd64", "version": "v1.2.0"}, {"name": "sample-talker-arm64v8", "version": "v1.2.0"},
  {"name": "sample-fleet-monitor", "version": "v1.0.0"}]}'
no_failure v2-teardown
verify v2 torn_down

# --- v1: the same robots -------------------------------------------------------------------------------
# shellcheck disable=SC2034
inventory="$playbooks/sample/inventory"

measured v1 rollout "$playbooks/deploy_robots.yml"
no_failure v1-rollout
verify v1 deployed
[ "$(sent v1 rollout 'PUT /v2/service_instances/{instance_id}')" = $((robots + 1)) ]

measured v1 rerun "$playbooks/deploy_robots.yml"
converged v1-rerun
[ "$(sent v1 rerun writes)" = 0 ]
# The robots declare a routed network, which the deployment list does not show: the record label on each
# deployment lets the batch find them unchanged from the list, with no read per robot, so the re-run of
# the whole fleet sends as many requests as the re-run of two robots (one per architecture: one package each).
[ "$(sent v1 rerun 'GET /serviceinstance/{deployment_id}')" = 1 ]  # the monitor's (rio_deployment)
measured v1 rerun_two "$playbooks/deploy_robots.yml" --limit robot-001,robot-002
converged v1-rerun_two
grep -q '"2 robots: robot-' "$out/v1-rerun_two.log"
[ "$(sent v1 rerun requests)" = "$(sent v1 rerun_two requests)" ]

# Someone else replaces robot-002's deployment by one without the routed network (and without the
# record): the re-run reads that one in full and sees the difference, refused by on_change: fail
# with nothing written, then recreated with on_change: recreate (one removal, one provisioning).
"$python" fleet_scale.py replace_v1 talker-robot-002
if measured v1 changed "$playbooks/deploy_robots.yml"; then
    echo "the re-run did not see the deployment changed by someone else" >&2; exit 1
fi
grep -q 'talker-robot-002.*routed_networks' "$out/v1-changed.log"
[ "$(sent v1 changed writes)" = 0 ]
[ "$(sent v1 changed 'GET /serviceinstance/{deployment_id}')" = 2 ]  # the monitor and talker-robot-002
measured v1 recreated "$playbooks/deploy_robots.yml" -e robot_deployment_on_change=recreate
no_failure v1-recreated
[ "$(sent v1 recreated 'DELETE /v2/service_instances/{deployment_id}')" = 1 ]
[ "$(sent v1 recreated 'PUT /v2/service_instances/{instance_id}')" = 1 ]
"$python" fleet_scale.py recorded_v1 talker-robot-002
verify v1 deployed

measured v1 teardown "$playbooks/teardown_robots.yml" -e '{"teardown_packages": [
  {"name": "sample-talker-amd64", "version": "v1.0.0"}, {"name": "sample-talker-arm64v8", "version": "v1.0.0"},
  {"name": "sample-fleet-monitor", "version": "v1.0.0"}]}'
no_failure v1-teardown
verify v1 torn_down

FLEET_SCALE_ANSIBLE="$(ansible-playbook --version | head -n 1)" \
    "$python" fleet_scale.py figures "$steps" "${RIO_REPO_ROOT:-$(collection_root)}/tests/output/fleet_scale/figures.json"
