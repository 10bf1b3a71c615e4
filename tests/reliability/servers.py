"""Small loopback servers for the connection failure cases: a web server that is not rapyuta.io, an
HTTPS server with a self-signed certificate, and a server that accepts and never answers."""
import http.server
import socket
import ssl
import threading


class _NotRapyuta(http.server.BaseHTTPRequestHandler):
    def _answer(self):
        body = b"<html><body><h1>Welcome to nginx!</h1></body></html>"
        self.send_response(404)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _answer

    def log_message(self, *args):
        pass


class Servers:
    def __init__(self, cert=None, key=None):
        self._servers = []
        self.other_url = self._http(None)
        self.tls_url = self._http((cert, key)) if cert else None
        self._silent = socket.socket()
        self._silent.bind(("127.0.0.1", 0))
        self._silent.listen(8)  # never accepted: connections complete in the backlog, no byte answered
        self.silent_url = "http://127.0.0.1:%d" % self._silent.getsockname()[1]
        closed = socket.socket()
        closed.bind(("127.0.0.1", 0))
        self.closed_url = "http://127.0.0.1:%d" % closed.getsockname()[1]
        closed.close()  # nothing listens there any more

    def _http(self, tls):
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _NotRapyuta)
        scheme = "http"
        if tls:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(*tls)
            server.socket = context.wrap_socket(server.socket, server_side=True)
            scheme = "https"
        thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True)
        thread.start()
        self._servers.append(server)
        return "%s://127.0.0.1:%d" % (scheme, server.server_address[1])

    def close(self):
        for server in self._servers:
            server.shutdown()
            server.server_close()
        self._silent.close()
