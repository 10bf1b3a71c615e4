#!/usr/bin/env bash
# The rolling_update and teardown roles and the fleet playbooks on v2 (rio_api_version: v2 in
# inventory/group_vars/all.yml), against a private emulator:
#   a small fleet set up with rio_resource/rio_deployment_batch -> rolling update to v1.1.0 in
#   batches of two -> converged re-run (changed=0, zero writes) -> rollout preview -> a bad image
#   stopped by the health gate after the first batch -> rollback -> fleet_status (no Stopped
#   incarnation) -> teardown preview -> teardown in dependency order -> converged teardown.
set -eux

source ../setup_rio_emulator/emulator.sh

playbooks="$(collection_root)/playbooks"
inventory="$(pwd)/inventory"
out="$(mktemp -d)"

start_emulator --phase-delay 0.2

changed_hosts() { grep -Ec '^robot-[^ ]* +: ok=[0-9]+ +changed=[1-9]' "$out/$1.log" || true; }
verify() { ansible-playbook -i "$inventory" verify.yml -e "$*"; }

play setup setup.yml

# Rolling update to v1.1.0, two robots per batch; then converged: no change, no write.
play rolling "$playbooks/rolling_update.yml" -e rolling_update_package_version=v1.1.0 -e rolling_update_serial=2
verify expect=rolled version=v1.1.0
[ "$(changed_hosts rolling)" = 3 ]
before="$(writes)"
play rolling_again "$playbooks/rolling_update.yml" -e rolling_update_package_version=v1.1.0 -e rolling_update_serial=2
converged rolling_again
[ "$(writes)" = "$before" ]

# A preview of the next version writes nothing and says every robot would be recreated.
play rolling_check "$playbooks/rolling_update.yml" --check -e rolling_update_package_version=v1.2.0
[ "$(writes)" = "$before" ]
[ "$(changed_hosts rolling_check)" = 3 ]
if grep -E 'failed=[1-9]|fatal:' "$out/rolling_check.log"; then echo "the preview failed somewhere" >&2; exit 1; fi

# A bad image (cannot be pulled): the first batch (one robot) fails its health gate, naming the
# cause, and the rollout stops; the two other robots keep v1.1.0.
if play broken "$playbooks/rolling_update.yml" -e rolling_update_package_version=v1.2.0 -e lc2_new_image_tag=missing; then
    echo "the broken rollout did not fail" >&2; exit 1
fi
grep -q 'DEP_E153' "$out/broken.log"
verify expect=stopped_rollout version=v1.2.0 old_version=v1.1.0

# Roll back to v1.1.0: only the failed robot is recreated.
play rollback "$playbooks/rolling_update.yml" -e rolling_update_package_version=v1.1.0 -e rolling_update_serial=3
verify expect=rolled version=v1.1.0
[ "$(changed_hosts rollback)" = 1 ]

# The status lists each live deployment once (the Stopped incarnations the rollouts left are not rows).
play status "$playbooks/fleet_status.yml"
[ "$(grep -Ec '"robot-noetic +lc2-robot-noetic +lc2-talker +Succeeded +Running' "$out/status.log")" = 1 ]
grep -Eq '"\(cloud\) +lc2-monitor +lc2-monitor +Succeeded +Running' "$out/status.log"
if grep -q 'Stopped' "$out/status.log"; then echo "the status lists stopped incarnations" >&2; exit 1; fi

# Teardown: its preview writes nothing and predicts the real run's changes; then robots, the
# monitor, the disk, the network, the packages; then converged.
before="$(writes)"
play teardown_check "$playbooks/teardown_robots.yml" --check
[ "$(writes)" = "$before" ]
if grep -E 'failed=[1-9]|fatal:' "$out/teardown_check.log"; then echo "the teardown preview failed somewhere" >&2; exit 1; fi
play teardown "$playbooks/teardown_robots.yml"
verify expect=torn_down
recap() { sed -n '/PLAY RECAP/,$p' "$out/$1.log" | grep -Eo 'changed=[0-9]+' | sort | uniq -c; }
[ "$(recap teardown_check)" = "$(recap teardown)" ]
before="$(writes)"
play teardown_again "$playbooks/teardown_robots.yml"
converged teardown_again
[ "$(writes)" = "$before" ]
