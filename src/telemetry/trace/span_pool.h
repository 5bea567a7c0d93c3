// Internal: recycles RecordedSpan objects.
//
// Each thread keeps a stack of free spans. A thread that frees many spans
// (the export thread) hands them back in magazines of kMagazineSize to a
// global depot, from which threads that start spans refill their stack: one
// mutex acquisition per magazine, not per span. The depot is bounded;
// beyond it, spans are deleted.
//
// The stacks and magazines are arrays of pointers, not lists threaded
// through the spans: freeing a span on the export thread writes nothing into
// it, so the span's cache lines stay valid in the cache of the core that
// filled them and will fill them again.
#pragma once

#include <cstddef>

namespace agenthub::telemetry::internal {

class RecordedSpan;

class SpanPool {
 public:
  static constexpr size_t kMagazineSize = 256;
  static constexpr size_t kMaxDepotMagazines = 64;

  static RecordedSpan* Take();
  static void Give(RecordedSpan* span);
  // Spans currently pooled in the depot (for tests).
  static size_t DepotSize();
};

}  // namespace agenthub::telemetry::internal
