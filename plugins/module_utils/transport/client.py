# Copyright: (c) 2026, rapyuta.rio contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""HTTP transport for the rapyuta.io v1 and v2 APIs. FOR INTERNAL COLLECTION USE ONLY: may change in any release.

One RioClient holds one requests.Session for the whole module (or plugin) run. It knows the
API hosts (v1 catalog and core, v2), sends the headers the platform expects, retries what is safe
to retry and turns error answers into typed exceptions. It imports nothing from Ansible so that
inventory and other controller-side plugins can share it.
"""

import email.utils
import json
import os
import random
import sys
import threading
import time

try:
    import requests
    from requests.adapters import HTTPAdapter
    HAS_REQUESTS = True
    REQUESTS_IMPORT_ERROR = None
except ImportError as exc:  # pragma: no cover - exercised only without requests installed
    HAS_REQUESTS = False
    REQUESTS_IMPORT_ERROR = exc

DEFAULT_CATALOG_HOST = "https://gacatalog.apps.okd4v2.prod.rapyuta.io"
DEFAULT_CORE_API_HOST = "https://gaapiserver.apps.okd4v2.prod.rapyuta.io"
DEFAULT_V2_API_HOST = "https://api.rapyuta.io"
API_VERSIONS = ("v1", "v2")
USER_AGENT = "rapyuta.rio-ansible/1.0.0"

# Statuses worth another attempt: throttling and the gateway/availability family. A plain 500 is
# not in the list: the platform answers 500 for bad requests too, and repeating those only delays
# the error (the SDK retries GET 500s, which costs five round trips for nothing).
RETRY_STATUSES = (429, 502, 503, 504)
# Methods whose repetition cannot create anything new. PUT and POST are creations on this API
# (provision is a PUT), so they are retried only by the resource layer, after a look-up, or
# when the caller says so with ``retry=True``.
IDEMPOTENT_METHODS = frozenset(["GET", "HEAD", "OPTIONS", "DELETE"])
MAX_ERROR_TEXT = 300
REDACTED = "********"
# Connection failures whose text proves the request never left this machine (urllib3 1.x gives no
# exception type to tell them apart, so the text is the fallback).
_NEVER_SENT_MARKERS = ("refused", "name or service not known", "nodename nor servname", "failed to resolve",
                       "no route to host", "network is unreachable", "temporary failure in name resolution",
                       "failed to establish a new connection")


class RioError(Exception):
    """Base class of every error the collection raises on purpose."""


class RioApiError(RioError):
    """The API answered with an error status."""

    def __init__(self, status, method, path, message, body=None):
        self.status = status
        self.method = method
        self.path = path
        self.message = message or ""
        self.body = body
        super().__init__(self.describe())

    def describe(self):
        text = "HTTP %s" % self.status
        if self.message:
            text += ": %s" % self.message
        return text


class RioBadRequest(RioApiError):
    pass


class RioUnauthorized(RioApiError):
    pass


class RioForbidden(RioApiError):
    pass


class RioNotFound(RioApiError):
    pass


class RioConflict(RioApiError):
    pass


class RioServerError(RioApiError):
    pass


class RioConnectionError(RioError):
    """No usable HTTP answer: refused, DNS, TLS, timeout or a dropped connection.

    ``ambiguous`` is true when the request may have reached the server (it was sent and the
    answer was lost), so a creation may or may not have happened.
    """

    def __init__(self, method, path, reason, ambiguous):
        self.method = method
        self.path = path
        self.reason = reason
        self.ambiguous = ambiguous
        self.status = None
        super().__init__("%s %s failed: %s" % (method, path, reason))


# The option (and environment variable) that sets each service's host, named in error messages.
HOST_OPTIONS = {"catalog": "catalog_host", "core": "core_api_host", "v2": "v2_api_host"}
HOST_VARIABLES = {"catalog_host": "RIO_CATALOG_HOST", "core_api_host": "RIO_CORE_API_HOST",
                  "v2_api_host": "RIO_V2_API_HOST"}
HOST_DEFAULTS = {"catalog_host": DEFAULT_CATALOG_HOST, "core_api_host": DEFAULT_CORE_API_HOST,
                 "v2_api_host": DEFAULT_V2_API_HOST}
# Connection setting -> its key in riocli's config file (docs/reference/v2-api.md#hosts-and-headers).
RIO_CONFIG_KEYS = {"auth_token": "auth_token", "project": "project_id", "organization": "organization_id",
                   "catalog_host": "catalog_host", "core_api_host": "core_api_host", "v2_api_host": "v2api_host"}
# The settings whose absence makes the config file worth reading, per API generation. v1 reads it
# only for what it needs (an unset organization or v2 host never makes it read a broken RIO_CONFIG,
# as before v2); v2 also wants the organization, which its header names.
CONFIG_TRIGGERS = {"v1": ("auth_token", "project", "catalog_host", "core_api_host"),
                   "v2": ("auth_token", "project", "organization", "v2_api_host", "core_api_host")}

_STATUS_ERRORS = {400: RioBadRequest, 401: RioUnauthorized, 403: RioForbidden, 404: RioNotFound, 409: RioConflict}


def error_class_for(status):
    if status in _STATUS_ERRORS:
        return _STATUS_ERRORS[status]
    if status >= 500:
        return RioServerError
    return RioApiError


def is_ambiguous(exc):
    """True when a failed write may still have been applied by the server."""
    if isinstance(exc, RioConnectionError):
        return exc.ambiguous
    return isinstance(exc, RioServerError) or getattr(exc, "status", None) == 429


def _forbidden_hint(v2, scope):
    """What to check after a 403, with the project (and on v2 the organization, whose organizationguid
    header the platform also refuses when the token does not belong to it) the call sent."""
    if scope is None:
        return "check auth_token, project and organization" if v2 else "check auth_token and project"
    used = "project %s" % (scope.get("project") or "(none sent)")
    if v2:
        used += " and organization %s" % (scope.get("organization") or "(none sent: the token's default)")
        return "check auth_token, project and organization: the request used %s" % used
    return "check auth_token and project: the request used %s" % used


def explain_error(exc):
    """One line for people: the error, plus the host and the option to check when that is the likely fix.

    Used by modules (RioModule.fail_from_error) and the inventory plugin. Never holds the token: error
    texts are scrubbed by the client, and the hints name options, not their values (except hosts, and
    the project and organization GUIDs a 403 answered).
    """
    base_url, option = getattr(exc, "base_url", None), getattr(exc, "option", None)
    where = " at %s (%s)" % (base_url, option) if base_url and option else ""
    if isinstance(exc, RioConnectionError):
        return "cannot reach the API%s: %s" % (where, exc.reason)
    text = str(exc)
    status = getattr(exc, "status", None)
    if status == 401:
        return "%s (check auth_token or RIO_AUTH_TOKEN)" % text
    if status == 403:
        return "%s (%s)" % (text, _forbidden_hint(option == "v2_api_host", getattr(exc, "scope", None)))
    body = getattr(exc, "body", None)
    if isinstance(exc, RioApiError) and (status or 0) < 500 and isinstance(body, str) and body.lstrip()[:1] not in ("{", "[", '"', ""):
        # An error answer that is not JSON: rapyuta.io always answers JSON, so the host is likely wrong.
        return "HTTP %s%s: the answer is not JSON; is this a rapyuta.io API? (%s)" % (
            status, where, (exc.message or "")[:120])
    return text


def default_rio_config_path(environ):
    """Where riocli keeps its config file when RIO_CONFIG is unset (click's app dir for "rio-cli")."""
    home = environ.get("HOME")
    if sys.platform == "darwin":
        return os.path.join(home, "Library", "Application Support", "rio-cli", "config.json") if home else None
    base = environ.get("XDG_CONFIG_HOME") or (os.path.join(home, ".config") if home else None)
    return os.path.join(base, "rio-cli", "config.json") if base else None


def _read_rio_config(environ):
    path = environ.get("RIO_CONFIG")
    if not path:
        return _read_default_rio_config(environ)
    # Unlike the SDK, which ignores it, a file that was asked for and cannot be read is an error:
    # falling back to the production hosts would send a job meant for another platform there.
    try:
        with open(path) as handle:
            data = json.load(handle)
    except OSError as exc:
        raise RioError("RIO_CONFIG names %s, which cannot be read (%s); fix the path or unset RIO_CONFIG"
                       % (path, exc.strerror or exc))
    except ValueError as exc:
        raise RioError("RIO_CONFIG names %s, which is not JSON (%s); fix the file or unset RIO_CONFIG" % (path, exc))
    if not isinstance(data, dict):
        raise RioError("RIO_CONFIG names %s, which holds a JSON %s, not an object with catalog_host and "
                       "core_api_host; fix the file or unset RIO_CONFIG" % (path, type(data).__name__))
    return data


def _read_default_rio_config(environ):
    """riocli's own file (``rio auth login``) when there is one; a broken one is an error, as RIO_CONFIG's,
    because its hosts may point at another platform than the defaults."""
    path = default_rio_config_path(environ)
    if not path or not os.path.exists(path):
        return {}
    try:
        with open(path) as handle:
            data = json.load(handle)
    except (OSError, ValueError) as exc:
        data = exc
    if not isinstance(data, dict):
        reason = getattr(data, "strerror", None) or (str(data) if isinstance(data, Exception) else
                                                     "a JSON %s, not an object" % type(data).__name__)
        raise RioError("riocli's config file %s (read because RIO_CONFIG is unset) cannot be used (%s); fix it, "
                       "or set RIO_CONFIG to the file to read instead" % (path, reason))
    return data


def resolve_connection(settings, api_version="v1", environ=None, needed=None):
    """The connection settings with every unset one filled: auth_token, project, organization and the hosts.

    Precedence: the given value (an option, or its RIO_* variable as the option layer reads it), then
    for hosts the RIO_*_HOST variable, then riocli's config file (RIO_CONFIG, else its default
    location), then for hosts the production default. The file is read only when one of ``needed``
    (by default what ``api_version`` needs) is unset; raises RioError when it cannot be read."""
    environ = os.environ if environ is None else environ
    resolved = dict((name, settings.get(name) or None) for name in RIO_CONFIG_KEYS)
    for name, variable in HOST_VARIABLES.items():
        resolved[name] = resolved[name] or environ.get(variable) or None
    needed = CONFIG_TRIGGERS.get(api_version, CONFIG_TRIGGERS["v1"]) if needed is None else needed
    if any(not resolved[name] for name in needed):
        config = _read_rio_config(environ)
        for name, key in RIO_CONFIG_KEYS.items():
            value = config.get(key)
            if not resolved[name] and isinstance(value, str) and value.strip():
                resolved[name] = value.strip()
    for name, default in HOST_DEFAULTS.items():
        resolved[name] = (resolved[name] or default).rstrip("/")
    return resolved


def _check_ca_path(ca_path):
    """Refuse a ca_path that requests would fail on later with an OSError or an SSL error naming no option."""
    if os.path.isdir(ca_path):
        return  # a directory of hashed certificates (c_rehash), as requests accepts
    try:
        with open(ca_path, "rb") as handle:
            content = handle.read()
    except OSError as exc:
        raise RioError("ca_path: %s cannot be read (%s); give the path of a CA bundle (PEM file)"
                       % (ca_path, exc.strerror or exc))
    if b"-----BEGIN CERTIFICATE-----" not in content:
        raise RioError("ca_path: %s holds no PEM certificate (no '-----BEGIN CERTIFICATE-----' line); give a CA "
                       "bundle in PEM form (convert DER with: openssl x509 -inform der -in FILE -out FILE.pem)"
                       % ca_path)


def resolve_hosts(catalog_host=None, core_api_host=None, environ=None):
    """The v1 hosts: explicit value, RIO_*_HOST variable, riocli's config file, production default.

    The config file is read only when a host is left to it; raises RioError when it cannot be read."""
    resolved = resolve_connection(dict(catalog_host=catalog_host, core_api_host=core_api_host), environ=environ,
                                  needed=("catalog_host", "core_api_host"))
    return resolved["catalog_host"], resolved["core_api_host"]


def error_message_from_body(body):
    """The platform's own error text: ``error``, else ``response.error``, else ``message``."""
    if isinstance(body, dict):
        for candidate in (body.get("error"), (body.get("response") or {}).get("error")
                          if isinstance(body.get("response"), dict) else None, body.get("message")):
            if candidate:
                return str(candidate)[:MAX_ERROR_TEXT]
        return ""
    if body:
        return str(body)[:MAX_ERROR_TEXT]
    return ""


# Connection pools per process and TLS setting, shared by the clients of the process: the items of a
# loop (one worker process, one module run and client per item) reuse the connections the first item
# opened instead of paying a TCP and TLS handshake each. Keyed by the process id, so that a forked
# worker never uses a connection of its parent (the inventory plugin runs in the parent).
_POOLS = {}
_POOLS_LOCK = threading.Lock()
POOL_SIZE = 16


def _process_pool(verify):
    key = (os.getpid(), verify)
    with _POOLS_LOCK:
        if key not in _POOLS:
            # Retries are done by request() itself (it knows which failures are safe to repeat), so
            # the adapter makes exactly one attempt per call.
            _POOLS[key] = HTTPAdapter(max_retries=0, pool_maxsize=POOL_SIZE)
        return _POOLS[key]


class RioClient:
    """One session against both API hosts, with retries and typed errors."""

    def __init__(self, auth_token=None, project=None, catalog_host=None, core_api_host=None,
                 timeout=30, retries=6, validate_certs=True, ca_path=None, organization=None,
                 backoff_factor=0.5, backoff_max=10.0, environ=None, sleeper=None,
                 api_version="v1", v2_api_host=None):
        if not HAS_REQUESTS:
            raise RioError("the Python library 'requests' is required")
        api_version = api_version or API_VERSIONS[0]
        if api_version not in API_VERSIONS:
            raise RioError("api_version: must be one of %s, got %r" % (", ".join(API_VERSIONS), api_version))
        settings = resolve_connection(dict(auth_token=auth_token, project=project, organization=organization,
                                           catalog_host=catalog_host, core_api_host=core_api_host,
                                           v2_api_host=v2_api_host), api_version, environ)
        auth_token, project, organization = settings["auth_token"], settings["project"], settings["organization"]
        if not auth_token:
            raise RioError("auth_token is required (set the option or the RIO_AUTH_TOKEN environment variable, "
                           "or log in with riocli, whose config file gives it)")
        if not project:
            # Every catalog, core and v2 project call is scoped by the project; without the header the
            # platform would pick one of its own or refuse, so say what to set instead.
            raise RioError("project is required (set the project option or the RIO_PROJECT environment variable "
                           "to the project GUID, project-...)")
        self.api_version = api_version
        # The organization GUID as resolved (None: the platform's default for the token); v2 static routes need its short id.
        self.organization = organization
        self.hosts = {"catalog": settings["catalog_host"], "core": settings["core_api_host"],
                      "v2": settings["v2_api_host"]}
        self.timeout = timeout
        self.retries = max(0, int(retries or 0))
        self.backoff_factor = backoff_factor
        self.backoff_max = backoff_max
        self.stats = {"requests": 0, "retries": 0, "by_method": {}}
        self._stats_lock = threading.Lock()  # rio_deployment_batch sends from a thread pool
        self._sleep = time.sleep if sleeper is None else sleeper
        self._session = requests.Session()
        # Passed on every call: requests lets REQUESTS_CA_BUNDLE/CURL_CA_BUNDLE override a
        # session-level ``verify``, which would silently defeat ca_path and validate_certs=false.
        if ca_path:
            _check_ca_path(ca_path)
        self._ca_path = ca_path
        self._verify = ca_path if ca_path else bool(validate_certs)
        self._session.verify = self._verify
        token = auth_token if auth_token.startswith("Bearer") else "Bearer " + auth_token
        # The bare secret, so that an error text echoing it can be scrubbed before anyone sees it.
        self._secret = token[len("Bearer"):].strip()
        self._session.headers.update({"Authorization": token, "User-Agent": USER_AGENT, "project": project})
        # The organization travels under another header name on each generation
        # (docs/reference/v2-api.md#hosts-and-headers); the v1 hosts get it as before.
        organization_headers = {"organization": organization} if organization else {}
        self._service_headers = {"catalog": organization_headers, "core": organization_headers,
                                 "v2": {"organizationguid": organization} if organization else {}}
        adapter = _process_pool(self._verify)
        self._session.mount("http://", adapter)
        self._session.mount("https://", adapter)

    def backoff_delay(self, attempt):
        """Sleep before retry number ``attempt`` (0-based): doubling from backoff_factor, capped."""
        return min(self.backoff_max, self.backoff_factor * (2 ** attempt))

    def backoff_delays(self):
        """Delays for retries done above the transport (creations after a look-up)."""
        return [self.backoff_delay(attempt) for attempt in range(self.retries)]

    def _jittered(self, attempt):
        # Jitter spreads the retries of parallel module runs; bounded so tests and users can rely on it.
        jitter = random.uniform(0, self.backoff_factor / 2.0)
        return min(self.backoff_max, self.backoff_delay(attempt) + jitter)

    def close(self):
        # The connections are the process's (_process_pool): other clients may still use them.
        self._session.adapters.clear()
        self._session.close()

    def url(self, service, path):
        return self.hosts[service] + path

    def request(self, method, service, path, params=None, json_body=None, envelope=False, retry=None, json=None,
                headers=None):
        """Send one call and return its parsed JSON payload (``None`` for an empty body).

        ``service``: ``catalog``, ``core`` or ``v2`` (the host). ``headers`` are added to (a value of
        None removes) the session's, for calls outside the project such as the v2 organization ones.
        ``envelope`` unwraps the device manager's ``{"status", "response": {"data"}}`` form.
        ``json`` is an alias of ``json_body``. ``retry``: None retries idempotent methods only,
        True also repeats this call (a PUT known to be safe), False never repeats a call that may
        have reached the server. A call that provably never left (refused, unresolvable, connect
        timeout) is repeated for every method while ``retries`` allows.
        Raises RioApiError subclasses for error statuses and RioConnectionError without an answer.
        """
        method = method.upper()
        if json_body is None:
            json_body = json
        try:
            return self._request(method, service, path, params, json_body, envelope, retry, headers)
        except RioError as exc:
            # Which host and which option an error came from, for messages that say what to fix.
            exc.base_url, exc.option = self.hosts.get(service), HOST_OPTIONS.get(service)
            exc.scope = self._scope(service, headers)
            raise

    def _scope(self, service, headers):
        """The project and organization GUIDs a call sent (None: not sent), for a 403 to name them."""
        sent = dict(self._session.headers, **self._service_headers.get(service, {}))
        sent.update(headers or {})
        organization = sent.get("organizationguid") if service == "v2" else sent.get("organization")
        return {"project": sent.get("project"), "organization": organization}

    def _request(self, method, service, path, params, json_body, envelope, retry, headers):
        repeatable = method in IDEMPOTENT_METHODS if retry is None else bool(retry)
        attempt = 0
        headers = dict(self._service_headers.get(service) or {}, **(headers or {}))
        while True:
            response, failure, retry_safe = self._send_once(method, service, path, params, json_body, headers)
            if failure is not None:
                if not (retry_safe or (repeatable and failure.ambiguous)) or attempt >= self.retries:
                    raise failure
                delay = self._jittered(attempt)
            elif response.status_code in RETRY_STATUSES and repeatable and attempt < self.retries:
                delay = self._retry_after(response, attempt)
            else:
                return self._result(method, path, response, envelope)
            with self._stats_lock:
                self.stats["retries"] += 1
            self._sleep(delay)
            attempt += 1

    def _send_once(self, method, service, path, params, json_body, headers=None):
        """One attempt on the wire: (response, None, _) or (None, RioConnectionError, retry_safe).

        The error is built outside the ``except`` block so that it carries no reference to the
        requests exception (whose ``.request`` holds the Authorization header).
        """
        with self._stats_lock:
            self.stats["requests"] += 1
            self.stats["by_method"][method] = self.stats["by_method"].get(method, 0) + 1
        try:
            response = self._session.request(method, self.url(service, path), params=params, json=json_body,
                                             headers=headers or None, verify=self._verify,
                                             timeout=(min(10, self.timeout), self.timeout))
            return response, None, False
        except requests.exceptions.RequestException as exc:
            reason, ambiguous, retry_safe = self._classify_failure(exc)
        return None, RioConnectionError(method, path, self._redact(reason), ambiguous=ambiguous), retry_safe

    def _classify_failure(self, exc):
        """(reason, ambiguous, retry_safe) for a failed attempt."""
        text = _short_reason(exc)
        if isinstance(exc, requests.exceptions.SSLError) or "certificate verify" in text.lower():
            if self._ca_path:
                return ("TLS verification failed (%s); ca_path %s does not hold the CA that signed this host's "
                        "certificate" % (text, self._ca_path), False, False)
            return ("TLS verification failed (%s); give ca_path or set validate_certs=false for a trusted "
                    "self-signed host" % text, False, False)
        # ConnectTimeout is also a ConnectionError: test it first, it means nothing was sent.
        if isinstance(exc, requests.exceptions.ConnectTimeout):
            return "connection timed out after %ss" % min(10, self.timeout), False, True
        if isinstance(exc, requests.exceptions.Timeout):
            return "no answer within %ss (read timeout)" % self.timeout, True, False
        if isinstance(exc, requests.exceptions.ConnectionError):
            never_sent = any(marker in text.lower() for marker in _NEVER_SENT_MARKERS)
            return text, not never_sent, never_sent
        if isinstance(exc, (requests.exceptions.InvalidURL, requests.exceptions.MissingSchema,
                            requests.exceptions.InvalidSchema)):
            return "invalid API URL (%s)" % text, False, False
        # Anything else (a broken chunked body, a decoding error) happened after the request was sent.
        return text, True, False

    def _retry_after(self, response, attempt):
        """The server's Retry-After (seconds or HTTP date), capped at backoff_max; else backoff."""
        value = (response.headers.get("Retry-After") or "").strip()
        seconds = None
        if value.isdigit():
            seconds = float(value)
        elif value:
            try:
                seconds = email.utils.mktime_tz(email.utils.parsedate_tz(value)) - time.time()
            except (TypeError, ValueError, OverflowError):
                seconds = None
        if seconds is None:
            return self._jittered(attempt)
        return max(0.0, min(self.backoff_max, seconds))

    def _result(self, method, path, response, envelope):
        body = _parse_body(response)
        if response.status_code >= 400:
            raise error_class_for(response.status_code)(
                response.status_code, method, path, self._redact(error_message_from_body(body)),
                self._redact(_truncate(body)))
        if envelope and isinstance(body, dict) and isinstance(body.get("response"), dict):
            return body["response"].get("data")
        return body

    def _redact(self, text):
        if text and self._secret and self._secret in text:
            return text.replace(self._secret, REDACTED)
        return text


def _short_reason(exc):
    text = str(exc)
    # requests nests the urllib3 reason deep inside; the innermost parenthesis is the readable part.
    if "Caused by" in text:
        text = text.split("Caused by", 1)[1].strip(" (")
    return text[:MAX_ERROR_TEXT]


def _parse_body(response):
    if not response.content:
        return None
    try:
        return response.json()
    except ValueError:
        return response.text


def _truncate(body):
    text = body if isinstance(body, str) else json.dumps(body)
    return text[:MAX_ERROR_TEXT]
