// Backoff: the delays between reconnect and retry attempts, growing
// exponentially with jitter so that agents restarted together do not hammer
// a recovering broker in lockstep.
#pragma once

#include <chrono>
#include <cstdint>

namespace agenthub::client {

struct BackoffPolicy {
  std::chrono::milliseconds initial{100};
  std::chrono::milliseconds max{5000};
  double multiplier = 2.0;
  // Each delay is drawn uniformly from [d * (1 - jitter), d * (1 + jitter)].
  double jitter = 0.2;
};

// Not thread-safe: one Backoff per retry loop.
class Backoff {
 public:
  explicit Backoff(BackoffPolicy policy = {});

  // The delay before the next attempt; grows until policy.max.
  std::chrono::milliseconds Next();
  // After a success: the next failure starts again from policy.initial.
  void Reset();
  // Attempts since the last Reset (how many Next() calls).
  int attempts() const { return attempts_; }

 private:
  BackoffPolicy policy_;
  double current_ms_;  // the un-jittered delay Next() will use
  int attempts_ = 0;
  uint64_t rng_;  // xorshift state: jitter needs no quality, only spread
};

}  // namespace agenthub::client
