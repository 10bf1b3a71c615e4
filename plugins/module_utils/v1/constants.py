# Copyright: (c) 2026, rapyuta.rio contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""The v1 platform's vocabulary: deployment phases and statuses, network kinds, well-known packages.
FOR INTERNAL COLLECTION USE ONLY: may change in any release.

Each value is defined here once; the wire reference is docs/reference/v1-api.md.
"""

from types import MappingProxyType

PHASE_IN_PROGRESS = "In progress"
PHASE_PROVISIONING = "Provisioning"
PHASE_SUCCEEDED = "Succeeded"
PHASE_FAILED_TO_START = "Failed to start"
PHASE_PARTIALLY_DEPROVISIONED = "Partially deprovisioned"
PHASE_STOPPED = "Deployment stopped"

# Phases of a deployment that exists (and so holds its name, aliases and dependents).
LIVE_PHASES = (PHASE_IN_PROGRESS, PHASE_PROVISIONING, PHASE_SUCCEEDED, PHASE_FAILED_TO_START)
PENDING_PHASES = frozenset([PHASE_IN_PROGRESS, PHASE_PROVISIONING])
FAILED_PHASES = frozenset([PHASE_FAILED_TO_START, PHASE_PARTIALLY_DEPROVISIONED, PHASE_STOPPED])
GONE_PHASES = frozenset([PHASE_STOPPED, PHASE_PARTIALLY_DEPROVISIONED])

STATUS_RUNNING = "Running"
READY_STATUSES = frozenset([STATUS_RUNNING, "Available", "Released"])

# Networks are deployments of these kinds.
ROUTED = "routednetwork"
NATIVE = "nativenetwork"

# Cloud volumes are deployments of this public package.
PERSISTENT_VOLUME_PACKAGE = "io-public-persistent-volume"


class ROSDistro:
    KINETIC = "kinetic"
    MELODIC = "melodic"
    NOETIC = "noetic"
    ALL = (KINETIC, MELODIC, NOETIC)


class Runtime:
    CLOUD = "cloud"
    DEVICE = "device"
    ALL = (CLOUD, DEVICE)


class RestartPolicy:
    """Wire values, and the spellings accepted for them (SDK member names, option values, wire values)."""
    Always = "always"
    Never = "no"
    OnFailure = "on-failure"
    SPELLINGS = MappingProxyType({
        "always": Always, "Always": Always,
        "never": Never, "Never": Never, "no": Never,
        "on_failure": OnFailure, "OnFailure": OnFailure, "on-failure": OnFailure,
    })

    @classmethod
    def wire_value(cls, policy):
        """The wire value of any accepted spelling, or None."""
        if not isinstance(policy, str):
            return None
        return cls.SPELLINGS.get(policy)
