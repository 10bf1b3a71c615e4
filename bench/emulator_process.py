"""Start and stop a private rio_emulator process for measurements (loopback only, killed by pid)."""
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.request

LISTENING = re.compile(r"rio_emulator listening on (\S+)")
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class EmulatorProcess:
    def __init__(self, fleet=None, token="bench-token", project="project-bench", extra_args=(), python=sys.executable):
        self.workdir = tempfile.mkdtemp(prefix="rio-bench-")
        self.token, self.project = token, project
        args = [python, "-m", "rio_emulator", "serve", "--host", "127.0.0.1", "--port", "0",
                "--state", os.path.join(self.workdir, "state.sqlite"), "--token", token, "--project", project]
        if fleet:
            args += ["--fleet", fleet]
        self._log = open(os.path.join(self.workdir, "emulator.log"), "w+")
        self.proc = subprocess.Popen(args + list(extra_args), cwd=ROOT, stdout=self._log, stderr=subprocess.STDOUT)
        self.url = self._await_listening()

    def _await_listening(self, timeout=20.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self._log.seek(0)
            match = LISTENING.search(self._log.read())
            if match:
                return match.group(1)
            if self.proc.poll() is not None:
                break
            time.sleep(0.05)
        self.stop()
        self._log.seek(0)
        raise RuntimeError("emulator did not start: %s" % self._log.read()[-2000:])

    def admin(self, route, body=None):
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.url + "/_emulator/" + route, data=data, method="POST" if data else "GET",
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request) as answer:
            return json.load(answer)

    def env(self):
        """Variables that point the collection and the SDK at this emulator."""
        rio_config = os.path.join(self.workdir, "rio_config.json")
        with open(rio_config, "w") as handle:
            json.dump({"catalog_host": self.url, "core_api_host": self.url, "rip_host": self.url}, handle)
        return {"RIO_CATALOG_HOST": self.url, "RIO_CORE_API_HOST": self.url, "RIO_AUTH_TOKEN": self.token,
                "RIO_PROJECT": self.project, "RIO_CONFIG": rio_config, "RIO_EMULATOR_URL": self.url}

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._log.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()
