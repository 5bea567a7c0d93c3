#!/usr/bin/python3
"""At-least-once delivery with real processes (docs/explanation/delivery.md).

Agents are Python gRPC clients generated from proto/eventbus.proto, as an
agent written for the original AgentHub would be; the ones that fail run as
child processes so they can really be SIGKILLed or hung.

* A subscriber SIGKILLed with tasks in hand: every task is redelivered and
  completed, once; the trace of a redelivered task holds both attempts
  (route_task, then redeliver_task with previous_outcome=stream_ended, read
  back from a real collector) and the consumer's message carries attempt 2.
* A consumer that reads but never answers, and one that stops reading: their
  leased tasks are redelivered when --ack-wait runs out, and the one that
  stopped reading was fed no more than its window.
* A dead letter is listed and re-driven over the broker's HTTP admin route.

Each fault test prints published / delivered / redelivered / failed / lost.

Usage: delivery_process_test.py --agenthub PATH [unittest args]
"""
import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import urllib.error
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import broker_process_test as bpt  # noqa: E402  (Broker, stubs, helpers)
from collector_harness import Collector  # noqa: E402

AGENTHUB = None
STUBS = None
pb = rpc = grpc = None
ATTEMPT_KEY = "agenthub.delivery_attempt"

# A child agent: subscribes as argv[1], prints each task id and attempt as it
# reads it, never answers. With "hang" it reads nothing until its stdin closes,
# then reads for a second and prints how many tasks were waiting for it.
CHILD_AGENT = r"""
import sys, time, grpc, eventbus_pb2 as pb, eventbus_pb2_grpc as rpc, threading
agent, mode, port = sys.argv[1], sys.argv[2], sys.argv[3]
channel = grpc.insecure_channel("127.0.0.1:" + port)
stub = rpc.EventBusStub(channel)
call = stub.SubscribeToTasks(pb.SubscribeToTasksRequest(agent_id=agent))
call.initial_metadata()
print("subscribed", flush=True)
if mode == "hang":
    sys.stdin.read()
    got = []
    def drain():
        for m in call:
            got.append(m.task_id)
    threading.Thread(target=drain, daemon=True).start()
    time.sleep(1.5)
    print("drained %d" % len(got), flush=True)
    sys.exit(0)
for m in call:
    key = "ATTEMPT_KEY"
    print("task %s %d" % (m.task_id, int(m.metadata[key]) if key in m.metadata else 0), flush=True)
""".replace("ATTEMPT_KEY", ATTEMPT_KEY)


class ChildAgent:
    def __init__(self, agent, mode, port):
        env = dict(os.environ, PYTHONPATH=STUBS)
        self.proc = subprocess.Popen([sys.executable, "-c", CHILD_AGENT, agent, mode, str(port)],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                                     env=env)
        self.lines = []
        self.cond = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()
        self.wait_for(lambda lines: "subscribed" in lines)

    def _read(self):
        for line in self.proc.stdout:
            with self.cond:
                self.lines.append(line.strip())
                self.cond.notify_all()

    def wait_for(self, predicate, timeout=30):
        with self.cond:
            if not self.cond.wait_for(lambda: predicate(self.lines), timeout):
                raise AssertionError("child agent: %s" % self.lines[-5:])

    def tasks(self):
        with self.cond:
            return [l.split()[1] for l in self.lines if l.startswith("task ")]

    def kill(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=10)


def attempt_of(message):
    return int(message.metadata[ATTEMPT_KEY]) if ATTEMPT_KEY in message.metadata else 0


class AnsweringAgent:
    """Reads its task stream on a thread and answers each task COMPLETED."""

    def __init__(self, stub, agent):
        self.stub = stub
        self.agent = agent
        self.seen = []  # (task_id, attempt, traceparent)
        self.call = stub.SubscribeToTasks(pb.SubscribeToTasksRequest(agent_id=agent))
        self.call.initial_metadata()
        self.lock = threading.Lock()
        threading.Thread(target=self._run, daemon=True).start()

    def _run(self):
        try:
            for m in self.call:
                tp = ""
                if "trace_headers" in m.metadata and "traceparent" in m.metadata["trace_headers"]:
                    tp = m.metadata["trace_headers"]["traceparent"]
                with self.lock:
                    self.seen.append((m.task_id, attempt_of(m), tp))
                result = pb.TaskResult(task_id=m.task_id, status=pb.TASK_STATUS_COMPLETED,
                                       executor_agent_id=self.agent)
                if tp:  # the trace goes on through the result, as an agent's would
                    result.execution_metadata.update({"trace_headers": {"traceparent": tp}})
                self.stub.PublishTaskResult(pb.PublishTaskResultRequest(result=result))
        except grpc.RpcError:
            pass

    def snapshot(self):
        with self.lock:
            return list(self.seen)


def traceparent(i):
    return "00-%032x-%016x-01" % (0xABC0000 + i, 0xF00 + i)


def metric(text, name, labels=""):
    total = 0.0
    for line in text.splitlines():
        if line.startswith(name) and not line.startswith("#") and labels in line:
            head = line.split()[0]
            if head == name or head.startswith(name + "{"):
                total += float(line.split()[-1])
    return total


def report(test, published, delivered, redelivered, failed, lost):
    print("\n[%s] published=%d delivered=%d redelivered=%d failed=%d lost=%d"
          % (test, published, delivered, redelivered, failed, lost), flush=True)


class SubscriberKilled(unittest.TestCase):
    def test_tasks_held_by_a_sigkilled_subscriber_are_redelivered_and_complete(self):
        with Collector(AGENTHUB) as collector:
            # The broker exports its spans to the collector, quickly.
            broker = bpt.Broker("--task-window", "8", "--ack-wait", "30s", env_overrides={
                "OTEL_TRACES_EXPORTER": "otlp",
                "OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:%d" % collector.grpc_port,
                "OTEL_BSP_SCHEDULE_DELAY": "100"})
            try:
                self._run(broker, collector)
            finally:
                self.assertEqual(broker.stop(), 0)

    def _run(self, broker, collector):
        stub = broker.stub
        results = bpt.StreamCollector(stub.SubscribeToTaskResults(
            pb.SubscribeToTaskResultsRequest(requester_agent_id="py-publisher")))
        results.call.initial_metadata()
        victim = ChildAgent("worker", "hold", broker.port)
        count = 40
        for i in range(count):
            t = bpt.task("k-%d" % i, responder="worker",
                         headers={"traceparent": traceparent(i)})
            self.assertTrue(stub.PublishTask(pb.PublishTaskRequest(task=t)).success)
        victim.wait_for(lambda lines: sum(l.startswith("task ") for l in lines) >= 8)
        held = victim.tasks()
        self.assertEqual(len(held), 8, "the victim was fed beyond its window")
        survivor = AnsweringAgent(stub, "worker")
        victim.kill()
        self.assertTrue(results.wait_for(count, timeout=60),
                        "only %d of %d results" % (len(results.items), count))
        time.sleep(0.5)  # a duplicate would arrive now
        seen = survivor.snapshot()
        by_task = {}
        for task_id, attempt, tp in seen:
            by_task.setdefault(task_id, []).append((attempt, tp))
        result_ids = [r.task_id for r in results.items]
        failed = sum(r.status != pb.TASK_STATUS_COMPLETED for r in results.items)
        redelivered = sum(1 for t in held if any(a >= 2 for a, _ in by_task.get(t, [])))
        report("subscriber SIGKILLed", count, len(set(held) | set(by_task)), redelivered, failed,
               count - len(set(result_ids)))
        self.assertEqual(sorted(result_ids), sorted("k-%d" % i for i in range(count)),
                         "every task gets exactly one result")
        self.assertEqual(failed, 0)
        for t in held:
            self.assertIn(t, by_task, "%s held by the killed subscriber was lost" % t)
            self.assertEqual(by_task[t][0][0], 2, "%s came back as attempt 2" % t)

        # The trace of one redelivered task: both attempts, the second under
        # route_task, the survivor's message carries the second attempt, and
        # its result's route_result hangs under that attempt.
        task_id = held[0]
        i = int(task_id.split("-")[1])
        trace_id = "%032x" % (0xABC0000 + i)
        trace = collector.wait_for_trace(trace_id, 3, timeout=30)
        spans = {s["spanID"]: s for s in trace["spans"]}
        names = sorted(s["operationName"] for s in spans.values())
        route = [s for s in spans.values() if s["operationName"] == "route_task"]
        attempt = [s for s in spans.values() if s["operationName"] == "redeliver_task"]
        self.assertEqual(len(route), 1, names)
        self.assertEqual(len(attempt), 1, names)
        self.assertIn("route_result", names)
        tags = {t["key"]: t["value"] for t in attempt[0]["tags"]}
        self.assertEqual(int(tags["agenthub.delivery.attempt"]), 2)
        self.assertEqual(tags["agenthub.delivery.previous_outcome"], "stream_ended")
        parents = [r["spanID"] for r in attempt[0]["references"] if r["refType"] == "CHILD_OF"]
        self.assertEqual(parents, [route[0]["spanID"]])
        consumer_parent = by_task[task_id][0][1].split("-")[2]
        self.assertEqual(consumer_parent, attempt[0]["spanID"],
                         "the survivor's message must carry the attempt span")
        print("[subscriber SIGKILLed] trace %s: %s" % (trace_id, ", ".join(names)), flush=True)


class LeasesRunOut(unittest.TestCase):
    def test_a_silent_and_a_hung_consumer_lose_their_tasks_to_a_healthy_one(self):
        window = 4
        broker = bpt.Broker("--task-window", str(window), "--ack-wait", "1s")
        try:
            stub = broker.stub
            results = bpt.StreamCollector(stub.SubscribeToTaskResults(
                pb.SubscribeToTaskResultsRequest(requester_agent_id="py-publisher")))
            results.call.initial_metadata()
            hung = ChildAgent("worker", "hang", broker.port)
            silent = ChildAgent("worker", "hold", broker.port)
            count = 16
            # 1 MiB each: the hung consumer's HTTP/2 window cannot take one,
            # so writes to it never finish.
            blob = "h" * (1024 * 1024)
            for i in range(count):
                t = bpt.task("h-%d" % i, responder="worker")
                t.parameters.update({"blob": blob})
                self.assertTrue(stub.PublishTask(pb.PublishTaskRequest(task=t)).success)
            silent.wait_for(lambda lines: sum(l.startswith("task ") for l in lines) >= window)
            healthy = AnsweringAgent(stub, "worker")
            self.assertTrue(results.wait_for(count, timeout=60),
                            "only %d of %d results" % (len(results.items), count))
            time.sleep(0.5)
            seen = healthy.snapshot()
            for r in results.items:
                if r.status != pb.TASK_STATUS_COMPLETED:
                    print("not completed:", r.task_id, r.status, r.error_message)
            _, metrics = broker.http("/metrics")
            hung.proc.stdin.close()  # let it read what was waiting for it
            hung.wait_for(lambda lines: any(l.startswith("drained") for l in lines))
            hung_fed = int([l for l in hung.lines if l.startswith("drained")][0].split()[1])
            silent_tasks = silent.tasks()
            result_ids = [r.task_id for r in results.items]
            failed = sum(r.status != pb.TASK_STATUS_COMPLETED for r in results.items)
            redelivered = int(metric(metrics, "broker_tasks_redelivered_total",
                                     'reason="lease_expired"'))
            delivered = len(set(t for t, _, _ in seen) | set(silent_tasks))
            report("silent + hung consumers", count, delivered, redelivered, failed,
                   count - len(set(result_ids)))
            print("[silent + hung consumers] silent consumer read %d, hung consumer was fed %d "
                  "(window %d), healthy consumer completed %d"
                  % (len(silent_tasks), hung_fed, window, len(seen)), flush=True)
            self.assertEqual(sorted(result_ids), sorted("h-%d" % i for i in range(count)))
            self.assertEqual(failed, 0)
            self.assertLessEqual(hung_fed, window, "the hung consumer was fed beyond its window")
            self.assertGreaterEqual(len(silent_tasks), window)
            for t in set(silent_tasks):
                self.assertIn(t, [s for s, _, _ in seen], "%s of the silent consumer was lost" % t)
            self.assertGreaterEqual(redelivered, len(set(silent_tasks)))
            self.assertEqual(metric(metrics, "broker_duplicate_results_total"), 0)
            silent.kill()
        finally:
            self.assertEqual(broker.stop(), 0)


class DeadLetters(unittest.TestCase):
    def test_exhausted_attempts_fail_the_task_and_an_operator_can_redrive_it(self):
        broker = bpt.Broker("--ack-wait", "200ms", "--max-deliveries", "2")
        try:
            stub = broker.stub
            results = bpt.StreamCollector(stub.SubscribeToTaskResults(
                pb.SubscribeToTaskResultsRequest(requester_agent_id="py-publisher")))
            results.call.initial_metadata()
            silent = ChildAgent("dl-worker", "hold", broker.port)
            stub.PublishTask(pb.PublishTaskRequest(task=bpt.task("dl-1", responder="dl-worker")))
            self.assertTrue(results.wait_for(1))
            verdict = results.items[0]
            self.assertEqual(verdict.status, pb.TASK_STATUS_FAILED)
            self.assertEqual(verdict.executor_agent_id, "agenthub-broker")
            self.assertIn("delivery attempts exhausted", verdict.error_message)
            status, body = broker.http("/admin/dead-letters")
            self.assertEqual(status, 200)
            letters = json.loads(body)
            self.assertEqual(letters["count"], 1)
            self.assertEqual(letters["dead_letters"][0]["task_id"], "dl-1")
            self.assertEqual(letters["dead_letters"][0]["attempts"], 2)
            silent.kill()
            worker = AnsweringAgent(stub, "dl-worker")
            request = urllib.request.Request(
                "http://127.0.0.1:%d/admin/dead-letters/dl-1/redrive" % broker.health_port,
                data=b"", method="POST")
            with urllib.request.urlopen(request, timeout=10) as r:
                self.assertEqual(r.status, 200)
                self.assertTrue(json.loads(r.read())["redriven"])
            self.assertTrue(results.wait_for(2))
            self.assertEqual(results.items[1].status, pb.TASK_STATUS_COMPLETED,
                             results.items[1].error_message)
            self.assertEqual(worker.snapshot()[0][1], 3)
            _, metrics = broker.http("/metrics")
            self.assertEqual(metric(metrics, "broker_tasks_dead_lettered_total"), 1)
            self.assertEqual(metric(metrics, "broker_tasks_redriven_total"), 1)
            with self.assertRaises(urllib.error.HTTPError) as missing:
                urllib.request.urlopen(urllib.request.Request(
                    "http://127.0.0.1:%d/admin/dead-letters/nope/redrive" % broker.health_port,
                    data=b"", method="POST"), timeout=10)
            self.assertEqual(missing.exception.code, 404)
        finally:
            self.assertEqual(broker.stop(), 0)


def main():
    global AGENTHUB, STUBS, pb, rpc, grpc
    parser = argparse.ArgumentParser()
    parser.add_argument("--agenthub", required=True)
    args, rest = parser.parse_known_args()
    AGENTHUB = os.path.abspath(args.agenthub)
    import grpc as grpc_module
    grpc = grpc_module
    STUBS = tempfile.mkdtemp(prefix="agenthub-py-stubs-")
    bpt.generate_stubs(STUBS)
    import eventbus_pb2
    import eventbus_pb2_grpc
    pb, rpc = eventbus_pb2, eventbus_pb2_grpc
    bpt.AGENTHUB, bpt.pb, bpt.rpc, bpt.grpc = AGENTHUB, pb, rpc, grpc
    unittest.main(argv=[sys.argv[0], *rest], verbosity=2)


if __name__ == "__main__":
    main()
