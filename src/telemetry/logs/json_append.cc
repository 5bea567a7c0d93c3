#include "telemetry/logs/json_append.h"

#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <variant>

namespace agenthub::telemetry::internal {
namespace {

// What a byte needs when it appears in a string.
enum ByteClass : uint8_t { kPlain, kControl, kQuoteOrBackslash, kNonAscii };

constexpr std::array<uint8_t, 256> MakeByteClasses() {
  std::array<uint8_t, 256> classes{};
  for (int c = 0; c < 256; ++c) {
    if (c < 0x20) {
      classes[c] = kControl;
    } else if (c == '"' || c == '\\') {
      classes[c] = kQuoteOrBackslash;
    } else if (c >= 0x80) {
      classes[c] = kNonAscii;
    } else {
      classes[c] = kPlain;
    }
  }
  return classes;
}
constexpr std::array<uint8_t, 256> kByteClasses = MakeByteClasses();

constexpr char kHexDigits[] = "0123456789abcdef";
constexpr std::string_view kReplacementCharacter = "\xEF\xBF\xBD";  // U+FFFD

// The length of the well-formed UTF-8 sequence at p[0..n), or 0 when it is
// ill-formed, with *bad set to the length of its maximal ill-formed subpart
// (the bytes to replace by one U+FFFD). Table 3-7 of the Unicode standard:
// no overlong forms, no surrogates, nothing above U+10FFFF.
size_t WellFormedLength(const unsigned char* p, size_t n, size_t* bad) {
  const unsigned char lead = p[0];
  size_t trailing = 0;
  unsigned char lo = 0x80;
  unsigned char hi = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    trailing = 1;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    trailing = 2;
    if (lead == 0xE0) lo = 0xA0;  // overlong below U+0800
    if (lead == 0xED) hi = 0x9F;  // UTF-16 surrogates
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    trailing = 3;
    if (lead == 0xF0) lo = 0x90;  // overlong below U+10000
    if (lead == 0xF4) hi = 0x8F;  // above U+10FFFF
  } else {
    *bad = 1;
    return 0;
  }
  for (size_t k = 1; k <= trailing; ++k) {
    if (k >= n || p[k] < lo || p[k] > hi) {
      *bad = k;
      return 0;
    }
    lo = 0x80;
    hi = 0xBF;
  }
  return trailing + 1;
}

void AppendControlEscape(unsigned char c, std::string* out) {
  switch (c) {
    case '\n':
      out->append("\\n");
      return;
    case '\r':
      out->append("\\r");
      return;
    case '\t':
      out->append("\\t");
      return;
    case '\b':
      out->append("\\b");
      return;
    case '\f':
      out->append("\\f");
      return;
    default: {
      const char escape[6] = {'\\', 'u', '0', '0', kHexDigits[c >> 4], kHexDigits[c & 0xF]};
      out->append(escape, sizeof(escape));
    }
  }
}

// The shared escaping loop: copies runs of plain bytes in one append.
void AppendEscaped(std::string_view s, bool escape_quotes, std::string* out) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const size_t n = s.size();
  size_t run_start = 0;
  size_t i = 0;
  while (i < n) {
    const uint8_t cls = kByteClasses[p[i]];
    if (cls == kPlain || (cls == kQuoteOrBackslash && !escape_quotes)) {
      ++i;
      continue;
    }
    if (cls == kNonAscii) {
      size_t bad = 0;
      const size_t len = WellFormedLength(p + i, n - i, &bad);
      if (len != 0) {
        i += len;  // valid UTF-8 is copied verbatim with the run
        continue;
      }
      out->append(s.data() + run_start, i - run_start);
      out->append(kReplacementCharacter);
      i += bad;
      run_start = i;
      continue;
    }
    out->append(s.data() + run_start, i - run_start);
    if (cls == kControl) {
      AppendControlEscape(p[i], out);
    } else {
      out->push_back('\\');
      out->push_back(static_cast<char>(p[i]));
    }
    ++i;
    run_start = i;
  }
  out->append(s.data() + run_start, n - run_start);
}

template <typename T>
void AppendArray(const std::vector<T>& values, std::string* out) {
  out->push_back('[');
  bool first = true;
  for (const auto& v : values) {
    if (!first) out->push_back(',');
    first = false;
    if constexpr (std::is_same_v<T, bool>) {
      out->append(v ? "true" : "false");
    } else if constexpr (std::is_same_v<T, int64_t>) {
      AppendInt(v, out);
    } else if constexpr (std::is_same_v<T, double>) {
      AppendDouble(v, out);
    } else {
      AppendJsonString(v, out);
    }
  }
  out->push_back(']');
}

}  // namespace

void AppendJsonString(std::string_view s, std::string* out) {
  out->push_back('"');
  AppendEscaped(s, /*escape_quotes=*/true, out);
  out->push_back('"');
}

void AppendLineSafeText(std::string_view s, std::string* out) {
  AppendEscaped(s, /*escape_quotes=*/false, out);
}

void AppendInt(int64_t value, std::string* out) {
  char buf[24];
  const auto result = std::to_chars(buf, buf + sizeof(buf), value);
  out->append(buf, result.ptr);
}

void AppendDouble(double value, std::string* out) {
  if (std::isnan(value)) {
    out->append("\"NaN\"");
    return;
  }
  if (std::isinf(value)) {
    out->append(value > 0 ? "\"Infinity\"" : "\"-Infinity\"");
    return;
  }
  // Shortest representation that reads back as the same double.
  char buf[32];
  const auto result = std::to_chars(buf, buf + sizeof(buf), value);
  out->append(buf, result.ptr);
}

void AppendJsonValue(const AttributeValue& value, std::string* out) {
  std::visit(
      [out](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, bool>) {
          out->append(v ? "true" : "false");
        } else if constexpr (std::is_same_v<T, int64_t>) {
          AppendInt(v, out);
        } else if constexpr (std::is_same_v<T, double>) {
          AppendDouble(v, out);
        } else if constexpr (std::is_same_v<T, std::string>) {
          AppendJsonString(v, out);
        } else {
          AppendArray(v, out);
        }
      },
      value);
}

}  // namespace agenthub::telemetry::internal
