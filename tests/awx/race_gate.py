# Copyright: (c) 2026, rapyuta.rio contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""A loopback HTTP proxy that makes concurrent jobs race for real: each creation request (POST) of an
object named in ``names`` is held until ``parties`` requests creating the same object (same path,
same name and version in the body) are waiting, or ``hold`` seconds have passed, and then all are
forwarded together. Slices that start
a second apart would otherwise rarely find the same object missing at the same time. The forwarding
is the reliability suite's proxy (tests/reliability/lossy_proxy.py), losing nothing."""

import json
import os
import sys
import threading

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "reliability"))

from lossy_proxy import LossyProxy


def identity(path, body):
    """(path, name, version) of a creation body, v1 or v2; None when it names nothing."""
    try:
        data = json.loads(body or b"null")
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    metadata = data.get("metadata") if isinstance(data.get("metadata"), dict) else {}
    name = metadata.get("name") or data.get("name")
    version = metadata.get("version") or data.get("packageVersion")
    return (path.split("?", 1)[0], name, version) if name else None


class RaceGate(LossyProxy):
    def __init__(self, upstream, names, parties, hold=3.0):
        self.names, self.parties, self.hold = set(names), parties, hold
        self._gate = threading.Condition()
        self._waiting = {}   # identity -> requests held for it now
        self._released = {}  # identity -> how many times its holders were released
        self.raced = {}      # identity -> the most requests forwarded together
        super().__init__(upstream, rate=0)

    def before_forwarding(self, method, path, body):
        key = identity(path, body) if method == "POST" else None
        if key is None or key[1] not in self.names:
            return
        with self._gate:
            generation = self._released.get(key, 0)
            self._waiting[key] = self._waiting.get(key, 0) + 1
            if self._waiting[key] < self.parties:
                self._gate.wait_for(lambda: self._released.get(key, 0) > generation, timeout=self.hold)
            if self._released.get(key, 0) == generation:
                self.raced[key] = max(self.raced.get(key, 0), self._waiting.pop(key, 0))
                self._released[key] = generation + 1
                self._gate.notify_all()
