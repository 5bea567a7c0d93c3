// Durations as humans and Go programs read them: the format of Go's
// time.Duration.String() ("0s", "850ns", "1.5µs", "12.345ms", "2.5s",
// "1m30s", "3h0m12.5s"), which time.ParseDuration reads back. The health
// JSON uses it because the original AgentHub (Go) reports durations so.
#pragma once

#include <chrono>
#include <string>

namespace agenthub::ops {

std::string FormatGoDuration(std::chrono::nanoseconds duration);

}  // namespace agenthub::ops
