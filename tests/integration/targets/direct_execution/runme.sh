#!/usr/bin/env bash
# The same tasks run in the controller's worker (the default) and shipped as module processes
# (rio_direct_execution=false) must give the same results; -vvvv shows which way each task ran and
# never the token.
set -euxo pipefail

source ../setup_rio_emulator/emulator.sh

start_emulator --phase-delay 0
log="$(mktemp)"
trap 'rm -f "$log"; stop_emulator' EXIT
ansible-playbook -i localhost, -c local -e ansible_python_interpreter="$(command -v python)" main.yml -vvvv "$@" \
    2>&1 | tee "$log"

# Every comparison task ran once in the worker and once as a module process.
direct="$(grep -c "run in the controller's worker" "$log")"
shipped="$(grep -c "shipped as a module (rio_direct_execution is false)" "$log")"
test "$direct" -ge 9
test "$shipped" -ge 9
# A task with an environment is shipped (the module process gets the environment, the worker would not).
grep -q "shipped as a module (the task sets an environment)" "$log"
# The warning reaches the output (ansible-core shows a repeated warning once).
grep -q "WARNING.*components.nginx: alias and set_ros_namespace are not sent" "$log"
# The token never shows, at -vvvv either.
if token_in "$log"; then echo "runme.sh: the token is in the output" >&2; exit 1; fi

# A task that sets no rio_direct_execution goes the way the environment says (the floor rung of
# `make test` sets RIO_DIRECT_EXECUTION=false to ship every module of every target).
ansible-playbook -i localhost, -c local -e ansible_python_interpreter="$(command -v python)" default_way.yml -vvv "$@" \
    2>&1 | tee "$log"
case "${RIO_DIRECT_EXECUTION:-true}" in
    false|no|0) grep -q "shipped as a module (rio_direct_execution is false)" "$log" ;;
    *) grep -q "run in the controller's worker" "$log" ;;
esac
