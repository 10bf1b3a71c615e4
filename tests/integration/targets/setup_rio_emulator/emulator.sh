#!/usr/bin/env bash
# Sourced by runme.sh integration targets: start_emulator [extra serve flags...]
# Starts a private rio_emulator on a free loopback port with the test fleet (`python -m rio_emulator
# launch`), exports the connection variables the collection reads, and stops the emulator (by its own
# pid) on exit.
set -eu

_setup_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# Variables tools/ansible_test.sh passes through ansible-test, which does not pass the environment.
if [ -f "$_setup_dir/passthrough.env" ]; then
    # shellcheck disable=SC1091
    source "$_setup_dir/passthrough.env"
fi

# `python -m rio_emulator` is importable from anywhere once make venv has installed it (editable), which
# also covers ansible-test's copy of the tree; otherwise it is taken from the checkout around this file.
emulator_pythonpath() {
    if "${RIO_EMULATOR_PYTHON:-python}" -c "import rio_emulator" >/dev/null 2>&1; then return; fi
    local dir="${RIO_REPO_ROOT:-$_setup_dir}"
    while [ "$dir" != "/" ]; do
        if [ -f "$dir/emulator/rio_emulator/__main__.py" ]; then
            export PYTHONPATH="$dir/emulator${PYTHONPATH:+:$PYTHONPATH}"; return
        fi
        dir="$(dirname "$dir")"
    done
    echo "emulator.sh: rio_emulator is neither importable nor found above $_setup_dir (run make venv)" >&2
    return 1
}

# The emulator runs detached from this shell (rio_emulator's launcher started it), so it is waited
# for by polling its pid.
stop_emulator() {
    { untraced; } 2>/dev/null
    if [ -n "${RIO_EMULATOR_PID:-}" ] && kill "$RIO_EMULATOR_PID" 2>/dev/null; then
        for _ in $(seq 1 200); do
            kill -0 "$RIO_EMULATOR_PID" 2>/dev/null || break
            sleep 0.05
        done
    fi
    RIO_EMULATOR_PID=""
    retraced
}

# The runme scripts trace their commands (set -x); the token stays out of the trace, as it stays
# out of everything the collection prints.
untraced() { case $- in *x*) _rio_xtrace=1; set +x ;; *) _rio_xtrace="" ;; esac; }
retraced() { if [ -n "${_rio_xtrace:-}" ]; then set -x; fi; }

token_in() {  # token_in FILE: whether FILE holds the token
    { untraced; } 2>/dev/null
    local found=1
    if grep -qF "$RIO_AUTH_TOKEN" "$1"; then found=0; fi
    retraced
    return "$found"
}

start_emulator() {
    { untraced; } 2>/dev/null
    local work log launched
    emulator_pythonpath
    work="${RIO_EMULATOR_WORKDIR:-$(mktemp -d)}"
    log="$work/emulator.log"
    export RIO_AUTH_TOKEN="${RIO_AUTH_TOKEN:-rio-integration-token}"
    export RIO_PROJECT="${RIO_PROJECT:-project-integration}"
    launched="$("${RIO_EMULATOR_PYTHON:-python}" -m rio_emulator launch --log "$log" --timeout 10 \
        --host 127.0.0.1 --port 0 --state "$work/state.sqlite" --fleet "${RIO_FLEET:-$_setup_dir/files/fleet.yml}" \
        --token "$RIO_AUTH_TOKEN" --project "$RIO_PROJECT" "$@")" || { retraced; return 1; }
    export RIO_EMULATOR_URL="${launched% *}" RIO_EMULATOR_PID="${launched##* }"
    trap stop_emulator EXIT
    export RIO_CATALOG_HOST="$RIO_EMULATOR_URL" RIO_CORE_API_HOST="$RIO_EMULATOR_URL" RIO_V2_API_HOST="$RIO_EMULATOR_URL"
    export RIO_EMULATOR_LOG="$log"
    retraced
}

# emulator_stats [jq-free python expression on the stats dict, e.g. "d['writes']"]
emulator_stats() {
    "${RIO_EMULATOR_PYTHON:-python}" - "$RIO_EMULATOR_URL" "${1:-d}" <<'PY'
import json, sys, urllib.request
d = json.load(urllib.request.urlopen(sys.argv[1] + "/_emulator/stats"))
print(json.dumps(eval(sys.argv[2])))
PY
}

# The collection's root: the checkout when the target runs from it; under ansible-test (which copies
# only the target and what it needs), the collection on ANSIBLE_COLLECTIONS_PATH.
collection_root() {
    local dir
    for dir in ../../../.. $(printf '%s' "${ANSIBLE_COLLECTIONS_PATH:-}" | tr ':' '\n' | sed 's|$|/ansible_collections/rapyuta/rio|'); do
        if [ -f "$dir/playbooks/deploy_robots.yml" ]; then (cd "$dir" && pwd); return; fi
    done
    echo "emulator.sh: cannot find the collection's playbooks/" >&2
    return 1
}

# The fleet targets' runs: each keeps its output in $out/NAME.log, read back by the checks below.
play() {  # play NAME PLAYBOOK [args...]: ansible-playbook -i $inventory
    local name="$1"; shift
    ansible-playbook -i "${inventory:?}" "$@" 2>&1 | tee "${out:?}/$name.log"
    return "${PIPESTATUS[0]}"
}

# Requests that change something (the emulator counts the device selection query, a POST, as a read).
writes() { emulator_stats "d['writes']"; }

converged() {  # converged NAME: the run's recap shows no change and no failure on any host
    grep -q 'PLAY RECAP' "$out/$1.log"
    if grep -E '^[^ ].*: ok=.*(changed=[1-9]|failed=[1-9]|unreachable=[1-9])' "$out/$1.log"; then
        echo "$1 was not converged" >&2; return 1
    fi
}

no_failure() {  # no_failure NAME: the run got to its recap, with no failed or unreachable host
    grep -q 'PLAY RECAP' "$out/$1.log"
    if grep -E 'failed=[1-9]|unreachable=[1-9]|fatal:' "$out/$1.log"; then echo "$1 failed somewhere" >&2; return 1; fi
}

changed_total() {  # changed_total NAME: the sum of changed= over the recap of run NAME
    awk -F 'changed=' '/: ok=[0-9]+ +changed=/ { split($2, n, " "); total += n[1] } END { print total + 0 }' "$out/$1.log"
}
