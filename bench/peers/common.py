"""What every peer script shares: its settings from the environment, the plan, the clock, the
readiness probe and the one JSON line it prints. Standard library only: each peer runs in its own
venv (bench/peers/README.md)."""
import http.client
import json
import os
import sys
import time
import urllib.parse

# The platform's words for a deployment that is up (docs/reference/v1-api.md, v2-api.md#deployment-phases-and-readiness).
SUCCEEDED = "Succeeded"
RUNNING = "Running"
PROBE_INTERVAL = 0.2
PROBE_TIMEOUT = 900


class Settings:
    """RIO_ENDPOINT, RIO_AUTH_TOKEN, RIO_PROJECT, RIO_ORGANIZATION (v2) from the environment."""

    def __init__(self, environ=None):
        environ = os.environ if environ is None else environ
        self.endpoint = environ["RIO_ENDPOINT"].rstrip("/")
        self.token = environ["RIO_AUTH_TOKEN"]
        self.project = environ["RIO_PROJECT"]
        self.organization = environ.get("RIO_ORGANIZATION", "")


def load_plan(path):
    with open(path) as handle:
        return json.load(handle)


def deployment_names(plan):
    """Every deployment of the plan: the cloud one, then one per robot."""
    return [plan["cloud_deployment"]["name"]] + [item["name"] for item in plan["deployments"]]


def report(tool, created, seconds, ready, **extra):
    """The one line the harness reads (the last line of stdout)."""
    line = dict(extra, tool=tool, created=created, seconds=round(seconds, 3), ready=ready)
    sys.stdout.write(json.dumps(line, sort_keys=True) + "\n")
    sys.stdout.flush()


class ReadinessProbe:
    """For the tools that return before their deployments are up (riocli): lists the project's
    deployments over one kept-alive connection until every name is ready, the way a user's script
    would wait after `rio apply`. Its requests are counted apart (requests, connections) so the
    harness can tell them from the tool's."""

    def __init__(self, settings, generation):
        self.settings, self.generation = settings, generation
        url = urllib.parse.urlsplit(settings.endpoint)
        factory = http.client.HTTPSConnection if url.scheme == "https" else http.client.HTTPConnection
        self._connect = lambda: factory(url.hostname, url.port, timeout=60)
        self._prefix = url.path
        self._conn = None
        self.requests = self.connections = 0

    def _get(self, path):
        if self._conn is None:
            self._conn = self._connect()
            self.connections += 1
        headers = {"Authorization": "Bearer " + self.settings.token, "project": self.settings.project}
        if self.generation == "v2" and self.settings.organization:
            headers["organizationguid"] = self.settings.organization
        self.requests += 1
        try:
            self._conn.request("GET", self._prefix + path, headers=headers)
            answer = self._conn.getresponse()
            body = answer.read()
        except (OSError, http.client.HTTPException):
            self._conn.close()
            self._conn = None
            raise
        if answer.status != 200:
            raise RuntimeError("GET %s -> %s %s" % (path, answer.status, body[:300]))
        return json.loads(body)

    def ready_names(self):
        """Names of the live deployments that are ready: v1 listed Succeeded with no error code (the
        v1 list has no status; Running follows Succeeded there), v2 Succeeded and Running."""
        if self.generation == "v1":
            return set(item["name"] for item in self._get("/deployment/list?phase=" + SUCCEEDED)
                       if not any(entry.get("errorCode") for entry in item.get("componentInstanceIds") or []))
        ready, offset = set(), 0
        while True:
            page = self._get("/v2/deployments/?phases=%s&limit=1000&continue=%d" % (SUCCEEDED, offset))
            items = page.get("items") or []
            ready.update(item["metadata"]["name"] for item in items
                         if (item.get("status") or {}).get("status") == RUNNING)
            if len(items) < 1000:
                return ready
            offset = page["metadata"]["continue"]

    def wait(self, names, timeout=PROBE_TIMEOUT):
        """How many of names are ready once all are, or when timeout seconds have passed."""
        wanted = set(names)
        deadline = time.monotonic() + timeout
        while True:
            ready = wanted & self.ready_names()
            if ready == wanted or time.monotonic() > deadline:
                return len(ready)
            time.sleep(PROBE_INTERVAL)

    def close(self):
        if self._conn is not None:
            self._conn.close()
