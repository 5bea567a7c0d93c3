// CollectorServer: the whole `agenthub collector` process minus argument
// parsing: the trace store, the ingest queue, the OTLP/gRPC and OTLP/HTTP
// receivers, the query API, and on the process's /metrics the collector's
// own ingest counters and RED metrics of the spans it stores.
#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include "collector/query/query_server.h"
#include "collector/receiver/ingest_queue.h"
#include "collector/receiver/otlp_forwarder.h"
#include "collector/receiver/otlp_grpc_receiver.h"
#include "collector/receiver/otlp_http_receiver.h"
#include "collector/receiver/otlp_ingest.h"
#include "collector/span_metrics.h"
#include "collector/store/trace_store.h"
#include "runtime/runtime.h"

namespace agenthub::collector {

struct CollectorOptions {
  std::string host = "0.0.0.0";
  // 0: any free port (see the accessors); -1: that listener is off.
  int grpc_port = 4317;
  int http_port = 4318;
  int query_port = 16686;
  size_t max_request_bytes = 20 * 1024 * 1024;
  size_t http_workers = 4;
  TraceStoreOptions store;
  IngestQueueOptions queue;
  // --forward-otlp: re-export everything stored to this OTLP endpoint
  // (empty: off). gRPC "http://host:4317", or an HTTP base URL.
  std::string forward_endpoint;
  telemetry::OtlpProtocol forward_protocol = telemetry::OtlpProtocol::kGrpc;
};

class CollectorServer {
 public:
  // Opens the store and starts every listener. Null with *error when the
  // store cannot be opened or a port cannot be bound (nothing is left
  // running then). `telemetry` may be null (tests); when given it must
  // outlive the server and gets the ingest counters on its /metrics.
  static std::unique_ptr<CollectorServer> Start(CollectorOptions options,
                                                runtime::ProcessTelemetry* telemetry,
                                                std::string* error);
  // Shutdown() if not done.
  ~CollectorServer();

  int grpc_port() const { return grpc_ ? grpc_->port() : -1; }
  int http_port() const { return http_ ? http_->port() : -1; }
  int query_port() const { return query_ ? query_->port() : -1; }
  TraceStore& store() { return *store_; }
  IngestQueue& queue() { return *queue_; }
  OtlpIngest& ingest() { return *ingest_; }
  OtlpForwarder* forwarder() { return forwarder_.get(); }  // null unless forwarding
  const CollectorOptions& options() const { return options_; }

  // Stops the receivers (requests in progress finish), writes everything
  // queued, stops the query API. Idempotent.
  void Shutdown();

 private:
  explicit CollectorServer(CollectorOptions options) : options_(std::move(options)) {}
  void RegisterMetrics(runtime::ProcessTelemetry& telemetry);

  const CollectorOptions options_;
  std::unique_ptr<TraceStore> store_;
  std::unique_ptr<SpanMetrics> span_metrics_;  // with telemetry only
  // Shared so that a /metrics scrape racing shutdown reads live counters
  // or none, never freed ones.
  std::shared_ptr<IngestQueue> queue_;
  std::shared_ptr<OtlpIngest> ingest_;
  std::unique_ptr<OtlpGrpcReceiver> grpc_;
  std::unique_ptr<OtlpHttpReceiver> http_;
  std::unique_ptr<QueryServer> query_;
  std::unique_ptr<OtlpForwarder> forwarder_;  // with forward_endpoint only
  bool shut_down_ = false;
};

}  // namespace agenthub::collector
