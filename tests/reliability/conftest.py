"""Fixtures of the reliability suite (issue 8). See rel_helpers.py and docs/RELIABILITY.md."""
import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from rel_helpers import Emulator


@pytest.fixture
def emulators(tmp_path):
    """Factory of private emulators; every one started here is stopped (by its pid) afterwards."""
    started = []

    def make(**kwargs):
        kwargs.setdefault("name", "emulator%d" % len(started))
        emu = Emulator(str(tmp_path), **kwargs)
        started.append(emu)
        return emu

    yield make
    for emu in started:
        emu.stop()
