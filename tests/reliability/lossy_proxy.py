"""A loopback HTTP proxy in front of the emulator that loses answers AFTER the emulator has applied a
write: the request is forwarded, the whole answer is read (the change is committed), then the client's
connection is closed without a byte. The emulator's own faults strike before processing, so only this
proxy exercises the ambiguous case that duplicate-safe creations exist for."""
import http.client
import http.server
import random
import socket
import threading
import urllib.parse

HOP_HEADERS = {"connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade", "te", "trailer"}


class LossyProxy:
    def __init__(self, upstream, rate, seed=0, methods=("POST", "PUT"), skip_paths=("/selection/query/",)):
        parsed = urllib.parse.urlsplit(upstream)
        self.upstream_host, self.upstream_port = parsed.hostname, parsed.port
        self.rate, self.methods, self.skip_paths = rate, methods, skip_paths
        self._rng = random.Random(seed)
        self._lock = threading.Lock()
        self.lost = {}  # "METHOD path" -> answers lost after the upstream applied them
        self.forwarded = 0
        proxy = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def _forward(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                proxy.before_forwarding(self.command, self.path, body)
                headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_HEADERS}
                upstream = http.client.HTTPConnection(proxy.upstream_host, proxy.upstream_port, timeout=60)
                try:
                    upstream.request(self.command, self.path, body=body, headers=headers)
                    answer = upstream.getresponse()
                    payload = answer.read()
                    status, answer_headers = answer.status, answer.getheaders()
                except (OSError, http.client.HTTPException):
                    # The upstream dropped us (its own fault injection): pass the drop on.
                    self._drop()
                    return
                finally:
                    upstream.close()
                with proxy._lock:
                    proxy.forwarded += 1
                    lose = (self.command in proxy.methods and status < 300
                            and not any(p in self.path for p in proxy.skip_paths)
                            and proxy._rng.random() < proxy.rate)
                    if lose:
                        key = "%s %s" % (self.command, self.path.split("?")[0])
                        proxy.lost[key] = proxy.lost.get(key, 0) + 1
                if lose:
                    self._drop()
                    return
                self.send_response(status)
                for key, value in answer_headers:
                    if key.lower() not in HOP_HEADERS and key.lower() != "content-length":
                        self.send_header(key, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def _drop(self):
                self.close_connection = True
                try:
                    self.connection.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

            do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _forward

        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.url = "http://127.0.0.1:%d" % self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True)
        self._thread.start()

    def before_forwarding(self, method, path, body):
        """Called with each request before it is forwarded (tests/awx/race_gate.py holds some here)."""

    def close(self):
        self._server.shutdown()
        self._server.server_close()
