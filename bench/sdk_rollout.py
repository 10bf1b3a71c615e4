"""What a user would write without the collection: the official SDK, one robot after another.

Usage: python bench/sdk_rollout.py PLAN.json   (RIO_CONFIG, RIO_AUTH_TOKEN, RIO_PROJECT set)
PLAN.json: {"deployments": [{"name", "package_name", "package_version", "component", "device"}]}
Prints one JSON line: {"provisioned": n, "seconds": s}.
"""
import json
import os
import sys
import time

from rapyuta_io import Client


def main(plan_path):
    with open(plan_path) as handle:
        plan = json.load(handle)
    client = Client(os.environ["RIO_AUTH_TOKEN"], os.environ["RIO_PROJECT"])
    start = time.monotonic()
    packages = {}
    devices = {device.name: device for device in client.get_all_devices()}
    deployments = []
    for item in plan["deployments"]:
        key = (item["package_name"], item["package_version"])
        if key not in packages:
            found = client.get_all_packages(name=key[0], version=key[1])
            packages[key] = client.get_package(next(p for p in found if p.packageName == key[0]).packageId)
        package = packages[key]
        config = package.get_provision_configuration()
        config.add_device(item["component"], devices[item["device"]])
        deployments.append(package.provision(item["name"], config))
    for deployment in deployments:
        deployment.poll_deployment_till_ready(retry_count=120, sleep_interval=1)
    print(json.dumps({"provisioned": len(deployments), "seconds": round(time.monotonic() - start, 3)}))


if __name__ == "__main__":
    main(sys.argv[1])
