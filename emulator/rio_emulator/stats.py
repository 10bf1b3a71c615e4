"""Request counters for /_emulator/stats (API requests only; admin routes are not counted)."""
import threading

READ_METHODS = ("GET", "HEAD", "OPTIONS")
# POST routes that only read (the device selection query returns matching devices).
READ_ROUTES = frozenset(["POST /api/device-manager/v0/selection/query/"])


class Stats:
    def __init__(self):
        self._lock = threading.Lock()
        self.reset()

    def reset(self):
        with self._lock:
            self.total = self.reads = self.writes = 0
            self.by_route = {}
            self.by_status = {}

    def record(self, method, route, status):
        key = "%s %s" % (method, route)
        with self._lock:
            self.total += 1
            if method in READ_METHODS or key in READ_ROUTES:
                self.reads += 1
            else:
                self.writes += 1
            self.by_route[key] = self.by_route.get(key, 0) + 1
            code = str(status)
            self.by_status[code] = self.by_status.get(code, 0) + 1

    def snapshot(self):
        with self._lock:
            return {"total": self.total, "reads": self.reads, "writes": self.writes,
                    "by_route": dict(self.by_route), "by_status": dict(self.by_status)}
