// How an error names a field deep inside a request: dotted field names,
// [i] for list elements and repeated fields, ["key"] for Struct members,
// e.g. task.parameters["order"]["lines"][3]. Keys come from the client, so
// they are escaped (anything but printable ASCII as \xNN) and shortened:
// an error message must not become a way to inject text into logs.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace agenthub::broker {

// Paths longer than this are cut with "..." (a key is shortened first).
inline constexpr size_t kMaxFieldPathBytes = 256;

void AppendFieldName(std::string& path, std::string_view name);
void AppendIndex(std::string& path, size_t index);
void AppendKey(std::string& path, std::string_view key);

}  // namespace agenthub::broker
