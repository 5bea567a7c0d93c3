#include "telemetry/otlp/otlp_message_json.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/util/json_util.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>

namespace agenthub::telemetry {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using nlohmann::json;

constexpr char kBase64Alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr char kHexDigits[] = "0123456789abcdef";

// The OTLP fields written as hex, and their sizes in bytes. No other OTLP
// message has fields of these names.
std::optional<size_t> IdFieldSize(std::string_view proto_name) {
  if (proto_name == "trace_id") return 16;
  if (proto_name == "span_id" || proto_name == "parent_span_id") return 8;
  return std::nullopt;
}

bool IsIdJsonKey(std::string_view key) {
  return key == "traceId" || key == "spanId" || key == "parentSpanId";
}

int Base64Value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+' || c == '-') return 62;  // '-' and '_': the URL-safe alphabet
  if (c == '/' || c == '_') return 63;
  return -1;
}

// Decodes base64 as protobuf's JSON printer writes it (padded, standard).
std::string Base64Decode(std::string_view in) {
  std::string out;
  out.reserve(in.size() * 3 / 4);
  uint32_t buffer = 0;
  int bits = 0;
  for (char c : in) {
    const int v = Base64Value(c);
    if (v < 0) continue;  // '=' padding
    buffer = (buffer << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((buffer >> bits) & 0xFF));
    }
  }
  return out;
}

std::string Base64Encode(std::string_view in) {
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 3 <= in.size(); i += 3) {
    const uint32_t n = (static_cast<uint8_t>(in[i]) << 16) |
                       (static_cast<uint8_t>(in[i + 1]) << 8) | static_cast<uint8_t>(in[i + 2]);
    out.push_back(kBase64Alphabet[(n >> 18) & 63]);
    out.push_back(kBase64Alphabet[(n >> 12) & 63]);
    out.push_back(kBase64Alphabet[(n >> 6) & 63]);
    out.push_back(kBase64Alphabet[n & 63]);
  }
  if (const size_t rest = in.size() - i; rest > 0) {
    uint32_t n = static_cast<uint8_t>(in[i]) << 16;
    if (rest == 2) n |= static_cast<uint8_t>(in[i + 1]) << 8;
    out.push_back(kBase64Alphabet[(n >> 18) & 63]);
    out.push_back(kBase64Alphabet[(n >> 12) & 63]);
    out.push_back(rest == 2 ? kBase64Alphabet[(n >> 6) & 63] : '=');
    out.push_back('=');
  }
  return out;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The end of the JSON string starting at text[start] == '"' (the index of
// its closing quote), or npos when it is unterminated.
size_t StringEnd(std::string_view text, size_t start) {
  for (size_t i = start + 1; i < text.size(); ++i) {
    if (text[i] == '\\') {
      ++i;
    } else if (text[i] == '"') {
      return i;
    }
  }
  return std::string_view::npos;
}

// Rewrites protobuf's compact JSON, turning the base64 value of every id key
// into lowercase hex. The printer's output holds only field names as keys,
// so a key match is an id field and never user data.
void ConvertIdsToHex(std::string_view in, std::string* out) {
  out->clear();
  out->reserve(in.size() + in.size() / 16);
  size_t i = 0;
  while (i < in.size()) {
    if (in[i] != '"') {
      out->push_back(in[i++]);
      continue;
    }
    const size_t end = StringEnd(in, i);
    if (end == std::string_view::npos) {  // cannot happen for printer output
      out->append(in.substr(i));
      return;
    }
    const std::string_view token = in.substr(i + 1, end - i - 1);
    out->append(in.substr(i, end + 1 - i));
    i = end + 1;
    const bool is_key = i < in.size() && in[i] == ':';
    if (!is_key || !IsIdJsonKey(token) || i + 1 >= in.size() || in[i + 1] != '"') continue;
    const size_t value_end = StringEnd(in, i + 1);
    if (value_end == std::string_view::npos) continue;
    const std::string bytes = Base64Decode(in.substr(i + 2, value_end - i - 2));
    out->append(":\"");
    for (char b : bytes) {
      out->push_back(kHexDigits[(static_cast<uint8_t>(b) >> 4) & 0xF]);
      out->push_back(kHexDigits[static_cast<uint8_t>(b) & 0xF]);
    }
    out->push_back('"');
    i = value_end + 1;
  }
}

// Whether messages of type `d` can hold an id field somewhere below them;
// the reader skips the rest (AnyValue trees in particular, which may nest
// deeply in hostile input).
bool MayContainIds(const Descriptor* d) {
  static std::mutex mu;
  static std::map<const Descriptor*, bool> memo;
  std::lock_guard lock(mu);
  std::set<const Descriptor*> visiting;
  auto visit = [&](auto& self, const Descriptor* m) -> bool {
    if (auto it = memo.find(m); it != memo.end()) return it->second;
    if (!visiting.insert(m).second) return false;  // a cycle adds nothing new
    bool found = false;
    for (int f = 0; f < m->field_count() && !found; ++f) {
      const FieldDescriptor* field = m->field(f);
      if (field->type() == FieldDescriptor::TYPE_BYTES && IdFieldSize(field->name())) {
        found = true;
      } else if (field->type() == FieldDescriptor::TYPE_MESSAGE) {
        found = self(self, field->message_type());
      }
    }
    visiting.erase(m);
    memo[m] = found;
    return found;
  };
  return visit(visit, d);
}

// By JSON name, or by proto name, which proto3 JSON readers accept too.
const FieldDescriptor* FindField(const Descriptor* d, const std::string& key) {
  for (int i = 0; i < d->field_count(); ++i) {
    const FieldDescriptor* field = d->field(i);
    if (field->json_name() == key || field->name() == key) return field;
  }
  return nullptr;
}

// Hex id → base64 in place; false with *error naming `path` when malformed.
bool ConvertIdToBase64(json& value, size_t size, const std::string& path, std::string* error) {
  if (value.is_null()) return true;
  if (!value.is_string()) {
    *error = path + ": expected a hex string";
    return false;
  }
  const std::string& hex = value.get_ref<const std::string&>();
  if (hex.empty()) return true;  // an absent id (a root span's parent)
  if (hex.size() != 2 * size) {
    *error = path + ": expected " + std::to_string(2 * size) + " hex digits, got " +
             std::to_string(hex.size());
    return false;
  }
  std::string bytes(size, '\0');
  for (size_t i = 0; i < size; ++i) {
    const int hi = HexValue(hex[2 * i]);
    const int lo = HexValue(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) {
      *error = path + ": '" + hex + "' is not hexadecimal";
      return false;
    }
    bytes[i] = static_cast<char>(hi * 16 + lo);
  }
  value = Base64Encode(bytes);
  return true;
}

bool ConvertIdsToBase64(json& object, const Descriptor* d, const std::string& path,
                        std::string* error) {
  for (auto& [key, value] : object.items()) {
    const FieldDescriptor* field = FindField(d, key);
    if (field == nullptr) continue;  // unknown: the parser ignores it
    const std::string field_path = path.empty() ? key : path + "." + key;
    if (field->type() == FieldDescriptor::TYPE_BYTES && !field->is_repeated()) {
      if (auto size = IdFieldSize(field->name())) {
        if (!ConvertIdToBase64(value, *size, field_path, error)) return false;
      }
      continue;
    }
    if (field->type() != FieldDescriptor::TYPE_MESSAGE || !MayContainIds(field->message_type())) {
      continue;
    }
    if (field->is_repeated() && value.is_array()) {
      for (size_t i = 0; i < value.size(); ++i) {
        json& element = value[i];
        if (!element.is_object()) continue;  // the parser reports it
        if (!ConvertIdsToBase64(element, field->message_type(),
                                field_path + "[" + std::to_string(i) + "]", error)) {
          return false;
        }
      }
    } else if (!field->is_repeated() && value.is_object()) {
      if (!ConvertIdsToBase64(value, field->message_type(), field_path, error)) return false;
    }
  }
  return true;
}

// The deepest nesting of objects and arrays in `text` (strings skipped), up
// to `limit` + 1: checked before parsing because a DOM that deep would be
// walked recursively, and hostile input could exhaust the stack.
int NestingDepth(std::string_view text, int limit) {
  int depth = 0;
  int deepest = 0;
  for (size_t i = 0; i < text.size() && deepest <= limit; ++i) {
    const char c = text[i];
    if (c == '"') {
      i = StringEnd(text, i);
      if (i == std::string_view::npos) break;  // the parser reports it
    } else if (c == '{' || c == '[') {
      deepest = std::max(deepest, ++depth);
    } else if (c == '}' || c == ']') {
      --depth;
    }
  }
  return deepest;
}

// nlohmann's messages start with "[json.exception.parse_error.101] ".
std::string WithoutExceptionTag(const char* what) {
  std::string_view text(what);
  if (!text.empty() && text.front() == '[') {
    if (const size_t close = text.find("] "); close != std::string_view::npos) {
      text.remove_prefix(close + 2);
    }
  }
  return std::string(text);
}

}  // namespace

bool ToOtlpJson(const google::protobuf::Message& message, std::string* out, std::string* error) {
  google::protobuf::util::JsonPrintOptions options;
  options.always_print_enums_as_ints = true;
  options.add_whitespace = false;
  options.preserve_proto_field_names = false;
  std::string with_base64;
  const auto status = google::protobuf::util::MessageToJsonString(message, &with_base64, options);
  if (!status.ok()) {
    if (error != nullptr) *error = std::string(status.message());
    return false;
  }
  ConvertIdsToHex(with_base64, out);
  return true;
}

std::string ToOtlpJson(const google::protobuf::Message& message) {
  std::string out;
  if (!ToOtlpJson(message, &out)) out.clear();
  return out;
}

bool ParseJson(std::string_view text, google::protobuf::Message* message, std::string* error) {
  std::string ignored;
  if (error == nullptr) error = &ignored;
  // Protobuf's own JSON parser stops at 100 levels too; OTLP needs about 12
  // plus the nesting of attribute values.
  constexpr int kMaxDepth = 100;
  if (NestingDepth(text, kMaxDepth) > kMaxDepth) {
    *error = "invalid OTLP/JSON: nested deeper than " + std::to_string(kMaxDepth) + " levels";
    return false;
  }
  std::string rewritten;
  try {
    json document = json::parse(text.begin(), text.end());
    if (!document.is_object()) {
      *error = "invalid OTLP/JSON: the body must be a JSON object";
      return false;
    }
    if (!ConvertIdsToBase64(document, message->GetDescriptor(), "", error)) return false;
    rewritten = document.dump(-1, ' ', false, json::error_handler_t::replace);
  } catch (const json::exception& e) {
    *error = "invalid JSON: " + WithoutExceptionTag(e.what());
    return false;
  }
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = true;  // OTLP/JSON receivers MUST ignore them
  const auto status = google::protobuf::util::JsonStringToMessage(rewritten, message, options);
  if (!status.ok()) {
    *error = "invalid OTLP/JSON: " + std::string(status.message());
    return false;
  }
  return true;
}

}  // namespace agenthub::telemetry
