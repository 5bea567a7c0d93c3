// Time types used across the SDK. Span timestamps are wall-clock time with
// nanosecond resolution (what OTLP carries); timeouts use the steady clock.
#pragma once

#include <chrono>
#include <cstdint>

namespace agenthub::telemetry {

using Clock = std::chrono::system_clock;
using Timestamp = std::chrono::time_point<Clock, std::chrono::nanoseconds>;
using SteadyClock = std::chrono::steady_clock;
using Deadline = SteadyClock::time_point;

inline Timestamp Now() { return std::chrono::time_point_cast<std::chrono::nanoseconds>(Clock::now()); }

inline uint64_t UnixNanos(Timestamp t) {
  return static_cast<uint64_t>(t.time_since_epoch().count());
}

inline Timestamp FromUnixNanos(uint64_t nanos) {
  return Timestamp(std::chrono::nanoseconds(static_cast<int64_t>(nanos)));
}

}  // namespace agenthub::telemetry
