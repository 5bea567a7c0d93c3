#!/usr/bin/python3
"""The demo agents (`agenthub subscriber`, `agenthub publisher`) and the
example agent (examples/custom_agent) as real processes, with a real broker
and collector: what each task type answers, and the exact span tree each
task leaves in the collector (names, parent links, services, attributes,
errors), read from /api/traces/{id}.

Usage: demo_agents_test.py --agenthub PATH [unittest args]
"""
import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.error
import urllib.request

AGENTHUB = None
STACK = None
HOPS = ["publish_event", "route_task", "consume_event", "process_task", "publish_result",
        "route_result", "consume_result"]
SERVICE = {"publish_event": "agenthub-publisher", "route_task": "agenthub-broker",
           "consume_event": "agenthub-subscriber", "process_task": "agenthub-subscriber",
           "publish_result": "agenthub-subscriber", "route_result": "agenthub-broker",
           "consume_result": "agenthub-publisher"}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http_get(url, timeout=5):
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()
    except OSError:
        return None, b""


class Stack:
    """A collector, a broker and the demo subscriber on free loopback ports,
    exporting to the collector with short batch delays."""

    def __init__(self):
        self.dir = tempfile.TemporaryDirectory(prefix="agenthub-agents-test-")
        self.otlp_port, self.query_port = free_port(), free_port()
        self.broker_port = free_port()
        self.procs = []
        clean = {k: v for k, v in os.environ.items()
                 if not k.startswith(("OTEL_", "AGENTHUB_"))}
        self.env = dict(clean, OTEL_EXPORTER_OTLP_ENDPOINT=f"http://127.0.0.1:{self.otlp_port}",
                        OTEL_BSP_SCHEDULE_DELAY="100", OTEL_METRICS_EXPORTER="none",
                        OTEL_LOGS_EXPORTER="none")
        self.start("collector", ["collector", "--host", "127.0.0.1", "--otlp-grpc-port",
                                 str(self.otlp_port), "--otlp-http-port", str(free_port()),
                                 "--ui-port", str(self.query_port), "--health-port",
                                 str(free_port()), "--db", os.path.join(self.dir.name, "t.db")],
                   f"http://127.0.0.1:{self.query_port}/api/services", env=clean)
        broker_health = free_port()
        self.start("broker", ["broker", "--host", "127.0.0.1", "--port", str(self.broker_port),
                              "--health-port", str(broker_health)],
                   f"http://127.0.0.1:{broker_health}/ready")
        sub_health = free_port()
        self.start("subscriber", ["subscriber", "--broker", self.broker, "--health-port",
                                  str(sub_health)], f"http://127.0.0.1:{sub_health}/ready")

    @property
    def broker(self):
        return f"127.0.0.1:{self.broker_port}"

    def start(self, name, args, ready_url, env=None):
        log = open(os.path.join(self.dir.name, name + ".log"), "wb")
        proc = subprocess.Popen([AGENTHUB, *args], stdout=log, stderr=subprocess.STDOUT,
                                env=env or self.env)
        self.procs.append((name, proc, log))
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise AssertionError(f"{name} exited with {proc.returncode}: {self.log(name)}")
            if http_get(ready_url, timeout=1)[0] == 200:
                return
            time.sleep(0.1)
        raise AssertionError(f"{name} not ready: {self.log(name)}")

    def log(self, name):
        with open(os.path.join(self.dir.name, name + ".log"), errors="replace") as f:
            return f.read()[-3000:]

    def publish(self, *args, timeout=60):
        """Runs `agenthub publisher ARGS`; (exit code, [outcome dicts], stderr)."""
        result = subprocess.run(
            [AGENTHUB, "publisher", "--broker", self.broker, "--health-port", "-1", *args],
            capture_output=True, text=True, env=self.env, timeout=timeout)
        outcomes = []
        for line in result.stdout.splitlines():
            fields = line.split("  ", 5)
            if len(fields) == 6 and fields[4].startswith("trace_id="):
                outcomes.append({"task_id": fields[0], "type": fields[1], "status": fields[2],
                                 "trace_id": fields[4][len("trace_id="):],
                                 "detail": fields[5]})
        return result.returncode, outcomes, result.stderr

    def trace(self, trace_id, min_spans=7, timeout=20):
        """The Jaeger trace once it has all seven hops and `min_spans` spans."""
        deadline = time.monotonic() + timeout
        last = None
        while time.monotonic() < deadline:
            status, body = http_get(f"http://127.0.0.1:{self.query_port}/api/traces/{trace_id}")
            if status == 200:
                trace = json.loads(body)["data"][0]
                names = [s["operationName"] for s in trace["spans"]]
                if all(h in names for h in HOPS) and len(names) >= min_spans:
                    return trace
                last = names
            time.sleep(0.1)
        raise AssertionError(f"trace {trace_id} incomplete after {timeout} s: {last}")

    def close(self):
        for name, proc, log in reversed(self.procs):
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            log.close()
        self.dir.cleanup()


class Span:
    def __init__(self, raw, processes):
        self.raw = raw
        self.id = raw["spanID"]
        self.name = raw["operationName"]
        self.service = processes[raw["processID"]]["serviceName"]
        self.tags = {t["key"]: t["value"] for t in raw["tags"]}
        parents = [r["spanID"] for r in raw["references"] if r["refType"] == "CHILD_OF"]
        self.parent = parents[0] if parents else None
        self.events = [{f["key"]: f["value"] for f in log["fields"]} for log in raw["logs"]]

    @property
    def error(self):
        return self.tags.get("otel.status_code") == "ERROR"


def spans_of(trace):
    return [Span(s, trace["processes"]) for s in trace["spans"]]


def one(spans, name):
    found = [s for s in spans if s.name == name]
    assert len(found) == 1, f"{len(found)} spans named {name}: {[s.name for s in spans]}"
    return found[0]


class DemoAgentsTest(unittest.TestCase):
    def run_one(self, task_type, *params, extra=()):
        args = ["--type", task_type]
        for p in params:
            args += ["--param", p]
        code, outcomes, stderr = STACK.publish(*args, *extra)
        self.assertEqual(len(outcomes), 1, stderr)
        return code, outcomes[0]

    def assert_seven_hops(self, trace, trace_id):
        """The spine of docs/reference/spans.md: each hop once, each the child of the
        one before, from the right service, all in one trace."""
        spans = spans_of(trace)
        self.assertEqual({s.raw["traceID"] for s in spans}, {trace_id})
        parent = None
        for name in HOPS:
            span = one(spans, name)
            self.assertEqual(span.service, SERVICE[name], name)
            self.assertEqual(span.parent, parent.id if parent else None, name)
            parent = span
        return spans

    def test_math_operations_compute_their_results(self):
        cases = [("add", 42, 58, 100), ("subtract", 42, 58, -16), ("multiply", 21, 58, 1218),
                 ("divide", 29, 58, 0.5)]
        for op, a, b, want in cases:
            with self.subTest(op=op):
                code, o = self.run_one("math_calculation", f"operation={op}", f"a={a}", f"b={b}")
                self.assertEqual(code, 0, o)
                self.assertEqual(o["status"], "COMPLETED")
                self.assertEqual(json.loads(o["detail"])["result"], want)

    def test_math_trace_has_validate_and_compute_under_process_task(self):
        code, o = self.run_one("math_calculation", "operation=multiply", "a=6", "b=7")
        self.assertEqual(code, 0, o)
        trace = STACK.trace(o["trace_id"], min_spans=12)
        spans = self.assert_seven_hops(trace, o["trace_id"])
        # Exactly these: the hops, the handler's two steps, three progress routes.
        self.assertEqual(sorted(s.name for s in spans),
                         sorted(HOPS + ["validate_input", "compute_result"] +
                                ["route_progress"] * 3))
        process = one(spans, "process_task")
        validate, compute = one(spans, "validate_input"), one(spans, "compute_result")
        self.assertEqual(validate.parent, process.id)
        self.assertEqual(compute.parent, process.id)
        self.assertEqual(validate.service, "agenthub-subscriber")
        self.assertLess(validate.raw["startTime"], compute.raw["startTime"])
        self.assertEqual(compute.tags["math.result"], 42)
        self.assertEqual(process.tags["task.type"], "math_calculation")
        self.assertEqual(process.tags["task.parameter.operation"], "multiply")
        self.assertEqual(process.tags["task.parameter.a"], 6)
        self.assertEqual(process.tags["processing.status"], "completed")
        publish = one(spans, "publish_event")
        self.assertEqual(publish.tags["span.kind"], "producer")
        self.assertEqual(publish.tags["event.type"], "math_calculation")
        self.assertEqual(publish.tags["event.id"], o["task_id"])
        self.assertEqual(publish.tags["responder.agent"], "agent_demo_subscriber")
        self.assertEqual(one(spans, "route_task").tags["source.agent"], "agent_demo_publisher")
        self.assertEqual(one(spans, "route_task").tags["target.agent"], "agent_demo_subscriber")
        self.assertEqual(one(spans, "consume_event").tags["span.kind"], "consumer")
        self.assertEqual(one(spans, "consume_event").tags["messaging.operation"], "receive")
        self.assertEqual(one(spans, "publish_result").tags["result.status"], "success")
        self.assertEqual(one(spans, "consume_result").tags["span.kind"], "consumer")
        self.assertFalse([s.name for s in spans if s.error])
        # Progress (25, 50, 100) goes through the broker inside process_task.
        progress = [s for s in spans if s.name == "route_progress"]
        self.assertEqual(len(progress), 3)
        self.assertTrue(all(s.parent == process.id for s in progress))

    def test_division_by_zero_fails_with_a_clear_error_on_its_spans(self):
        code, o = self.run_one("math_calculation", "operation=divide", "a=1", "b=0")
        self.assertEqual(code, 0)  # a FAILED result is still a result
        self.assertEqual(o["status"], "FAILED")
        self.assertEqual(o["detail"], "error: division by zero: cannot divide 1 by 0")
        trace = STACK.trace(o["trace_id"], min_spans=9)
        spans = self.assert_seven_hops(trace, o["trace_id"])
        compute = one(spans, "compute_result")
        self.assertTrue(compute.error)
        self.assertEqual(compute.tags["error.type"], "division_by_zero")
        self.assertIn("exception", [e["event"] for e in compute.events])
        process = one(spans, "process_task")
        self.assertTrue(process.error)
        self.assertEqual(process.tags["error.type"], "division_by_zero")
        self.assertEqual(process.tags["processing.status"], "failed")
        exception = next(e for e in process.events if e["event"] == "exception")
        self.assertIn("division by zero", exception["exception.message"])
        self.assertEqual(one(spans, "publish_result").tags["result.status"], "failure")
        self.assertTrue(one(spans, "consume_result").error)

    def test_random_number_is_determined_by_the_seed(self):
        numbers = set()
        for _ in range(2):
            code, o = self.run_one("random_number", "seed=12345")
            self.assertEqual(code, 0)
            numbers.add(json.loads(o["detail"])["random_number"])
        # mt19937_64's sequence is fixed by the C++ standard: 346 everywhere.
        self.assertEqual(numbers, {346})
        _, other = self.run_one("random_number", "seed=7")
        value = json.loads(other["detail"])["random_number"]
        self.assertTrue(0 <= value <= 999)
        self.assertNotEqual(value, 346)
        trace = STACK.trace(other["trace_id"])
        self.assertEqual(one(spans_of(trace), "process_task").tags["random.number"], value)

    def test_unknown_type_fails_with_unknown_task_type_on_its_spans(self):
        code, o = self.run_one("translate_poem")
        self.assertEqual(code, 0)
        self.assertEqual(o["status"], "FAILED")
        self.assertEqual(o["detail"], "error: unknown task type: translate_poem")
        spans = self.assert_seven_hops(STACK.trace(o["trace_id"]), o["trace_id"])
        process = one(spans, "process_task")
        self.assertTrue(process.error)
        self.assertEqual(process.tags["error.type"], "unknown_task_type")
        self.assertEqual(process.tags["otel.status_description"],
                         "unknown task type: translate_poem")
        exception = next(e for e in process.events if e["event"] == "exception")
        self.assertEqual(exception["exception.message"], "unknown task type: translate_poem")
        self.assertEqual(one(spans, "publish_result").tags["result.status"], "failure")
        self.assertTrue(one(spans, "consume_result").error)

    def test_baggage_reaches_the_handler_and_is_recorded_on_its_span(self):
        code, premium = self.run_one("greeting", "name=Ada", extra=["--baggage", "user.tier=premium"])
        self.assertEqual(code, 0)
        self.assertIn("Thank you for being a premium member", premium["detail"])
        process = one(spans_of(STACK.trace(premium["trace_id"])), "process_task")
        self.assertEqual(process.tags["user.tier"], "premium")
        self.assertEqual(process.tags["task.parameter.name"], "Ada")

        _, standard = self.run_one("greeting", "name=Ada")
        self.assertEqual(json.loads(standard["detail"])["greeting"], "Hello, Ada!")
        process = one(spans_of(STACK.trace(standard["trace_id"])), "process_task")
        self.assertEqual(process.tags["user.tier"], "standard")

    def test_the_four_demo_tasks_by_default(self):
        code, outcomes, stderr = STACK.publish("--baggage", "user.tier=premium")
        self.assertEqual(code, 0, stderr)
        self.assertEqual([(o["type"], o["status"]) for o in outcomes],
                         [("greeting", "COMPLETED"), ("math_calculation", "COMPLETED"),
                          ("random_number", "COMPLETED"), ("unknown_task_type_demo", "FAILED")])
        self.assertEqual(len({o["trace_id"] for o in outcomes}), 4)

    def test_publisher_exits_non_zero_when_no_result_arrives_in_time(self):
        started = time.monotonic()
        code, outcomes, stderr = STACK.publish("--type", "greeting", "--responder", "nobody_home",
                                               "--timeout", "1")
        self.assertNotEqual(code, 0, stderr)
        self.assertEqual(len(outcomes), 1)
        self.assertEqual(outcomes[0]["status"], "timed_out")
        self.assertLess(time.monotonic() - started, 20)


class CustomAgentExampleTest(unittest.TestCase):
    """examples/custom_agent, built next to the agenthub binary, works as
    its README says: a new task type, traced like the demo's."""

    def setUp(self):
        build = os.path.dirname(os.path.dirname(AGENTHUB))
        self.binary = os.path.join(build, "examples", "word_count_agent")
        if not os.access(self.binary, os.X_OK):
            raise AssertionError(f"{self.binary} was not built (examples/CMakeLists.txt)")
        health = free_port()
        env = dict(STACK.env, AGENTHUB_BROKER_ADDR=STACK.broker, HEALTH_PORT=str(health))
        log = open(os.path.join(STACK.dir.name, "word_count_agent.log"), "wb")
        self.proc = subprocess.Popen([self.binary], stdout=log, stderr=subprocess.STDOUT,
                                     env=env)
        self.addCleanup(log.close)
        self.addCleanup(self.stop)
        deadline = time.monotonic() + 30
        while http_get(f"http://127.0.0.1:{health}/ready", timeout=1)[0] != 200:
            self.assertIsNone(self.proc.poll(), "word_count_agent exited")
            self.assertLess(time.monotonic(), deadline, "word_count_agent not ready")
            time.sleep(0.1)

    def stop(self):
        self.proc.terminate()
        self.assertEqual(self.proc.wait(timeout=20), 0)

    def test_counts_words_and_traces_its_own_span(self):
        code, outcomes, stderr = STACK.publish(
            "--responder", "agent_word_count", "--type", "word_count", "--param",
            "text=the quick brown fox jumps")
        self.assertEqual(code, 0, stderr)
        o = outcomes[0]
        self.assertEqual(o["status"], "COMPLETED")
        self.assertEqual(json.loads(o["detail"]),
                         {"words": 5, "characters": 25, "longest_word": "quick"})
        trace = STACK.trace(o["trace_id"], min_spans=8)
        spans = spans_of(trace)
        process = one(spans, "process_task")
        self.assertEqual(process.service, "word-count-agent")
        self.assertEqual(process.tags["word_count.words"], 5)
        self.assertEqual(one(spans, "tokenize").parent, process.id)

    def test_missing_text_fails_with_its_error_type(self):
        _, outcomes, _ = STACK.publish("--responder", "agent_word_count", "--type", "word_count")
        self.assertEqual(outcomes[0]["status"], "FAILED")
        self.assertEqual(outcomes[0]["detail"], "error: parameter 'text' is required")
        process = one(spans_of(STACK.trace(outcomes[0]["trace_id"])), "process_task")
        self.assertEqual(process.tags["error.type"], "invalid_input")


def main():
    global AGENTHUB, STACK
    parser = argparse.ArgumentParser()
    parser.add_argument("--agenthub", required=True)
    args, rest = parser.parse_known_args()
    AGENTHUB = os.path.abspath(args.agenthub)
    STACK = Stack()
    try:
        program = unittest.main(argv=[sys.argv[0]] + rest, verbosity=2, exit=False)
    finally:
        STACK.close()
    sys.exit(0 if program.result.wasSuccessful() else 1)


if __name__ == "__main__":
    main()
