// Context: the immutable bag that carries the active span and the baggage
// through a call chain (OpenTelemetry Context).
//
// Pass a Context explicitly to async work, or make one current on this thread
// with a ContextScope; Context::Current() reads the calling thread's current
// context. Copies are cheap (reference counts).
#pragma once

#include "telemetry/context/baggage.h"
#include "telemetry/trace/span.h"

namespace agenthub::telemetry {

class Context {
 public:
  Context() = default;

  // The calling thread's current context (empty when none was attached).
  static Context Current();
  // Same, without copying; valid until the current scope on this thread ends.
  static const Context& CurrentRef();

  // The active span; an invalid, non-recording Span when there is none.
  const Span& span() const { return span_; }
  const Baggage& baggage() const { return baggage_; }

  Context WithSpan(Span span) const;
  Context WithBaggage(Baggage baggage) const;

 private:
  Span span_;
  Baggage baggage_;
};

// Makes a context current on this thread for the scope's lifetime, then
// restores the previous one. Scopes must end in reverse order of creation,
// on the thread that created them.
class ContextScope {
 public:
  explicit ContextScope(Context context);
  ~ContextScope();
  ContextScope(const ContextScope&) = delete;
  ContextScope& operator=(const ContextScope&) = delete;

 private:
  Context context_;            // what is current while the scope lives
  const Context* previous_;    // restored when it ends
};

}  // namespace agenthub::telemetry
