#!/usr/bin/python3
"""`agenthub demo` as a user runs it: four real child processes on loopback.

* It exits 0 and prints, for each of the four demo tasks, a complete trace
  tree read back from the collector (seven hops, the unknown type's error),
  then the trace UI and /metrics URLs.
* It refuses at once, naming the port, when one of its ports is taken.
* --keep keeps every process serving until Ctrl-C, which stops them all.
* Its children never outlive it, even when the demo is SIGKILLed.

Usage: demo_test.py --agenthub PATH [unittest args]
"""
import argparse
import os
import random
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.request

AGENTHUB = None
PORT_NAMES = ["otlp_grpc", "otlp_http", "ui", "collector_health", "broker", "broker_health",
              "publisher_health", "subscriber_health"]


def port_is_free(port):
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("0.0.0.0", port))
            return True
        except OSError:
            return False


def free_port_block(count=8):
    """The first of `count` consecutive free ports, for --ports-from. Below
    Linux's ephemeral range (32768+), where the free_port() of other tests
    and every outgoing connection take theirs."""
    low, _ = (int(v) for v in open("/proc/sys/net/ipv4/ip_local_port_range").read().split())
    for _ in range(200):
        first = random.randrange(20000, max(low, 20000 + 1000) - count)
        if all(port_is_free(first + i) for i in range(count)):
            return first
    raise AssertionError("no block of free ports")


def ports_from(first):
    return dict(zip(PORT_NAMES, range(first, first + len(PORT_NAMES))))


def children_of_run_dir(run_dir):
    """Processes whose command line mentions run_dir (the collector's --db).
    The other children are found by the ports they hold."""
    found = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                cmdline = f.read().decode(errors="replace")
        except OSError:
            continue
        if run_dir in cmdline:
            found.append((int(pid), cmdline.replace("\0", " ")))
    return found


def wait_until(predicate, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


def pids_listening_on(ports):
    """Ports of `ports` that something still listens on."""
    return [p for p in ports if not port_is_free(p)]


class DemoRun:
    """`agenthub demo --ports-from N --run-dir D [extra]` with its output
    captured in a file (so a blocked pipe never stalls it)."""

    def __init__(self, *extra, first=None):
        self.first = first or free_port_block()
        self.ports = ports_from(self.first)
        self.tmp = tempfile.TemporaryDirectory(prefix="agenthub-demo-test-")
        self.run_dir = os.path.join(self.tmp.name, "run")
        self.out_path = os.path.join(self.tmp.name, "demo.out")
        self.out = open(self.out_path, "wb")
        self.started = time.monotonic()
        self.proc = subprocess.Popen(
            [AGENTHUB, "demo", "--ports-from", str(self.first), "--run-dir", self.run_dir,
             *extra], stdout=self.out, stderr=subprocess.STDOUT)

    def output(self):
        with open(self.out_path, encoding="utf-8", errors="replace") as f:
            return f.read()

    def wait(self, timeout=180):
        try:
            code = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            raise AssertionError("agenthub demo did not finish in time:\n" + self.output())
        self.seconds = time.monotonic() - self.started
        return code

    def close(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        for pid, _ in children_of_run_dir(self.run_dir):
            os.kill(pid, signal.SIGKILL)
        self.out.close()
        self.tmp.cleanup()


def trace_blocks(output):
    """{task_type: text of its block} from the demo's "[i/4] type ..." blocks."""
    blocks = {}
    for match in re.finditer(r"^\[(\d)/4\] (\S+) (.*?)(?=^\[\d/4\]|^Explore:)", output,
                             re.M | re.S):
        blocks[match.group(2)] = match.group(0)
    return blocks


class DemoCommandTest(unittest.TestCase):
    def run_demo(self, *extra, first=None):
        demo = DemoRun(*extra, first=first)
        self.addCleanup(demo.close)
        return demo

    def test_demo_exits_zero_and_prints_every_complete_trace(self):
        demo = self.run_demo()
        code = demo.wait()
        out = demo.output()
        self.assertEqual(code, 0, out)
        print(f"\n[demo wall time: {demo.seconds:.1f} s]", file=sys.stderr)
        blocks = trace_blocks(out)
        self.assertEqual(sorted(blocks), ["greeting", "math_calculation", "random_number",
                                          "unknown_task_type_demo"], out)
        hops = ["publish_event (agenthub-publisher)", "route_task (agenthub-broker)",
                "consume_event (agenthub-subscriber)", "process_task (agenthub-subscriber)",
                "publish_result (agenthub-subscriber)", "route_result (agenthub-broker)",
                "consume_result (agenthub-publisher)"]
        for task_type, block in blocks.items():
            with self.subTest(task_type=task_type):
                self.assertIn("✓ complete: all 7 hops under one trace", block)
                self.assertNotIn("✗ missing", block)
                # Each hop nested one level deeper than the one before.
                depths = []
                for hop in hops:
                    line = next(l for l in block.splitlines() if hop in l)
                    depths.append(line.index(hop))
                self.assertEqual(depths, sorted(set(depths)), block)
                self.assertIn(f"event.type: {task_type}", block)
                trace_id = re.search(r"^Trace: ([0-9a-f]{32})$", block, re.M).group(1)
                self.assertIn(f"http://localhost:{demo.ports['ui']}/trace/{trace_id}", out)
        self.assertIn("greeting  COMPLETED", blocks["greeting"])
        self.assertIn("user.tier: premium", blocks["greeting"])
        self.assertIn("Thank you for being a premium member", blocks["greeting"])
        self.assertIn("validate_input (agenthub-subscriber)", blocks["math_calculation"])
        self.assertIn("compute_result (agenthub-subscriber)", blocks["math_calculation"])
        self.assertIn('"result":100', blocks["math_calculation"])
        self.assertIn("task.parameter.seed: 12345", blocks["random_number"])
        unknown = blocks["unknown_task_type_demo"]
        self.assertIn("unknown_task_type_demo  FAILED", unknown)
        self.assertIn("process_task (agenthub-subscriber)", unknown)
        self.assertRegex(unknown, r"process_task \(agenthub-subscriber\) \[[^\]]+\] ✗ ERROR: "
                                  r"unknown task type: unknown_task_type_demo")
        self.assertIn("error.type: unknown_task_type", unknown)
        self.assertIn("exception: unknown_task_type: unknown task type: unknown_task_type_demo",
                      unknown)
        self.assertIn("result.status: failure", unknown)
        for name in ("broker_health", "publisher_health", "subscriber_health",
                     "collector_health"):
            self.assertIn(f"http://localhost:{demo.ports[name]}/metrics", out)
        self.assertIn(f"logs        {demo.run_dir}/", out)
        self.assertIn("✓ demo complete: 4 tasks, 4 complete traces", out)
        # Logs and the trace database stay for a look afterwards.
        for name in ("collector.log", "broker.log", "subscriber.log", "publisher.log",
                     "publisher.out", "traces.db"):
            self.assertTrue(os.path.exists(os.path.join(demo.run_dir, name)), name)
        # Nothing left behind: no child, no port held.
        self.assertEqual(children_of_run_dir(demo.run_dir), [])
        wait_until(lambda: not pids_listening_on(demo.ports.values()), 5, "ports to be free")

    def test_demo_refuses_a_busy_port_and_names_it(self):
        first = free_port_block()
        broker_port = ports_from(first)["broker"]
        busy = socket.socket()
        self.addCleanup(busy.close)
        busy.bind(("127.0.0.1", broker_port))
        busy.listen()
        demo = self.run_demo(first=first)
        code = demo.wait(timeout=30)
        out = demo.output()
        self.assertNotEqual(code, 0, out)
        self.assertIn(f"port {broker_port} (broker gRPC) is in use", out)
        self.assertIn("--ports-from", out)
        self.assertFalse(os.path.exists(os.path.join(demo.run_dir, "collector.log")),
                         "nothing should have been started")

    def test_demo_exits_non_zero_and_says_why_when_tasks_do_not_complete(self):
        # A timeout no publisher can meet: it gives up before any result.
        demo = self.run_demo("--timeout", "0.0001", "--trace-timeout", "2")
        code = demo.wait(timeout=120)
        out = demo.output()
        self.assertEqual(code, 1, out)
        self.assertIn("✗ demo incomplete", out)
        self.assertRegex(out, r"✗ the publisher (reported \d of 4 tasks|exited with status 1)")
        self.assertIn("publisher.log", out)
        self.assertEqual(children_of_run_dir(demo.run_dir), [])
        wait_until(lambda: not pids_listening_on(demo.ports.values()), 5, "ports to be free")

    def test_keep_serves_until_ctrl_c_then_stops_every_process(self):
        demo = self.run_demo("--keep")
        wait_until(lambda: "press Ctrl-C to stop" in demo.output() or demo.proc.poll() is not None,
                   120, "the demo to finish its tasks")
        self.assertIsNone(demo.proc.poll(), demo.output())
        self.assertIn("✓ demo complete", demo.output())
        # Every process still serves, the publisher included.
        for name in ("broker_health", "publisher_health", "subscriber_health",
                     "collector_health"):
            with urllib.request.urlopen(f"http://127.0.0.1:{demo.ports[name]}/metrics",
                                        timeout=10) as r:
                self.assertEqual(r.status, 200, name)
        with urllib.request.urlopen(f"http://127.0.0.1:{demo.ports['ui']}/api/services",
                                    timeout=10) as r:
            self.assertIn(b"agenthub-publisher", r.read())
        others = [pid for pid, _ in children_of_run_dir(demo.run_dir) if pid != demo.proc.pid]
        self.assertEqual(len(others), 1)  # the collector (its --db)
        demo.proc.send_signal(signal.SIGINT)
        self.assertEqual(demo.wait(timeout=60), 0, demo.output())
        wait_until(lambda: not pids_listening_on(demo.ports.values()), 10, "ports to be free")

    def test_children_stop_when_the_demo_is_killed(self):
        demo = self.run_demo("--keep")
        wait_until(lambda: "press Ctrl-C to stop" in demo.output() or demo.proc.poll() is not None,
                   120, "the demo to finish its tasks")
        self.assertIsNone(demo.proc.poll(), demo.output())
        demo.proc.kill()  # no chance to clean up: PR_SET_PDEATHSIG must do it
        demo.proc.wait()
        wait_until(lambda: not pids_listening_on(demo.ports.values()), 30,
                   "the orphaned children to stop: " + str(pids_listening_on(demo.ports.values())))


def main():
    global AGENTHUB
    parser = argparse.ArgumentParser()
    parser.add_argument("--agenthub", required=True)
    args, rest = parser.parse_known_args()
    AGENTHUB = os.path.abspath(args.agenthub)
    unittest.main(argv=[sys.argv[0]] + rest, verbosity=2)


if __name__ == "__main__":
    main()
