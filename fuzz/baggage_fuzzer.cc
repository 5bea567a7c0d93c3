// Fuzz target: W3CBaggagePropagator::Parse, the baggage header of every
// request that carries it.
//
// Invariants: the parsed baggage respects the member limit, has unique
// token keys and valid property lists; what Inject writes for it respects
// the byte limit and Extract reads back the same entries; and Extract of
// the raw header agrees with Parse.
#include <map>
#include <set>
#include <string>
#include <string_view>

#include "fuzz_check.h"
#include "telemetry/propagation/baggage_codec.h"
#include "telemetry/propagation/map_carrier.h"
#include "telemetry/propagation/w3c_baggage.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace telemetry = agenthub::telemetry;
  using telemetry::W3CBaggagePropagator;
  const std::string_view input = agenthub::fuzz::AsView(data, size);
  const telemetry::Baggage baggage = W3CBaggagePropagator::Parse(input);

  FUZZ_CHECK(baggage.size() <= W3CBaggagePropagator::kMaxMembers);
  std::set<std::string> keys;
  for (const telemetry::Baggage::Entry& entry : baggage.entries()) {
    FUZZ_CHECK(telemetry::internal::IsToken(entry.key));
    FUZZ_CHECK(keys.insert(entry.key).second);
    FUZZ_CHECK(entry.metadata.empty() || telemetry::internal::IsValidProperties(entry.metadata));
  }

  const W3CBaggagePropagator propagator;
  std::map<std::string, std::string> headers;
  telemetry::MapCarrier carrier(headers);
  propagator.Inject(telemetry::Context().WithBaggage(baggage), carrier);
  FUZZ_CHECK(headers.empty() == baggage.empty());
  if (!baggage.empty()) {
    FUZZ_CHECK(headers.begin()->second.size() <= W3CBaggagePropagator::kMaxBytes);
    const telemetry::Context back = propagator.Extract(carrier, telemetry::Context());
    FUZZ_CHECK(back.baggage() == baggage);
  }

  if (!input.empty()) {
    const std::map<std::string, std::string> raw = {{"baggage", std::string(input)}};
    const telemetry::Context extracted =
        propagator.Extract(telemetry::MapCarrier(raw), telemetry::Context());
    FUZZ_CHECK(extracted.baggage() == baggage);
  }
  return 0;
}
