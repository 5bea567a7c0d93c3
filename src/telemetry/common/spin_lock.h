// A tiny test-and-test-and-set lock for critical sections of a few dozen
// nanoseconds that are almost never contended (one span's fields). Cheaper
// than std::mutex there and one byte in size; never hold it across a call
// that can block.
#pragma once

#include <atomic>

namespace agenthub::telemetry {

class SpinLock {
 public:
  void lock() {
    while (locked_.exchange(true, std::memory_order_acquire)) {
      while (locked_.load(std::memory_order_relaxed)) {
#if defined(__x86_64__) || defined(__i386__)
        __builtin_ia32_pause();
#endif
      }
    }
  }
  void unlock() { locked_.store(false, std::memory_order_release); }

 private:
  std::atomic<bool> locked_{false};
};

}  // namespace agenthub::telemetry
