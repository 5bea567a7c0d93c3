#include "cli/task_flags.h"

#include <charconv>

namespace agenthub::cli {

bool ParseKeyValue(const std::string& text, std::pair<std::string, std::string>* out,
                   std::string* error) {
  const size_t eq = text.find('=');
  if (eq == std::string::npos || eq == 0) {
    *error = "expected key=value, got '" + text + "'";
    return false;
  }
  *out = {text.substr(0, eq), text.substr(eq + 1)};
  return true;
}

void SetParam(google::protobuf::Struct& params, const std::string& key, const std::string& value) {
  google::protobuf::Value& v = (*params.mutable_fields())[key];
  double number = 0;
  auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), number);
  if (!value.empty() && ec == std::errc() && end == value.data() + value.size()) {
    v.set_number_value(number);
  } else if (value == "true" || value == "false") {
    v.set_bool_value(value == "true");
  } else {
    v.set_string_value(value);
  }
}

}  // namespace agenthub::cli
