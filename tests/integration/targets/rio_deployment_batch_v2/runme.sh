#!/usr/bin/env bash
# Runs main.yml against a private emulator (started and stopped by its own pid).
set -eux

source ../setup_rio_emulator/emulator.sh

start_emulator --phase-delay 0.2
ansible-playbook -i localhost, -c local -e 'ansible_python_interpreter={{ ansible_playbook_python }}' main.yml "$@"
