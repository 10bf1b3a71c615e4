# Copyright: (c) 2026, rapyuta.rio contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""The connection options are described once (DOCUMENTATION); the PLUGINS variant only adds where a
plugin also reads them from, and those environment variables are the modules' fallbacks."""

import yaml

from plugin_docs import rendered_docs

from ansible_collections.rapyuta.rio.plugins.doc_fragments.rio_auth import ModuleDocFragment
from ansible_collections.rapyuta.rio.plugins.module_utils.module.arguments import CONNECTION_OPTIONS, connection_argument_spec


def test_the_plugins_variant_adds_sources_only():
    options = yaml.safe_load(ModuleDocFragment.PLUGINS)["options"]
    assert set(options) <= set(CONNECTION_OPTIONS)
    assert all(set(entry) == {"env"} for entry in options.values())


def test_the_inventory_plugin_gets_the_module_descriptions_and_the_module_fallbacks():
    inventory = rendered_docs("inventory", ["rio_devices"])["rio_devices"]["options"]
    module = rendered_docs("module", ["rio_volume"])["rio_volume"]["options"]
    spec = connection_argument_spec()
    for name in CONNECTION_OPTIONS:
        assert inventory[name]["description"] == module[name]["description"], name
        assert inventory[name].get("default") == module[name].get("default"), name
        fallback = spec[name].get("fallback")
        wanted = fallback[1] if fallback else []
        assert [entry["name"] for entry in inventory[name].get("env", [])] == wanted, name
