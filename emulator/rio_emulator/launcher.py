"""Start a real `python -m rio_emulator serve` process on loopback and learn its URL.

The one way the demo, the benchmark and every test suite run a private emulator: a free port (or a
given one), a state file and a log in a work directory, the URL read from the announcement the
server prints once it answers, and a stop by the process's own pid. From a shell,
`python -m rio_emulator launch --log FILE SERVE-FLAGS...` starts one, prints "URL PID" and leaves it
running (docs/EMULATOR.md).

Standard library only (and .settings): the client suites whose venvs hold no emulator (riocli,
sdk-v2) import this module from the source tree and start the server with the main venv's python.
"""
import json
import os
import re
import shutil
import signal
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

from .settings import DEFAULT_ORGANIZATION, DEFAULT_PROJECT, DEFAULT_TOKEN

# __main__.serve prints this line after uvicorn has started, so the URL answers once it is read.
LISTENING = re.compile(r"rio_emulator listening on (https?://\S+)")
STARTUP_TIMEOUT = 30.0


class EmulatorDidNotStart(RuntimeError):
    pass


def spawn(serve_args, log_path, python=None, cwd=None, timeout=STARTUP_TIMEOUT):
    """Start `python -m rio_emulator serve SERVE_ARGS` with its output appended to log_path; return
    (process, url) once it announces itself. The process is left running; on failure it is stopped and
    the error carries the end of the log."""
    offset = os.path.getsize(log_path) if os.path.exists(log_path) else 0
    command = [python or sys.executable, "-m", "rio_emulator", "serve"] + list(serve_args)
    with open(log_path, "a") as log:
        proc = subprocess.Popen(command, cwd=cwd, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + timeout
    while True:
        match = LISTENING.search(_read(log_path, offset))
        if match:
            return proc, match.group(1)
        if proc.poll() is not None or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    stop(proc)
    raise EmulatorDidNotStart("the emulator did not start within %ss (log %s):\n%s"
                              % (timeout, log_path, _read(log_path, offset)[-3000:]))


def stop(proc, timeout=10):
    """SIGTERM, then SIGKILL if it has not exited within `timeout` seconds."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=timeout)


def _read(path, offset=0):
    with open(path, errors="replace") as handle:
        handle.seek(offset)
        return handle.read()


class EmulatorProcess:
    """A private emulator process: started on construction, stopped by stop() or on leaving a `with`.

    workdir holds the state file (state.sqlite unless `state` names another) and the log
    (emulator.log unless `log_path`); a workdir made here is removed by cleanup() and on leaving a
    `with`. extra_args are more `serve` flags (--phase-delay, --fault-rate, --tls-cert ...);
    cafile is the certificate that admin calls to an HTTPS emulator trust.
    """

    def __init__(self, workdir=None, fleet=None, token=DEFAULT_TOKEN, project=DEFAULT_PROJECT, port=0, state=None,
                 log_path=None, extra_args=(), cafile=None, python=None, timeout=STARTUP_TIMEOUT,
                 organization=DEFAULT_ORGANIZATION):
        self._own_workdir = workdir is None
        self.workdir = workdir or tempfile.mkdtemp(prefix="rio-emulator-")
        self.fleet, self.token, self.project, self.organization = fleet, token, project, organization
        self.state = state or os.path.join(self.workdir, "state.sqlite")
        self.log_path = log_path or os.path.join(self.workdir, "emulator.log")
        self.extra_args = list(extra_args)
        self.ssl_context = ssl.create_default_context(cafile=cafile) if cafile else None
        self.python, self.timeout = python, timeout
        self.proc = self.url = None
        self.port = port
        self.start()

    def start(self, port=None):
        """Start (or start again, on the same state file and log) on `port`, by default the last one."""
        if port is not None:
            self.port = port
        args = ["--host", "127.0.0.1", "--port", str(self.port), "--state", self.state,
                "--token", self.token, "--project", self.project, "--organization", self.organization]
        if self.fleet:
            args += ["--fleet", self.fleet]
        self.proc, self.url = spawn(args + self.extra_args, self.log_path, python=self.python, timeout=self.timeout)
        self.port = int(self.url.rsplit(":", 1)[1])
        return self.url

    def stop(self):
        if self.proc is not None:
            stop(self.proc)

    def kill(self):
        """SIGKILL, as a crash: no shutdown code runs."""
        if self.proc is not None and self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)

    def cleanup(self):
        """Stop, and remove the work directory (state, log, SDK config)."""
        self.stop()
        shutil.rmtree(self.workdir, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self._own_workdir:
            self.cleanup()
        else:
            self.stop()

    def log(self):
        return _read(self.log_path)

    # -- HTTP ------------------------------------------------------------------------------------
    def _open(self, method, path, body, headers, timeout):
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.url + path, data=data, method=method, headers=dict(headers or {}))
        if data is not None:
            request.add_header("Content-Type", "application/json")
        return urllib.request.urlopen(request, timeout=timeout, context=self.ssl_context)

    def call(self, method, path, body=None, headers=None, timeout=20):
        """One request; the JSON answer (None when empty). HTTP errors raise urllib's HTTPError."""
        with self._open(method, path, body, headers, timeout) as answer:
            raw = answer.read()
        return json.loads(raw) if raw else None

    def raw(self, method, path, body=None, headers=None, timeout=20):
        """One request; (status, JSON answer, or its text when it is not JSON, or None when empty). An
        HTTP error status is an answer here, for tests that check refusals."""
        try:
            with self._open(method, path, body, headers, timeout) as answer:
                status, raw = answer.status, answer.read()
        except urllib.error.HTTPError as error:
            status, raw = error.code, error.read()
        try:
            return status, json.loads(raw) if raw else None
        except ValueError:
            return status, raw.decode(errors="replace")

    def admin(self, route, body=None, method=None):
        """A call to the test hooks under /_emulator/ (no token): GET, or POST when there is a body."""
        return self.call(method or ("GET" if body is None else "POST"), "/_emulator/" + route, body)

    def stats(self):
        return self.admin("stats")

    def reset(self, counters_only=False):
        return self.admin("reset?counters_only=1" if counters_only else "reset", method="POST")

    # -- pointing clients at it ------------------------------------------------------------------
    def sdk_config(self):
        """A RIO_CONFIG file that points the rapyuta-io SDK's three hosts here; returns its path."""
        path = os.path.join(self.workdir, "rio_config.json")
        with open(path, "w") as handle:
            json.dump({"catalog_host": self.url, "core_api_host": self.url, "rip_host": self.url}, handle)
        return path

    def client_env(self):
        """Environment variables that point the collection and the SDK here."""
        return {"RIO_CATALOG_HOST": self.url, "RIO_CORE_API_HOST": self.url, "RIO_V2_API_HOST": self.url,
                "RIO_AUTH_TOKEN": self.token,
                "RIO_PROJECT": self.project, "RIO_CONFIG": self.sdk_config(), "RIO_EMULATOR_URL": self.url}


def launch_main(args, serve_args):
    """`python -m rio_emulator launch`: start, print "URL PID", leave the process running."""
    try:
        proc, url = spawn(serve_args, args.log, timeout=args.timeout)
    except EmulatorDidNotStart as exc:
        sys.stderr.write("rio_emulator: error: %s\n" % exc)
        return 1
    sys.stdout.write("%s %d\n" % (url, proc.pid))
    return 0
