#include "client/backoff.h"

#include <algorithm>
#include <random>

namespace agenthub::client {

Backoff::Backoff(BackoffPolicy policy)
    : policy_(policy), current_ms_(static_cast<double>(policy.initial.count())) {
  rng_ = std::random_device{}() | 1u;
}

std::chrono::milliseconds Backoff::Next() {
  ++attempts_;
  rng_ ^= rng_ << 13;
  rng_ ^= rng_ >> 7;
  rng_ ^= rng_ << 17;
  const double unit = static_cast<double>(rng_ >> 11) / static_cast<double>(1ull << 53);
  const double jitter = std::clamp(policy_.jitter, 0.0, 1.0);
  const double delay = current_ms_ * (1.0 - jitter + 2.0 * jitter * unit);
  const double max_ms = static_cast<double>(policy_.max.count());
  current_ms_ = std::min(max_ms, current_ms_ * std::max(1.0, policy_.multiplier));
  return std::chrono::milliseconds(static_cast<int64_t>(std::min(delay, max_ms)));
}

void Backoff::Reset() {
  attempts_ = 0;
  current_ms_ = static_cast<double>(policy_.initial.count());
}

}  // namespace agenthub::client
