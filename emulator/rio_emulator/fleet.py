"""Fleet file (YAML) -> device documents. Format documented in docs/EMULATOR.md."""
import time
import uuid

import yaml

from . import ids

ARCHITECTURES = ("amd64", "arm32v7", "arm64v8")
RUNTIMES = ("dockercompose", "preinstalled")
STATUSES = ("ONLINE", "OFFLINE", "REJECTED", "ACCEPTED", "REGISTERED", "INITIALIZING", "FAILED", "NEW", "DELETED")
DEFAULT_ROSBAG_MOUNT = "/opt/rapyuta/volumes/rosbag"
# Config variables the platform creates itself; they cannot be deleted (and `runtime` not updated).
DEFAULT_VARIABLES = ("runtime", "ros_distro", "ros_workspace", "rosbag_mount_path", "runtime_docker",
                     "runtime_preinstalled")


class FleetError(Exception):
    pass


def load(path):
    """Parse and validate a fleet file; returns a list of device specs (dicts). Raises FleetError."""
    try:
        with open(path) as handle:
            data = yaml.safe_load(handle)
    except (OSError, yaml.YAMLError) as exc:
        raise FleetError("cannot read fleet file %s: %s" % (path, exc))
    if data is None:
        return []
    if isinstance(data, list):
        data = {"devices": data}
    if not isinstance(data, dict) or not isinstance(data.get("devices", []), list):
        raise FleetError("fleet file %s: expected a mapping with a `devices` list" % path)
    specs, seen = [], set()
    for index, entry in enumerate(data.get("devices") or []):
        specs.append(_validate(path, index, entry, seen))
    return specs


def _validate(path, index, entry, seen):
    where = "fleet file %s: devices[%d]" % (path, index)
    if not isinstance(entry, dict) or not entry.get("name"):
        raise FleetError("%s: each device needs a `name`" % where)
    spec = dict(entry)
    spec["name"] = str(entry["name"])
    spec["uuid"] = str(entry.get("uuid") or uuid.uuid5(uuid.NAMESPACE_URL, "rio-emulator/" + spec["name"]))
    spec["status"] = str(entry.get("status", "ONLINE")).upper()
    spec["architecture"] = str(entry.get("architecture", "amd64"))
    spec["runtime"] = str(entry.get("runtime", "dockercompose"))
    spec["ros_distro"] = str(entry.get("ros_distro", "melodic"))
    checks = (("status", STATUSES), ("architecture", ARCHITECTURES), ("runtime", RUNTIMES))
    for key, allowed in checks:
        if spec[key] not in allowed:
            raise FleetError("%s (%s): %s must be one of %s" % (where, spec["name"], key, ", ".join(allowed)))
    for key in ("config_variables", "labels", "ip_interfaces"):
        if entry.get(key) is not None and not isinstance(entry.get(key), dict):
            raise FleetError("%s (%s): %s must be a mapping" % (where, spec["name"], key))
    if spec["uuid"] in seen:
        raise FleetError("%s (%s): duplicate uuid %s" % (where, spec["name"], spec["uuid"]))
    seen.add(spec["uuid"])
    return spec


def device_document(spec, project, next_id):
    """The stored device (wire fields + internal `architecture`). next_id() yields integer ids."""
    now = time.time()
    variables = {"runtime": spec["runtime"], "ros_distro": spec["ros_distro"]}
    if spec["runtime"] == "dockercompose":
        variables.update(runtime_docker="True", runtime_preinstalled="False",
                         rosbag_mount_path=DEFAULT_ROSBAG_MOUNT)
    else:
        variables.update(runtime_docker="False", runtime_preinstalled="True", ros_workspace="")
    for key, value in (spec.get("config_variables") or {}).items():
        variables[str(key)] = "" if value is None else str(value)
    interfaces = spec.get("ip_interfaces")
    if interfaces is None:
        interfaces = {"eth0": ["10.0.0.%d" % (10 + next_id() % 200)], "docker0": ["172.17.0.1"]}
    interfaces = dict((str(k), [str(ip) for ip in (v or [])]) for k, v in interfaces.items())
    return {
        "uuid": spec["uuid"],
        "name": spec["name"],
        "status": spec["status"],
        "description": str(spec.get("description", "")),
        "architecture": spec["architecture"],
        "labels": [{"id": next_id(), "key": str(k), "value": str(v)} for k, v in (spec.get("labels") or {}).items()],
        "config_variables": [{"id": next_id(), "key": k, "value": v,
                              "type": "default" if k in DEFAULT_VARIABLES else "custom"}
                             for k, v in variables.items()],
        "ip_interfaces": interfaces,
        "registration_time": ids.rfc3339(now),
        "last_online": ids.rfc3339(now) if spec["status"] == "ONLINE" else "",
        "created_by": "user-emulator",
        "device_version": str(spec.get("python_version", "3")),
        "error_code": "",
        "error_message": "",
        "host": spec["name"],
        "lsb_distrib_description": "Ubuntu 20.04 LTS",
        "username": "rapyuta",
        "saltversion": "3003",
        "ownerProject": project,
    }
