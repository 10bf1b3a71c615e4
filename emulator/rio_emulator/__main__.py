"""CLI: python -m rio_emulator serve --host 127.0.0.1 --port PORT [options]
(or `launch --log FILE [serve options]`: start one in the background, rio_emulator/launcher.py)."""
import argparse
import copy
import socket
import sqlite3
import sys

from . import fleet as fleet_mod
from .settings import DEFAULT_ORGANIZATION, DEFAULT_PROJECT, DEFAULT_TOKEN, Settings


def _fraction(text):
    value = float(text)
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError("must be a fraction between 0 and 1, got %s" % text)
    return value


def _non_negative(text):
    value = float(text)
    if value < 0:
        raise argparse.ArgumentTypeError("must not be negative, got %s" % text)
    return value


def _kinds(text):
    kinds = [k.strip() for k in text.split(",") if k.strip()]
    allowed = ("503", "drop", "delay", "500")
    if not kinds or not all(k in allowed for k in kinds):
        raise argparse.ArgumentTypeError("must be a comma-separated list drawn from %s, got %s"
                                         % (",".join(allowed), text))
    return kinds


def _organization(text):
    if not text.startswith("org-") or len(text) < 5 or not text[4:].isalnum() or text != text.lower():
        raise argparse.ArgumentTypeError("must be org- followed by lower-case letters or digits, got %s" % text)
    return text


def _port(text):
    value = int(text)
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError("must be between 0 and 65535, got %s" % text)
    return value


def parser():
    top = argparse.ArgumentParser(prog="python -m rio_emulator",
                                  description="Local emulator of the rapyuta.io REST API (v1 and v2).")
    sub = top.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    serve = sub.add_parser("serve", help="serve the API over HTTP")
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    serve.add_argument("--port", type=_port, default=8080, help="port to bind; 0 picks a free port (default 8080)")
    serve.add_argument("--state", metavar="FILE", help="SQLite state file (default: in memory, lost on exit)")
    serve.add_argument("--fleet", metavar="FILE", help="YAML fleet file seeding the devices (docs/EMULATOR.md)")
    serve.add_argument("--token", default=DEFAULT_TOKEN, help="accepted bearer token (default %(default)s)")
    serve.add_argument("--project", default=DEFAULT_PROJECT, help="project of the fleet devices (default %(default)s)")
    serve.add_argument("--organization", type=_organization, default=DEFAULT_ORGANIZATION,
                       help="organization GUID of the v2 API (default %(default)s)")
    serve.add_argument("--phase-delay", type=_non_negative, default=0.0, metavar="SECONDS",
                       help="time from provisioning to Succeeded (default 0: ready on the first read)")
    serve.add_argument("--fault-rate", type=_fraction, default=0.0, metavar="FRACTION",
                       help="fraction of API requests that get a fault (503, dropped connection, delay)")
    serve.add_argument("--fault-latency", type=_non_negative, default=0.0, metavar="MS",
                       help="delay of a latency fault in milliseconds")
    serve.add_argument("--fault-kinds", type=_kinds, default=None, metavar="KINDS",
                       help="comma-separated fault kinds among 503,drop,delay,500 (default 503,drop,delay)")
    serve.add_argument("--seed", type=int, default=None, metavar="N", help="seed of the fault generator")
    serve.add_argument("--tls-cert", metavar="FILE", help="serve HTTPS with this PEM certificate (needs --tls-key)")
    serve.add_argument("--tls-key", metavar="FILE", help="PEM private key of --tls-cert")
    serve.add_argument("--access-log", action="store_true", help="log one line per request to stderr")
    launch = sub.add_parser("launch", help="start `serve` in the background with the other flags given, print \"URL PID\" once it answers")
    launch.add_argument("--log", required=True, metavar="FILE", help="file that receives the server's output")
    launch.add_argument("--timeout", type=_non_negative, default=30.0, metavar="SECONDS",
                        help="how long to wait for the server to answer (default %(default)s)")
    return top


def main(argv=None):
    top = parser()
    # `launch` passes every flag it does not know to `serve`, which checks them.
    args, serve_args = top.parse_known_args(argv)
    if args.command == "launch":
        from .launcher import launch_main
        return launch_main(args, serve_args)
    if serve_args:
        top.error("unrecognized arguments: %s" % " ".join(serve_args))
    specs = []
    if args.fleet:
        try:
            specs = fleet_mod.load(args.fleet)
        except fleet_mod.FleetError as exc:
            sys.stderr.write("rio_emulator: error: %s\n" % exc)
            return 2
    if bool(args.tls_cert) != bool(args.tls_key):
        sys.stderr.write("rio_emulator: error: --tls-cert and --tls-key go together\n")
        return 2
    for path in (args.tls_cert, args.tls_key):
        if path:
            try:
                open(path).close()
            except OSError as exc:
                sys.stderr.write("rio_emulator: error: cannot read TLS file %s: %s\n" % (path, exc))
                return 2
    if args.state:
        try:
            open(args.state, "a").close()
        except OSError as exc:
            sys.stderr.write("rio_emulator: error: cannot open state file %s: %s\n" % (args.state, exc))
            return 2
    return serve(args, specs)


def serve(args, specs):
    import uvicorn
    import uvicorn.config

    from .app import create_app

    settings = Settings(token=args.token, project=args.project, state=args.state, fleet_specs=specs,
                        phase_delay=args.phase_delay, fault_rate=args.fault_rate,
                        fault_latency_ms=args.fault_latency, seed=args.seed, fault_kinds=args.fault_kinds,
                        organization=args.organization)
    try:
        app = create_app(settings)
    except sqlite3.Error as exc:
        sys.stderr.write("rio_emulator: error: cannot use state file %s: %s\n" % (args.state, exc))
        return 2
    # Bind the socket ourselves so that --port 0 resolves to a real port we can announce.
    family = socket.AF_INET6 if ":" in args.host else socket.AF_INET
    # proto=IPPROTO_TCP: asyncio turns Nagle off (TCP_NODELAY) only on accepted sockets whose proto says
    # TCP; with proto 0 every answer on a kept-alive connection waited ~40 ms for the client's delayed ACK.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    try:
        sock.bind((args.host, args.port))
    except OSError as exc:
        sys.stderr.write("rio_emulator: error: cannot bind %s:%s: %s\n" % (args.host, args.port, exc))
        return 2
    sock.listen(512)
    sock.set_inheritable(True)
    port = sock.getsockname()[1]
    host = "[%s]" % args.host if ":" in args.host else args.host
    # stdout carries only the listening line; uvicorn's access lines (request line only, never
    # headers, so never the token) go to stderr.
    log_config = copy.deepcopy(uvicorn.config.LOGGING_CONFIG)
    log_config["handlers"]["access"]["stream"] = "ext://sys.stderr"
    tls = {"ssl_certfile": args.tls_cert, "ssl_keyfile": args.tls_key} if args.tls_cert else {}
    config = uvicorn.Config(app, log_level="info" if args.access_log else "warning", access_log=args.access_log,
                            lifespan="off", timeout_keep_alive=30, backlog=512, log_config=log_config, **tls)
    try:
        config.load()  # builds the SSL context now, so that a bad certificate/key is reported as a CLI error
    except Exception as exc:  # ssl.SSLError, OSError, ...
        sys.stderr.write("rio_emulator: error: cannot load the TLS certificate/key: %s\n" % exc)
        return 2
    scheme = "https" if args.tls_cert else "http"
    server = uvicorn.Server(config)
    original_startup = server.startup

    async def startup(sockets=None):
        await original_startup(sockets=sockets)
        if server.started:
            sys.stdout.write("rio_emulator listening on %s://%s:%d\n" % (scheme, host, port))
            sys.stdout.flush()

    server.startup = startup
    server.run(sockets=[sock])
    return 0


if __name__ == "__main__":
    sys.exit(main())
