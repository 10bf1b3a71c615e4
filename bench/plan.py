"""The workload of `make bench`: what ours deploys with the sample fleet, as a plan every peer follows.

make_plan(generation, count) runs bench/peers/describe.yml over a static copy of the sample inventory
(playbooks/sample/inventory for v1, inventory_v2 for v2: the same group_vars, robots robot-001..robot-N
from bench/fleet.py with the host variables the rio_devices inventory plugin gives them), so the plan
holds exactly what the fleet roles would send: no second description of the sample to keep in step.
Runs in the main venv (ansible-core and the collection); the peers only read the JSON.

The plan (JSON), keys in the order a tool creates them:
  generation, count
  packages          package manifests of that generation, cloud ones first (v1 catalog manifests;
                    v2 Package documents in riocli's format)
  routed_networks   [{name, ros_distro, runtime}]: the cloud routed network(s)
  resources         v2 only: the Disk and StaticRoute documents the cloud deployment uses ([] on v1)
  cloud_deployment  rio_deployment options of the cloud side (name, package_name, package_version,
                    components, labels, depends_on, routed_networks)
  deployments       one item per robot, rio_deployment_batch's options plus "robot" (the device's
                    name) and "device_uuid"; components[0].device is what ours sends (v1 the uuid,
                    v2 the name)
  documents         all of the above as the manifests riocli of that generation applies, in order:
                    v2 documents (riocli 10) or their v1-era spelling (riocli 8, apiVersion
                    apiextensions.rapyuta.io/v1, the same fields; packages converted from the catalog
                    manifests); deployments made from the options as rio_deployment maps them on v2,
                    the device named by its name
"""
import json
import os
import subprocess
import sys
import tempfile

import yaml

BENCH = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(BENCH)
sys.path.insert(0, BENCH)

from fleet import make_fleet

SAMPLE = {"v1": ("inventory", "manifests"), "v2": ("inventory_v2", "manifests_v2")}
DESCRIBE = os.path.join(BENCH, "peers", "describe.yml")
MANIFEST_API = {"v1": "apiextensions.rapyuta.io/v1", "v2": "api.rapyuta.io/v2"}
# riocli 8's schema requires the limits of a cloud network (the sample gives none: the platform's default).
RIOCLI8_NETWORK_LIMITS = {"cpu": 1, "memory": 4096}
# v1 catalog restart policies in riocli's words.
RIOCLI_RESTART = {"no": "never", "always": "always", "on-failure": "onfailure"}


def robot_hostvars(device):
    """The host variables the rio_devices inventory plugin sets for a device (its fields, rio_ prefixed)."""
    return dict(("rio_%s" % key, value) for key, value in device.items())


def write_inventory(directory, generation, devices):
    """A static inventory of the robots next to the sample's group_vars (a link: the same file)."""
    inventory_dir, _ = SAMPLE[generation]
    os.makedirs(directory)
    os.symlink(os.path.join(ROOT, "playbooks", "sample", inventory_dir, "group_vars"),
               os.path.join(directory, "group_vars"))
    hosts = dict((device["name"], robot_hostvars(device)) for device in devices)
    with open(os.path.join(directory, "robots.yml"), "w") as handle:
        yaml.safe_dump({"all": {"children": {"robots": {"hosts": hosts}}}}, handle, sort_keys=False)
    return directory


def describe(generation, devices, workdir):
    """What describe.yml writes: the role variables of the sample, templated for these robots."""
    inventory = write_inventory(os.path.join(workdir, "inventory"), generation, devices)
    out = os.path.join(workdir, "described.json")
    manifests = os.path.join(ROOT, "playbooks", "sample", SAMPLE[generation][1])
    env = dict(os.environ, ANSIBLE_CONFIG=os.path.join(ROOT, "ansible.cfg"),
               ANSIBLE_PYTHON_INTERPRETER=sys.executable, ANSIBLE_STDOUT_CALLBACK="ansible.builtin.minimal")
    # playbook_dir differs from deploy_robots.yml's, so the manifests directory it derives is given.
    command = [os.path.join(os.path.dirname(sys.executable), "ansible-playbook"), "-i", inventory,
               "-e", "bench_plan_out=%s" % out, "-e", "fleet_manifests=%s" % manifests, DESCRIBE]
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError("describe.yml failed:\n%s%s" % (done.stdout[-4000:], done.stderr[-2000:]))
    with open(out) as handle:
        return json.load(handle)


def _yaml_documents(path):
    with open(path) as handle:
        return [document for document in yaml.safe_load_all(handle) if document]


def _manifest(entry):
    if "manifest" in entry:
        return entry["manifest"]
    if entry["manifest_file"].endswith(".json"):
        with open(entry["manifest_file"]) as handle:
            return json.load(handle)
    return _yaml_documents(entry["manifest_file"])[0]


def deployment_document(generation, options):
    """The Deployment manifest of rio_deployment options, mapped by the collection itself."""
    collections = os.path.join(ROOT, ".collections")
    if collections not in sys.path:
        sys.path.insert(0, collections)
    from ansible_collections.rapyuta.rio.plugins.module_utils.deployments.v2 import mapped_body
    return dict(mapped_body(options)[0], apiVersion=MANIFEST_API[generation])


def network_document(generation, network):
    spec = {"type": "routed", "runtime": network["runtime"], "rosDistro": network["ros_distro"]}
    if generation == "v1" and network["runtime"] == "cloud":
        spec["resourceLimits"] = RIOCLI8_NETWORK_LIMITS
    return {"apiVersion": MANIFEST_API[generation], "kind": "Network", "metadata": {"name": network["name"]},
            "spec": spec}


def riocli_package(manifest):
    """A v1 catalog manifest (one plan, one component) as riocli 8 writes the same package."""
    component = manifest["plans"][0]["components"][0]
    spec = {"runtime": component["requiredRuntime"]}
    if spec["runtime"] == "device":
        spec["device"] = {"arch": component["architecture"],
                          "restart": RIOCLI_RESTART[component.get("restart_policy") or "no"]}
    else:
        spec["cloud"] = {"replicas": (component.get("cloudInfra") or {}).get("replicas", 1)}
    # riocli 8 takes the command as one string (run with bash).
    spec["executables"] = [{"name": executable["name"], "type": "docker", "command": " ".join(executable["cmd"]),
                            "docker": {"image": executable["docker"]}} for executable in component["executables"]]
    spec["environmentVars"] = [dict((key, parameter[key]) for key in ("name", "default", "description") if key in parameter)
                               for parameter in component.get("parameters") or []]
    ros = component.get("ros") or {}
    spec["ros"] = {"enabled": bool(ros.get("isROS")), "version": ros.get("ros_distro")}
    endpoints = [dict({"type": kind[:-1]}, **dict((key, entry[key]) for key in ("name", "qos", "scoped", "targeted")
                                                   if key in entry))
                 for kind in ("topics", "services", "actions") for entry in ros.get(kind) or []]
    if endpoints:
        spec["ros"]["rosEndpoints"] = endpoints
    metadata = {"name": manifest["name"], "version": manifest["packageVersion"]}
    if manifest.get("description"):
        metadata["description"] = manifest["description"]
    return {"apiVersion": MANIFEST_API["v1"], "kind": "Package", "metadata": metadata, "spec": spec}


def documents(plan):
    """The plan as riocli manifests of its generation, in the order they are applied."""
    generation = plan["generation"]
    packages = plan["packages"] if generation == "v2" else [riocli_package(manifest) for manifest in plan["packages"]]
    robots = []
    for item in plan["deployments"]:
        components = [dict(item["components"][0], device=item["robot"])]
        robots.append(deployment_document(generation, dict(item, components=components)))
    return (packages + [network_document(generation, net) for net in plan["routed_networks"]] + plan["resources"]
            + [deployment_document(generation, plan["cloud_deployment"])] + robots)


def make_plan(generation, count, devices=None):
    """The plan of N robots (robot-001..robot-N of bench/fleet.py unless devices are given)."""
    if generation not in SAMPLE:
        raise ValueError("generation must be one of %s, got %r" % (", ".join(SAMPLE), generation))
    if devices is None:
        devices = make_fleet(count)["devices"]
    devices = [device for device in devices if device.get("status", "ONLINE") == "ONLINE"]
    with tempfile.TemporaryDirectory(prefix="rio-bench-plan-") as workdir:
        described = describe(generation, devices, workdir)
    uuids = dict((device["name"], device.get("uuid")) for device in devices)
    deployments = []
    for device, item in zip(devices, described["deployments"], strict=True):
        if item.get("fleet_error"):
            raise RuntimeError("robot %s: %s" % (device["name"], item["fleet_error"]))
        deployments.append(dict(item, robot=device["name"], device_uuid=uuids[device["name"]]))
    networks = [{"name": net["name"], "ros_distro": net.get("ros_distro", "melodic"),
                 "runtime": net.get("runtime", "cloud")} for net in described["routed_networks"]]
    cloud = dict(described["cloud_deployment"], routed_networks=[{"name": net["name"]} for net in networks])
    resources = [document for entry in described["resources"]
                 for document in (_yaml_documents(entry["src"]) if "src" in entry else [entry["definition"]])]
    plan = {"generation": generation, "count": len(deployments),
            "packages": [_manifest(entry) for entry in described["cloud_packages"] + described["robot_packages"]],
            "routed_networks": networks, "resources": resources, "cloud_deployment": cloud,
            "deployments": deployments}
    plan["documents"] = documents(plan)
    return plan


def write_plan(path, generation, count, devices=None):
    plan = make_plan(generation, count, devices)
    with open(path, "w") as handle:
        json.dump(plan, handle, indent=1)
        handle.write("\n")
    return path


def main(argv=None):
    import argparse
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("generation", choices=sorted(SAMPLE))
    parser.add_argument("count", type=int)
    parser.add_argument("out")
    args = parser.parse_args(argv)
    write_plan(args.out, args.generation, args.count)
    return 0


if __name__ == "__main__":
    sys.exit(main())
