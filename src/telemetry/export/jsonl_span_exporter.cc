#include "telemetry/export/jsonl_span_exporter.h"

#include <cerrno>
#include <cstring>
#include <iostream>
#include <utility>

#include "telemetry/common/diagnostics.h"
#include "telemetry/export/jsonl_span_encoder.h"

namespace agenthub::telemetry {

JsonlSpanExporter::JsonlSpanExporter() : out_(&std::cout) {}

JsonlSpanExporter::JsonlSpanExporter(std::string path) : path_(std::move(path)), out_(&file_) {
  std::lock_guard lock(mu_);
  EnsureOpenLocked();
}

JsonlSpanExporter::JsonlSpanExporter(std::ostream& out) : out_(&out) {}

bool JsonlSpanExporter::EnsureOpenLocked() {
  if (path_.empty() || file_.is_open()) return true;
  file_.clear();
  file_.open(path_, std::ios::out | std::ios::app);
  if (file_.is_open()) return true;
  WarnOnceLocked("jsonl span exporter: cannot open '" + path_ +
                 "' for appending: " + std::strerror(errno));
  return false;
}

void JsonlSpanExporter::WarnOnceLocked(const std::string& message) {
  if (warned_) return;
  warned_ = true;
  ReportWarning(message);
}

ExportResult JsonlSpanExporter::Export(std::span<const SpanData* const> batch,
                                       Deadline /*deadline*/) {
  if (batch.empty()) return ExportResult::kSuccess;
  // Attribute values are not guaranteed UTF-8; replacing bad bytes keeps the
  // line valid JSON instead of throwing from dump().
  std::string line = EncodeTracesRequestJson(batch).dump(-1, ' ', /*ensure_ascii=*/false,
                                                         nlohmann::json::error_handler_t::replace);
  line += '\n';

  std::lock_guard lock(mu_);
  if (shut_down_ || !EnsureOpenLocked()) return ExportResult::kFailure;
  out_->write(line.data(), static_cast<std::streamsize>(line.size()));
  out_->flush();
  if (!out_->good()) {
    WarnOnceLocked(path_.empty() ? "jsonl span exporter: write failed"
                                 : "jsonl span exporter: write to '" + path_ + "' failed");
    // A failed stream stays failed; reopening on the next batch may recover.
    if (!path_.empty()) file_.close();
    out_->clear();
    return ExportResult::kFailure;
  }
  warned_ = false;
  return ExportResult::kSuccess;
}

bool JsonlSpanExporter::ForceFlush(std::chrono::milliseconds /*timeout*/) {
  std::lock_guard lock(mu_);
  if (!path_.empty() && !file_.is_open()) return true;  // nothing can be buffered
  out_->flush();
  return out_->good();
}

bool JsonlSpanExporter::Shutdown(std::chrono::milliseconds /*timeout*/) {
  std::lock_guard lock(mu_);
  if (shut_down_) return true;
  shut_down_ = true;
  if (!path_.empty()) {
    if (!file_.is_open()) return true;
    file_.close();
    return !file_.fail();
  }
  out_->flush();
  return out_->good();
}

}  // namespace agenthub::telemetry
