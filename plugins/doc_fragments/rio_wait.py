# Copyright: (c) 2026, rapyuta.rio contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later


class ModuleDocFragment:
    # Wait options (argument spec: module_utils/module/arguments.py wait_argument_spec()).
    DOCUMENTATION = r'''
options:
  wait:
    description:
      - Wait until the resource is ready (or gone, for O(state=absent)).
      - Never waits in check mode.
    type: bool
    default: true
  wait_timeout:
    description:
      - Seconds to wait before failing with the last observed phase, status and errors.
      - Must be greater than 0; checked before any request.
    type: int
    default: 300
  wait_sleep:
    description:
      - The longest pause between two polls, in seconds. Polling starts at once and backs off from
        0.25 s up to this value, so readiness is noticed within O(wait_sleep) seconds (plus one
        request). The default keeps that under a second; raise it for fewer requests on long waits.
      - Must be greater than 0; checked before any request.
    type: float
    default: 0.8
'''
