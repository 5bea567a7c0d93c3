// What the trace store hands back: spans and log records with every OTLP
// field, plus the resource and scope they were sent with, and the queries
// the store answers.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "opentelemetry/proto/common/v1/common.pb.h"
#include "opentelemetry/proto/logs/v1/logs.pb.h"
#include "opentelemetry/proto/resource/v1/resource.pb.h"
#include "opentelemetry/proto/trace/v1/trace.pb.h"

namespace agenthub::collector {

// The resource of the process that sent spans or logs; many rows share one.
struct StoredResource {
  opentelemetry::proto::resource::v1::Resource resource;
  std::string schema_url;  // Resource{Spans,Logs}.schema_url
  std::string service;     // service.name, or "unknown_service" when absent
};

struct StoredScope {
  opentelemetry::proto::common::v1::InstrumentationScope scope;
  std::string schema_url;  // Scope{Spans,Logs}.schema_url
};

struct StoredSpan {
  opentelemetry::proto::trace::v1::Span span;  // exactly as received
  std::shared_ptr<const StoredResource> resource;
  StoredScope scope;
};

struct StoredTrace {
  std::string trace_id;           // 16 bytes
  std::vector<StoredSpan> spans;  // ordered by start time
};

struct StoredLog {
  opentelemetry::proto::logs::v1::LogRecord record;  // exactly as received
  std::shared_ptr<const StoredResource> resource;
  StoredScope scope;
};

// One row of /api/services/{service}/operations.
struct StoredOperation {
  std::string name;
  opentelemetry::proto::trace::v1::Span::SpanKind kind;
};

// A trace search, with Jaeger's semantics: a trace matches when one of its
// spans matches every given condition. Times are Unix nanoseconds.
struct TraceQuery {
  std::string service;    // "" matches any service
  std::string operation;  // "" matches any span name
  // key=value pairs, all of which one span must carry (as attributes, as
  // resource attributes, in an event, or as a derived tag such as
  // error=true or span.kind=server). Values compare as strings.
  std::vector<std::pair<std::string, std::string>> tags;
  std::optional<int64_t> start_min_ns;
  std::optional<int64_t> start_max_ns;
  std::optional<int64_t> min_duration_ns;
  std::optional<int64_t> max_duration_ns;
  size_t limit = 20;  // traces, most recent first
};

}  // namespace agenthub::collector
