#!/usr/bin/env bash
# The fleet roles refuse bad variables through their argument specs, before any API call (no
# emulator is started: a call would fail differently, and no RIO_* host is set).
set -eux
unset RIO_CATALOG_HOST RIO_CORE_API_HOST
ansible-playbook -i localhost, -c local -e 'ansible_python_interpreter={{ ansible_playbook_python }}' main.yml "$@"
