"""Run-time settings (kept free of heavy imports so that CLI errors are reported fast)."""

DEFAULT_TOKEN = "rio-emulator-token"
DEFAULT_PROJECT = "project-emulator"
# The v2 API's organization (docs/EMULATOR.md): the `organizationguid` header must name it.
DEFAULT_ORGANIZATION = "org-emulatoremulatoremulat"


class Settings:
    def __init__(self, token=DEFAULT_TOKEN, project=DEFAULT_PROJECT, state=None, fleet_specs=None,
                 phase_delay=0.0, fault_rate=0.0, fault_latency_ms=0, seed=None, fault_kinds=None,
                 organization=DEFAULT_ORGANIZATION):
        self.token = token
        self.project = project
        self.state = state
        self.fleet_specs = fleet_specs or []
        self.phase_delay = float(phase_delay)
        self.fault_rate = fault_rate
        self.fault_latency_ms = fault_latency_ms
        self.seed = seed
        self.fault_kinds = fault_kinds
        self.organization = organization
