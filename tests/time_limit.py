"""A time limit per test for the client suites (tests/conformance, tests/conformance_sdk_v2): a client
that sets no request timeout (the SDK 1.17.1 sets none) or a wait on an emulator that stopped answering
fails its test instead of hanging the rung.

Their conftests import it from this folder, which pytest puts on sys.path for a test package (the
first folder above it without an __init__.py); only the standard library and pytest, as the client
venvs hold no more.
"""
import signal

import pytest


class TimeLimitExceeded(Exception):
    pass


def time_limit_fixture(seconds):
    """An autouse fixture that interrupts a test running longer than `seconds` (SIGALRM; where the
    platform has no SIGALRM, no limit)."""

    @pytest.fixture(autouse=True)
    def time_limit():
        if not hasattr(signal, "SIGALRM"):
            yield
            return

        def expired(signum, frame):
            raise TimeLimitExceeded("test exceeded %ss" % seconds)

        previous = signal.signal(signal.SIGALRM, expired)
        signal.alarm(seconds)
        try:
            yield
        finally:
            signal.alarm(0)
            signal.signal(signal.SIGALRM, previous)

    return time_limit
