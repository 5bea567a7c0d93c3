// Fuzz target: B3Propagator, the single `b3` header (ParseSingle) and the
// multi-header form read by Extract (x-b3-traceid, x-b3-spanid,
// x-b3-sampled, x-b3-flags; the input's lines, in that order).
//
// Invariants: what parses is a valid remote span context; Inject writes it
// in lowercase and it parses back to the same ids and sampling decision,
// in both encodings; and Extract agrees with the direct parsers.
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "fuzz_check.h"
#include "telemetry/propagation/b3.h"
#include "telemetry/propagation/map_carrier.h"

namespace agenthub::telemetry {
namespace {

using Headers = std::map<std::string, std::string>;

bool SameSpan(const SpanContext& a, const SpanContext& b) {
  return a.trace_id() == b.trace_id() && a.span_id() == b.span_id() &&
         a.IsSampled() == b.IsSampled();
}

bool IsLowerHexOrDash(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || c == '-';
}

// Injects `span` with `encoding` and extracts it again.
void CheckRoundTrip(const SpanContext& span, B3Propagator::InjectEncoding encoding) {
  FUZZ_CHECK(span.IsValid());
  FUZZ_CHECK(span.IsRemote());
  const B3Propagator propagator(encoding);
  Headers headers;
  MapCarrier carrier(headers);
  propagator.Inject(Context().WithSpan(Span(span)), carrier);
  for (const auto& [key, value] : headers) {
    for (char c : value) FUZZ_CHECK(IsLowerHexOrDash(c));
  }
  const Context back = propagator.Extract(carrier, Context());
  FUZZ_CHECK(SameSpan(back.span().context(), span));
}

void CheckSingle(std::string_view input) {
  const std::optional<SpanContext> parsed = B3Propagator::ParseSingle(input);
  if (parsed) {
    CheckRoundTrip(*parsed, B3Propagator::InjectEncoding::kSingleHeader);
    CheckRoundTrip(*parsed, B3Propagator::InjectEncoding::kMultiHeader);
  }
  if (input.empty()) return;  // an empty b3 header is absent
  const Headers headers = {{"b3", std::string(input)}};
  const Context extracted = B3Propagator().Extract(MapCarrier(headers), Context());
  FUZZ_CHECK(extracted.span().context().IsValid() == parsed.has_value());
  if (parsed) FUZZ_CHECK(extracted.span().context() == *parsed);
}

void CheckMulti(std::string_view input) {
  // Up to four lines: trace id, span id, sampled, flags. Absent lines are
  // absent headers.
  std::string_view values[4];
  Headers headers;
  static constexpr std::string_view kFields[4] = {
      B3Propagator::kTraceIdField, B3Propagator::kSpanIdField, B3Propagator::kSampledField,
      B3Propagator::kFlagsField};
  for (size_t i = 0; i < 4 && !input.empty(); ++i) {
    const size_t newline = input.find('\n');
    values[i] = input.substr(0, newline);
    headers.emplace(kFields[i], values[i]);
    input.remove_prefix(newline == std::string_view::npos ? input.size() : newline + 1);
  }
  const std::optional<SpanContext> parsed =
      B3Propagator::ParseMulti(values[0], values[1], values[2], values[3]);
  if (parsed) {
    CheckRoundTrip(*parsed, B3Propagator::InjectEncoding::kMultiHeader);
    CheckRoundTrip(*parsed, B3Propagator::InjectEncoding::kSingleHeader);
  }
  const Context extracted = B3Propagator().Extract(MapCarrier(headers), Context());
  const bool expected = !values[0].empty() && parsed.has_value();
  FUZZ_CHECK(extracted.span().context().IsValid() == expected);
  if (expected) FUZZ_CHECK(extracted.span().context() == *parsed);
}

}  // namespace
}  // namespace agenthub::telemetry

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input = agenthub::fuzz::AsView(data, size);
  agenthub::telemetry::CheckSingle(input);
  agenthub::telemetry::CheckMulti(input);
  return 0;
}
