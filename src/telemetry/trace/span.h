// Span: one timed operation of a trace (OpenTelemetry API Span).
//
// A Span is a handle: cheap to copy (a reference count), safe to use from any
// thread, and it may outlive the Context or the parent it was started under,
// so work handed to another thread can end its span there. A default Span,
// or one wrapping a remote or unsampled SpanContext, records nothing: every
// mutator is then a cheap no-op, so instrumented code never checks first.
//
// End() is idempotent; after it, mutators are ignored. When the last handle
// of a span that was never ended goes away, the span is ended at that moment,
// so a forgotten End() loses accuracy but never loses the span.
#pragma once

#include <exception>
#include <optional>
#include <string_view>
#include <type_traits>

#include "telemetry/common/attribute.h"
#include "telemetry/common/clock.h"
#include "telemetry/trace/span_context.h"
#include "telemetry/trace/span_data.h"

namespace agenthub::telemetry {

namespace internal {
class RecordedSpan;
}

class Span {
 public:
  Span() = default;
  // A non-recording span that carries `context` (a remote parent, say).
  explicit Span(SpanContext context) : context_(std::move(context)) {}
  Span(const Span& other);
  Span(Span&& other) noexcept;
  Span& operator=(const Span& other);
  Span& operator=(Span&& other) noexcept;
  // Inline: a non-recording span (unsampled, remote) has nothing to release.
  ~Span() {
    if (recorded_ != nullptr) ReleaseRecorded(recorded_);
  }

  const SpanContext& context() const { return context_; }
  // True from start until End() for sampled or record-only spans.
  bool IsRecording() const;

  // Sets (or overwrites) an attribute. Over the attribute count limit a new
  // key is dropped and counted; strings are truncated to the length limit.
  // The common setters and End() test for a non-recording span inline: an
  // unsampled span pays no call for them.
  void SetAttribute(std::string_view key, std::string_view value) {
    if (recorded_) SetString(key, value);
  }
  void SetAttribute(std::string_view key, const char* value) {
    SetAttribute(key, std::string_view(value));
  }
  void SetAttribute(std::string_view key, const std::string& value) {
    SetAttribute(key, std::string_view(value));
  }
  void SetAttribute(std::string_view key, bool value) {
    if (recorded_) SetBool(key, value);
  }
  void SetAttribute(std::string_view key, double value) {
    if (recorded_) SetDouble(key, value);
  }
  template <typename Int>
  requires(std::is_integral_v<Int> &&
           !std::is_same_v<Int, bool>) void SetAttribute(std::string_view key, Int value) {
    if (recorded_) SetInt(key, static_cast<int64_t>(value));
  }
  void SetAttribute(std::string_view key, AttributeValue value);
  void SetAttributes(const Attributes& attributes);

  void AddEvent(std::string_view name, Attributes attributes = {},
                std::optional<Timestamp> time = std::nullopt);
  void AddLink(const SpanContext& context, Attributes attributes = {});

  // UNSET is ignored; OK is final (later calls are ignored); the
  // description is kept only for ERROR.
  void SetStatus(StatusCode code, std::string_view description = {});

  // Adds an `exception` event with exception.type and exception.message (and
  // any extra attributes). Like the specification's RecordException it does
  // not change the status: call SetStatus(kError, ...) as well.
  void RecordError(std::string_view type, std::string_view message, Attributes attributes = {});
  void RecordException(const std::exception& e, Attributes attributes = {});

  void UpdateName(std::string_view name);

  void End(std::optional<Timestamp> end_time = std::nullopt) {
    if (recorded_) EndRecorded(end_time);
  }

 private:
  friend class Tracer;
  friend class internal::RecordedSpan;
  Span(internal::RecordedSpan* recorded, SpanContext context)
      : recorded_(recorded), context_(std::move(context)) {}
  // The out-of-line halves of the inline setters and End (recorded_ set).
  void SetString(std::string_view key, std::string_view value);
  void SetBool(std::string_view key, bool value);
  void SetDouble(std::string_view key, double value);
  void SetInt(std::string_view key, int64_t value);
  void EndRecorded(std::optional<Timestamp> end_time);
  static void ReleaseRecorded(internal::RecordedSpan* recorded);

  internal::RecordedSpan* recorded_ = nullptr;  // null: non-recording
  SpanContext context_;
};

}  // namespace agenthub::telemetry
