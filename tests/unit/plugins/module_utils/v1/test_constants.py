# Copyright: (c) 2026, rapyuta.rio contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""The v1 vocabulary: how the phase groups relate, the restart-policy spellings, and that each value
is written once (no other module_utils or plugin_utils code spells a phase or a kind itself)."""

import ast
import os

import pytest
import yaml

from ansible_collections.rapyuta.rio.plugins.module_utils.v1 import constants
from ansible_collections.rapyuta.rio.plugins.module_utils.v1.constants import (
    FAILED_PHASES,
    GONE_PHASES,
    LIVE_PHASES,
    PENDING_PHASES,
    PHASE_SUCCEEDED,
    RestartPolicy,
    ROSDistro,
    Runtime,
)
from ansible_collections.rapyuta.rio.plugins.module_utils.v1.manifest_schema import MANIFEST_SCHEMA
from ansible_collections.rapyuta.rio.plugins.module_utils.v2.readiness import PHASES as V2_PHASES

PLUGINS = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(constants.__file__)), "..", ".."))
V2_PHASES_FILE = os.path.join(PLUGINS, "module_utils", "v2", "readiness.py")
ALL_PHASES = sorted(value for name, value in vars(constants).items() if name.startswith("PHASE_"))


def test_the_phase_groups_partition_as_the_platform_means_them():
    assert PENDING_PHASES.issubset(LIVE_PHASES)
    assert GONE_PHASES < FAILED_PHASES
    assert not GONE_PHASES & set(LIVE_PHASES)  # a stopped deployment no longer holds its name
    assert PHASE_SUCCEEDED in LIVE_PHASES and PHASE_SUCCEEDED not in FAILED_PHASES | PENDING_PHASES
    assert set(LIVE_PHASES) | GONE_PHASES == set(ALL_PHASES)


@pytest.mark.parametrize("module", ["rio_deployment_info", "rio_package_info"])
def test_the_documented_phase_choices_are_the_phases(module):
    with open(os.path.join(PLUGINS, "modules", module + ".py")) as handle:
        tree = ast.parse(handle.read())
    documentation = next(node.value.value for node in tree.body if isinstance(node, ast.Assign)
                         and getattr(node.targets[0], "id", None) == "DOCUMENTATION")
    # rio_deployment_info takes v2's spellings too (api_version v2), the others v1's only.
    v2_only = [phase for phase in V2_PHASES if phase not in ALL_PHASES] if module == "rio_deployment_info" else []
    assert sorted(yaml.safe_load(documentation)["options"]["phases"]["choices"]) == sorted(ALL_PHASES + v2_only)


def test_enums_hold_the_wire_values():
    assert (RestartPolicy.Always, RestartPolicy.Never, RestartPolicy.OnFailure) == ("always", "no", "on-failure")
    assert ROSDistro.ALL == ("kinetic", "melodic", "noetic")
    assert (Runtime.CLOUD, Runtime.DEVICE) == ("cloud", "device")


@pytest.mark.parametrize("spelling, wire", [
    ("always", "always"), ("Always", "always"),
    ("never", "no"), ("Never", "no"), ("no", "no"),
    ("on_failure", "on-failure"), ("OnFailure", "on-failure"), ("on-failure", "on-failure"),
    ("sometimes", None), (None, None), (3, None),
])
def test_restart_policy_spellings_map_to_the_wire_value(spelling, wire):
    assert RestartPolicy.wire_value(spelling) == wire


def test_the_manifest_schema_uses_the_same_vocabulary():
    component = MANIFEST_SCHEMA["properties"]["plans"]["items"]["properties"]["components"]["items"]["properties"]
    assert sorted(component["restart_policy"]["enum"]) == sorted(set(RestartPolicy.SPELLINGS.values()))
    assert tuple(component["requiredRuntime"]["enum"]) == Runtime.ALL
    assert tuple(component["ros"]["properties"]["ros_distro"]["enum"]) == ROSDistro.ALL


def _string_literals(path):
    """String constants in a source file's code, docstrings left out."""
    with open(path) as handle:
        tree = ast.parse(handle.read())
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                docstrings.add(id(first.value))
    return [node.value for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings]


def test_phases_kinds_and_the_volume_package_are_spelt_only_in_constants():
    values = set(ALL_PHASES) | {constants.ROUTED, constants.NATIVE, constants.PERSISTENT_VOLUME_PACKAGE}
    spelt = []
    for folder in ("module_utils", "plugin_utils"):
        for root, _dirs, files in os.walk(os.path.join(PLUGINS, folder)):
            for name in files:
                path = os.path.join(root, name)
                # v2 spells its own phases once, in v2/readiness.py; some coincide with v1's.
                if name.endswith(".py") and path not in (os.path.abspath(constants.__file__), V2_PHASES_FILE):
                    spelt += ["%s: %r" % (os.path.relpath(path, PLUGINS), value)
                              for value in _string_literals(path) if value in values]
    assert spelt == []
