#include "telemetry/propagation/b3.h"

#include <cstdint>

namespace agenthub::telemetry {
namespace {

// B3 readers are lenient about hex case (the spec says lower-hex, but
// uppercase senders exist); writers use lowercase.
constexpr bool kAllowUpper = true;

std::string_view TrimOws(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// 32 hex digits, or 16 taken as the low half of a 128-bit id.
std::optional<TraceId> ParseTraceId(std::string_view hex) {
  if (hex.size() == TraceId::kHexSize) return TraceId::FromHex(hex, kAllowUpper);
  if (hex.size() != SpanId::kHexSize) return std::nullopt;
  TraceId id;
  if (!internal::HexDecode(hex, id.mutable_bytes().data() + 8, 8, kAllowUpper)) {
    return std::nullopt;
  }
  return id;
}

enum class Sampling { kDefer, kDeny, kAccept, kDebug, kInvalid };

Sampling ParseSingleSampling(std::string_view s) {
  if (s == "1") return Sampling::kAccept;
  if (s == "0") return Sampling::kDeny;
  if (s == "d") return Sampling::kDebug;
  return Sampling::kInvalid;
}

std::optional<SpanContext> MakeContext(std::optional<TraceId> trace_id,
                                       std::optional<SpanId> span_id, Sampling sampling) {
  if (!trace_id || !span_id || !trace_id->IsValid() || !span_id->IsValid()) return std::nullopt;
  const bool sampled = sampling == Sampling::kAccept || sampling == Sampling::kDebug;
  return SpanContext(*trace_id, *span_id, TraceFlags{sampled ? TraceFlags::kSampled : uint8_t{0}},
                     /*remote=*/true);
}

}  // namespace

std::optional<SpanContext> B3Propagator::ParseSingle(std::string_view value) {
  value = TrimOws(value);
  // Fields: trace id, span id, then optional sampling state and parent id.
  std::string_view fields[4];
  size_t count = 0;
  while (true) {
    if (count == 4) return std::nullopt;
    const size_t dash = value.find('-');
    fields[count++] = value.substr(0, dash);
    if (dash == std::string_view::npos) break;
    value.remove_prefix(dash + 1);
  }
  // A lone field is a sampling-only header ("0", "1", "d"): well-formed, but
  // without ids there is no span context to extract.
  if (count < 2) return std::nullopt;
  Sampling sampling = Sampling::kDefer;
  if (count >= 3) {
    sampling = ParseSingleSampling(fields[2]);
    if (sampling == Sampling::kInvalid) return std::nullopt;
  }
  if (count == 4 && !SpanId::FromHex(fields[3], kAllowUpper)) return std::nullopt;
  return MakeContext(ParseTraceId(fields[0]), SpanId::FromHex(fields[1], kAllowUpper), sampling);
}

std::optional<SpanContext> B3Propagator::ParseMulti(std::string_view trace_id,
                                                    std::string_view span_id,
                                                    std::string_view sampled,
                                                    std::string_view flags) {
  Sampling sampling = Sampling::kDefer;
  sampled = TrimOws(sampled);
  if (TrimOws(flags) == "1") {
    sampling = Sampling::kDebug;
  } else if (sampled == "1" || sampled == "true") {
    sampling = Sampling::kAccept;
  } else if (sampled == "0" || sampled == "false") {
    sampling = Sampling::kDeny;
  } else if (!sampled.empty()) {
    return std::nullopt;
  }
  return MakeContext(ParseTraceId(TrimOws(trace_id)),
                     SpanId::FromHex(TrimOws(span_id), kAllowUpper), sampling);
}

void B3Propagator::Inject(const Context& context, TextMapCarrier& carrier) const {
  const SpanContext& span_context = context.span().context();
  if (!span_context.IsValid()) return;
  const char sampled = span_context.IsSampled() ? '1' : '0';
  if (encoding_ == InjectEncoding::kSingleHeader) {
    // {32 hex}-{16 hex}-{1|0}
    char buffer[TraceId::kHexSize + 1 + SpanId::kHexSize + 2];
    span_context.trace_id().WriteHex(buffer);
    buffer[TraceId::kHexSize] = '-';
    span_context.span_id().WriteHex(buffer + TraceId::kHexSize + 1);
    buffer[sizeof(buffer) - 2] = '-';
    buffer[sizeof(buffer) - 1] = sampled;
    carrier.Set(kSingleField, std::string_view(buffer, sizeof(buffer)));
    return;
  }
  char trace_hex[TraceId::kHexSize];
  span_context.trace_id().WriteHex(trace_hex);
  char span_hex[SpanId::kHexSize];
  span_context.span_id().WriteHex(span_hex);
  carrier.Set(kTraceIdField, std::string_view(trace_hex, sizeof(trace_hex)));
  carrier.Set(kSpanIdField, std::string_view(span_hex, sizeof(span_hex)));
  carrier.Set(kSampledField, std::string_view(&sampled, 1));
}

Context B3Propagator::Extract(const TextMapCarrier& carrier, const Context& context) const {
  std::optional<SpanContext> extracted;
  // One scratch string per header read at once: the multi-header form needs
  // all four values alive together.
  std::string scratch[4];
  const std::string_view single = ReadField(carrier, kSingleField, scratch[0]);
  if (!single.empty()) extracted = ParseSingle(single);
  if (!extracted) {
    const std::string_view trace_id = ReadField(carrier, kTraceIdField, scratch[0]);
    if (trace_id.empty()) return context;
    extracted = ParseMulti(trace_id, ReadField(carrier, kSpanIdField, scratch[1]),
                           ReadField(carrier, kSampledField, scratch[2]),
                           ReadField(carrier, kFlagsField, scratch[3]));
  }
  if (!extracted) return context;
  return context.WithSpan(Span(*std::move(extracted)));
}

std::vector<std::string> B3Propagator::Fields() const {
  return {std::string(kSingleField),  std::string(kTraceIdField), std::string(kSpanIdField),
          std::string(kSampledField), std::string(kFlagsField),   std::string(kParentSpanIdField)};
}

}  // namespace agenthub::telemetry
