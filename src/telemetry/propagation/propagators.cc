#include "telemetry/propagation/propagators.h"

#include <algorithm>
#include <mutex>
#include <string_view>

#include "telemetry/common/diagnostics.h"
#include "telemetry/common/env.h"
#include "telemetry/propagation/b3.h"
#include "telemetry/propagation/composite.h"
#include "telemetry/propagation/w3c_baggage.h"
#include "telemetry/propagation/w3c_trace_context.h"

namespace agenthub::telemetry {
namespace {

constexpr std::string_view kEnvVar = "OTEL_PROPAGATORS";

std::shared_ptr<const TextMapPropagator> ByName(std::string_view name) {
  if (name == "tracecontext") return std::make_shared<W3CTraceContextPropagator>();
  if (name == "baggage") return std::make_shared<W3CBaggagePropagator>();
  if (name == "b3")
    return std::make_shared<B3Propagator>(B3Propagator::InjectEncoding::kSingleHeader);
  if (name == "b3multi") {
    return std::make_shared<B3Propagator>(B3Propagator::InjectEncoding::kMultiHeader);
  }
  return nullptr;
}

// Names the OpenTelemetry specification defines but this SDK does not
// implement: worth a more helpful warning than "unknown".
bool IsKnownUnsupported(std::string_view name) {
  return name == "jaeger" || name == "xray" || name == "ottrace";
}

// A mutex rather than std::atomic<std::shared_ptr>: libstdc++ 12's version
// reads the pointer outside its lock bit, which ThreadSanitizer reports, and
// callers are expected to keep the result rather than fetch it per header.
struct GlobalSlot {
  std::mutex mutex;
  std::shared_ptr<const TextMapPropagator> propagator = DefaultPropagator();
};

GlobalSlot& Global() {
  static GlobalSlot slot;
  return slot;
}

}  // namespace

std::shared_ptr<const TextMapPropagator> DefaultPropagator() {
  return std::make_shared<CompositePropagator>(
      std::vector<std::shared_ptr<const TextMapPropagator>>{
          std::make_shared<W3CTraceContextPropagator>(), std::make_shared<W3CBaggagePropagator>()});
}

std::shared_ptr<const TextMapPropagator> PropagatorFromNames(
    const std::vector<std::string>& names) {
  if (names.empty()) return DefaultPropagator();
  std::vector<std::string_view> unique;
  for (const std::string& name : names) {
    if (std::find(unique.begin(), unique.end(), name) == unique.end()) unique.push_back(name);
  }
  if (std::find(unique.begin(), unique.end(), "none") != unique.end()) {
    if (unique.size() > 1) {
      ReportWarning(std::string(kEnvVar) +
                    ": \"none\" disables propagation; the other values are ignored");
    }
    return std::make_shared<CompositePropagator>(
        std::vector<std::shared_ptr<const TextMapPropagator>>{});
  }
  std::vector<std::shared_ptr<const TextMapPropagator>> chosen;
  for (std::string_view name : unique) {
    if (auto propagator = ByName(name)) {
      chosen.push_back(std::move(propagator));
    } else if (IsKnownUnsupported(name)) {
      ReportWarning(std::string(kEnvVar) + ": propagator \"" + std::string(name) +
                    "\" is not supported by this SDK; skipped");
    } else {
      ReportWarning(std::string(kEnvVar) + ": unknown propagator \"" + std::string(name) +
                    "\"; skipped (known: tracecontext, baggage, b3, b3multi, none)");
    }
  }
  if (chosen.empty()) {
    ReportWarning(std::string(kEnvVar) +
                  ": no usable propagator listed; using the default tracecontext,baggage");
    return DefaultPropagator();
  }
  if (chosen.size() == 1) return chosen.front();
  return std::make_shared<CompositePropagator>(std::move(chosen));
}

std::shared_ptr<const TextMapPropagator> PropagatorFromEnvironment() {
  return PropagatorFromNames(GetEnvList(kEnvVar));
}

std::shared_ptr<const TextMapPropagator> GlobalPropagator() {
  GlobalSlot& slot = Global();
  std::lock_guard lock(slot.mutex);
  return slot.propagator;
}

void SetGlobalPropagator(std::shared_ptr<const TextMapPropagator> propagator) {
  if (!propagator) propagator = DefaultPropagator();
  GlobalSlot& slot = Global();
  std::lock_guard lock(slot.mutex);
  // The old propagator is released after the lock, outside the critical
  // section, when `propagator` goes out of scope.
  slot.propagator.swap(propagator);
}

}  // namespace agenthub::telemetry
