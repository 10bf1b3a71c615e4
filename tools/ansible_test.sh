#!/usr/bin/env bash
# tools/ansible_test.sh VENV ARGS...: run VENV's ansible-test on a copy of this checkout.
#
# ansible-test only runs from a directory named .../ansible_collections/rapyuta/rio and does not
# follow symlinks, so the files git knows (tracked, or new and not ignored) are copied into a
# scratch tree first (a fraction of a second). The venv's bin/ goes first on PATH so that the
# interpreters ansible-test asks for (python3.X) are real ones, not pyenv's inactive shims.
# What is not collection content (galaxy.yml build_ignore: the emulator, the benchmark, these
# tools, the emulator's own test suites) stays out: it is not shipped, and has its own tests.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$(cd "$root/$1" && pwd)"; shift
# A fresh scratch tree per run, so parallel runs never pull the tree from under each other;
# RIO_KEEP_TEST_TREE=1 keeps it (with ansible-test's tests/output) for a look afterwards.
scratch="$(mktemp -d "${TMPDIR:-/tmp}/rio-ansible-test.XXXXXX")"
dest="$scratch/ansible_collections/rapyuta/rio"
if [ -z "${RIO_KEEP_TEST_TREE:-}" ]; then
    trap 'rm -rf "$scratch"' EXIT
else
    echo "ansible_test.sh: the tree stays in $dest"
fi

"$root/tools/bootstrap_ansible_test.sh"
mkdir -p "$dest"
( cd "$root" && git ls-files -z --cached --others --exclude-standard \
    | grep -zvE '^(emulator|bench|tools|tests/conformance[a-z0-9_]*|tests/reliability|tests/awx)/|^pyproject\.toml$' \
    | tar --null --ignore-failed-read -T - -cf - 2>/dev/null ) | tar -xf - -C "$dest"
# ansible-test gives integration targets a fixed environment, so the variables named here reach
# them through a file that setup_rio_emulator/emulator.sh sources (the floor rung sets
# RIO_DIRECT_EXECUTION=false to ship every module).
# emulator.sh starts the emulator with RIO_EMULATOR_PYTHON (it has fastapi and uvicorn): this venv's,
# unless set (tools/core_preview.sh names the main venv's: its throwaway venv has only the
# collection's requirements).
export RIO_EMULATOR_PYTHON="${RIO_EMULATOR_PYTHON:-$venv/bin/python}"
# The checkout, for what a target keeps after the scratch tree is gone (tests/output/fleet_scale/).
export RIO_REPO_ROOT="${RIO_REPO_ROOT:-$root}"
passthrough="$dest/tests/integration/targets/setup_rio_emulator/passthrough.env"
if [ -d "$(dirname "$passthrough")" ]; then
    : >"$passthrough"
    for name in RIO_DIRECT_EXECUTION RIO_EMULATOR_PYTHON RIO_REPO_ROOT; do
        if [ -n "${!name+set}" ]; then printf 'export %s=%q\n' "$name" "${!name}" >>"$passthrough"; fi
    done
fi
cd "$dest"
PATH="$venv/bin:$PATH" "$venv/bin/ansible-test" "$@"
