#include "telemetry/trace/ids.h"

#include <array>

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

// Digit values of hex characters. Lowercase digits map to 0-15; 'A'-'F' map
// to 0x1a-0x1f, the 0x10 bit marking them as uppercase; every other byte is
// 0xff. One lookup per character and one mask test per byte then decide
// validity, with or without uppercase, and no branches on character ranges:
// this decode is the hottest part of extracting a traceparent.
constexpr std::array<uint8_t, 256> MakeHexTable() {
  std::array<uint8_t, 256> table{};
  for (auto& v : table) v = 0xff;
  for (int c = '0'; c <= '9'; ++c) table[c] = static_cast<uint8_t>(c - '0');
  for (int c = 'a'; c <= 'f'; ++c) table[c] = static_cast<uint8_t>(c - 'a' + 10);
  for (int c = 'A'; c <= 'F'; ++c) table[c] = static_cast<uint8_t>(0x10 | (c - 'A' + 10));
  return table;
}
constexpr std::array<uint8_t, 256> kHexTable = MakeHexTable();

}  // namespace

bool HexDecode(std::string_view hex, uint8_t* out, size_t n, bool allow_upper) {
  if (hex.size() != 2 * n) return false;
  // Bits that must be clear in a digit's table entry: the uppercase mark
  // counts as invalid unless uppercase is allowed.
  const uint8_t invalid = allow_upper ? 0xe0 : 0xf0;
  const char* s = hex.data();
  // Byte by byte with an early exit: measured as fast as a copy inlined at
  // each call site, while blocks of eight (tested once per block) let GCC
  // vectorize the loop into gather-and-spill code twice as slow.
  for (size_t i = 0; i < n; ++i) {
    const uint8_t hi = kHexTable[static_cast<uint8_t>(s[2 * i])];
    const uint8_t lo = kHexTable[static_cast<uint8_t>(s[2 * i + 1])];
    if (((hi | lo) & invalid) != 0) return false;
    out[i] = static_cast<uint8_t>(((hi & 0x0f) << 4) | (lo & 0x0f));
  }
  return true;
}

}  // namespace internal

}  // namespace agenthub::telemetry
