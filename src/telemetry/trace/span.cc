#include "telemetry/trace/span.h"

#include <cxxabi.h>

#include <cstdlib>
#include <memory>
#include <typeinfo>

#include "telemetry/trace/recorded_span.h"

namespace agenthub::telemetry {

const char* SpanKindName(SpanKind kind) {
  switch (kind) {
    case SpanKind::kInternal:
      return "INTERNAL";
    case SpanKind::kServer:
      return "SERVER";
    case SpanKind::kClient:
      return "CLIENT";
    case SpanKind::kProducer:
      return "PRODUCER";
    case SpanKind::kConsumer:
      return "CONSUMER";
  }
  return "INTERNAL";
}

const char* StatusCodeName(StatusCode code) {
  switch (code) {
    case StatusCode::kUnset:
      return "UNSET";
    case StatusCode::kOk:
      return "OK";
    case StatusCode::kError:
      return "ERROR";
  }
  return "UNSET";
}

Span::Span(const Span& other) : recorded_(other.recorded_), context_(other.context_) {
  if (recorded_) recorded_->AddRef();
}

Span::Span(Span&& other) noexcept
    : recorded_(std::exchange(other.recorded_, nullptr)), context_(std::move(other.context_)) {}

Span& Span::operator=(const Span& other) {
  if (this != &other) {
    if (other.recorded_) other.recorded_->AddRef();
    if (recorded_) recorded_->Release();
    recorded_ = other.recorded_;
    context_ = other.context_;
  }
  return *this;
}

Span& Span::operator=(Span&& other) noexcept {
  if (this != &other) {
    if (recorded_) recorded_->Release();
    recorded_ = std::exchange(other.recorded_, nullptr);
    context_ = std::move(other.context_);
  }
  return *this;
}

void Span::ReleaseRecorded(internal::RecordedSpan* recorded) { recorded->Release(); }

bool Span::IsRecording() const { return recorded_ != nullptr && !recorded_->ended(); }

void Span::SetString(std::string_view key, std::string_view value) {
  recorded_->Mutate([&] { recorded_->SetAttributeUnlocked(key, value); });
}

void Span::SetBool(std::string_view key, bool value) {
  recorded_->Mutate([&] { recorded_->SetScalarUnlocked(key, value); });
}

void Span::SetDouble(std::string_view key, double value) {
  recorded_->Mutate([&] { recorded_->SetScalarUnlocked(key, value); });
}

void Span::SetInt(std::string_view key, int64_t value) {
  recorded_->Mutate([&] { recorded_->SetScalarUnlocked(key, value); });
}

void Span::SetAttribute(std::string_view key, AttributeValue value) {
  if (!recorded_) return;
  recorded_->Mutate([&] { recorded_->SetAttributeUnlocked(key, std::move(value)); });
}

void Span::SetAttributes(const Attributes& attributes) {
  if (!recorded_) return;
  recorded_->Mutate([&] {
    for (const auto& a : attributes) {
      recorded_->SetAttributeUnlocked(a.key, a.value);
    }
  });
}

void Span::AddEvent(std::string_view name, Attributes attributes, std::optional<Timestamp> time) {
  if (!recorded_) return;
  const Timestamp when = time ? *time : Now();
  recorded_->Mutate([&] { recorded_->AddEventUnlocked(name, when, std::move(attributes)); });
}

void Span::AddLink(const SpanContext& context, Attributes attributes) {
  if (!recorded_) return;
  recorded_->Mutate([&] { recorded_->AddLinkUnlocked(context, std::move(attributes)); });
}

void Span::SetStatus(StatusCode code, std::string_view description) {
  if (!recorded_ || code == StatusCode::kUnset) return;
  recorded_->Mutate([&] {
    SpanStatus& status = recorded_->data.status;
    if (status.code == StatusCode::kOk) return;  // OK is final
    status.code = code;
    if (code == StatusCode::kError) {
      status.description.assign(description);
    } else {
      status.description.clear();
    }
  });
}

void Span::RecordError(std::string_view type, std::string_view message, Attributes attributes) {
  if (!recorded_) return;
  Attributes event_attributes;
  event_attributes.reserve(attributes.size() + 2);
  if (!type.empty()) event_attributes.emplace_back("exception.type", type);
  event_attributes.emplace_back("exception.message", message);
  for (auto& a : attributes) event_attributes.push_back(std::move(a));
  AddEvent("exception", std::move(event_attributes));
}

void Span::RecordException(const std::exception& e, Attributes attributes) {
  if (!recorded_) return;
  const char* mangled = typeid(e).name();
  int status = 0;
  std::unique_ptr<char, void (*)(void*)> demangled(
      abi::__cxa_demangle(mangled, nullptr, nullptr, &status), std::free);
  RecordError(status == 0 && demangled ? demangled.get() : mangled, e.what(),
              std::move(attributes));
}

void Span::UpdateName(std::string_view name) {
  if (!recorded_) return;
  recorded_->Mutate([&] { recorded_->data.name.assign(name); });
}

void Span::EndRecorded(std::optional<Timestamp> end_time) {
  // A sole handle's reference goes to the processors; the handle keeps its
  // SpanContext and is non-recording from here on, as an ended span is.
  if (recorded_->End(end_time)) recorded_ = nullptr;
}

}  // namespace agenthub::telemetry
