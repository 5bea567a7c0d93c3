// How the wire writer keeps its promise (see the header): it computes
// every length in a first pass and writes each byte once in a second, with
// fields in field-number order, proto3 defaults (empty strings, zero
// numbers) omitted, oneof members and set sub-messages always written.
#include "telemetry/otlp/trace_wire_writer.h"

#include <bit>
#include <cstring>

#include "telemetry/export/resource_scope_groups.h"
#include "telemetry/otlp/trace_proto.h"

namespace agenthub::telemetry {
namespace {

enum WireType : uint32_t { kVarint = 0, kFixed64 = 1, kLengthDelimited = 2, kFixed32 = 5 };

constexpr size_t VarintSize(uint64_t v) {
  return static_cast<size_t>(std::bit_width(v | 1) + 6) / 7;
}
constexpr size_t TagSize(uint32_t field) { return VarintSize(field << 3); }
// A length-delimited field whose payload has `size` bytes.
constexpr size_t DelimitedSize(uint32_t field, size_t size) {
  return TagSize(field) + VarintSize(size) + size;
}
constexpr size_t StringFieldSize(uint32_t field, std::string_view s) {
  return s.empty() ? 0 : DelimitedSize(field, s.size());
}
constexpr size_t VarintFieldSize(uint32_t field, uint64_t v) {
  return v == 0 ? 0 : TagSize(field) + VarintSize(v);
}
constexpr size_t Fixed64FieldSize(uint32_t field, uint64_t v) {
  return v == 0 ? 0 : TagSize(field) + 8;
}
constexpr size_t Fixed32FieldSize(uint32_t field, uint32_t v) {
  return v == 0 ? 0 : TagSize(field) + 4;
}

class Writer {
 public:
  explicit Writer(char* out) : p_(out) {}
  char* position() const { return p_; }

  void Varint(uint64_t v) {
    while (v >= 0x80) {
      *p_++ = static_cast<char>(v | 0x80);
      v >>= 7;
    }
    *p_++ = static_cast<char>(v);
  }
  void Tag(uint32_t field, WireType type) { Varint((field << 3) | type); }
  void Delimited(uint32_t field, size_t size) {
    Tag(field, kLengthDelimited);
    Varint(size);
  }
  void Raw(const void* data, size_t size) {
    std::memcpy(p_, data, size);
    p_ += size;
  }
  void Bytes(uint32_t field, const void* data, size_t size) {
    Delimited(field, size);
    Raw(data, size);
  }
  void String(uint32_t field, std::string_view s) {
    if (!s.empty()) Bytes(field, s.data(), s.size());
  }
  void VarintField(uint32_t field, uint64_t v) {
    if (v == 0) return;
    Tag(field, kVarint);
    Varint(v);
  }
  void Fixed64Field(uint32_t field, uint64_t v) {
    if (v == 0) return;
    Tag(field, kFixed64);
    Raw(&v, 8);  // little-endian, as the wire format wants (x86, ARM)
  }
  void Fixed32Field(uint32_t field, uint32_t v) {
    if (v == 0) return;
    Tag(field, kFixed32);
    Raw(&v, 4);
  }

 private:
  char* p_;
};

static_assert(std::endian::native == std::endian::little, "fixed-width fields are memcpy'd");

// --- AnyValue and KeyValue (common.proto) --------------------------------

// Oneof members are written even when they hold their default value.
size_t ScalarSize(bool) { return TagSize(2) + 1; }
size_t ScalarSize(int64_t v) { return TagSize(3) + VarintSize(static_cast<uint64_t>(v)); }
size_t ScalarSize(double) { return TagSize(4) + 8; }
size_t ScalarSize(const std::string& v) { return DelimitedSize(1, v.size()); }

void WriteScalar(Writer& w, bool v) {
  w.Tag(2, kVarint);
  w.Varint(v ? 1 : 0);
}
void WriteScalar(Writer& w, int64_t v) {
  w.Tag(3, kVarint);
  w.Varint(static_cast<uint64_t>(v));
}
void WriteScalar(Writer& w, double v) {
  w.Tag(4, kFixed64);
  w.Raw(&v, 8);
}
void WriteScalar(Writer& w, const std::string& v) { w.Bytes(1, v.data(), v.size()); }

template <typename T>
size_t ArrayValueSize(const std::vector<T>& values) {
  size_t size = 0;
  for (const auto& element : values) {
    // Binds std::vector<bool>'s proxies to a bool, and strings without a copy.
    const T& scalar = element;
    size += DelimitedSize(1, ScalarSize(scalar));
  }
  return size;
}

template <typename T>
constexpr bool kIsArray =
    std::is_same_v<T, std::vector<bool>> || std::is_same_v<T, std::vector<int64_t>> ||
    std::is_same_v<T, std::vector<double>> || std::is_same_v<T, std::vector<std::string>>;

size_t AnyValueSize(const AttributeValue& value) {
  return std::visit(
      [](const auto& v) -> size_t {
        using T = std::decay_t<decltype(v)>;
        if constexpr (kIsArray<T>) {
          return DelimitedSize(5, ArrayValueSize(v));
        } else {
          return ScalarSize(v);
        }
      },
      value);
}

void WriteAnyValue(Writer& w, const AttributeValue& value) {
  std::visit(
      [&w](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (kIsArray<T>) {
          w.Delimited(5, ArrayValueSize(v));
          for (const auto& element : v) {
            const typename T::value_type& scalar = element;
            w.Delimited(1, ScalarSize(scalar));
            WriteScalar(w, scalar);
          }
        } else {
          WriteScalar(w, v);
        }
      },
      value);
}

// Pass 1 records every nested message's size here, in the order pass 2
// writes those messages, so that pass 2 never computes a size again (a
// message's size is needed before its contents are written). Entries of a
// message whose size depends on its children are reserved first and filled
// in once the children are measured.
class SizeTape {
 public:
  // `storage` is reused between calls so that a steady stream of batches
  // allocates nothing; sizes fit 32 bits (protobuf caps messages at 2 GiB).
  explicit SizeTape(std::vector<uint32_t>& storage) : sizes_(storage) { sizes_.clear(); }
  size_t Reserve() {
    sizes_.push_back(0);
    return sizes_.size() - 1;
  }
  size_t Fill(size_t slot, size_t size) {
    sizes_[slot] = static_cast<uint32_t>(size);
    return size;
  }
  size_t Push(size_t size) {
    sizes_.push_back(static_cast<uint32_t>(size));
    return size;
  }
  size_t Next() { return sizes_[cursor_++]; }

 private:
  std::vector<uint32_t>& sizes_;
  size_t cursor_ = 0;
};

// The KeyValue messages of an attribute list as field `field`; the tape
// gets each value's AnyValue size (the KeyValue size follows from it).
size_t MeasureAttributes(SizeTape& tape, uint32_t field, const Attributes& attributes) {
  size_t size = 0;
  for (const Attribute& a : attributes) {
    const size_t value = tape.Push(AnyValueSize(a.value));
    // The value is always set, so always written.
    size += DelimitedSize(field, StringFieldSize(1, a.key) + DelimitedSize(2, value));
  }
  return size;
}

void WriteAttributes(Writer& w, SizeTape& tape, uint32_t field, const Attributes& attributes) {
  for (const Attribute& a : attributes) {
    const size_t value = tape.Next();
    w.Delimited(field, StringFieldSize(1, a.key) + DelimitedSize(2, value));
    w.String(1, a.key);
    w.Delimited(2, value);
    WriteAnyValue(w, a.value);
  }
}

// --- Span (trace.proto) ----------------------------------------------------

constexpr size_t kTraceIdFieldSize = 2 + TraceId::kSize;  // tag, length, bytes
constexpr size_t kSpanIdFieldSize = 2 + SpanId::kSize;

// Trace state headers are rare and built on demand (twice: size and write).
size_t TraceStateSize(const TraceState& state) {
  return state.empty() ? 0 : StringFieldSize(3, state.ToHeader());
}

size_t MeasureEvent(SizeTape& tape, const SpanEvent& e) {
  const size_t slot = tape.Reserve();
  return tape.Fill(slot, Fixed64FieldSize(1, UnixNanos(e.time)) + StringFieldSize(2, e.name) +
                             MeasureAttributes(tape, 3, e.attributes) +
                             VarintFieldSize(4, e.dropped_attributes));
}

size_t MeasureLink(SizeTape& tape, const SpanLink& l) {
  const size_t slot = tape.Reserve();
  return tape.Fill(
      slot, kTraceIdFieldSize + kSpanIdFieldSize + TraceStateSize(l.context.trace_state()) +
                MeasureAttributes(tape, 4, l.attributes) +
                VarintFieldSize(5, l.dropped_attributes) +
                Fixed32FieldSize(6, OtlpSpanFlags(l.context.trace_flags(), l.context.IsRemote())));
}

size_t StatusSize(const SpanStatus& s) {
  return StringFieldSize(2, s.description) + VarintFieldSize(3, static_cast<uint64_t>(s.code));
}

size_t MeasureSpan(SizeTape& tape, const SpanData& s) {
  const size_t slot = tape.Reserve();
  size_t size =
      kTraceIdFieldSize + kSpanIdFieldSize + TraceStateSize(s.context.trace_state()) +
      (s.has_parent() ? kSpanIdFieldSize : 0) + StringFieldSize(5, s.name) +
      VarintFieldSize(6, static_cast<uint64_t>(OtlpSpanKind(s.kind))) +
      Fixed64FieldSize(7, UnixNanos(s.start_time)) + Fixed64FieldSize(8, UnixNanos(s.end_time)) +
      MeasureAttributes(tape, 9, s.attributes) + VarintFieldSize(10, s.dropped_attributes) +
      VarintFieldSize(12, s.dropped_events) + VarintFieldSize(14, s.dropped_links) +
      Fixed32FieldSize(16, OtlpSpanFlags(s.context.trace_flags(), s.parent_is_remote));
  for (const SpanEvent& e : s.events) size += DelimitedSize(11, MeasureEvent(tape, e));
  for (const SpanLink& l : s.links) size += DelimitedSize(13, MeasureLink(tape, l));
  if (s.status.code != StatusCode::kUnset) size += DelimitedSize(15, StatusSize(s.status));
  return tape.Fill(slot, size);
}

template <size_t N>
void WriteId(Writer& w, uint32_t field, const Id<N>& id) {
  w.Bytes(field, id.bytes().data(), N);
}

void WriteEvent(Writer& w, SizeTape& tape, const SpanEvent& e) {
  w.Delimited(11, tape.Next());
  w.Fixed64Field(1, UnixNanos(e.time));
  w.String(2, e.name);
  WriteAttributes(w, tape, 3, e.attributes);
  w.VarintField(4, e.dropped_attributes);
}

void WriteLink(Writer& w, SizeTape& tape, const SpanLink& l) {
  w.Delimited(13, tape.Next());
  WriteId(w, 1, l.context.trace_id());
  WriteId(w, 2, l.context.span_id());
  if (!l.context.trace_state().empty()) w.String(3, l.context.trace_state().ToHeader());
  WriteAttributes(w, tape, 4, l.attributes);
  w.VarintField(5, l.dropped_attributes);
  w.Fixed32Field(6, OtlpSpanFlags(l.context.trace_flags(), l.context.IsRemote()));
}

void WriteSpan(Writer& w, SizeTape& tape, const SpanData& s) {
  w.Delimited(2, tape.Next());
  WriteId(w, 1, s.context.trace_id());
  WriteId(w, 2, s.context.span_id());
  if (!s.context.trace_state().empty()) w.String(3, s.context.trace_state().ToHeader());
  if (s.has_parent()) WriteId(w, 4, s.parent_span_id);
  w.String(5, s.name);
  w.VarintField(6, static_cast<uint64_t>(OtlpSpanKind(s.kind)));
  w.Fixed64Field(7, UnixNanos(s.start_time));
  w.Fixed64Field(8, UnixNanos(s.end_time));
  WriteAttributes(w, tape, 9, s.attributes);
  w.VarintField(10, s.dropped_attributes);
  for (const SpanEvent& e : s.events) WriteEvent(w, tape, e);
  w.VarintField(12, s.dropped_events);
  for (const SpanLink& l : s.links) WriteLink(w, tape, l);
  w.VarintField(14, s.dropped_links);
  if (s.status.code != StatusCode::kUnset) {
    w.Delimited(15, StatusSize(s.status));
    w.String(2, s.status.description);
    w.VarintField(3, static_cast<uint64_t>(s.status.code));
  }
  w.Fixed32Field(16, OtlpSpanFlags(s.context.trace_flags(), s.parent_is_remote));
}

// --- Envelopes ---------------------------------------------------------------

size_t ScopeSize(const InstrumentationScope& scope) {
  return StringFieldSize(1, scope.name) + StringFieldSize(2, scope.version);
}

// ScopeSpans: scope = 1, spans = 2, schema_url = 3.
size_t MeasureScopeSpans(SizeTape& tape, const ScopeGroup<SpanData>& group) {
  const size_t slot = tape.Reserve();
  size_t size = 0;
  if (group.scope != nullptr) {
    size += DelimitedSize(1, ScopeSize(*group.scope)) + StringFieldSize(3, group.scope->schema_url);
  }
  for (const SpanData* span : group.items) size += DelimitedSize(2, MeasureSpan(tape, *span));
  return tape.Fill(slot, size);
}

void WriteScopeSpans(Writer& w, SizeTape& tape, const ScopeGroup<SpanData>& group) {
  w.Delimited(2, tape.Next());
  if (group.scope != nullptr) {
    w.Delimited(1, ScopeSize(*group.scope));
    w.String(1, group.scope->name);
    w.String(2, group.scope->version);
  }
  for (const SpanData* span : group.items) WriteSpan(w, tape, *span);
  if (group.scope != nullptr) w.String(3, group.scope->schema_url);
}

// ResourceSpans: resource = 1 (Resource: attributes = 1), scope_spans = 2,
// schema_url = 3.
size_t MeasureResourceSpans(SizeTape& tape, const ResourceGroup<SpanData>& group) {
  const size_t slot = tape.Reserve();
  size_t size = 0;
  if (group.resource != nullptr) {
    const size_t resource_slot = tape.Reserve();
    const size_t resource =
        tape.Fill(resource_slot, MeasureAttributes(tape, 1, group.resource->attributes()));
    size += DelimitedSize(1, resource) + StringFieldSize(3, group.resource->schema_url());
  }
  for (const auto& scope : group.scopes) size += DelimitedSize(2, MeasureScopeSpans(tape, scope));
  return tape.Fill(slot, size);
}

void WriteResourceSpans(Writer& w, SizeTape& tape, const ResourceGroup<SpanData>& group) {
  w.Delimited(1, tape.Next());
  if (group.resource != nullptr) {
    w.Delimited(1, tape.Next());
    WriteAttributes(w, tape, 1, group.resource->attributes());
  }
  for (const auto& scope : group.scopes) WriteScopeSpans(w, tape, scope);
  if (group.resource != nullptr) w.String(3, group.resource->schema_url());
}

}  // namespace

void SerializeTraceRequest(std::span<const SpanData* const> spans, std::string* out) {
  const std::vector<ResourceGroup<SpanData>> groups = GroupByResourceAndScope(spans);
  // Kept per thread (exports run on one processor thread): its capacity is
  // what the largest batch needed, a few bytes per attribute.
  thread_local std::vector<uint32_t> storage;
  SizeTape tape(storage);
  size_t total = 0;
  for (const auto& group : groups) total += DelimitedSize(1, MeasureResourceSpans(tape, group));
  out->resize(total);
  Writer w(out->data());
  for (const auto& group : groups) WriteResourceSpans(w, tape, group);
}

}  // namespace agenthub::telemetry
