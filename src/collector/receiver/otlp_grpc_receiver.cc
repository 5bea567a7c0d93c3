#include "collector/receiver/otlp_grpc_receiver.h"

#include <grpcpp/support/proto_buffer_reader.h>
#include <grpcpp/support/proto_buffer_writer.h>

#include "opentelemetry/proto/collector/logs/v1/logs_service.grpc.pb.h"
#include "opentelemetry/proto/collector/metrics/v1/metrics_service.grpc.pb.h"
#include "opentelemetry/proto/collector/trace/v1/trace_service.grpc.pb.h"

namespace agenthub::collector {
namespace {

using telemetry::OtlpSignal;
namespace trace_v1 = opentelemetry::proto::collector::trace::v1;
namespace metrics_v1 = opentelemetry::proto::collector::metrics::v1;
namespace logs_v1 = opentelemetry::proto::collector::logs::v1;

// Decodes, ingests and answers one Export call of any signal.
template <typename Request>
grpc::ServerUnaryReactor* Export(OtlpIngest& ingest, OtlpSignal signal,
                                 grpc::CallbackServerContext* context,
                                 const grpc::ByteBuffer* request_bytes,
                                 grpc::ByteBuffer* response_bytes) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  // The copy shares the slices (reference counted); the reader needs a
  // mutable buffer.
  grpc::ByteBuffer bytes(*request_bytes);
  const size_t size = bytes.Length();
  auto request = NewArenaMessage<Request>(size);
  grpc::ProtoBufferReader reader(&bytes);
  if (!request->ParseFromZeroCopyStream(&reader)) {
    ingest.CountInvalidRequest();
    reactor->Finish(grpc::Status(
        grpc::StatusCode::INVALID_ARGUMENT,
        "invalid protobuf: the request is not an encoded " + Request::descriptor()->name()));
    return reactor;
  }
  IngestOutcome outcome;
  if constexpr (std::is_same_v<Request, trace_v1::ExportTraceServiceRequest>) {
    outcome = ingest.IngestTraces(std::move(request), size);
  } else if constexpr (std::is_same_v<Request, logs_v1::ExportLogsServiceRequest>) {
    outcome = ingest.IngestLogs(std::move(request), size);
  } else {
    outcome = ingest.IngestMetrics(std::move(request), size);
  }
  switch (outcome.code) {
    case IngestOutcome::Code::kOk: {
      const auto response = OtlpIngest::MakeResponse(signal, outcome);
      bool own_buffer = false;
      grpc::GenericSerialize<grpc::ProtoBufferWriter, google::protobuf::Message>(
          *response, response_bytes, &own_buffer);
      reactor->Finish(grpc::Status::OK);
      break;
    }
    case IngestOutcome::Code::kInvalid:
      reactor->Finish(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, outcome.message));
      break;
    case IngestOutcome::Code::kUnavailable:
      reactor->Finish(grpc::Status(grpc::StatusCode::UNAVAILABLE, outcome.message));
      break;
  }
  return reactor;
}

class TraceService final
    : public trace_v1::TraceService::WithRawCallbackMethod_Export<trace_v1::TraceService::Service> {
 public:
  explicit TraceService(OtlpIngest& ingest) : ingest_(ingest) {}
  grpc::ServerUnaryReactor* Export(grpc::CallbackServerContext* context,
                                   const grpc::ByteBuffer* request,
                                   grpc::ByteBuffer* response) override {
    return collector::Export<trace_v1::ExportTraceServiceRequest>(ingest_, OtlpSignal::kTraces,
                                                                  context, request, response);
  }

 private:
  OtlpIngest& ingest_;
};

class MetricsService final : public metrics_v1::MetricsService::WithRawCallbackMethod_Export<
                                 metrics_v1::MetricsService::Service> {
 public:
  explicit MetricsService(OtlpIngest& ingest) : ingest_(ingest) {}
  grpc::ServerUnaryReactor* Export(grpc::CallbackServerContext* context,
                                   const grpc::ByteBuffer* request,
                                   grpc::ByteBuffer* response) override {
    return collector::Export<metrics_v1::ExportMetricsServiceRequest>(ingest_, OtlpSignal::kMetrics,
                                                                      context, request, response);
  }

 private:
  OtlpIngest& ingest_;
};

class LogsService final
    : public logs_v1::LogsService::WithRawCallbackMethod_Export<logs_v1::LogsService::Service> {
 public:
  explicit LogsService(OtlpIngest& ingest) : ingest_(ingest) {}
  grpc::ServerUnaryReactor* Export(grpc::CallbackServerContext* context,
                                   const grpc::ByteBuffer* request,
                                   grpc::ByteBuffer* response) override {
    return collector::Export<logs_v1::ExportLogsServiceRequest>(ingest_, OtlpSignal::kLogs, context,
                                                                request, response);
  }

 private:
  OtlpIngest& ingest_;
};

}  // namespace

class OtlpGrpcReceiver::Services {
 public:
  explicit Services(OtlpIngest& ingest) : traces(ingest), metrics(ingest), logs(ingest) {}
  TraceService traces;
  MetricsService metrics;
  LogsService logs;
};

std::unique_ptr<OtlpGrpcReceiver> OtlpGrpcReceiver::Start(OtlpGrpcReceiverOptions options,
                                                          OtlpIngest& ingest, std::string* error) {
  std::unique_ptr<OtlpGrpcReceiver> receiver(new OtlpGrpcReceiver());
  receiver->services_ = std::make_unique<Services>(ingest);
  grpc::ServerBuilder builder;
  const std::string address = options.host + ":" + std::to_string(options.port);
  builder.AddListeningPort(address, grpc::InsecureServerCredentials(), &receiver->port_);
  builder.SetMaxReceiveMessageSize(static_cast<int>(
      std::min<size_t>(options.max_request_bytes, static_cast<size_t>(INT32_MAX))));
  // Two listeners on one port would split the traffic silently.
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  builder.RegisterService(&receiver->services_->traces);
  builder.RegisterService(&receiver->services_->metrics);
  builder.RegisterService(&receiver->services_->logs);
  receiver->server_ = builder.BuildAndStart();
  if (!receiver->server_ || receiver->port_ == 0) {
    if (error) *error = "OTLP/gRPC receiver: cannot listen on " + address;
    return nullptr;
  }
  return receiver;
}

OtlpGrpcReceiver::~OtlpGrpcReceiver() { Stop(); }

void OtlpGrpcReceiver::Stop() {
  if (!server_) return;
  // In-flight Exports only enqueue, so they finish promptly.
  server_->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(5));
  server_.reset();
}

}  // namespace agenthub::collector
