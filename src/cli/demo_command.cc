// agenthub demo: the seed's whole flow in one command. Starts the collector,
// the broker, the subscriber and the publisher as separate processes on
// loopback (demo_stack.h), lets the publisher send the four demo tasks,
// then reads each task's trace back from the collector's query API, prints
// it as a tree and checks it is complete (demo_trace.h). Exit 0 only when
// every task ended as it should and every trace is complete.
#include <signal.h>
#include <unistd.h>

#include <climits>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <thread>

#include "agents/agents.h"
#include "cli/commands.h"
#include "cli/demo/demo_stack.h"
#include "cli/demo/trace_check.h"
#include "traceview/traceview.h"

namespace agenthub::cli {
namespace {

using Clock = std::chrono::steady_clock;

volatile std::sig_atomic_t g_interrupted = 0;
void OnInterrupt(int) { g_interrupted = 1; }

// SIGINT/SIGTERM only set a flag: every wait of the demo polls it, so the
// children are always stopped by the code that started them.
void CatchInterrupts() {
  struct sigaction action {};
  action.sa_handler = OnInterrupt;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
}

struct DemoFlags {
  DemoPorts ports;
  int ports_from = 0;
  bool keep = false;
  std::string run_dir;
  std::vector<std::string> baggage = {"user.tier=premium"};
  bool no_baggage = false;
  double task_timeout = 30;
  double trace_timeout = 20;
};

std::string SelfExecutable() {
  char path[PATH_MAX];
  const ssize_t n = ::readlink("/proc/self/exe", path, sizeof path - 1);
  return n > 0 ? std::string(path, static_cast<size_t>(n)) : "";
}

// The run directory: --run-dir (created), or a fresh one under $TMPDIR.
std::string MakeRunDir(const std::string& wanted, std::string* error) {
  std::error_code ec;
  if (!wanted.empty()) {
    std::filesystem::create_directories(wanted, ec);
    if (ec) *error = "cannot create " + wanted + ": " + ec.message();
    return std::filesystem::absolute(wanted).string();
  }
  const char* tmp = std::getenv("TMPDIR");
  std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/agenthub-demo-XXXXXX";
  if (!::mkdtemp(pattern.data())) *error = "cannot create " + pattern + ": " + strerror(errno);
  return pattern;
}

// The task's trace from the query API once it is complete, or the last
// version seen (and its problems) when `timeout` passes first.
nlohmann::json AwaitTrace(const std::string& query_url, const TraceExpectation& expected,
                          double timeout, std::vector<std::string>* problems) {
  traceview::QueryClient client(query_url, std::chrono::seconds(1), std::chrono::seconds(5));
  const auto deadline =
      Clock::now() + std::chrono::milliseconds(static_cast<int64_t>(timeout * 1000));
  nlohmann::json trace;
  *problems = {"the collector has no span of this trace"};
  do {
    const traceview::QueryResult result = client.Trace(expected.trace_id);
    if (result.ok() && !result.data.empty()) {
      trace = result.data[0];
      *problems = CheckTaskTrace(trace, expected);
      if (problems->empty()) break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  } while (Clock::now() < deadline && !g_interrupted);
  return trace;
}

// What the task itself should have come to: the types the demo subscriber
// handles complete, any other fails with "unknown task type: <type>".
std::string OutcomeProblem(const PrintedOutcome& o) {
  if (agents::HasDemoHandler(o.task_type)) {
    return o.status == "COMPLETED" ? "" : "expected COMPLETED, got " + o.status + " " + o.detail;
  }
  const std::string want = "error: unknown task type: " + o.task_type;
  return o.status == "FAILED" && o.detail == want
             ? ""
             : "expected FAILED \"" + want.substr(7) + "\", got " + o.status + " " + o.detail;
}

// Prints every task's trace; returns how many fall short.
int ReportTraces(const DemoStack& stack, const std::vector<PrintedOutcome>& outcomes,
                 double trace_timeout) {
  int bad = 0;
  for (size_t i = 0; i < outcomes.size() && !g_interrupted; ++i) {
    const PrintedOutcome& o = outcomes[i];
    std::cout << "\n[" << i + 1 << "/" << outcomes.size() << "] " << o.task_type << "  " << o.status
              << "  " << o.elapsed << "  " << o.detail << "\n";
    std::vector<std::string> problems;
    const TraceExpectation expected{o.trace_id, o.task_type, o.status == "FAILED"};
    const nlohmann::json trace =
        o.trace_id.empty() ? nlohmann::json()
                           : AwaitTrace(stack.QueryUrl(), expected, trace_timeout, &problems);
    if (const std::string p = OutcomeProblem(o); !p.empty()) problems.insert(problems.begin(), p);
    std::cout << "Trace: " << o.trace_id << "\n";
    if (trace.is_object()) std::cout << RenderTaskTrace(trace);
    if (problems.empty()) {
      std::cout << "✓ complete: all 7 hops under one trace, parent links intact"
                << (expected.failed ? ", error recorded on the spans" : "") << "\n";
    } else {
      ++bad;
      for (const auto& p : problems) std::cout << "✗ " << p << "\n";
    }
  }
  return bad;
}

void PrintLinks(const DemoConfig& c, const std::vector<PrintedOutcome>& outcomes) {
  const auto& p = c.ports;
  std::cout << "\nExplore:\n";
  for (const auto& o : outcomes) {
    if (o.trace_id.empty()) continue;
    std::cout << "  trace UI    http://localhost:" << p.ui << "/trace/" << o.trace_id << "  ("
              << o.task_type << ")\n";
  }
  std::cout << "  search      http://localhost:" << p.ui << "/  ·  agenthub traces --collector "
            << "http://localhost:" << p.ui << "\n";
  const std::pair<const char*, int> metrics[] = {{"broker", p.broker_health},
                                                 {"publisher", p.publisher_health},
                                                 {"subscriber", p.subscriber_health},
                                                 {"collector", p.collector_health}};
  for (const auto& [name, port] : metrics) {
    std::printf("  /metrics    http://localhost:%d/metrics  (%s)\n", port, name);
  }
  std::cout << "  logs        " << c.run_dir << "/{collector,broker,subscriber,publisher}.log\n"
            << std::flush;
}

int RunDemo(const DemoFlags& flags) {
  const auto started = Clock::now();
  DemoConfig config;
  config.ports = flags.ports;
  if (flags.ports_from > 0) config.ports.AssignFrom(flags.ports_from);
  if (const auto busy = UnusablePorts(config.ports); !busy.empty()) {
    std::cerr << "agenthub demo: cannot start, " << busy.size()
              << " of its ports cannot be used:\n";
    for (const auto& line : busy) std::cerr << "  " << line << "\n";
    std::cerr << "Stop what holds them (another `agenthub demo`, collector or broker?), or move "
                 "the demo elsewhere, e.g. `agenthub demo --ports-from 20000`.\n";
    return 1;
  }
  config.executable = SelfExecutable();
  std::string error;
  config.run_dir = MakeRunDir(flags.run_dir, &error);
  if (config.executable.empty() || !error.empty()) {
    std::cerr << "agenthub demo: " << (error.empty() ? "cannot read /proc/self/exe" : error)
              << "\n";
    return 1;
  }
  if (!flags.no_baggage) config.baggage = flags.baggage;
  config.task_timeout_seconds = flags.task_timeout;
  config.keep = flags.keep;

  CatchInterrupts();
  std::cout << "AgentHub demo: collector, broker, subscriber and publisher as separate processes\n"
            << "  run dir     " << config.run_dir << " (logs, traces.db)\n"
            << std::flush;
  DemoStack stack(config, [] { return g_interrupted != 0; });
  if (!stack.StartServices()) {
    stack.StopAll();
    return g_interrupted ? 130 : 1;
  }
  const size_t expected = agents::DemoTasks("").size();
  int publisher_exit = 0;
  const auto outcomes = stack.RunPublisher(expected, &publisher_exit);
  int bad = ReportTraces(stack, outcomes, flags.trace_timeout);
  if (outcomes.size() != expected && !g_interrupted) {
    std::cout << "\n✗ the publisher reported " << outcomes.size() << " of " << expected
              << " tasks; see " << config.run_dir << "/publisher.log\n";
    ++bad;
  }
  if (publisher_exit > 0) {
    std::cout << "✗ the publisher exited with status " << publisher_exit << "\n";
    ++bad;
  }
  if (bad > 0 && (outcomes.size() != expected || publisher_exit > 0)) {
    std::cout << "  end of " << config.run_dir << "/publisher.log:\n"
              << TailOfFile(config.run_dir + "/publisher.log", 5);
  }
  PrintLinks(config, outcomes);
  const double seconds = std::chrono::duration<double>(Clock::now() - started).count();
  const bool interrupted_early = g_interrupted != 0;  // before the demo could finish
  if (interrupted_early) {
    std::cout << "\nInterrupted; stopping everything.\n";
  } else if (bad == 0) {
    std::printf("\n✓ demo complete: %zu tasks, %zu complete traces in %.1f s\n", outcomes.size(),
                outcomes.size(), seconds);
  } else {
    std::printf("\n✗ demo incomplete: %d problem(s) above (%.1f s); logs in %s\n", bad, seconds,
                config.run_dir.c_str());
  }
  if (flags.keep && !interrupted_early) {
    std::cout << "Everything keeps running (--keep); press Ctrl-C to stop." << std::endl;
    std::string exited;
    while (!g_interrupted && (exited = stack.FirstExited()).empty()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    if (!exited.empty()) {
      std::cout << "✗ " << exited << "\n";
      bad += 1;
    }
  } else if (!flags.keep && !interrupted_early) {
    std::cout << "(these stop with the demo now; `agenthub demo --keep` keeps them up)\n";
  }
  std::cout << "Stopping the processes…" << std::endl;
  stack.StopAll();
  if (interrupted_early) return 130;
  return bad == 0 ? 0 : 1;
}

}  // namespace

void RegisterDemoCommand(CLI::App& app, int* exit_code) {
  auto* cmd = app.add_subcommand(
      "demo",
      "Run the whole flow on this machine: a collector, a broker, the demo subscriber and the "
      "demo publisher as separate processes; print each task's trace as read back from the "
      "collector. Exits 0 only when every trace is complete.");
  auto flags = std::make_shared<DemoFlags>();
  cmd->add_flag("--keep", flags->keep,
                "Keep every process running after the demo (explore the UI and /metrics) until "
                "Ctrl-C");
  cmd->add_option("--run-dir", flags->run_dir,
                  "Where logs and the trace database go (default: a new $TMPDIR/agenthub-demo-*)");
  cmd->add_option("--baggage", flags->baggage, "Baggage key=value sent with every task")
      ->capture_default_str();
  cmd->add_flag("--no-baggage", flags->no_baggage, "Send no baggage (standard greeting)");
  cmd->add_option("--timeout", flags->task_timeout, "Seconds the publisher waits for each result")
      ->capture_default_str();
  cmd->add_option("--trace-timeout", flags->trace_timeout,
                  "Seconds to wait for each trace to be complete in the collector")
      ->capture_default_str();
  AddDemoPortFlags(*cmd, flags->ports, flags->ports_from);
  cmd->callback([=] { *exit_code = RunDemo(*flags); });
}

}  // namespace agenthub::cli
