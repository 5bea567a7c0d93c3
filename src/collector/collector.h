// agenthub::collector, the front door of src/collector: an OTLP collector
// with an embedded trace store and a Jaeger-compatible query API, so that
// traces can be seen on a machine with nothing else installed.
//
//   OTLP/gRPC :4317 ─┐                       ┌─ QueryServer :16686
//   OTLP/HTTP :4318 ─┼─ OtlpIngest ─ IngestQueue ─ TraceStore (SQLite, WAL)
//                    │   decode, validate,   one writer,      spans, logs,
//                    │   partial success     batched txns     metric points
//                    └─ 413 / 400 / 503 at the door
//
//   CollectorServer             the process: store, queue, receivers, query
//                               API, ingest counters on /metrics
//   SpanMetrics                 span_metrics.h: RED metrics of stored spans
//   TraceStore                  store/trace_store.h: write batches, search
//                               (service, operation, tags, time, duration),
//                               traces by id, logs of a trace, retention
//   OtlpGrpcReceiver            receiver/otlp_grpc_receiver.h
//   OtlpHttpReceiver            receiver/otlp_http_receiver.h
//   IngestQueue                 receiver/ingest_queue.h: the memory limiter
//   OtlpForwarder               receiver/otlp_forwarder.h: --forward-otlp
//   QueryServer                 query/query_server.h: /api/services,
//                               /api/traces, /api/traces/{id}[/logs]
//   JaegerTrace / LogsJson      query/jaeger_json.h: the response shapes
#pragma once

#include "collector/collector_server.h"
#include "collector/query/jaeger_json.h"
#include "collector/query/query_server.h"
#include "collector/receiver/ingest_queue.h"
#include "collector/receiver/otlp_forwarder.h"
#include "collector/receiver/otlp_grpc_receiver.h"
#include "collector/receiver/otlp_http_receiver.h"
#include "collector/receiver/otlp_ingest.h"
#include "collector/span_metrics.h"
#include "collector/store/ids.h"
#include "collector/store/trace_store.h"
