# Copyright: (c) 2026, rapyuta.rio contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""Every reference in the repository points into the repository.

Scans each text file of the checkout (``git ls-files``, untracked but not ignored files included)
for paths outside the repository and for citations of the wire reference
(``docs/reference/<file>.md#<anchor>``, the style docs/reference/README.md prescribes) whose file
or anchor does not exist. Links between the reference's own pages are checked the same way.
"""

import os
import re
import subprocess

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.realpath(__file__))))
REFERENCE_DIR = "docs/reference"

# Paths that exist only on the machine the project was written on. The patterns are spelled so
# that their own source text does not match them (this file is scanned too).
OUTSIDE_PATTERNS = (
    (re.compile(r"\bshare[d]/(?:reference|seed|fixtures|hooks|DESIGN)\b"), "a file of the authors' shared folder"),
    (re.compile(r"(?:^|[^\w.])\.\./+shared\b"), "a folder next to the repository"),
    (re.compile(r"\brio-v\d+-api\.md"), "the upstream wire reference (cite docs/reference instead)"),
    (re.compile(r"\bDESIGN\.md"), "a design sketch that is not in the repository"),
    (re.compile(r"(?:^|[^\w.~-])/wor[k]/"), "an absolute path of the authors' machine"),
    # /home/rapyuta/... is a path on a robot (device configuration), not on a developer's machine.
    (re.compile(r"(?:^|[^\w.~-])/(?:home|Users)/(?!rapyuta/)[\w.-]+/"), "a home directory"),
    (re.compile(r"(?:^|[^\w.~-])/roo[t]/"), "the root user's home directory"),
    # The old citation style pointed into the upstream reference by section number.
    (re.compile("\u00a7" + r"\s*\d"), "a section number of the upstream reference (cite docs/reference/<file>.md#<anchor>)"),
)
CITATION = re.compile(re.escape(REFERENCE_DIR) + r"/([A-Za-z0-9_.-]+\.md)(?:#([A-Za-z0-9_-]+))?")
MARKDOWN_LINK = re.compile(r"\]\(([^)\s]+)\)")
HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
HTML_ANCHOR = re.compile(r"<a\s+(?:id|name)=\"([^\"]+)\"")


def repository_files():
    """Paths (relative to the repository) of the files a commit would hold."""
    try:
        output = subprocess.run(["git", "-C", REPO, "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                                check=True, capture_output=True).stdout
        return sorted(set(path for path in output.decode("utf-8").split("\0") if path))
    except (OSError, subprocess.CalledProcessError):
        # Not a git checkout (an unpacked tarball): walk the tree, skipping hidden and generated folders.
        found = []
        for root, dirs, files in os.walk(REPO):
            dirs[:] = [d for d in dirs if not d.startswith(".") and d not in ("__pycache__", "output")]
            found.extend(os.path.relpath(os.path.join(root, name), REPO) for name in files)
        return sorted(found)


def read_text(relative):
    """The file's text, or None for binary files, symlinks to folders and files that are gone."""
    path = os.path.join(REPO, relative)
    if not os.path.isfile(path):
        return None
    with open(path, "rb") as handle:
        data = handle.read()
    if b"\0" in data[:8192]:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def slug(heading):
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = heading.strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def anchors_of(text):
    """Every anchor a markdown text defines (heading slugs, numbered like GitHub for repeats)."""
    found, seen, fenced = set(), {}, False
    for line in text.splitlines():
        if line.lstrip().startswith("```"):
            fenced = not fenced
            continue
        if fenced:
            continue
        found.update(HTML_ANCHOR.findall(line))
        match = HEADING.match(line)
        if match:
            base = slug(match.group(2))
            count = seen.get(base, 0)
            seen[base] = count + 1
            found.add(base if count == 0 else "%s-%d" % (base, count))
    return found


class Reference:
    """The pages of docs/reference and their anchors."""

    def __init__(self, root=REPO):
        self.root = root
        self._anchors = {}

    def anchors(self, relative):
        """Anchors of a repository file, or None when the file does not exist."""
        if relative not in self._anchors:
            path = os.path.join(self.root, relative)
            if os.path.isfile(path):
                with open(path, encoding="utf-8") as handle:
                    self._anchors[relative] = anchors_of(handle.read())
            else:
                self._anchors[relative] = None
        return self._anchors[relative]

    def check(self, relative_file, anchor):
        """None when ``relative_file#anchor`` exists, else what is wrong."""
        anchors = self.anchors(relative_file)
        if anchors is None:
            return "%s does not exist" % relative_file
        if anchor and anchor not in anchors:
            return "%s has no section #%s" % (relative_file, anchor)
        return None


def problems_in(text, path, reference):
    """[(line number, problem)] of one file's text."""
    problems = []
    in_reference = path.startswith(REFERENCE_DIR + "/") and path.endswith(".md")
    for number, line in enumerate(text.splitlines(), 1):
        for pattern, what in OUTSIDE_PATTERNS:
            match = pattern.search(line)
            if match:
                problems.append((number, "%s: %r" % (what, match.group(0).strip())))
        for match in CITATION.finditer(line):
            error = reference.check("%s/%s" % (REFERENCE_DIR, match.group(1)), match.group(2))
            if error:
                problems.append((number, "citation %s: %s" % (match.group(0), error)))
        if in_reference:
            for target in MARKDOWN_LINK.findall(line):
                if re.match(r"^[a-z][a-z0-9+.-]*:", target):
                    continue  # an external URL
                file_part, _hash, anchor = target.partition("#")
                relative = os.path.normpath(os.path.join(os.path.dirname(path), file_part)) if file_part else path
                error = reference.check(relative.replace(os.sep, "/"), anchor)
                if error:
                    problems.append((number, "link %s: %s" % (target, error)))
    return problems


def test_the_reference_exists_and_has_sections():
    reference = Reference()
    anchors = reference.anchors(REFERENCE_DIR + "/v1-api.md")
    assert anchors, "docs/reference/v1-api.md is missing or has no headings"
    assert {"hosts", "provision-body", "deployment-objects", "error-codes", "devices"} <= anchors
    assert reference.anchors(REFERENCE_DIR + "/README.md") is not None


# The v2 sections other code and docs are told to cite; renaming one of these headings breaks them.
V2_SECTIONS = {
    "hosts-and-headers", "object-envelope", "lists-and-pagination", "errors", "packages", "deployments",
    "deployment-phases-and-readiness", "deployment-error-codes", "networks", "disks", "static-routes",
    "secrets", "config-trees", "projects-and-users", "devices", "manifests", "manifest-dependency-order",
    "v1-to-v2-mapping",
}


def test_the_v2_reference_has_the_cited_sections():
    anchors = Reference().anchors(REFERENCE_DIR + "/v2-api.md")
    assert anchors, "docs/reference/v2-api.md is missing or has no headings"
    assert not V2_SECTIONS - anchors, "missing sections: %s" % sorted(V2_SECTIONS - anchors)


def test_every_reference_points_into_the_repository():
    reference = Reference()
    files = repository_files()
    assert len(files) > 100, "found only %d files: the scan is not looking at the repository" % len(files)
    report, citations = [], 0
    for path in files:
        text = read_text(path)
        if text is None:
            continue
        citations += len(CITATION.findall(text))
        report.extend("%s:%d: %s" % (path, number, problem) for number, problem in problems_in(text, path, reference))
    assert not report, "references that do not point into the repository:\n" + "\n".join(report)
    # Code, tests and docs cite the reference in many places; finding none means the scan is broken.
    assert citations > 20


@pytest.mark.parametrize("line", [
    "see " + "share" + "d/reference/" + "rio-" + "v1-api.md",
    "the spec (" + "rio-" + "v1-api.md)",
    "cd " + "/wor" + "k/main && make",
    "fixtures in " + "../" + "share" + "d/fixtures",
    "# -- packages (ref " + "\u00a7" + "2) --",
    "cache at " + "/home/" + "alice/.cache/x",
    "docs/reference/" + "v1-api.md#no-such-section",
    "docs/reference/" + "no-such-page.md",
])
def test_a_bad_reference_is_found(line):
    assert problems_in(line, "plugins/example.py", Reference()), line


@pytest.mark.parametrize("line", [
    "docs/reference/" + "v1-api.md#provision-body",
    "docs/reference/" + "README.md",
    "config_variables: {ros_workspace: /home/rapyuta/catkin_ws}",
    "cache_connection: ~/.cache/rio_devices",
])
def test_a_good_reference_passes(line):
    assert not problems_in(line, "plugins/example.py", Reference())


def test_links_inside_the_reference_are_checked():
    reference = Reference()
    page = REFERENCE_DIR + "/v1-api.md"
    assert not problems_in("see [Hosts](#hosts) and [index](README.md#how-to-cite)", page, reference)
    assert problems_in("see [nothing](#no-such-section)", page, reference)
    assert problems_in("see [gone](v9-api.md)", page, reference)


def test_heading_slugs_follow_github():
    assert slug("Errors and retries") == "errors-and-retries"
    assert slug("`DEP_E` codes, devices & more") == "dep_e-codes-devices--more"
    assert anchors_of("## Update\n```\n## not a heading\n```\n## Update\n") == {"update", "update-1"}
