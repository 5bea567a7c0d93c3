// The span fields whose OTLP numbering differs from ours, shared by every
// span encoder (JSON lines, protobuf messages, direct wire bytes) so that
// they cannot disagree.
#pragma once

#include <cstdint>

#include "telemetry/trace/span_context.h"
#include "telemetry/trace/span_data.h"

namespace agenthub::telemetry {

// Bits of Span.flags and Span.Link.flags above the W3C trace flags (OTLP
// SpanFlags): bit 8 says whether the remote-ness of the parent (or of the
// linked span) is known, bit 9 that it is remote.
inline constexpr uint32_t kOtlpSpanFlagsTraceFlagsMask = 0x000000FF;
inline constexpr uint32_t kOtlpSpanFlagsContextHasIsRemote = 0x00000100;
inline constexpr uint32_t kOtlpSpanFlagsContextIsRemote = 0x00000200;

// Span.flags / Span.Link.flags: the W3C trace flags in bits 0-7, then
// CONTEXT_HAS_IS_REMOTE (always set: the SDK always knows) and, for a
// remote parent or linked context, CONTEXT_IS_REMOTE. A root span's absent
// parent counts as known and not remote.
inline uint32_t OtlpSpanFlags(TraceFlags trace_flags, bool remote) {
  uint32_t flags =
      (trace_flags.value & kOtlpSpanFlagsTraceFlagsMask) | kOtlpSpanFlagsContextHasIsRemote;
  if (remote) flags |= kOtlpSpanFlagsContextIsRemote;
  return flags;
}

// OTLP Span.SpanKind reserves 0 for UNSPECIFIED; ours starts at INTERNAL.
inline int OtlpSpanKind(SpanKind kind) { return static_cast<int>(kind) + 1; }

}  // namespace agenthub::telemetry
