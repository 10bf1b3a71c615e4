# Copyright: (c) 2026, rapyuta.rio contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The fleet roles' logic, run on the controller through the collection's filters.

A robot's deployment is described by its ``robot_deployment_*`` host variables (the names and
defaults of the rapyuta.rio.robot_deployment role); ``robot_item`` turns them into one item of
rapyuta.rio.rio_deployment_batch, and ``robot_record`` turns a module result (either module's)
into the robot's line of the fleet report. Both roles use these, so a robot is described and
reported alike whichever role deployed it.
"""

import re
from collections.abc import Mapping

import jinja2
from ansible.errors import AnsibleError

from ansible_collections.rapyuta.rio.plugins.plugin_utils.plain_templates import NOT_LOOKED_UP, templated

# The robot_deployment role's defaults (roles/robot_deployment/defaults/main.yml; a unit test keeps
# the two equal). The name and the device depend on the robot, so they are computed in robot_item.
ROBOT_DEFAULTS = {
    "robot_deployment_package_version": "v1.0.0",
    "robot_deployment_plan": "",
    "robot_deployment_component": "default",
    "robot_deployment_parameters": {},
    "robot_deployment_restart_policy": "",
    "robot_deployment_component_options": {},
    "robot_deployment_labels": {},
    "robot_deployment_depends_on": [],
    "robot_deployment_routed_networks": [],
    "robot_deployment_native_networks": [],
    "robot_deployment_on_change": "fail",
}

# A record's own line (robot_deployment_result.line); the table aligns its columns to the widest cell.
ROW_FORMAT = "%-20s %-30s %-16s %-8s %s"
HEADER = ("ROBOT", "DEPLOYMENT", "PHASE", "STATUS", "ERRORS")
# What a check-mode run reports for a name that an earlier task of the same run would create.
UNRESOLVED = "Failed to resolve deployment "
# The same on v2: every problem of the refused deployment is a name missing from the project.
MISSING_V2 = re.compile(r": no .+ (in the project|to depend on); nothing was written$")


class FleetError(ValueError):
    """A robot whose host variables cannot describe a deployment."""


class RobotVariableError(FleetError):
    """A host variable of one robot cannot be templated (e.g. rio_architecture of an offline robot)."""


def _undefined_in(value):
    """Why a templated host variable is not usable (an undefined variable in it), or None.

    ansible-core 2.19+ leaves a lazy undefined marker (a jinja2 Undefined) in the value, which
    would fail the whole task later naming no robot; 2.18 leaves the template text itself.
    """
    if isinstance(value, jinja2.Undefined):
        # jinja2's own words, as the task would fail with them: "'rio_architecture' is undefined".
        return str(getattr(value, "_undefined_message", "") or "a variable in it is undefined")
    if isinstance(value, str):
        return "a variable in %r is undefined" % value if ("{{" in value or "{%" in value) else None
    if isinstance(value, dict):
        items = list(value.items())
    elif isinstance(value, (list, tuple)):
        items = list(enumerate(value))
    else:
        return None
    for _key, inner in items:
        reason = _undefined_in(inner)
        if reason:
            return reason
    return None


def _get(variables, name, default=None):
    # Host variables are templated when read (hostvars); a missing one must not be an error here.
    try:
        value = variables[name]
    except KeyError:
        return default
    except AnsibleError as exc:  # templating failed while reading it
        raise RobotVariableError("%s: %s" % (name, getattr(exc, "message", None) or exc))
    reason = _undefined_in(value)
    if reason:
        raise RobotVariableError("%s: %s" % (name, reason))
    return value


def robot_item(robot, variables):
    """The rio_deployment_batch item of one robot, from its host variables (a mapping)."""
    try:
        return _robot_item(robot, variables)
    except FleetError as exc:
        if str(exc).startswith("robot %s: " % robot):
            raise
        raise type(exc)("robot %s: %s" % (robot, exc))


def _robot_item(robot, variables):
    package_name = _get(variables, "robot_deployment_package_name")
    if not package_name:
        raise FleetError("robot %s: robot_deployment_package_name is not set (set it in the inventory, "
                         "for example in group_vars)" % robot)
    settings = dict((key, _get(variables, key, default)) for key, default in ROBOT_DEFAULTS.items())
    component = dict(settings["robot_deployment_component_options"] or {})
    component.update({
        "name": settings["robot_deployment_component"],
        # v2 deployments name their device; v1 ones take its uuid (the rio_devices inventory's rio_uuid).
        "device": _get(variables, "robot_deployment_device") or (
            robot if _get(variables, "rio_api_version") == "v2" else _get(variables, "rio_uuid") or robot),
        "parameters": settings["robot_deployment_parameters"],
    })
    if settings["robot_deployment_restart_policy"]:
        component["restart_policy"] = settings["robot_deployment_restart_policy"]
    item = {
        "name": _get(variables, "robot_deployment_name") or "%s-%s" % (package_name, robot),
        "package_name": package_name,
        "package_version": settings["robot_deployment_package_version"],
        "components": [component],
        "labels": settings["robot_deployment_labels"],
        "depends_on": settings["robot_deployment_depends_on"],
        "routed_networks": settings["robot_deployment_routed_networks"],
        "native_networks": settings["robot_deployment_native_networks"],
        "on_change": settings["robot_deployment_on_change"],
    }
    if settings["robot_deployment_plan"]:
        item["plan"] = settings["robot_deployment_plan"]
    return item


class RobotVariables:
    """One robot's host variables as ``hostvars[robot]`` gives them, rendering plain templates itself.

    ``hostvars[robot]`` compiles every template it renders, for every robot; plain_templates renders
    the ones whose rendering it can tell is ansible-core's, and ansible-core renders the others, from
    the same variables (in the same view, made once for the robot and only when needed).
    """

    def __init__(self, hostvars, robot, variables):
        self._hostvars, self._robot, self._variables = hostvars, robot, variables
        self._rendered_by_ansible = None

    def __getitem__(self, name):
        value = templated(self._variables[name], self._variables)
        if value is NOT_LOOKED_UP:
            if self._rendered_by_ansible is None:
                self._rendered_by_ansible = self._hostvars[self._robot]
            value = self._rendered_by_ansible[name]
        return value


def robot_variables(hostvars, robot):
    """hostvars[robot], or the same variables rendered mostly without ansible-core's engine
    when hostvars is ansible-core's (which gives a robot's variables before rendering: raw_get)."""
    variables = hostvars.raw_get(robot) if hasattr(hostvars, "raw_get") else None
    if not isinstance(variables, Mapping):  # a plain mapping (tests), or a host the inventory lacks
        return hostvars[robot]
    return RobotVariables(hostvars, robot, variables)


def fleet_items(robots, hostvars):
    """One item per robot, in the order of robots; every robot without a package is named at once.

    A robot one of whose variables cannot be templated (``talker-{{ rio_architecture }}`` on an
    offline robot, whose architecture the inventory cannot tell) gets an item with ``fleet_error``
    instead: the role leaves it out of the batch and reports that robot failed, the others go on.
    """
    items, errors = [], []
    for robot in robots:
        try:
            items.append(robot_item(robot, robot_variables(hostvars, robot)))
        except RobotVariableError as exc:
            items.append({"name": robot, "package_name": "", "package_version": "", "fleet_error": str(exc)})
        except FleetError as exc:
            errors.append(str(exc))
    if errors:
        raise FleetError("; ".join(errors))
    return items


def robot_record(robot, item, result, check_mode=False):
    """The robot's report: what both roles publish as robot_deployment_result and rio_fleet_deployments.

    item holds the deployment's name, package_name and package_version; result is the module
    result of that deployment (rio_deployment's, or one of rio_deployment_batch's results), None
    when the deployment was never attempted.
    """
    result = result or ({"failed": True, "msg": item["fleet_error"]} if item.get("fleet_error") else {})
    deployment = result.get("deployment") or {}
    failed = bool(result.get("failed", not result))
    msg = result.get("msg") or ("" if result else "no result for this robot")
    # In check mode a package, network or dependency that an earlier task would create cannot be
    # resolved yet: the robot would be provisioned, which is a change, not a failure.
    problems = result.get("problems") or []
    unresolved = bool(check_mode and failed and (msg.startswith(UNRESOLVED) or (
        problems and all(MISSING_V2.search(str(problem)) for problem in problems))))
    if unresolved:
        phase = "would provision"
        msg = "check mode, not created yet: " + msg.split(": ", 1)[-1]
    else:
        phase = deployment.get("phase") or "not provisioned"
    errors = list(deployment.get("error_explanations") or [])
    status = deployment.get("status") or "-"
    record = {
        "robot": robot,
        "deployment": item.get("name") or "",
        "deployment_id": deployment.get("deployment_id") or "",
        "package": "%s %s" % (item.get("package_name") or "", item.get("package_version") or ""),
        "phase": phase,
        "status": status,
        "errors": errors,
        "changed": unresolved or bool(result.get("changed")),
        "failed": failed and not unresolved,
        "msg": msg if failed else "",
    }
    record["line"] = ROW_FORMAT % (robot, record["deployment"] or "-", phase, status,
                                   "; ".join(errors) or record["msg"])
    return record


def fleet_records(robots, items, results, check_mode=False):
    """One record per robot, pairing the batch's results with its items by deployment name."""
    by_name = dict((result.get("name"), result) for result in results or [])
    return [robot_record(robot, item, by_name.get(item["name"]), check_mode)
            for robot, item in zip(robots, items, strict=False)]


def aligned_rows(rows):
    """Lines of a table: every column but the last padded to its widest cell, so long names do not shift the others."""
    rows = [["" if cell is None else str(cell) for cell in row] for row in rows]
    widths = {}
    for row in rows:
        for column, cell in enumerate(row[:-1]):
            widths[column] = max(widths.get(column, 0), len(cell))
    return [" ".join([cell.ljust(widths[column]) for column, cell in enumerate(row[:-1])] + row[-1:]).rstrip()
            for row in rows]


def fleet_table(records):
    """The fleet report's lines: a header, then one line per robot."""
    return aligned_rows([HEADER] + [
        (record["robot"], record["deployment"] or "-", record["phase"], record["status"],
         "; ".join(record["errors"]) or record["msg"])
        for record in records])


def without_lines(records):
    """The records as published for AWX (set_stats): without their formatted line."""
    return [dict((key, value) for key, value in record.items() if key != "line") for record in records]
