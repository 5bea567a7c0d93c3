// SimpleSpanProcessor: exports each sampled span synchronously when it ends,
// on the ending thread. For tests and debugging; production code wants the
// BatchSpanProcessor, which never makes the caller wait for an exporter.
#pragma once

#include <memory>
#include <mutex>

#include "telemetry/common/sharded_counter.h"
#include "telemetry/trace/span_exporter.h"
#include "telemetry/trace/span_processor.h"

namespace agenthub::telemetry {

class SimpleSpanProcessor : public SpanProcessor {
 public:
  explicit SimpleSpanProcessor(std::unique_ptr<SpanExporter> exporter,
                               std::chrono::milliseconds export_timeout = std::chrono::seconds(30));
  ~SimpleSpanProcessor() override;

  bool UsesOnStart() const override { return false; }
  void OnEnd(RecordedSpanRef span) override;
  bool ForceFlush(std::chrono::milliseconds timeout) override;
  bool Shutdown(std::chrono::milliseconds timeout) override;
  ProcessorStats stats() const override;

 private:
  std::mutex export_mutex_;  // the specification forbids concurrent Export calls
  std::unique_ptr<SpanExporter> exporter_;
  const std::chrono::milliseconds export_timeout_;
  bool shut_down_ = false;  // guarded by export_mutex_
  ShardedCounter exported_;
  ShardedCounter failed_;
  ShardedCounter dropped_;
};

}  // namespace agenthub::telemetry
