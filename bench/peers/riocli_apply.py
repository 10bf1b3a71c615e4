"""The riocli peers: `rio apply` of the plan's manifests (riocli 8.1.0 on v1, 10.11.0 on v2, whichever
is installed next to this interpreter), with riocli's own defaults (--workers 6), then a wait until
every deployment is ready: riocli has no fleet-wide wait (`rio deployment wait` takes one name), so
the readiness probe of common.py lists the deployments until all are up, its requests reported apart.

    python bench/peers/riocli_apply.py PLAN.json [--workers N] [--retry-interval S]

riocli 8 itself waits for each deployment it creates to reach Provisioning or Succeeded (polling
every --retry-interval seconds, 6 by default); riocli 10 waits only for a deployment's `spec.depends`
that ask for it. This wrapper passes -ri 1: the default 6 s would make every riocli 8 rollout at least
6 s on a platform that answers at once.
"""
import argparse
import json
import os
import re
import subprocess
import sys
import time

import yaml

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from common import ReadinessProbe, Settings, deployment_names, load_plan, report

RIO = os.path.join(os.path.dirname(sys.executable), "rio")
# What riocli says of each object it created ("Created deployment:talker-robot-001").
CREATED = re.compile(r"\bcreated\s+[a-z]+:\S+", re.IGNORECASE)


def riocli_version():
    from importlib.metadata import version
    return version("rapyuta-io-cli")


def write_config(settings, home):
    """riocli's config file where it looks for it (~/.config/rio-cli); every host is the endpoint. The
    "environment" key makes riocli 8 hand the file to the v1 SDK too (RIO_CONFIG), which takes its
    hosts from it."""
    directory = os.path.join(home, ".config", "rio-cli")
    os.makedirs(directory, exist_ok=True)
    config = {"auth_token": settings.token, "project_id": settings.project, "project_name": "bench",
              "organization_id": settings.organization, "organization_name": "bench",
              "organization_short_id": "emuorg", "email_id": "bench@example.com", "environment": "ga"}
    for key in ("v2api_host", "core_api_host", "rip_host", "catalog_host"):
        config[key] = settings.endpoint
    path = os.path.join(directory, "config.json")
    with open(path, "w") as handle:
        json.dump(config, handle)
    return path


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("plan")
    parser.add_argument("--workers", type=int, default=6, help="rio apply --workers (riocli's default: 6)")
    parser.add_argument("--retry-interval", type=int, default=1, help="rio apply -ri (riocli's default: 6)")
    args = parser.parse_args(argv)
    settings = Settings()
    home = os.environ.get("HOME") or os.getcwd()
    plan = load_plan(args.plan)
    manifest = os.path.join(home, "fleet-manifests.yaml")
    with open(manifest, "w") as handle:
        yaml.safe_dump_all(plan["documents"], handle, sort_keys=False)
    config = write_config(settings, home)
    env = dict(os.environ, RIO_CONFIG=config, HOME=home, NO_COLOR="1", TERM="dumb", COLUMNS="200",
               PYTHONIOENCODING="utf-8", PYTHONWARNINGS="ignore")
    tool = "riocli-%s" % riocli_version()

    started = time.monotonic()
    applied = subprocess.run([RIO, "apply", "-f", "-w", str(args.workers), "-ri", str(args.retry_interval), manifest],
                             capture_output=True, text=True, env=env, stdin=subprocess.DEVNULL, cwd=home)
    applied_seconds = time.monotonic() - started
    probe = ReadinessProbe(settings, plan["generation"])
    try:
        ready = probe.wait(deployment_names(plan)) if applied.returncode == 0 else 0
    finally:
        probe.close()
    seconds = time.monotonic() - started
    output = applied.stdout + applied.stderr
    with open(os.path.join(home, "rio-apply.log"), "w") as handle:
        handle.write(output)
    created = len(CREATED.findall(output))
    report(tool, created, seconds, ready, exit=applied.returncode, apply_seconds=round(applied_seconds, 3),
           probe_requests=probe.requests, probe_connections=probe.connections)
    if applied.returncode != 0:
        sys.stderr.write(output[-4000:])
    return applied.returncode or (0 if ready == len(deployment_names(plan)) else 1)


if __name__ == "__main__":
    sys.exit(main())
