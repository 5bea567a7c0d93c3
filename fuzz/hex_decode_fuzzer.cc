// Fuzz target: internal::HexDecode, the table-driven decoder behind every
// trace and span id read from a header (W3C strict lowercase, B3 lenient).
// The first input byte picks the byte count and the case rule; the rest is
// the text. Checked against a plain character-range decoder.
#include <algorithm>
#include <cstdint>
#include <string_view>
#include <vector>

#include "fuzz_check.h"
#include "telemetry/trace/ids.h"

namespace {

int ReferenceDigit(char c, bool allow_upper) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (allow_upper && c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool ReferenceDecode(std::string_view hex, uint8_t* out, size_t n, bool allow_upper) {
  if (hex.size() != 2 * n) return false;
  for (size_t i = 0; i < n; ++i) {
    const int hi = ReferenceDigit(hex[2 * i], allow_upper);
    const int lo = ReferenceDigit(hex[2 * i + 1], allow_upper);
    if (hi < 0 || lo < 0) return false;
    out[i] = static_cast<uint8_t>(hi * 16 + lo);
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace telemetry = agenthub::telemetry;
  if (size == 0) return 0;
  const bool allow_upper = (data[0] & 0x80) != 0;
  const std::string_view text = agenthub::fuzz::AsView(data + 1, size - 1);
  // Mostly the size the text needs, sometimes another, to test the length check.
  const size_t n = (data[0] & 0x40) != 0 ? (data[0] & 0x3f) : text.size() / 2;

  std::vector<uint8_t> got(n + 1, 0xaa);
  std::vector<uint8_t> want(n + 1, 0xaa);
  const bool ok = telemetry::internal::HexDecode(text, got.data(), n, allow_upper);
  FUZZ_CHECK(ok == ReferenceDecode(text, want.data(), n, allow_upper));
  if (ok) FUZZ_CHECK(got == want);  // including the guard byte past the end

  if (text.size() == telemetry::TraceId::kHexSize) {
    uint8_t bytes[telemetry::TraceId::kSize];
    const bool valid = ReferenceDecode(text, bytes, sizeof(bytes), allow_upper);
    const auto id = telemetry::TraceId::FromHex(text, allow_upper);
    FUZZ_CHECK(id.has_value() == valid);
    if (id) FUZZ_CHECK(std::equal(id->bytes().begin(), id->bytes().end(), bytes));
  }
  return 0;
}
