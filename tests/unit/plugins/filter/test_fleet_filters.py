# Copyright: (c) 2026, rapyuta.rio contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

import pytest

from ansible.errors import AnsibleFilterError

from ansible_collections.rapyuta.rio.plugins.filter.fleet import FilterModule


FILTERS = FilterModule().filters()


def test_every_filter_is_registered():
    assert sorted(FILTERS) == ["aligned_table", "robot_deployment_items", "robot_deployment_record",
                               "robot_deployment_records", "robot_deployment_stats", "robot_deployment_table"]


def test_items_error_is_a_filter_error_naming_the_robot():
    with pytest.raises(AnsibleFilterError, match="robot r2: robot_deployment_package_name"):
        FILTERS["robot_deployment_items"](["r1", "r2"], {"r1": {"robot_deployment_package_name": "p"}, "r2": {}})


def test_record_and_records_agree():
    item = {"name": "d", "package_name": "p", "package_version": "v1"}
    result = {"name": "d", "changed": False, "failed": False, "deployment": {"phase": "Succeeded"}}
    one = FILTERS["robot_deployment_record"](result, "r1", item)
    assert FILTERS["robot_deployment_records"]([result], ["r1"], [item]) == [one]
    # The table aligns its columns to the fleet's widest cells; the record's own line has fixed widths.
    assert FILTERS["robot_deployment_table"]([one])[1].split() == one["line"].split()
    assert FILTERS["robot_deployment_stats"]([one]) == [dict((k, v) for k, v in one.items() if k != "line")]


def test_aligned_table_takes_rows_of_any_sequence():
    assert FILTERS["aligned_table"]([("A", "B"), ["long-cell", "x"]]) == ["A         B", "long-cell x"]
