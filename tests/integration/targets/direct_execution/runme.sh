#!/usr/bin/env bash
# The same tasks run in the controller's worker (the default) and shipped as module processes
# (rio_direct_execution=false) must give the same results; -vvvv shows which way each task ran and
# never the token.
set -euxo pipefail

source ../setup_rio_emulator/emulator.sh

start_emulator --phase-delay 0
log="$(mktemp)"
other="$(mktemp -d)"
trap 'rm -rf "$log" "$other"; stop_emulator' EXIT
# The controller's own interpreter, for the shipped runs too (`command -v python` is ansible-test's
# wrapper script, a different executable: tasks naming it are shipped).
controller_python='ansible_python_interpreter={{ ansible_playbook_python }}'
ansible-playbook -i localhost, -c local -e "$controller_python" main.yml -vvvv "$@" \
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
ansible-playbook -i localhost, -c local -e "$controller_python" default_way.yml -vvv "$@" \
    2>&1 | tee "$log"
case "${RIO_DIRECT_EXECUTION:-true}" in
    false|no|0) grep -q "shipped as a module (rio_direct_execution is false)" "$log" ;;
    *) grep -q "run in the controller's worker" "$log" ;;
esac

# A task whose interpreter is another virtual environment (of the same Python, with the
# controller's libraries through a .pth file) is shipped and runs there; another name of the
# controller's own interpreter runs in the worker (each task sets its own: no -e here, extra vars win).
python -m venv --without-pip "$other/venv"
"$other/venv/bin/python" -c 'import site; print(site.getsitepackages()[0])' >"$other/site"
python -c 'import os, requests; print(os.path.dirname(os.path.dirname(requests.__file__)))' \
    >"$(cat "$other/site")/controller-libraries.pth"
ansible-playbook -i localhost, -c local -e other_python="$other/venv/bin/python" interpreter.yml -vvvv "$@" \
    2>&1 | tee "$log"
grep -q "rio_device_info: shipped as a module (the task's interpreter $other/venv/bin/python is not the controller's Python" "$log"
grep -q "EXEC .*$other/venv/bin/python .*AnsiballZ_rio_device_info" "$log"
grep -q "rio_package_info: run in the controller's worker" "$log"
