// How Tracer::StartSpan picks parents, ids and sampling, and what the
// TracerProvider counts.
#include "telemetry/trace/tracer.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "support/tracing_fixture.h"
#include "telemetry/context/context.h"

namespace agenthub::telemetry {
namespace {

using testing::TracingFixture;

SpanContext RemoteContext(bool sampled, TraceState state = {}) {
  return SpanContext(
      *TraceId::FromHex("4bf92f3577b34da6a3ce929d0e0e4736"), *SpanId::FromHex("00f067aa0ba902b7"),
      TraceFlags{static_cast<uint8_t>(sampled ? 1 : 0)}, /*remote=*/true, std::move(state));
}

TEST(Tracer, RootSpansStartNewTraces) {
  TracingFixture f;
  Span a = f.tracer.StartSpan("a");
  Span b = f.tracer.StartSpan("b");
  EXPECT_NE(a.context().trace_id(), b.context().trace_id());
  EXPECT_TRUE(a.context().IsSampled());
  a.End();
  EXPECT_FALSE(f.store->spans()[0].has_parent());
}

TEST(Tracer, ExplicitParentGivesTraceIdAndParentSpanId) {
  TracingFixture f;
  Span parent = f.tracer.StartSpan("parent");
  Span child = f.tracer.StartSpan("child", Context().WithSpan(parent));
  EXPECT_EQ(child.context().trace_id(), parent.context().trace_id());
  EXPECT_NE(child.context().span_id(), parent.context().span_id());
  child.End();
  EXPECT_EQ(f.store->spans()[0].parent_span_id, parent.context().span_id());
  EXPECT_FALSE(f.store->spans()[0].parent_is_remote);
}

TEST(Tracer, CurrentContextIsTheDefaultParent) {
  TracingFixture f;
  Span parent = f.tracer.StartSpan("parent");
  Span child;
  {
    ContextScope scope(Context::Current().WithSpan(parent));
    child = f.tracer.StartSpan("child");
  }
  EXPECT_EQ(child.context().trace_id(), parent.context().trace_id());
  Span after = f.tracer.StartSpan("after");
  EXPECT_NE(after.context().trace_id(), parent.context().trace_id());
}

TEST(Tracer, NewRootIgnoresTheParent) {
  TracingFixture f;
  Span parent = f.tracer.StartSpan("parent");
  Context ctx = Context().WithSpan(parent);
  StartSpanOptions options;
  options.parent = &ctx;
  options.new_root = true;
  Span root = f.tracer.StartSpan("root", options);
  EXPECT_NE(root.context().trace_id(), parent.context().trace_id());
}

TEST(Tracer, RemoteParentIsMarkedOnTheChild) {
  TracingFixture f;
  Span child = f.tracer.StartSpan("child", Context().WithSpan(Span(RemoteContext(true))));
  child.End();
  const SpanData data = f.store->spans().at(0);
  EXPECT_EQ(data.context.trace_id(), RemoteContext(true).trace_id());
  EXPECT_EQ(data.parent_span_id, RemoteContext(true).span_id());
  EXPECT_TRUE(data.parent_is_remote);
}

TEST(Tracer, UnsampledRemoteParentMakesANonRecordingChildByDefault) {
  TracingFixture f;
  Span child = f.tracer.StartSpan("child", Context().WithSpan(Span(RemoteContext(false))));
  EXPECT_FALSE(child.IsRecording());
  EXPECT_TRUE(child.context().IsValid());
  EXPECT_EQ(child.context().trace_id(), RemoteContext(false).trace_id());
  EXPECT_FALSE(child.context().IsSampled());
  child.End();
  EXPECT_EQ(f.store->size(), 0u);
  EXPECT_EQ(f.provider->stats().spans_not_sampled, 1u);
}

TEST(Tracer, ChildInheritsTheParentsTraceState) {
  TracingFixture f;
  TraceState state = TraceState().Set("vendor", "value");
  Span child = f.tracer.StartSpan("child", Context().WithSpan(Span(RemoteContext(true, state))));
  EXPECT_EQ(child.context().trace_state(), state);
}

class RecordOnlySampler : public Sampler {
 public:
  SamplingResult ShouldSample(const SamplingParameters&) override {
    SamplingResult r;
    r.decision = SamplingDecision::kRecordOnly;
    r.attributes.emplace_back("sampler.attr", "yes");
    return r;
  }
  std::string Description() const override { return "RecordOnly"; }
};

TEST(Tracer, RecordOnlySpansRecordButAreNotExported) {
  TracingFixture f({}, std::make_shared<RecordOnlySampler>());
  Span span = f.tracer.StartSpan("op");
  EXPECT_TRUE(span.IsRecording());
  EXPECT_FALSE(span.context().IsSampled());
  span.End();
  EXPECT_EQ(f.store->size(), 0u);
  EXPECT_EQ(f.provider->stats().spans_ended, 1u);
}

class AttributeSampler : public Sampler {
 public:
  SamplingResult ShouldSample(const SamplingParameters& p) override {
    seen_attributes = p.attributes.size();
    SamplingResult r;
    r.decision = SamplingDecision::kRecordAndSample;
    r.attributes.emplace_back("sampler.attr", "yes");
    return r;
  }
  std::string Description() const override { return "Attr"; }
  size_t seen_attributes = 0;
};

TEST(Tracer, SamplerSeesStartAttributesAndMayAddItsOwn) {
  auto sampler = std::make_shared<AttributeSampler>();
  TracingFixture f({}, sampler);
  StartSpanOptions options;
  options.attributes = {{"a", 1}, {"b", 2}};
  Span span = f.tracer.StartSpan("op", options);
  span.End();
  EXPECT_EQ(sampler->seen_attributes, 2u);
  EXPECT_EQ(f.store->spans()[0].attributes.size(), 3u);
}

TEST(Tracer, StartOptionsCarryKindAndLinks) {
  TracingFixture f;
  Span other = f.tracer.StartSpan("other");
  StartSpanOptions options;
  options.kind = SpanKind::kProducer;
  options.links.push_back(SpanLink{other.context(), {{"why", "batch"}}, 0});
  Span span = f.tracer.StartSpan("op", options);
  span.End();
  const SpanData data = f.store->spans()[0];
  EXPECT_EQ(data.kind, SpanKind::kProducer);
  ASSERT_EQ(data.links.size(), 1u);
  EXPECT_EQ(data.links[0].context, other.context());
}

// A processor that amends spans at start (OnStart) sees exactly the span's
// own start attributes, even on recycled storage, and what it adds is kept.
class StampingProcessor : public SpanProcessor {
 public:
  void OnStart(SpanData& span, const Context&) override {
    seen.push_back(span.attributes);
    span.attributes.emplace_back("stamped", true);
  }
  void OnEnd(RecordedSpanRef) override {}
  bool ForceFlush(std::chrono::milliseconds) override { return true; }
  bool Shutdown(std::chrono::milliseconds) override { return true; }
  std::vector<Attributes> seen;
};

TEST(Tracer, OnStartProcessorsSeeExactlyTheStartAttributes) {
  auto store = std::make_shared<InMemorySpanStore>();
  auto stamping = std::make_unique<StampingProcessor>();
  StampingProcessor* stamper = stamping.get();
  TracerProviderOptions options;
  options.processors.push_back(std::move(stamping));
  options.processors.push_back(
      std::make_unique<SimpleSpanProcessor>(std::make_unique<InMemorySpanExporter>(store)));
  TracerProvider provider(std::move(options));
  Tracer tracer = provider.GetTracer("t");
  {
    Span wide = tracer.StartSpan("wide");
    for (int i = 0; i < 5; ++i) wide.SetAttribute("k" + std::to_string(i), i);
    wide.End();
  }
  StartSpanOptions start;
  start.attributes = {{"task.id", "t1"}};
  Span narrow = tracer.StartSpan("narrow", start);
  narrow.SetAttribute("after", 1);
  narrow.End();
  ASSERT_EQ(stamper->seen.size(), 2u);
  EXPECT_TRUE(stamper->seen[0].empty());
  EXPECT_EQ(stamper->seen[1], (Attributes{{"task.id", "t1"}}));
  ASSERT_EQ(store->size(), 2u);
  EXPECT_EQ(store->spans()[1].attributes,
            (Attributes{{"task.id", "t1"}, {"stamped", true}, {"after", 1}}));
}

TEST(Tracer, SpansCarryTheirScopeAndResource) {
  TracingFixture f;
  f.tracer.StartSpan("op").End();
  const SpanData data = f.store->spans()[0];
  ASSERT_TRUE(data.scope);
  EXPECT_EQ(data.scope->name, "test-scope");
  EXPECT_EQ(data.scope->version, "1.0");
  ASSERT_TRUE(data.resource);
  EXPECT_EQ(data.resource->service_name(), "test-service");
}

TEST(TracerProvider, SameNameAndVersionShareOneScope) {
  TracingFixture f;
  Tracer a = f.provider->GetTracer("lib", "1");
  Tracer b = f.provider->GetTracer("lib", "1");
  Tracer c = f.provider->GetTracer("lib", "2");
  EXPECT_EQ(&a.scope(), &b.scope());
  EXPECT_NE(&a.scope(), &c.scope());
}

TEST(TracerProvider, CountsStartedEndedAndExportedSpans) {
  TracingFixture f;
  for (int i = 0; i < 3; ++i) f.tracer.StartSpan("op").End();
  Span open = f.tracer.StartSpan("open");
  const TraceStats stats = f.provider->stats();
  EXPECT_EQ(stats.spans_started, 4u);
  EXPECT_EQ(stats.spans_ended, 3u);
  EXPECT_EQ(stats.spans_exported, 3u);
  EXPECT_EQ(stats.spans_dropped, 0u);
}

TEST(TracerProvider, DefaultSamplerIsParentBasedAlwaysOn) {
  TracingFixture f;
  EXPECT_NE(f.provider->sampler().Description().find("ParentBased"), std::string::npos);
  EXPECT_NE(f.provider->sampler().Description().find("AlwaysOnSampler"), std::string::npos);
}

TEST(TracerProvider, DisabledProviderOnlyPropagatesTheParent) {
  TracerProviderOptions options;
  options.disabled = true;
  TracerProvider provider(std::move(options));
  Tracer tracer = provider.GetTracer("x");
  Span root = tracer.StartSpan("root");
  EXPECT_FALSE(root.IsRecording());
  EXPECT_FALSE(root.context().IsValid());
  Span child = tracer.StartSpan("child", Context().WithSpan(Span(RemoteContext(true))));
  EXPECT_EQ(child.context(), RemoteContext(true));
  EXPECT_EQ(provider.stats().spans_started, 0u);
}

TEST(TracerProvider, NoSpanIsRecordedAfterShutdown) {
  TracingFixture f;
  EXPECT_TRUE(f.provider->Shutdown());
  Span span = f.tracer.StartSpan("late");
  EXPECT_FALSE(span.IsRecording());
  EXPECT_TRUE(f.provider->Shutdown());  // idempotent
}

TEST(TracerProvider, GlobalProviderDefaultsToANoOp) {
  auto provider = GlobalTracerProvider();
  ASSERT_TRUE(provider);
  EXPECT_TRUE(provider->disabled());
  EXPECT_FALSE(provider->GetTracer("x").StartSpan("y").IsRecording());
}

TEST(Tracer, DefaultConstructedTracerIsANoOp) {
  Tracer tracer;
  EXPECT_FALSE(tracer.StartSpan("x").IsRecording());
}

}  // namespace
}  // namespace agenthub::telemetry

namespace agenthub::telemetry {
namespace {

TEST(TracerProviderOptions, SdkDisabledFromTheEnvironmentGivesANoOpProvider) {
  setenv("OTEL_SDK_DISABLED", "TRUE", 1);
  TracerProvider provider(TracerProviderOptions::FromEnvironment(Resource()));
  unsetenv("OTEL_SDK_DISABLED");
  EXPECT_TRUE(provider.disabled());
  EXPECT_FALSE(provider.GetTracer("t").StartSpan("x").IsRecording());
}

TEST(TracerProviderOptions, SamplerAndLimitsComeFromTheEnvironment) {
  setenv("OTEL_TRACES_SAMPLER", "always_off", 1);
  setenv("OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT", "7", 1);
  TracerProviderOptions options = TracerProviderOptions::FromEnvironment(Resource());
  unsetenv("OTEL_TRACES_SAMPLER");
  unsetenv("OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT");
  EXPECT_EQ(options.sampler->Description(), "AlwaysOffSampler");
  EXPECT_EQ(options.limits.attribute_count, 7u);
  EXPECT_FALSE(options.disabled);
}

}  // namespace
}  // namespace agenthub::telemetry
