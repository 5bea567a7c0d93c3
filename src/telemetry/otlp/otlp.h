// Front door of telemetry/otlp: the OpenTelemetry Protocol.
//
//   OtlpExporterConfig::FromEnvironment(signal)  OTEL_EXPORTER_OTLP_* settings
//   MakeOtlpSpanExporter(config)                 spans over OTLP/gRPC or HTTP
//   MakeOtlpLogExporter(config)                  log records, likewise
//   MakeOtlpPeriodicMetricExporter(provider)     metrics pushed every interval
//   OtlpTransport::Create(config)                the send path (and retries)
//                                                every signal's exporter shares
//   FillAnyValue / FillKeyValues / FillResource  SDK data as OTLP messages
//   SerializeTraceRequest                        spans straight to wire bytes
//   ToOtlpJson / ParseJson                       OTLP/JSON for any OTLP message
//
// The messages themselves are the generated opentelemetry::proto::* classes
// (proto/opentelemetry/proto/...).
#pragma once

#include "telemetry/otlp/exporter_config.h"
#include "telemetry/otlp/logs_proto.h"
#include "telemetry/otlp/metrics_proto.h"
#include "telemetry/otlp/otlp_log_exporter.h"
#include "telemetry/otlp/otlp_message_json.h"
#include "telemetry/otlp/otlp_span_exporter.h"
#include "telemetry/otlp/periodic_metric_exporter.h"
#include "telemetry/otlp/trace_proto.h"
#include "telemetry/otlp/trace_wire_writer.h"
#include "telemetry/otlp/transport.h"
