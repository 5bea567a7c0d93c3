#include "telemetry/grpc/struct_carrier.h"

#include <utility>

#include "telemetry/propagation/map_carrier.h"

namespace agenthub::telemetry {

std::string StructCarrier::Get(std::string_view key) const { return std::string(*GetView(key)); }

std::optional<std::string_view> StructCarrier::GetView(std::string_view key) const {
  const auto& fields = read_->fields();
  auto it = fields.find(std::string(key));
  if (it == fields.end()) {
    for (it = fields.begin(); it != fields.end(); ++it) {
      if (internal::EqualsIgnoreAsciiCase(it->first, key)) break;
    }
    if (it == fields.end()) return std::string_view();
  }
  if (it->second.kind_case() != google::protobuf::Value::kStringValue) return std::string_view();
  return std::string_view(it->second.string_value());
}

void StructCarrier::Set(std::string_view key, std::string_view value) {
  if (write_ == nullptr) return;
  (*write_->mutable_fields())[std::string(key)].set_string_value(std::string(value));
}

void InjectTraceHeaders(const Context& context, google::protobuf::Struct* metadata,
                        const TextMapPropagator& propagator) {
  google::protobuf::Struct headers;
  StructCarrier carrier(&headers);
  propagator.Inject(context, carrier);
  auto& fields = *metadata->mutable_fields();
  if (headers.fields().empty()) {
    fields.erase(std::string(kTraceHeadersField));
    return;
  }
  *fields[std::string(kTraceHeadersField)].mutable_struct_value() = std::move(headers);
}

Context ExtractTraceHeaders(const google::protobuf::Struct& metadata,
                            const TextMapPropagator& propagator, const Context& base) {
  const auto& fields = metadata.fields();
  auto it = fields.find(std::string(kTraceHeadersField));
  if (it == fields.end() || it->second.kind_case() != google::protobuf::Value::kStructValue) {
    return base;
  }
  return propagator.Extract(StructCarrier(it->second.struct_value()), base);
}

}  // namespace agenthub::telemetry
