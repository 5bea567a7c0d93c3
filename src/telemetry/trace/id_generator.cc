// NewTraceId / NewSpanId: a per-thread wyrand generator (Wang Yi's
// multiply-fold counter generator: one add, one 64x64->128 multiply and an
// xor per 64 bits; passes BigCrush and PractRand), seeded from the OS on a
// thread's first use, so no two threads share state and no lock is taken.
// Ids need to be unique and unpredictable enough to sample on, not secret.
#include <cstring>
#include <random>

#include "telemetry/trace/ids.h"

namespace agenthub::telemetry {
namespace {

struct RngState {
  uint64_t counter;
  bool seeded;
};

// Constant-initialised, so every access is a plain TLS load: no guard
// variable, no wrapper call on the span hot path.
constinit thread_local RngState rng_state = {0, false};

[[gnu::noinline]] void Seed(RngState& state) {
  std::random_device rd;
  state.counter = (static_cast<uint64_t>(rd()) << 32) ^ rd();
  state.seeded = true;
}

inline uint64_t Next() {
  RngState& st = rng_state;
  if (!st.seeded) [[unlikely]]
    Seed(st);
  st.counter += 0xa0761d6478bd642fULL;
  const unsigned __int128 product =
      static_cast<unsigned __int128>(st.counter) * (st.counter ^ 0xe7037ed1a0b428dbULL);
  return static_cast<uint64_t>(product >> 64) ^ static_cast<uint64_t>(product);
}

}  // namespace

TraceId NewTraceId() {
  TraceId id;
  uint64_t hi, lo;
  do {
    hi = Next();
    lo = Next();
  } while ((hi | lo) == 0);
  std::memcpy(id.mutable_bytes().data(), &hi, 8);
  std::memcpy(id.mutable_bytes().data() + 8, &lo, 8);
  return id;
}

SpanId NewSpanId() {
  SpanId id;
  uint64_t v;
  do {
    v = Next();
  } while (v == 0);
  std::memcpy(id.mutable_bytes().data(), &v, 8);
  return id;
}

}  // namespace agenthub::telemetry
