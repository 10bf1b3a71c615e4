"""The v1 peer without Ansible: an idempotent script with the official SDK (rapyuta-io 1.17.1), one
object after another, as its documentation shows. It creates the package versions that are missing,
the routed network and the cloud deployment if absent, then provisions each robot's deployment that
is not live yet, and waits for everything it created to be Succeeded + Running. Run again, it finds
everything and writes nothing.

    python bench/peers/sdk_v1.py PLAN.json    (env: bench/peers/README.md)
"""
import json
import os
import sys
import time

# The clock starts before the vendor's library is imported (riocli's start-up counts for riocli too).
STARTED = time.monotonic()

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from common import Settings, deployment_names, load_plan, report

TOOL = "sdk-1.17.1"
# The SDK's own poll (one GET per deployment per round); 1 s instead of its default 6 s, as a user
# waiting for a fleet would set it.
POLL = {"retry_count": 900, "sleep_interval": 1}


def point_sdk_at(settings, workdir):
    """The SDK reads its three hosts from the file RIO_CONFIG names."""
    path = os.path.join(workdir, "rio_config.json")
    with open(path, "w") as handle:
        json.dump({"catalog_host": settings.endpoint, "core_api_host": settings.endpoint,
                   "rip_host": settings.endpoint}, handle)
    os.environ["RIO_CONFIG"] = path


def main(plan_path):
    settings = Settings()
    point_sdk_at(settings, os.environ.get("HOME") or os.getcwd())
    from rapyuta_io import Client, DeploymentPhaseConstants
    from rapyuta_io.clients.package import RestartPolicy, ROSDistro
    restart_policies = {"always": RestartPolicy.Always, "never": RestartPolicy.Never,
                        "on_failure": RestartPolicy.OnFailure}
    live_phases = [phase for phase in DeploymentPhaseConstants if phase != DeploymentPhaseConstants.DEPLOYMENT_STOPPED]

    plan = load_plan(plan_path)
    client = Client(settings.token, settings.project)
    created = 0

    packages = {}
    for manifest in plan["packages"]:
        key = (manifest["name"], manifest["packageVersion"])
        found = [p for p in client.get_all_packages(name=key[0], version=key[1]) if p.packageName == key[0]]
        if found:
            packages[key] = found[0].packageId
        else:
            packages[key] = client.create_package(manifest)["packageId"]
            created += 1

    networks = {}
    existing = dict((net.name, net) for net in client.get_all_routed_networks()
                    if net.phase != DeploymentPhaseConstants.DEPLOYMENT_STOPPED.value)
    for wanted in plan["routed_networks"]:
        network = existing.get(wanted["name"])
        if network is None:
            network = client.create_cloud_routed_network(wanted["name"], ROSDistro(wanted["ros_distro"]), False)
            created += 1
        network.poll_routed_network_till_ready(**POLL)
        networks[wanted["name"]] = network

    live = dict((dep.name, dep) for dep in client.get_all_deployments(phases=live_phases))
    provisioned = {}
    package_objects = {}

    def configuration(options):
        key = (options["package_name"], options["package_version"])
        if key not in package_objects:
            package_objects[key] = client.get_package(packages[key])
        package = package_objects[key]
        config = package.get_provision_configuration()
        for component in options["components"]:
            for name, value in (component.get("parameters") or {}).items():
                config.add_parameter(component["name"], name, value)
            if component.get("restart_policy"):
                config.add_restart_policy(component["name"], restart_policies[component["restart_policy"]])
        for name, value in (options.get("labels") or {}).items():
            config.add_label(name, value)
        for dependency in options.get("depends_on") or []:
            config.add_dependent_deployment(provisioned.get(dependency) or live[dependency])
        for network in options.get("routed_networks") or []:
            config.add_routed_network(networks[network["name"]])
        return package, config

    cloud = plan["cloud_deployment"]
    if cloud["name"] not in live:
        package, config = configuration(cloud)
        provisioned[cloud["name"]] = package.provision(cloud["name"], config)
        created += 1
        provisioned[cloud["name"]].poll_deployment_till_ready(**POLL)

    devices = None
    for item in plan["deployments"]:
        if item["name"] in live:
            continue
        if devices is None:
            devices = dict((device.name, device) for device in client.get_all_devices())
        package, config = configuration(item)
        config.add_device(item["components"][0]["name"], devices[item["robot"]])
        provisioned[item["name"]] = package.provision(item["name"], config)
        created += 1
    for name in (item["name"] for item in plan["deployments"] if item["name"] in provisioned):
        provisioned[name].poll_deployment_till_ready(**POLL)
    # What this run created is ready (else the poll raised); what it found counts if the list says Succeeded.
    found_ready = sum(1 for name in deployment_names(plan)
                      if name in live and getattr(live[name], "phase", None) == DeploymentPhaseConstants.SUCCEEDED.value)
    ready = len(provisioned) + found_ready
    report(TOOL, created, time.monotonic() - STARTED, ready)
    return 0 if ready == len(deployment_names(plan)) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
