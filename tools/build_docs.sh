#!/usr/bin/env bash
# tools/build_docs.sh PUBLISH_VENV [DEST]: the collection's HTML docsite with antsibull-docs (`make docs`):
# sphinx-init for the current checkout (through .collections), the plugin, module and role pages and
# docs/docsite's extra docs from antsibull-docs, the Markdown guides of docs/ (copied at build time) read with MyST,
# then sphinx-build. Output: DEST/build/html/index.html (DEST defaults to build/docs).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$root/$1"
dest="$root/${2:-build/docs}"
cd "$root"
export PATH="$venv/bin:$PATH"
# The collection as installed for ansible-doc: the repository through the .collections link.
export ANSIBLE_COLLECTIONS_PATH="$root/.collections"
export ANSIBLE_CONFIG="$root/ansible.cfg"

rm -rf "$dest" && mkdir -p "$dest"
antsibull-docs sphinx-init --use-current --fail-on-error --squash-hierarchy --dest-dir "$dest" \
    --project rapyuta.rio --copyright "rapyuta.rio maintainers" --title "rapyuta.rio collection" rapyuta.rio >/dev/null
# The guides are Markdown: MyST reads them as Sphinx documents from a copy of docs/ taken here, so
# their links to each other resolve; links to repository files outside docs/ point to the repository
# on GitHub in the copy. docs/docsite/rst/guides.rst (antsibull's extra docs, which must be RST) links
# each guide; the copy of that page gets a hidden toctree of the same guides, so they sit under it in
# the navigation and a guide it does not link fails the build (toc.not_included).
# There is no network: no intersphinx inventories, so the generated pages' links to docs.ansible.com
# labels and environment variables stay unresolved (ref.ref, ref.envvar), and a code block Pygments
# cannot lex shows as plain text (misc.highlighting_failure); every other warning fails the build
# (sphinx-build -W).
repo_url="$(sed -n 's/^repository: *//p' galaxy.yml)"
mkdir -p "$dest/guides"
cp -r docs/*.md docs/reference "$dest/guides/"
sed -i -E "s#\]\(\.\./([^)]*)\)#](${repo_url}/tree/main/\1)#g" "$dest"/guides/*.md
{
    printf '\n.. toctree::\n   :hidden:\n\n'
    grep -o ':doc:`/guides/[^`]*`' docs/docsite/rst/guides.rst | sed -E 's#:doc:`(.*)`#   \1#'
} >"$dest/guides-toctree.rst"
cat >>"$dest/conf.py" <<'CONF'

extensions.append("myst_parser")
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
myst_heading_anchors = 4
intersphinx_mapping = {}
suppress_warnings = ["ref.ref", "ref.envvar", "misc.highlighting_failure"]
CONF
# build.sh (written by sphinx-init) regenerates rst/ from the collection, then runs sphinx-build:
# the guides go in between.
sed -i 's|^sphinx-build |cp -r guides rst/guides \&\& cat guides-toctree.rst >>rst/docsite/guides.rst\nsphinx-build |' "$dest/build.sh"
grep -q '^cp -r guides rst/guides ' "$dest/build.sh" || { echo "build_docs.sh: build.sh has no sphinx-build line" >&2; exit 1; }
(cd "$dest" && bash ./build.sh)
echo "docsite: $dest/build/html/index.html"
