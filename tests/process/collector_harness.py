"""Shared by the collector's process tests (web UI, JavaScript SDK interop):
an `agenthub collector` child process on free loopback ports, OTLP/HTTP JSON
helpers, and installing pinned npm packages into the build tree.

Not a test itself (the test glob is *_test.py).
"""
import filecmp
import json
import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def build_dir():
    """Where tests may keep downloads and artefacts: the CMake build tree
    (set by tests/CMakeLists.txt), else a temporary folder."""
    path = os.environ.get("AGENTHUB_BUILD_DIR")
    if not path:
        path = os.path.join(tempfile.gettempdir(), "agenthub-test-artifacts")
    os.makedirs(path, exist_ok=True)
    return path


def require_tool(path_or_name, why, install_hint):
    """The absolute path of a tool, or an AssertionError naming what to
    install: these tests must fail loudly, never skip, when a tool CI
    installs is missing."""
    found = path_or_name if os.path.isabs(path_or_name) else shutil.which(path_or_name)
    if not found or not os.access(found, os.X_OK):
        raise AssertionError(
            f"{path_or_name} is needed {why} but was not found; {install_hint} "
            "(scripts/install-deps installs it)")
    return found


def npm_install(package_dir, dest):
    """Installs the packages pinned by package_dir's package.json and
    package-lock.json into dest/node_modules with `npm ci`, once per lock
    file: a second run with the same lock reuses what is there. Returns
    dest/node_modules."""
    npm = require_tool("npm", "to install the test's JavaScript packages", "install nodejs and npm")
    os.makedirs(dest, exist_ok=True)
    lock = os.path.join(package_dir, "package-lock.json")
    installed_lock = os.path.join(dest, "package-lock.json")
    modules = os.path.join(dest, "node_modules")
    if (os.path.isdir(modules) and os.path.exists(installed_lock)
            and filecmp.cmp(lock, installed_lock, shallow=False)):
        return modules
    shutil.copy(os.path.join(package_dir, "package.json"), dest)
    shutil.copy(lock, dest)
    result = subprocess.run(
        [npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=dest,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=240)
    if result.returncode != 0:
        # A half-installed tree must not pass for a good one next time.
        os.remove(os.path.join(dest, "package-lock.json"))
        raise AssertionError(f"npm ci in {dest} failed (is the npm registry reachable?):\n"
                             + result.stdout.decode(errors="replace")[-4000:])
    return modules


class Collector:
    """One `agenthub collector` on free loopback ports with its own SQLite
    file. Use as a context manager; stops it with SIGTERM on exit."""

    def __init__(self, agenthub, *extra):
        # Free ports are only free when asked: another test running in
        # parallel may take one before the collector binds it. A collector
        # that could not listen is started again on new ports.
        for attempt in range(3):
            self._start(agenthub, extra)
            try:
                self._wait_ready()
                return
            except AssertionError:
                if attempt == 2 or "cannot listen" not in self.stderr_text():
                    raise
                self.close()

    def _start(self, agenthub, extra):
        ports = set()
        while len(ports) < 4:
            ports.add(free_port())
        self.grpc_port, self.http_port, self.query_port, self.health_port = sorted(ports)
        self.dir = tempfile.TemporaryDirectory(prefix="agenthub-collector-")
        env = dict(os.environ, OTEL_TRACES_EXPORTER="none", OTEL_METRICS_EXPORTER="none",
                   OTEL_LOGS_EXPORTER="none")
        self.stderr = tempfile.TemporaryFile()
        self.proc = subprocess.Popen(
            [agenthub, "collector", "--host", "127.0.0.1",
             "--otlp-grpc-port", str(self.grpc_port), "--otlp-http-port", str(self.http_port),
             "--ui-port", str(self.query_port), "--health-port", str(self.health_port),
             "--db", os.path.join(self.dir.name, "traces.db"), *extra],
            stdout=subprocess.DEVNULL, stderr=self.stderr, env=env)
        self.base = f"http://127.0.0.1:{self.query_port}"

    def _wait_ready(self):
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"agenthub collector exited with {self.proc.returncode}:\n"
                                     + self.stderr_text())
            try:
                self.get("/api/services")
                # The OTLP/HTTP port too, so the first send does not race it.
                with socket.create_connection(("127.0.0.1", self.http_port), timeout=1):
                    return
            except (OSError, urllib.error.URLError):
                time.sleep(0.1)
        raise AssertionError("agenthub collector did not start in 30 s:\n" + self.stderr_text())

    def stderr_text(self):
        if self.stderr.closed:
            return ""
        self.stderr.seek(0)
        return self.stderr.read().decode(errors="replace")[-4000:]

    def get(self, path, headers=None):
        """(status, headers, body bytes); HTTP errors are answers, not raises."""
        request = urllib.request.Request(self.base + path, headers=headers or {})
        try:
            with urllib.request.urlopen(request, timeout=10) as r:
                return r.status, r.headers, r.read()
        except urllib.error.HTTPError as e:
            return e.code, e.headers, e.read()

    def get_json(self, path):
        status, _, body = self.get(path)
        return status, json.loads(body)

    def post_otlp_json(self, signal, payload):
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.http_port}/v1/{signal}", data=json.dumps(payload).encode(),
            headers={"Content-Type": "application/json"}, method="POST")
        with urllib.request.urlopen(request, timeout=10) as r:
            return r.status, json.loads(r.read() or b"{}")

    def wait_for_trace(self, trace_id, spans, timeout=20):
        """The Jaeger trace once all `spans` are stored (ingest is queued and
        batched, so a trace shows up shortly after the export returns)."""
        deadline = time.monotonic() + timeout
        last = None
        while time.monotonic() < deadline:
            status, body = self.get_json(f"/api/traces/{trace_id}")
            if status == 200 and len(body["data"][0]["spans"]) >= spans:
                return body["data"][0]
            last = (status, body)
            time.sleep(0.1)
        raise AssertionError(f"trace {trace_id} did not reach {spans} spans: {last}")

    def close(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.stderr.close()
        self.dir.cleanup()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
