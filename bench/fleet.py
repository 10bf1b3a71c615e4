"""Generate an emulator fleet of N robots shaped like the sample fleet (playbooks/sample/fleet.yml):
two sites (north, south), mixed architectures, noetic, so the sample inventories' variables apply."""
import uuid

import yaml

ARCHITECTURES = ("amd64", "arm64v8")
SITES = ("north", "south")


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
            "ros_distro": "noetic",
            "labels": {"site": SITES[index % 2]},
        })
    return {"devices": devices}


def write_fleet(path, count, offline=0):
    with open(path, "w") as handle:
        yaml.safe_dump(make_fleet(count, offline), handle, sort_keys=False)
    return path
