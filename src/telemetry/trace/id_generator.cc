// Seeding of the per-thread id generator declared in ids.h. Ids need to be
// unique and unpredictable enough to sample on, not secret: the OS seeds each
// thread's counter once, and no two threads share state or take a lock.
#include <random>

#include "telemetry/trace/ids.h"

namespace agenthub::telemetry::internal {

constinit thread_local RngState rng_state = {0, false};

void SeedRng(RngState& state) {
  std::random_device rd;
  state.counter = (static_cast<uint64_t>(rd()) << 32) ^ rd();
  state.seeded = true;
}

}  // namespace agenthub::telemetry::internal
