# Copyright: (c) 2026, rapyuta.rio contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""The vendor's JSON schemas as an oracle (docs/reference/v2-api.md#vendor-schemas-and-models): those riocli
10.11.0 ships, read where its wheel installed them (never copied into the repository), and validated the
way riocli validates. Used by the unit tests (v2 validation) and the riocli conformance suite (which adds
this folder to sys.path: its venv holds riocli, jsonschema and PyYAML).
"""

import copy
import glob
import importlib.util
import os

REPO = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))


def schema_folder():
    """The folder named by RIO_V2_SCHEMAS, else that of the riocli this interpreter has, else that of
    .venv-riocli (`make venv-riocli`); None when there is none."""
    candidates = [os.environ.get("RIO_V2_SCHEMAS", "")]
    spec = importlib.util.find_spec("riocli")
    if spec is not None and spec.submodule_search_locations:
        candidates.append(os.path.join(next(iter(spec.submodule_search_locations)), "jsonschema", "schemas"))
    candidates += sorted(glob.glob(os.path.join(REPO, ".venv-riocli", "lib", "python*", "site-packages", "riocli",
                                                "jsonschema", "schemas")))
    for folder in candidates:
        if folder and os.path.isfile(os.path.join(folder, "package-schema.yaml")):
            return folder
    return None


def default_injecting_validator(schema):
    """A draft-07 validator that fills in schema defaults while it validates, as riocli's does: without
    the defaults, ROS endpoints that omit optional flags fail the schema's conditionals."""
    from jsonschema import Draft7Validator, validators

    check_properties = Draft7Validator.VALIDATORS["properties"]

    def properties_with_defaults(validator, properties, instance, subschema):
        if isinstance(instance, dict):
            for key, child in properties.items():
                if isinstance(child, dict) and "default" in child:
                    instance.setdefault(key, copy.deepcopy(child["default"]))
        yield from check_properties(validator, properties, instance, subschema)

    return validators.extend(Draft7Validator, {"properties": properties_with_defaults})(schema)


def kind_schema(kind, folder=None):
    """The schema of a kind (Package, Deployment, ...) from `folder` (default: schema_folder())."""
    import yaml

    with open(os.path.join(folder or schema_folder(), "%s-schema.yaml" % kind.lower())) as handle:
        return yaml.safe_load(handle)


def validator(kind, folder=None):
    return default_injecting_validator(kind_schema(kind, folder))
