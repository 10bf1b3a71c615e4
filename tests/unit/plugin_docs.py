# Copyright: (c) 2026, rapyuta.rio contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""Plugin docs as ansible-doc renders them, doc fragments merged in (for the doc fragment tests).

Run as a separate process: loading doc fragments in this one would install ansible's collection
finder, which the other tests import the collection without.
"""

import json
import os
import subprocess
import sys

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))


def _collections_path():
    # The checkout is either a collection tree itself (ansible-test's copy) or linked under .collections (make venv).
    parts = ROOT.split(os.sep)
    if parts[-3:-1] == ["ansible_collections", "rapyuta"]:
        return os.sep.join(parts[:-3])
    return os.path.join(ROOT, ".collections")


def plugin_names(plugin_type):
    folder = os.path.join(ROOT, "plugins", "modules" if plugin_type == "module" else plugin_type)
    return sorted(name[:-3] for name in os.listdir(folder) if name.endswith(".py") and name != "__init__.py")


def rendered_docs(plugin_type, names):
    """{short name: the ``doc`` ansible-doc --json gives} for plugins of this collection."""
    command = [os.path.join(os.path.dirname(sys.executable), "ansible-doc"), "--json", "-t", plugin_type]
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=_collections_path())
    out = subprocess.run(command + ["rapyuta.rio." + name for name in names], env=env, check=True, capture_output=True).stdout
    return dict((full.split(".")[-1], rendered["doc"]) for full, rendered in json.loads(out).items())
