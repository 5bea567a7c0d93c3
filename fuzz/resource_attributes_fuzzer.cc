// Fuzz target: ParseResourceAttributes, the OTEL_RESOURCE_ATTRIBUTES format.
// Not network input, but operators paste it from anywhere, and the same
// percent-decoding rules are a parser worth holding to its word.
//
// Invariants: a failure leaves an error message and success none; every
// attribute has a non-empty UTF-8-checked key and a string value, at most
// one per list member; and the attributes, percent-encoded back into the
// format, parse to the same list.
#include <string>
#include <string_view>
#include <variant>

#include "fuzz_check.h"
#include "telemetry/resource/resource.h"

namespace agenthub::telemetry {
namespace {

// Encodes everything but unreserved characters, so that no ',', '=', '%'
// or surrounding space of a key or value survives as syntax.
void AppendEncoded(std::string_view text, std::string& out) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (char c : text) {
    const auto b = static_cast<unsigned char>(c);
    if ((b >= '0' && b <= '9') || (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || b == '.' ||
        b == '_' || b == '-' || b == '~') {
      out += c;
    } else {
      out += '%';
      out += kHex[b >> 4];
      out += kHex[b & 0x0f];
    }
  }
}

}  // namespace
}  // namespace agenthub::telemetry

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace telemetry = agenthub::telemetry;
  const std::string_view input = agenthub::fuzz::AsView(data, size);
  telemetry::Attributes attributes;
  std::string error;
  const bool ok = telemetry::ParseResourceAttributes(input, &attributes, &error);
  FUZZ_CHECK(ok == error.empty());

  size_t members = 1;
  for (char c : input) members += c == ',' ? 1 : 0;
  FUZZ_CHECK(attributes.size() <= members);

  std::string encoded;
  for (const telemetry::Attribute& attribute : attributes) {
    FUZZ_CHECK(!attribute.key.empty());
    const std::string* value = std::get_if<std::string>(&attribute.value);
    FUZZ_CHECK(value != nullptr);
    if (!encoded.empty()) encoded += ',';
    telemetry::AppendEncoded(attribute.key, encoded);
    encoded += '=';
    telemetry::AppendEncoded(*value, encoded);
  }
  telemetry::Attributes again;
  FUZZ_CHECK(telemetry::ParseResourceAttributes(encoded, &again, nullptr));
  FUZZ_CHECK(again == attributes);
  // The resource built from them must not trip over anything either.
  const telemetry::Resource resource(attributes);
  FUZZ_CHECK(resource.attributes().size() <= attributes.size());
  return 0;
}
