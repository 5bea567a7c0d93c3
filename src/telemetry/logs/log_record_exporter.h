// LogRecordExporter: sends log records somewhere (memory, an OTLP endpoint).
// The logs counterpart of SpanExporter, with the same contract: one
// processor thread calls Export at a time, so calls never overlap.
#pragma once

#include <chrono>
#include <span>

#include "telemetry/common/clock.h"
#include "telemetry/logs/log_record.h"
#include "telemetry/trace/span_exporter.h"  // ExportResult

namespace agenthub::telemetry {

class LogRecordExporter {
 public:
  virtual ~LogRecordExporter() = default;

  // Exports one batch. The pointers are valid only during the call; copy what
  // must be kept. Should return by `deadline`; a kFailure is not retried.
  virtual ExportResult Export(std::span<const LogRecordData* const> batch, Deadline deadline) = 0;

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
