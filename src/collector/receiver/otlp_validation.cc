#include "collector/receiver/otlp_validation.h"

#include <limits>

#include "collector/store/ids.h"

namespace agenthub::collector {
namespace {

// How many refusals are described in the message; the count covers all.
constexpr int kMaxDescribed = 3;

std::string CheckId(const std::string& id, size_t size, bool optional, const char* field) {
  if (optional && id.empty()) return {};
  if (id.size() != size) {
    return std::string(field) + " must be " + std::to_string(size) + " bytes, got " +
           std::to_string(id.size());
  }
  if (!IsValidId(id, size)) return std::string(field) + " must not be all zeros";
  return {};
}

std::string CheckSpan(const opentelemetry::proto::trace::v1::Span& span) {
  if (auto e = CheckId(span.trace_id(), kTraceIdBytes, false, "trace_id"); !e.empty()) return e;
  if (auto e = CheckId(span.span_id(), kSpanIdBytes, false, "span_id"); !e.empty()) return e;
  if (!span.parent_span_id().empty() && span.parent_span_id().size() != kSpanIdBytes) {
    return "parent_span_id must be empty or 8 bytes, got " +
           std::to_string(span.parent_span_id().size());
  }
  constexpr auto kMax = static_cast<uint64_t>(std::numeric_limits<int64_t>::max());
  if (span.start_time_unix_nano() > kMax || span.end_time_unix_nano() > kMax) {
    return "start_time_unix_nano and end_time_unix_nano must be below 2^63";
  }
  if (span.end_time_unix_nano() < span.start_time_unix_nano()) {
    return "end_time_unix_nano (" + std::to_string(span.end_time_unix_nano()) +
           ") is before start_time_unix_nano (" + std::to_string(span.start_time_unix_nano()) + ")";
  }
  return {};
}

std::string CheckLogRecord(const opentelemetry::proto::logs::v1::LogRecord& record) {
  if (!record.trace_id().empty() && record.trace_id().size() != kTraceIdBytes) {
    return "trace_id must be empty or 16 bytes, got " + std::to_string(record.trace_id().size());
  }
  if (!record.span_id().empty() && record.span_id().size() != kSpanIdBytes) {
    return "span_id must be empty or 8 bytes, got " + std::to_string(record.span_id().size());
  }
  return {};
}

void Describe(ValidationResult& result, const char* item, int index, int scope, int resource,
              const std::string& problem) {
  ++result.rejected;
  if (result.rejected > kMaxDescribed) return;
  if (!result.message.empty()) result.message += "; ";
  result.message += std::string(item) + " " + std::to_string(index) + " of scope " +
                    std::to_string(scope) + " of resource " + std::to_string(resource) + ": " +
                    problem;
}

// Keeps the items `check` accepts, in order, in one pass.
template <typename Items, typename Check>
void Filter(Items* items, Check check) {
  int kept = 0;
  for (int i = 0; i < items->size(); ++i) {
    if (!check(i, items->Get(i))) continue;
    if (kept != i) items->SwapElements(kept, i);
    ++kept;
  }
  while (items->size() > kept) items->RemoveLast();
}

void Finish(ValidationResult& result) {
  if (result.rejected > kMaxDescribed) {
    result.message += "; and " + std::to_string(result.rejected - kMaxDescribed) + " more";
  }
}

}  // namespace

ValidationResult RemoveInvalidSpans(
    opentelemetry::proto::collector::trace::v1::ExportTraceServiceRequest* request) {
  ValidationResult result;
  for (int r = 0; r < request->resource_spans_size(); ++r) {
    auto* resource_spans = request->mutable_resource_spans(r);
    for (int s = 0; s < resource_spans->scope_spans_size(); ++s) {
      auto* spans = resource_spans->mutable_scope_spans(s)->mutable_spans();
      Filter(spans, [&](int i, const auto& span) {
        std::string problem = CheckSpan(span);
        if (problem.empty()) {
          ++result.accepted;
          return true;
        }
        Describe(result, "span", i, s, r, problem);
        return false;
      });
    }
  }
  Finish(result);
  return result;
}

ValidationResult RemoveInvalidLogRecords(
    opentelemetry::proto::collector::logs::v1::ExportLogsServiceRequest* request) {
  ValidationResult result;
  for (int r = 0; r < request->resource_logs_size(); ++r) {
    auto* resource_logs = request->mutable_resource_logs(r);
    for (int s = 0; s < resource_logs->scope_logs_size(); ++s) {
      auto* records = resource_logs->mutable_scope_logs(s)->mutable_log_records();
      Filter(records, [&](int i, const auto& record) {
        std::string problem = CheckLogRecord(record);
        if (problem.empty()) {
          ++result.accepted;
          return true;
        }
        Describe(result, "log record", i, s, r, problem);
        return false;
      });
    }
  }
  Finish(result);
  return result;
}

}  // namespace agenthub::collector
