"""Generate an emulator fleet of N robots on two sites with mixed architectures."""
import uuid

import yaml

ARCHITECTURES = ("amd64", "arm64v8")


def robot_name(index):
    return "robot-%03d" % index


def make_fleet(count, offline=0):
    devices = []
    for index in range(1, count + offline + 1):
        devices.append({
            "name": robot_name(index),
            "uuid": str(uuid.UUID(int=index, version=4)),
            "status": "OFFLINE" if index > count else "ONLINE",
            "architecture": ARCHITECTURES[index % 2],
            "runtime": "dockercompose",
            "ros_distro": "melodic",
            "labels": {"site": "alpha" if index % 2 else "beta"},
        })
    return {"devices": devices}


def write_fleet(path, count, offline=0):
    with open(path, "w") as handle:
        yaml.safe_dump(make_fleet(count, offline), handle, sort_keys=False)
    return path
