// A batch (spans, log records) grouped as every OTLP export request nests
// it: by resource, and within a resource by instrumentation scope. Shared by
// the OTLP encoders (protobuf messages, direct wire bytes, JSON lines) so
// that they all group the same way.
//
// Resources and scopes match by pointer first (every item of a provider
// shares one Resource and one scope per tracer or logger), by contents
// second (copies made elsewhere). Groups keep the order of first appearance
// and items their batch order. Null items are skipped; an item without a
// resource or scope lands in a group whose pointer is null.
#pragma once

#include <span>
#include <vector>

#include "telemetry/resource/resource.h"
#include "telemetry/trace/span_data.h"

namespace agenthub::telemetry {

template <typename Item>
struct ScopeGroup {
  const InstrumentationScope* scope;
  std::vector<const Item*> items;
};

template <typename Item>
struct ResourceGroup {
  const Resource* resource;
  std::vector<ScopeGroup<Item>> scopes;
};

namespace internal {

template <typename T>
bool SameOrEqual(const T* a, const T* b) {
  if (a == b) return true;
  return a != nullptr && b != nullptr && *a == *b;
}

template <typename Group, typename T, typename Member>
Group* FindGroup(std::vector<Group>& groups, const T* key, Member member) {
  for (Group& g : groups) {
    if (SameOrEqual(g.*member, key)) return &g;
  }
  return nullptr;
}

}  // namespace internal

// `Item` has `resource` and `scope` smart pointers. Linear searches: a batch
// holds one resource and a handful of scopes in practice, and consecutive
// items of one group skip the search, so this beats hashing attribute lists.
template <typename Item>
std::vector<ResourceGroup<Item>> GroupByResourceAndScope(std::span<const Item* const> items) {
  std::vector<ResourceGroup<Item>> groups;
  ScopeGroup<Item>* last = nullptr;
  const Resource* last_resource = nullptr;
  const InstrumentationScope* last_scope = nullptr;
  for (const Item* item : items) {
    if (item == nullptr) continue;
    const Resource* resource = item->resource.get();
    const InstrumentationScope* scope = item->scope.get();
    if (last == nullptr || resource != last_resource || scope != last_scope) {
      ResourceGroup<Item>* resource_group =
          internal::FindGroup(groups, resource, &ResourceGroup<Item>::resource);
      if (resource_group == nullptr) {
        resource_group = &groups.emplace_back(ResourceGroup<Item>{resource, {}});
      }
      last = internal::FindGroup(resource_group->scopes, scope, &ScopeGroup<Item>::scope);
      if (last == nullptr) last = &resource_group->scopes.emplace_back(ScopeGroup<Item>{scope, {}});
      last_resource = resource;
      last_scope = scope;
    }
    last->items.push_back(item);
  }
  return groups;
}

}  // namespace agenthub::telemetry
