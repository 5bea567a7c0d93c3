// B3Propagator: Zipkin's B3 headers (github.com/openzipkin/b3-propagation),
// as the OpenTelemetry specification asks a B3 propagator to behave.
//
// Extract reads the single `b3` header first
// ({TraceId}-{SpanId}[-{SamplingState}[-{ParentSpanId}]]) and falls back to
// the multi-header form (x-b3-traceid, x-b3-spanid, x-b3-sampled,
// x-b3-flags). 64-bit trace ids are left-padded with zeros to 128 bits.
// Sampling: 1 (or the legacy "true") is sampled, 0 not, debug ('d' or
// x-b3-flags: 1) implies sampled, and an absent state (defer) extracts as
// not sampled. A sampling-only header ("b3: 0") carries no ids and so
// extracts nothing. Readers accept uppercase hex. Parent span ids are not
// used (OpenTelemetry never shares a span id between the client and server
// sides of a call); in the single header it must still be well-formed.
//
// Inject writes `{trace}-{span}-{1|0}` (single) or x-b3-traceid,
// x-b3-spanid and x-b3-sampled (multi), never a parent span id. Debug is
// not preserved: SpanContext has no place for it, so it goes out as 1.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "telemetry/propagation/text_map.h"
#include "telemetry/trace/span_context.h"

namespace agenthub::telemetry {

class B3Propagator final : public TextMapPropagator {
 public:
  enum class InjectEncoding { kSingleHeader, kMultiHeader };

  static constexpr std::string_view kSingleField = "b3";
  static constexpr std::string_view kTraceIdField = "x-b3-traceid";
  static constexpr std::string_view kSpanIdField = "x-b3-spanid";
  static constexpr std::string_view kSampledField = "x-b3-sampled";
  static constexpr std::string_view kFlagsField = "x-b3-flags";
  static constexpr std::string_view kParentSpanIdField = "x-b3-parentspanid";

  explicit B3Propagator(InjectEncoding encoding = InjectEncoding::kSingleHeader)
      : encoding_(encoding) {}

  void Inject(const Context& context, TextMapCarrier& carrier) const override;
  Context Extract(const TextMapCarrier& carrier, const Context& context) const override;
  // Every header this propagator reads or writes, single and multi alike.
  std::vector<std::string> Fields() const override;

  // Parsers of each form; nullopt when the header does not carry a valid,
  // non-zero trace id and span id. Results are remote.
  static std::optional<SpanContext> ParseSingle(std::string_view value);
  static std::optional<SpanContext> ParseMulti(std::string_view trace_id, std::string_view span_id,
                                               std::string_view sampled, std::string_view flags);

 private:
  InjectEncoding encoding_;  // extraction accepts both forms regardless
};

}  // namespace agenthub::telemetry
