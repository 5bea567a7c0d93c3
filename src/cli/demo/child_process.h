// One child process of `agenthub demo`: this same binary run with a
// subcommand, its output in a log file, stoppable with SIGTERM then SIGKILL.
//
// Children never outlive the demo: each asks the kernel for SIGTERM when its
// parent dies (PR_SET_PDEATHSIG, which also covers a SIGKILLed demo), and
// all of them share one process group of their own, so a Ctrl-C typed in
// the terminal reaches only the demo, which then stops them in an order that
// lets the last spans reach the collector.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace agenthub::cli {

struct ChildSpec {
  std::string name;                // "broker"; used in messages
  std::string executable;          // absolute path (the demo's own binary)
  std::vector<std::string> args;   // after argv[0]
  std::vector<std::string> env;    // "NAME=value" set on top of the demo's environment
  std::vector<std::string> unset;  // inherited variables to drop; "OTEL_*" drops a prefix
  std::string log_path;            // stderr, and stdout unless stdout_path is set
  std::string stdout_path;         // optional separate file for stdout
  pid_t process_group = 0;         // 0: start a new group led by this child
};

class ChildProcess {
 public:
  // Forks and execs; nullopt (with *error) when fork or the log file fails.
  // An exec failure shows up as the child exiting with status 127.
  static std::optional<ChildProcess> Spawn(const ChildSpec& spec, std::string* error);

  ChildProcess(ChildProcess&& other) noexcept;
  ChildProcess& operator=(ChildProcess&& other) noexcept;
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;
  // Stops the child if it still runs: no path out of the demo leaves one.
  ~ChildProcess();

  const std::string& name() const { return name_; }
  pid_t pid() const { return pid_; }
  const std::string& log_path() const { return log_path_; }

  // Reaps the child if it has exited (never blocks); true while it runs.
  bool Running();
  // The exit status once Running() returned false: the exit code, or
  // 128 + signal number for a child killed by a signal.
  int exit_code() const { return exit_code_; }

  // SIGTERM, then SIGKILL if it is still there after `grace`. Returns true
  // when it exited by itself within `grace`.
  bool Stop(std::chrono::milliseconds grace);

 private:
  ChildProcess(std::string name, pid_t pid, std::string log_path)
      : name_(std::move(name)), pid_(pid), log_path_(std::move(log_path)) {}

  std::string name_;
  pid_t pid_ = -1;  // -1 once reaped (or moved from)
  std::string log_path_;
  int exit_code_ = -1;
};

// The last `lines` lines of a text file (for "why did it not start").
std::string TailOfFile(const std::string& path, int lines);

}  // namespace agenthub::cli
