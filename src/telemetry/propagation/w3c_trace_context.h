// W3CTraceContextPropagator: the `traceparent` and `tracestate` headers of
// the W3C Trace Context Recommendation.
//
// Extract follows the Recommendation's parsing rules exactly (see
// ParseTraceParent). An invalid traceparent leaves the context unchanged and
// tracestate is then not read; an invalid tracestate is dropped whole while
// the span context is still extracted. The extracted SpanContext is remote.
//
// Inject writes version 00 from context.span().context() when it is valid,
// and tracestate when it is not empty. Both directions format and parse by
// hand into stack buffers: these run on every request.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "telemetry/propagation/text_map.h"
#include "telemetry/trace/span_context.h"

namespace agenthub::telemetry {

class W3CTraceContextPropagator final : public TextMapPropagator {
 public:
  static constexpr std::string_view kTraceParentField = "traceparent";
  static constexpr std::string_view kTraceStateField = "tracestate";
  // "00-" + 32 hex + "-" + 16 hex + "-" + 2 hex.
  static constexpr size_t kTraceParentSize = 55;

  void Inject(const Context& context, TextMapCarrier& carrier) const override;
  Context Extract(const TextMapCarrier& carrier, const Context& context) const override;
  std::vector<std::string> Fields() const override;

  // Parses a traceparent value (surrounding spaces and tabs are ignored, as
  // HTTP field values exclude them). Version 00 must be exactly 55
  // characters; a higher version needs at least 55, with a '-' after them
  // when longer, and keeps only the sampled flag. Version ff, uppercase hex
  // and all-zero ids are invalid. The result is remote, with no tracestate.
  static std::optional<SpanContext> ParseTraceParent(std::string_view value);

  // Writes the 55-character version 00 traceparent of `context` to `out`.
  // Flags other than sampled (01) and random (02) are written as zero: the
  // Recommendation reserves them and asks senders to clear them.
  static void FormatTraceParent(const SpanContext& context, char* out);
};

}  // namespace agenthub::telemetry
