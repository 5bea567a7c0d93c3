#include "telemetry/common/sharded_counter.h"

namespace agenthub::telemetry::internal {

size_t ThreadShardIndex() {
  static std::atomic<size_t> next{0};
  thread_local const size_t index = next.fetch_add(1, std::memory_order_relaxed);
  return index;
}

}  // namespace agenthub::telemetry::internal
