// JsonlSpanExporter: one line per batch, each line the batch's OTLP/JSON
// ExportTraceServiceRequest (see jsonl_span_encoder.h), so the output can be replayed
// to any OTLP/HTTP JSON endpoint or read with `jq`. Lines are flushed per
// batch, so `tail -f` sees spans as soon as they are exported.
#pragma once

#include <chrono>
#include <fstream>
#include <mutex>
#include <ostream>
#include <span>
#include <string>

#include "telemetry/trace/span_exporter.h"

namespace agenthub::telemetry {

class JsonlSpanExporter final : public SpanExporter {
 public:
  // Writes to stdout.
  JsonlSpanExporter();
  // Appends to the file at `path`, creating it if needed. When it cannot be
  // opened, a warning goes to the diagnostics handler and Export returns
  // kFailure, retrying the open on each batch (the directory may appear
  // later); the warning is repeated only after the file was usable again.
  explicit JsonlSpanExporter(std::string path);
  // Writes to `out`, which must outlive the exporter.
  explicit JsonlSpanExporter(std::ostream& out);

  // Empty batches write nothing.
  ExportResult Export(std::span<const SpanData* const> batch, Deadline deadline) override;
  bool ForceFlush(std::chrono::milliseconds timeout) override;
  // Flushes, and closes the file this exporter opened.
  bool Shutdown(std::chrono::milliseconds timeout) override;

 private:
  // Opens path_ if it is not open yet; false (after warning once) on failure.
  bool EnsureOpenLocked();
  void WarnOnceLocked(const std::string& message);

  std::mutex mu_;           // ForceFlush and Shutdown may race with Export
  const std::string path_;  // empty when writing to a given stream
  std::ofstream file_;      // used when path_ is set
  std::ostream* out_;       // the stream lines go to; &file_ for a path
  bool warned_ = false;     // a failure was reported and nothing has succeeded since
  bool shut_down_ = false;
};

}  // namespace agenthub::telemetry
