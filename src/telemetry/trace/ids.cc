#include "telemetry/trace/ids.h"

#include <random>

namespace agenthub::telemetry {
namespace internal {

void HexEncode(const uint8_t* bytes, size_t n, char* out) {
  static constexpr char kDigits[] = "0123456789abcdef";
  for (size_t i = 0; i < n; ++i) {
    out[2 * i] = kDigits[bytes[i] >> 4];
    out[2 * i + 1] = kDigits[bytes[i] & 0x0f];
  }
}

namespace {
inline int HexValue(char c, bool allow_upper) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (allow_upper && c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}
}  // namespace

bool HexDecode(std::string_view hex, uint8_t* out, size_t n, bool allow_upper) {
  if (hex.size() != 2 * n) return false;
  for (size_t i = 0; i < n; ++i) {
    const int hi = HexValue(hex[2 * i], allow_upper);
    const int lo = HexValue(hex[2 * i + 1], allow_upper);
    if (hi < 0 || lo < 0) return false;
    out[i] = static_cast<uint8_t>((hi << 4) | lo);
  }
  return true;
}

}  // namespace internal

namespace {

// xoshiro256** (Blackman and Vigna): fast, good statistical quality, and
// seeded per thread so no two threads share state.
class Xoshiro256 {
 public:
  Xoshiro256() {
    std::random_device rd;
    for (auto& word : s_) {
      word = (static_cast<uint64_t>(rd()) << 32) ^ rd();
    }
    if ((s_[0] | s_[1] | s_[2] | s_[3]) == 0) s_[0] = 0x9e3779b97f4a7c15ULL;
  }
  uint64_t Next() {
    const uint64_t result = Rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = Rotl(s_[3], 45);
    return result;
  }

 private:
  static uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  uint64_t s_[4];
};

Xoshiro256& ThreadRng() {
  thread_local Xoshiro256 rng;
  return rng;
}

inline void StoreU64(uint8_t* out, uint64_t v) { std::memcpy(out, &v, 8); }

}  // namespace

TraceId NewTraceId() {
  TraceId id;
  auto& rng = ThreadRng();
  do {
    StoreU64(id.mutable_bytes().data(), rng.Next());
    StoreU64(id.mutable_bytes().data() + 8, rng.Next());
  } while (!id.IsValid());
  return id;
}

SpanId NewSpanId() {
  SpanId id;
  auto& rng = ThreadRng();
  do {
    StoreU64(id.mutable_bytes().data(), rng.Next());
  } while (!id.IsValid());
  return id;
}

}  // namespace agenthub::telemetry
