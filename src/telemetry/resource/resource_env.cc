// Resource::FromEnvironment(): OTEL_RESOURCE_ATTRIBUTES and OTEL_SERVICE_NAME
// (OpenTelemetry resource SDK and SDK environment variables).
//
// OTEL_RESOURCE_ATTRIBUTES is a comma-separated list of key=value pairs. Keys
// and values are percent-decoded (',' and '=' inside them must be written as
// %2C and %3D; '+' is a plus sign, not a space) and trimmed of the spaces
// and tabs around them; every value is a string. Empty list members are
// skipped, so "a=1,,b=2" and a trailing comma are fine.
//
// On any error the specification says the entire variable SHOULD be
// discarded and the error reported; we do exactly that rather than keep the
// well-formed pairs, because a half-applied list (say service.namespace
// without deployment.environment.name) files telemetry under the wrong
// labels more quietly than a missing list does. Errors are: a pair without
// '=', an empty key, a second raw '=', a '%' not followed by two hex digits,
// and a decoded key or value that is not UTF-8 (OTLP cannot carry it).
#include <optional>
#include <string>
#include <string_view>

#include "telemetry/common/diagnostics.h"
#include "telemetry/common/env.h"
#include "telemetry/resource/resource.h"

namespace agenthub::telemetry {
namespace {

int HexDigitValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// RFC 3986 percent-decoding; nullopt for a '%' without two hex digits.
std::optional<std::string> PercentDecode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out += text[i];
      continue;
    }
    if (i + 2 >= text.size()) return std::nullopt;
    const int hi = HexDigitValue(text[i + 1]);
    const int lo = HexDigitValue(text[i + 2]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out += static_cast<char>((hi << 4) | lo);
    i += 2;
  }
  return out;
}

// Well-formed UTF-8: no overlong forms, no surrogates, nothing above U+10FFFF.
bool IsValidUtf8(std::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    const auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
    const unsigned char lead = byte(i);
    size_t length = 0;
    unsigned char min_second = 0x80;  // bounds of the second byte, which
    unsigned char max_second = 0xBF;  // rule out overlongs and surrogates
    if (lead < 0x80) {
      ++i;
      continue;
    } else if (lead >= 0xC2 && lead <= 0xDF) {
      length = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      length = 3;
      if (lead == 0xE0) min_second = 0xA0;  // overlong
      if (lead == 0xED) max_second = 0x9F;  // surrogates
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      length = 4;
      if (lead == 0xF0) min_second = 0x90;  // overlong
      if (lead == 0xF4) max_second = 0x8F;  // above U+10FFFF
    } else {
      return false;
    }
    if (i + length > text.size()) return false;
    if (byte(i + 1) < min_second || byte(i + 1) > max_second) return false;
    for (size_t k = 2; k < length; ++k) {
      if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) return false;
    }
    i += length;
  }
  return true;
}

// Parses one non-empty list member; on failure returns the reason.
std::optional<std::string> ParseMember(std::string_view member, Attributes* out) {
  const std::string quoted = "\"" + std::string(member) + "\"";
  const size_t equals = member.find('=');
  if (equals == std::string_view::npos) return quoted + " has no '='";
  const std::string_view raw_key = TrimSpaces(member.substr(0, equals));
  const std::string_view raw_value = TrimSpaces(member.substr(equals + 1));
  if (raw_value.find('=') != std::string_view::npos) {
    return quoted + " has more than one '=' (write '=' inside a key or value as %3D)";
  }
  std::optional<std::string> key = PercentDecode(raw_key);
  std::optional<std::string> value = PercentDecode(raw_value);
  if (!key || !value) return quoted + " has a '%' that is not followed by two hex digits";
  if (key->empty()) return quoted + " has an empty key";
  if (!IsValidUtf8(*key) || !IsValidUtf8(*value)) return quoted + " does not decode to UTF-8";
  out->emplace_back(*key, std::move(*value));
  return std::nullopt;
}

}  // namespace

bool ParseResourceAttributes(std::string_view text, Attributes* out, std::string* error) {
  bool ok = true;
  while (true) {
    const size_t comma = text.find(',');
    const std::string_view member = TrimSpaces(text.substr(0, comma));
    if (!member.empty()) {
      if (std::optional<std::string> problem = ParseMember(member, out)) {
        if (ok && error != nullptr) *error = std::move(*problem);  // the first one
        ok = false;
      }
    }
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return ok;
}

Resource Resource::FromEnvironment() {
  Attributes attributes;
  if (std::optional<std::string> text = GetEnv("OTEL_RESOURCE_ATTRIBUTES")) {
    std::string error;
    if (!ParseResourceAttributes(*text, &attributes, &error)) {
      ReportWarning("OTEL_RESOURCE_ATTRIBUTES is ignored entirely: " + error);
      attributes.clear();
    }
  }
  // Appended last so that it replaces a service.name from the list (the
  // Resource constructor keeps the later of two equal keys).
  if (std::optional<std::string> service = GetEnv("OTEL_SERVICE_NAME")) {
    const std::string_view name = TrimSpaces(*service);
    if (!name.empty()) attributes.emplace_back("service.name", name);
  }
  return Resource(std::move(attributes));
}

}  // namespace agenthub::telemetry
