# Copyright: (c) 2026, rapyuta.rio contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""The fleet playbooks run the way AWX runs a job, through ansible-runner, AWX's engine.

What AWX does, and what this file does in its place (AWX itself needs Kubernetes and a database):

* Inventory update: ``ansible-inventory --list --export`` over the inventory source (here the sample
  inventory directory, with the ``rapyuta.rio.rio_devices`` plugin), through ansible-runner; the
  ``all`` group's variables become the inventory's variables, each host and group is stored with its
  own variables (``ImportedInventory``).
* Job slicing: a job template with k slices becomes k jobs; slice n (from 1) gets the enabled hosts
  in name order ``[n-1::k]``, every group (with its variables, its hosts narrowed to the slice) and
  the inventory's variables, and k is capped at the number of hosts
  (``Inventory.get_script_data``, ``JobTemplate.get_effective_slice_ct`` in AWX). A slice is told
  nothing else about the others: ``awx_meta_vars`` carry job and workflow ids only.
* The job: a private data directory with ``inventory/hosts`` (a script printing the slice's
  inventory), ``env/envvars`` (the credential type's env injectors rendered with the credential's
  inputs, ``docs/awx-credential-type.yml``) and ``env/extravars`` (the meta variables and the
  template's extra variables); the artifacts are the ``set_stats`` data of the ``playbook_on_stats``
  event, where AWX's callback receiver reads them.

Everything binds to 127.0.0.1; every run has a bounded time.
"""

import json
import os
import re
import signal
import stat
import subprocess
import sys

import ansible_runner
import jinja2
import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
VENV_BIN = os.path.dirname(os.path.abspath(sys.executable))
CREDENTIAL_TYPE = os.path.join(ROOT, "docs", "awx-credential-type.yml")
# The access log line of one request (uvicorn): the method, the path and the status.
ACCESS = re.compile(r'"(?P<method>[A-Z]+) (?P<path>\S+) HTTP/[0-9.]+" (?P<status>\d{3})')


def plain(value):
    """JSON of ``ansible-inventory --export`` without ansible-core's trust markers: AWX stores variables as text."""
    if isinstance(value, dict):
        if set(value) == {"__ansible_unsafe"}:
            return plain(value["__ansible_unsafe"])
        return dict((key, plain(item)) for key, item in value.items())
    if isinstance(value, list):
        return [plain(item) for item in value]
    return value


def credential_env(inputs):
    """The environment the rapyuta.io credential type injects: each env injector rendered with the
    credential's inputs; a field left empty renders as its default, else as an empty string."""
    with open(CREDENTIAL_TYPE) as handle:
        definition = yaml.safe_load(handle)
    fields = definition["inputs"]["fields"]
    unknown = set(inputs) - set(field["id"] for field in fields)
    assert not unknown, "not fields of the credential type: %s" % sorted(unknown)
    missing = [name for name in definition["inputs"]["required"] if not inputs.get(name)]
    assert not missing, "required inputs of the credential type: %s" % missing
    values = dict((field["id"], inputs.get(field["id"], field.get("default", ""))) for field in fields)
    templates = jinja2.Environment(undefined=jinja2.StrictUndefined)
    return dict((name, templates.from_string(template).render(values))
                for name, template in definition["injectors"]["env"].items())


def runner_env(extra=None):
    """The job's environment besides the credential (AWX sets its own ANSIBLE_ variables likewise)."""
    env = {"ANSIBLE_LOCALHOST_WARNING": "false", "ANSIBLE_NOCOLOR": "1"}
    env.update(extra or {})
    return env


def prepare_os_environ():
    """ansible-runner finds ansible-playbook on this process's PATH and hands this process's environment
    to its children: this venv's tools first, and no RIO_/ANSIBLE_ variable of the caller may reach a
    job that the credential did not inject."""
    for key in list(os.environ):
        if key.startswith(("RIO_", "ANSIBLE_")):
            del os.environ[key]
    if not os.environ.get("PATH", "").startswith(VENV_BIN + os.pathsep):
        os.environ["PATH"] = VENV_BIN + os.pathsep + os.environ.get("PATH", "")


class ImportedInventory:
    """An inventory as AWX stores it after an update from a source."""

    def __init__(self, exported):
        exported = plain(exported)
        self.variables = dict((exported.get("all") or {}).get("vars") or {})
        self.hostvars = dict((exported.get("_meta") or {}).get("hostvars") or {})
        self.groups = {}
        for name, group in exported.items():
            if name in ("_meta", "all", "ungrouped"):
                continue
            self.groups[name] = {"hosts": list(group.get("hosts") or []), "children": list(group.get("children") or []),
                                 "vars": dict(group.get("vars") or {})}
        for host in (exported.get("ungrouped") or {}).get("hosts") or []:
            self.hostvars.setdefault(host, {})
        for group in self.groups.values():
            for host in group["hosts"]:
                self.hostvars.setdefault(host, {})

    @classmethod
    def update_from(cls, source, env, workdir):
        """Run the inventory update: ``ansible-inventory --list --export -i source`` through ansible-runner."""
        out, err = ansible_runner.get_inventory(action="list", inventories=[source], response_format="json",
                                                export=True, envvars=env, quiet=True, timeout=300,
                                                private_data_dir=os.path.join(workdir, "inventory-update"))
        if not isinstance(out, dict):
            raise AssertionError("the inventory update failed:\n%s\n%s" % (out, err))
        return cls(out)

    def hosts(self):
        return sorted(self.hostvars)

    def slice_count(self, job_slice_count):
        return max(1, min(job_slice_count, len(self.hostvars)))

    def script_data(self, slice_number=1, slice_count=1):
        """The inventory a job (or slice ``slice_number`` of ``slice_count``) runs with."""
        hosts = self.hosts()
        if slice_count > 1:
            hosts = hosts[slice_number - 1::slice_count]
        kept = set(hosts)
        grouped = set()
        data = {"all": {}, "_meta": {"hostvars": dict((host, self.hostvars[host]) for host in hosts)}}
        if self.variables:
            data["all"]["vars"] = self.variables
        for name, group in self.groups.items():
            info = {}
            members = [host for host in group["hosts"] if host in kept]
            grouped.update(members)
            if members:
                info["hosts"] = members
            if group["children"]:
                info["children"] = group["children"]
            if group["vars"]:
                info["vars"] = group["vars"]
            if info:
                data[name] = info
        data["all"]["hosts"] = [host for host in hosts if host not in grouped]
        if self.groups:
            data["all"]["children"] = list(self.groups)
        return data


class Job:
    """One finished job (or slice), read back from its artifacts as AWX reads a job's events: status, rc,
    standard output, the set_stats artifacts, the tasks that changed something or were retried."""

    def __init__(self, name, artifact_dir, hosts):
        self.name, self.hosts = name, hosts
        self.status = read(os.path.join(artifact_dir, "status")).strip()
        self.rc = int(read(os.path.join(artifact_dir, "rc")).strip() or -1)
        self.stdout = read(os.path.join(artifact_dir, "stdout"))
        events_dir = os.path.join(artifact_dir, "job_events")
        events = []
        for entry in os.listdir(events_dir):
            if entry.endswith(".json"):
                with open(os.path.join(events_dir, entry)) as handle:
                    events.append(json.load(handle))
        events.sort(key=lambda event: event.get("counter", 0))
        self.artifacts = {}
        changed, retried = set(), set()
        for event in events:
            data = event.get("event_data") or {}
            if event.get("event") == "playbook_on_stats":
                self.artifacts = data.get("artifact_data") or {}
            elif event.get("event") == "runner_on_ok" and (data.get("res") or {}).get("changed"):
                changed.add(data.get("task"))
            elif event.get("event") == "runner_retry":
                retried.add(data.get("task"))
        self.changed_tasks, self.retried_tasks = sorted(changed), sorted(retried)

    def describe(self):
        return "%s: %s rc=%s\n%s" % (self.name, self.status, self.rc, self.stdout[-5000:])


def read(path):
    with open(path, errors="replace") as handle:
        return handle.read()


def write_inventory_script(path, data):
    """inventory/hosts of a job's private data directory: an executable printing the inventory's JSON, as AWX writes it."""
    with open(path, "w") as handle:
        handle.write("#!/usr/bin/env python3\nprint(%r)\n" % json.dumps(data))
    os.chmod(path, os.stat(path).st_mode | stat.S_IXUSR)


def start_job(workdir, name, playbook, inventory_data, env, extravars, cmdline=None):
    """Start one job in its own private data directory, as its own ``ansible-runner run`` process (AWX runs
    each job in its own process too); (process, artifact directory)."""
    private = os.path.join(workdir, name)
    os.makedirs(os.path.join(private, "inventory"))
    os.makedirs(os.path.join(private, "env"))
    write_inventory_script(os.path.join(private, "inventory", "hosts"), inventory_data)
    with open(os.path.join(private, "env", "envvars"), "w") as handle:
        json.dump(env, handle)
    with open(os.path.join(private, "env", "extravars"), "w") as handle:
        json.dump(extravars, handle)
    # The project is this checkout (its ansible.cfg finds the collection, as an execution environment
    # would have it installed); the playbook path is the job template's, relative to the project.
    command = [os.path.join(VENV_BIN, "ansible-runner"), "run", private, "--ident", name, "--project-dir", ROOT,
               "-p", playbook, "-q"]
    if cmdline:
        command.append("--cmdline=" + cmdline)  # a separate "--check" would be read as ansible-runner's own
    log = open(os.path.join(workdir, name + ".runner.log"), "w")
    process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                               start_new_session=True)
    log.close()
    return process, os.path.join(private, "artifacts", name)


def run_sliced_job(workdir, inventory, job_slice_count, playbook, env, extra_vars=None, check=False, job_id=100,
                   only=None, timeout=300):
    """Launch a job template with ``job_slice_count`` slices and wait for every slice; [Job] in slice order.

    The slices run at the same time, each in its own process, as on an AWX cluster. ``only``: the slice
    numbers to run (the others are left out, as if they had not started yet)."""
    count = inventory.slice_count(job_slice_count)
    started = []
    for number in range(1, count + 1):
        if only is not None and number not in only:
            continue
        data = inventory.script_data(number, count)
        meta = {"awx_job_id": job_id + number, "tower_job_id": job_id + number, "awx_job_launch_type": "manual",
                "awx_job_template_name": "Deploy fleet"}
        if count > 1:
            meta.update(awx_workflow_job_id=job_id, awx_workflow_job_name="Deploy fleet")
        name = "job%d-slice%dof%d" % (job_id, number, count)
        process, artifacts = start_job(workdir, name, playbook, data, env, dict(meta, **(extra_vars or {})),
                                       cmdline="--check" if check else None)
        started.append((name, process, artifacts, sorted(data["_meta"]["hostvars"])))
    jobs = []
    for name, process, artifacts, hosts in started:
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)  # its own session: only this job's processes
            process.wait(timeout=30)
            raise AssertionError("%s did not finish within %ss" % (name, timeout))
        jobs.append(Job(name, artifacts, hosts))
    return jobs


# Read by POST (the device selection query): not a write.
READS_BY_POST = {"POST /api/device-manager/v0/selection/query/"}


def writes(log_path, offset=0):
    """The write requests in an emulator's access log from ``offset`` on, by route and outcome:
    {"POST /routednetwork": {"ok": 1, "409": 0, "other": 0}, ...} (queries dropped from the path)."""
    found = {}
    with open(log_path, errors="replace") as handle:
        handle.seek(offset)
        for line in handle:
            match = ACCESS.search(line)
            if not match or match.group("method") in ("GET", "HEAD", "OPTIONS"):
                continue
            route = "%s %s" % (match.group("method"), match.group("path").split("?", 1)[0])
            if route in READS_BY_POST:
                continue
            status = int(match.group("status"))
            outcome = "ok" if 200 <= status < 300 else "409" if status == 409 else "other"
            found.setdefault(route, {"ok": 0, "409": 0, "other": 0})[outcome] += 1
    return found
