# Copyright: (c) 2026, rapyuta.rio contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""Shared unit-test fixtures: a real local HTTP(S) server and module-argument patching."""

import contextlib
import json
import os
import sys

import pytest

# http_server.py sits next to this file; make it importable whatever pytest's import mode is.
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from http_server import ScriptedServer, make_self_signed_cert, server_tls_context

try:  # ansible-core >= 2.19
    from ansible.module_utils.testing import patch_module_args as _patch_module_args
except ImportError:  # ansible-core 2.18 (the floor): feed the arguments the old way
    from unittest import mock

    from ansible.module_utils import basic

    @contextlib.contextmanager
    def _patch_module_args(args=None):
        serialized = json.dumps({"ANSIBLE_MODULE_ARGS": args or {}}).encode("utf-8")
        with mock.patch.object(basic, "_ANSIBLE_ARGS", serialized):
            yield


@pytest.fixture(autouse=True)
def no_riocli_login(tmp_path_factory, monkeypatch):
    """Keep the developer's own riocli login (its config file fills unset connection options) out of
    every test: riocli's default location is an empty folder, and RIO_CONFIG is unset unless a test sets it."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path_factory.getbasetemp() / "no-riocli-config"))
    monkeypatch.delenv("RIO_CONFIG", raising=False)


@pytest.fixture
def patch_module_args():
    """Context manager factory: ``with patch_module_args({...}): RioModule(...)``."""
    return _patch_module_args


@pytest.fixture
def rio_server():
    server = ScriptedServer().start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def tls_files(tmp_path_factory):
    files = make_self_signed_cert(str(tmp_path_factory.mktemp("tls")))
    if files is None:
        pytest.skip("neither the 'cryptography' package nor the 'openssl' command is available to make a test certificate")
    return files


@pytest.fixture
def tls_server(tls_files):
    server = ScriptedServer(tls_context=server_tls_context(*tls_files)).start()
    try:
        yield server
    finally:
        server.stop()
