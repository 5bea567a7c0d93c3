// W3CBaggagePropagator: the `baggage` header of the W3C Baggage
// specification (key=value;properties, comma separated).
//
// Extract: keys are RFC 7230 tokens; values are percent-decoded (a decoded
// byte sequence that is not UTF-8 becomes U+FFFD, as the specification
// requires); properties are kept, trimmed, in Entry::metadata. A malformed
// member (not a token key, a bad percent sequence, a character outside the
// baggage-octet set, a malformed property) is skipped and the rest kept. A
// repeated key keeps its last value. Following the OpenTelemetry baggage
// API, a present header *replaces* the context's baggage (it is not merged),
// and an absent header leaves the context unchanged.
//
// Inject: values are percent-encoded outside the baggage-octet set (and '%'
// itself). Entries whose key is not a token are not sent; metadata that is
// not a valid property list is not sent (its entry is).
//
// Limits, both directions: up to kMaxMembers members and kMaxBytes bytes of
// header are kept, which is above the specification's floor (at least 64
// members and 8192 bytes must propagate). Beyond them whole members are
// dropped, never truncated.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "telemetry/context/baggage.h"
#include "telemetry/propagation/text_map.h"

namespace agenthub::telemetry {

class W3CBaggagePropagator final : public TextMapPropagator {
 public:
  static constexpr std::string_view kBaggageField = "baggage";
  static constexpr size_t kMaxMembers = 180;
  static constexpr size_t kMaxBytes = 8192;

  void Inject(const Context& context, TextMapCarrier& carrier) const override;
  Context Extract(const TextMapCarrier& carrier, const Context& context) const override;
  std::vector<std::string> Fields() const override;

  // The header value for `baggage` ("" when nothing can be sent).
  static std::string Serialize(const Baggage& baggage);
  // The baggage a header value carries (empty when nothing is valid).
  static Baggage Parse(std::string_view header);
};

}  // namespace agenthub::telemetry
