# Copyright: (c) 2026, rapyuta.rio contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""rio_resource_info runs in the controller's worker when its task runs there (plugin_utils/direct_execution.py)."""
from __future__ import annotations

from ansible_collections.rapyuta.rio.plugins.plugin_utils.direct_execution import DirectExecutionAction


class ActionModule(DirectExecutionAction):
    pass
