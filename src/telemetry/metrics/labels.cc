#include "telemetry/metrics/labels.h"

#include <algorithm>
#include <vector>

#include "telemetry/metrics/prometheus_naming.h"

namespace agenthub::telemetry {

prometheus::Labels AttributesToLabels(const Attributes& attributes, bool histogram) {
  prometheus::Labels labels;
  if (attributes.empty()) return labels;
  // Sorting by key makes collisions join in a stable order; equal keys keep
  // their given order so the later one can replace the earlier.
  std::vector<const Attribute*> sorted;
  sorted.reserve(attributes.size());
  for (const auto& a : attributes) {
    if (!a.key.empty()) sorted.push_back(&a);
  }
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const Attribute* a, const Attribute* b) { return a->key < b->key; });
  for (size_t i = 0; i < sorted.size(); ++i) {
    const Attribute* a = sorted[i];
    if (i + 1 < sorted.size() && sorted[i + 1]->key == a->key) continue;  // a later one wins
    std::string value = AttributeValueToString(a->value);
    auto [it, inserted] = labels.try_emplace(PrometheusLabelName(a->key, histogram), value);
    if (!inserted) {
      it->second += ';';
      it->second += value;
    }
  }
  return labels;
}

}  // namespace agenthub::telemetry
