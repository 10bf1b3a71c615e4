# Copyright: (c) 2026, rapyuta.rio contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""The one fake clock of the unit tests: time moves only when the code under test sleeps."""

import threading


class FakeClock:
    """Call it for the time; pass ``sleep`` as the sleeper. Safe to share between worker threads
    (a batch run sleeps from its watcher while items read the time)."""

    def __init__(self, now=0.0):
        self.now = now
        self._lock = threading.Lock()

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        with self._lock:
            self.now += seconds
