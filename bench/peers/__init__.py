"""The peers of `make bench`: the same workload (bench/plan.py) deployed with the vendor's own tools,
each in its own venv made by the Makefile. The contract with the harness is in README.md here."""
import collections
import os

PEERS_DIR = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(PEERS_DIR))

Peer = collections.namedtuple("Peer", "name generation venv_python make_target argv")
Peer.__doc__ = """A tool to compare with: venv_python is relative to the repository, make_target makes that
venv, argv(plan_path, workdir) is the command of one run (the same command again is the re-run)."""


def _peer(name, generation, venv, make_target, script):
    python = os.path.join(venv, "bin", "python")

    def argv(plan_path, workdir):
        """workdir is the run's HOME (the harness sets it): where the tool keeps its config and log."""
        return [os.path.join(ROOT, python), os.path.join(PEERS_DIR, script), plan_path]
    return Peer(name, generation, python, make_target, argv)


PEERS = collections.OrderedDict((peer.name, peer) for peer in (
    _peer("sdk-1.17.1", "v1", ".venv", "venv", "sdk_v1.py"),
    _peer("riocli-8.1.0", "v1", ".venv-riocli8", "venv-riocli8", "riocli_apply.py"),
    _peer("riocli-10.11.0", "v2", ".venv-riocli", "venv-riocli", "riocli_apply.py"),
    _peer("sdk-v2-0.10.0", "v2", ".venv-sdkv2", "venv-sdkv2", "sdk_v2.py"),
))


def peers_of(generation):
    return [peer for peer in PEERS.values() if peer.generation == generation]
