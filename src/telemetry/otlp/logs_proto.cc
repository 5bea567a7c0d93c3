#include "telemetry/otlp/logs_proto.h"

#include "telemetry/export/resource_scope_groups.h"
#include "telemetry/otlp/trace_proto.h"

namespace agenthub::telemetry {
namespace {

namespace logs_pb = opentelemetry::proto::logs::v1;

template <size_t N>
void SetId(const Id<N>& id, std::string* out) {
  out->assign(reinterpret_cast<const char*>(id.bytes().data()), N);
}

}  // namespace

void FillLogRecord(const LogRecordData& record, logs_pb::LogRecord* out) {
  out->set_time_unix_nano(UnixNanos(record.timestamp));
  out->set_observed_time_unix_nano(UnixNanos(record.observed_timestamp));
  out->set_severity_number(static_cast<logs_pb::SeverityNumber>(record.severity_number));
  out->set_severity_text(record.severity_text);
  out->mutable_body()->set_string_value(record.body);
  FillKeyValues(record.attributes, out->mutable_attributes());
  out->set_dropped_attributes_count(record.dropped_attributes);
  if (record.has_span()) {
    SetId(record.trace_id, out->mutable_trace_id());
    SetId(record.span_id, out->mutable_span_id());
    out->set_flags(record.trace_flags.value & logs_pb::LOG_RECORD_FLAGS_TRACE_FLAGS_MASK);
  }
}

void FillLogsRequest(std::span<const LogRecordData* const> records,
                     otlp_pb::ExportLogsServiceRequest* out) {
  for (const ResourceGroup<LogRecordData>& group : GroupByResourceAndScope(records)) {
    logs_pb::ResourceLogs* resource_logs = out->add_resource_logs();
    if (group.resource != nullptr) {
      FillResource(*group.resource, resource_logs->mutable_resource());
      resource_logs->set_schema_url(group.resource->schema_url());
    }
    for (const ScopeGroup<LogRecordData>& scope_group : group.scopes) {
      logs_pb::ScopeLogs* scope_logs = resource_logs->add_scope_logs();
      if (scope_group.scope != nullptr) {
        FillInstrumentationScope(*scope_group.scope, scope_logs->mutable_scope());
        scope_logs->set_schema_url(scope_group.scope->schema_url);
      }
      auto* records_out = scope_logs->mutable_log_records();
      records_out->Reserve(static_cast<int>(scope_group.items.size()));
      for (const LogRecordData* record : scope_group.items) {
        FillLogRecord(*record, records_out->Add());
      }
    }
  }
}

otlp_pb::ExportLogsServiceRequest* EncodeLogsRequest(std::span<const LogRecordData* const> records,
                                                     google::protobuf::Arena* arena) {
  auto* request = google::protobuf::Arena::CreateMessage<otlp_pb::ExportLogsServiceRequest>(arena);
  FillLogsRequest(records, request);
  return request;
}

}  // namespace agenthub::telemetry
