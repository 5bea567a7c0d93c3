// NewTraceId / NewSpanId: per-thread xoshiro256** (Blackman and Vigna), fast
// and of good statistical quality, seeded from the OS on a thread's first
// use, so no two threads share state and no lock is taken.
#include <cstring>
#include <random>

#include "telemetry/trace/ids.h"

namespace agenthub::telemetry {
namespace {

struct RngState {
  uint64_t s[4];
  bool seeded;
};

// Constant-initialised, so every access is a plain TLS load: no guard
// variable, no wrapper call on the span hot path.
constinit thread_local RngState rng_state = {{0, 0, 0, 0}, false};

[[gnu::noinline]] void Seed(RngState& state) {
  std::random_device rd;
  for (auto& word : state.s) word = (static_cast<uint64_t>(rd()) << 32) ^ rd();
  if ((state.s[0] | state.s[1] | state.s[2] | state.s[3]) == 0) state.s[0] = 0x9e3779b97f4a7c15ULL;
  state.seeded = true;
}

inline uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

inline uint64_t Next() {
  RngState& st = rng_state;
  if (!st.seeded) [[unlikely]] Seed(st);
  uint64_t* s = st.s;
  const uint64_t result = Rotl(s[1] * 5, 7) * 9;
  const uint64_t t = s[1] << 17;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = Rotl(s[3], 45);
  return result;
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
