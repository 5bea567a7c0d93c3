// The trace exporter's hot path: an ExportTraceServiceRequest in the
// protobuf wire format, written straight from SpanData without building the
// generated messages (which costs an allocation and a copy per field, about
// 1 us per span). OTLP/gRPC and http/protobuf exports use it.
//
// The output equals what FillTraceRequest (trace_proto.h) +
// SerializeToString produce, byte for byte; trace_proto_test checks it.
#pragma once

#include <span>
#include <string>

#include "telemetry/trace/span_data.h"

namespace agenthub::telemetry {

// Replaces the contents of *out, reusing its capacity.
void SerializeTraceRequest(std::span<const SpanData* const> spans, std::string* out);

}  // namespace agenthub::telemetry
