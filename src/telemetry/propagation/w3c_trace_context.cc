#include "telemetry/propagation/w3c_trace_context.h"

#include <cstdint>

namespace agenthub::telemetry {
namespace {

// Field offsets inside a traceparent value: vv-<trace id>-<span id>-ff.
constexpr size_t kVersionOffset = 0;
constexpr size_t kTraceIdOffset = 3;
constexpr size_t kSpanIdOffset = kTraceIdOffset + TraceId::kHexSize + 1;  // 36
constexpr size_t kFlagsOffset = kSpanIdOffset + SpanId::kHexSize + 1;     // 53
static_assert(kFlagsOffset + 2 == W3CTraceContextPropagator::kTraceParentSize);

// Sampled (level 1) and random (level 2); every other bit is reserved.
constexpr uint8_t kKnownFlags = 0x03;

inline bool IsOws(char c) { return c == ' ' || c == '\t'; }

std::string_view TrimOws(std::string_view s) {
  while (!s.empty() && IsOws(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsOws(s.back())) s.remove_suffix(1);
  return s;
}

// Decodes the 2*n lowercase hex digits at `s` (W3C forbids uppercase).
inline bool DecodeHex(const char* s, size_t n, uint8_t* out) {
  return internal::HexDecode(std::string_view(s, 2 * n), out, n);
}

}  // namespace

std::optional<SpanContext> W3CTraceContextPropagator::ParseTraceParent(std::string_view value) {
  value = TrimOws(value);
  if (value.size() < kTraceParentSize) return std::nullopt;
  const char* s = value.data();

  uint8_t version = 0;
  if (!DecodeHex(s + kVersionOffset, 1, &version) || version == 0xff) return std::nullopt;
  if (version == 0) {
    if (value.size() != kTraceParentSize) return std::nullopt;
  } else if (value.size() > kTraceParentSize && s[kTraceParentSize] != '-') {
    // A future version may append fields, but only after another dash.
    return std::nullopt;
  }
  if (s[kTraceIdOffset - 1] != '-' || s[kSpanIdOffset - 1] != '-' || s[kFlagsOffset - 1] != '-') {
    return std::nullopt;
  }

  TraceId trace_id;
  SpanId span_id;
  uint8_t flags = 0;
  if (!DecodeHex(s + kTraceIdOffset, TraceId::kSize, trace_id.mutable_bytes().data()) ||
      !DecodeHex(s + kSpanIdOffset, SpanId::kSize, span_id.mutable_bytes().data()) ||
      !DecodeHex(s + kFlagsOffset, 1, &flags)) {
    return std::nullopt;
  }
  if (!trace_id.IsValid() || !span_id.IsValid()) return std::nullopt;
  // For versions we do not know, only the sampled bit has a meaning we can
  // rely on (the Recommendation: "parse the sampled bit of flags").
  if (version != 0) flags &= TraceFlags::kSampled;
  return SpanContext(trace_id, span_id, TraceFlags{flags}, /*remote=*/true);
}

void W3CTraceContextPropagator::FormatTraceParent(const SpanContext& context, char* out) {
  out[0] = '0';
  out[1] = '0';
  out[kTraceIdOffset - 1] = '-';
  context.trace_id().WriteHex(out + kTraceIdOffset);
  out[kSpanIdOffset - 1] = '-';
  context.span_id().WriteHex(out + kSpanIdOffset);
  out[kFlagsOffset - 1] = '-';
  const uint8_t flags = context.trace_flags().value & kKnownFlags;
  internal::HexEncode(&flags, 1, out + kFlagsOffset);
}

void W3CTraceContextPropagator::Inject(const Context& context, TextMapCarrier& carrier) const {
  const SpanContext& span_context = context.span().context();
  if (!span_context.IsValid()) return;
  char buffer[kTraceParentSize];
  FormatTraceParent(span_context, buffer);
  carrier.Set(kTraceParentField, std::string_view(buffer, kTraceParentSize));
  if (!span_context.trace_state().empty()) {
    carrier.Set(kTraceStateField, span_context.trace_state().header_view());
  }
}

Context W3CTraceContextPropagator::Extract(const TextMapCarrier& carrier,
                                           const Context& context) const {
  // One scratch string for both reads: the traceparent is parsed before the
  // tracestate is read. Carriers with GetView never touch it.
  std::string scratch;
  std::optional<SpanContext> parent =
      ParseTraceParent(ReadField(carrier, kTraceParentField, scratch));
  if (!parent) return context;
  const std::string_view trace_state = ReadField(carrier, kTraceStateField, scratch);
  if (!trace_state.empty()) {
    if (std::optional<TraceState> parsed = TraceState::Parse(trace_state)) {
      parent = SpanContext(parent->trace_id(), parent->span_id(), parent->trace_flags(),
                           /*remote=*/true, *std::move(parsed));
    }
  }
  return context.WithSpan(Span(*std::move(parent)));
}

std::vector<std::string> W3CTraceContextPropagator::Fields() const {
  return {std::string(kTraceParentField), std::string(kTraceStateField)};
}

}  // namespace agenthub::telemetry
