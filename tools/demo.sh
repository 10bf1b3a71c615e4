#!/usr/bin/env bash
# `make demo`: start rio_emulator with the sample fleet (playbooks/sample/fleet.yml: 8 robots on two
# sites, amd64 and arm64v8, one offline) on a free loopback port, then, once on today's v2 API
# (playbooks/sample/inventory_v2) and once on the v1 API of the seed SDK (playbooks/sample/inventory):
# deploy the fleet with playbooks/deploy_robots.yml from the rio_devices inventory, print the fleet
# as the platform sees it, run the deployment again to show it is converged (changed=0, no write).
# Then stop the emulator.
# Needs the .venv that `make venv` creates. Nothing outside a temporary directory is written.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
venv="${RIO_VENV:-$root/.venv}"
for tool in python ansible-playbook; do
    [ -x "$venv/bin/$tool" ] || { echo "demo.sh: $venv/bin/$tool is missing; run 'make venv' first" >&2; exit 1; }
done
export PATH="$venv/bin:$PATH"
export ANSIBLE_CONFIG="$root/ansible.cfg"
export ANSIBLE_FORKS="${ANSIBLE_FORKS:-8}"
export ANSIBLE_NOCOLOR="${ANSIBLE_NOCOLOR:-}"
export RIO_AUTH_TOKEN="rio-demo-token" RIO_PROJECT="project-demo"

work="$(mktemp -d)"
emulator_pid=""
cleanup() {  # the emulator runs detached (rio_emulator's launcher started it): stop it by its pid
    if [ -n "$emulator_pid" ] && kill "$emulator_pid" 2>/dev/null; then
        for _ in $(seq 1 200); do kill -0 "$emulator_pid" 2>/dev/null || break; sleep 0.05; done
    fi
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

banner() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
started=$SECONDS

banner "Starting rio_emulator with the sample fleet (playbooks/sample/fleet.yml)"
launched="$(python -m rio_emulator launch --log "$work/emulator.log" --host 127.0.0.1 --port 0 \
    --fleet playbooks/sample/fleet.yml --state "$work/state.sqlite" --token "$RIO_AUTH_TOKEN" \
    --project "$RIO_PROJECT" --phase-delay "${RIO_DEMO_PHASE_DELAY:-1}")"
url="${launched% *}" emulator_pid="${launched##* }"
export RIO_CATALOG_HOST="$url" RIO_CORE_API_HOST="$url" RIO_V2_API_HOST="$url"
echo "emulator at $url (pid $emulator_pid); status page: $url/"

# API requests that change something: every request but GET/HEAD/OPTIONS, less the device selection
# query the inventory plugin sends to learn the architectures (a read by POST).
writes() {
    python - "$url" <<'PY'
import json, sys, urllib.request
stats = json.load(urllib.request.urlopen(sys.argv[1] + "/_emulator/stats"))
print(sum(n for route, n in stats["by_route"].items()
          if route.split(" ", 1)[0] not in ("GET", "HEAD", "OPTIONS") and "/selection/query" not in route))
PY
}

# One generation: its sample inventory (rio_api_version there picks the API), two runs, the check.
demo_generation() {
    local label="$1" inventory="$2" before after
    banner "[$label] The inventory: online robots only (rapyuta.rio.rio_devices), grouped by site and architecture"
    ansible-inventory -i "$inventory" --graph

    banner "[$label] Run 1: ansible-playbook -i $inventory playbooks/deploy_robots.yml"
    ansible-playbook -i "$inventory" playbooks/deploy_robots.yml

    banner "[$label] The fleet as the platform sees it"
    ansible-playbook -i "$inventory" playbooks/fleet_status.yml | sed -n '/TASK \[Show the fleet/,/^$/p'

    banner "[$label] Run 2: the same playbook again; a converged fleet makes no write"
    before="$(writes)"
    ansible-playbook -i "$inventory" playbooks/deploy_robots.yml | tee "$work/run2-$label.log" | sed -n '/PLAY RECAP/,$p'
    after="$(writes)"
    echo "[$label] API writes during run 2: $((after - before))"
    if grep -Eq 'changed=[1-9]|failed=[1-9]' "$work/run2-$label.log" || [ "$after" != "$before" ]; then
        echo "demo.sh: run 2 on $label was not idempotent" >&2
        exit 1
    fi
}

demo_generation v2 playbooks/sample/inventory_v2
demo_generation v1 playbooks/sample/inventory

banner "Done in $((SECONDS - started)) s: on v2 and on v1, run 2 reported changed=0 and made no API write. Stopping the emulator."
