"""The emulator's shared state object and the FastAPI dependencies that hand it to handlers."""
import hmac
import time

from fastapi import Request

from . import fleet as fleet_mod
from .errors import ApiError
from .faults import Faults
from .lifecycle import Renderer
from .settings import DEFAULT_PROJECT, DEFAULT_TOKEN, Settings  # noqa: F401 (re-exported)
from .stats import Stats
from .store import Store

DEVICE_PREFIX = "/api/device-manager/"


class Emulator:
    def __init__(self, settings):
        self.settings = settings
        self.store = Store(settings.state)
        self.stats = Stats()
        self.faults = Faults()
        self.faults.configure(settings.fault_rate, settings.fault_latency_ms, settings.seed,
                              getattr(settings, "fault_kinds", None))
        self.seed_fleet()

    def now(self):
        return time.time()

    def int_id(self):
        return self.store.next_int("ID")

    def seed_fleet(self):
        """Add fleet devices that are not stored yet (a restart keeps config-variable edits)."""
        with self.store.tx():
            for spec in self.settings.fleet_specs:
                if self.store.get("device", self.settings.project, spec["uuid"]) is None:
                    doc = fleet_mod.device_document(spec, self.settings.project, self.int_id)
                    self.store.put("device", self.settings.project, spec["uuid"], doc)

    def reset(self):
        self.store.clear()
        self.stats.reset()
        self.seed_fleet()

    def renderer(self, project):
        return Renderer(self.store, project, self.settings.phase_delay, self.now())


def emulator(request: Request):
    return request.app.state.emulator


def require_auth(request: Request):
    """401 unless `Authorization: Bearer <token>`; the header value is never logged or echoed."""
    expected = "Bearer " + request.app.state.emulator.settings.token
    given = request.headers.get("authorization", "")
    if not hmac.compare_digest(given.encode("utf-8", "replace"), expected.encode("utf-8")):
        wrapped = request.url.path.startswith(DEVICE_PREFIX)
        raise ApiError(401, "invalid or missing authorization token" if given else "authorization token required",
                       wrapped)


def tenant(request: Request):
    """The tenant is the `project` header; requests without it act in the default project."""
    return request.headers.get("project") or request.app.state.emulator.settings.project
