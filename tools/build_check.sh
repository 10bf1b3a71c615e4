#!/usr/bin/env bash
# tools/build_check.sh VENV: build the collection tarball, install it into a scratch path, check
# that only collection content went in, and render every module's and plugin's docs from the
# installed copy (what a Galaxy user gets).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$root/$1"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
cd "$root"
"$venv/bin/ansible-galaxy" collection build --force --output-path "$scratch/dist" >/dev/null
tarball="$(ls "$scratch"/dist/rapyuta-rio-*.tar.gz)"
echo "built $(basename "$tarball") ($(du -k "$tarball" | cut -f1) KiB, $(tar -tzf "$tarball" | wc -l) entries)"
if tar -tzf "$tarball" | grep -E '^(emulator|bench|tools|\.venv|\.collections|tests/output)/'; then
    echo "build_check.sh: the tarball holds files that are not collection content (above)" >&2
    exit 1
fi
printf '[defaults]\ncollections_path = %s\n' "$scratch/collections" > "$scratch/ansible.cfg"
export ANSIBLE_CONFIG="$scratch/ansible.cfg"
"$venv/bin/ansible-galaxy" collection install --force -p "$scratch/collections" "$tarball" >/dev/null
count=0
for module in plugins/modules/*.py; do
    name="$(basename "$module" .py)"
    "$venv/bin/ansible-doc" "rapyuta.rio.$name" >/dev/null
    count=$((count + 1))
done
for plugin in plugins/inventory/*.py; do
    [ -e "$plugin" ] || continue
    "$venv/bin/ansible-doc" -t inventory "rapyuta.rio.$(basename "$plugin" .py)" >/dev/null
    count=$((count + 1))
done
for doc in plugins/filter/*.yml; do
    [ -e "$doc" ] || continue
    "$venv/bin/ansible-doc" -t filter "rapyuta.rio.$(basename "$doc" .yml)" >/dev/null
    count=$((count + 1))
done
for role in roles/*/; do
    "$venv/bin/ansible-doc" -t role "rapyuta.rio.$(basename "$role")" >/dev/null
    count=$((count + 1))
done
echo "ansible-doc rendered $count modules and plugins from the installed tarball"
