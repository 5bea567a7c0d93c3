// Fuzz target: OTLP protobuf decoding as the collector's receivers do it
// (gRPC and HTTP both hand it the body), then the validation that removes
// invalid spans and log records.
//
// The first byte picks the signal; the rest is the body.
// Invariants: validation never crashes on what parses; a second pass
// removes nothing; the surviving spans have the id sizes validation
// promises; the result serialises and parses back.
#include <string>

#include "collector/receiver/otlp_validation.h"
#include "fuzz_check.h"

namespace {

namespace otlp = opentelemetry::proto::collector;

void CheckTraces(const uint8_t* data, size_t size) {
  otlp::trace::v1::ExportTraceServiceRequest request;
  if (!request.ParseFromArray(data, static_cast<int>(size))) return;
  const auto first = agenthub::collector::RemoveInvalidSpans(&request);
  FUZZ_CHECK(first.rejected == 0 || !first.message.empty());
  FUZZ_CHECK(agenthub::collector::RemoveInvalidSpans(&request).rejected == 0);
  int64_t spans = 0;
  for (const auto& rs : request.resource_spans()) {
    for (const auto& ss : rs.scope_spans()) {
      for (const auto& span : ss.spans()) {
        ++spans;
        FUZZ_CHECK(span.trace_id().size() == 16);
        FUZZ_CHECK(span.span_id().size() == 8);
        FUZZ_CHECK(span.parent_span_id().empty() || span.parent_span_id().size() == 8);
      }
    }
  }
  FUZZ_CHECK(spans == first.accepted);
  std::string bytes;
  FUZZ_CHECK(request.SerializeToString(&bytes));
  otlp::trace::v1::ExportTraceServiceRequest reread;
  FUZZ_CHECK(reread.ParseFromString(bytes));
}

void CheckLogs(const uint8_t* data, size_t size) {
  otlp::logs::v1::ExportLogsServiceRequest request;
  if (!request.ParseFromArray(data, static_cast<int>(size))) return;
  const auto first = agenthub::collector::RemoveInvalidLogRecords(&request);
  FUZZ_CHECK(first.rejected == 0 || !first.message.empty());
  FUZZ_CHECK(agenthub::collector::RemoveInvalidLogRecords(&request).rejected == 0);
  for (const auto& rl : request.resource_logs()) {
    for (const auto& sl : rl.scope_logs()) {
      for (const auto& record : sl.log_records()) {
        FUZZ_CHECK(record.trace_id().empty() || record.trace_id().size() == 16);
        FUZZ_CHECK(record.span_id().empty() || record.span_id().size() == 8);
      }
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  if (data[0] % 2 == 0) {
    CheckTraces(data + 1, size - 1);
  } else {
    CheckLogs(data + 1, size - 1);
  }
  return 0;
}
