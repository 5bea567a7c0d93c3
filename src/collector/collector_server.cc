#include "collector/collector_server.h"

#include "telemetry/telemetry.h"

namespace agenthub::collector {

std::unique_ptr<CollectorServer> CollectorServer::Start(CollectorOptions options,
                                                        runtime::ProcessTelemetry* telemetry,
                                                        std::string* error) {
  std::unique_ptr<CollectorServer> server(new CollectorServer(std::move(options)));
  const CollectorOptions& o = server->options_;
  server->store_ = TraceStore::Open(o.store, error);
  if (!server->store_) return nullptr;
  server->queue_ = std::make_shared<IngestQueue>(*server->store_, o.queue);
  server->ingest_ = std::make_shared<OtlpIngest>(*server->queue_);
  // Observers go in before any listener starts, so they see the first
  // request.
  if (telemetry) server->RegisterMetrics(*telemetry);
  if (!o.forward_endpoint.empty()) {
    server->forwarder_ = std::make_unique<OtlpForwarder>(
        OtlpForwarderOptions{.endpoint = o.forward_endpoint, .protocol = o.forward_protocol});
    server->queue_->AddStoredObserver(
        [forwarder = server->forwarder_.get()](telemetry::OtlpSignal signal,
                                               const google::protobuf::Message& request) {
          forwarder->Forward(signal, request);
        });
  }

  if (o.query_port >= 0) {
    net::HttpListenerOptions listener;
    listener.host = o.host;
    listener.port = o.query_port;
    listener.workers = o.http_workers;
    server->query_ = QueryServer::Start(listener, *server->store_, error);
    if (!server->query_) return nullptr;
  }
  if (o.grpc_port >= 0) {
    OtlpGrpcReceiverOptions grpc;
    grpc.host = o.host;
    grpc.port = o.grpc_port;
    grpc.max_request_bytes = o.max_request_bytes;
    server->grpc_ = OtlpGrpcReceiver::Start(grpc, *server->ingest_, error);
    if (!server->grpc_) return nullptr;
  }
  if (o.http_port >= 0) {
    OtlpHttpReceiverOptions http;
    http.listener.host = o.host;
    http.listener.port = o.http_port;
    http.listener.workers = o.http_workers;
    http.max_request_bytes = o.max_request_bytes;
    server->http_ = OtlpHttpReceiver::Start(http, *server->ingest_, error);
    if (!server->http_) return nullptr;
  }
  return server;
}

CollectorServer::~CollectorServer() { Shutdown(); }

void CollectorServer::Shutdown() {
  if (shut_down_) return;
  shut_down_ = true;
  // Receivers first, so nothing new arrives; then the queue writes what
  // was accepted; the query API last, so reads work until the end.
  if (grpc_) grpc_->Stop();
  if (http_) http_->Stop();
  if (queue_) queue_->Shutdown();
  if (forwarder_) forwarder_->Shutdown();  // after the queue: it forwards what is stored
  if (query_) query_->Stop();
}

void CollectorServer::RegisterMetrics(runtime::ProcessTelemetry& telemetry) {
  using telemetry::CounterSample;
  using telemetry::GaugeSample;
  using telemetry::MetricSample;
  std::weak_ptr<IngestQueue> weak_queue = queue_;
  std::weak_ptr<OtlpIngest> weak_ingest = ingest_;
  span_metrics_ = std::make_unique<SpanMetrics>(telemetry.Meter("agenthub.collector"));
  queue_->AddStoredObserver(
      [metrics = span_metrics_.get()](telemetry::OtlpSignal signal,
                                      const google::protobuf::Message& request) {
        if (signal == telemetry::OtlpSignal::kTraces) {
          metrics->Record(static_cast<const IngestQueue::TraceRequest&>(request));
        }
      });
  TraceStore* store = store_.get();
  telemetry.meter_provider()->AddCollectable(
      std::make_shared<telemetry::CallbackCollectable>([weak_queue, weak_ingest, store] {
        std::vector<MetricSample> samples;
        auto queue = weak_queue.lock();
        auto ingest = weak_ingest.lock();
        if (!queue || !ingest) return samples;
        const ReceiverCounters& r = ingest->counters();
        const IngestCounters& q = queue->counters();
        auto counter = [&](const char* name, const char* help, int64_t value,
                           prometheus::Labels labels) {
          samples.push_back(
              CounterSample(name, help, static_cast<double>(value), std::move(labels)));
        };
        counter("agenthub_collector_requests_total", "OTLP export requests received, by outcome.",
                r.requests - r.invalid_requests - r.refused_requests, {{"outcome", "accepted"}});
        counter("agenthub_collector_requests_total", "OTLP export requests received, by outcome.",
                r.invalid_requests, {{"outcome", "invalid"}});
        counter("agenthub_collector_requests_total", "OTLP export requests received, by outcome.",
                r.refused_requests, {{"outcome", "refused"}});
        const char* items_help =
            "Items by signal and outcome: received (decoded), rejected (invalid, partial "
            "success), refused (queue full), stored, dropped (store failure).";
        const std::tuple<const char*, int64_t, int64_t, int64_t, int64_t> signals[] = {
            {"spans", r.received_spans, r.rejected_spans, r.refused_spans, q.stored_spans},
            {"logs", r.received_logs, r.rejected_logs, r.refused_logs, q.stored_logs},
            {"metric_points", r.received_metric_points, 0, r.refused_metric_points,
             q.stored_metric_points}};
        for (const auto& [signal, received, rejected, refused, stored] : signals) {
          counter("agenthub_collector_items_total", items_help, received,
                  {{"signal", signal}, {"outcome", "received"}});
          counter("agenthub_collector_items_total", items_help, rejected,
                  {{"signal", signal}, {"outcome", "rejected"}});
          counter("agenthub_collector_items_total", items_help, refused,
                  {{"signal", signal}, {"outcome", "refused"}});
          counter("agenthub_collector_items_total", items_help, stored,
                  {{"signal", signal}, {"outcome", "stored"}});
        }
        counter("agenthub_collector_dropped_items_total",
                "Items accepted but lost because the store failed to write them.",
                q.write_failed_items, {});
        counter("agenthub_collector_retention_deleted_spans_total",
                "Spans deleted by --retention and --max-spans.", q.retention_deleted_spans, {});
        samples.push_back(GaugeSample("agenthub_collector_queue_bytes",
                                      "Encoded bytes of requests waiting to be stored.",
                                      static_cast<double>(queue->queued_bytes())));
        samples.push_back(GaugeSample("agenthub_collector_queue_requests",
                                      "Requests waiting to be stored.",
                                      static_cast<double>(queue->queued_requests())));
        samples.push_back(GaugeSample("agenthub_collector_stored_spans", "Spans in the store.",
                                      static_cast<double>(store->span_count())));
        return samples;
      }));
}

}  // namespace agenthub::collector
