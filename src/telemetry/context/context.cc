#include "telemetry/context/context.h"

namespace agenthub::telemetry {
namespace {

// The current context is the innermost live ContextScope's; a plain
// constant-initialised pointer keeps reading it to one TLS load on the span
// start path (a thread_local Context object would need a guarded wrapper).
constinit thread_local const Context* current = nullptr;

// Constant-initialised too: a function-local static would test its guard
// on every read of the current context.
constinit const Context empty_context{};

}  // namespace

Context Context::Current() { return CurrentRef(); }
const Context& Context::CurrentRef() { return current ? *current : empty_context; }

Context Context::WithSpan(Span span) const {
  Context copy = *this;
  copy.span_ = std::move(span);
  return copy;
}

Context Context::WithBaggage(Baggage baggage) const {
  Context copy = *this;
  copy.baggage_ = std::move(baggage);
  return copy;
}

ContextScope::ContextScope(Context context) : context_(std::move(context)), previous_(current) {
  current = &context_;
}

ContextScope::~ContextScope() { current = previous_; }

}  // namespace agenthub::telemetry
