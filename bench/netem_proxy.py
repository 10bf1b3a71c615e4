"""A loopback HTTP/1.1 proxy that makes an emulator look a network round trip away.

    python bench/netem_proxy.py --upstream http://127.0.0.1:PORT --rtt-ms 50 [--tls-rtts 1] [--stats FILE]

prints "URL PID" on its first stdout line (URL: the proxy's base URL, to use wherever the
emulator's would go) and runs until it is stopped (SIGTERM / SIGINT).

The network it models, per client connection:
  - a NEW connection costs its handshakes before its first request can leave: TCP (1 RTT) and
    TLS (--tls-rtts: 1 for TLS 1.3, the platform's default today; 2 for TLS 1.2; 0 for plain
    HTTP). They are counted from the moment the client connects, as a real connect() +
    handshake would be, so a client that connects early and sends later pays less of them.
  - every request costs one RTT (request out, answer back) on top of the server's own time.
Both are applied by holding each request (its head) until it may leave; the answers flow back
at once. Bandwidth, loss and jitter are not modelled: the API's requests and answers are small,
and what separates the tools is how many round trips and connections they need.

The traffic between client and proxy is plain HTTP (the proxy reads request boundaries to count
and delay requests); TLS is a cost in round trips here, not encryption. Each client connection
gets its own upstream connection, so the server sees the clients' connection pattern.

--stats FILE is rewritten (atomically) after every change with
{"connections": n, "requests": n, "rtt_ms": x, "tls_rtts": k}: connections accepted and
requests forwarded since the start; a harness reads it before and after a run and subtracts.
The module also offers NetemProxy, the same process started from Python (bench/run.py uses it).
"""
import argparse
import asyncio
import json
import os
import signal
import subprocess
import sys
import tempfile
import urllib.parse

# The request head (request line + headers) may not exceed this; the API's heads are a few hundred bytes.
HEAD_LIMIT = 1 << 20
TCP_HANDSHAKE_RTTS = 1


def handshake_rtts(tls_rtts):
    """Round trips a new connection costs before its first request may leave."""
    return TCP_HANDSHAKE_RTTS + tls_rtts


def hold_seconds(now, connection_ready_at, rtt):
    """How long a request that arrived at `now` is held: until the connection's handshakes are
    done (connection_ready_at), then one round trip."""
    return max(now, connection_ready_at) + rtt - now


def body_framing(head):
    """("chunked", None) or ("length", n) for a request head (bytes up to and including the blank line)."""
    length = 0
    chunked = False
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        name = name.strip().lower()
        if name == b"content-length":
            length = int(value.strip())
        elif name == b"transfer-encoding" and b"chunked" in value.lower():
            chunked = True
    return ("chunked", None) if chunked else ("length", length)


class Counters:
    """Connections and requests since the start, written to the stats file after each change."""

    def __init__(self, path, rtt_ms, tls_rtts):
        self.path, self.rtt_ms, self.tls_rtts = path, rtt_ms, tls_rtts
        self.connections = self.requests = 0
        self._flush_pending = False

    def snapshot(self):
        return {"connections": self.connections, "requests": self.requests, "rtt_ms": self.rtt_ms,
                "tls_rtts": self.tls_rtts}

    def count(self, connections=0, requests=0):
        self.connections += connections
        self.requests += requests
        # One write per turn of the event loop, however many requests arrived in it; it happens
        # while the request is held, so the file is current before the client gets its answer.
        if self.path and not self._flush_pending:
            self._flush_pending = True
            asyncio.get_running_loop().call_soon(self.flush)

    def flush(self):
        self._flush_pending = False
        if self.path:
            write_json_atomically(self.path, self.snapshot())


def write_json_atomically(path, data):
    directory = os.path.dirname(os.path.abspath(path))
    handle, temporary = tempfile.mkstemp(dir=directory, prefix=".netem-stats-")
    with os.fdopen(handle, "w") as out:
        json.dump(data, out)
    os.replace(temporary, path)


class Proxy:
    def __init__(self, upstream_host, upstream_port, rtt_s, tls_rtts, counters):
        self.upstream = (upstream_host, upstream_port)
        self.rtt, self.tls_rtts, self.counters = rtt_s, tls_rtts, counters
        self._tasks = set()

    async def handle(self, client_reader, client_writer):
        loop = asyncio.get_running_loop()
        ready_at = loop.time() + handshake_rtts(self.tls_rtts) * self.rtt
        self.counters.count(connections=1)
        try:
            upstream_reader, upstream_writer = await asyncio.open_connection(*self.upstream, limit=HEAD_LIMIT)
        except OSError:
            client_writer.close()
            return
        answers = asyncio.ensure_future(self._pipe(upstream_reader, client_writer))
        # The loop keeps only weak references to tasks.
        self._tasks.add(answers)
        answers.add_done_callback(self._tasks.discard)
        try:
            await self._requests(client_reader, upstream_writer, ready_at)
        except (ConnectionError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError):
            pass
        finally:
            # The client is done sending; the answer still in flight goes on flowing back.
            if not upstream_writer.is_closing() and upstream_writer.can_write_eof():
                try:
                    upstream_writer.write_eof()
                except OSError:
                    pass
        try:
            await answers
        finally:
            upstream_writer.close()
            client_writer.close()

    async def _requests(self, reader, upstream, ready_at):
        loop = asyncio.get_running_loop()
        while True:
            try:
                head = await reader.readuntil(b"\r\n\r\n")
            except asyncio.IncompleteReadError as exc:
                if exc.partial.strip():
                    raise
                return
            self.counters.count(requests=1)
            await asyncio.sleep(hold_seconds(loop.time(), ready_at, self.rtt))
            upstream.write(head)
            # The body is streamed after the head, so an `Expect: 100-continue` client gets the
            # server's 100 before it sends its body.
            kind, length = body_framing(head)
            if kind == "length":
                await self._copy_exactly(reader, upstream, length)
            else:
                await self._copy_chunked(reader, upstream)
            await upstream.drain()

    @staticmethod
    async def _copy_exactly(reader, writer, length):
        while length > 0:
            data = await reader.read(min(length, 1 << 16))
            if not data:
                raise asyncio.IncompleteReadError(b"", length)
            writer.write(data)
            length -= len(data)

    async def _copy_chunked(self, reader, writer):
        while True:
            size_line = await reader.readuntil(b"\r\n")
            writer.write(size_line)
            size = int(size_line.split(b";", 1)[0].strip(), 16)
            if size == 0:
                # Trailers (usually none), up to the blank line that ends the body.
                while True:
                    line = await reader.readuntil(b"\r\n")
                    writer.write(line)
                    if line == b"\r\n":
                        return
            await self._copy_exactly(reader, writer, size + 2)

    @staticmethod
    async def _pipe(reader, writer):
        try:
            while True:
                data = await reader.read(1 << 16)
                if not data:
                    break
                writer.write(data)
                await writer.drain()
        except ConnectionError:
            pass


def parse_upstream(url):
    parsed = urllib.parse.urlsplit(url)
    if parsed.scheme != "http" or not parsed.hostname:
        raise ValueError("--upstream: an http://HOST:PORT URL expected (the proxy reads plain HTTP), got %r" % url)
    return parsed.hostname, parsed.port or 80


async def serve(args, announce):
    host, port = parse_upstream(args.upstream)
    counters = Counters(args.stats, args.rtt_ms, args.tls_rtts)
    proxy = Proxy(host, port, args.rtt_ms / 1000.0, args.tls_rtts, counters)
    server = await asyncio.start_server(proxy.handle, args.host, args.port, limit=HEAD_LIMIT)
    counters.flush()
    bound_port = server.sockets[0].getsockname()[1]
    announce("http://%s:%d %d" % (args.host, bound_port, os.getpid()))
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop_now, counters)
    await server.serve_forever()


def stop_now(counters):
    """Stop at once: the counters are written, connections in flight are cut (nothing else is kept)."""
    counters.flush()
    os._exit(0)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--upstream", required=True, help="the server's base URL, http://HOST:PORT")
    parser.add_argument("--rtt-ms", type=float, default=50.0, help="round-trip time (default %(default)s)")
    parser.add_argument("--tls-rtts", type=int, default=1, choices=(0, 1, 2),
                        help="TLS handshake round trips of a new connection: 1 = TLS 1.3 (default), 2 = TLS 1.2, "
                             "0 = plain HTTP")
    parser.add_argument("--stats", help="a file kept holding {\"connections\": n, \"requests\": n, ...}")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default %(default)s)")
    parser.add_argument("--port", type=int, default=0, help="port to listen on (default: a free one)")
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    try:
        parse_upstream(args.upstream)
    except ValueError as exc:
        sys.stderr.write("netem_proxy: error: %s\n" % exc)
        return 2

    def announce(line):
        sys.stdout.write(line + "\n")
        sys.stdout.flush()

    asyncio.run(serve(args, announce))
    return 0


class NetemProxy:
    """The proxy as a child process: started on construction, stopped by stop() or on leaving a `with`.

    url: its base URL; stats(): the current counters (the stats file's content).
    """

    def __init__(self, upstream, rtt_ms, tls_rtts=1, stats_path=None, python=None):
        self._own_stats = stats_path is None
        if stats_path is None:
            handle, stats_path = tempfile.mkstemp(prefix="netem-stats-", suffix=".json")
            os.close(handle)
        self.stats_path = stats_path
        command = [python or sys.executable, os.path.abspath(__file__), "--upstream", upstream,
                   "--rtt-ms", str(rtt_ms), "--tls-rtts", str(tls_rtts), "--stats", stats_path]
        self.proc = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE)
        # The first line comes once the port is bound; EOF (an empty line) means it exited.
        line = self.proc.stdout.readline().decode().strip()
        if not line:
            self.stop()
            raise RuntimeError("netem_proxy did not start (exit code %s)" % self.proc.poll())
        self.url = line.split()[0]

    def stats(self):
        with open(self.stats_path) as handle:
            return json.load(handle)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        if self.proc.stdout:
            self.proc.stdout.close()
        if self._own_stats and os.path.exists(self.stats_path):
            os.unlink(self.stats_path)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


if __name__ == "__main__":
    sys.exit(main())
