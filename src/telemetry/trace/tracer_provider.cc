#include "telemetry/trace/tracer_provider.h"

#include <mutex>

#include "telemetry/common/env.h"

#include "telemetry/trace/provider_state.h"

namespace agenthub::telemetry {

TracerProviderOptions TracerProviderOptions::FromEnvironment(Resource resource) {
  TracerProviderOptions options;
  options.resource = std::move(resource);
  options.disabled = GetEnvBool("OTEL_SDK_DISABLED", false);
  if (!options.disabled) {
    options.sampler = SamplerFromEnvironment();
    options.limits = SpanLimits::FromEnvironment();
  }
  return options;
}

TracerProvider::TracerProvider(TracerProviderOptions options)
    : state_(std::make_shared<internal::ProviderState>()) {
  state_->resource = std::make_shared<const Resource>(std::move(options.resource));
  state_->sampler =
      options.sampler ? std::move(options.sampler) : MakeParentBasedSampler(MakeAlwaysOnSampler());
  state_->limits = options.limits;
  state_->processors = std::move(options.processors);
  for (const auto& processor : state_->processors) {
    if (processor->UsesOnStart()) state_->on_start_processors.push_back(processor.get());
  }
  state_->disabled = options.disabled;
}

TracerProvider::~TracerProvider() { Shutdown(); }

Tracer TracerProvider::GetTracer(std::string_view name, std::string_view version,
                                 std::string_view schema_url) {
  std::lock_guard lock(state_->scopes_mutex);
  for (const auto& scope : state_->scopes) {
    if (scope->name == name && scope->version == version && scope->schema_url == schema_url) {
      return Tracer(state_, scope);
    }
  }
  auto scope = std::make_shared<const InstrumentationScope>(
      InstrumentationScope{std::string(name), std::string(version), std::string(schema_url)});
  state_->scopes.push_back(scope);
  return Tracer(state_, std::move(scope));
}

namespace {
// Splits one timeout across several processors: each gets what is left.
std::chrono::milliseconds Remaining(SteadyClock::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - SteadyClock::now());
  return left.count() > 0 ? left : std::chrono::milliseconds(0);
}
}  // namespace

bool TracerProvider::ForceFlush(std::chrono::milliseconds timeout) {
  const auto deadline = SteadyClock::now() + timeout;
  bool ok = true;
  for (const auto& processor : state_->processors) ok &= processor->ForceFlush(Remaining(deadline));
  return ok;
}

bool TracerProvider::Shutdown(std::chrono::milliseconds timeout) {
  if (state_->shut_down.exchange(true)) return true;
  const auto deadline = SteadyClock::now() + timeout;
  bool ok = true;
  for (const auto& processor : state_->processors) ok &= processor->Shutdown(Remaining(deadline));
  return ok;
}

TraceStats TracerProvider::stats() const {
  TraceStats stats;
  stats.spans_started = state_->spans_started.Value();
  stats.spans_ended = state_->spans_ended.Value();
  stats.spans_not_sampled = state_->spans_not_sampled.Value();
  for (const auto& processor : state_->processors) {
    const ProcessorStats p = processor->stats();
    stats.spans_dropped += p.spans_dropped;
    stats.spans_exported += p.spans_exported;
    stats.export_failures += p.export_failures;
    stats.queue_depth += p.queue_depth;
  }
  return stats;
}

const Resource& TracerProvider::resource() const { return *state_->resource; }
const Sampler& TracerProvider::sampler() const { return *state_->sampler; }
const SpanLimits& TracerProvider::limits() const { return state_->limits; }
bool TracerProvider::disabled() const { return state_->disabled; }

namespace {
std::mutex& GlobalMutex() {
  static std::mutex m;
  return m;
}
std::shared_ptr<TracerProvider>& GlobalProvider() {
  static std::shared_ptr<TracerProvider> provider;
  return provider;
}
}  // namespace

void SetGlobalTracerProvider(std::shared_ptr<TracerProvider> provider) {
  std::lock_guard lock(GlobalMutex());
  GlobalProvider() = std::move(provider);
}

std::shared_ptr<TracerProvider> GlobalTracerProvider() {
  std::lock_guard lock(GlobalMutex());
  if (!GlobalProvider()) {
    TracerProviderOptions options;
    options.disabled = true;
    GlobalProvider() = std::make_shared<TracerProvider>(std::move(options));
  }
  return GlobalProvider();
}

}  // namespace agenthub::telemetry
