"""Fault injection for API routes: 503 answers, dropped connections and delays (and, on request,
500 answers, which exercise the SDK's GET-500 retry path).

Reproducible: one seeded RNG draws, per API request in arrival order, whether it is faulted and how.
(With concurrent clients the arrival order itself varies; a sequential client sees the same faults
for the same seed.)
"""
import random
import threading

KINDS = ("503", "drop", "delay")
ALL_KINDS = ("503", "drop", "delay", "500")


class Faults:
    def __init__(self, rate=0.0, latency_ms=0, seed=None):
        self._lock = threading.Lock()
        self.configure(rate, latency_ms, seed)

    def configure(self, rate=0.0, latency_ms=0, seed=None, kinds=None):
        rate = float(rate or 0.0)
        if not 0.0 <= rate <= 1.0:
            raise ValueError("rate must be a fraction between 0 and 1")
        latency_ms = float(latency_ms or 0)
        if latency_ms < 0:
            raise ValueError("latency_ms must not be negative")
        kinds = tuple(kinds) if kinds else KINDS
        if not all(k in ALL_KINDS for k in kinds):
            raise ValueError("kinds must be a list drawn from %s" % ", ".join(ALL_KINDS))
        with self._lock:
            self.rate, self.latency_ms, self.seed, self.kinds = rate, latency_ms, seed, kinds
            self._rng = random.Random(seed)
            self.injected = dict((k, 0) for k in ALL_KINDS)

    def draw(self):
        """None (no fault) or one of KINDS for the next API request."""
        with self._lock:
            if self.rate <= 0.0:
                return None
            roll, kind = self._rng.random(), self._rng.choice(self.kinds)
            if roll >= self.rate:
                return None
            if kind == "delay" and self.latency_ms <= 0:
                kind = "503"
            self.injected[kind] += 1
            return kind

    def describe(self):
        with self._lock:
            return {"rate": self.rate, "latency_ms": self.latency_ms, "seed": self.seed, "kinds": list(self.kinds),
                    "injected": dict(self.injected)}
