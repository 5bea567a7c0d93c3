// How one OTLP exporter (traces, metrics or logs) reaches its collector:
// protocol, endpoint, headers, timeout, compression, TLS and retries.
//
// FromEnvironment() reads the standard variables exactly as the OpenTelemetry
// "OTLP Exporter" specification defines them. Every option has a general
// variable (OTEL_EXPORTER_OTLP_X) and a per-signal one
// (OTEL_EXPORTER_OTLP_{TRACES,METRICS,LOGS}_X); the per-signal one, when set
// and valid, replaces the general one whole (headers are not merged). An
// invalid value is reported through diagnostics and ignored, so the next
// level (general variable, then default) applies.
//
// One deliberate deviation: the specification's default protocol is
// http/protobuf, but AgentHub defaults to grpc (http://localhost:4317),
// because every AgentHub process and its collector speak OTLP/gRPC on 4317
// out of the box (docs/reference/configuration.md). Setting OTEL_EXPORTER_OTLP_PROTOCOL
// restores the usual behaviour.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "telemetry/otlp/otlp_signal.h"

namespace agenthub::telemetry {

enum class OtlpProtocol { kGrpc, kHttpProtobuf, kHttpJson };
enum class OtlpCompression { kNone, kGzip };

const char* OtlpProtocolName(OtlpProtocol protocol);  // "grpc", "http/protobuf", "http/json"

// Exponential backoff with jitter between attempts of one export. Waits are
// never allowed to run past the export's deadline, so the deadline (not
// max_attempts) is what usually ends a series of retries.
struct OtlpRetryPolicy {
  int max_attempts = 5;  // including the first; 1 disables retrying
  std::chrono::milliseconds initial_backoff{1000};
  std::chrono::milliseconds max_backoff{5000};
  double backoff_multiplier = 1.5;
  double jitter = 0.2;  // each wait is scaled by a random factor in [1-j, 1+j]
};

// Header name (lowercase) and value, in the order given.
using OtlpHeaders = std::vector<std::pair<std::string, std::string>>;

struct OtlpExporterConfig {
  // Default port 4317 (gRPC) and 4318 (HTTP) from the OTLP specification.
  static constexpr const char* kDefaultGrpcEndpoint = "http://localhost:4317";
  static constexpr const char* kDefaultHttpBase = "http://localhost:4318";
  // What the OTLP specification recommends as the client's body limit.
  static constexpr size_t kDefaultMaxRequestBytes = 20 * 1024 * 1024;

  OtlpSignal signal = OtlpSignal::kTraces;
  OtlpProtocol protocol = OtlpProtocol::kGrpc;
  // gRPC: a target ("http://host:port", "https://host:port", or any form
  // gRPC accepts, such as "host:port" or "unix:/path"). HTTP: the full URL
  // the requests are POSTed to, path included.
  std::string endpoint = kDefaultGrpcEndpoint;
  OtlpHeaders headers;
  // Budget for one export, retries included; zero means no limit of our own
  // (the caller's deadline still applies).
  std::chrono::milliseconds timeout{10000};
  OtlpCompression compression = OtlpCompression::kNone;
  // gRPC only, and only for an endpoint without an http:// or https://
  // scheme: plaintext instead of TLS. (A scheme always decides.)
  bool insecure = false;
  // PEM files for TLS: trusted roots, and the client's key and certificate
  // for mutual TLS. Empty: system roots, no client certificate.
  std::string certificate_file;
  std::string client_key_file;
  std::string client_certificate_file;
  OtlpRetryPolicy retry;
  // Requests larger than this (before compression) are dropped, not sent.
  size_t max_request_bytes = kDefaultMaxRequestBytes;

  // The defaults for `signal` and `protocol`: gRPC http://localhost:4317, or
  // http://localhost:4318/v1/<signal> for the HTTP protocols.
  static OtlpExporterConfig Defaults(OtlpSignal signal, OtlpProtocol protocol);

  // Reads the OTEL_EXPORTER_OTLP_* variables (see the file comment).
  static OtlpExporterConfig FromEnvironment(OtlpSignal signal);

  bool is_http() const { return protocol != OtlpProtocol::kGrpc; }
};

// An http(s) URL cut into what OTLP/HTTP honours: scheme, host and port,
// path. (The query, if any, stays with the path; a fragment is dropped.)
struct OtlpHttpUrl {
  std::string scheme;     // "http" or "https", lowercase
  std::string authority;  // "host", "host:port" or "[v6addr]:port"
  std::string path;       // starts with '/'; "/" when the URL has no path

  // nullopt unless the scheme is http or https and a host is present.
  static std::optional<OtlpHttpUrl> Parse(std::string_view url);
  bool secure() const { return scheme == "https"; }
};

// "v1/traces", "v1/metrics", "v1/logs": the path OTLP/HTTP appends to a base
// endpoint.
const char* OtlpHttpSignalPath(OtlpSignal signal);

// The per-signal URL built from OTEL_EXPORTER_OTLP_ENDPOINT: `base` with a
// '/' added unless it already ends with one, then the signal path.
// "http://c:4318" and "http://c:4318/" both give "http://c:4318/v1/traces".
std::string AppendOtlpSignalPath(std::string_view base, OtlpSignal signal);

// Whether `name` is an HTTP header name (RFC 7230 token) and `value` holds
// only printable ASCII, so that the pair is safe as an HTTP header and as
// gRPC ASCII metadata (no control characters, no header injection).
bool IsValidOtlpHeader(std::string_view name, std::string_view value);

// Parses the OTEL_EXPORTER_OTLP_*HEADERS format: comma-separated key=value
// pairs as in W3C Baggage (optional spaces around keys and values, values
// percent-decoded, no ';' properties). Keys are lowercased (gRPC metadata
// requires it; HTTP does not care). Malformed pairs are skipped; returns
// false and describes them in *error, with the good pairs still in *out.
bool ParseOtlpHeaders(std::string_view text, OtlpHeaders* out, std::string* error);

}  // namespace agenthub::telemetry
