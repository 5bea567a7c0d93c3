// Which received items the collector refuses one by one (OTLP partial
// success) rather than failing the whole request.
//
// A span is refused when its trace id is not 16 bytes or is all zero, its
// span id is not 8 bytes or is all zero, its parent span id is neither
// empty nor 8 bytes, its times do not fit a signed 64-bit nanosecond count,
// or it ends before it starts. A log record is refused when its trace id is
// neither empty nor 16 bytes, or its span id neither empty nor 8 bytes.
// Such items cannot be found or linked correctly, and storing them would
// make every reader handle the impossible.
#pragma once

#include <cstdint>
#include <string>

#include "opentelemetry/proto/collector/logs/v1/logs_service.pb.h"
#include "opentelemetry/proto/collector/trace/v1/trace_service.pb.h"

namespace agenthub::collector {

struct ValidationResult {
  int64_t accepted = 0;
  int64_t rejected = 0;
  // Names the first refused items and why, e.g. "span 2 of scope 0 of
  // resource 0 (span_id 00ff...): span_id must be 8 bytes, got 3". Empty when
  // nothing was refused.
  std::string message;
};

// Removes refused spans from `request` in place (the rest keep their order).
ValidationResult RemoveInvalidSpans(
    opentelemetry::proto::collector::trace::v1::ExportTraceServiceRequest* request);

// Removes refused log records likewise.
ValidationResult RemoveInvalidLogRecords(
    opentelemetry::proto::collector::logs::v1::ExportLogsServiceRequest* request);

}  // namespace agenthub::collector
