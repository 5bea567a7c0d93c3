// A bounded multi-producer queue of trivially copyable values (D. Vyukov's
// array-based MPMC design): one CAS per push, no lock, no allocation after
// construction. Used where application threads hand records to a background
// exporter: pushing never blocks, a full queue is reported to the caller
// (who drops and counts), and the consumer pops in bulk.
#pragma once

#include <atomic>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <type_traits>

namespace agenthub::telemetry {

template <typename T>
class BoundedQueue {
  static_assert(std::is_trivially_copyable_v<T>);

 public:
  // Holds exactly `capacity` values (at least 1).
  explicit BoundedQueue(size_t capacity)
      : capacity_(capacity == 0 ? 1 : capacity),
        mask_(std::has_single_bit(capacity_) ? capacity_ - 1 : 0),
        cells_(new Cell[capacity_]) {
    for (size_t i = 0; i < capacity_; ++i) cells_[i].seq.store(Free(i), std::memory_order_relaxed);
  }
  BoundedQueue(const BoundedQueue&) = delete;
  BoundedQueue& operator=(const BoundedQueue&) = delete;

  // False when full. On success *ticket (if given) is the value's position
  // in the stream of all pushes, which callers use to pace wake-ups.
  bool TryPush(T value, uint64_t* ticket = nullptr) {
    uint64_t pos = enqueue_pos_.load(std::memory_order_relaxed);
    for (;;) {
      Cell& cell = cells_[Index(pos)];
      const uint64_t seq = cell.seq.load(std::memory_order_acquire);
      const int64_t diff = static_cast<int64_t>(seq) - static_cast<int64_t>(Free(pos));
      if (diff == 0) {
        if (enqueue_pos_.compare_exchange_weak(pos, pos + 1, std::memory_order_relaxed)) {
          cell.value = value;
          cell.seq.store(Full(pos), std::memory_order_release);
          if (ticket) *ticket = pos;
          return true;
        }
      } else if (diff < 0) {
        return false;
      } else {
        pos = enqueue_pos_.load(std::memory_order_relaxed);
      }
    }
  }

  bool TryPop(T* out) {
    uint64_t pos = dequeue_pos_.load(std::memory_order_relaxed);
    for (;;) {
      Cell& cell = cells_[Index(pos)];
      const uint64_t seq = cell.seq.load(std::memory_order_acquire);
      const int64_t diff = static_cast<int64_t>(seq) - static_cast<int64_t>(Full(pos));
      if (diff == 0) {
        if (dequeue_pos_.compare_exchange_weak(pos, pos + 1, std::memory_order_relaxed)) {
          *out = cell.value;
          cell.seq.store(Free(pos + capacity_), std::memory_order_release);
          return true;
        }
      } else if (diff < 0) {
        return false;
      } else {
        pos = dequeue_pos_.load(std::memory_order_relaxed);
      }
    }
  }

  // Approximate while producers and consumers run; exact when quiet.
  size_t SizeApprox() const {
    const uint64_t enq = enqueue_pos_.load(std::memory_order_relaxed);
    const uint64_t deq = dequeue_pos_.load(std::memory_order_relaxed);
    return enq > deq ? static_cast<size_t>(enq - deq) : 0;
  }
  size_t capacity() const { return capacity_; }

 private:
  struct alignas(64) Cell {
    std::atomic<uint64_t> seq;
    T value;
  };
  // A cell's sequence number says whose turn it is: Free(pos) when the push
  // of position pos may fill it, Full(pos) when the pop of pos may take it.
  // Two numbers per position (the classic design uses pos and pos + 1)
  // keep "full with pos" and "free for pos + 1" apart even when the
  // capacity is 1.
  static uint64_t Free(uint64_t pos) { return 2 * pos; }
  static uint64_t Full(uint64_t pos) { return 2 * pos + 1; }
  size_t Index(uint64_t pos) const {
    return mask_ ? static_cast<size_t>(pos & mask_) : static_cast<size_t>(pos % capacity_);
  }

  const size_t capacity_;
  const size_t mask_;  // capacity - 1 when a power of two, else 0 (use %)
  std::unique_ptr<Cell[]> cells_;
  alignas(64) std::atomic<uint64_t> enqueue_pos_{0};
  alignas(64) std::atomic<uint64_t> dequeue_pos_{0};
};

}  // namespace agenthub::telemetry
