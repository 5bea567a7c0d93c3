// Context: immutable values, thread-local current context, scopes.
#include "telemetry/context/context.h"

#include <gtest/gtest.h>

#include <thread>

namespace agenthub::telemetry {
namespace {

SpanContext SomeContext(const char* span_hex) {
  return SpanContext(*TraceId::FromHex("4bf92f3577b34da6a3ce929d0e0e4736"),
                     *SpanId::FromHex(span_hex), TraceFlags{1}, true);
}

TEST(Context, EmptyByDefault) {
  EXPECT_FALSE(Context::Current().span().context().IsValid());
  EXPECT_TRUE(Context::Current().baggage().empty());
}

TEST(Context, WithSpanLeavesTheOriginalUnchanged) {
  Context base;
  Context with = base.WithSpan(Span(SomeContext("00f067aa0ba902b7")));
  EXPECT_FALSE(base.span().context().IsValid());
  EXPECT_TRUE(with.span().context().IsValid());
}

TEST(Context, ScopeMakesAContextCurrentAndRestoresThePrevious) {
  Context outer = Context().WithSpan(Span(SomeContext("00f067aa0ba902b7")));
  {
    ContextScope a(outer);
    EXPECT_EQ(Context::Current().span().context().span_id(), *SpanId::FromHex("00f067aa0ba902b7"));
    {
      ContextScope b(Context().WithSpan(Span(SomeContext("1111111111111111"))));
      EXPECT_EQ(Context::Current().span().context().span_id(),
                *SpanId::FromHex("1111111111111111"));
    }
    EXPECT_EQ(Context::Current().span().context().span_id(), *SpanId::FromHex("00f067aa0ba902b7"));
  }
  EXPECT_FALSE(Context::Current().span().context().IsValid());
}

TEST(Context, CurrentContextIsPerThread) {
  ContextScope scope(Context().WithSpan(Span(SomeContext("00f067aa0ba902b7"))));
  bool other_thread_saw_span = true;
  std::thread([&] { other_thread_saw_span = Context::Current().span().context().IsValid(); })
      .join();
  EXPECT_FALSE(other_thread_saw_span);
}

TEST(Context, ExplicitContextCarriesWorkToAnotherThread) {
  Context ctx = Context().WithSpan(Span(SomeContext("00f067aa0ba902b7")));
  SpanId seen;
  std::thread([ctx, &seen] {
    ContextScope scope(ctx);
    seen = Context::Current().span().context().span_id();
  }).join();
  EXPECT_EQ(seen, *SpanId::FromHex("00f067aa0ba902b7"));
}

TEST(Context, BaggageTravelsWithTheContext) {
  Context ctx = Context().WithBaggage(Baggage().Set("user.tier", "premium"));
  ContextScope scope(ctx);
  EXPECT_EQ(Context::Current().baggage().Get("user.tier"), "premium");
}

}  // namespace
}  // namespace agenthub::telemetry
