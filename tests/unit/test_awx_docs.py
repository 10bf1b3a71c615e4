# Copyright: (c) 2026, rapyuta.rio contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""docs/awx.md and the files it points to agree with the collection: the credential type injects the
connection variables the modules and the inventory plugin read (the API generation, the v2 host and the
organization included), docs/awx.md shows that same definition, and the two execution environment
definitions differ only in where the collection comes from."""

import os
import re

import yaml

from ansible_collections.rapyuta.rio.plugins.doc_fragments.rio_auth import ModuleDocFragment
from ansible_collections.rapyuta.rio.plugins.module_utils.module.arguments import connection_argument_spec
from ansible_collections.rapyuta.rio.plugins.module_utils.transport.client import API_VERSIONS

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.realpath(__file__))))
# TLS stays on in AWX; a private CA needs a file injector that only some installations want (docs/awx.md).
NOT_INJECTED = {"RIO_VALIDATE_CERTS", "RIO_CA_PATH"}


def read(path):
    with open(os.path.join(REPO, path)) as handle:
        return handle.read()


def credential_type():
    return yaml.safe_load(read("docs/awx-credential-type.yml"))


def fields_by_id(definition):
    return dict((field["id"], field) for field in definition["inputs"]["fields"])


def plugin_env_names():
    options = yaml.safe_load(ModuleDocFragment.PLUGINS)["options"]
    return dict((entry["name"], name) for name, sources in options.items() for entry in sources["env"])


def test_every_field_is_injected_into_the_variable_of_its_option():
    definition = credential_type()
    fields = fields_by_id(definition)
    env = definition["injectors"]["env"]
    readers = plugin_env_names()
    injected_fields = {}
    for variable, template in env.items():
        match = re.fullmatch(r"\{\{ (\w+) \}\}", template)
        assert match, (variable, template)
        assert match.group(1) in fields, (variable, template)
        # The field feeds the option of the same name, through that option's own variable.
        assert readers.get(variable) == match.group(1), (variable, readers.get(variable))
        injected_fields[match.group(1)] = variable
    assert set(injected_fields) == set(fields)
    assert set(readers) - set(env) == NOT_INJECTED


def test_the_credential_carries_the_generation_the_v2_host_and_the_organization():
    definition = credential_type()
    fields = fields_by_id(definition)
    spec = connection_argument_spec()
    assert fields["api_version"]["choices"] == list(API_VERSIONS)
    assert fields["api_version"]["default"] == spec["api_version"]["default"]
    assert {"v2_api_host", "organization"} <= set(fields)
    assert [name for name, field in fields.items() if field.get("secret")] == ["auth_token"]
    assert "service account" in fields["auth_token"]["help_text"]
    assert definition["inputs"]["required"] == ["auth_token", "project"]
    assert definition["kind"] == "cloud"


def test_awx_md_shows_the_same_definition():
    text = read("docs/awx.md")
    section = text.split("## 1. The credential type", 1)[1].split("\n## ", 1)[0]
    shown = yaml.safe_load(re.search(r"```yaml\n(.*?)```", section, re.S).group(1))
    definition = credential_type()
    without_help = [dict((key, value) for key, value in field.items() if key != "help_text")
                    for field in definition["inputs"]["fields"]]
    assert shown["inputs"]["fields"] == without_help
    assert shown["inputs"]["required"] == definition["inputs"]["required"]
    assert shown["injectors"] == definition["injectors"]


def test_the_v2_walkthrough_names_the_credential_fields_and_variables_it_relies_on():
    text = read("docs/awx.md")
    section = text.split("## 7. On the v2 API", 1)[1]
    for word in ("api_version", "RIO_V2_API_HOST", "RIO_ORGANIZATION", "RIO_API_VERSION", "service account",
                 "rapyuta.rio.rio_devices", "Job Slicing"):
        assert word in section, word


def test_the_two_execution_environments_differ_only_in_the_collection_source():
    galaxy = yaml.safe_load(read("docs/execution-environment.yml"))
    tarball = yaml.safe_load(read("docs/execution-environment-tarball.yml"))
    assert galaxy["dependencies"].pop("galaxy") == "ee-requirements.yml"
    assert tarball["dependencies"].pop("galaxy") == "ee-requirements-tarball.yml"
    copied = tarball.pop("additional_build_files")
    assert copied == [{"src": "rapyuta-rio.tar.gz", "dest": "collections"}]
    assert galaxy == tarball
    wanted = yaml.safe_load(read("docs/ee-requirements-tarball.yml"))["collections"]
    assert wanted == [{"name": "collections/rapyuta-rio.tar.gz", "type": "file"}]
    assert yaml.safe_load(read("docs/ee-requirements.yml"))["collections"][0]["name"] == "rapyuta.rio"
