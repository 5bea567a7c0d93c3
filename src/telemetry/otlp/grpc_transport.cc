// OTLP/gRPC: one unary call to
// /opentelemetry.proto.collector.<signal>.v1.<Signal>Service/Export per
// attempt, made through a generic stub so the three signals share this code
// and the retry loop in transport.cc can resend the same serialized bytes.
#include <grpcpp/create_channel.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>
#include <grpcpp/security/credentials.h>

#include <fstream>
#include <future>
#include <sstream>

#include "telemetry/common/diagnostics.h"
#include "telemetry/common/env.h"
#include "telemetry/otlp/transport.h"

namespace agenthub::telemetry {
namespace {

const char* ExportMethod(OtlpSignal signal) {
  switch (signal) {
    case OtlpSignal::kTraces:
      return "/opentelemetry.proto.collector.trace.v1.TraceService/Export";
    case OtlpSignal::kMetrics:
      return "/opentelemetry.proto.collector.metrics.v1.MetricsService/Export";
    case OtlpSignal::kLogs:
      return "/opentelemetry.proto.collector.logs.v1.LogsService/Export";
  }
  return "";
}

// Where to connect, and whether with TLS. An http:// or https:// scheme
// decides the security and wins over `insecure` (exporter specification);
// any other form goes to gRPC untouched, secured unless `insecure`.
struct Target {
  std::string address;
  bool secure;
};

Target ResolveTarget(const OtlpExporterConfig& config) {
  const std::string lower = ToLowerAscii(config.endpoint);
  for (const auto& [scheme, secure] : {std::pair{"http://", false}, std::pair{"https://", true}}) {
    const std::string_view prefix(scheme);
    if (lower.starts_with(prefix)) {
      std::string_view rest = std::string_view(config.endpoint).substr(prefix.size());
      // gRPC names the service in the RPC path, so a URL path means nothing.
      rest = rest.substr(0, rest.find('/'));
      return {std::string(rest), secure};
    }
  }
  return {config.endpoint, !config.insecure};
}

std::string ReadPemFile(const std::string& path, const char* what) {
  if (path.empty()) return {};
  std::ifstream file(path, std::ios::binary);
  std::stringstream contents;
  contents << file.rdbuf();
  if (!file) {
    ReportWarning(std::string("OTLP exporter: cannot read the ") + what + " file " + path +
                  "; continuing without it");
    return {};
  }
  return contents.str();
}

std::shared_ptr<grpc::ChannelCredentials> Credentials(const OtlpExporterConfig& config,
                                                      bool secure) {
  if (!secure) return grpc::InsecureChannelCredentials();
  grpc::SslCredentialsOptions options;
  options.pem_root_certs = ReadPemFile(config.certificate_file, "certificate");
  options.pem_private_key = ReadPemFile(config.client_key_file, "client key");
  options.pem_cert_chain = ReadPemFile(config.client_certificate_file, "client certificate");
  return grpc::SslCredentials(options);
}

// gRPC deadlines are wall-clock times; ours are steady. A deadline too far
// away to add to the wall clock (Deadline::max()) means none.
std::chrono::system_clock::time_point ToSystemTime(Deadline deadline) {
  const auto remaining = deadline - SteadyClock::now();
  if (remaining > std::chrono::hours(24 * 365)) return std::chrono::system_clock::time_point::max();
  return std::chrono::system_clock::now() +
         std::chrono::duration_cast<std::chrono::system_clock::duration>(remaining);
}

bool IsRetryable(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::CANCELLED:
    case grpc::StatusCode::DEADLINE_EXCEEDED:
    case grpc::StatusCode::ABORTED:
    case grpc::StatusCode::OUT_OF_RANGE:
    case grpc::StatusCode::UNAVAILABLE:
    case grpc::StatusCode::DATA_LOSS:
      return true;
    default:
      return false;
  }
}

const char* CodeName(grpc::StatusCode code) {
  static constexpr const char* kNames[] = {"OK",
                                           "CANCELLED",
                                           "UNKNOWN",
                                           "INVALID_ARGUMENT",
                                           "DEADLINE_EXCEEDED",
                                           "NOT_FOUND",
                                           "ALREADY_EXISTS",
                                           "PERMISSION_DENIED",
                                           "RESOURCE_EXHAUSTED",
                                           "FAILED_PRECONDITION",
                                           "ABORTED",
                                           "OUT_OF_RANGE",
                                           "UNIMPLEMENTED",
                                           "INTERNAL",
                                           "UNAVAILABLE",
                                           "DATA_LOSS",
                                           "UNAUTHENTICATED"};
  const auto index = static_cast<size_t>(code);
  return index < std::size(kNames) ? kNames[index] : "UNKNOWN";
}

class GrpcTransport final : public OtlpTransport {
 public:
  explicit GrpcTransport(OtlpExporterConfig config)
      : OtlpTransport(std::move(config)), method_(ExportMethod(this->config().signal)) {
    const Target target = ResolveTarget(this->config());
    grpc::ChannelArguments args;
    args.SetUserAgentPrefix(OtlpUserAgent());
    // Our retry loop follows the OTLP rules; gRPC's own would double it.
    args.SetInt(GRPC_ARG_ENABLE_RETRIES, 0);
    // A restarted collector is found again within seconds, not minutes.
    args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 5000);
    channel_ =
        grpc::CreateCustomChannel(target.address, Credentials(this->config(), target.secure), args);
    stub_ = std::make_unique<grpc::GenericStub>(channel_);
  }

  ~GrpcTransport() override { Shutdown(); }

 private:
  Attempt SendOnce(std::string_view body, Deadline deadline) override {
    grpc::ClientContext context;
    context.set_deadline(ToSystemTime(deadline));
    for (const auto& [key, value] : config().headers) context.AddMetadata(key, value);
    if (config().compression == OtlpCompression::kGzip) {
      context.set_compression_algorithm(GRPC_COMPRESS_GZIP);
    }
    grpc::Slice slice(body.data(), body.size());
    grpc::ByteBuffer request(&slice, 1);
    grpc::ByteBuffer response;
    {
      std::lock_guard lock(mu_);
      if (cancelled_) return Failed("the exporter is shut down");
      in_flight_ = &context;
    }
    // Shared with the callback, which may still be returning from setting
    // the result when this thread wakes up and leaves.
    auto done = std::make_shared<std::promise<grpc::Status>>();
    std::future<grpc::Status> status_future = done->get_future();
    stub_->UnaryCall(&context, method_, grpc::StubOptions(), &request, &response,
                     [done](grpc::Status status) { done->set_value(std::move(status)); });
    // The call's deadline (or TryCancel from Shutdown) guarantees completion.
    const grpc::Status status = status_future.get();
    bool cancelled;
    {
      std::lock_guard lock(mu_);
      in_flight_ = nullptr;
      cancelled = cancelled_;
    }
    return Classify(status, response, cancelled);
  }

  void CancelInFlight() override {
    std::lock_guard lock(mu_);
    cancelled_ = true;
    if (in_flight_ != nullptr) in_flight_->TryCancel();
  }

  static Attempt Failed(std::string error) {
    Attempt attempt;
    attempt.outcome = Attempt::Outcome::kFailed;
    attempt.error = std::move(error);
    return attempt;
  }

  Attempt Classify(const grpc::Status& status, grpc::ByteBuffer& response, bool cancelled) {
    Attempt attempt;
    if (status.ok()) {
      attempt.outcome = Attempt::Outcome::kOk;
      std::vector<grpc::Slice> slices;
      if (response.Dump(&slices).ok()) {
        for (const grpc::Slice& s : slices) {
          attempt.response.append(reinterpret_cast<const char*>(s.begin()), s.size());
        }
      }
      return attempt;
    }
    if (cancelled) return Failed("the exporter shut down during the export");
    attempt.error =
        std::string("gRPC ") + CodeName(status.error_code()) + " from " + config().endpoint;
    if (!status.error_message().empty()) attempt.error += ": " + status.error_message();
    std::optional<internal::RpcStatusInfo> details;
    if (!status.error_details().empty()) details = internal::ParseRpcStatus(status.error_details());
    const bool has_retry_info = details && details->retry_delay;
    bool retryable = IsRetryable(status.error_code());
    // RESOURCE_EXHAUSTED is transient only when the server says when to
    // come back (OTLP specification, "Failures").
    if (status.error_code() == grpc::StatusCode::RESOURCE_EXHAUSTED) retryable = has_retry_info;
    attempt.outcome = retryable ? Attempt::Outcome::kRetryable : Attempt::Outcome::kFailed;
    if (retryable && has_retry_info && details->retry_delay->count() > 0) {
      attempt.retry_after = details->retry_delay;
    }
    return attempt;
  }

  const std::string method_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<grpc::GenericStub> stub_;
  std::mutex mu_;
  grpc::ClientContext* in_flight_ = nullptr;  // the call Shutdown must cancel
  bool cancelled_ = false;                    // sticky: set once by Shutdown
};

}  // namespace

namespace internal {

std::unique_ptr<OtlpTransport> MakeGrpcTransport(OtlpExporterConfig config) {
  return std::make_unique<GrpcTransport>(std::move(config));
}

}  // namespace internal
}  // namespace agenthub::telemetry
