#!/usr/bin/env bash
# Sourced by runme.sh integration targets: start_emulator [extra serve flags...]
# Starts a private rio_emulator on a free loopback port with the test fleet, exports the
# connection variables the collection reads, and stops the emulator (by its own pid) on exit.
set -eu

_setup_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# Variables tools/ansible_test.sh passes through ansible-test, which does not pass the environment.
if [ -f "$_setup_dir/passthrough.env" ]; then
    # shellcheck disable=SC1091
    source "$_setup_dir/passthrough.env"
fi

# Where to start the emulator from: anywhere when `python -m rio_emulator` is importable (make venv
# installs it in editable mode, so this works from ansible-test's copy of the tree); else the
# checkout that holds rio_emulator/.
emulator_cwd() {
    if "${RIO_EMULATOR_PYTHON:-python}" -c "import rio_emulator" >/dev/null 2>&1; then pwd; return; fi
    if [ -n "${RIO_REPO_ROOT:-}" ]; then echo "$RIO_REPO_ROOT"; return; fi
    local dir="$_setup_dir"
    while [ "$dir" != "/" ]; do
        if [ -f "$dir/rio_emulator/__main__.py" ]; then echo "$dir"; return; fi
        dir="$(dirname "$dir")"
    done
    echo "emulator.sh: rio_emulator is neither importable nor found above $_setup_dir (run make venv)" >&2
    return 1
}

stop_emulator() {
    if [ -n "${RIO_EMULATOR_PID:-}" ] && kill -0 "$RIO_EMULATOR_PID" 2>/dev/null; then
        kill "$RIO_EMULATOR_PID" 2>/dev/null || true
        wait "$RIO_EMULATOR_PID" 2>/dev/null || true
    fi
    RIO_EMULATOR_PID=""
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
    local root work log line tries
    root="$(emulator_cwd)"
    work="${RIO_EMULATOR_WORKDIR:-$(mktemp -d)}"
    log="$work/emulator.log"
    export RIO_AUTH_TOKEN="${RIO_AUTH_TOKEN:-rio-integration-token}"
    export RIO_PROJECT="${RIO_PROJECT:-project-integration}"
    ( cd "$root" && exec "${RIO_EMULATOR_PYTHON:-python}" -m rio_emulator serve --host 127.0.0.1 --port 0 \
        --state "$work/state.sqlite" --fleet "${RIO_FLEET:-$_setup_dir/files/fleet.yml}" \
        --token "$RIO_AUTH_TOKEN" --project "$RIO_PROJECT" "$@" ) >"$log" 2>&1 &
    RIO_EMULATOR_PID=$!
    trap stop_emulator EXIT
    for tries in $(seq 1 200); do
        line="$(grep -m1 -o 'rio_emulator listening on [^ ]*' "$log" || true)"
        [ -n "$line" ] && break
        if ! kill -0 "$RIO_EMULATOR_PID" 2>/dev/null; then
            echo "emulator.sh: the emulator exited:" >&2; cat "$log" >&2; return 1
        fi
        sleep 0.05
    done
    [ -n "$line" ] || { echo "emulator.sh: no listening line after 10 s" >&2; cat "$log" >&2; return 1; }
    export RIO_EMULATOR_URL="${line##* }"
    export RIO_CATALOG_HOST="$RIO_EMULATOR_URL" RIO_CORE_API_HOST="$RIO_EMULATOR_URL"
    export RIO_EMULATOR_LOG="$log" RIO_EMULATOR_PID
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
