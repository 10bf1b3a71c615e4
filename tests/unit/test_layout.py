# Copyright: (c) 2026, rapyuta.rio contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""tests/unit mirrors plugins/: each module_utils and plugin_utils source has its test file at the
same path (plugins/module_utils/deployments/build.py -> tests/unit/plugins/module_utils/deployments/
test_build.py), and each test file there tests a source that exists.

Test basenames repeat across folders (deployments/test_arguments.py, module/test_arguments.py), so
every folder under tests/unit/plugins is a package: pytest's default import mode then imports each
test module by its dotted path (plugins.module_utils.deployments.test_arguments) instead of its
basename, and the shared helpers next to conftest.py (package_fakes, http_server, ...) stay
importable by their bare names.
"""

import os

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
UNIT = os.path.join(ROOT, "tests", "unit")
MIRRORED = (os.path.join("plugins", "module_utils"), os.path.join("plugins", "plugin_utils"))


def _python_files(top, prefix=""):
    """Paths relative to ROOT of the .py files under ROOT/top whose name starts with prefix."""
    found = []
    for folder, dirs, files in os.walk(os.path.join(ROOT, top)):
        dirs[:] = [name for name in dirs if name != "__pycache__"]
        found += [os.path.relpath(os.path.join(folder, name), ROOT) for name in files
                  if name.endswith(".py") and name.startswith(prefix) and name != "__init__.py"]
    return sorted(found)


def mirrored_test_file(source):
    folder, name = os.path.split(source)
    return os.path.join("tests", "unit", folder, "test_" + name)


def mirrored_source(test_file):
    folder, name = os.path.split(os.path.relpath(test_file, os.path.join("tests", "unit")))
    return os.path.join(folder, name[len("test_"):])


def test_every_source_has_its_test_file_at_the_mirrored_path():
    sources = [source for top in MIRRORED for source in _python_files(top)]
    assert len(sources) > 20  # the walk found the tree
    missing = [source + " -> " + mirrored_test_file(source) for source in sources
               if not os.path.isfile(os.path.join(ROOT, mirrored_test_file(source)))]
    assert missing == [], "sources without a test file at the mirrored path:\n" + "\n".join(missing)


def test_every_test_file_there_has_its_source():
    test_files = [path for top in MIRRORED for path in _python_files(os.path.join("tests", "unit", top), "test_")]
    assert test_files
    orphans = [path + " -> " + mirrored_source(path) for path in test_files
               if not os.path.isfile(os.path.join(ROOT, mirrored_source(path)))]
    assert orphans == [], "test files whose source is not at the mirrored path:\n" + "\n".join(orphans)


def test_every_test_folder_under_plugins_is_a_package():
    folders = [folder for folder, dirs, _files in os.walk(os.path.join(UNIT, "plugins"))
               if "__pycache__" not in folder]
    without = [os.path.relpath(folder, ROOT) for folder in folders
               if not os.path.isfile(os.path.join(folder, "__init__.py"))]
    assert without == [], "add an empty __init__.py (test basenames repeat across folders): " + ", ".join(without)


def test_the_mirror_maps_both_ways():
    source = os.path.join("plugins", "module_utils", "deployments", "build.py")
    assert mirrored_test_file(source) == os.path.join("tests", "unit", "plugins", "module_utils", "deployments", "test_build.py")
    assert mirrored_source(mirrored_test_file(source)) == source
