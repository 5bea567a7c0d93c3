#include "telemetry/otlp/transport.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/wire_format_lite.h>

#include <algorithm>
#include <cmath>
#include <random>

#include "opentelemetry/proto/collector/logs/v1/logs_service.pb.h"
#include "opentelemetry/proto/collector/metrics/v1/metrics_service.pb.h"
#include "opentelemetry/proto/collector/trace/v1/trace_service.pb.h"
#include "telemetry/common/diagnostics.h"
#include "telemetry/common/env.h"
#include "telemetry/otlp/otlp_message_json.h"
#include "telemetry/resource/resource.h"

namespace agenthub::telemetry {
namespace {

using google::protobuf::internal::WireFormatLite;
using google::protobuf::io::CodedInputStream;

const char* ItemsName(OtlpSignal signal) {
  switch (signal) {
    case OtlpSignal::kTraces:
      return "spans";
    case OtlpSignal::kMetrics:
      return "data points";
    case OtlpSignal::kLogs:
      return "log records";
  }
  return "items";
}

// Reads one length-delimited field's bytes; false when malformed.
bool ReadBytes(CodedInputStream& in, std::string* out) {
  uint32_t length = 0;
  return in.ReadVarint32(&length) && in.ReadString(out, static_cast<int>(length));
}

// google.protobuf.Duration { int64 seconds = 1; int32 nanos = 2; }
std::optional<std::chrono::milliseconds> ParseDuration(std::string_view bytes) {
  CodedInputStream in(reinterpret_cast<const uint8_t*>(bytes.data()),
                      static_cast<int>(bytes.size()));
  uint64_t seconds = 0;
  uint64_t nanos = 0;
  while (const uint32_t tag = in.ReadTag()) {
    const int field = WireFormatLite::GetTagFieldNumber(tag);
    const auto type = WireFormatLite::GetTagWireType(tag);
    if (field == 1 && type == WireFormatLite::WIRETYPE_VARINT) {
      if (!in.ReadVarint64(&seconds)) return std::nullopt;
    } else if (field == 2 && type == WireFormatLite::WIRETYPE_VARINT) {
      if (!in.ReadVarint64(&nanos)) return std::nullopt;
    } else if (!WireFormatLite::SkipField(&in, tag)) {
      return std::nullopt;
    }
  }
  const auto s = static_cast<int64_t>(seconds);
  const auto n = static_cast<int32_t>(nanos);
  if (s < 0 || n < 0) return std::chrono::milliseconds(0);
  // Clamp absurd values; the deadline cuts any wait short anyway.
  const int64_t ms = std::min<int64_t>(s, int64_t{86400} * 365) * 1000 + n / 1'000'000;
  return std::chrono::milliseconds(ms);
}

// google.protobuf.Any { string type_url = 1; bytes value = 2; } holding
// google.rpc.RetryInfo { google.protobuf.Duration retry_delay = 1; }.
std::optional<std::chrono::milliseconds> RetryDelayFromAny(std::string_view bytes) {
  CodedInputStream in(reinterpret_cast<const uint8_t*>(bytes.data()),
                      static_cast<int>(bytes.size()));
  std::string type_url;
  std::string value;
  while (const uint32_t tag = in.ReadTag()) {
    const int field = WireFormatLite::GetTagFieldNumber(tag);
    const auto type = WireFormatLite::GetTagWireType(tag);
    if (field == 1 && type == WireFormatLite::WIRETYPE_LENGTH_DELIMITED) {
      if (!ReadBytes(in, &type_url)) return std::nullopt;
    } else if (field == 2 && type == WireFormatLite::WIRETYPE_LENGTH_DELIMITED) {
      if (!ReadBytes(in, &value)) return std::nullopt;
    } else if (!WireFormatLite::SkipField(&in, tag)) {
      return std::nullopt;
    }
  }
  constexpr std::string_view kRetryInfo = "/google.rpc.RetryInfo";
  if (type_url.size() < kRetryInfo.size() ||
      type_url.compare(type_url.size() - kRetryInfo.size(), kRetryInfo.size(), kRetryInfo) != 0) {
    return std::nullopt;
  }
  CodedInputStream info(reinterpret_cast<const uint8_t*>(value.data()),
                        static_cast<int>(value.size()));
  std::optional<std::chrono::milliseconds> delay;
  while (const uint32_t tag = info.ReadTag()) {
    if (WireFormatLite::GetTagFieldNumber(tag) == 1 &&
        WireFormatLite::GetTagWireType(tag) == WireFormatLite::WIRETYPE_LENGTH_DELIMITED) {
      std::string duration;
      if (!ReadBytes(info, &duration)) return std::nullopt;
      delay = ParseDuration(duration);
    } else if (!WireFormatLite::SkipField(&info, tag)) {
      return std::nullopt;
    }
  }
  // A RetryInfo without a delay still says "retrying may succeed".
  return delay.value_or(std::chrono::milliseconds(0));
}

template <typename Response, typename Rejected>
std::optional<OtlpPartialSuccess> PartialSuccessOf(std::string_view body, bool json,
                                                   Rejected rejected, std::string* error) {
  Response response;
  const bool parsed = json ? ParseJson(body, &response, error)
                           : response.ParseFromArray(body.data(), static_cast<int>(body.size()));
  if (!parsed) {
    if (!json && error != nullptr) *error = "the response is not a valid protobuf message";
    return std::nullopt;
  }
  if (!response.has_partial_success()) return std::nullopt;
  OtlpPartialSuccess partial{rejected(response.partial_success()),
                             response.partial_success().error_message()};
  // All defaults is the same as no partial_success at all (specification).
  if (partial.rejected == 0 && partial.error_message.empty()) return std::nullopt;
  return partial;
}

}  // namespace

const std::string& OtlpUserAgent() {
  static const std::string agent = [] {
    std::string version = Resource::Default().GetString("telemetry.sdk.version");
    return "OTel-OTLP-Exporter-Cpp-AgentHub/" + (version.empty() ? std::string("0") : version);
  }();
  return agent;
}

std::unique_ptr<OtlpTransport> OtlpTransport::Create(OtlpExporterConfig config) {
  // Headers set in code skipped ParseOtlpHeaders' checks; a bad one would
  // make gRPC abort the process or let a value inject HTTP headers.
  OtlpHeaders headers;
  for (auto& [name, value] : config.headers) {
    if (IsValidOtlpHeader(name, value)) {
      headers.emplace_back(ToLowerAscii(name), std::move(value));
    } else {
      ReportWarning("OTLP exporter: ignoring header '" + name +
                    "': not a header name, or a value with control characters");
    }
  }
  config.headers = std::move(headers);
  if (config.protocol == OtlpProtocol::kGrpc) return internal::MakeGrpcTransport(std::move(config));
  return internal::MakeHttpTransport(std::move(config));
}

OtlpTransport::OtlpTransport(OtlpExporterConfig config) : config_(std::move(config)) {}

OtlpTransport::~OtlpTransport() = default;

bool OtlpTransport::is_shut_down() const {
  std::lock_guard lock(mu_);
  return shut_down_;
}

void OtlpTransport::Shutdown() {
  {
    std::lock_guard lock(mu_);
    if (shut_down_) return;
    shut_down_ = true;
  }
  shutdown_cv_.notify_all();
  CancelInFlight();
}

bool OtlpTransport::WaitUnlessShutDown(std::chrono::milliseconds delay) {
  std::unique_lock lock(mu_);
  return !shutdown_cv_.wait_for(lock, delay, [this] { return shut_down_; });
}

OtlpSendResult OtlpTransport::Send(const google::protobuf::Message& request, Deadline deadline) {
  std::string body;
  if (config_.protocol == OtlpProtocol::kHttpJson) {
    std::string error;
    if (!ToOtlpJson(request, &body, &error)) {
      OtlpSendResult result;
      result.error = "cannot encode the request as OTLP/JSON: " + error;
      return result;
    }
  } else if (!request.SerializeToString(&body)) {
    OtlpSendResult result;
    result.error = "cannot serialize the request";
    return result;
  }
  return SendEncoded(body, deadline);
}

OtlpSendResult OtlpTransport::SendEncoded(const std::string& body, Deadline deadline) {
  std::lock_guard send_lock(send_mu_);
  OtlpSendResult result;
  if (body.size() > config_.max_request_bytes) {
    result.error = "the request has " + std::to_string(body.size()) + " bytes, more than the " +
                   std::to_string(config_.max_request_bytes) + "-byte limit";
    return result;
  }
  std::string storage;
  const std::string_view wire = PrepareBody(body, &storage);
  for (int retry = 1;; ++retry) {
    if (is_shut_down()) {
      result.error = result.error.empty() ? "the exporter is shut down"
                                          : result.error + " (then the exporter shut down)";
      result.retryable = false;
      return result;
    }
    if (SteadyClock::now() >= deadline) {
      result.error = result.error.empty() ? "the export deadline passed before sending"
                                          : result.error + " (then the export deadline passed)";
      return result;
    }
    Attempt attempt = SendOnce(wire, deadline);
    ++result.attempts;
    if (attempt.outcome == Attempt::Outcome::kOk) {
      result.ok = true;
      result.retryable = false;
      result.error.clear();
      std::string ignored;  // an unreadable success body still means success
      result.partial_success = internal::ParsePartialSuccess(config_.signal, attempt.response,
                                                             attempt.response_is_json, &ignored);
      if (result.partial_success) ReportPartialSuccess(*result.partial_success);
      return result;
    }
    result.error = std::move(attempt.error);
    result.retryable = attempt.outcome == Attempt::Outcome::kRetryable;
    if (!result.retryable || result.attempts >= config_.retry.max_attempts) return result;
    const std::chrono::milliseconds delay =
        attempt.retry_after ? *attempt.retry_after : internal::BackoffDelay(config_.retry, retry);
    if (SteadyClock::now() + delay >= deadline) {
      result.error += " (no time left to retry before the export deadline)";
      return result;
    }
    if (!WaitUnlessShutDown(delay)) {
      result.error += " (then the exporter shut down)";
      result.retryable = false;
      return result;
    }
  }
}

void OtlpTransport::ReportPartialSuccess(const OtlpPartialSuccess& partial) const {
  std::string message = std::string("OTLP ") + OtlpSignalName(config_.signal) + " export to " +
                        config_.endpoint + ": ";
  if (partial.rejected > 0) {
    message += "the collector rejected " + std::to_string(partial.rejected) + " " +
               ItemsName(config_.signal);
    if (!partial.error_message.empty()) message += ": " + partial.error_message;
  } else {
    message += "the collector accepted everything and says: " + partial.error_message;
  }
  ReportWarning(message);
}

namespace internal {

std::optional<RpcStatusInfo> ParseRpcStatus(std::string_view serialized) {
  // google.rpc.Status { int32 code = 1; string message = 2;
  //                     repeated google.protobuf.Any details = 3; }
  CodedInputStream in(reinterpret_cast<const uint8_t*>(serialized.data()),
                      static_cast<int>(serialized.size()));
  RpcStatusInfo info;
  while (const uint32_t tag = in.ReadTag()) {
    const int field = WireFormatLite::GetTagFieldNumber(tag);
    const auto type = WireFormatLite::GetTagWireType(tag);
    if (field == 2 && type == WireFormatLite::WIRETYPE_LENGTH_DELIMITED) {
      if (!ReadBytes(in, &info.message)) return std::nullopt;
    } else if (field == 3 && type == WireFormatLite::WIRETYPE_LENGTH_DELIMITED) {
      std::string any;
      if (!ReadBytes(in, &any)) return std::nullopt;
      if (auto delay = RetryDelayFromAny(any)) info.retry_delay = delay;
    } else if (!WireFormatLite::SkipField(&in, tag)) {
      return std::nullopt;
    }
  }
  // ReadTag() also gives 0 on garbage: only a fully read body is a Status.
  if (in.CurrentPosition() != static_cast<int>(serialized.size())) return std::nullopt;
  return info;
}

std::optional<OtlpPartialSuccess> ParsePartialSuccess(OtlpSignal signal, std::string_view body,
                                                      bool json, std::string* error) {
  namespace trace_svc = opentelemetry::proto::collector::trace::v1;
  namespace metrics_svc = opentelemetry::proto::collector::metrics::v1;
  namespace logs_svc = opentelemetry::proto::collector::logs::v1;
  if (body.empty()) return std::nullopt;  // an empty message
  switch (signal) {
    case OtlpSignal::kTraces:
      return PartialSuccessOf<trace_svc::ExportTraceServiceResponse>(
          body, json, [](const auto& p) { return p.rejected_spans(); }, error);
    case OtlpSignal::kMetrics:
      return PartialSuccessOf<metrics_svc::ExportMetricsServiceResponse>(
          body, json, [](const auto& p) { return p.rejected_data_points(); }, error);
    case OtlpSignal::kLogs:
      return PartialSuccessOf<logs_svc::ExportLogsServiceResponse>(
          body, json, [](const auto& p) { return p.rejected_log_records(); }, error);
  }
  return std::nullopt;
}

std::chrono::milliseconds BackoffDelay(const OtlpRetryPolicy& policy, int retry) {
  double delay = static_cast<double>(policy.initial_backoff.count()) *
                 std::pow(std::max(policy.backoff_multiplier, 1.0), std::max(retry - 1, 0));
  delay = std::min(delay, static_cast<double>(policy.max_backoff.count()));
  // Jitter spreads out exporters that failed together, so they do not all
  // come back at the same instant.
  const double jitter = std::clamp(policy.jitter, 0.0, 1.0);
  if (jitter > 0) {
    thread_local std::minstd_rand rng{std::random_device{}()};
    std::uniform_real_distribution<double> factor(1.0 - jitter, 1.0 + jitter);
    delay *= factor(rng);
  }
  return std::chrono::milliseconds(static_cast<int64_t>(std::max(delay, 0.0)));
}

}  // namespace internal
}  // namespace agenthub::telemetry
