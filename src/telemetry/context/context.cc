#include "telemetry/context/context.h"

namespace agenthub::telemetry {
namespace {
Context& ThreadCurrent() {
  thread_local Context current;
  return current;
}
}  // namespace

Context Context::Current() { return ThreadCurrent(); }
const Context& Context::CurrentRef() { return ThreadCurrent(); }

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

ContextScope::ContextScope(Context context) : previous_(std::move(ThreadCurrent())) {
  ThreadCurrent() = std::move(context);
}

ContextScope::~ContextScope() { ThreadCurrent() = std::move(previous_); }

}  // namespace agenthub::telemetry
