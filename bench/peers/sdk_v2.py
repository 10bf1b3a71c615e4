"""The v2 peer without Ansible: an idempotent script with the vendor's sdk-v2 (rapyuta-io-sdk-v2 0.10.0),
one object after another in the order of the plan's documents. Each package, network, disk and static
route is read by name and created when absent; the live deployments are listed once and each missing
one created, the cloud deployment first and waited for (the robots depend on it); then the project's
deployments are listed once a second until every one is Succeeded + Running. Run again, it finds
everything and writes nothing.

    python bench/peers/sdk_v2.py PLAN.json    (env: bench/peers/README.md)
"""
import os
import sys
import time

# The clock starts before the vendor's library is imported (riocli's start-up counts for riocli too).
STARTED = time.monotonic()

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from common import RUNNING, SUCCEEDED, Settings, deployment_names, load_plan, report

TOOL = "sdk-v2-0.10.0"
POLL_INTERVAL = 1.0
POLL_TIMEOUT = 900
PAGE = 1000


def main(plan_path):
    settings = Settings()
    from rapyuta_io_sdk_v2 import Client, Configuration
    from rapyuta_io_sdk_v2.exceptions import HttpNotFoundError

    plan = load_plan(plan_path)
    client = Client(Configuration(auth_token=settings.token, project_guid=settings.project,
                                  organization_guid=settings.organization, v2_api_host=settings.endpoint,
                                  rip_host=settings.endpoint))
    kinds = {
        "Package": (lambda doc: client.get_package(doc["metadata"]["name"], doc["metadata"]["version"]),
                    client.create_package),
        "Network": (lambda doc: client.get_network(doc["metadata"]["name"]), client.create_network),
        "Disk": (lambda doc: client.get_disk(doc["metadata"]["name"]), client.create_disk),
        "StaticRoute": (lambda doc: client.get_staticroute(doc["metadata"]["name"]), client.create_staticroute),
    }

    def deployments(phases=None):
        found, offset = {}, 0
        while True:
            page = client.list_deployments(cont=offset, limit=PAGE, phases=phases)
            found.update((item.metadata.name, item) for item in page.items)
            if len(page.items) < PAGE:
                return found
            offset = page.metadata.continue_

    def wait_running(names):
        deadline = time.monotonic() + POLL_TIMEOUT
        while True:
            listed = deployments([SUCCEEDED])
            ready = [name for name in names if name in listed and listed[name].status.status == RUNNING]
            if len(ready) == len(names) or time.monotonic() > deadline:
                return len(ready)
            time.sleep(POLL_INTERVAL)

    created = 0
    pending = []
    for document in plan["documents"]:
        kind = document["kind"]
        if kind == "Deployment":
            pending.append(document)
            continue
        read, create = kinds[kind]
        try:
            read(document)
        except HttpNotFoundError:
            create(document)
            created += 1

    live = deployments(["InProgress", "Provisioning", "Succeeded", "FailedToStart", "FailedToUpdate"])
    cloud_name = plan["cloud_deployment"]["name"]
    for document in pending:
        name = document["metadata"]["name"]
        if name in live:
            continue
        client.create_deployment(document)
        created += 1
        if name == cloud_name:
            wait_running([cloud_name])
    ready = wait_running(deployment_names(plan))
    report(TOOL, created, time.monotonic() - STARTED, ready)
    return 0 if ready == len(deployment_names(plan)) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
