#include "telemetry/trace/simple_span_processor.h"

namespace agenthub::telemetry {

SimpleSpanProcessor::SimpleSpanProcessor(std::unique_ptr<SpanExporter> exporter,
                                         std::chrono::milliseconds export_timeout)
    : exporter_(std::move(exporter)), export_timeout_(export_timeout) {}

SimpleSpanProcessor::~SimpleSpanProcessor() { Shutdown(std::chrono::seconds(5)); }

void SimpleSpanProcessor::OnEnd(RecordedSpanRef span) {
  if (!span.data().context.IsSampled()) return;  // record-only spans are not exported
  const SpanData* batch[] = {&span.data()};
  std::lock_guard lock(export_mutex_);
  if (shut_down_) {
    dropped_.Add();
    return;
  }
  const Deadline deadline = SteadyClock::now() + export_timeout_;
  if (exporter_->Export(batch, deadline) == ExportResult::kSuccess) {
    exported_.Add();
  } else {
    failed_.Add();
  }
}

bool SimpleSpanProcessor::ForceFlush(std::chrono::milliseconds timeout) {
  std::lock_guard lock(export_mutex_);
  return shut_down_ ? true : exporter_->ForceFlush(timeout);
}

bool SimpleSpanProcessor::Shutdown(std::chrono::milliseconds timeout) {
  std::lock_guard lock(export_mutex_);
  if (shut_down_) return true;
  shut_down_ = true;
  return exporter_->Shutdown(timeout);
}

ProcessorStats SimpleSpanProcessor::stats() const {
  ProcessorStats s;
  s.spans_exported = exported_.Value();
  s.export_failures = failed_.Value();
  s.spans_dropped = dropped_.Value();
  return s;
}

}  // namespace agenthub::telemetry
