# Copyright: (c) 2026, rapyuta.rio contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""The attributes fragment, merged into each module's docs: the shared part once, the variants per kind.

ansible-doc merges an attribute key by key, the module's own keys first, then the fragments in the
order listed; these tests fail if a module loses a fragment or a variant gives a key the shared part
already gives (the first fragment listed would then win, silently).
"""

import pytest

from plugin_docs import plugin_names, rendered_docs

MODULES = plugin_names("module")
READ_ONLY = [name for name in MODULES if name.endswith("_info")]


@pytest.fixture(scope="module")
def docs():
    return rendered_docs("module", MODULES)


def test_the_modules_were_found():
    assert "rio_deployment" in MODULES and READ_ONLY == ["rio_deployment_info", "rio_device_info", "rio_package_info", "rio_resource_info"]


@pytest.mark.parametrize("name", MODULES)
def test_every_module_has_the_shared_attributes(docs, name):
    attributes = docs[name]["attributes"]
    assert attributes["action_group"]["membership"] == ["rapyuta.rio.rio"]
    assert attributes["action_group"]["support"] == "full"
    assert attributes["platform"]["platforms"] == "all"
    assert attributes["check_mode"]["support"] == "full"
    assert attributes["check_mode"]["description"].startswith("Can run in check mode")
    assert attributes["diff_mode"]["description"]


@pytest.mark.parametrize("name", READ_ONLY)
def test_a_module_that_only_reads_has_no_diff(docs, name):
    attributes = docs[name]["attributes"]
    assert attributes["diff_mode"]["support"] == "none"
    assert attributes["check_mode"]["details"] == "The module only reads, so it runs the same in check mode."


@pytest.mark.parametrize("name", sorted(set(MODULES) - set(READ_ONLY)))
def test_a_module_that_writes_says_what_its_diff_holds(docs, name):
    attributes = docs[name]["attributes"]
    assert attributes["diff_mode"]["support"] == "full"
    assert attributes["diff_mode"]["details"].startswith(("Before and after", "One diff per deployment"))
