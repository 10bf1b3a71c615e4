"""sdk-v2 conformance: rapyuta-io-sdk-v2 0.10.0, unchanged and configured only, against a private emulator.

One emulator process (`--phase-delay 0`) serves the session; every test starts from
`POST /_emulator/reset`. The phase tests get a second emulator with a phase delay. Each test is cut
off after TEST_TIMEOUT seconds (SIGALRM), each wait is bounded.
"""
import signal
import tempfile
import shutil

import pytest

from .sdkv2_support import TEST_TIMEOUT, EmulatorProcess

# Long enough to read InProgress and Provisioning between two SDK calls, short enough for the budget.
PHASE_DELAY = 1.0


def _start(phase_delay):
    workdir = tempfile.mkdtemp(prefix="rio-sdkv2-conformance-")
    try:
        return EmulatorProcess(workdir, phase_delay=phase_delay)
    except BaseException:
        shutil.rmtree(workdir, ignore_errors=True)
        raise


def _finish(process):
    process.stop()
    shutil.rmtree(process.workdir, ignore_errors=True)


@pytest.fixture(scope="session")
def emulator():
    process = _start(0)
    try:
        yield process
    finally:
        _finish(process)


@pytest.fixture(scope="session")
def slow_emulator():
    process = _start(PHASE_DELAY)
    try:
        yield process
    finally:
        _finish(process)


class _TestTimeout(Exception):
    pass


@pytest.fixture(autouse=True)
def _bounded_test():
    def _expired(signum, frame):
        raise _TestTimeout("test exceeded %ss" % TEST_TIMEOUT)

    previous = signal.signal(signal.SIGALRM, _expired)
    signal.alarm(TEST_TIMEOUT)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@pytest.fixture
def sdk(emulator):
    """A fresh emulator state and a client of the suite's project."""
    emulator.reset()
    return emulator.client()


@pytest.fixture
def slow_sdk(slow_emulator):
    slow_emulator.reset()
    return slow_emulator.client()
