// CompositePropagator, OTEL_PROPAGATORS and the global propagator.
#include "telemetry/propagation/composite.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <map>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "telemetry/common/diagnostics.h"
#include "telemetry/propagation/map_carrier.h"
#include "telemetry/propagation/propagators.h"

namespace agenthub::telemetry {
namespace {

using Headers = std::map<std::string, std::string>;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

constexpr char kTraceId[] = "4bf92f3577b34da6a3ce929d0e0e4736";
constexpr char kSpanId[] = "00f067aa0ba902b7";

// Writes `name`=1 on inject; on extract appends `name` to a baggage entry
// "order", so a test can see which propagators ran, in which order, and what
// context each received.
class RecordingPropagator final : public TextMapPropagator {
 public:
  explicit RecordingPropagator(std::string name) : name_(std::move(name)) {}
  void Inject(const Context&, TextMapCarrier& carrier) const override { carrier.Set(name_, "1"); }
  Context Extract(const TextMapCarrier&, const Context& context) const override {
    std::string order(context.baggage().Get("order").value_or(""));
    return context.WithBaggage(context.baggage().Set("order", order + name_));
  }
  std::vector<std::string> Fields() const override { return {name_, "shared"}; }

 private:
  std::string name_;
};

std::shared_ptr<const TextMapPropagator> Recording(const std::string& name) {
  return std::make_shared<RecordingPropagator>(name);
}

Context SampledContext() {
  return Context()
      .WithSpan(Span(SpanContext(*TraceId::FromHex(kTraceId), *SpanId::FromHex(kSpanId),
                                 TraceFlags{TraceFlags::kSampled}, /*remote=*/false)))
      .WithBaggage(Baggage().Set("user", "alice"));
}

Headers InjectWith(const TextMapPropagator& propagator) {
  Headers headers;
  MapCarrier carrier(headers);
  propagator.Inject(SampledContext(), carrier);
  return headers;
}

std::vector<std::string> KeysOf(const Headers& headers) {
  std::vector<std::string> keys;
  for (const auto& [k, v] : headers) keys.push_back(k);
  return keys;
}

// --- CompositePropagator ------------------------------------------------------------

TEST(CompositePropagatorTest, InjectCallsEveryPropagator) {
  CompositePropagator composite({Recording("a"), Recording("b")});
  EXPECT_THAT(KeysOf(InjectWith(composite)), ElementsAre("a", "b"));
}

TEST(CompositePropagatorTest, ExtractChainsPropagatorsInOrder) {
  CompositePropagator composite({Recording("a"), Recording("b"), Recording("c")});
  Headers headers;
  MapCarrier carrier(headers);
  Context result = composite.Extract(carrier, Context());
  EXPECT_EQ(result.baggage().Get("order"), "abc");
}

TEST(CompositePropagatorTest, ExtractStartsFromTheGivenContext) {
  CompositePropagator composite({Recording("a")});
  Headers headers;
  MapCarrier carrier(headers);
  Context base = Context().WithBaggage(Baggage().Set("order", "base-"));
  EXPECT_EQ(composite.Extract(carrier, base).baggage().Get("order"), "base-a");
}

TEST(CompositePropagatorTest, FieldsAreTheUnionWithoutRepeats) {
  CompositePropagator composite({Recording("a"), Recording("b")});
  EXPECT_THAT(composite.Fields(), ElementsAre("a", "shared", "b"));
}

TEST(CompositePropagatorTest, NullPropagatorsAreIgnored) {
  CompositePropagator composite({nullptr, Recording("a"), nullptr});
  EXPECT_EQ(composite.size(), 1u);
  EXPECT_THAT(KeysOf(InjectWith(composite)), ElementsAre("a"));
}

TEST(CompositePropagatorTest, EmptyCompositePropagatesNothing) {
  CompositePropagator composite({});
  EXPECT_THAT(InjectWith(composite), IsEmpty());
  EXPECT_THAT(composite.Fields(), IsEmpty());
}

TEST(CompositePropagatorTest, TraceContextAndBaggageTogetherRoundTrip) {
  auto propagator = DefaultPropagator();
  Headers headers = InjectWith(*propagator);
  MapCarrier carrier(headers);
  Context extracted = propagator->Extract(carrier, Context());
  EXPECT_EQ(extracted.span().context().trace_id().ToHex(), kTraceId);
  EXPECT_EQ(extracted.baggage().Get("user"), "alice");
}

// --- OTEL_PROPAGATORS ----------------------------------------------------------------

class PropagatorsFromEnvironmentTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (const char* old = std::getenv("OTEL_PROPAGATORS")) saved_ = old;
    SetDiagnosticHandler([this](DiagnosticLevel level, std::string_view message) {
      if (level == DiagnosticLevel::kWarn) warnings_.emplace_back(message);
    });
  }
  void TearDown() override {
    SetDiagnosticHandler({});
    if (saved_) {
      setenv("OTEL_PROPAGATORS", saved_->c_str(), 1);
    } else {
      unsetenv("OTEL_PROPAGATORS");
    }
  }

  std::vector<std::string> FieldsFor(const char* value) {
    if (value == nullptr) {
      unsetenv("OTEL_PROPAGATORS");
    } else {
      setenv("OTEL_PROPAGATORS", value, 1);
    }
    return PropagatorFromEnvironment()->Fields();
  }

  std::vector<std::string> warnings_;
  std::optional<std::string> saved_;
};

TEST_F(PropagatorsFromEnvironmentTest, UnsetMeansTraceContextAndBaggage) {
  EXPECT_THAT(FieldsFor(nullptr), ElementsAre("traceparent", "tracestate", "baggage"));
  EXPECT_THAT(warnings_, IsEmpty());
}

TEST_F(PropagatorsFromEnvironmentTest, EmptyMeansTraceContextAndBaggage) {
  EXPECT_THAT(FieldsFor(""), ElementsAre("traceparent", "tracestate", "baggage"));
}

TEST_F(PropagatorsFromEnvironmentTest, ListedPropagatorsAreUsedInOrder) {
  EXPECT_THAT(FieldsFor("baggage,tracecontext"),
              ElementsAre("baggage", "traceparent", "tracestate"));
}

TEST_F(PropagatorsFromEnvironmentTest, ValuesAreTrimmedAndCaseInsensitive) {
  EXPECT_THAT(FieldsFor(" TraceContext , BAGGAGE "),
              ElementsAre("traceparent", "tracestate", "baggage"));
}

TEST_F(PropagatorsFromEnvironmentTest, DuplicatesAreRegisteredOnce) {
  setenv("OTEL_PROPAGATORS", "baggage,tracecontext,baggage", 1);
  Headers headers = InjectWith(*PropagatorFromEnvironment());
  EXPECT_THAT(KeysOf(headers), ElementsAre("baggage", "traceparent"));
  EXPECT_THAT(warnings_, IsEmpty());
}

TEST_F(PropagatorsFromEnvironmentTest, B3SelectsTheSingleHeader) {
  setenv("OTEL_PROPAGATORS", "b3", 1);
  EXPECT_THAT(KeysOf(InjectWith(*PropagatorFromEnvironment())), ElementsAre("b3"));
}

TEST_F(PropagatorsFromEnvironmentTest, B3MultiSelectsTheMultipleHeaders) {
  setenv("OTEL_PROPAGATORS", "b3multi", 1);
  EXPECT_THAT(KeysOf(InjectWith(*PropagatorFromEnvironment())),
              ElementsAre("x-b3-sampled", "x-b3-spanid", "x-b3-traceid"));
}

TEST_F(PropagatorsFromEnvironmentTest, NoneDisablesPropagation) {
  setenv("OTEL_PROPAGATORS", "none", 1);
  auto propagator = PropagatorFromEnvironment();
  EXPECT_THAT(InjectWith(*propagator), IsEmpty());
  EXPECT_THAT(warnings_, IsEmpty());
}

TEST_F(PropagatorsFromEnvironmentTest, NoneWithOtherValuesWinsAndWarns) {
  EXPECT_THAT(FieldsFor("tracecontext,none"), IsEmpty());
  ASSERT_EQ(warnings_.size(), 1u);
  EXPECT_THAT(warnings_[0], HasSubstr("none"));
}

TEST_F(PropagatorsFromEnvironmentTest, UnsupportedValuesWarnAndAreSkipped) {
  EXPECT_THAT(FieldsFor("tracecontext,jaeger,xray,ottrace"),
              ElementsAre("traceparent", "tracestate"));
  ASSERT_EQ(warnings_.size(), 3u);
  EXPECT_THAT(warnings_[0], HasSubstr("jaeger"));
  EXPECT_THAT(warnings_[1], HasSubstr("xray"));
  EXPECT_THAT(warnings_[2], HasSubstr("ottrace"));
}

TEST_F(PropagatorsFromEnvironmentTest, UnknownValuesWarnAndAreSkipped) {
  EXPECT_THAT(FieldsFor("baggage,bogus"), ElementsAre("baggage"));
  ASSERT_EQ(warnings_.size(), 1u);
  EXPECT_THAT(warnings_[0], HasSubstr("bogus"));
  EXPECT_THAT(warnings_[0], HasSubstr("OTEL_PROPAGATORS"));
}

TEST_F(PropagatorsFromEnvironmentTest, OnlyUnusableValuesFallBackToTheDefaultWithAWarning) {
  EXPECT_THAT(FieldsFor("jaeger"), ElementsAre("traceparent", "tracestate", "baggage"));
  EXPECT_EQ(warnings_.size(), 2u);
}

// --- Global propagator -----------------------------------------------------------------

class GlobalPropagatorTest : public ::testing::Test {
 protected:
  void TearDown() override { SetGlobalPropagator(nullptr); }
};

TEST_F(GlobalPropagatorTest, DefaultsToTraceContextAndBaggage) {
  EXPECT_THAT(GlobalPropagator()->Fields(), ElementsAre("traceparent", "tracestate", "baggage"));
}

TEST_F(GlobalPropagatorTest, SetReplacesTheGlobalPropagator) {
  auto mine = Recording("mine");
  SetGlobalPropagator(mine);
  EXPECT_EQ(GlobalPropagator(), mine);
}

TEST_F(GlobalPropagatorTest, MayBeReadWhileBeingReplaced) {
  std::atomic<bool> stop{false};
  std::thread writer([&stop] {
    while (!stop.load()) {
      SetGlobalPropagator(Recording("a"));
      SetGlobalPropagator(nullptr);
    }
  });
  for (int i = 0; i < 10000; ++i) ASSERT_NE(GlobalPropagator(), nullptr);
  stop = true;
  writer.join();
}

TEST_F(GlobalPropagatorTest, SettingNullRestoresTheDefault) {
  SetGlobalPropagator(Recording("mine"));
  SetGlobalPropagator(nullptr);
  EXPECT_THAT(GlobalPropagator()->Fields(), ElementsAre("traceparent", "tracestate", "baggage"));
}

}  // namespace
}  // namespace agenthub::telemetry
