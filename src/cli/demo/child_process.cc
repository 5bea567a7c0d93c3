#include "cli/demo/child_process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <deque>
#include <fstream>
#include <thread>

extern char** environ;

namespace agenthub::cli {
namespace {

std::string NameOf(const std::string& assignment) {
  return assignment.substr(0, assignment.find('='));
}

// The demo's environment minus `unset` and the names `env` overrides, plus `env`.
std::vector<std::string> ChildEnvironment(const ChildSpec& spec) {
  std::vector<std::string> result;
  for (char** e = environ; e && *e; ++e) {
    const std::string entry = *e;
    const std::string name = NameOf(entry);
    bool drop = false;
    for (const auto& u : spec.unset) {
      const bool prefix = !u.empty() && u.back() == '*';
      drop = drop || (prefix ? name.rfind(u.substr(0, u.size() - 1), 0) == 0 : u == name);
    }
    for (const auto& o : spec.env) drop = drop || NameOf(o) == name;
    if (!drop) result.push_back(entry);
  }
  result.insert(result.end(), spec.env.begin(), spec.env.end());
  return result;
}

std::vector<char*> Pointers(std::vector<std::string>& strings) {
  std::vector<char*> pointers;
  for (auto& s : strings) pointers.push_back(s.data());
  pointers.push_back(nullptr);
  return pointers;
}

int OpenLog(const std::string& path) {
  return ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
}

// Runs in the child between fork and exec: async-signal-safe calls only.
[[noreturn]] void ExecChild(pid_t parent, pid_t group, int out_fd, int err_fd, char** argv,
                            char** envp) {
  ::setpgid(0, group);
  // Dies with the demo even when the demo is SIGKILLed. If the demo died
  // before prctl, the parent is already someone else: give up at once.
  ::prctl(PR_SET_PDEATHSIG, SIGTERM);
  if (::getppid() != parent) ::_exit(1);
  // Signal masks and ignored signals survive exec; the subcommands expect
  // the defaults (they block what they wait for themselves).
  sigset_t none;
  sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  for (int sig : {SIGPIPE, SIGINT, SIGTERM}) ::signal(sig, SIG_DFL);  // e.g. ignored by nohup, &
  const int null_fd = ::open("/dev/null", O_RDONLY);
  if (null_fd >= 0) ::dup2(null_fd, STDIN_FILENO);
  ::dup2(out_fd, STDOUT_FILENO);
  ::dup2(err_fd, STDERR_FILENO);
  ::execve(argv[0], argv, envp);
  ::_exit(127);
}

}  // namespace

std::optional<ChildProcess> ChildProcess::Spawn(const ChildSpec& spec, std::string* error) {
  // Everything the child needs is prepared here: after fork in a process
  // that may have threads, only async-signal-safe calls are allowed.
  std::vector<std::string> argv_strings{spec.executable};
  argv_strings.insert(argv_strings.end(), spec.args.begin(), spec.args.end());
  std::vector<std::string> env_strings = ChildEnvironment(spec);
  std::vector<char*> argv = Pointers(argv_strings);
  std::vector<char*> envp = Pointers(env_strings);
  const int err_fd = OpenLog(spec.log_path);
  if (err_fd < 0) {
    *error = "cannot open " + spec.log_path + ": " + std::strerror(errno);
    return std::nullopt;
  }
  const int out_fd = spec.stdout_path.empty() ? err_fd : OpenLog(spec.stdout_path);
  if (out_fd < 0) {
    *error = "cannot open " + spec.stdout_path + ": " + std::strerror(errno);
    ::close(err_fd);
    return std::nullopt;
  }
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid == 0) ExecChild(parent, spec.process_group, out_fd, err_fd, argv.data(), envp.data());
  const int fork_errno = errno;
  if (out_fd != err_fd) ::close(out_fd);
  ::close(err_fd);
  if (pid < 0) {
    *error = std::string("fork: ") + std::strerror(fork_errno);
    return std::nullopt;
  }
  // Also from this side, so the group exists before the next child joins it.
  ::setpgid(pid, spec.process_group == 0 ? pid : spec.process_group);
  return ChildProcess(spec.name, pid, spec.log_path);
}

ChildProcess::ChildProcess(ChildProcess&& other) noexcept
    : name_(std::move(other.name_)),
      pid_(other.pid_),
      log_path_(std::move(other.log_path_)),
      exit_code_(other.exit_code_) {
  other.pid_ = -1;
}

ChildProcess& ChildProcess::operator=(ChildProcess&& other) noexcept {
  if (this != &other) {
    if (pid_ > 0) Stop(std::chrono::seconds(5));
    name_ = std::move(other.name_);
    pid_ = other.pid_;
    log_path_ = std::move(other.log_path_);
    exit_code_ = other.exit_code_;
    other.pid_ = -1;
  }
  return *this;
}

ChildProcess::~ChildProcess() {
  if (pid_ > 0) Stop(std::chrono::seconds(5));
}

bool ChildProcess::Running() {
  if (pid_ <= 0) return false;
  int status = 0;
  const pid_t r = ::waitpid(pid_, &status, WNOHANG);
  if (r == 0) return true;
  if (r == pid_) {
    exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }
  pid_ = -1;  // reaped, or not our child any more (ECHILD)
  return false;
}

bool ChildProcess::Stop(std::chrono::milliseconds grace) {
  if (!Running()) return true;
  ::kill(pid_, SIGTERM);
  const auto deadline = std::chrono::steady_clock::now() + grace;
  while (std::chrono::steady_clock::now() < deadline) {
    if (!Running()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ::kill(pid_, SIGKILL);
  int status = 0;
  while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  exit_code_ = 128 + SIGKILL;
  pid_ = -1;
  return false;
}

std::string TailOfFile(const std::string& path, int lines) {
  std::ifstream in(path);
  std::deque<std::string> last;
  for (std::string line; std::getline(in, line);) {
    last.push_back(line);
    if (static_cast<int>(last.size()) > lines) last.pop_front();
  }
  std::string text;
  for (const auto& line : last) text += "    " + line + "\n";
  return text;
}

}  // namespace agenthub::cli
