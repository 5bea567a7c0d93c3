// Trace and span identifiers (W3C Trace Context): 16 and 8 random bytes,
// never all zero, written as lowercase hex on the wire.
#pragma once

#include <array>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>

namespace agenthub::telemetry {

namespace internal {
// Writes 2*n lowercase hex digits of `bytes` to `out`.
void HexEncode(const uint8_t* bytes, size_t n, char* out);
// Decodes exactly 2*n hex digits; false on any other character. Uppercase is
// rejected unless allow_upper (W3C requires lowercase; B3 readers are lenient).
bool HexDecode(std::string_view hex, uint8_t* out, size_t n, bool allow_upper = false);
}  // namespace internal

template <size_t N>
class Id {
 public:
  static constexpr size_t kSize = N;
  static constexpr size_t kHexSize = 2 * N;

  constexpr Id() = default;
  explicit Id(const std::array<uint8_t, N>& bytes) : bytes_(bytes) {}

  // Parses exactly kHexSize hex digits; nullopt when malformed. All-zero ids
  // parse (they are well-formed) but are not IsValid().
  static std::optional<Id> FromHex(std::string_view hex, bool allow_upper = false) {
    Id id;
    if (hex.size() != kHexSize || !internal::HexDecode(hex, id.bytes_.data(), N, allow_upper)) {
      return std::nullopt;
    }
    return id;
  }

  bool IsValid() const {
    // Word-wise: this runs on every span start and header parse.
    uint64_t words[(N + 7) / 8] = {};
    std::memcpy(words, bytes_.data(), N);
    uint64_t any = 0;
    for (uint64_t w : words) any |= w;
    return any != 0;
  }
  void WriteHex(char* out) const { internal::HexEncode(bytes_.data(), N, out); }
  std::string ToHex() const {
    std::string s(kHexSize, '0');
    WriteHex(s.data());
    return s;
  }
  const std::array<uint8_t, N>& bytes() const { return bytes_; }
  std::array<uint8_t, N>& mutable_bytes() { return bytes_; }

  friend bool operator==(const Id&, const Id&) = default;
  friend auto operator<=>(const Id&, const Id&) = default;

 private:
  std::array<uint8_t, N> bytes_{};
};

using TraceId = Id<16>;
using SpanId = Id<8>;

// Random ids from a per-thread wyrand generator seeded from the OS: no
// locks, a few nanoseconds each, never all zero. Inline, so starting a span
// makes no call for them (see internal:: below).
inline TraceId NewTraceId();
inline SpanId NewSpanId();

namespace internal {

// Wang Yi's wyrand: a counter stepped by an odd constant, folded through one
// 64x64->128 multiply (passes BigCrush and PractRand). Constant-initialised,
// so each use is a plain TLS access with no guard; seeded on first use
// (id_generator.cc).
struct RngState {
  uint64_t counter;
  bool seeded;
};
extern constinit thread_local RngState rng_state;
[[gnu::noinline]] void SeedRng(RngState& state);

inline uint64_t NextRandom() {
  RngState& st = rng_state;
  if (!st.seeded) [[unlikely]]
    SeedRng(st);
  st.counter += 0xa0761d6478bd642fULL;
  const unsigned __int128 product =
      static_cast<unsigned __int128>(st.counter) * (st.counter ^ 0xe7037ed1a0b428dbULL);
  return static_cast<uint64_t>(product >> 64) ^ static_cast<uint64_t>(product);
}

}  // namespace internal

inline TraceId NewTraceId() {
  uint64_t hi, lo;
  do {
    hi = internal::NextRandom();
    lo = internal::NextRandom();
  } while ((hi | lo) == 0);
  TraceId id;
  std::memcpy(id.mutable_bytes().data(), &hi, 8);
  std::memcpy(id.mutable_bytes().data() + 8, &lo, 8);
  return id;
}

inline SpanId NewSpanId() {
  uint64_t v;
  do {
    v = internal::NextRandom();
  } while (v == 0);
  SpanId id;
  std::memcpy(id.mutable_bytes().data(), &v, 8);
  return id;
}

}  // namespace agenthub::telemetry
