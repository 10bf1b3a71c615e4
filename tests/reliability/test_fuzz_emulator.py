"""Issue 8 item 6: schemathesis fuzzes the emulator's API from its OpenAPI document; no input may get a
5xx answer. The document is FastAPI's own (app.fastapi.openapi(): the emulator does not serve
/openapi.json); the requests go over HTTP to a private emulator process, with the token, so that they
reach the handlers. Bounded: RIO_FUZZ_MAX_EXAMPLES examples per operation (default 25)."""
import os
import tempfile

import pytest

import schemathesis
from hypothesis import HealthCheck, settings

from rel_helpers import Emulator, MANIFESTS, record_figures
from rio_emulator.app import create_app
from rio_emulator.context import Settings

MAX_EXAMPLES = int(os.environ.get("RIO_FUZZ_MAX_EXAMPLES", "25"))
_spec = create_app(Settings()).fastapi.openapi()
# The admin routes are test hooks (they reset state and set faults), not the API; the status page is HTML.
schema = schemathesis.openapi.from_dict(_spec).exclude(path_regex=r"^/_emulator").exclude(path="/")
COUNTS = {"requests": 0, "by_status": {}, "server_errors": []}


@pytest.fixture(scope="module")
def live_emulator():
    import json
    emu = Emulator(tempfile.mkdtemp(prefix="rel-fuzz-"))
    with open(os.path.join(MANIFESTS, "talker-docker.json")) as handle:
        emu.api("POST", "/serviceclass/add", json.load(handle))
    yield emu
    emu.stop()
    record_figures("fuzz_emulator", {
        "operations": len(list(schema.get_all_operations())), "max_examples_per_operation": MAX_EXAMPLES,
        "requests": COUNTS["requests"], "by_status": COUNTS["by_status"],
        "server_errors": len(COUNTS["server_errors"])})


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
def test_no_server_error(case, live_emulator):
    headers = {"Authorization": "Bearer " + live_emulator.token, "project": live_emulator.project}
    headers.update(case.headers or {})
    response = case.call(base_url=live_emulator.url, headers=headers, timeout=15)
    COUNTS["requests"] += 1
    code = str(response.status_code)
    COUNTS["by_status"][code] = COUNTS["by_status"].get(code, 0) + 1
    if response.status_code >= 500:
        COUNTS["server_errors"].append(case.as_curl_command())
    assert response.status_code < 500, "%s -> %s %s\n%s" % (
        case.operation.label, response.status_code, response.text[:300], case.as_curl_command())
