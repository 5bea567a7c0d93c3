#include "telemetry/common/sharded_counter.h"

#include <bitset>
#include <mutex>

namespace agenthub::telemetry::internal {
namespace {

class SlotRegistry {
 public:
  size_t Take() {
    std::lock_guard lock(mutex_);
    for (size_t i = 0; i < kMaxThreadSlots; ++i) {
      if (!used_[i]) {
        used_[i] = true;
        return i;
      }
    }
    return kMaxThreadSlots;
  }
  void Give(size_t slot) {
    if (slot >= kMaxThreadSlots) return;
    std::lock_guard lock(mutex_);
    used_[slot] = false;
  }

 private:
  std::mutex mutex_;
  std::bitset<kMaxThreadSlots> used_;
};

// Never destroyed: threads may exit after static destruction began.
SlotRegistry& Registry() {
  static SlotRegistry* registry = new SlotRegistry();
  return *registry;
}

// A slot is handed back when its thread exits; a later thread reusing it
// keeps adding to the same shard, so sums stay correct.
struct ThreadSlotHolder {
  size_t slot = Registry().Take();
  ~ThreadSlotHolder() {
    Registry().Give(slot);
    // Adds after this point (other thread_locals' destructors) must not
    // touch a slot another thread may now own.
    thread_slot = kMaxThreadSlots;
  }
};

}  // namespace

constinit thread_local size_t thread_slot = kNoSlotYet;

size_t AssignThreadSlot() {
  thread_local ThreadSlotHolder holder;
  thread_slot = holder.slot;
  return holder.slot;
}

}  // namespace agenthub::telemetry::internal
