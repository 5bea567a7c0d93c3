// LogRecordProcessor: receives every record a Logger emits, on the logging
// thread (OpenTelemetry SDK LogRecordProcessor). OnEmit must be fast and
// must never block on an exporter.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>

#include "telemetry/logs/log_record.h"

namespace agenthub::telemetry {

struct LogProcessorStats {
  uint64_t records_dropped = 0;   // queue full, or emitted after Shutdown
  uint64_t records_exported = 0;  // handed to the exporter with success
  uint64_t export_failures = 0;   // records in batches the exporter failed
  uint64_t queue_depth = 0;       // records waiting for export now
};

class LogRecordProcessor {
 public:
  virtual ~LogRecordProcessor() = default;

  // A record to fill and pass to OnEmit. Every field has its default value
  // except resource and scope, which a recycled record keeps from its last
  // use (so an emitter whose pointers did not change skips two atomic
  // reference-count updates): always set those two. Processors that export
  // on another thread recycle records instead of freeing them there, which
  // avoids freeing memory across threads one record at a time.
  virtual std::unique_ptr<LogRecordData> NewRecord() { return std::make_unique<LogRecordData>(); }

  // Takes ownership of the record; may drop it (and count the drop).
  virtual void OnEmit(std::unique_ptr<LogRecordData> record) = 0;
  virtual bool ForceFlush(std::chrono::milliseconds timeout) = 0;
  virtual bool Shutdown(std::chrono::milliseconds timeout) = 0;
  virtual LogProcessorStats stats() const { return {}; }
};

}  // namespace agenthub::telemetry
