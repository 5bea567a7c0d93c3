// Fuzz target: W3CTraceContextPropagator::ParseTraceParent, the first thing
// a server parses from every traced request.
//
// Invariants: what parses is a valid remote span context without
// tracestate; Inject writes it as a lowercase version 00 traceparent equal
// to the input's own ids with the flags the Recommendation keeps (sampled
// and random for version 00, sampled only for a higher version); that form
// parses back to the same ids and flags; and Extract through a carrier
// agrees with the direct parse.
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "fuzz_check.h"
#include "telemetry/propagation/map_carrier.h"
#include "telemetry/propagation/w3c_trace_context.h"

namespace agenthub::telemetry {
namespace {

std::string_view TrimOws(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool IsLowerHexOrDash(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || c == '-';
}

uint8_t HexByte(std::string_view two) {
  uint8_t out = 0;
  FUZZ_CHECK(internal::HexDecode(two, &out, 1));
  return out;
}

void CheckParsed(std::string_view input, const SpanContext& parsed) {
  FUZZ_CHECK(parsed.IsValid());
  FUZZ_CHECK(parsed.IsRemote());
  FUZZ_CHECK(parsed.trace_state().empty());

  std::map<std::string, std::string> headers;
  MapCarrier carrier(headers);
  const W3CTraceContextPropagator propagator;
  propagator.Inject(Context().WithSpan(Span(parsed)), carrier);
  FUZZ_CHECK(headers.size() == 1);  // no tracestate to write
  const std::string& written = headers.begin()->second;
  FUZZ_CHECK(headers.begin()->first == W3CTraceContextPropagator::kTraceParentField);
  FUZZ_CHECK(written.size() == W3CTraceContextPropagator::kTraceParentSize);
  for (char c : written) FUZZ_CHECK(IsLowerHexOrDash(c));

  // The ids and dashes are the input's own characters (uppercase never
  // parses, so there is nothing to lowercase); the version becomes 00.
  const std::string_view trimmed = TrimOws(input);
  FUZZ_CHECK(written.compare(0, 3, "00-") == 0);
  FUZZ_CHECK(std::string_view(written).substr(2, 51) == trimmed.substr(2, 51));
  const bool version_00 = trimmed.substr(0, 2) == "00";
  const uint8_t kept = version_00 ? 0x03 : TraceFlags::kSampled;
  FUZZ_CHECK(HexByte(std::string_view(written).substr(53, 2)) ==
             (HexByte(trimmed.substr(53, 2)) & kept));

  const std::optional<SpanContext> again = W3CTraceContextPropagator::ParseTraceParent(written);
  FUZZ_CHECK(again.has_value());
  FUZZ_CHECK(again->trace_id() == parsed.trace_id());
  FUZZ_CHECK(again->span_id() == parsed.span_id());
  FUZZ_CHECK(again->trace_flags().value == (parsed.trace_flags().value & 0x03));
}

}  // namespace
}  // namespace agenthub::telemetry

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace telemetry = agenthub::telemetry;
  const std::string_view input = agenthub::fuzz::AsView(data, size);
  const std::optional<telemetry::SpanContext> parsed =
      telemetry::W3CTraceContextPropagator::ParseTraceParent(input);
  if (parsed) telemetry::CheckParsed(input, *parsed);

  // The same value as a header: Extract must see exactly what Parse saw.
  const std::map<std::string, std::string> headers = {{"traceparent", std::string(input)}};
  const telemetry::Context extracted = telemetry::W3CTraceContextPropagator().Extract(
      telemetry::MapCarrier(headers), telemetry::Context());
  const telemetry::SpanContext& span = extracted.span().context();
  FUZZ_CHECK(span.IsValid() == parsed.has_value());
  if (parsed) FUZZ_CHECK(span == *parsed);
  return 0;
}
