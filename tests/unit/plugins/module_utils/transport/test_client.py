# Copyright: (c) 2026, rapyuta.rio contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""RioClient against a real local HTTP(S) server: headers, hosts, envelopes, errors, timeouts, TLS, retries."""

import email.utils
import json
import socket
import time
import warnings

import pytest

from http_server import Reply, make_self_signed_cert

from ansible_collections.rapyuta.rio.plugins.module_utils.transport import client as _client
from ansible_collections.rapyuta.rio.plugins.module_utils.transport.client import (
    DEFAULT_CATALOG_HOST,
    DEFAULT_CORE_API_HOST,
    DEFAULT_V2_API_HOST,
    RioApiError,
    RioBadRequest,
    RioClient,
    RioConflict,
    RioConnectionError,
    RioError,
    RioForbidden,
    RioNotFound,
    RioServerError,
    RioUnauthorized,
    default_rio_config_path,
    explain_error,
    is_ambiguous,
    resolve_connection,
    resolve_hosts,
)

TOKEN = "s3cr3t-token-value"


class Sleeps(list):
    """A sleeper that records instead of sleeping, so retry tests are fast and exact."""

    def __call__(self, seconds):
        self.append(seconds)


def make_client(server, **kwargs):
    kwargs.setdefault("auth_token", TOKEN)
    kwargs.setdefault("project", "project-abc")
    kwargs.setdefault("catalog_host", server.url)
    kwargs.setdefault("core_api_host", server.url)
    kwargs.setdefault("environ", {})
    kwargs.setdefault("sleeper", Sleeps())
    kwargs.setdefault("timeout", 5)
    return RioClient(**kwargs)


def strings_in(obj, seen=None):
    """Every string reachable from an exception: str, repr, attributes, chained exceptions."""
    seen = seen if seen is not None else set()
    if id(obj) in seen or obj is None:
        return []
    seen.add(id(obj))
    if isinstance(obj, (str, bytes)):
        return [obj if isinstance(obj, str) else obj.decode("utf-8", "replace")]
    if isinstance(obj, (int, float, bool)):
        return []
    found = [str(obj), repr(obj)]
    if isinstance(obj, dict):
        for key, value in obj.items():
            found += strings_in(key, seen) + strings_in(value, seen)
    elif isinstance(obj, (list, tuple, set)):
        for value in obj:
            found += strings_in(value, seen)
    else:
        for value in getattr(obj, "__dict__", {}).values():
            found += strings_in(value, seen)
        if isinstance(obj, BaseException):
            found += strings_in(obj.args, seen) + strings_in(obj.__cause__, seen) + strings_in(obj.__context__, seen)
    return found


def assert_token_absent(exc):
    leaks = [text for text in strings_in(exc) if TOKEN in text]
    assert not leaks, leaks


def closed_port():
    """A loopback port nobody listens on (bound, then released)."""
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    return port


# -- headers (docs/reference/v1-api.md#headers) ---------------------------------------------------
def test_headers_on_a_json_body_call(rio_server):
    rio_server.script("POST", "/serviceclass/add", Reply(200, {"packageId": "pkg-1"}))
    client = make_client(rio_server, organization="org-1")

    answer = client.request("POST", "catalog", "/serviceclass/add", json_body={"name": "talker"})

    assert answer == {"packageId": "pkg-1"}
    sent = rio_server.calls("POST", "/serviceclass/add")[0]
    assert sent.headers["Authorization"] == "Bearer " + TOKEN
    assert sent.headers["project"] == "project-abc"
    assert sent.headers["organization"] == "org-1"
    assert sent.headers["Content-Type"] == "application/json"
    assert sent.headers["User-Agent"].startswith("rapyuta.rio-ansible/")
    assert sent.json == {"name": "talker"}


def test_get_without_body_has_no_content_type_and_lists_repeat_query_keys(rio_server):
    rio_server.script("GET", "/deployment/list", Reply(200, []))
    client = make_client(rio_server)

    assert client.request("GET", "catalog", "/deployment/list", params={"phase": ["Succeeded", "Provisioning"]}) == []
    sent = rio_server.requests[0]
    assert sent.headers.get("Content-Type") is None
    assert sent.query == {"phase": ["Succeeded", "Provisioning"]}


@pytest.mark.parametrize("token, header", [
    ("abc", "Bearer abc"),
    ("Bearer abc", "Bearer abc"),
    ("Bearerabc", "Bearerabc"),  # the SDK's rule: the exact prefix "Bearer", nothing more
])
def test_bearer_prefix_added_only_when_missing(rio_server, token, header):
    rio_server.script("GET", "/v2/catalog", Reply(200, {"services": []}))
    make_client(rio_server, auth_token=token).request("GET", "catalog", "/v2/catalog")
    assert rio_server.requests[0].headers["Authorization"] == header


def test_organization_header_omitted_when_none(rio_server):
    rio_server.script("GET", "/v2/catalog", Reply(200, {"services": []}))
    make_client(rio_server, organization=None).request("GET", "catalog", "/v2/catalog")
    assert "organization" not in rio_server.requests[0].headers


@pytest.mark.parametrize("project", [None, ""])
def test_a_missing_project_is_refused_naming_the_option_and_variable(rio_server, project):
    with pytest.raises(RioError) as caught:
        make_client(rio_server, project=project)
    assert "project option" in str(caught.value) and "RIO_PROJECT" in str(caught.value)
    assert rio_server.requests == []


def test_json_alias_sends_the_same_body(rio_server):
    rio_server.script("POST", "/disk", Reply(200, {"guid": "disk-1"}))
    make_client(rio_server).request("POST", "catalog", "/disk", json={"name": "d"})
    assert rio_server.requests[0].json == {"name": "d"}


def test_missing_token_is_refused_before_any_request():
    with pytest.raises(RioError, match="auth_token is required"):
        RioClient("", environ={})


# -- hosts (docs/reference/v1-api.md#hosts) -------------------------------------------------------
@pytest.fixture
def rio_config(tmp_path):
    path = tmp_path / "rio.json"
    path.write_text(json.dumps({"catalog_host": "http://config-catalog", "core_api_host": "http://config-core/"}))
    return str(path)


def test_option_beats_environment_and_config(rio_config):
    environ = {"RIO_CATALOG_HOST": "http://env-catalog", "RIO_CORE_API_HOST": "http://env-core",
               "RIO_CONFIG": rio_config}
    assert resolve_hosts("http://opt-catalog/", "http://opt-core", environ) == ("http://opt-catalog", "http://opt-core")


def test_environment_beats_config(rio_config):
    environ = {"RIO_CATALOG_HOST": "http://env-catalog", "RIO_CONFIG": rio_config}
    assert resolve_hosts(environ=environ) == ("http://env-catalog", "http://config-core")


def test_config_file_keys_fall_back_to_defaults_one_by_one(tmp_path):
    path = tmp_path / "rio.json"
    path.write_text(json.dumps({"core_api_host": "http://config-core"}))
    assert resolve_hosts(environ={"RIO_CONFIG": str(path)}) == (DEFAULT_CATALOG_HOST, "http://config-core")


@pytest.mark.parametrize("content, text", [(None, "cannot be read"), ("not json {", "is not JSON"),
                                           ("[1, 2]", "holds a JSON list")])
def test_a_rio_config_that_cannot_be_read_is_an_error_not_the_production_hosts(tmp_path, content, text):
    path = tmp_path / "rio.json"
    if content is not None:
        path.write_text(content)
    with pytest.raises(RioError) as caught:
        resolve_hosts(environ={"RIO_CONFIG": str(path)})
    assert text in str(caught.value) and str(path) in str(caught.value) and "RIO_CONFIG" in str(caught.value)
    with pytest.raises(RioError, match="RIO_CONFIG"):
        RioClient(TOKEN, project="project-abc", environ={"RIO_CONFIG": str(path)})
    # Not consulted (so not an error) when both hosts are given another way.
    both = {"RIO_CONFIG": str(path), "RIO_CATALOG_HOST": "http://c", "RIO_CORE_API_HOST": "http://k"}
    assert resolve_hosts(environ=both) == ("http://c", "http://k")


def test_production_defaults_without_anything():
    assert resolve_hosts(environ={}) == (DEFAULT_CATALOG_HOST, DEFAULT_CORE_API_HOST)


def test_client_reaches_the_host_named_in_rio_config(rio_server, tmp_path):
    path = tmp_path / "rio.json"
    path.write_text(json.dumps({"catalog_host": rio_server.url, "core_api_host": rio_server.url}))
    rio_server.script("GET", "/api/staticroute/list", Reply(200, [{"guid": "r1"}]))
    client = RioClient(TOKEN, project="project-abc", environ={"RIO_CONFIG": str(path)})
    assert client.request("GET", "core", "/api/staticroute/list") == [{"guid": "r1"}]
    assert client.url("catalog", "/x") == rio_server.url + "/x"


# -- riocli's config file and the v2 host (docs/reference/v2-api.md#hosts-and-headers) -------------
RIOCLI = {"auth_token": "file-token", "project_id": "project-file", "organization_id": "org-file",
          "v2api_host": "http://file-v2/", "core_api_host": "http://file-core", "catalog_host": "http://file-catalog",
          "organization_short_id": "emuorg", "environment": "ga"}
UNSET = dict(auth_token=None, project=None, organization=None, catalog_host=None, core_api_host=None, v2_api_host=None)


def write_config(directory, content=None):
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "config.json"
    content = RIOCLI if content is None else content
    path.write_text(content if isinstance(content, str) else json.dumps(content))
    return str(path)


def test_riocli_config_fills_every_unset_setting(tmp_path):
    environ = {"RIO_CONFIG": write_config(tmp_path)}
    assert resolve_connection(UNSET, "v2", environ) == {
        "auth_token": "file-token", "project": "project-file", "organization": "org-file",
        "v2_api_host": "http://file-v2", "core_api_host": "http://file-core", "catalog_host": "http://file-catalog"}


def test_options_then_host_variables_then_riocli_config_then_defaults(tmp_path):
    environ = {"RIO_CONFIG": write_config(tmp_path, {"auth_token": "file-token", "v2api_host": "http://file-v2"}),
               "RIO_CORE_API_HOST": "http://env-core", "RIO_V2_API_HOST": "http://env-v2",
               "RIO_AUTH_TOKEN": "not read here: the option layer passes it as the option"}
    given = dict(UNSET, auth_token="option-token", project="project-option")
    resolved = resolve_connection(given, "v2", environ)
    assert (resolved["auth_token"], resolved["project"], resolved["organization"]) == ("option-token", "project-option", None)
    assert (resolved["core_api_host"], resolved["v2_api_host"], resolved["catalog_host"]) == (
        "http://env-core", "http://env-v2", DEFAULT_CATALOG_HOST)
    resolved = resolve_connection(dict(UNSET, v2_api_host="http://option-v2"), "v2", environ)
    assert (resolved["auth_token"], resolved["v2_api_host"]) == ("file-token", "http://option-v2")
    assert resolve_connection(UNSET, "v2", {})["v2_api_host"] == DEFAULT_V2_API_HOST == "https://api.rapyuta.io"


def test_empty_and_non_string_values_in_the_file_count_as_unset(tmp_path):
    environ = {"RIO_CONFIG": write_config(tmp_path, {"auth_token": "", "project_id": None, "v2api_host": 3})}
    resolved = resolve_connection(UNSET, "v2", environ)
    assert resolved["auth_token"] is None and resolved["project"] is None and resolved["v2_api_host"] == DEFAULT_V2_API_HOST


def test_riocli_default_location_is_read_when_rio_config_is_unset(tmp_path, monkeypatch):
    monkeypatch.setattr(_client.sys, "platform", "linux")
    write_config(tmp_path / "xdg" / "rio-cli")
    write_config(tmp_path / "home" / ".config" / "rio-cli", dict(RIOCLI, project_id="project-home"))
    xdg = {"XDG_CONFIG_HOME": str(tmp_path / "xdg"), "HOME": str(tmp_path / "home")}
    assert resolve_connection(UNSET, "v2", xdg)["project"] == "project-file"
    assert resolve_connection(UNSET, "v2", {"HOME": str(tmp_path / "home")})["project"] == "project-home"
    # RIO_CONFIG names the file to read instead.
    named = dict(xdg, RIO_CONFIG=write_config(tmp_path / "named", dict(RIOCLI, project_id="project-named")))
    assert resolve_connection(UNSET, "v2", named)["project"] == "project-named"
    # No file at the default location: nothing to fill, no error.
    assert resolve_connection(UNSET, "v2", {"HOME": str(tmp_path / "nobody")})["project"] is None
    assert default_rio_config_path({}) is None


def test_riocli_default_location_on_macos(tmp_path, monkeypatch):
    monkeypatch.setattr(_client.sys, "platform", "darwin")
    write_config(tmp_path / "Library" / "Application Support" / "rio-cli")
    assert resolve_connection(UNSET, "v2", {"HOME": str(tmp_path)})["organization"] == "org-file"
    assert default_rio_config_path({}) is None


@pytest.mark.parametrize("content, text", [("not json {", "Expecting value"), ("[1]", "a JSON list, not an object")])
def test_a_broken_file_at_riocli_location_is_an_error_naming_it(tmp_path, monkeypatch, content, text):
    monkeypatch.setattr(_client.sys, "platform", "linux")
    path = write_config(tmp_path / "rio-cli", content)
    with pytest.raises(RioError) as caught:
        resolve_connection(UNSET, "v1", {"XDG_CONFIG_HOME": str(tmp_path)})
    assert path in str(caught.value) and text in str(caught.value) and "RIO_CONFIG" in str(caught.value)


def test_v1_reads_the_file_only_for_what_v1_needs_so_a_broken_one_stays_unread(tmp_path):
    broken = {"RIO_CONFIG": str(tmp_path / "missing.json")}
    complete_v1 = dict(UNSET, auth_token="t", project="p", catalog_host="http://c", core_api_host="http://k")
    assert resolve_connection(complete_v1, "v1", broken)["organization"] is None
    with pytest.raises(RioError, match="RIO_CONFIG names"):
        resolve_connection(complete_v1, "v2", broken)  # v2 also wants the organization and its host
    with pytest.raises(RioError, match="RIO_CONFIG names"):
        resolve_connection(dict(complete_v1, auth_token=None), "v1", broken)


def test_a_client_gets_token_project_organization_and_v2_host_from_riocli_config(rio_server, tmp_path):
    path = write_config(tmp_path, dict(RIOCLI, v2api_host=rio_server.url, auth_token=TOKEN))
    rio_server.script("GET", "/v2/disks/", Reply(401, {"error": "bad token %s" % TOKEN}))
    client = RioClient(api_version="v2", environ={"RIO_CONFIG": path})
    with pytest.raises(RioUnauthorized) as caught:
        client.request("GET", "v2", "/v2/disks/")
    (request,) = rio_server.requests
    assert request.headers["Authorization"] == "Bearer " + TOKEN and request.headers["project"] == "project-file"
    assert request.headers["organizationguid"] == "org-file" and request.headers.get("organization") is None
    assert_token_absent(caught.value)
    assert "check auth_token or RIO_AUTH_TOKEN" in explain_error(caught.value)


def test_the_v1_hosts_keep_the_organization_header(rio_server):
    rio_server.script("GET", "/x", Reply(200, {}))
    make_client(rio_server, organization="org-1").request("GET", "catalog", "/x")
    assert rio_server.requests[0].headers["organization"] == "org-1"
    assert rio_server.requests[0].headers.get("organizationguid") is None


def test_a_header_given_to_one_call_is_added_or_removed(rio_server):
    rio_server.script("GET", "/v2/projects/", Reply(200, {}))
    client = make_client(rio_server, v2_api_host=rio_server.url, organization="org-1", api_version="v2")
    client.request("GET", "v2", "/v2/projects/", headers={"project": None, "X-Request-ID": "r1"})
    client.request("GET", "v2", "/v2/projects/")
    first, second = rio_server.requests
    assert first.headers.get("project") is None and first.headers["X-Request-ID"] == "r1"
    assert first.headers["organizationguid"] == "org-1" and second.headers["project"] == "project-abc"


def test_an_unknown_api_version_is_refused_and_none_means_v1():
    with pytest.raises(RioError, match="api_version: must be one of v1, v2, got 'v3'"):
        RioClient(TOKEN, project="p", api_version="v3", environ={})
    assert RioClient(TOKEN, project="p", api_version=None, environ={}).api_version == "v1"


def test_a_403_on_v2_also_points_at_the_organization(rio_server):
    rio_server.script("GET", "/v2/disks/", Reply(403, {"error": "subject is not authorized for this operation"}))
    rio_server.script("GET", "/x", Reply(403, {"error": "forbidden"}))
    client = make_client(rio_server, v2_api_host=rio_server.url, api_version="v2")
    with pytest.raises(RioForbidden) as v2_error:
        client.request("GET", "v2", "/v2/disks/")
    with pytest.raises(RioForbidden) as v1_error:
        client.request("GET", "catalog", "/x")
    assert explain_error(v2_error.value).endswith(
        "(check auth_token, project and organization: the request used project project-abc and organization "
        "(none sent: the token's default))")
    assert explain_error(v1_error.value).endswith("(check auth_token and project: the request used project project-abc)")
    assert TOKEN not in explain_error(v2_error.value)


def test_a_403_names_the_project_and_organization_the_call_sent(rio_server):
    rio_server.script("GET", "/v2/disks/", Reply(403, {"error": "subject is not authorized for this operation"}))
    client = make_client(rio_server, v2_api_host=rio_server.url, api_version="v2", organization="org-elsewhere")
    with pytest.raises(RioForbidden) as error:
        client.request("GET", "v2", "/v2/disks/", headers={"project": "project-other"})
    assert explain_error(error.value).endswith("the request used project project-other and organization org-elsewhere)")


def test_the_missing_token_message_names_the_ways_to_give_it():
    with pytest.raises(RioError) as caught:
        RioClient(project="p", environ={})
    assert "RIO_AUTH_TOKEN" in str(caught.value) and "riocli" in str(caught.value)


# -- envelopes (docs/reference/v1-api.md#envelopes-and-error-bodies) ------------------------------
def test_envelope_unwrapped_only_when_asked(rio_server):
    wrapped = {"status": "success", "response": {"data": [{"uuid": "d1"}]}}
    rio_server.script("GET", "/api/device-manager/v0/devices/", Reply(200, wrapped))
    client = make_client(rio_server)
    assert client.request("GET", "core", "/api/device-manager/v0/devices/", envelope=True) == [{"uuid": "d1"}]
    assert client.request("GET", "core", "/api/device-manager/v0/devices/") == wrapped


def test_envelope_on_a_bare_body_returns_it_unchanged(rio_server):
    rio_server.script("GET", "/x", Reply(200, [1, 2]))
    assert make_client(rio_server).request("GET", "core", "/x", envelope=True) == [1, 2]


def test_empty_body_is_none(rio_server):
    rio_server.script("DELETE", "/v2/service_instances/dep-1", Reply(200, None))
    assert make_client(rio_server).request("DELETE", "catalog", "/v2/service_instances/dep-1") is None


def test_non_json_success_body_is_returned_as_text(rio_server):
    rio_server.script("GET", "/x", Reply(200, b"plain text"))
    assert make_client(rio_server).request("GET", "catalog", "/x") == "plain text"


# -- error mapping (docs/reference/v1-api.md#status-mapping) --------------------------------------
@pytest.mark.parametrize("status, error_class", [
    (400, RioBadRequest), (401, RioUnauthorized), (403, RioForbidden), (404, RioNotFound),
    (409, RioConflict), (500, RioServerError), (503, RioServerError), (418, RioApiError),
])
def test_status_maps_to_typed_error_with_message_method_and_path(rio_server, status, error_class):
    rio_server.script("POST", "/serviceclass/add", Reply(status, {"error": "Package not found"}))
    with pytest.raises(error_class) as caught:
        make_client(rio_server).request("POST", "catalog", "/serviceclass/add", json_body={})
    exc = caught.value
    assert exc.__class__ is error_class  # exactly this class, not only a subclass of it
    assert str(exc) == "HTTP %d: Package not found" % status
    assert (exc.status, exc.method, exc.path, exc.message) == (status, "POST", "/serviceclass/add", "Package not found")
    assert json.loads(exc.body) == {"error": "Package not found"}


@pytest.mark.parametrize("body, message", [
    ({"error": "top", "response": {"error": "nested"}, "message": "msg"}, "top"),
    ({"status": "error", "response": {"data": {}, "error": "device not found"}}, "device not found"),
    ({"message": "plain message"}, "plain message"),
    ({"unrelated": 1}, ""),
    (b"<html>Bad gateway</html>", "<html>Bad gateway</html>"),
    (None, ""),
])
def test_platform_message_extraction(rio_server, body, message):
    rio_server.script("GET", "/x", Reply(404, body))
    with pytest.raises(RioNotFound) as caught:
        make_client(rio_server).request("GET", "core", "/x", envelope=True)
    assert caught.value.message == message
    assert str(caught.value) == ("HTTP 404: " + message if message else "HTTP 404")


def test_long_error_text_is_truncated(rio_server):
    rio_server.script("GET", "/x", Reply(400, {"error": "x" * 5000}))
    with pytest.raises(RioBadRequest) as caught:
        make_client(rio_server).request("GET", "catalog", "/x")
    assert len(caught.value.message) == _client.MAX_ERROR_TEXT
    assert len(caught.value.body) == _client.MAX_ERROR_TEXT


def test_token_echoed_by_the_server_never_reaches_the_error(rio_server):
    def echo(request):
        return Reply(401, {"error": "bad token %s" % request.headers["Authorization"]})
    rio_server.script("GET", "/v2/catalog", echo)
    with pytest.raises(RioUnauthorized) as caught:
        make_client(rio_server).request("GET", "catalog", "/v2/catalog")
    assert "bad token Bearer ********" in str(caught.value)
    assert_token_absent(caught.value)


def test_connection_error_carries_no_token_or_requests_internals():
    client = RioClient(TOKEN, project="project-abc", catalog_host="http://127.0.0.1:%d" % closed_port(), environ={}, retries=0)
    with pytest.raises(RioConnectionError) as caught:
        client.request("GET", "catalog", "/v2/catalog")
    assert caught.value.__context__ is None  # requests' exception holds the request and its headers
    assert_token_absent(caught.value)


@pytest.mark.parametrize("exc, expected", [
    (RioServerError(503, "POST", "/p", ""), True),
    (RioApiError(429, "POST", "/p", ""), True),
    (RioBadRequest(400, "POST", "/p", ""), False),
    (RioConflict(409, "POST", "/p", ""), False),
    (RioConnectionError("POST", "/p", "reset", ambiguous=True), True),
    (RioConnectionError("POST", "/p", "refused", ambiguous=False), False),
    (RioError("other"), False),
])
def test_is_ambiguous(exc, expected):
    assert is_ambiguous(exc) is expected


# -- timeouts and connection failures -------------------------------------------------------------
def test_read_timeout_is_ambiguous_and_a_post_is_not_resent(rio_server):
    rio_server.script("POST", "/serviceclass/add", Reply(200, {}, delay=1.5))
    client = make_client(rio_server, timeout=0.3)
    started = time.monotonic()
    with pytest.raises(RioConnectionError) as caught:
        client.request("POST", "catalog", "/serviceclass/add", json_body={})
    assert time.monotonic() - started < 1.2
    assert caught.value.ambiguous is True
    assert "read timeout" in caught.value.reason
    assert (caught.value.method, caught.value.path) == ("POST", "/serviceclass/add")
    assert len(rio_server.requests) == 1
    assert client.stats["retries"] == 0


def test_read_timeout_on_get_is_retried_then_reported(rio_server):
    rio_server.script("GET", "/v2/catalog", Reply(200, {}, delay=1.0))
    client = make_client(rio_server, timeout=0.2, retries=1)
    with pytest.raises(RioConnectionError) as caught:
        client.request("GET", "catalog", "/v2/catalog")
    assert caught.value.ambiguous is True
    assert len(rio_server.requests) == 2
    assert client.stats == {"requests": 2, "retries": 1, "by_method": {"GET": 2}}


def test_connection_refused_is_not_ambiguous_and_is_retried_even_for_post():
    sleeps = Sleeps()
    client = RioClient(TOKEN, project="project-abc", catalog_host="http://127.0.0.1:%d" % closed_port(), environ={},
                       retries=2, backoff_factor=0.01, sleeper=sleeps)
    with pytest.raises(RioConnectionError) as caught:
        client.request("POST", "catalog", "/serviceclass/add", json_body={})
    assert caught.value.ambiguous is False
    assert "refused" in caught.value.reason.lower()
    assert client.stats["requests"] == 3 and client.stats["retries"] == 2 and len(sleeps) == 2


def test_connect_timeout_is_not_ambiguous():
    # A listener that never accepts, with its backlog full: further connects hang until the timeout.
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    fillers = []
    try:
        for _attempt in range(3):
            filler = socket.socket()
            filler.setblocking(False)
            filler.connect_ex(listener.getsockname())
            fillers.append(filler)
        client = RioClient(TOKEN, project="project-abc", catalog_host="http://127.0.0.1:%d" % listener.getsockname()[1], environ={},
                           timeout=0.3, retries=0)
        started = time.monotonic()
        with pytest.raises(RioConnectionError) as caught:
            client.request("POST", "catalog", "/serviceclass/add", json_body={})
        if "refused" in caught.value.reason:
            pytest.skip("this kernel refuses instead of dropping connections beyond the backlog")
        assert time.monotonic() - started < 2
        assert caught.value.ambiguous is False
        assert "connection timed out" in caught.value.reason
    finally:
        for sock in fillers + [listener]:
            sock.close()


def test_dropped_connection_on_post_is_ambiguous_and_not_resent(rio_server):
    rio_server.script("POST", "/serviceclass/add", Reply(drop=True))
    client = make_client(rio_server)
    with pytest.raises(RioConnectionError) as caught:
        client.request("POST", "catalog", "/serviceclass/add", json_body={})
    assert caught.value.ambiguous is True
    assert len(rio_server.requests) == 1


def test_dropped_connection_on_get_is_retried(rio_server):
    rio_server.script("GET", "/v2/catalog", Reply(drop=True), Reply(200, {"services": []}))
    client = make_client(rio_server)
    assert client.request("GET", "catalog", "/v2/catalog") == {"services": []}
    assert len(rio_server.requests) == 2


def test_url_without_scheme_fails_clearly_without_retry():
    client = RioClient(TOKEN, project="project-abc", catalog_host="127.0.0.1:1", environ={}, sleeper=Sleeps())
    with pytest.raises(RioConnectionError) as caught:
        client.request("GET", "catalog", "/v2/catalog")
    assert caught.value.ambiguous is False
    assert "invalid API URL" in caught.value.reason
    assert client.stats["requests"] == 1


# -- TLS ------------------------------------------------------------------------------------------
def test_self_signed_host_fails_verification_by_default(tls_server):
    tls_server.script("GET", "/v2/catalog", Reply(200, {"services": []}))
    client = make_client(tls_server)
    with pytest.raises(RioConnectionError) as caught:
        client.request("GET", "catalog", "/v2/catalog")
    assert "TLS verification failed" in caught.value.reason
    assert "ca_path" in caught.value.reason
    assert caught.value.ambiguous is False
    assert client.stats["requests"] == 1  # a certificate does not get better by asking again
    assert tls_server.requests == []


def test_self_signed_host_works_with_ca_path(tls_server, tls_files):
    tls_server.script("GET", "/v2/catalog", Reply(200, {"services": []}))
    assert make_client(tls_server, ca_path=tls_files[0]).request("GET", "catalog", "/v2/catalog") == {"services": []}
    assert tls_server.requests[0].headers["Authorization"] == "Bearer " + TOKEN


def test_self_signed_host_works_without_validation(tls_server):
    tls_server.script("GET", "/v2/catalog", Reply(200, {"services": []}))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # urllib3's InsecureRequestWarning is the point here
        answer = make_client(tls_server, validate_certs=False).request("GET", "catalog", "/v2/catalog")
    assert answer == {"services": []}


# -- retries --------------------------------------------------------------------------------------
def test_get_503_then_200_is_one_call_and_two_requests(rio_server):
    rio_server.script("GET", "/v2/catalog", Reply(503, {"error": "busy"}), Reply(200, {"services": []}))
    client = make_client(rio_server)
    assert client.request("GET", "catalog", "/v2/catalog") == {"services": []}
    assert len(rio_server.requests) == 2
    assert client.stats == {"requests": 2, "retries": 1, "by_method": {"GET": 2}}


def test_retry_after_seconds_is_honoured_on_the_wire(rio_server):
    rio_server.script("GET", "/v2/catalog", Reply(503, None, headers={"Retry-After": "1"}), Reply(200, {}))
    client = make_client(rio_server, sleeper=time.sleep, backoff_factor=0.01)
    client.request("GET", "catalog", "/v2/catalog")
    first, second = rio_server.requests
    assert second.time - first.time >= 0.95


def test_retry_after_is_capped_at_backoff_max(rio_server):
    rio_server.script("GET", "/x", Reply(429, None, headers={"Retry-After": "3600"}), Reply(200, {}))
    client = make_client(rio_server, backoff_max=0.2)
    client.request("GET", "catalog", "/x")
    assert client._sleep == [0.2]


def test_retry_after_http_date(rio_server):
    when = email.utils.formatdate(time.time() + 3, usegmt=True)
    rio_server.script("GET", "/x", Reply(503, None, headers={"Retry-After": when}), Reply(200, {}))
    client = make_client(rio_server)
    client.request("GET", "catalog", "/x")
    assert 1.0 < client._sleep[0] <= 3.0


def test_backoff_doubles_with_bounded_jitter_and_cap(rio_server):
    rio_server.script("GET", "/x", *([Reply(502)] * 4 + [Reply(200, {})]))
    client = make_client(rio_server, retries=4, backoff_factor=0.1, backoff_max=0.5)
    client.request("GET", "catalog", "/x")
    assert len(client._sleep) == 4
    for attempt, delay in enumerate(client._sleep):
        base = min(0.5, 0.1 * 2 ** attempt)
        assert base <= delay <= min(0.5, base + 0.05)
    assert client.backoff_delays() == [0.1, 0.2, 0.4, 0.5]


def test_real_backoff_sleeps_between_requests(rio_server):
    rio_server.script("GET", "/x", Reply(504), Reply(200, {}))
    make_client(rio_server, sleeper=time.sleep, backoff_factor=0.2).request("GET", "catalog", "/x")
    first, second = rio_server.requests
    assert 0.2 <= second.time - first.time < 1.0


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH"])
def test_writes_on_503_are_never_resent(rio_server, method):
    rio_server.script(method, "/v2/service_instances/instanceId", Reply(503), Reply(200, {}))
    client = make_client(rio_server)
    with pytest.raises(RioServerError):
        client.request(method, "catalog", "/v2/service_instances/instanceId", json_body={})
    assert len(rio_server.requests) == 1
    assert client.stats["retries"] == 0


def test_put_with_retry_true_is_resent(rio_server):
    rio_server.script("PUT", "/y", Reply(503), Reply(200, {"ok": True}))
    assert make_client(rio_server).request("PUT", "catalog", "/y", json_body={}, retry=True) == {"ok": True}
    assert len(rio_server.requests) == 2


def test_get_with_retry_false_is_not_resent(rio_server):
    rio_server.script("GET", "/y", Reply(503), Reply(200, {}))
    with pytest.raises(RioServerError):
        make_client(rio_server).request("GET", "catalog", "/y", retry=False)
    assert len(rio_server.requests) == 1


def test_delete_is_retried(rio_server):
    rio_server.script("DELETE", "/disk/disk-1", Reply(503), Reply(200, {"success": True}))
    client = make_client(rio_server)
    assert client.request("DELETE", "catalog", "/disk/disk-1") == {"success": True}
    assert len(rio_server.requests) == 2
    assert client.stats["by_method"] == {"DELETE": 2}


def test_retries_zero_means_one_request(rio_server):
    rio_server.script("GET", "/x", Reply(503), Reply(200, {}))
    client = make_client(rio_server, retries=0)
    with pytest.raises(RioServerError):
        client.request("GET", "catalog", "/x")
    assert len(rio_server.requests) == 1
    assert client.stats == {"requests": 1, "retries": 0, "by_method": {"GET": 1}}


def test_retries_exhausted_report_the_last_answer(rio_server):
    rio_server.script("GET", "/x", Reply(503, {"error": "still busy"}))
    client = make_client(rio_server, retries=2)
    with pytest.raises(RioServerError, match="HTTP 503: still busy"):
        client.request("GET", "catalog", "/x")
    assert len(rio_server.requests) == 3
    assert client.stats["requests"] == 3 and client.stats["retries"] == 2


def test_plain_500_is_not_retried(rio_server):
    rio_server.script("GET", "/x", Reply(500, {"error": "boom"}), Reply(200, {}))
    with pytest.raises(RioServerError):
        make_client(rio_server).request("GET", "catalog", "/x")
    assert len(rio_server.requests) == 1


def test_stats_count_every_request_sent_from_many_threads(rio_server):
    from concurrent.futures import ThreadPoolExecutor
    rio_server.script("GET", "/v2/catalog", Reply(200, {}))
    client = make_client(rio_server)
    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(lambda _: client.request("GET", "catalog", "/v2/catalog"), range(80)))
    assert len(rio_server.requests) == 80
    assert client.stats == {"requests": 80, "retries": 0, "by_method": {"GET": 80}}


def test_a_missing_ca_path_is_refused_naming_the_option(tmp_path):
    missing = str(tmp_path / "no-such-ca.pem")
    with pytest.raises(RioError) as caught:
        RioClient(TOKEN, project="project-abc", ca_path=missing, environ={})
    assert "ca_path" in str(caught.value) and missing in str(caught.value)
    assert not isinstance(caught.value, RioConnectionError)


def test_a_ca_path_that_is_not_pem_is_refused_without_the_advice_to_give_ca_path(tmp_path):
    der = tmp_path / "ca.der"
    der.write_bytes(b"\x30\x82\x01\x0a\x02\x82\x01\x01\x00")
    with pytest.raises(RioError) as caught:
        RioClient(TOKEN, project="project-abc", ca_path=str(der), environ={})
    assert "ca_path: %s holds no PEM certificate" % der in str(caught.value)
    assert "give ca_path" not in str(caught.value)


def test_a_ca_path_of_another_ca_says_so_instead_of_asking_for_ca_path(tls_server, tmp_path):
    other = make_self_signed_cert(str(tmp_path))
    tls_server.script("GET", "/v2/catalog", Reply(200, {"services": []}))
    with pytest.raises(RioConnectionError) as caught:
        make_client(tls_server, ca_path=other[0]).request("GET", "catalog", "/v2/catalog")
    assert "TLS verification failed" in caught.value.reason
    assert "ca_path %s does not hold the CA" % other[0] in caught.value.reason
    assert "give ca_path" not in caught.value.reason


def test_the_clients_of_a_process_share_its_connections_per_tls_setting(rio_server):
    # A loop's items are module runs in one worker process, a client each: the second item must not
    # pay a new TCP and TLS handshake. Clients that verify differently never share a connection.
    rio_server.script("GET", "/ping", Reply(200, {"ok": True}))
    first, second = make_client(rio_server), make_client(rio_server, project="project-other")
    other_tls = make_client(rio_server, validate_certs=False)
    for client in (first, second, other_tls):
        client.request("GET", "catalog", "/ping")
    first.close()
    second.request("GET", "catalog", "/ping")
    peers = [request.peer for request in rio_server.calls("GET", "/ping")]
    assert peers[0] == peers[1] == peers[3] and peers[2] != peers[0]
    assert [request.headers["project"] for request in rio_server.calls("GET", "/ping")] == [
        "project-abc", "project-other", "project-abc", "project-other"]
