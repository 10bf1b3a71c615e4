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
