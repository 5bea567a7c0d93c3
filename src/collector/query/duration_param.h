// Durations as Jaeger's API takes them (minDuration=1.2s, maxDuration=100ms):
// Go's time.ParseDuration format, a sequence of decimal numbers with units
// ns, us, µs, ms, s, m, h ("1h30m", "2.5s", "-1.5h").
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace agenthub::collector {

// Nanoseconds, or nullopt when `text` is not a Go duration or overflows.
// "0" alone is allowed, as in Go.
std::optional<int64_t> ParseGoDuration(std::string_view text);

}  // namespace agenthub::collector
