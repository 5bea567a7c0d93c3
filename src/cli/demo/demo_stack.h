// The four processes of `agenthub demo`, each this same binary with a
// subcommand, on loopback:
//
//   collector   OTLP in, SQLite store, query API and UI      (started first)
//   broker      routes tasks and results                      exports to the collector
//   subscriber  the demo handlers                             exports to the collector
//   publisher   the demo tasks, one output line per task      exports to the collector
//
// Each is started only when the one before is ready (/ready answers 200),
// and they are stopped in the reverse order, so the collector is still
// there to receive the last spans the others flush when they stop.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "agents/agents.h"
#include "cli/demo/child_process.h"
#include "cli/demo/demo_ports.h"
#include "cli/outcome_line.h"

namespace agenthub::cli {

struct DemoConfig {
  std::string executable;  // this binary
  std::string run_dir;     // logs and the trace database
  DemoPorts ports;
  std::vector<std::string> baggage;  // key=value, for the publisher's --baggage
  double task_timeout_seconds = 30;  // the publisher's --timeout
  std::chrono::seconds ready_timeout{30};
  bool keep = false;  // the publisher stays up after its tasks (--stay)
};

class DemoStack {
 public:
  // `interrupted` is polled while waiting, so Ctrl-C ends every wait soon.
  DemoStack(DemoConfig config, std::function<bool()> interrupted);
  ~DemoStack() { StopAll(); }

  // Starts the collector, the broker and the subscriber, each after the one
  // before is ready, printing one line per process. False (after printing
  // why, with the end of its log) when one exits or is not ready in time.
  bool StartServices();

  // Starts the publisher and waits until it has printed `expected` outcome
  // lines, stopped early (it stops at the first task without a result), or
  // exited. Returns the outcomes it printed. *exit_code: the publisher's, or
  // -1 while it still runs (--keep).
  std::vector<PrintedOutcome> RunPublisher(size_t expected, int* exit_code);

  // "" while every started process runs; else which one exited, and how.
  std::string FirstExited();

  // Stops whatever runs, publisher first and collector last (SIGTERM, then
  // SIGKILL after `grace`). Safe to call more than once.
  void StopAll(std::chrono::milliseconds grace = std::chrono::seconds(10));

  const DemoConfig& config() const { return config_; }
  std::string QueryUrl() const;  // http://127.0.0.1:<ui port>

 private:
  std::optional<ChildProcess> Start(const std::string& name, std::vector<std::string> args,
                                    const std::string& stdout_path = "");
  // Polls `url` until it answers 200, `child` exits, time runs out or the
  // user interrupts; prints the reason and returns false in the last three.
  bool WaitReady(ChildProcess& child, int port, const std::string& path);
  bool Interrupted() const { return interrupted_(); }

  DemoConfig config_;
  std::function<bool()> interrupted_;
  pid_t group_ = 0;  // the children's process group (the collector's pid)
  // In start order; stopped in reverse.
  std::vector<ChildProcess> children_;
};

}  // namespace agenthub::cli
