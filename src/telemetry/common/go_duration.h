// Durations as humans and Go programs write them: the format of Go's
// time.Duration.String() ("0s", "850ns", "1.5µs", "12.345ms", "2.5s",
// "1m30s", "3h0m12.5s") and the format time.ParseDuration reads (decimal
// numbers, each with a unit ns, us, µs, ms, s, m, h: "1h30m", "2.5s",
// "-1.5h"). One place for both directions, because AgentHub speaks them in
// several: the health JSON (the original AgentHub, written in Go, reports
// durations so), Jaeger's minDuration/maxDuration parameters, the CLI's
// duration flags (--retention, --ack-wait) and the trace tree's span times.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace agenthub::telemetry {

std::string FormatGoDuration(std::chrono::nanoseconds duration);

// Nanoseconds, or nullopt when `text` is not a Go duration or overflows
// int64. "0" alone is allowed, as in Go; every other number needs a unit.
std::optional<int64_t> ParseGoDuration(std::string_view text);

}  // namespace agenthub::telemetry
