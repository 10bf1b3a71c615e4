"""Fixtures of the emulator's own tests (helpers live in emulator_helpers.py)."""
import pytest

from emulator_helpers import make_api, start_process


@pytest.fixture
def api():
    return make_api()


@pytest.fixture
def slow_api():
    """Phase delay of 10 s on a clock the test advances by hand."""
    return make_api(phase_delay=10.0)


@pytest.fixture
def process_factory():
    started = []

    def start(*args, **kw):
        proc = start_process(*args, **kw)
        started.append(proc)
        return proc

    yield start
    for proc in started:
        proc.cleanup()
