// SpanExporter: sends finished spans somewhere (stdout, a file, memory, an
// OTLP endpoint). Called by one processor thread at a time: Export calls
// never overlap, so implementations need no locking of their own for it.
#pragma once

#include <chrono>
#include <span>

#include "telemetry/common/clock.h"
#include "telemetry/trace/span_data.h"

namespace agenthub::telemetry {

enum class ExportResult { kSuccess, kFailure };

class SpanExporter {
 public:
  virtual ~SpanExporter() = default;

  // Exports one batch. The pointers are valid only during the call; copy what
  // must be kept. Should return by `deadline` (network exporters cancel
  // their request then); the caller never retries a kFailure.
  virtual ExportResult Export(std::span<const SpanData* const> batch, Deadline deadline) = 0;

  // Flushes anything the exporter buffers itself.
  virtual bool ForceFlush(std::chrono::milliseconds timeout) {
    (void)timeout;
    return true;
  }

  // After Shutdown, Export returns kFailure without doing anything. Must
  // return within `timeout` and make a concurrent hung Export give up.
  virtual bool Shutdown(std::chrono::milliseconds timeout) = 0;
};

}  // namespace agenthub::telemetry
