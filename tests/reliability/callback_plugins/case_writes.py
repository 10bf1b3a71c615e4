"""A test callback of the reliability suite: the emulator's request counters after each bad-input case.

A case is a task that registers ``case_<id>``, or a set_fact of ``case_<id>`` (a role case keeps its
failure in a rescue). After each one, the callback reads GET /_emulator/stats (RIO_CATALOG_HOST) and
gives the case every request counted since the previous case: what the case's own tasks sent, since
the linear strategy reports a task's result before it starts the next task. At the end of the
playbook it writes ``{case id: [{route: count}]}`` to RIO_REL_CASE_STATS; test_bad_inputs.py asserts
that no case wrote.
"""
import json
import os
import urllib.request

from ansible.plugins.callback import CallbackBase

DOCUMENTATION = """
name: case_writes
type: aggregate
short_description: the emulator's requests of each bad-input case (reliability tests only)
description: [Writes the requests each case_<id> task made to RIO_REL_CASE_STATS.]
"""

PREFIX = "case_"


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "case_writes"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._url = os.environ["RIO_CATALOG_HOST"].rstrip("/") + "/_emulator/stats"
        self._output = os.environ["RIO_REL_CASE_STATS"]
        self._before = self._by_route()
        self._cases = {}

    def _by_route(self):
        with urllib.request.urlopen(self._url, timeout=30) as answer:
            return json.load(answer)["by_route"]

    @staticmethod
    def _case_names(result):
        task = getattr(result, "task", None) or result._task
        outcome = getattr(result, "result", None)
        outcome = outcome if outcome is not None else result._result
        # ansible-core 2.21 keeps register as {variable: expression}, earlier ones as the variable's name.
        register = task.register
        names = list(register) if isinstance(register, dict) else [register] if register else []
        names += list((outcome.get("ansible_facts") or {}) if task.action.endswith("set_fact") else ())
        return [name[len(PREFIX):] for name in names if name.startswith(PREFIX)]

    def _task_done(self, result):
        names = self._case_names(result)
        if not names:
            return
        now = self._by_route()
        since = {route: count - self._before.get(route, 0) for route, count in now.items()
                 if count != self._before.get(route, 0)}
        self._before = now
        for name in names:  # a list per case: a case id that two tasks register shows as two entries
            self._cases.setdefault(name, []).append(since)

    def v2_runner_on_ok(self, result, *args, **kwargs):
        self._task_done(result)

    def v2_runner_on_failed(self, result, *args, **kwargs):
        self._task_done(result)

    def v2_runner_on_skipped(self, result, *args, **kwargs):
        self._task_done(result)

    def v2_runner_on_unreachable(self, result, *args, **kwargs):
        self._task_done(result)

    def v2_playbook_on_stats(self, stats):
        with open(self._output, "w") as handle:
            json.dump(self._cases, handle, indent=1, sort_keys=True)
