#include "broker/field_path.h"

#include <cstdio>

namespace agenthub::broker {
namespace {

constexpr size_t kMaxKeyBytes = 40;
constexpr std::string_view kCut = "...";

// Keeps a path bounded however deep the request nests.
void Cap(std::string& path) {
  if (path.size() > kMaxFieldPathBytes) {
    path.resize(kMaxFieldPathBytes - kCut.size());
    path += kCut;
  }
}

bool Capped(const std::string& path) {
  return path.ends_with(kCut) && path.size() >= kMaxFieldPathBytes;
}

}  // namespace

void AppendFieldName(std::string& path, std::string_view name) {
  if (Capped(path)) return;
  if (!path.empty()) path += '.';
  path += name;
  Cap(path);
}

void AppendIndex(std::string& path, size_t index) {
  if (Capped(path)) return;
  path += '[';
  path += std::to_string(index);
  path += ']';
  Cap(path);
}

void AppendKey(std::string& path, std::string_view key) {
  if (Capped(path)) return;
  path += "[\"";
  const bool shortened = key.size() > kMaxKeyBytes;
  for (unsigned char c : key.substr(0, kMaxKeyBytes)) {
    if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
      path += static_cast<char>(c);
    } else {
      char escaped[5];
      std::snprintf(escaped, sizeof(escaped), "\\x%02x", c);
      path += escaped;
    }
  }
  if (shortened) path += kCut;
  path += "\"]";
  Cap(path);
}

}  // namespace agenthub::broker
