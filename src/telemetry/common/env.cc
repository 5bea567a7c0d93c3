#include "telemetry/common/env.h"

#include <charconv>
#include <cstdlib>

#include "telemetry/common/diagnostics.h"

namespace agenthub::telemetry {

std::optional<std::string> GetEnv(std::string_view name) {
  const char* value = std::getenv(std::string(name).c_str());
  if (value == nullptr || *value == '\0') return std::nullopt;
  return std::string(value);
}

std::string_view TrimSpaces(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::string ToLowerAscii(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

bool GetEnvBool(std::string_view name, bool default_value) {
  auto value = GetEnv(name);
  if (!value) return default_value;
  const std::string lower = ToLowerAscii(TrimSpaces(*value));
  if (lower == "true") return true;
  if (lower == "false") return false;
  ReportWarning(std::string(name) + "=" + *value + " is not a boolean (true or false); using " +
                (default_value ? "true" : "false"));
  return default_value;
}

int64_t GetEnvNonNegativeInt(std::string_view name, int64_t default_value) {
  auto value = GetEnv(name);
  if (!value) return default_value;
  std::string_view text = TrimSpaces(*value);
  int64_t parsed = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), parsed);
  if (ec != std::errc() || end != text.data() + text.size() || parsed < 0) {
    ReportWarning(std::string(name) + "=" + *value + " is not a non-negative integer; using " +
                  std::to_string(default_value));
    return default_value;
  }
  return parsed;
}

std::chrono::milliseconds GetEnvMillis(std::string_view name,
                                       std::chrono::milliseconds default_value) {
  return std::chrono::milliseconds(GetEnvNonNegativeInt(name, default_value.count()));
}

std::vector<std::string> GetEnvList(std::string_view name) {
  std::vector<std::string> out;
  auto value = GetEnv(name);
  if (!value) return out;
  std::string_view rest = *value;
  while (!rest.empty()) {
    const size_t comma = rest.find(',');
    std::string_view item = TrimSpaces(rest.substr(0, comma));
    if (!item.empty()) out.push_back(ToLowerAscii(item));
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  return out;
}

}  // namespace agenthub::telemetry
