#include "telemetry/logs/batch_log_record_processor.h"

#include <span>

#include "telemetry/common/batch_export_engine.h"
#include "telemetry/common/bounded_queue.h"

namespace agenthub::telemetry {

BatchLogRecordProcessorOptions BatchLogRecordProcessorOptions::FromEnvironment() {
  BatchLogRecordProcessorOptions o;
  static_cast<BatchExportOptions&>(o) = ReadBatchExportOptions("OTEL_BLRP", o);
  return o;
}

namespace {

// A record that once held a huge message is freed rather than pooled, so
// the pool's memory stays proportional to typical records.
constexpr size_t kMaxPooledBodyCapacity = 4096;
constexpr size_t kMaxPooledAttributes = 64;

// Log records for BatchExportEngine: owning pointers. One queue, not one
// per CPU, so that a thread's records are exported in the order it logged
// them. Exported records go to `pool` for NewRecord.
struct LogBatch {
  using Item = LogRecordData*;
  using Queue = BoundedQueue<LogRecordData*>;
  using Exporter = LogRecordExporter;
  static constexpr const char* kName = "BatchLogRecordProcessor";

  explicit LogBatch(size_t pool_size) : pool(pool_size) {}
  ~LogBatch() {
    LogRecordData* record = nullptr;
    while (pool.TryPop(&record)) delete record;
  }

  bool Export(LogRecordExporter& exporter, std::span<LogRecordData* const> owned,
              Deadline deadline) {
    const std::span<const LogRecordData* const> batch(
        const_cast<const LogRecordData* const*>(owned.data()), owned.size());
    return exporter.Export(batch, deadline) == ExportResult::kSuccess;
  }
  void Release(LogRecordData* record) {
    if (record->body.capacity() > kMaxPooledBodyCapacity ||
        record->attributes.capacity() > kMaxPooledAttributes || !pool.TryPush(record)) {
      delete record;
    }
  }
  void Discard(LogRecordData* record) { delete record; }

  BoundedQueue<LogRecordData*> pool;  // owning pointers, exported and reusable
};

}  // namespace

struct BatchLogRecordProcessor::Engine : BatchExportEngine<LogBatch> {
  using BatchExportEngine::BatchExportEngine;
};

BatchLogRecordProcessor::BatchLogRecordProcessor(std::unique_ptr<LogRecordExporter> exporter,
                                                 BatchLogRecordProcessorOptions options)
    : engine_(std::make_shared<Engine>(std::move(exporter), options, options.max_queue_size)) {
  Engine::StartExportThread(engine_);
}

BatchLogRecordProcessor::~BatchLogRecordProcessor() { Shutdown(std::chrono::seconds(5)); }

std::unique_ptr<LogRecordData> BatchLogRecordProcessor::NewRecord() {
  LogRecordData* record = nullptr;
  if (!engine_->signal().pool.TryPop(&record)) return std::make_unique<LogRecordData>();
  // Back to defaults, keeping the capacity of the body and attribute list
  // (and the resource and scope pointers, see LogRecordProcessor).
  record->timestamp = {};
  record->observed_timestamp = {};
  record->severity_number = SeverityNumber::kUnspecified;
  record->severity_text.clear();
  record->body.clear();
  record->attributes.clear();
  record->dropped_attributes = 0;
  record->trace_id = {};
  record->span_id = {};
  record->trace_flags = {};
  return std::unique_ptr<LogRecordData>(record);
}

void BatchLogRecordProcessor::OnEmit(std::unique_ptr<LogRecordData> record) {
  if (!record) return;
  // Refused (full or shut down): the unique_ptr frees the record.
  if (engine_->TryPush(record.get())) record.release();  // the queue owns it now
}

bool BatchLogRecordProcessor::ForceFlush(std::chrono::milliseconds timeout) {
  return engine_->ForceFlush(timeout);
}

bool BatchLogRecordProcessor::Shutdown(std::chrono::milliseconds timeout) {
  return engine_->Shutdown(timeout);
}

LogProcessorStats BatchLogRecordProcessor::stats() const {
  const BatchExportStats s = engine_->stats();
  LogProcessorStats p;
  p.records_dropped = s.dropped;
  p.records_exported = s.exported;
  p.export_failures = s.failed;
  p.queue_depth = s.queue_depth;
  return p;
}

}  // namespace agenthub::telemetry
