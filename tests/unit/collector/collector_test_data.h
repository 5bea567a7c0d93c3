// Builders of OTLP requests for the collector's tests: a span, a trace of
// spans under one resource, a log record.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "opentelemetry/proto/collector/logs/v1/logs_service.pb.h"
#include "opentelemetry/proto/collector/metrics/v1/metrics_service.pb.h"
#include "opentelemetry/proto/collector/trace/v1/trace_service.pb.h"

namespace agenthub::collector::testdata {

using opentelemetry::proto::collector::logs::v1::ExportLogsServiceRequest;
using opentelemetry::proto::collector::metrics::v1::ExportMetricsServiceRequest;
using opentelemetry::proto::collector::trace::v1::ExportTraceServiceRequest;
using opentelemetry::proto::trace::v1::Span;

// 16 bytes ending in `n` (never all zero for n > 0).
inline std::string TraceId(uint8_t n) {
  std::string id(16, '\0');
  id[0] = 0x4b;
  id[15] = static_cast<char>(n);
  return id;
}

inline std::string SpanId(uint8_t n) {
  std::string id(8, '\0');
  id[0] = 0x01;
  id[7] = static_cast<char>(n);
  return id;
}

// 2023-11-14T22:13:20Z, so tests use fixed, readable times.
constexpr uint64_t kT0 = 1700000000000000000ull;
constexpr uint64_t kMs = 1000000;

inline void SetString(opentelemetry::proto::common::v1::KeyValue* kv, const std::string& key,
                      const std::string& value) {
  kv->set_key(key);
  kv->mutable_value()->set_string_value(value);
}

inline Span MakeSpan(uint8_t trace, uint8_t span, uint8_t parent, const std::string& name,
                     uint64_t start, uint64_t duration) {
  Span s;
  s.set_trace_id(TraceId(trace));
  s.set_span_id(SpanId(span));
  if (parent) s.set_parent_span_id(SpanId(parent));
  s.set_name(name);
  s.set_kind(Span::SPAN_KIND_INTERNAL);
  s.set_start_time_unix_nano(start);
  s.set_end_time_unix_nano(start + duration);
  return s;
}

// A request with one resource (service.name=`service`) and one scope.
inline ExportTraceServiceRequest MakeRequest(const std::string& service,
                                             const std::vector<Span>& spans) {
  ExportTraceServiceRequest request;
  auto* rs = request.add_resource_spans();
  SetString(rs->mutable_resource()->add_attributes(), "service.name", service);
  SetString(rs->mutable_resource()->add_attributes(), "host.name", "test-host");
  rs->set_schema_url("https://opentelemetry.io/schemas/1.21.0");
  auto* ss = rs->add_scope_spans();
  ss->mutable_scope()->set_name("test.scope");
  ss->mutable_scope()->set_version("1.2.3");
  for (const auto& span : spans) *ss->add_spans() = span;
  return request;
}

inline ExportLogsServiceRequest MakeLogs(const std::string& service, uint8_t trace, uint8_t span,
                                         const std::string& body, uint64_t time) {
  ExportLogsServiceRequest request;
  auto* rl = request.add_resource_logs();
  SetString(rl->mutable_resource()->add_attributes(), "service.name", service);
  auto* record = rl->add_scope_logs()->add_log_records();
  record->set_time_unix_nano(time);
  record->set_severity_number(opentelemetry::proto::logs::v1::SEVERITY_NUMBER_INFO);
  record->set_severity_text("INFO");
  record->mutable_body()->set_string_value(body);
  if (trace) record->set_trace_id(TraceId(trace));
  if (span) record->set_span_id(SpanId(span));
  return request;
}

inline ExportMetricsServiceRequest MakeMetrics(const std::string& service, int points) {
  ExportMetricsServiceRequest request;
  auto* rm = request.add_resource_metrics();
  SetString(rm->mutable_resource()->add_attributes(), "service.name", service);
  auto* metric = rm->add_scope_metrics()->add_metrics();
  metric->set_name("requests");
  for (int i = 0; i < points; ++i) metric->mutable_sum()->add_data_points()->set_as_int(i);
  return request;
}

}  // namespace agenthub::collector::testdata
