#include "telemetry/trace/recorded_span.h"

#include <mutex>

#include "telemetry/trace/recorded_span_ref.h"
#include "telemetry/trace/span_pool.h"

namespace agenthub::telemetry {
namespace internal {
namespace {

// Cuts a string to at most `limit` bytes without splitting a UTF-8 sequence.
void TruncateUtf8(std::string& s, size_t limit) {
  if (s.size() <= limit) return;
  size_t cut = limit;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  s.resize(cut);
}

}  // namespace

RecordedSpan* RecordedSpan::Acquire() {
  RecordedSpan* span = SpanPool::Take();
  span->refs_.store(1, std::memory_order_relaxed);
  span->ended_.store(false, std::memory_order_relaxed);
  return span;
}

void RecordedSpan::Release() {
  // A sole owner needs no atomic decrement: nobody can add a reference.
  if (!IsExclusive() && refs_.fetch_sub(1, std::memory_order_acq_rel) != 1) return;
  if (!ended_.load(std::memory_order_acquire)) {
    // The last handle of a span nobody ended: end it now so it is exported.
    // Nobody else can reach the span, so End takes our reference over.
    refs_.store(1, std::memory_order_relaxed);
    End(std::nullopt);
    return;
  }
  SpanPool::Give(this);
}

void RecordedSpan::ReleaseSole() { SpanPool::Give(this); }

void RecordedSpan::Begin(const std::shared_ptr<ProviderState>& provider) {
  // Reset what the previous use left, keeping vector capacity; attribute
  // slots stay in place for reuse (live_attributes_).
  data.parent_span_id = SpanId();
  data.parent_is_remote = false;
  live_attributes_ = 0;
  in_place_prefix_ = keys_unique_;
  keys_unique_ = true;
  if (!data.events.empty()) data.events.clear();
  if (!data.links.empty()) data.links.clear();
  data.dropped_attributes = data.dropped_events = data.dropped_links = 0;
  data.status.code = StatusCode::kUnset;
  if (!data.status.description.empty()) data.status.description.clear();
  if (provider_ != provider) provider_ = provider;
  if (data.resource != provider_->resource) data.resource = provider_->resource;
  attribute_count_limit_ = provider_->limits.attribute_count;
  attribute_length_limit_ = provider_->limits.attribute_value_length;
}

void RecordedSpan::TrimAttributes() {
  const size_t size = data.attributes.size();
  if (size == live_attributes_) return;
  for (size_t i = live_attributes_; i < size; ++i) {
    spare_attributes_.push_back(std::move(data.attributes[i]));
  }
  data.attributes.resize(live_attributes_);
}

void RecordedSpan::TruncateValue(AttributeValue& value) const {
  const size_t limit = attribute_length_limit_;
  if (limit == SpanLimits::kUnlimited) return;
  if (auto* s = std::get_if<std::string>(&value)) {
    TruncateUtf8(*s, limit);
  } else if (auto* v = std::get_if<std::vector<std::string>>(&value)) {
    for (auto& item : *v) TruncateUtf8(item, limit);
  }
}

void RecordedSpan::LimitAttributes(Attributes& attributes, size_t max_count,
                                   uint32_t* dropped) const {
  if (attributes.size() > max_count) {
    *dropped += static_cast<uint32_t>(attributes.size() - max_count);
    attributes.resize(max_count);
  }
  for (auto& a : attributes) TruncateValue(a.value);
}

Attribute* RecordedSpan::SlotForSlow(std::string_view key) {
  if (key.empty()) return nullptr;  // the specification makes empty keys invalid
  Attribute* const live = data.attributes.data();
  for (size_t i = 0; i < live_attributes_; ++i) {
    if (SameBytes(live[i].key, key)) return &live[i];
  }
  if (live_attributes_ >= attribute_count_limit_) {
    ++data.dropped_attributes;
    return nullptr;
  }
  in_place_prefix_ = false;
  Attribute* slot;
  if (live_attributes_ < data.attributes.size()) {
    slot = &live[live_attributes_];  // the previous use's slot, in place
    if (!SameBytes(slot->key, key)) slot->key.assign(key);
  } else if (!spare_attributes_.empty()) {
    slot = &data.attributes.emplace_back(std::move(spare_attributes_.back()));
    spare_attributes_.pop_back();
    slot->key.assign(key);
  } else {
    slot = &data.attributes.emplace_back(key, false);
  }
  ++live_attributes_;
  return slot;
}

void RecordedSpan::SetAttributeUnlocked(std::string_view key, AttributeValue&& value) {
  if (Attribute* slot = SlotFor(key)) {
    slot->value = std::move(value);
    TruncateValue(slot->value);
  }
}

void RecordedSpan::SetAttributeUnlocked(std::string_view key, const AttributeValue& value) {
  if (Attribute* slot = SlotFor(key)) {
    slot->value = value;  // same alternative: assigns into the existing buffers
    TruncateValue(slot->value);
  }
}

void RecordedSpan::SetAttributeUnlocked(std::string_view key, std::string_view value) {
  if (Attribute* slot = SlotFor(key)) {
    if (auto* s = std::get_if<std::string>(&slot->value)) {
      // clear+append: assign() also handles a source inside the string
      // itself, which costs a few branches a fresh value never needs.
      s->clear();
      s->append(value);
    } else {
      slot->value.emplace<std::string>(value);
    }
    TruncateValue(slot->value);
  }
}

void RecordedSpan::AddEventUnlocked(std::string_view name, Timestamp time,
                                    Attributes&& attributes) {
  if (data.events.size() >= provider_->limits.event_count) {
    ++data.dropped_events;
    return;
  }
  SpanEvent& event = data.events.emplace_back();
  event.name.assign(name);
  event.time = time;
  event.attributes = std::move(attributes);
  LimitAttributes(event.attributes, provider_->limits.attributes_per_event,
                  &event.dropped_attributes);
}

void RecordedSpan::AddLinkUnlocked(const SpanContext& context, Attributes&& attributes) {
  if (!context.IsValid()) return;
  if (data.links.size() >= provider_->limits.link_count) {
    ++data.dropped_links;
    return;
  }
  SpanLink& link = data.links.emplace_back();
  link.context = context;
  link.attributes = std::move(attributes);
  LimitAttributes(link.attributes, provider_->limits.attributes_per_link, &link.dropped_attributes);
}

bool RecordedSpan::End(std::optional<Timestamp> end_time) {
  const bool exclusive = IsExclusive();
  {
    std::unique_lock lock(lock_, std::defer_lock);
    if (!exclusive) lock.lock();
    if (ended_.load(std::memory_order_relaxed)) return false;
    TrimAttributes();
    data.end_time = end_time ? *end_time : Now();
    if (data.end_time < data.start_time) data.end_time = data.start_time;
    ended_.store(true, std::memory_order_release);
  }
  ProviderState& provider = *provider_;
  provider.spans_ended.Add();
  // One reference per processor, taken before any of them can publish the
  // span to another thread. A sole caller's reference is one of them.
  const std::unique_ptr<SpanProcessor>* const processors = provider.processors.data();
  const auto count = static_cast<uint32_t>(provider.processors.size());
  if (exclusive) {
    if (count == 0) {
      SpanPool::Give(this);
      return true;
    }
    refs_.store(count, std::memory_order_relaxed);
  } else {
    refs_.fetch_add(count, std::memory_order_relaxed);
  }
  // Once the last processor has its reference the span (and, through it,
  // the provider) may be recycled on another thread: nothing is read after.
  for (uint32_t i = 0; i < count; ++i) processors[i]->OnEnd(RecordedSpanRef::Adopt(this));
  return exclusive;
}

}  // namespace internal

RecordedSpanRef::RecordedSpanRef(const RecordedSpanRef& other) : span_(other.span_) {
  if (span_) span_->AddRef();
}

RecordedSpanRef::~RecordedSpanRef() {
  if (span_) span_->Release();
}

const SpanData& RecordedSpanRef::data() const { return span_->data; }

bool RecordedSpanRef::IsSole() const { return span_->IsExclusive(); }

}  // namespace agenthub::telemetry
