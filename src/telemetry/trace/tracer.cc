#include "telemetry/trace/tracer.h"

#include "telemetry/common/same_bytes.h"
#include "telemetry/context/context.h"
#include "telemetry/trace/provider_state.h"
#include "telemetry/trace/recorded_span.h"

namespace agenthub::telemetry {
namespace {

std::shared_ptr<internal::ProviderState> NoopState() {
  static const auto state = [] {
    auto s = std::make_shared<internal::ProviderState>();
    s->disabled = true;
    s->resource = std::make_shared<Resource>();
    return s;
  }();
  return state;
}

const SpanContext& InvalidSpanContext() {
  static const SpanContext invalid;
  return invalid;
}

}  // namespace

Tracer::Tracer() : state_(NoopState()), scope_(std::make_shared<InstrumentationScope>()) {}

Tracer::Tracer(std::shared_ptr<internal::ProviderState> state,
               std::shared_ptr<const InstrumentationScope> scope)
    : state_(std::move(state)), scope_(std::move(scope)) {}

Span Tracer::StartSpan(std::string_view name, const StartSpanOptions& options) const {
  internal::ProviderState& state = *state_;
  const Context& parent_context = options.parent ? *options.parent : Context::CurrentRef();
  const SpanContext& parent =
      options.new_root ? InvalidSpanContext() : parent_context.span().context();
  const bool has_parent = parent.IsValid();

  // A disabled SDK behaves like the bare API: it propagates the parent.
  if (state.disabled || state.shut_down.load(std::memory_order_relaxed)) [[unlikely]] {
    return has_parent ? Span(parent) : Span();
  }

  const TraceId trace_id = has_parent ? parent.trace_id() : NewTraceId();
  SamplingResult decision = state.sampler->ShouldSample(
      SamplingParameters{parent, trace_id, name, options.kind, options.attributes, options.links});
  TraceFlags flags;
  if (decision.decision == SamplingDecision::kRecordAndSample) flags.value = TraceFlags::kSampled;
  // Built straight into its destination on either path (a named local then
  // moved costs the drop path ~5% more instructions).
  auto new_context = [&] {
    return SpanContext(
        trace_id, NewSpanId(), flags, /*remote=*/false,
        decision.trace_state ? std::move(*decision.trace_state) : parent.trace_state());
  };
  if (decision.decision == SamplingDecision::kDrop) {
    state.spans_not_sampled.Add();
    // Not recorded, but still a context children and other processes
    // continue the trace (and its tracestate) from.
    return Span(new_context());
  }
  return StartRecording(name, options, parent_context, parent, decision, new_context());
}

Span Tracer::StartRecording(std::string_view name, const StartSpanOptions& options,
                            const Context& parent_context, const SpanContext& parent,
                            SamplingResult& decision, SpanContext context) const {
  internal::ProviderState& state = *state_;
  internal::RecordedSpan* recorded = internal::RecordedSpan::Acquire();
  recorded->Begin(state_);
  SpanData& data = recorded->data;
  data.context = context;
  if (parent.IsValid()) {
    data.parent_span_id = parent.span_id();
    data.parent_is_remote = parent.IsRemote();
  }
  if (!internal::SameBytes(data.name, name))
    data.name.assign(name);  // a recycled span often had this name
  data.kind = options.kind;
  data.start_time = options.start_time ? *options.start_time : Now();
  if (data.scope != scope_) data.scope = scope_;
  for (const auto& a : options.attributes) {
    recorded->SetAttributeUnlocked(a.key, a.value);
  }
  for (auto& a : decision.attributes) recorded->SetAttributeUnlocked(a.key, std::move(a.value));
  for (const auto& link : options.links) {
    recorded->AddLinkUnlocked(link.context, Attributes(link.attributes));
  }
  state.spans_started.Add();
  if (!state.on_start_processors.empty()) {
    recorded->TrimAttributes();  // processors see exactly the span's attributes
    for (SpanProcessor* processor : state.on_start_processors) {
      processor->OnStart(data, parent_context);
    }
    recorded->AdoptAttributes();
  }
  return Span(recorded, std::move(context));
}

}  // namespace agenthub::telemetry
