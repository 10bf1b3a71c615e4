# Copyright: (c) 2026, rapyuta.rio contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""A real HTTP(S) server on 127.0.0.1 for transport tests: scripted answers, recorded requests.

Each route (method + path, query string excluded) has a queue of replies consumed in order; the
last one repeats. A reply is a ``Reply`` or a callable ``(request) -> Reply`` for small stateful
fakes. Unscripted routes answer 418 so that a test hitting one fails loudly.
"""

import datetime
import ipaddress
import json
import os
import shutil
import ssl
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

# Longest a handler may sleep: keeps a test that forgets to stop the server bounded in time.
MAX_DELAY = 10.0


class Reply:
    def __init__(self, status=200, body=None, headers=None, delay=0.0, drop=False):
        self.status = status
        self.body = body
        self.headers = headers or {}
        self.delay = min(delay, MAX_DELAY)
        self.drop = drop  # close the connection without any answer


class RecordedRequest:
    def __init__(self, method, target, headers, raw_body):
        parts = urlsplit(target)
        self.method = method
        self.path = parts.path
        self.query = parse_qs(parts.query, keep_blank_values=True)
        self.headers = headers  # an email.message.Message: case-insensitive get()
        self.raw_body = raw_body
        self.json = json.loads(raw_body.decode("utf-8")) if raw_body else None
        self.time = time.monotonic()

    def __repr__(self):
        return "<%s %s>" % (self.method, self.path)


class ScriptedServer:
    def __init__(self, tls_context=None):
        self.requests = []
        self._routes = {}
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._httpd.daemon_threads = True
        self._httpd.handle_error = lambda request, address: None  # TLS handshake failures are expected
        scheme = "http"
        if tls_context is not None:
            self._httpd.socket = tls_context.wrap_socket(self._httpd.socket, server_side=True,
                                                         do_handshake_on_connect=False)
            scheme = "https"
        self.port = self._httpd.server_address[1]
        self.url = "%s://127.0.0.1:%d" % (scheme, self.port)
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05})
        self._thread.daemon = True

    def start(self):
        self._thread.start()
        return self

    def stop(self):
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def script(self, method, path, *replies):
        with self._lock:
            self._routes[(method.upper(), path)] = list(replies)
        return self

    def calls(self, method=None, path=None):
        return [req for req in self.requests
                if (method is None or req.method == method) and (path is None or req.path == path)]

    def _next_reply(self, request):
        with self._lock:
            self.requests.append(request)
            queue = self._routes.get((request.method, request.path))
            if not queue:
                return Reply(418, {"error": "unscripted %s %s" % (request.method, request.path)})
            reply = queue.pop(0) if len(queue) > 1 else queue[0]
        return reply(request) if callable(reply) else reply


def _handler_for(server):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _serve(self):
            length = int(self.headers.get("Content-Length") or 0)
            request = RecordedRequest(self.command, self.path, self.headers, self.rfile.read(length))
            request.peer = self.client_address  # one per connection: tells connections apart
            reply = server._next_reply(request)
            if reply.delay:
                time.sleep(reply.delay)
            if reply.drop:
                self.close_connection = True
                return
            payload = reply.body
            if payload is not None and not isinstance(payload, bytes):
                payload = json.dumps(payload).encode("utf-8")
            payload = payload or b""
            self.send_response(reply.status)
            for key, value in reply.headers.items():
                self.send_header(key, value)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _serve

        def log_message(self, *args):  # keep pytest output clean
            pass

    return Handler


def make_self_signed_cert(directory):
    """Write cert.pem/key.pem for 127.0.0.1 and return their paths; None when no tool can.

    Uses the ``cryptography`` package when installed, else the ``openssl`` command.
    """
    cert_path = os.path.join(directory, "cert.pem")
    key_path = os.path.join(directory, "key.pem")
    try:
        _cert_with_cryptography(cert_path, key_path)
    except ImportError:
        openssl = shutil.which("openssl")
        if not openssl:
            return None
        subprocess.run([openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                        "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                        "-keyout", key_path, "-out", cert_path], check=True, capture_output=True, timeout=60)
    return cert_path, key_path


def _cert_with_cryptography(cert_path, key_path):
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5)).not_valid_after(now + datetime.timedelta(days=2))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                           critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    with open(cert_path, "wb") as handle:
        handle.write(cert.public_bytes(serialization.Encoding.PEM))
    with open(key_path, "wb") as handle:
        handle.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL,
                                       serialization.NoEncryption()))


def server_tls_context(cert_path, key_path):
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_path, key_path)
    return context
