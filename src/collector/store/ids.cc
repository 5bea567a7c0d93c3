#include "collector/store/ids.h"

namespace agenthub::collector {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string ToHex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(bytes.size() * 2, '0');
  for (size_t i = 0; i < bytes.size(); ++i) {
    const auto b = static_cast<unsigned char>(bytes[i]);
    out[2 * i] = kDigits[b >> 4];
    out[2 * i + 1] = kDigits[b & 0xf];
  }
  return out;
}

std::optional<std::string> TraceIdFromHex(std::string_view hex) {
  if (hex.empty() || hex.size() > 2 * kTraceIdBytes) return std::nullopt;
  std::string padded(2 * kTraceIdBytes - hex.size(), '0');
  padded.append(hex);
  std::string out(kTraceIdBytes, '\0');
  for (size_t i = 0; i < kTraceIdBytes; ++i) {
    const int hi = HexValue(padded[2 * i]);
    const int lo = HexValue(padded[2 * i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out[i] = static_cast<char>(hi << 4 | lo);
  }
  if (!IsValidId(out, kTraceIdBytes)) return std::nullopt;
  return out;
}

bool IsValidId(std::string_view bytes, size_t size) {
  if (bytes.size() != size) return false;
  for (char c : bytes) {
    if (c != 0) return true;
  }
  return false;
}

}  // namespace agenthub::collector
