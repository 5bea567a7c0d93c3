// A lock-free rate limiter: the generic cell rate algorithm (GCRA), which is
// a token bucket stored as one number.
//
// Instead of a token count and a refill time (two values that would need a
// lock to update together), the limiter keeps the "theoretical arrival time":
// when the schedule of permits granted so far would end if permits were
// spaced exactly one interval apart. A permit is granted when that schedule,
// extended by one interval, runs no further than `burst` intervals ahead of
// now. One compare-and-swap on one atomic per granted permit; a refusal costs
// one load. Time is passed in, so tests can drive it exactly.
#pragma once

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <limits>

namespace agenthub::telemetry::internal {

class RateLimiter {
 public:
  static constexpr double kMaxPerSecond = 1e9;   // one permit per nanosecond
  static constexpr double kMinPerSecond = 1e-9;  // one permit per ~32 years

  // `per_second` permits per second on average, clamped to [kMinPerSecond,
  // kMaxPerSecond] (zero, negative or NaN grant nothing), and at most `burst`
  // at once (at least one). Starts full: the first `burst` requests are
  // granted immediately.
  RateLimiter(double per_second, double burst) {
    if (!(per_second > 0.0)) {
      never_ = true;
      return;
    }
    per_second = std::clamp(per_second, kMinPerSecond, kMaxPerSecond);
    interval_ns_ = std::max<int64_t>(1, std::llround(1e9 / per_second));
    // Derived from the rounded interval so that an integer burst of n always
    // admits exactly n permits at once. Capped so that the arithmetic in
    // TryAcquire cannot overflow.
    const double window = std::max(1.0, burst) * static_cast<double>(interval_ns_);
    window_ns_ = window < kMaxWindowNs ? std::llround(window) : static_cast<int64_t>(kMaxWindowNs);
  }

  // Thread-safe. `now_ns` is any monotonic clock reading in nanoseconds.
  bool TryAcquire(int64_t now_ns) {
    if (never_) return false;
    int64_t arrival = theoretical_arrival_ns_.load(std::memory_order_relaxed);
    while (true) {
      const int64_t next = std::max(arrival, now_ns) + interval_ns_;
      if (next - now_ns > window_ns_) return false;
      // Relaxed is enough: the counter publishes no other memory.
      if (theoretical_arrival_ns_.compare_exchange_weak(arrival, next, std::memory_order_relaxed)) {
        return true;
      }
    }
  }

 private:
  static constexpr double kMaxWindowNs = 4e18;  // ~127 years, far from INT64_MAX

  bool never_ = false;       // rate zero: refuse without touching the atomic
  int64_t interval_ns_ = 0;  // time to earn one permit back
  int64_t window_ns_ = 0;    // burst * interval: how far ahead the schedule may run
  // On its own cache line: every grant writes it, and the read-only fields
  // above should not be invalidated for other cores each time.
  alignas(64) std::atomic<int64_t> theoretical_arrival_ns_{std::numeric_limits<int64_t>::min()};
};

}  // namespace agenthub::telemetry::internal
