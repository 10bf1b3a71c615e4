"""sdk-v2 conformance: rapyuta-io-sdk-v2 0.10.0, unchanged and configured only, against a private emulator.

One emulator process (`--phase-delay 0`) serves the session; every test starts from
`POST /_emulator/reset`. The phase tests get a second emulator with a phase delay. Each test is cut
off after TEST_TIMEOUT seconds (SIGALRM), each wait is bounded.
"""
import pytest
from time_limit import time_limit_fixture

from .sdkv2_support import TEST_TIMEOUT, EmulatorProcess

# Long enough to read InProgress and Provisioning between two SDK calls, short enough for the budget.
PHASE_DELAY = 1.0


@pytest.fixture(scope="session")
def emulator():
    with EmulatorProcess(phase_delay=0) as process:
        yield process


@pytest.fixture(scope="session")
def slow_emulator():
    with EmulatorProcess(phase_delay=PHASE_DELAY) as process:
        yield process


time_limit = time_limit_fixture(TEST_TIMEOUT)


@pytest.fixture
def sdk(emulator):
    """A fresh emulator state and a client of the suite's project."""
    emulator.reset()
    return emulator.client()


@pytest.fixture
def slow_sdk(slow_emulator):
    slow_emulator.reset()
    return slow_emulator.client()
