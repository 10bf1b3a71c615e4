"""Ansible callback of `make bench`: when the playbook and each task started, as JSON.

Enabled by bench/run.py (ANSIBLE_CALLBACK_PLUGINS=bench/callback_plugins,
ANSIBLE_CALLBACKS_ENABLED=bench_timings); writes {"playbook_start", "tasks": [{start, name, role,
action}], "stats"} (wall-clock seconds) to $BENCH_TIMINGS_OUT when the playbook ends. A task lasts
until the next one starts, so the parts add up to the run.
"""
import json
import os
import time

from ansible.plugins.callback import CallbackBase

DOCUMENTATION = """
name: bench_timings
type: aggregate
short_description: task start times for the benchmark
description: Writes when the playbook and each task started to the file named by BENCH_TIMINGS_OUT.
"""


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "bench_timings"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._timings = {"playbook_start": None, "tasks": [], "stats": None}

    def v2_playbook_on_start(self, playbook):
        if self._timings["playbook_start"] is None:
            self._timings["playbook_start"] = time.time()

    def v2_playbook_on_task_start(self, task, is_conditional):
        role = task._role.get_name(include_role_fqcn=False) if task._role else None
        # task.name: without the "role : " prefix of get_name().
        self._timings["tasks"].append({"start": time.time(), "name": task.name, "role": role,
                                       "action": task.action})

    def v2_playbook_on_handler_task_start(self, task):
        self.v2_playbook_on_task_start(task, False)

    def v2_playbook_on_stats(self, stats):
        self._timings["stats"] = time.time()
        out = os.environ.get("BENCH_TIMINGS_OUT")
        if out:
            with open(out, "w") as handle:
                json.dump(self._timings, handle)
