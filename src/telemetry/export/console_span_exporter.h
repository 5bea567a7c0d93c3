// ConsoleSpanExporter: prints each batch as a tree per trace, for people
// watching a terminal (the seed's "Complete Request Flow"):
//
//   Trace: 4bf92f3577b34da6a3ce929d0e0e4736
//   └── publish_event (agenthub-publisher) [25.0ms] PRODUCER
//       ├── event.type: greeting
//       └── route_task (agenthub-broker) [2.15ms] INTERNAL ✗ ERROR: no subscriber
//           ├── source.agent: agent_demo_publisher
//           └── event: exception (+1.20ms)
//               └── exception.message: no subscriber
//
// A span is drawn under its parent when the parent is in the same batch;
// otherwise it is a root. Siblings are ordered by start time. Under each span
// come its attributes, then its events, then its child spans. Not a stable
// machine format: use JsonlSpanExporter for that.
#pragma once

#include <chrono>
#include <iostream>
#include <mutex>
#include <ostream>
#include <span>
#include <string>

#include "telemetry/trace/span_exporter.h"

namespace agenthub::telemetry {

// The text the exporter writes for one batch (every line ends in '\n';
// empty for an empty batch). Public so tools such as `agenthub trace <id>`
// draw traces the same way.
std::string FormatSpanTree(std::span<const SpanData* const> spans);

// "0.042ms", "2.15ms", "98.3ms", "1234ms": about three significant digits
// below a second, whole milliseconds above. Negative durations print as 0.
std::string FormatDurationMs(std::chrono::nanoseconds duration);

class ConsoleSpanExporter final : public SpanExporter {
 public:
  // `out` must outlive the exporter. Each batch is written in one piece and
  // flushed, under a lock, so batches never interleave.
  explicit ConsoleSpanExporter(std::ostream& out = std::cout) : out_(out) {}

  ExportResult Export(std::span<const SpanData* const> batch, Deadline deadline) override;
  bool ForceFlush(std::chrono::milliseconds timeout) override;
  bool Shutdown(std::chrono::milliseconds timeout) override;

 private:
  std::mutex mu_;
  std::ostream& out_;       // guarded by mu_
  bool shut_down_ = false;  // guarded by mu_; Export refuses batches once set
};

}  // namespace agenthub::telemetry
