// Trace and span ids as bytes (how OTLP and the store hold them) and as
// lowercase hex (how Jaeger's API and humans write them).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace agenthub::collector {

inline constexpr size_t kTraceIdBytes = 16;
inline constexpr size_t kSpanIdBytes = 8;

// Lowercase hex of any bytes.
std::string ToHex(std::string_view bytes);

// A trace id from 1 to 32 hex digits (either case). Shorter ids are
// left-padded with zeros, as Jaeger does for 64-bit trace ids. nullopt for
// anything else, including the all-zero (invalid) id.
std::optional<std::string> TraceIdFromHex(std::string_view hex);

// True for `size` bytes that are not all zero (W3C: all-zero ids are invalid).
bool IsValidId(std::string_view bytes, size_t size);

}  // namespace agenthub::collector
