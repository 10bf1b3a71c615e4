# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rapyuta.rio contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""HTTP transport for the rapyuta.io v1 API. FOR INTERNAL COLLECTION USE ONLY: may change in any release.

One RioClient holds one requests.Session for the whole module (or plugin) run. It knows the
two API hosts, sends the headers the platform expects, retries what is safe to retry and turns
error answers into typed exceptions. It imports nothing from Ansible so that inventory and
other controller-side plugins can share it.
"""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import os

try:
    import requests
    from requests.adapters import HTTPAdapter
    from urllib3.util.retry import Retry
    HAS_REQUESTS = True
    REQUESTS_IMPORT_ERROR = None
except ImportError as exc:  # pragma: no cover - exercised only without requests installed
    HAS_REQUESTS = False
    REQUESTS_IMPORT_ERROR = exc

DEFAULT_CATALOG_HOST = "https://gacatalog.apps.okd4v2.prod.rapyuta.io"
DEFAULT_CORE_API_HOST = "https://gaapiserver.apps.okd4v2.prod.rapyuta.io"
USER_AGENT = "rapyuta.rio-ansible/1.0.0"

# Statuses worth another attempt: throttling and the gateway/availability family. A plain 500 is
# not in the list: the platform answers 500 for bad requests too, and repeating those only delays
# the error (the SDK retries GET 500s, which costs five round trips for nothing).
RETRY_STATUSES = (429, 502, 503, 504)
# Methods whose repetition cannot create anything new. PUT and POST are creations on this API
# (provision is a PUT), so they are retried only by the resource layer, after a look-up.
IDEMPOTENT_METHODS = frozenset(["GET", "HEAD", "OPTIONS", "DELETE"])
MAX_ERROR_TEXT = 300


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
        super(RioApiError, self).__init__(self.describe())

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
        super(RioConnectionError, self).__init__("%s %s failed: %s" % (method, path, reason))


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


def _read_rio_config(environ):
    path = environ.get("RIO_CONFIG")
    if not path:
        return {}
    try:
        with open(path) as handle:
            data = json.load(handle)
    except (IOError, OSError, ValueError):
        # The SDK ignores an unreadable RIO_CONFIG too; hosts then fall back to the defaults.
        return {}
    return data if isinstance(data, dict) else {}


def resolve_hosts(catalog_host=None, core_api_host=None, environ=None):
    """Host precedence: explicit value, RIO_*_HOST variable, RIO_CONFIG file, production default."""
    environ = os.environ if environ is None else environ
    config = _read_rio_config(environ)
    catalog = catalog_host or environ.get("RIO_CATALOG_HOST") or config.get("catalog_host") or DEFAULT_CATALOG_HOST
    core = core_api_host or environ.get("RIO_CORE_API_HOST") or config.get("core_api_host") or DEFAULT_CORE_API_HOST
    return catalog.rstrip("/"), core.rstrip("/")


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


class RioClient(object):
    """One session against both API hosts, with retries and typed errors."""

    def __init__(self, auth_token, project=None, catalog_host=None, core_api_host=None,
                 timeout=30, retries=3, validate_certs=True, ca_path=None, organization=None,
                 backoff_factor=0.5, backoff_max=10.0, environ=None):
        if not HAS_REQUESTS:
            raise RioError("the Python library 'requests' is required")
        if not auth_token:
            raise RioError("auth_token is required (set the option or the RIO_AUTH_TOKEN environment variable)")
        self.hosts = dict(zip(("catalog", "core"), resolve_hosts(catalog_host, core_api_host, environ)))
        self.timeout = timeout
        self.retries = retries
        self.backoff_factor = backoff_factor
        self.backoff_max = backoff_max
        self.stats = {"requests": 0, "retries": 0, "by_method": {}}
        self._session = requests.Session()
        self._session.verify = ca_path if ca_path else bool(validate_certs)
        token = auth_token if auth_token.startswith("Bearer") else "Bearer " + auth_token
        self._session.headers.update({"Authorization": token, "User-Agent": USER_AGENT})
        if project:
            self._session.headers["project"] = project
        if organization:
            self._session.headers["organization"] = organization
        adapter = HTTPAdapter(max_retries=self._retry_policy(), pool_maxsize=16)
        self._session.mount("http://", adapter)
        self._session.mount("https://", adapter)

    def _retry_policy(self):
        kwargs = dict(total=self.retries, connect=self.retries, read=self.retries, status=self.retries,
                      other=0, allowed_methods=IDEMPOTENT_METHODS, status_forcelist=RETRY_STATUSES,
                      backoff_factor=self.backoff_factor, respect_retry_after_header=True,
                      raise_on_status=False, raise_on_redirect=False)
        try:
            return Retry(backoff_jitter=self.backoff_factor / 2, backoff_max=self.backoff_max, **kwargs)
        except TypeError:  # urllib3 < 2 has neither jitter nor a configurable cap
            return Retry(**kwargs)

    def backoff_delays(self):
        """Delays for retries done above the transport (creations after a look-up)."""
        return [min(self.backoff_max, self.backoff_factor * (2 ** attempt)) for attempt in range(self.retries)]

    def close(self):
        self._session.close()

    def url(self, service, path):
        return self.hosts[service] + path

    def request(self, method, service, path, params=None, json_body=None, envelope=False):
        """Send one call and return its parsed JSON payload (``None`` for an empty body).

        ``envelope`` unwraps the device manager's ``{"status", "response": {"data"}}`` form.
        Raises RioApiError subclasses for error statuses and RioConnectionError without an answer.
        """
        method = method.upper()
        self.stats["requests"] += 1
        self.stats["by_method"][method] = self.stats["by_method"].get(method, 0) + 1
        try:
            response = self._session.request(method, self.url(service, path), params=params, json=json_body,
                                             timeout=(min(10, self.timeout), self.timeout))
        except requests.exceptions.ConnectionError as exc:
            raise self._connection_error(method, path, exc)
        except requests.exceptions.Timeout as exc:
            raise RioConnectionError(method, path, "timed out after %ss" % self.timeout,
                                     ambiguous=not isinstance(exc, requests.exceptions.ConnectTimeout))
        except requests.exceptions.RequestException as exc:
            raise RioConnectionError(method, path, _short_reason(exc), ambiguous=True)
        self._count_retries(response)
        body = _parse_body(response)
        if response.status_code >= 400:
            raise error_class_for(response.status_code)(
                response.status_code, method, path, error_message_from_body(body), _truncate(body))
        if envelope and isinstance(body, dict) and isinstance(body.get("response"), dict):
            return body["response"].get("data")
        return body

    def _count_retries(self, response):
        retries = getattr(getattr(response, "raw", None), "retries", None)
        history = getattr(retries, "history", None) or ()
        self.stats["retries"] += len(history)
        self.stats["requests"] += len(history)

    @staticmethod
    def _connection_error(method, path, exc):
        text = _short_reason(exc)
        lowered = text.lower()
        if isinstance(exc, requests.exceptions.SSLError) or "certificate" in lowered:
            return RioConnectionError(method, path, "TLS verification failed (%s); give ca_path or set "
                                      "validate_certs=false for a trusted self-signed host" % text, ambiguous=False)
        # Refused or unresolvable: the request never left. Anything else (reset, dropped) may have.
        never_sent = any(marker in lowered for marker in (
            "refused", "name or service not known", "nodename nor servname", "failed to resolve",
            "no route to host", "network is unreachable", "temporary failure in name resolution"))
        return RioConnectionError(method, path, text, ambiguous=not never_sent)


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
