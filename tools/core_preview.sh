#!/usr/bin/env bash
# `make core-preview`: direct execution on the newest ansible-core on the package index (pre-releases
# included), to learn early when a core release breaks one of the internals it relies on
# (docs/direct-execution.md). A throwaway venv gets that ansible-core and the modules' requirements;
# the contract unit tests and the `direct_execution` integration target run with it.
#
# Never blocks: `make test` reports it after the other rungs without changing its exit status. It
# reaches no network but the configured package index, is bounded in time (RIO_PREVIEW_INSTALL_TIMEOUT,
# RIO_PREVIEW_TEST_TIMEOUT seconds), and skips with a message (exit 0) when the install fails.
# Writes "<ok|FAILED|skipped> <ansible-core version>" to tests/output/core-preview/status.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
root="$PWD"
out="$root/tests/output/core-preview"
mkdir -p "$out"
status_file="$out/status"
install_timeout="${RIO_PREVIEW_INSTALL_TIMEOUT:-600}"
test_timeout="${RIO_PREVIEW_TEST_TIMEOUT:-600}"

report() {  # report STATUS VERSION MESSAGE
    echo "$1 $2" >"$status_file"
    echo "core_preview.sh: $3"
}

base_python="$(tools/find_python.sh 3.12)" || { report skipped "-" "no Python >= 3.12 found: skipped"; exit 0; }
# Inside the checkout (tests/output is ignored by git), where tools/ansible_test.sh takes a venv from.
venv_dir="tests/output/core-preview/venv"
venv="$root/$venv_dir"
rm -rf "$venv"
trap 'rm -rf "$venv"' EXIT

if ! timeout "$install_timeout" "$base_python" -m venv "$venv" \
    || ! timeout "$install_timeout" "$venv/bin/python" -m pip install -q --disable-pip-version-check --pre \
        ansible-core requests jsonschema PyYAML pytest; then
    report skipped "-" "could not install the newest ansible-core from the package index: skipped"
    exit 0
fi
version="$("$venv/bin/python" -c 'from ansible.release import __version__; print(__version__)')"
python_version="$("$venv/bin/python" -c 'import sys; print("%d.%d" % sys.version_info[:2])')"
echo "core_preview.sh: ansible-core $version on Python $python_version"

# ansible-test fetches a pip bootstrap script for the pip version it pins unless it is cached: the
# stand-in that tools/bootstrap_ansible_test.sh writes serves any version.
tools/bootstrap_ansible_test.sh
pinned_pip="$(grep -ho "pip='[0-9.]*'" "$venv"/lib/python*/site-packages/ansible_test/_internal/python_requirements.py | head -1 | tr -dc '0-9.')"
cache="$HOME/.ansible/test/cache"
if [ -n "$pinned_pip" ] && [ ! -f "$cache/get_pip_${pinned_pip//./_}.py" ]; then
    cp "$cache/get_pip_25_2.py" "$cache/get_pip_${pinned_pip//./_}.py"
fi

failed=0
echo "=== the direct-execution contract unit tests"
PYTHONPATH="$root/.collections" ANSIBLE_CONFIG="$root/ansible.cfg" timeout "$test_timeout" \
    "$venv/bin/python" -m pytest -q -p no:cacheprovider \
    tests/unit/plugins/plugin_utils/test_direct_execution.py tests/unit/plugins/module_utils/module/ || failed=1

echo "=== the direct_execution integration target"
# The emulator keeps running on the main venv's interpreter (it has fastapi and uvicorn).
RIO_EMULATOR_PYTHON="$root/.venv/bin/python" timeout "$test_timeout" \
    tools/ansible_test.sh "$venv_dir" integration --python "$python_version" direct_execution || failed=1

if [ "$failed" = 0 ]; then
    report ok "$version" "direct execution works on ansible-core $version"
else
    report FAILED "$version" "direct execution FAILED on ansible-core $version (non-blocking; see above)"
fi
exit "$failed"
