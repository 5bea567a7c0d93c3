#include "collector/receiver/otlp_http_receiver.h"

#include <algorithm>
#include <cctype>

#include "collector/receiver/rpc_status.h"
#include "telemetry/otlp/otlp_message_json.h"

namespace agenthub::collector {
namespace {

using telemetry::OtlpSignal;

constexpr const char* kProtobufType = "application/x-protobuf";
constexpr const char* kJsonType = "application/json";

// The media type without parameters, lowercased: "application/json".
std::string MediaType(const std::string& content_type) {
  std::string type = content_type.substr(0, content_type.find(';'));
  type.erase(
      std::remove_if(type.begin(), type.end(), [](unsigned char c) { return std::isspace(c); }),
      type.end());
  std::transform(type.begin(), type.end(), type.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return type;
}

void Reply(httplib::Response& response, int status, PayloadEncoding encoding, std::string body) {
  response.status = status;
  response.set_content(std::move(body),
                       encoding == PayloadEncoding::kJson ? kJsonType : kProtobufType);
}

void ReplyError(httplib::Response& response, int status, int rpc_code, const std::string& message,
                PayloadEncoding encoding) {
  Reply(response, status, encoding, EncodeRpcStatus(rpc_code, message, encoding));
}

}  // namespace

std::unique_ptr<OtlpHttpReceiver> OtlpHttpReceiver::Start(OtlpHttpReceiverOptions options,
                                                          OtlpIngest& ingest, std::string* error) {
  std::unique_ptr<OtlpHttpReceiver> receiver(new OtlpHttpReceiver(std::move(options), ingest));
  std::string failure = receiver->listener_.Start();
  if (!failure.empty()) {
    if (error) *error = "OTLP/HTTP receiver: " + failure;
    return nullptr;
  }
  return receiver;
}

OtlpHttpReceiver::OtlpHttpReceiver(OtlpHttpReceiverOptions options, OtlpIngest& ingest)
    : options_(std::move(options)), ingest_(ingest), listener_(options_.listener) {
  httplib::Server& server = listener_.server();
  // Compressed bodies are checked against the limit by their length before
  // reading; decompressed ones while reading (see Handle).
  server.set_payload_max_length(options_.max_request_bytes);
  const std::pair<const char*, OtlpSignal> routes[] = {{"/v1/traces", OtlpSignal::kTraces},
                                                       {"/v1/metrics", OtlpSignal::kMetrics},
                                                       {"/v1/logs", OtlpSignal::kLogs}};
  for (const auto& [path, signal] : routes) {
    server.Post(
        path, [this, signal = signal](const httplib::Request& request, httplib::Response& response,
                                      const httplib::ContentReader& reader) {
          Handle(signal, request, response, reader);
        });
  }
  server.set_error_handler([](const httplib::Request&, httplib::Response& response) {
    if (!response.body.empty()) return;
    if (response.status == 404) {
      ReplyError(response, 404, 5,
                 "not found: OTLP/HTTP serves POST /v1/traces, /v1/metrics, /v1/logs",
                 PayloadEncoding::kJson);
    }
  });
}

OtlpHttpReceiver::~OtlpHttpReceiver() { Stop(); }

void OtlpHttpReceiver::Handle(OtlpSignal signal, const httplib::Request& request,
                              httplib::Response& response, const httplib::ContentReader& reader) {
  const std::string type = MediaType(request.get_header_value("Content-Type"));
  PayloadEncoding encoding;
  if (type == kProtobufType) {
    encoding = PayloadEncoding::kProtobuf;
  } else if (type == kJsonType) {
    encoding = PayloadEncoding::kJson;
  } else {
    // The body is left unread, so the connection cannot be reused.
    response.set_header("Connection", "close");
    ReplyError(response, 415, kRpcInvalidArgument,
               "unsupported Content-Type \"" + request.get_header_value("Content-Type") +
                   "\": use application/x-protobuf or application/json",
               PayloadEncoding::kJson);
    return;
  }

  // httplib decompresses gzip, deflate and br itself; an encoding it does
  // not know would reach the decoder still encoded.
  const std::string content_encoding = MediaType(request.get_header_value("Content-Encoding"));
  if (!content_encoding.empty() && content_encoding != "identity" && content_encoding != "gzip" &&
      content_encoding != "deflate" && content_encoding != "br") {
    response.set_header("Connection", "close");
    ReplyError(response, 415, kRpcInvalidArgument,
               "unsupported Content-Encoding \"" + request.get_header_value("Content-Encoding") +
                   "\": use gzip or none",
               encoding);
    return;
  }

  std::string body;
  bool too_large = false;
  const bool read = reader([&](const char* data, size_t length) {
    if (body.size() + length > options_.max_request_bytes) {
      too_large = true;
      return false;
    }
    body.append(data, length);
    return true;
  });
  if (!read) {
    response.set_header("Connection", "close");
    const std::string limit = std::to_string(options_.max_request_bytes);
    if (too_large || response.status == 413) {
      ReplyError(response, 413, kRpcResourceExhausted,
                 "request body exceeds the limit of " + limit + " bytes", encoding);
    } else if (response.status == 415) {
      ReplyError(response, 415, kRpcInvalidArgument,
                 "unsupported Content-Encoding \"" + request.get_header_value("Content-Encoding") +
                     "\": use gzip or none",
                 encoding);
    } else {
      ReplyError(response, 400, kRpcInvalidArgument,
                 "could not read the request body (truncated, or invalid compression)", encoding);
    }
    return;
  }

  const IngestOutcome outcome = ingest_.IngestBytes(signal, body, encoding);
  switch (outcome.code) {
    case IngestOutcome::Code::kOk: {
      const auto message = OtlpIngest::MakeResponse(signal, outcome);
      std::string out;
      if (encoding == PayloadEncoding::kJson) {
        telemetry::ToOtlpJson(*message, &out);
      } else {
        message->SerializeToString(&out);
      }
      Reply(response, 200, encoding, std::move(out));
      return;
    }
    case IngestOutcome::Code::kInvalid:
      ReplyError(response, 400, kRpcInvalidArgument, outcome.message, encoding);
      return;
    case IngestOutcome::Code::kUnavailable:
      response.set_header("Retry-After", std::to_string(options_.retry_after_seconds));
      ReplyError(response, 503, kRpcUnavailable, outcome.message, encoding);
      return;
  }
}

}  // namespace agenthub::collector
