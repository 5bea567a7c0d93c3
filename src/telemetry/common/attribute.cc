#include "telemetry/common/attribute.h"

#include <charconv>

namespace agenthub::telemetry {
namespace {

void AppendScalar(std::string& out, bool v) { out += v ? "true" : "false"; }
void AppendScalar(std::string& out, int64_t v) { out += std::to_string(v); }
void AppendScalar(std::string& out, double v) {
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), v);
  out.append(buf, ec == std::errc() ? end : buf);
}
void AppendScalar(std::string& out, const std::string& v) { out += v; }

template <typename T>
void AppendArray(std::string& out, const std::vector<T>& values) {
  out += '[';
  for (size_t i = 0; i < values.size(); ++i) {
    if (i) out += ", ";
    AppendScalar(out, static_cast<T>(values[i]));
  }
  out += ']';
}

}  // namespace

std::string AttributeValueToString(const AttributeValue& value) {
  std::string out;
  std::visit(
      [&out](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::vector<bool>> ||
                      std::is_same_v<T, std::vector<int64_t>> ||
                      std::is_same_v<T, std::vector<double>> ||
                      std::is_same_v<T, std::vector<std::string>>) {
          AppendArray(out, v);
        } else {
          AppendScalar(out, v);
        }
      },
      value);
  return out;
}

const AttributeValue* FindAttribute(const Attributes& attributes, std::string_view key) {
  for (const auto& a : attributes) {
    if (a.key == key) return &a.value;
  }
  return nullptr;
}

}  // namespace agenthub::telemetry
