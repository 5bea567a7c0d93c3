#include "telemetry/propagation/composite.h"

#include <algorithm>
#include <utility>

namespace agenthub::telemetry {

CompositePropagator::CompositePropagator(
    std::vector<std::shared_ptr<const TextMapPropagator>> propagators) {
  propagators_.reserve(propagators.size());
  for (auto& p : propagators) {
    if (p) propagators_.push_back(std::move(p));
  }
}

void CompositePropagator::Inject(const Context& context, TextMapCarrier& carrier) const {
  for (const auto& p : propagators_) p->Inject(context, carrier);
}

Context CompositePropagator::Extract(const TextMapCarrier& carrier, const Context& context) const {
  Context result = context;
  for (const auto& p : propagators_) result = p->Extract(carrier, result);
  return result;
}

std::vector<std::string> CompositePropagator::Fields() const {
  std::vector<std::string> fields;
  for (const auto& p : propagators_) {
    for (std::string& field : p->Fields()) {
      if (std::find(fields.begin(), fields.end(), field) == fields.end()) {
        fields.push_back(std::move(field));
      }
    }
  }
  return fields;
}

}  // namespace agenthub::telemetry
