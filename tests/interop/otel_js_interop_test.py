#!/usr/bin/python3
"""Interop with an OpenTelemetry SDK that is not ours: the OpenTelemetry
JavaScript SDK (@opentelemetry/sdk-trace-base) with its three OTLP trace
exporters (gRPC, HTTP/protobuf, HTTP/JSON), pinned in package-lock.json and
installed by this test from the npm registry into the build tree, sends a
trace to a real `agenthub collector` (send_spans.mjs). The spans, as the SDK
finished them, are then read back from the Jaeger-compatible API
(/api/traces/{id}) and compared field by field.

What Jaeger's JSON cannot carry is not checked here: link attributes and
trace state (a link is a bare FOLLOWS_FROM reference), dropped counts, and
time below the microsecond (the API speaks in microseconds).

Needs node and npm (scripts/install-deps) and the npm registry; FAILS, not
skips, without them.

Usage: otel_js_interop_test.py --agenthub PATH [unittest args]
"""
import argparse
import json
import os
import subprocess
import sys
import unittest
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "process"))
from collector_harness import Collector, build_dir, npm_install, require_tool  # noqa: E402

AGENTHUB = None
# The JavaScript API's SpanKind and SpanStatusCode numbering (not OTLP's).
KINDS = {0: "internal", 1: "server", 2: "client", 3: "producer", 4: "consumer"}
STATUS = {0: None, 1: "OK", 2: "ERROR"}


def jaeger_tag(key, value):
    """A JavaScript attribute as the collector's Jaeger JSON must show it."""
    if isinstance(value, bool):
        return {"key": key, "type": "bool", "value": value}
    if isinstance(value, int):
        return {"key": key, "type": "int64", "value": value}
    if isinstance(value, float):
        return {"key": key, "type": "float64", "value": value}
    if isinstance(value, list):
        # Arrays become their JSON text, as Jaeger's own OTLP translation does.
        text = json.dumps(value, separators=(",", ":"), ensure_ascii=False)
        return {"key": key, "type": "string", "value": text}
    return {"key": key, "type": "string", "value": value}


def micros(ns_text):
    return int(ns_text) // 1000


class JsSdkInterop(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.node = require_tool("node", "to run the OpenTelemetry JavaScript SDK",
                                "install nodejs")
        cls.work = os.path.join(build_dir(), "otel-js-interop")
        npm_install(HERE, cls.work)
        cls.collector = Collector(AGENTHUB)

    @classmethod
    def tearDownClass(cls):
        cls.collector.close()

    def send(self, protocol):
        c = self.collector
        endpoint = (f"http://127.0.0.1:{c.grpc_port}" if protocol == "grpc"
                    else f"http://127.0.0.1:{c.http_port}/v1/traces")
        # ES modules resolve packages from the script's folder: run it beside
        # the installed node_modules.
        script = os.path.join(self.work, "send_spans.mjs")
        with open(os.path.join(HERE, "send_spans.mjs"), "rb") as src, open(script, "wb") as dst:
            dst.write(src.read())
        result = subprocess.run([self.node, script, protocol, endpoint], cwd=self.work,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)
        stderr = result.stderr.decode(errors="replace")
        self.assertEqual(result.returncode, 0, f"send_spans.mjs {protocol}:\n{stderr}")
        # The SDK's exporters log export failures instead of throwing.
        self.assertNotIn("rror", stderr, f"the {protocol} exporter reported:\n{stderr}")
        sent = json.loads(result.stdout.decode().strip().splitlines()[-1])
        self.assertEqual(len(sent["spans"]), 6)
        return sent["spans"]

    def check_protocol(self, protocol):
        spans = self.send(protocol)
        by_trace = {}
        for span in spans:
            by_trace.setdefault(span["traceId"], []).append(span)
        for trace_id, sent in by_trace.items():
            stored = self.collector.wait_for_trace(trace_id, len(sent))
            self.assertEqual(stored["traceID"], trace_id)
            self.assertEqual(len(stored["spans"]), len(sent), "no span lost or duplicated")
            got = {s["spanID"]: s for s in stored["spans"]}
            for span in sent:
                with self.subTest(protocol=protocol, span=span["name"]):
                    self.assertIn(span["spanId"], got)
                    self.check_span(span, got[span["spanId"]], stored["processes"])
        service = spans[0]["resource"]["service.name"]
        self.check_search(service, spans)

    def check_span(self, sent, got, processes):
        self.assertEqual(got["traceID"], sent["traceId"])
        self.assertEqual(got["operationName"], sent["name"])
        self.assertEqual(got["flags"], sent["traceFlags"])
        self.assertEqual(got["startTime"], micros(sent["startTimeUnixNano"]))
        self.assertEqual(got["duration"],
                         (int(sent["endTimeUnixNano"]) - int(sent["startTimeUnixNano"])) // 1000)

        # Parent and links as references.
        refs = [(r["refType"], r["traceID"], r["spanID"]) for r in got["references"]]
        expected = []
        if sent["parentSpanId"]:
            expected.append(("CHILD_OF", sent["traceId"], sent["parentSpanId"]))
        expected += [("FOLLOWS_FROM", link["traceId"], link["spanId"]) for link in sent["links"]]
        self.assertEqual(refs, expected)

        # Attributes first, in order and type, then the derived tags.
        tags = got["tags"]
        attributes = [jaeger_tag(k, v) for k, v in sent["attributes"].items()]
        self.assertEqual(tags[:len(attributes)], attributes)
        derived = {t["key"]: t["value"] for t in tags[len(attributes):]}
        self.assertEqual(derived.get("span.kind"), KINDS[sent["kind"]])
        self.assertEqual(derived.get("otel.status_code"), STATUS[sent["status"]["code"]])
        self.assertEqual(derived.get("error"), True if sent["status"]["code"] == 2 else None)
        self.assertEqual(derived.get("otel.status_description"),
                         sent["status"]["message"] or None)
        self.assertEqual(derived.get("otel.scope.name"), sent["scope"]["name"])
        self.assertEqual(derived.get("otel.scope.version"), sent["scope"]["version"] or None)
        self.assertEqual(derived.get("w3c.tracestate"), sent["traceState"] or None)

        # Events as logs: time, name, attributes.
        self.assertEqual(len(got["logs"]), len(sent["events"]))
        for log, event in zip(got["logs"], sent["events"]):
            self.assertEqual(log["timestamp"], micros(event["timeUnixNano"]))
            self.assertEqual(log["fields"],
                             [{"key": "event", "type": "string", "value": event["name"]}]
                             + [jaeger_tag(k, v) for k, v in event["attributes"].items()])

        # Resource: service.name names the process, the rest are its tags.
        process = processes[got["processID"]]
        resource = dict(sent["resource"])
        self.assertEqual(process["serviceName"], resource.pop("service.name"))
        self.assertEqual(process["tags"], [jaeger_tag(k, v) for k, v in resource.items()])

    def check_search(self, service, spans):
        c = self.collector
        status, body = c.get_json("/api/services")
        self.assertEqual(status, 200)
        self.assertIn(service, body["data"])
        status, body = c.get_json(f"/api/services/{urllib.parse.quote(service)}/operations")
        self.assertEqual(sorted(body["data"]), sorted({s["name"] for s in spans}))
        root = next(s for s in spans if s["name"] == "interop-root")
        # Typed attribute values are found by their text, as in Jaeger.
        query = urllib.parse.urlencode({"service": service, "tags": json.dumps(
            {"int.attr": "42", "bool.true": "true", "double.attr": "3.25"})})
        status, body = c.get_json(f"/api/traces?{query}")
        self.assertEqual(status, 200, body)
        self.assertEqual([t["traceID"] for t in body["data"]], [root["traceId"]])

    def test_grpc_exporter(self):
        self.check_protocol("grpc")

    def test_http_protobuf_exporter(self):
        self.check_protocol("http/protobuf")

    def test_http_json_exporter(self):
        self.check_protocol("http/json")


def main():
    global AGENTHUB
    parser = argparse.ArgumentParser()
    parser.add_argument("--agenthub", required=True)
    args, rest = parser.parse_known_args()
    AGENTHUB = os.path.abspath(args.agenthub)
    unittest.main(argv=[sys.argv[0], *rest], verbosity=2)


if __name__ == "__main__":
    main()
