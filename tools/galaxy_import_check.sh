#!/usr/bin/env bash
# tools/galaxy_import_check.sh PUBLISH_VENV TARBALL: Galaxy's own import checks (galaxy-importer, with
# ansible-doc and ansible-lint's production profile) on a built collection tarball; settings in
# tools/galaxy-importer.cfg. Fails on any importer error and on any warning (every ansible-lint finding
# is logged as one, and so would be a sanity ignore file: the collection has none).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$root/$1"
tarball="$(cd "$(dirname "$2")" && pwd)/$(basename "$2")"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT

log="$scratch/importer.log"
# The importer runs ansible-doc and ansible-lint from PATH: those of the publish venv.
status=0
(cd "$scratch" && PATH="$venv/bin:$PATH" GALAXY_IMPORTER_CONFIG="$root/tools/galaxy-importer.cfg" \
    GALAXY_IMPORTER_ANSIBLE_LOCAL_TMP="$scratch/ansible-tmp" \
    "$venv/bin/python" -m galaxy_importer.main "$tarball" >"$log" 2>&1) || status=$?
findings="$(grep -E '^(WARNING|ERROR|CRITICAL)' "$log" || true)"
if [ "$status" -ne 0 ] || [ -n "$findings" ] || ! grep -q '^Importer processing completed successfully' "$log" \
        || ! grep -q 'ansible-lint run complete' "$log"; then
    grep -v '^Loading ' "$log" >&2
    echo "galaxy_import_check.sh: galaxy-importer did not accept $(basename "$tarball") (exit $status; findings above)" >&2
    exit 1
fi
loaded="$(grep -c '^Loading ' "$log")"
echo "galaxy-importer $("$venv/bin/python" -c 'import importlib.metadata as m; print(m.version("galaxy-importer"))'):" \
    "$(basename "$tarball") imported ($loaded content items, ansible-doc and ansible-lint clean)"
