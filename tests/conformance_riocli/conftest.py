"""riocli conformance suite: the vendor's `rio` command (rapyuta-io-cli 10.11.0), unchanged and
configured only through its own config file, against a private rio_emulator process.

One emulator serves the session (loopback, free port, --phase-delay 0, the suite's fleet.yml),
launched from the main venv and stopped by its pid. Tests that need the manifest set applied start
from `POST /_emulator/reset` and their own `rio apply`, so no test depends on another's leftovers.
"""
import pytest

from .harness import ONLINE_ROBOTS, SET_DIR, Emulator, run_rio, write_robot_manifest


def pytest_configure(config):
    config.addinivalue_line("markers", "fleet200: the 200-robot rio apply run (its own emulator, about a minute)")


@pytest.fixture(scope="session")
def emulator():
    with Emulator() as process:
        yield process


@pytest.fixture(scope="session")
def manifest_files(emulator):
    """The shared set (its folder, as users give one to rio apply) and one talker deployment per online
    robot (generated from the template)."""
    return [SET_DIR, write_robot_manifest(emulator.workdir, ONLINE_ROBOTS)]


@pytest.fixture
def fresh(emulator):
    emulator.reset()
    return emulator


@pytest.fixture
def applied(fresh, manifest_files):
    """A fresh emulator with the whole set applied by `rio apply -f`; returns that run's result."""
    return run_rio(fresh, "apply", "-f", "-ri", "1", *manifest_files)
