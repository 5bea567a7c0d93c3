#include "telemetry/otlp/exporter_config.h"

#include <optional>

#include "telemetry/common/diagnostics.h"
#include "telemetry/common/env.h"

namespace agenthub::telemetry {
namespace {

constexpr std::string_view kPrefix = "OTEL_EXPORTER_OTLP_";

// "OTEL_EXPORTER_OTLP_<option>" and "OTEL_EXPORTER_OTLP_<SIGNAL>_<option>".
std::string GeneralVar(std::string_view option) {
  return std::string(kPrefix) + std::string(option);
}

std::string SignalVar(OtlpSignal signal, std::string_view option) {
  const char* upper = signal == OtlpSignal::kTraces    ? "TRACES_"
                      : signal == OtlpSignal::kMetrics ? "METRICS_"
                                                       : "LOGS_";
  return std::string(kPrefix) + upper + std::string(option);
}

std::optional<OtlpProtocol> ParseProtocol(std::string_view text) {
  // The configuration specification reads enum values case-insensitively.
  const std::string value = ToLowerAscii(TrimSpaces(text));
  if (value == "grpc") return OtlpProtocol::kGrpc;
  if (value == "http/protobuf") return OtlpProtocol::kHttpProtobuf;
  if (value == "http/json") return OtlpProtocol::kHttpJson;
  return std::nullopt;
}

std::optional<OtlpCompression> ParseCompression(std::string_view text) {
  const std::string value = ToLowerAscii(TrimSpaces(text));
  if (value == "gzip") return OtlpCompression::kGzip;
  if (value == "none") return OtlpCompression::kNone;
  return std::nullopt;
}

// Reads `var` with `parse`; an invalid value is reported and ignored.
template <typename T, typename Parse>
std::optional<T> ReadEnum(const std::string& var, Parse parse, std::string_view expected) {
  std::optional<std::string> raw = GetEnv(var);
  if (!raw) return std::nullopt;
  std::optional<T> parsed = parse(*raw);
  if (!parsed) {
    ReportWarning(var + "=" + *raw + " is not one of " + std::string(expected) + "; ignoring it");
  }
  return parsed;
}

OtlpProtocol ResolveProtocol(OtlpSignal signal) {
  constexpr std::string_view kExpected = "grpc, http/protobuf, http/json";
  if (auto p = ReadEnum<OtlpProtocol>(SignalVar(signal, "PROTOCOL"), ParseProtocol, kExpected)) {
    return *p;
  }
  if (auto p = ReadEnum<OtlpProtocol>(GeneralVar("PROTOCOL"), ParseProtocol, kExpected)) {
    return *p;
  }
  return OtlpProtocol::kGrpc;  // AgentHub's default; see the header comment
}

bool ValidEndpoint(const std::string& var, const std::string& value, OtlpProtocol protocol) {
  if (protocol == OtlpProtocol::kGrpc || OtlpHttpUrl::Parse(value)) return true;
  ReportWarning(var + "=" + value + " is not an http:// or https:// URL with a host; ignoring it");
  return false;
}

// A per-signal URL is used as given, except that one without a path gets
// the root path (exporter specification, "Endpoint URLs for OTLP/HTTP").
std::string WithRootPathIfNone(std::string url) {
  const size_t authority = url.find("://") + 3;  // validated: present
  const size_t end = url.find_first_of("/?#", authority);
  if (end == std::string::npos) return url + "/";
  if (url[end] != '/') url.insert(end, "/");
  return url;
}

std::string ResolveEndpoint(OtlpSignal signal, OtlpProtocol protocol) {
  const bool http = protocol != OtlpProtocol::kGrpc;
  const std::string signal_var = SignalVar(signal, "ENDPOINT");
  if (auto value = GetEnv(signal_var); value && ValidEndpoint(signal_var, *value, protocol)) {
    if (!http) return *value;
    return WithRootPathIfNone(*value);
  }
  const std::string general_var = GeneralVar("ENDPOINT");
  if (auto value = GetEnv(general_var); value && ValidEndpoint(general_var, *value, protocol)) {
    // gRPC has no per-signal paths: the service name travels in the RPC.
    return http ? AppendOtlpSignalPath(*value, signal) : *value;
  }
  return OtlpExporterConfig::Defaults(signal, protocol).endpoint;
}

OtlpHeaders ResolveHeaders(OtlpSignal signal) {
  // The per-signal list overrides the general list whole, as every other
  // per-signal option does.
  for (const std::string& var : {SignalVar(signal, "HEADERS"), GeneralVar("HEADERS")}) {
    std::optional<std::string> raw = GetEnv(var);
    if (!raw) continue;
    OtlpHeaders headers;
    std::string error;
    if (!ParseOtlpHeaders(*raw, &headers, &error)) {
      ReportWarning(var + ": " + error);
    }
    return headers;
  }
  return {};
}

std::string ResolveString(OtlpSignal signal, std::string_view option) {
  if (auto value = GetEnv(SignalVar(signal, option))) return *value;
  return GetEnv(GeneralVar(option)).value_or("");
}

bool IsHexDigit(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return c - 'A' + 10;
}

// RFC 3986 percent-decoding; nullopt for a '%' without two hex digits.
std::optional<std::string> PercentDecode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out.push_back(text[i]);
      continue;
    }
    if (i + 2 >= text.size() || !IsHexDigit(text[i + 1]) || !IsHexDigit(text[i + 2])) {
      return std::nullopt;
    }
    out.push_back(static_cast<char>(HexValue(text[i + 1]) * 16 + HexValue(text[i + 2])));
    i += 2;
  }
  return out;
}

// RFC 7230 tchar: what a header name may be made of.
bool IsTokenChar(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

}  // namespace

bool IsValidOtlpHeader(std::string_view name, std::string_view value) {
  if (name.empty()) return false;
  for (char c : name) {
    if (!IsTokenChar(c)) return false;
  }
  for (char c : value) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u > 0x7E) return false;
  }
  return true;
}

const char* OtlpProtocolName(OtlpProtocol protocol) {
  switch (protocol) {
    case OtlpProtocol::kGrpc:
      return "grpc";
    case OtlpProtocol::kHttpProtobuf:
      return "http/protobuf";
    case OtlpProtocol::kHttpJson:
      return "http/json";
  }
  return "grpc";
}

const char* OtlpHttpSignalPath(OtlpSignal signal) {
  switch (signal) {
    case OtlpSignal::kTraces:
      return "v1/traces";
    case OtlpSignal::kMetrics:
      return "v1/metrics";
    case OtlpSignal::kLogs:
      return "v1/logs";
  }
  return "v1/traces";
}

std::string AppendOtlpSignalPath(std::string_view base, OtlpSignal signal) {
  std::string url(base);
  if (url.empty() || url.back() != '/') url.push_back('/');
  url += OtlpHttpSignalPath(signal);
  return url;
}

std::optional<OtlpHttpUrl> OtlpHttpUrl::Parse(std::string_view url) {
  const size_t colon = url.find("://");
  if (colon == std::string_view::npos) return std::nullopt;
  OtlpHttpUrl out;
  out.scheme = ToLowerAscii(url.substr(0, colon));
  if (out.scheme != "http" && out.scheme != "https") return std::nullopt;
  std::string_view rest = url.substr(colon + 3);
  if (const size_t hash = rest.find('#'); hash != std::string_view::npos) {
    rest = rest.substr(0, hash);
  }
  const size_t path_start = rest.find_first_of("/?");
  out.authority = std::string(rest.substr(0, path_start));
  if (out.authority.empty() || out.authority.front() == ':' ||
      out.authority.find_first_of(" @") != std::string::npos) {
    return std::nullopt;
  }
  out.path = path_start == std::string_view::npos ? "/" : std::string(rest.substr(path_start));
  if (out.path.front() == '?') out.path.insert(out.path.begin(), '/');
  return out;
}

bool ParseOtlpHeaders(std::string_view text, OtlpHeaders* out, std::string* error) {
  std::string problems;
  auto complain = [&](std::string_view member, std::string_view why) {
    if (!problems.empty()) problems += "; ";
    problems += "skipped '" + std::string(member) + "' (" + std::string(why) + ")";
  };
  while (!text.empty()) {
    const size_t comma = text.find(',');
    const std::string_view member = TrimSpaces(text.substr(0, comma));
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
    if (member.empty()) continue;  // ",," and a trailing comma are harmless
    const size_t eq = member.find('=');
    if (eq == std::string_view::npos) {
      complain(member, "no '='");
      continue;
    }
    const std::string_view key = TrimSpaces(member.substr(0, eq));
    const std::string_view raw_value = TrimSpaces(member.substr(eq + 1));
    if (!IsValidOtlpHeader(key, "")) {
      complain(member, "the key is not an HTTP header name");
      continue;
    }
    std::optional<std::string> value = PercentDecode(raw_value);
    if (!value) {
      complain(member, "'%' must be followed by two hex digits");
      continue;
    }
    if (!IsValidOtlpHeader(key, *value)) {
      complain(member, "the value holds control or non-ASCII characters");
      continue;
    }
    out->emplace_back(ToLowerAscii(key), std::move(*value));
  }
  if (problems.empty()) return true;
  if (error != nullptr) *error = problems;
  return false;
}

OtlpExporterConfig OtlpExporterConfig::Defaults(OtlpSignal signal, OtlpProtocol protocol) {
  OtlpExporterConfig config;
  config.signal = signal;
  config.protocol = protocol;
  config.endpoint = protocol == OtlpProtocol::kGrpc
                        ? kDefaultGrpcEndpoint
                        : AppendOtlpSignalPath(kDefaultHttpBase, signal);
  return config;
}

OtlpExporterConfig OtlpExporterConfig::FromEnvironment(OtlpSignal signal) {
  OtlpExporterConfig config = Defaults(signal, ResolveProtocol(signal));
  config.endpoint = ResolveEndpoint(signal, config.protocol);
  config.headers = ResolveHeaders(signal);
  // Each general value is the default of its per-signal variable, so an
  // invalid per-signal value (reported by the helpers) falls back to it.
  config.timeout = GetEnvMillis(SignalVar(signal, "TIMEOUT"),
                                GetEnvMillis(GeneralVar("TIMEOUT"), config.timeout));
  config.insecure = GetEnvBool(SignalVar(signal, "INSECURE"),
                               GetEnvBool(GeneralVar("INSECURE"), config.insecure));
  constexpr std::string_view kCompressions = "gzip, none";
  if (auto c = ReadEnum<OtlpCompression>(SignalVar(signal, "COMPRESSION"), ParseCompression,
                                         kCompressions)) {
    config.compression = *c;
  } else if (auto general = ReadEnum<OtlpCompression>(GeneralVar("COMPRESSION"), ParseCompression,
                                                      kCompressions)) {
    config.compression = *general;
  }
  config.certificate_file = ResolveString(signal, "CERTIFICATE");
  config.client_key_file = ResolveString(signal, "CLIENT_KEY");
  config.client_certificate_file = ResolveString(signal, "CLIENT_CERTIFICATE");
  return config;
}

}  // namespace agenthub::telemetry
