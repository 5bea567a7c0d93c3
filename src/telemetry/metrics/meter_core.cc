#include "telemetry/metrics/meter_core.h"

#include <algorithm>
#include <stdexcept>
#include <unordered_map>
#include <utility>

#include "telemetry/common/diagnostics.h"

namespace agenthub::telemetry::internal {
namespace {

std::string Describe(const InstrumentDescriptor& d) {
  return std::string(d.value_type == InstrumentValueType::kInt64 ? "Int64" : "Double") +
         InstrumentKindName(d.kind) + " '" + d.name + "'";
}

void WarnIfDifferent(const InstrumentDescriptor& existing, const InstrumentDescriptor& wanted) {
  if (existing.description == wanted.description && existing.unit == wanted.unit &&
      existing.buckets == wanted.buckets && existing.name == wanted.name) {
    return;
  }
  ReportWarning("metric " + existing.prometheus_name + ": " + Describe(wanted) +
                " differs from the existing " + Describe(existing) +
                " in name, description, unit or buckets; keeping the first");
}

}  // namespace

MeterCore::MeterCore(Resource resource, Timestamp start_time)
    : resource_(std::move(resource)),
      start_time_(start_time),
      observables_(std::make_shared<ObservableRegistry>()) {}

std::shared_ptr<void> MeterCore::FindOrCreate(const InstrumentDescriptor& descriptor,
                                              const std::function<std::shared_ptr<void>()>& make) {
  std::lock_guard lock(mutex_);
  if (auto it = entries_.find(descriptor.prometheus_name); it != entries_.end()) {
    const InstrumentDescriptor& existing = it->second.descriptor;
    if (existing.kind != descriptor.kind || existing.value_type != descriptor.value_type) {
      throw std::invalid_argument("metric " + descriptor.prometheus_name + ": cannot create " +
                                  Describe(descriptor) + ", the name is taken by " +
                                  Describe(existing));
    }
    WarnIfDifferent(existing, descriptor);
    return it->second.state;
  }
  std::shared_ptr<void> state;
  try {
    state = make();
  } catch (const std::invalid_argument& e) {
    // prometheus-cpp refuses a family registered directly on registry()
    // with another type; say which instrument hit it.
    throw std::invalid_argument("metric " + descriptor.prometheus_name + ": cannot create " +
                                Describe(descriptor) + ": " + e.what());
  }
  entries_.emplace(descriptor.prometheus_name, Entry{descriptor, state});
  return state;
}

void MeterCore::AddCollectable(std::shared_ptr<const prometheus::Collectable> collectable) {
  if (!collectable) return;
  std::lock_guard lock(mutex_);
  collectables_.push_back(std::move(collectable));
}

bool MeterCore::RemoveCollectable(const prometheus::Collectable* collectable) {
  std::lock_guard lock(mutex_);
  return std::erase_if(collectables_,
                       [collectable](const auto& c) { return c.get() == collectable; }) > 0;
}

std::vector<prometheus::MetricFamily> MeterCore::Collect() const {
  std::vector<std::shared_ptr<const prometheus::Collectable>> collectables;
  {
    std::lock_guard lock(mutex_);
    collectables = collectables_;
  }
  std::vector<prometheus::MetricFamily> families = registry_.Collect();
  auto append = [&families](std::vector<prometheus::MetricFamily> more) {
    families.insert(families.end(), std::make_move_iterator(more.begin()),
                    std::make_move_iterator(more.end()));
  };
  append(observables_->Collect());
  for (const auto& c : collectables) append(c->Collect());

  // The text format allows one block per family name.
  std::unordered_map<std::string, size_t> seen;
  std::vector<prometheus::MetricFamily> merged;
  merged.reserve(families.size());
  for (auto& family : families) {
    auto [it, inserted] = seen.try_emplace(family.name, merged.size());
    if (inserted) {
      merged.push_back(std::move(family));
    } else if (merged[it->second].type == family.type) {
      auto& into = merged[it->second].metric;
      into.insert(into.end(), std::make_move_iterator(family.metric.begin()),
                  std::make_move_iterator(family.metric.end()));
    } else {
      ReportWarning("metric " + family.name +
                    " is reported twice with different types; dropping the later one");
    }
  }
  return merged;
}

std::vector<InstrumentDescriptor> MeterCore::Descriptors() const {
  std::lock_guard lock(mutex_);
  std::vector<InstrumentDescriptor> out;
  out.reserve(entries_.size());
  for (const auto& [name, entry] : entries_) out.push_back(entry.descriptor);
  return out;
}

}  // namespace agenthub::telemetry::internal
