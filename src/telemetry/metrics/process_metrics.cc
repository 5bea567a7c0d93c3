#include "telemetry/metrics/process_metrics.h"

#include <dirent.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <limits>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>

#include "telemetry/metrics/callback_collectable.h"

namespace agenthub::telemetry {
namespace {

std::string ReadFile(const char* path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Boot time in Unix seconds ("btime" in /proc/stat); constant per boot.
std::optional<double> BootTimeSeconds() {
  static const std::optional<double> btime = []() -> std::optional<double> {
    std::istringstream in(ReadFile("/proc/stat"));
    std::string key;
    double value = 0;
    while (in >> key) {
      if (key == "btime" && in >> value) return value;
      in.ignore(std::numeric_limits<std::streamsize>::max(), '\n');
    }
    return std::nullopt;
  }();
  return btime;
}

// Fields of /proc/self/stat after the command name, which is in
// parentheses and may itself contain spaces and ')': split after the last.
void ReadStat(ProcessStats& stats) {
  const std::string text = ReadFile("/proc/self/stat");
  const size_t paren = text.rfind(')');
  if (paren == std::string::npos) return;
  std::istringstream in(text.substr(paren + 1));
  std::vector<std::string> fields;  // fields[0] is field 3 ("state") of proc(5)
  for (std::string f; in >> f;) fields.push_back(f);
  auto field = [&fields](size_t number) -> std::optional<double> {
    if (number < 3 || number - 3 >= fields.size()) return std::nullopt;
    return std::strtod(fields[number - 3].c_str(), nullptr);
  };
  stats.threads = field(20);
  stats.virtual_memory_bytes = field(23);
  if (auto rss_pages = field(24)) {
    stats.resident_memory_bytes = *rss_pages * static_cast<double>(sysconf(_SC_PAGESIZE));
  }
  const auto start_ticks = field(22);
  const auto btime = BootTimeSeconds();
  const long ticks_per_second = sysconf(_SC_CLK_TCK);
  if (start_ticks && btime && ticks_per_second > 0) {
    stats.start_time_seconds = *btime + *start_ticks / static_cast<double>(ticks_per_second);
  }
}

std::optional<double> CountOpenFds() {
  DIR* dir = opendir("/proc/self/fd");
  if (dir == nullptr) return std::nullopt;
  // The listing's own descriptor is open only while we count; leave it out.
  const std::string own = std::to_string(dirfd(dir));
  double count = 0;
  while (const dirent* entry = readdir(dir)) {
    const std::string_view name = entry->d_name;
    if (name != "." && name != ".." && name != own) ++count;
  }
  closedir(dir);
  return count;
}

}  // namespace

ProcessStats ReadProcessStats() {
  ProcessStats stats;
  rusage usage{};
  if (getrusage(RUSAGE_SELF, &usage) == 0) {
    auto seconds = [](const timeval& tv) {
      return static_cast<double>(tv.tv_sec) + static_cast<double>(tv.tv_usec) / 1e6;
    };
    stats.cpu_seconds = seconds(usage.ru_utime) + seconds(usage.ru_stime);
  }
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0) stats.max_fds = static_cast<double>(limit.rlim_cur);
  stats.open_fds = CountOpenFds();
  ReadStat(stats);
  return stats;
}

std::vector<prometheus::MetricFamily> ProcessMetrics::Collect() const {
  const ProcessStats s = ReadProcessStats();
  std::vector<MetricSample> samples;
  auto add = [&samples](const std::optional<double>& value, MetricSample sample) {
    if (!value) return;
    sample.value = *value;
    samples.push_back(std::move(sample));
  };
  add(s.cpu_seconds, CounterSample("process_cpu_seconds_total",
                                   "Total user and system CPU time spent in seconds.", 0));
  add(s.resident_memory_bytes,
      GaugeSample("process_resident_memory_bytes", "Resident memory size in bytes.", 0));
  add(s.virtual_memory_bytes,
      GaugeSample("process_virtual_memory_bytes", "Virtual memory size in bytes.", 0));
  add(s.open_fds, GaugeSample("process_open_fds", "Number of open file descriptors.", 0));
  add(s.max_fds, GaugeSample("process_max_fds", "Maximum number of open file descriptors.", 0));
  add(s.start_time_seconds,
      GaugeSample("process_start_time_seconds",
                  "Start time of the process since unix epoch in seconds.", 0));
  add(s.threads, GaugeSample("process_threads", "Number of OS threads in the process.", 0));
  return SamplesToFamilies(samples);
}

}  // namespace agenthub::telemetry
