# Copyright: (c) 2026, rapyuta.rio contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later


class ModuleDocFragment:
    # Every module has an action plugin of its name (plugins/plugin_utils/direct_execution.py,
    # docs/direct-execution.md).
    DOCUMENTATION = r'''
attributes:
  action:
    description: Indicates this has a corresponding action plugin so some parts of the options can be executed on the controller.
    support: full
    details: The task runs in the controller's worker, without a module process, when it runs on the
      controller anyway (a local connection, no become, async or environment, and an interpreter that is
      the controller's Python or left to discovery); otherwise, or with the variable
      C(rio_direct_execution=false), the module is shipped as usual.
  async:
    description: Supports being used with the C(async) keyword.
    support: full
    details: An async task ships the module, which then runs in the background as any module does.
  bypass_host_loop:
    description: Forces a 'global' task that does not execute per host.
    support: none
'''
