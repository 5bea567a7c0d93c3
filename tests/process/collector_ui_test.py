#!/usr/bin/python3
"""The collector's web UI, end to end: a real `agenthub collector`, traces
and logs sent over OTLP/HTTP, and Debian's Chromium driven headless by
playwright-core (tests/process/ui/ui_check.mjs) through search, a trace's
waterfall, span details and log lines. Screenshots go to the build tree.

Also, without a browser: the UI's routes answer with the right content
types, caching headers, ETag revalidation, security headers and 404s, and
the embedded assets reference nothing outside the collector.

Needs chromium, node and npm (scripts/install-deps) and the npm registry
for playwright-core (pinned in tests/process/ui/package-lock.json). When
any is missing the test FAILS saying so: a skipped browser test would look
like a passing one.

Usage: collector_ui_test.py --agenthub PATH [unittest args]
"""
import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from collector_harness import Collector, build_dir, npm_install, require_tool  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
AGENTHUB = None


def hex_id(n_bytes):
    return "%0*x" % (n_bytes * 2, random.getrandbits(n_bytes * 8) or 1)


def attr(key, value):
    if isinstance(value, bool):
        v = {"boolValue": value}
    elif isinstance(value, int):
        v = {"intValue": str(value)}
    elif isinstance(value, float):
        v = {"doubleValue": value}
    else:
        v = {"stringValue": value}
    return {"key": key, "value": v}


class Fixture:
    """Two traces, as OTLP/JSON, and what the UI must show for them.

    checkout (error trace), 5 spans over 3 services:
      web-frontend  GET /checkout           0 ms .. 120 ms   server
        agenthub-broker route_task          5 .. 15          internal
        payment-agent process_task          20 .. 110        consumer, links to health
          payment-agent charge_card         30 .. 90         client, ERROR + exception
        web-frontend  render                112 .. 118       internal
    health (no error), 2 spans: web-frontend GET /health > postgres-proxy db.ping
    """

    def __init__(self):
        now_ns = time.time_ns() - 5_000_000_000
        ms = 1_000_000
        self.error_trace = hex_id(16)
        self.ok_trace = hex_id(16)
        ids = {name: hex_id(8) for name in
               ["root", "route", "process", "charge", "render", "health", "ping"]}
        self.ids = ids

        def span(trace, sid, parent, name, kind, start, end, attrs=(), **extra):
            s = {"traceId": trace, "spanId": ids[sid], "name": name, "kind": kind,
                 "startTimeUnixNano": str(now_ns + start * ms),
                 "endTimeUnixNano": str(now_ns + end * ms),
                 "attributes": [attr(k, v) for k, v in attrs]}
            if parent:
                s["parentSpanId"] = ids[parent]
            s.update(extra)
            return s

        charge = span(self.error_trace, "charge", "process", "charge_card", 3, 30, 90,
                      [("payment.amount", 12.5), ("payment.currency", "EUR"),
                       ("retry.count", 2), ("card.present", False)],
                      status={"code": 2, "message": "card declined"},
                      events=[{"name": "exception", "timeUnixNano": str(now_ns + 85 * ms),
                               "attributes": [attr("exception.type", "CardDeclined"),
                                              attr("exception.message", "insufficient funds")]}])
        process = span(self.error_trace, "process", "root", "process_task", 5, 20, 110,
                       [("task.type", "payment")],
                       links=[{"traceId": self.ok_trace, "spanId": ids["health"],
                               "attributes": [attr("link.reason", "follow-up")]}])
        resources = {
            "web-frontend": [
                span(self.error_trace, "root", None, "GET /checkout", 2, 0, 120,
                     [("http.method", "GET"), ("http.status_code", 500)]),
                span(self.error_trace, "render", "root", "render", 1, 112, 118),
                span(self.ok_trace, "health", None, "GET /health", 2, 200, 230,
                     [("http.method", "GET")], status={"code": 1}),
            ],
            "agenthub-broker": [span(self.error_trace, "route", "root", "route_task", 1, 5, 15)],
            "payment-agent": [process, charge],
            "postgres-proxy": [span(self.ok_trace, "ping", "health", "db.ping", 3, 205, 225)],
        }
        self.traces = {"resourceSpans": [
            {"resource": {"attributes": [attr("service.name", service),
                                         attr("host.name", "ui-test-host"),
                                         attr("deployment.environment", "ui-test")]},
             "scopeSpans": [{"scope": {"name": "ui-test", "version": "1.0"}, "spans": spans}]}
            for service, spans in resources.items()]}

        def log(sid, severity_number, severity_text, body, at):
            return {"timeUnixNano": str(now_ns + at * ms), "severityNumber": severity_number,
                    "severityText": severity_text, "body": {"stringValue": body},
                    "traceId": self.error_trace, "spanId": ids[sid],
                    "attributes": [attr("attempt", 1)]}

        self.logs = {"resourceLogs": [
            {"resource": {"attributes": [attr("service.name", "web-frontend")]},
             "scopeLogs": [{"logRecords": [log("root", 9, "INFO", "checkout started", 1)]}]},
            {"resource": {"attributes": [attr("service.name", "payment-agent")]},
             "scopeLogs": [{"logRecords": [log("charge", 13, "WARN", "retrying charge", 60)]}]},
        ]}

    def check_config(self):
        """What ui_check.mjs verifies, in its terms."""
        i = self.ids

        def s(sid, name, service, depth, parent=None):
            return {"spanID": i[sid], "name": name, "service": service, "depth": depth,
                    "parentSpanID": i[parent] if parent else None}

        return {
            "errorTrace": {
                "traceID": self.error_trace, "rootService": "web-frontend",
                "rootOperation": "GET /checkout",
                "services": ["web-frontend", "agenthub-broker", "payment-agent"],
                "spans": [s("root", "GET /checkout", "web-frontend", 0),
                          s("route", "route_task", "agenthub-broker", 1, "root"),
                          s("process", "process_task", "payment-agent", 1, "root"),
                          s("charge", "charge_card", "payment-agent", 2, "process"),
                          s("render", "render", "web-frontend", 1, "root")],
                "errorSpanID": i["charge"], "linkingSpanID": i["process"],
                "errorAttributes": {"payment.amount": "12.5", "payment.currency": "EUR",
                                    "retry.count": "2", "card.present": "false"},
                "resourceTag": "ui-test-host",
                "logs": ["checkout started", "retrying charge"],
            },
            "okTrace": {"traceID": self.ok_trace,
                        "spans": [s("health", "GET /health", "web-frontend", 0),
                                  s("ping", "db.ping", "postgres-proxy", 1, "health")]},
        }


class UiRoutes(unittest.TestCase):
    """The UI as HTTP, no browser."""

    @classmethod
    def setUpClass(cls):
        cls.collector = Collector(AGENTHUB)

    @classmethod
    def tearDownClass(cls):
        cls.collector.close()

    def test_pages_are_the_embedded_index_with_a_strict_policy(self):
        bodies = set()
        for path in ["/", "/search?service=x", "/trace/0123456789abcdef0123456789abcdef",
                     "/trace/not-an-id"]:
            status, headers, body = self.collector.get(path)
            self.assertEqual(status, 200, path)
            self.assertEqual(headers["Content-Type"], "text/html; charset=utf-8", path)
            self.assertIn("default-src 'self'", headers["Content-Security-Policy"])
            self.assertEqual(headers["X-Content-Type-Options"], "nosniff")
            bodies.add(body)
        self.assertEqual(len(bodies), 1, "every page route serves the same index.html")
        self.assertIn(b'<script type="module" src="/static/js/app.js">', bodies.pop())

    def test_assets_have_their_content_types(self):
        for path, content_type in [("/static/js/app.js", "text/javascript; charset=utf-8"),
                                   ("/static/style.css", "text/css; charset=utf-8"),
                                   ("/static/favicon.svg", "image/svg+xml"),
                                   ("/favicon.ico", "image/svg+xml")]:
            status, headers, body = self.collector.get(path)
            self.assertEqual(status, 200, path)
            self.assertEqual(headers["Content-Type"], content_type, path)
            self.assertEqual(int(headers["Content-Length"]), len(body))
            self.assertGreater(len(body), 0)

    def test_assets_revalidate_with_their_etag(self):
        status, headers, body = self.collector.get("/static/js/app.js")
        self.assertEqual(status, 200)
        self.assertEqual(headers["Cache-Control"], "no-cache")
        etag = headers["ETag"]
        self.assertRegex(etag, r'^"[0-9a-f]{20}"$')
        status, headers, body = self.collector.get("/static/js/app.js",
                                                   {"If-None-Match": etag})
        self.assertEqual(status, 304)
        self.assertEqual(body, b"")
        status, _, _ = self.collector.get("/static/js/app.js", {"If-None-Match": '"other"'})
        self.assertEqual(status, 200)

    def test_unknown_assets_are_404(self):
        for path in ["/static/nope.js", "/static/../index.html", "/static/js/",
                     "/static/%2e%2e/%2e%2e/etc/passwd", "/no-such-page"]:
            status, headers, _ = self.collector.get(path)
            self.assertEqual(status, 404, path)
            self.assertEqual(headers["Cache-Control"], "no-store", path)

    def test_api_is_unchanged_beside_the_ui(self):
        status, body = self.collector.get_json("/api/services")
        self.assertEqual(status, 200)
        self.assertIsInstance(body["data"], list)
        status, body = self.collector.get_json("/api/traces/zz")
        self.assertEqual(status, 400)
        self.assertEqual(body["errors"][0]["code"], 400)

    def test_assets_load_nothing_from_elsewhere(self):
        _, _, index = self.collector.get("/")
        paths = ["/static/style.css"] + [
            "/static/js/" + m for m in re.findall(r"from '\./([a-z_]+\.js)'",
                                                  self._all_js())]
        texts = [index.decode()] + [self.collector.get(p)[2].decode() for p in set(paths)]
        for text in texts:
            # SVG's xmlns is a name, not a fetch; anything else is a leak.
            urls = [u for u in re.findall(r"(?:https?:)?//[a-z0-9.-]+\.[a-z]{2,}[^\s'\")]*", text)
                    if "www.w3.org" not in u]
            self.assertEqual(urls, [])

    def _all_js(self):
        seen, queue, out = set(), ["app.js"], ""
        while queue:
            name = queue.pop()
            if name in seen:
                continue
            seen.add(name)
            status, _, body = self.collector.get("/static/js/" + name)
            self.assertEqual(status, 200, name)
            text = body.decode()
            out += text
            queue += re.findall(r"from '\./([a-z_]+\.js)'", text)
        return out


class Browser(unittest.TestCase):
    """The UI in headless Chromium."""

    def test_search_open_trace_waterfall_details_and_logs(self):
        chromium = require_tool(os.environ.get("CHROMIUM", "/usr/bin/chromium"),
                                "for the web UI test", "apt-get install chromium")
        node = require_tool("node", "to drive Chromium", "install nodejs")
        version = subprocess.run([node, "--version"], stdout=subprocess.PIPE).stdout.decode()
        major = int(re.match(r"v(\d+)", version).group(1))
        self.assertGreaterEqual(major, 20, f"playwright-core needs Node.js 20 or newer, not {version}")
        work = os.path.join(build_dir(), "collector-ui-test")
        npm_install(os.path.join(HERE, "ui"), work)
        fixture = Fixture()
        with Collector(AGENTHUB) as collector:
            status, answer = collector.post_otlp_json("traces", fixture.traces)
            self.assertEqual(status, 200)
            self.assertNotIn("rejectedSpans", answer.get("partialSuccess", {}), answer)
            status, _ = collector.post_otlp_json("logs", fixture.logs)
            self.assertEqual(status, 200)
            collector.wait_for_trace(fixture.error_trace, 5)
            collector.wait_for_trace(fixture.ok_trace, 2)
            config = dict(fixture.check_config(), base=collector.base, chromium=chromium,
                          screenshotDir=work)
            # ES modules resolve packages from the script's own folder (not
            # NODE_PATH), so the script runs beside the installed node_modules.
            script = shutil.copy(os.path.join(HERE, "ui", "ui_check.mjs"), work)
            result = subprocess.run(
                [node, script, json.dumps(config)], cwd=work,
                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=180)
            output = result.stdout.decode(errors="replace")
            print(output)
            self.assertEqual(result.returncode, 0,
                             "ui_check.mjs failed:\n" + output + "\ncollector stderr:\n"
                             + collector.stderr_text())
            self.assertIn("ui_check: all checks passed", output)
            for name in ["collector-ui-search.png", "collector-ui-trace.png"]:
                path = os.path.join(work, name)
                self.assertTrue(os.path.getsize(path) > 10_000, path)


def main():
    global AGENTHUB
    parser = argparse.ArgumentParser()
    parser.add_argument("--agenthub", required=True)
    args, rest = parser.parse_known_args()
    AGENTHUB = os.path.abspath(args.agenthub)
    unittest.main(argv=[sys.argv[0], *rest], verbosity=2)


if __name__ == "__main__":
    main()
