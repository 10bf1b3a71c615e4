#!/usr/bin/env bash
# rapyuta.rio.cloud_side creates the sample fleet's cloud side (routed network, on v2 also the disk and
# the route, then the cloud deployment) without waiting for any object before creating the next, and
# waits for them all along with the cloud deployment: checked from the order of the requests in the
# emulator's access log, with objects that become ready 8 s after they are created (longer than the
# tasks that create them take, so each is still starting when the cloud deployment is created), on v1
# and v2.
# The converged re-run then writes nothing.
set -eux

source ../setup_rio_emulator/emulator.sh

repo="$(collection_root)"
export RIO_FLEET="$repo/playbooks/sample/fleet.yml"
out="$(mktemp -d)"

for generation in v1 v2; do
    inventory="$repo/playbooks/sample/inventory" manifests="$repo/playbooks/sample/manifests"
    if [ "$generation" = v2 ]; then
        inventory="$repo/playbooks/sample/inventory_v2" manifests="$repo/playbooks/sample/manifests_v2"
    fi
    start_emulator --phase-delay 8 --access-log
    # (The sample's manifests are found from playbooks/, where its playbooks are.)
    play "cloud_$generation" cloud_side.yml -e "fleet_manifests=$manifests"
    no_failure "cloud_$generation"
    grep -q 'Succeeded / Running; routed networks: sample-fleet-net' "$out/cloud_$generation.log"
    "${RIO_EMULATOR_PYTHON:-python}" request_order.py "$RIO_EMULATOR_LOG" "$generation"
    before="$(writes)"
    play "cloud_${generation}_again" cloud_side.yml -e "fleet_manifests=$manifests"
    converged "cloud_${generation}_again"
    [ "$(writes)" = "$before" ]
    stop_emulator
done
