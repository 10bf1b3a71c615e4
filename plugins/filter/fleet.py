# Copyright: (c) 2026, rapyuta.rio contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Filters of the fleet roles; the logic lives in plugins/plugin_utils/fleet.py (documentation: one YAML file per filter)."""

from ansible.errors import AnsibleFilterError

from ansible_collections.rapyuta.rio.plugins.plugin_utils.fleet import (
    FleetError, aligned_rows, fleet_items, fleet_records, fleet_table, robot_record, without_lines,
)


def robot_deployment_items(robots, hostvars):
    try:
        return fleet_items(list(robots), hostvars)
    except FleetError as exc:
        raise AnsibleFilterError("robot_deployment_items: %s" % exc)


def robot_deployment_records(results, robots, items, check_mode=False):
    return fleet_records(list(robots), list(items), results, bool(check_mode))


def robot_deployment_record(result, robot, item, check_mode=False):
    return robot_record(robot, item, result, bool(check_mode))


def robot_deployment_table(records):
    return fleet_table(records)


def robot_deployment_stats(records):
    return without_lines(records)


def aligned_table(rows):
    return aligned_rows([list(row) for row in rows])


class FilterModule:
    def filters(self):
        return {
            "robot_deployment_items": robot_deployment_items,
            "robot_deployment_records": robot_deployment_records,
            "robot_deployment_record": robot_deployment_record,
            "robot_deployment_table": robot_deployment_table,
            "robot_deployment_stats": robot_deployment_stats,
            "aligned_table": aligned_table,
        }
