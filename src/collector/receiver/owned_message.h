// OwnedMessage: a decoded request and whatever owns its memory, the heap or
// a protobuf Arena of its own.
//
// Requests are decoded on the receivers' threads and freed on the ingest
// queue's writer thread. Freed field by field, a 511-span request is some
// twenty thousand small frees into another thread's malloc arena, and the
// receivers then spent more time in glibc's free-list consolidation than in
// decoding (perf on BM_IngestOtlpGrpc). On an Arena the messages live in a
// few large blocks that go in one step.
//
// A std::unique_ptr<T> converts to OwnedMessage<T> (heap-owned), so callers
// that build requests with std::make_unique need no change.
#pragma once

#include <google/protobuf/arena.h>

#include <algorithm>
#include <cstddef>
#include <memory>

namespace agenthub::collector {

class MessageDeleter {
 public:
  MessageDeleter() = default;
  template <typename T>
  MessageDeleter(std::default_delete<T>) {}  // NOLINT: implicit, see above
  explicit MessageDeleter(std::unique_ptr<google::protobuf::Arena> arena)
      : arena_(std::move(arena)) {}

  template <typename T>
  void operator()(T* message) {
    if (arena_) {
      arena_.reset();  // the message is in it
    } else {
      delete message;
    }
  }

 private:
  std::unique_ptr<google::protobuf::Arena> arena_;  // null: heap-owned
};

template <typename T>
using OwnedMessage = std::unique_ptr<T, MessageDeleter>;

inline constexpr size_t kMaxArenaBlock = 64 * 1024;

// An empty message on an arena of its own. Blocks stay below glibc's mmap
// threshold (128 KB): larger ones are mapped fresh and unmapped for every
// request, and on this VM the page faults of touching them cost more than
// the decoding (perf: they were half of the receivers' time with 4 MB
// blocks).
template <typename T>
OwnedMessage<T> NewArenaMessage(size_t encoded_bytes) {
  google::protobuf::ArenaOptions options;
  options.start_block_size = std::clamp<size_t>(encoded_bytes, 4096, kMaxArenaBlock);
  options.max_block_size = kMaxArenaBlock;
  auto arena = std::make_unique<google::protobuf::Arena>(options);
  T* message = google::protobuf::Arena::CreateMessage<T>(arena.get());
  return OwnedMessage<T>(message, MessageDeleter(std::move(arena)));
}

}  // namespace agenthub::collector
