# Copyright: (c) 2026, rapyuta.rio contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later


class ModuleDocFragment:
    # The attributes every module has; the action plugin behind `action` is
    # plugins/plugin_utils/direct_execution.py (docs/direct-execution.md). Check mode is supported in
    # full by all of them, so it is stated once here; diff_mode support is not: a module that writes states it with what its diff holds
    # (the network modules through rio_network), a module that only reads adds READ_ONLY.
    # ansible-doc merges each attribute key by key and a module's own keys win; between two fragments
    # the first listed wins, so a fragment here and a variant never give the same key of one attribute.
    DOCUMENTATION = r'''
attributes:
  check_mode:
    description: Can run in check mode, where it makes no write and does not wait, and returns what a real
      run would (C(changed) included).
    support: full
  diff_mode:
    description: Shows what changed, or in check mode what would change, as a before and an after.
  action_group:
    description: Part of the action group C(group/rapyuta.rio.rio), so C(module_defaults) can set the
      connection options (O(auth_token), O(project), ...) once for every module of the collection.
    support: full
    membership: [rapyuta.rio.rio]
  action:
    description: Has an action plugin of its own name, which decides where the module's code runs.
    support: full
    details: The task runs in the controller's worker, without a module process, when it runs on the
      controller anyway (a local connection, no become, async or environment, and an interpreter that is
      the controller's Python or left to discovery); otherwise, or with the variable
      C(rio_direct_execution=false), the module is shipped as usual.
  async:
    description: Can run with the C(async) keyword.
    support: full
    details: An async task ships the module, which then runs in the background as any module does.
  bypass_host_loop:
    description: Runs once for each host of the play, never as one task for all of them.
    support: none
  platform:
    description: The module calls the rapyuta.io API from the host that runs it; the target's system does not matter.
    support: N/A
    platforms: all
'''

    # For the modules that never write (the *_info modules).
    READ_ONLY = r'''
attributes:
  check_mode:
    details: The module only reads, so it runs the same in check mode.
  diff_mode:
    support: none
'''
