// Log records as OTLP protobuf messages (opentelemetry.proto.logs.v1), ready
// for OTLP/gRPC, OTLP/HTTP binary or (through otlp_message_json.h) OTLP/JSON.
// Attributes, resources and scopes use the shared helpers of trace_proto.h.
#pragma once

#include <span>

#include <google/protobuf/arena.h>

#include "opentelemetry/proto/collector/logs/v1/logs_service.pb.h"
#include "opentelemetry/proto/logs/v1/logs.pb.h"
#include "telemetry/logs/log_record.h"

namespace agenthub::telemetry {

namespace otlp_pb {
using opentelemetry::proto::collector::logs::v1::ExportLogsServiceRequest;
}  // namespace otlp_pb

// Every field of one record. trace_id/span_id are the raw 16 and 8 bytes,
// left empty outside a valid span (as the data model asks); flags carries
// the W3C trace flags in its low 8 bits.
void FillLogRecord(const LogRecordData& record, opentelemetry::proto::logs::v1::LogRecord* out);

// Appends `records` to `out`, grouped by resource (the same pointer, else
// equal contents) and within that by scope; groups keep the order of first
// appearance and records their batch order. Null entries are skipped; a
// record without resource or scope goes to a group leaving that field unset.
void FillLogsRequest(std::span<const LogRecordData* const> records,
                     otlp_pb::ExportLogsServiceRequest* out);

// The same request allocated on `arena`, which owns the result.
otlp_pb::ExportLogsServiceRequest* EncodeLogsRequest(std::span<const LogRecordData* const> records,
                                                     google::protobuf::Arena* arena);

}  // namespace agenthub::telemetry
