#!/usr/bin/env bash
# The rio_devices inventory plugin against a private emulator (started and stopped by its own pid).
set -eux

source ../setup_rio_emulator/emulator.sh

start_emulator --phase-delay 0.2
python="$(command -v python)"

ansible-inventory -i online.rio_devices.yml --list > "${TMPDIR:-/tmp}/rio_devices_online.json"
"$python" check_list.py online < "${TMPDIR:-/tmp}/rio_devices_online.json"

ansible-inventory -i alpha.rio_devices.yml --list | "$python" check_list.py alpha
ansible-inventory -i grouped.rio_devices.yml --list | "$python" check_list.py grouped

# Under a v2 configuration (RIO_API_VERSION=v2, the token, project and hosts only in riocli's config
# file) the plugin reads the same devices from the core API. Not vacuous: the v1 catalog host is
# pointed nowhere, and the token only reaches the emulator through the file.
v2_work="$(mktemp -d)"
"$python" - "$v2_work/rio-cli.json" <<'PY'
import json, os, sys
with open(sys.argv[1], "w") as handle:
    json.dump({"auth_token": os.environ["RIO_AUTH_TOKEN"], "project_id": os.environ["RIO_PROJECT"],
               "environment": "ga", "v2api_host": os.environ["RIO_EMULATOR_URL"],
               "core_api_host": os.environ["RIO_EMULATOR_URL"]}, handle)
PY
(
    unset RIO_AUTH_TOKEN RIO_PROJECT RIO_CORE_API_HOST RIO_V2_API_HOST
    export RIO_API_VERSION=v2 RIO_CONFIG="$v2_work/rio-cli.json" RIO_CATALOG_HOST=http://127.0.0.1:9
    ansible-inventory -i v2.rio_devices.yml --list | "$python" check_list.py v2
    # docs/awx.md's v2 job template: the same inventory, one v2 deployment per selected robot.
    ansible-playbook -i v2.rio_devices.yml -e 'ansible_python_interpreter={{ ansible_playbook_python }}' \
        playbook_v2.yml "$@"
    [ "$(emulator_stats "d['by_route'].get('POST /v2/deployments/', 0)")" = 2 ] || {
        echo "the v2 job template did not create one v2 deployment per selected robot" >&2; exit 1; }
)
rm -rf "$v2_work"

# A file whose name does not end with rio_devices.yml is not taken by the plugin.
work="$(mktemp -d)"
cp online.rio_devices.yml "$work/online.yml"
if ansible-inventory -i "$work/online.yml" --list 2>/dev/null | grep -q robot-docker-amd64; then
    echo "a file named online.yml was parsed by the plugin" >&2; exit 1
fi

# With the cache on, the second listing makes no request at all.
export ANSIBLE_INVENTORY_CACHE=true ANSIBLE_INVENTORY_CACHE_PLUGIN=ansible.builtin.jsonfile
export ANSIBLE_INVENTORY_CACHE_CONNECTION="$work/cache"
ansible-inventory -i online.rio_devices.yml --list > /dev/null
first="$(emulator_stats "d['total']")"
ansible-inventory -i online.rio_devices.yml --list | "$python" check_list.py online
second="$(emulator_stats "d['total']")"
[ "$first" = "$second" ] || { echo "the cached listing made requests ($first -> $second)" >&2; exit 1; }
unset ANSIBLE_INVENTORY_CACHE ANSIBLE_INVENTORY_CACHE_PLUGIN ANSIBLE_INVENTORY_CACHE_CONNECTION
rm -rf "$work"

ansible-playbook -i online.rio_devices.yml -e 'ansible_python_interpreter={{ ansible_playbook_python }}' playbook.yml "$@"
