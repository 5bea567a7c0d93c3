// Span behaviour as the OpenTelemetry trace API/SDK specifies it.
#include "telemetry/trace/span.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <thread>
#include <vector>

#include "support/tracing_fixture.h"
#include "telemetry/context/context.h"

namespace agenthub::telemetry {
namespace {

using testing::TracingFixture;

TEST(Span, IsRecordingFromStartUntilEnd) {
  TracingFixture f;
  Span span = f.tracer.StartSpan("op");
  EXPECT_TRUE(span.IsRecording());
  EXPECT_TRUE(span.context().IsValid());
  span.End();
  EXPECT_FALSE(span.IsRecording());
}

TEST(Span, EndTwiceExportsOnce) {
  TracingFixture f;
  Span span = f.tracer.StartSpan("op");
  span.End();
  span.End();
  EXPECT_EQ(f.store->size(), 1u);
}

TEST(Span, RecordsAttributesOfEveryType) {
  TracingFixture f;
  Span span = f.tracer.StartSpan("op");
  span.SetAttribute("s", "text");
  span.SetAttribute("i", 42);
  span.SetAttribute("d", 2.5);
  span.SetAttribute("b", true);
  span.SetAttribute("sa", AttributeValue(std::vector<std::string>{"a", "b"}));
  span.SetAttribute("ia", AttributeValue(std::vector<int64_t>{1, 2}));
  span.SetAttribute("da", AttributeValue(std::vector<double>{0.5}));
  span.SetAttribute("ba", AttributeValue(std::vector<bool>{true, false}));
  span.End();
  const SpanData data0 = f.store->spans().at(0);
  const auto& attrs = data0.attributes;
  ASSERT_EQ(attrs.size(), 8u);
  EXPECT_EQ(*FindAttribute(attrs, "s"), AttributeValue(std::string("text")));
  EXPECT_EQ(*FindAttribute(attrs, "i"), AttributeValue(int64_t{42}));
  EXPECT_EQ(*FindAttribute(attrs, "d"), AttributeValue(2.5));
  EXPECT_EQ(*FindAttribute(attrs, "b"), AttributeValue(true));
  EXPECT_EQ(*FindAttribute(attrs, "sa"), AttributeValue(std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(*FindAttribute(attrs, "ba"), AttributeValue(std::vector<bool>{true, false}));
}

TEST(Span, CharPointerValueIsAStringNotABool) {
  TracingFixture f;
  Span span = f.tracer.StartSpan("op");
  span.SetAttribute("k", "v");
  span.End();
  EXPECT_EQ(*FindAttribute(f.store->spans().at(0).attributes, "k"),
            AttributeValue(std::string("v")));
}

TEST(Span, SettingAnExistingKeyOverwritesInPlace) {
  TracingFixture f;
  Span span = f.tracer.StartSpan("op");
  span.SetAttribute("k", 1);
  span.SetAttribute("other", 2);
  span.SetAttribute("k", "two");
  span.End();
  const SpanData data0 = f.store->spans().at(0);
  const auto& attrs = data0.attributes;
  ASSERT_EQ(attrs.size(), 2u);
  EXPECT_EQ(attrs[0].key, "k");
  EXPECT_EQ(attrs[0].value, AttributeValue(std::string("two")));
}

// Span storage is recycled with its attribute slots in place; what a span
// exports must still be exactly what it set, whatever the previous use of
// the storage held.
TEST(Span, RecycledStorageExportsOnlyThisSpansAttributes) {
  TracingFixture f;
  {
    Span first = f.tracer.StartSpan("first");
    first.SetAttribute("a", "a-long-value-that-does-not-fit-in-place");
    first.SetAttribute("b", 2);
    first.SetAttribute("c", true);
    first.End();
  }
  {
    Span second = f.tracer.StartSpan("second");
    second.SetAttribute("c", "now a string");
    second.End();
  }
  {
    Span third = f.tracer.StartSpan("third");
    third.SetAttribute("b", 3.5);
    third.SetAttribute("a", 7);
    third.SetAttribute("b", 4.5);
    third.SetAttribute("x", "new");
    third.End();
  }
  {
    Span empty = f.tracer.StartSpan("empty");
    empty.End();
  }
  const auto spans = f.store->spans();
  ASSERT_EQ(spans.size(), 4u);
  EXPECT_EQ(spans[1].attributes, (Attributes{{"c", "now a string"}}));
  EXPECT_EQ(spans[2].attributes, (Attributes{{"b", 4.5}, {"a", 7}, {"x", "new"}}));
  EXPECT_TRUE(spans[3].attributes.empty());
}

TEST(Span, RecycledStorageStillAppliesTheCountLimit) {
  SpanLimits limits;
  limits.attribute_count = 2;
  TracingFixture f(limits);
  for (int round = 0; round < 3; ++round) {
    Span span = f.tracer.StartSpan("op");
    span.SetAttribute("k1", 1);
    span.SetAttribute("k2", 2);
    span.SetAttribute("k3", 3);
    span.End();
  }
  for (const auto& data : f.store->spans()) {
    EXPECT_EQ(data.attributes, (Attributes{{"k1", 1}, {"k2", 2}}));
    EXPECT_EQ(data.dropped_attributes, 1u);
  }
}

TEST(Span, EmptyAttributeKeyIsIgnored) {
  TracingFixture f;
  Span span = f.tracer.StartSpan("op");
  span.SetAttribute("", 1);
  span.End();
  EXPECT_TRUE(f.store->spans().at(0).attributes.empty());
}

TEST(Span, AttributeCountLimitDropsNewKeysAndCountsThem) {
  SpanLimits limits;
  limits.attribute_count = 2;
  TracingFixture f(limits);
  Span span = f.tracer.StartSpan("op");
  span.SetAttribute("a", 1);
  span.SetAttribute("b", 2);
  span.SetAttribute("c", 3);
  span.SetAttribute("d", 4);
  span.SetAttribute("a", 10);  // existing keys may still be updated
  span.End();
  const SpanData data = f.store->spans().at(0);
  ASSERT_EQ(data.attributes.size(), 2u);
  EXPECT_EQ(data.dropped_attributes, 2u);
  EXPECT_EQ(*FindAttribute(data.attributes, "a"), AttributeValue(int64_t{10}));
}

TEST(Span, ValueLengthLimitTruncatesStringsAndStringArrays) {
  SpanLimits limits;
  limits.attribute_value_length = 3;
  TracingFixture f(limits);
  Span span = f.tracer.StartSpan("op");
  span.SetAttribute("s", "abcdef");
  span.SetAttribute("arr", AttributeValue(std::vector<std::string>{"xyzw", "q"}));
  span.SetAttribute("n", 123456);  // numbers are never truncated
  span.End();
  const SpanData data0 = f.store->spans().at(0);
  const auto& attrs = data0.attributes;
  EXPECT_EQ(*FindAttribute(attrs, "s"), AttributeValue(std::string("abc")));
  EXPECT_EQ(*FindAttribute(attrs, "arr"), AttributeValue(std::vector<std::string>{"xyz", "q"}));
  EXPECT_EQ(*FindAttribute(attrs, "n"), AttributeValue(int64_t{123456}));
}

TEST(Span, ValueLengthLimitNeverSplitsAUtf8Character) {
  SpanLimits limits;
  limits.attribute_value_length = 2;
  TracingFixture f(limits);
  Span span = f.tracer.StartSpan("op");
  span.SetAttribute("s", "a\xC3\xA9z");  // "aéz": é is two bytes
  span.End();
  EXPECT_EQ(*FindAttribute(f.store->spans().at(0).attributes, "s"),
            AttributeValue(std::string("a")));
}

TEST(Span, EventCountLimitDropsAndCounts) {
  SpanLimits limits;
  limits.event_count = 1;
  TracingFixture f(limits);
  Span span = f.tracer.StartSpan("op");
  span.AddEvent("first");
  span.AddEvent("second");
  span.End();
  const SpanData data = f.store->spans().at(0);
  ASSERT_EQ(data.events.size(), 1u);
  EXPECT_EQ(data.events[0].name, "first");
  EXPECT_EQ(data.dropped_events, 1u);
}

TEST(Span, AttributesPerEventLimitDropsAndCounts) {
  SpanLimits limits;
  limits.attributes_per_event = 1;
  TracingFixture f(limits);
  Span span = f.tracer.StartSpan("op");
  span.AddEvent("e", {{"a", 1}, {"b", 2}, {"c", 3}});
  span.End();
  const SpanData data0 = f.store->spans().at(0);
  const SpanEvent& event = data0.events.at(0);
  EXPECT_EQ(event.attributes.size(), 1u);
  EXPECT_EQ(event.dropped_attributes, 2u);
}

TEST(Span, LinkLimitsDropAndCount) {
  SpanLimits limits;
  limits.link_count = 1;
  limits.attributes_per_link = 1;
  TracingFixture f(limits);
  Span other = f.tracer.StartSpan("other");
  Span span = f.tracer.StartSpan("op");
  span.AddLink(other.context(), {{"a", 1}, {"b", 2}});
  span.AddLink(other.context());
  span.End();
  const SpanData data = f.store->spans().at(0);
  ASSERT_EQ(data.links.size(), 1u);
  EXPECT_EQ(data.links[0].context, other.context());
  EXPECT_EQ(data.links[0].dropped_attributes, 1u);
  EXPECT_EQ(data.dropped_links, 1u);
}

TEST(Span, InvalidLinkContextIsIgnored) {
  TracingFixture f;
  Span span = f.tracer.StartSpan("op");
  span.AddLink(SpanContext());
  span.End();
  EXPECT_TRUE(f.store->spans().at(0).links.empty());
}

TEST(Span, StatusOkIsFinal) {
  TracingFixture f;
  Span span = f.tracer.StartSpan("op");
  span.SetStatus(StatusCode::kOk);
  span.SetStatus(StatusCode::kError, "late");
  span.End();
  EXPECT_EQ(f.store->spans().at(0).status.code, StatusCode::kOk);
}

TEST(Span, StatusUnsetIsIgnored) {
  TracingFixture f;
  Span span = f.tracer.StartSpan("op");
  span.SetStatus(StatusCode::kError, "boom");
  span.SetStatus(StatusCode::kUnset);
  span.End();
  EXPECT_EQ(f.store->spans().at(0).status.code, StatusCode::kError);
  EXPECT_EQ(f.store->spans().at(0).status.description, "boom");
}

TEST(Span, StatusDescriptionIsKeptOnlyForError) {
  TracingFixture f;
  Span span = f.tracer.StartSpan("op");
  span.SetStatus(StatusCode::kOk, "ignored");
  span.End();
  EXPECT_EQ(f.store->spans().at(0).status.description, "");
}

TEST(Span, RecordErrorAddsAnExceptionEventWithoutChangingStatus) {
  TracingFixture f;
  Span span = f.tracer.StartSpan("op");
  span.RecordError("validation_error", "bad input", {{"extra", 1}});
  span.End();
  const SpanData data = f.store->spans().at(0);
  ASSERT_EQ(data.events.size(), 1u);
  const SpanEvent& event = data.events[0];
  EXPECT_EQ(event.name, "exception");
  EXPECT_EQ(*FindAttribute(event.attributes, "exception.type"),
            AttributeValue(std::string("validation_error")));
  EXPECT_EQ(*FindAttribute(event.attributes, "exception.message"),
            AttributeValue(std::string("bad input")));
  EXPECT_NE(FindAttribute(event.attributes, "extra"), nullptr);
  EXPECT_EQ(data.status.code, StatusCode::kUnset);
}

TEST(Span, RecordExceptionUsesTheDemangledTypeName) {
  TracingFixture f;
  Span span = f.tracer.StartSpan("op");
  span.RecordException(std::invalid_argument("division by zero"));
  span.End();
  const SpanData data0 = f.store->spans().at(0);
  const SpanEvent& event = data0.events.at(0);
  EXPECT_EQ(*FindAttribute(event.attributes, "exception.type"),
            AttributeValue(std::string("std::invalid_argument")));
}

TEST(Span, MutationsAfterEndAreIgnored) {
  TracingFixture f;
  Span span = f.tracer.StartSpan("op");
  span.End();
  span.SetAttribute("late", 1);
  span.AddEvent("late");
  span.SetStatus(StatusCode::kError, "late");
  span.UpdateName("renamed");
  const SpanData data = f.store->spans().at(0);
  EXPECT_TRUE(data.attributes.empty());
  EXPECT_TRUE(data.events.empty());
  EXPECT_EQ(data.status.code, StatusCode::kUnset);
  EXPECT_EQ(data.name, "op");
}

TEST(Span, UpdateNameRenamesALiveSpan) {
  TracingFixture f;
  Span span = f.tracer.StartSpan("op");
  span.UpdateName("better");
  span.End();
  EXPECT_EQ(f.store->spans().at(0).name, "better");
}

TEST(Span, ExplicitTimestampsAreKept) {
  TracingFixture f;
  const Timestamp start = FromUnixNanos(1'000'000'000);
  const Timestamp end = FromUnixNanos(3'500'000'000);
  StartSpanOptions options;
  options.start_time = start;
  Span span = f.tracer.StartSpan("op", options);
  span.AddEvent("e", {}, FromUnixNanos(2'000'000'000));
  span.End(end);
  const SpanData data = f.store->spans().at(0);
  EXPECT_EQ(data.start_time, start);
  EXPECT_EQ(data.end_time, end);
  EXPECT_EQ(data.events.at(0).time, FromUnixNanos(2'000'000'000));
}

TEST(Span, EndBeforeStartIsClampedToStart) {
  TracingFixture f;
  StartSpanOptions options;
  options.start_time = FromUnixNanos(5'000);
  Span span = f.tracer.StartSpan("op", options);
  span.End(FromUnixNanos(1'000));
  const SpanData data = f.store->spans().at(0);
  EXPECT_EQ(data.end_time, data.start_time);
}

TEST(Span, ChildMayEndOnAnotherThreadAfterItsParentEnded) {
  TracingFixture f;
  Span parent = f.tracer.StartSpan("parent");
  Span child = f.tracer.StartSpan("async_operation", Context().WithSpan(parent));
  parent.End();
  std::thread worker([child]() mutable {
    child.SetAttribute("done.on", "worker");
    child.End();
  });
  worker.join();
  const auto spans = f.store->SpansNamed("async_operation");
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0].parent_span_id, parent.context().span_id());
  EXPECT_NE(FindAttribute(spans[0].attributes, "done.on"), nullptr);
}

TEST(Span, ASpanNobodyEndedIsEndedWhenItsLastHandleGoes) {
  TracingFixture f;
  { Span forgotten = f.tracer.StartSpan("forgotten"); }
  ASSERT_EQ(f.store->size(), 1u);
  EXPECT_EQ(f.store->spans()[0].name, "forgotten");
}

TEST(Span, CopiesShareOneSpan) {
  TracingFixture f;
  Span a = f.tracer.StartSpan("op");
  Span b = a;
  b.SetAttribute("via", "copy");
  a.End();
  EXPECT_FALSE(b.IsRecording());
  EXPECT_EQ(f.store->size(), 1u);
  EXPECT_NE(FindAttribute(f.store->spans()[0].attributes, "via"), nullptr);
}

// A sole handle gives its reference to the processors at End: the handle
// keeps its context and reads as ended, and the span is exported once.
TEST(Span, ASoleHandleKeepsItsContextAfterEnd) {
  TracingFixture f;
  Span span = f.tracer.StartSpan("op");
  const SpanContext context = span.context();
  span.End();
  EXPECT_FALSE(span.IsRecording());
  EXPECT_EQ(span.context(), context);
  span.SetAttribute("late", true);  // ignored, as after any End
  span.End();
  Span copy = span;
  EXPECT_FALSE(copy.IsRecording());
  EXPECT_EQ(copy.context(), context);
  ASSERT_EQ(f.store->size(), 1u);
  EXPECT_EQ(f.store->spans()[0].context, context);
  EXPECT_EQ(FindAttribute(f.store->spans()[0].attributes, "late"), nullptr);
}

TEST(Span, EndingOneOfTwoHandlesLeavesTheOtherValid) {
  TracingFixture f;
  Span a = f.tracer.StartSpan("op");
  Span b = a;
  a.End();
  a = Span();  // drops a's reference; b still holds the ended span
  EXPECT_FALSE(b.IsRecording());
  b.End();
  EXPECT_EQ(f.store->size(), 1u);
  EXPECT_EQ(b.context(), f.store->spans()[0].context);
}

TEST(Span, ConcurrentMutationFromManyThreadsKeepsEveryAttribute) {
  TracingFixture f;
  Span span = f.tracer.StartSpan("op");
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([span, t]() mutable {
      for (int i = 0; i < 25; ++i) {
        span.SetAttribute("t" + std::to_string(t) + "." + std::to_string(i), i);
        span.AddEvent("e");
      }
    });
  }
  for (auto& t : threads) t.join();
  span.End();
  const SpanData data = f.store->spans().at(0);
  EXPECT_EQ(data.attributes.size(), 100u);
  EXPECT_EQ(data.events.size() + data.dropped_events, 100u);
}

TEST(Span, DefaultSpanIsInvalidAndIgnoresEverything) {
  Span span;
  EXPECT_FALSE(span.context().IsValid());
  EXPECT_FALSE(span.IsRecording());
  span.SetAttribute("k", 1);
  span.AddEvent("e");
  span.SetStatus(StatusCode::kError, "x");
  span.End();
}

TEST(Span, SpanKindAndStatusNamesMatchTheSpecification) {
  EXPECT_STREQ(SpanKindName(SpanKind::kConsumer), "CONSUMER");
  EXPECT_STREQ(SpanKindName(SpanKind::kProducer), "PRODUCER");
  EXPECT_STREQ(StatusCodeName(StatusCode::kError), "ERROR");
}

}  // namespace
}  // namespace agenthub::telemetry
