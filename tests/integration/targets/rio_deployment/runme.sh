#!/usr/bin/env bash
# rio_deployment against private emulators: the main scenarios on a quick one, then the wait
# timeout on one whose phases take 5 s each. Each emulator is stopped by its own pid.
set -eux

source ../setup_rio_emulator/emulator.sh

run_playbook() {
    ansible-playbook -i localhost, -c local -e 'ansible_python_interpreter={{ ansible_playbook_python }}' "$@"
}

start_emulator --phase-delay 0.3
run_playbook main.yml "$@"
stop_emulator

start_emulator --phase-delay 5
run_playbook slow.yml "$@"
stop_emulator
