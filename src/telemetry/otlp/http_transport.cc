// OTLP/HTTP: one POST per attempt to the configured URL, with a binary
// protobuf (application/x-protobuf) or OTLP/JSON (application/json) body,
// gzipped (Content-Encoding: gzip) when configured. The connection is kept
// alive between exports, as the specification recommends.

#include <zlib.h>

#include <algorithm>
#include <cctype>
#include <ctime>
#include <nlohmann/json.hpp>

#include "net/net.h"
#include "telemetry/common/diagnostics.h"
#include "telemetry/otlp/transport.h"

namespace agenthub::telemetry {
namespace {

// A collector's answer is a small message; more than this is not one, and
// reading it all would let a broken server grow our memory.
constexpr size_t kMaxResponseBytes = 4 * 1024 * 1024;

std::string Gzip(std::string_view data) {
  z_stream stream{};
  // 15 window bits + 16: write a gzip header and trailer, not raw zlib.
  if (deflateInit2(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) !=
      Z_OK) {
    return {};
  }
  std::string out(deflateBound(&stream, static_cast<uLong>(data.size())), '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  stream.avail_in = static_cast<uInt>(data.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  const int result = deflate(&stream, Z_FINISH);
  out.resize(stream.total_out);
  deflateEnd(&stream);
  return result == Z_STREAM_END ? out : std::string();
}

// Retry-After: delay-seconds or an HTTP-date (RFC 9110 section 10.2.3).
std::optional<std::chrono::milliseconds> ParseRetryAfter(const std::string& value) {
  if (value.empty()) return std::nullopt;
  if (std::all_of(value.begin(), value.end(), [](char c) { return std::isdigit(c) != 0; })) {
    if (value.size() > 9) return std::chrono::hours(24);  // absurd; the deadline decides
    return std::chrono::seconds(std::stol(value));
  }
  std::tm tm{};
  const char* end = strptime(value.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &tm);
  if (end == nullptr || *end != '\0') return std::nullopt;
  const auto when = std::chrono::system_clock::from_time_t(timegm(&tm));
  const auto delay = when - std::chrono::system_clock::now();
  return std::max(std::chrono::duration_cast<std::chrono::milliseconds>(delay),
                  std::chrono::milliseconds(0));
}

// httplib's own names ("Read", "Connection") say little in a log line.
std::string Describe(httplib::Error error) {
  switch (error) {
    case httplib::Error::Connection:
      return "could not connect";
    case httplib::Error::ConnectionTimeout:
      return "timed out connecting";
    case httplib::Error::Read:
      return "the connection closed or timed out before a response";
    case httplib::Error::Write:
      return "could not send the request";
    case httplib::Error::SSLConnection:
      return "TLS handshake failed";
    case httplib::Error::SSLLoadingCerts:
      return "could not load the TLS certificates";
    case httplib::Error::SSLServerVerification:
      return "the server's TLS certificate did not verify";
    default:
      return httplib::to_string(error);
  }
}

bool IsRetryableStatus(int status) {
  return status == 429 || status == 502 || status == 503 || status == 504;
}

bool IsJsonContentType(const std::string& content_type) {
  return content_type.rfind("application/json", 0) == 0;
}

// The message of an error body: a google.rpc.Status in the request's
// encoding (OTLP specification), else the start of whatever text came back.
std::string ErrorBodyMessage(const httplib::Response& response, const std::string& body) {
  if (body.empty()) return {};
  const std::string content_type = response.get_header_value("Content-Type");
  if (content_type.rfind("application/x-protobuf", 0) == 0) {
    if (auto status = internal::ParseRpcStatus(body)) return status->message;
  }
  if (IsJsonContentType(content_type)) {
    nlohmann::json parsed = nlohmann::json::parse(body, nullptr, false);
    if (parsed.is_object() && parsed.contains("message") && parsed["message"].is_string()) {
      return parsed["message"].get<std::string>();
    }
  }
  std::string text = body.substr(0, 200);
  for (char& c : text) {
    if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) > 0x7E) c = ' ';
  }
  return text;
}

class HttpTransport final : public OtlpTransport {
 public:
  explicit HttpTransport(OtlpExporterConfig config)
      : OtlpTransport(std::move(config)), url_(OtlpHttpUrl::Parse(this->config().endpoint)) {
    if (!url_) {
      ReportWarning("OTLP exporter: endpoint '" + this->config().endpoint +
                    "' is not an http:// or https:// URL; nothing will be exported");
      return;
    }
    const std::string origin = url_->scheme + "://" + url_->authority;
    client_ =
        this->config().client_certificate_file.empty()
            ? std::make_unique<httplib::Client>(origin)
            : std::make_unique<httplib::Client>(origin, this->config().client_certificate_file,
                                                this->config().client_key_file);
    if (!this->config().certificate_file.empty()) {
      client_->set_ca_cert_path(this->config().certificate_file);
    }
    client_->set_keep_alive(true);
    content_type_ = this->config().protocol == OtlpProtocol::kHttpJson ? "application/json"
                                                                       : "application/x-protobuf";
  }

  ~HttpTransport() override { Shutdown(); }

 private:
  std::string_view PrepareBody(const std::string& body, std::string* storage) override {
    if (config().compression != OtlpCompression::kGzip) return body;
    *storage = Gzip(body);
    return *storage;
  }

  Attempt SendOnce(std::string_view body, Deadline deadline) override {
    if (!client_) return Failed("the endpoint '" + config().endpoint + "' is not a valid URL");
    // Every socket wait is bounded by what is left of the export's budget
    // (and by a day, for a caller that passed no real deadline).
    const auto remaining = std::clamp(
        std::chrono::duration_cast<std::chrono::microseconds>(deadline - SteadyClock::now()),
        std::chrono::microseconds(std::chrono::milliseconds(1)),
        std::chrono::microseconds(std::chrono::hours(24)));
    client_->set_connection_timeout(remaining);
    client_->set_read_timeout(remaining);
    client_->set_write_timeout(remaining);

    httplib::Request request;
    request.method = "POST";
    request.path = url_->path;
    for (const auto& [key, value] : config().headers) request.headers.emplace(key, value);
    request.headers.emplace("User-Agent", OtlpUserAgent());
    request.headers.emplace("Content-Type", content_type_);
    if (config().compression == OtlpCompression::kGzip) {
      request.headers.emplace("Content-Encoding", "gzip");
    }
    request.body.assign(body.data(), body.size());
    std::string response_body;
    bool too_large = false;
    request.content_receiver = [&](const char* data, size_t size, uint64_t, uint64_t) {
      if (response_body.size() + size > kMaxResponseBytes) {
        too_large = true;
        return false;
      }
      response_body.append(data, size);
      return true;
    };

    {
      std::lock_guard lock(mu_);
      if (cancelled_) return Failed("the exporter is shut down");
      in_flight_ = true;
    }
    httplib::Response response;
    httplib::Error error = httplib::Error::Success;
    const bool sent = client_->send(request, response, error);
    bool cancelled;
    {
      std::lock_guard lock(mu_);
      in_flight_ = false;
      cancelled = cancelled_;
    }
    if (cancelled) return Failed("the exporter shut down during the export");
    if (too_large) return Failed("the response from " + config().endpoint + " is too large");
    if (!sent) return TransportError(error);
    return FromResponse(response, std::move(response_body));
  }

  void CancelInFlight() override {
    std::lock_guard lock(mu_);
    cancelled_ = true;
    // stop() only shuts the socket down while a request uses it, which makes
    // that request fail at once; it is httplib's thread-safe way to abort.
    if (in_flight_ && client_) client_->stop();
  }

  static Attempt Failed(std::string error) {
    Attempt attempt;
    attempt.outcome = Attempt::Outcome::kFailed;
    attempt.error = std::move(error);
    return attempt;
  }

  Attempt TransportError(httplib::Error error) const {
    Attempt attempt;
    attempt.error = "HTTP request to " + config().endpoint + " failed: " + Describe(error);
    switch (error) {
      // Could not connect, or the connection dropped before a response:
      // the specification asks for a retry with backoff.
      case httplib::Error::Connection:
      case httplib::Error::ConnectionTimeout:
      case httplib::Error::Read:
      case httplib::Error::Write:
        attempt.outcome = Attempt::Outcome::kRetryable;
        break;
      default:  // TLS setup, certificates, bad responses: retrying cannot help
        attempt.outcome = Attempt::Outcome::kFailed;
        break;
    }
    return attempt;
  }

  Attempt FromResponse(const httplib::Response& response, std::string body) const {
    Attempt attempt;
    if (response.status >= 200 && response.status < 300) {
      attempt.outcome = Attempt::Outcome::kOk;
      attempt.response_is_json = IsJsonContentType(response.get_header_value("Content-Type"));
      attempt.response = std::move(body);
      return attempt;
    }
    attempt.error = "HTTP " + std::to_string(response.status) + " from " + config().endpoint;
    if (const std::string message = ErrorBodyMessage(response, body); !message.empty()) {
      attempt.error += ": " + message;
    }
    if (IsRetryableStatus(response.status)) {
      attempt.outcome = Attempt::Outcome::kRetryable;
      attempt.retry_after = ParseRetryAfter(response.get_header_value("Retry-After"));
    } else {
      attempt.outcome = Attempt::Outcome::kFailed;  // 400, 413, ...: never retried
    }
    return attempt;
  }

  const std::optional<OtlpHttpUrl> url_;
  std::unique_ptr<httplib::Client> client_;  // null when the URL is invalid
  std::string content_type_;
  std::mutex mu_;
  bool in_flight_ = false;  // a request is using client_'s socket
  bool cancelled_ = false;  // sticky: set once by Shutdown
};

}  // namespace

namespace internal {

std::unique_ptr<OtlpTransport> MakeHttpTransport(OtlpExporterConfig config) {
  return std::make_unique<HttpTransport>(std::move(config));
}

}  // namespace internal
}  // namespace agenthub::telemetry
