// The standard process metrics every Prometheus client library exports
// (names, types and meanings as the client-library guidelines define them),
// read from /proc and getrusage at each collection. Linux only; on other
// systems, or when /proc is not mounted, the unreadable ones are left out.
#pragma once

#include <prometheus/collectable.h>
#include <prometheus/metric_family.h>

#include <optional>
#include <vector>

namespace agenthub::telemetry {

struct ProcessStats {
  std::optional<double> cpu_seconds;            // user + system, getrusage
  std::optional<double> resident_memory_bytes;  // /proc/self/stat rss * page size
  std::optional<double> virtual_memory_bytes;   // /proc/self/stat vsize
  std::optional<double> open_fds;               // entries in /proc/self/fd
  std::optional<double> max_fds;                // soft RLIMIT_NOFILE
  std::optional<double> start_time_seconds;     // Unix time; stat starttime + btime
  std::optional<double> threads;                // /proc/self/stat num_threads
};

ProcessStats ReadProcessStats();

// process_cpu_seconds_total (counter), process_resident_memory_bytes,
// process_virtual_memory_bytes, process_open_fds, process_max_fds,
// process_start_time_seconds, process_threads (gauges).
class ProcessMetrics : public prometheus::Collectable {
 public:
  std::vector<prometheus::MetricFamily> Collect() const override;
};

}  // namespace agenthub::telemetry
