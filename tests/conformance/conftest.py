"""Conformance suite: the official rapyuta-io 1.17.1 SDK, unchanged, against a private rio_emulator.

One emulator process serves the whole session (loopback only, free port, killed by its own pid).
`RIO_CONFIG` points all three SDK hosts at it. Every test starts from `POST /_emulator/reset`, so
tests do not see each other's packages and deployments. Every wait is bounded: the emulator must
announce itself within STARTUP_TIMEOUT seconds, each test is cut off after TEST_TIMEOUT seconds
(the SDK 1.17.1 sets no request timeouts), and the pollers run with small retry counts and
sleep intervals (the emulator runs with --phase-delay 0: ready on the next read).
"""
import os
import tempfile

import pytest
from time_limit import time_limit_fixture

from .rio_conformance import TEST_TIMEOUT, Rio, start_emulator


@pytest.fixture(scope="session")
def emulator():
    workdir = tempfile.mkdtemp(prefix="rio-conformance-")
    process = start_emulator(workdir)
    rio_config = process.sdk_config()
    saved = os.environ.get("RIO_CONFIG")
    os.environ["RIO_CONFIG"] = rio_config
    try:
        yield process
    finally:
        if saved is None:
            os.environ.pop("RIO_CONFIG", None)
        else:
            os.environ["RIO_CONFIG"] = saved
        process.cleanup()


# The SDK sets no request timeouts: a hanging test is cut off.
time_limit = time_limit_fixture(TEST_TIMEOUT)


@pytest.fixture
def rio(emulator):
    emulator.reset()
    return Rio(emulator)
