#!/usr/bin/env bash
# tools/build_check.sh VENV [PUBLISH_VENV]: build the collection tarball, install it into a scratch path,
# check that only collection content went in, and render every module's and plugin's docs from the
# installed copy (what a Galaxy user gets); then build docs/awx.md's execution environment from
# that tarball as far as ansible-builder create goes (no container engine needed); then, given
# PUBLISH_VENV, run Galaxy's own import checks on the same tarball (tools/galaxy_import_check.sh).
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

# docs/awx.md's execution environment from the tarball: ansible-builder create copies only what the
# definition names into the build context. The context must hold the tarball, its Containerfile
# must install the collections of _build/requirements.yml from /build (a copy of _build), and that
# install, run in _build as the galaxy stage runs it in /build, must install this collection (--force:
# the copy installed above is on the configured collections path, and galaxy would skip it).
ee="$scratch/ee"
mkdir -p "$ee"
cp docs/execution-environment-tarball.yml docs/ee-requirements-tarball.yml "$ee/"
cp "$tarball" "$ee/rapyuta-rio.tar.gz"
(cd "$ee" && "$venv/bin/ansible-builder" create -f execution-environment-tarball.yml --output-filename Containerfile >/dev/null)
context="$ee/context"
if [ ! -f "$context/_build/collections/rapyuta-rio.tar.gz" ]; then
    echo "build_check.sh: ansible-builder create left the tarball out of the build context" >&2
    exit 1
fi
for line in 'COPY _build /build' 'WORKDIR /build' 'ansible-galaxy collection install .*-r requirements.yml'; do
    if ! grep -Eq "$line" "$context/Containerfile"; then
        echo "build_check.sh: the Containerfile lacks '$line'" >&2
        exit 1
    fi
done
(cd "$context/_build" && "$venv/bin/ansible-galaxy" collection install --force -r requirements.yml -p "$ee/installed" >/dev/null 2>&1) || {
    echo "build_check.sh: installing the EE's requirements from its build context failed" >&2
    exit 1
}
[ -f "$ee/installed/ansible_collections/rapyuta/rio/MANIFEST.json" ] || {
    echo "build_check.sh: the EE's requirements did not install rapyuta.rio" >&2
    exit 1
}
echo "ansible-builder create: the build context installs rapyuta.rio from the tarball"

# The image's last stage introspects the installed collections for Python requirements
# (meta/execution-environment.yml): the collection installed from the build context must declare
# what it imports.
introspected="$("$venv/bin/ansible-builder" introspect --sanitize "$ee/installed" 2>/dev/null)"
for requirement in requests jsonschema; do
    if ! grep -Eq "^- '?$requirement[>=<]" <<<"$introspected"; then
        echo "build_check.sh: ansible-builder introspect finds no $requirement in the installed collection:" >&2
        echo "$introspected" >&2
        exit 1
    fi
done

# docs/execution-environment.yml (from a Galaxy server): its context must carry the requirements
# file the galaxy stage installs rapyuta.rio from.
galaxy_ee="$scratch/ee-galaxy"
mkdir -p "$galaxy_ee"
cp docs/execution-environment.yml docs/ee-requirements.yml "$galaxy_ee/"
(cd "$galaxy_ee" && "$venv/bin/ansible-builder" create --output-filename Containerfile >/dev/null)
if ! "$venv/bin/python" - "$galaxy_ee/context/_build/requirements.yml" <<'PY'
import sys, yaml
names = [entry["name"] for entry in yaml.safe_load(open(sys.argv[1]))["collections"]]
sys.exit(0 if names == ["rapyuta.rio"] else "the Galaxy EE's requirements name %s" % names)
PY
then
    echo "build_check.sh: ansible-builder create did not put docs/ee-requirements.yml in the Galaxy EE's context" >&2
    exit 1
fi
grep -Eq 'ansible-galaxy collection install .*-r requirements.yml' "$galaxy_ee/context/Containerfile" || {
    echo "build_check.sh: the Galaxy EE's Containerfile does not install its requirements" >&2
    exit 1
}
echo "ansible-builder: the installed collection declares requests and jsonschema; the Galaxy EE's context is complete"

if [ -n "${2:-}" ]; then
    tools/galaxy_import_check.sh "$2" "$tarball"
fi
