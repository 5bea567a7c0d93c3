// MapCarrier: TextMapCarrier over standard string maps.
#include "telemetry/propagation/map_carrier.h"

#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace agenthub::telemetry {
namespace {

TEST(MapCarrierTest, GetReturnsTheValueOfAnExactKey) {
  std::map<std::string, std::string> headers = {{"traceparent", "tp"}};
  MapCarrier carrier(headers);
  EXPECT_EQ(carrier.Get("traceparent"), "tp");
}

TEST(MapCarrierTest, GetOfAnAbsentKeyIsEmpty) {
  std::map<std::string, std::string> headers;
  MapCarrier carrier(headers);
  EXPECT_EQ(carrier.Get("traceparent"), "");
}

TEST(MapCarrierTest, GetIgnoresKeyCase) {
  std::map<std::string, std::string> headers = {{"TraceParent", "tp"}};
  MapCarrier carrier(headers);
  EXPECT_EQ(carrier.Get("traceparent"), "tp");
}

TEST(MapCarrierTest, GetWorksOnUnorderedMaps) {
  std::unordered_map<std::string, std::string> headers = {{"BAGGAGE", "a=1"}};
  MapCarrier carrier(headers);
  EXPECT_EQ(carrier.Get("baggage"), "a=1");
}

TEST(MapCarrierTest, GetUsesHeterogeneousLookupWhenTheMapAllowsIt) {
  std::map<std::string, std::string, std::less<>> headers = {{"b3", "x"}};
  MapCarrier carrier(headers);
  EXPECT_EQ(carrier.Get("b3"), "x");
}

TEST(MapCarrierTest, GetJoinsRepeatedValuesOfAMultimapWithCommas) {
  std::multimap<std::string, std::string> headers = {{"tracestate", "a=1"}, {"tracestate", "b=2"}};
  MapCarrier carrier(headers);
  EXPECT_EQ(carrier.Get("tracestate"), "a=1,b=2");
}

TEST(MapCarrierTest, GetJoinsValuesOfKeysDifferingOnlyInCase) {
  std::map<std::string, std::string> headers = {{"Tracestate", "a=1"}, {"TRACESTATE", "b=2"}};
  MapCarrier carrier(headers);
  EXPECT_EQ(carrier.Get("tracestate"), "b=2,a=1");  // std::map order: uppercase sorts first
}

TEST(MapCarrierTest, GetViewPointsIntoTheMapsValue) {
  std::map<std::string, std::string> headers = {{"traceparent", "tp"}};
  MapCarrier carrier(headers);
  std::optional<std::string_view> view = carrier.GetView("traceparent");
  ASSERT_TRUE(view.has_value());
  EXPECT_EQ(view->data(), headers["traceparent"].data());
  EXPECT_EQ(*view, "tp");
}

TEST(MapCarrierTest, GetViewOfAnAbsentKeyIsEmpty) {
  std::map<std::string, std::string> headers = {{"other", "x"}};
  MapCarrier carrier(headers);
  EXPECT_EQ(carrier.GetView("traceparent"), std::string_view());
}

TEST(MapCarrierTest, GetViewIgnoresKeyCase) {
  std::unordered_map<std::string, std::string> headers = {{"TraceParent", "tp"}};
  MapCarrier carrier(headers);
  EXPECT_EQ(carrier.GetView("traceparent"), "tp");
}

TEST(MapCarrierTest, GetViewOfASingleMultimapValueIsAView) {
  std::multimap<std::string, std::string> headers = {{"tracestate", "a=1"}};
  MapCarrier carrier(headers);
  EXPECT_EQ(carrier.GetView("tracestate"), "a=1");
}

TEST(MapCarrierTest, GetViewOfRepeatedMultimapValuesIsUnavailable) {
  std::multimap<std::string, std::string> headers = {{"tracestate", "a=1"}, {"tracestate", "b=2"}};
  MapCarrier carrier(headers);
  EXPECT_EQ(carrier.GetView("tracestate"), std::nullopt);
}

TEST(MapCarrierTest, GetViewOfKeysDifferingOnlyInCaseIsUnavailable) {
  std::map<std::string, std::string> headers = {{"Tracestate", "a=1"}, {"TRACESTATE", "b=2"}};
  MapCarrier carrier(headers);
  EXPECT_EQ(carrier.GetView("tracestate"), std::nullopt);
}

TEST(MapCarrierTest, GetViewPrefersTheExactKeyOverOtherCases) {
  std::multimap<std::string, std::string> headers = {{"tracestate", "a=1"}, {"TraceState", "b=2"}};
  MapCarrier carrier(headers);
  EXPECT_EQ(carrier.GetView("tracestate"), "a=1");
  EXPECT_EQ(carrier.Get("tracestate"), "a=1");
}

TEST(MapCarrierTest, GetViewPrefersTheExactKeyOfAMapWithUniqueKeys) {
  // std::map order puts "TRACESTATE" first: the exact key must still win.
  std::map<std::string, std::string> headers = {{"TRACESTATE", "b=2"}, {"tracestate", "a=1"}};
  MapCarrier carrier(headers);
  EXPECT_EQ(carrier.GetView("tracestate"), "a=1");
}

// Maps larger than a handful of headers are searched rather than scanned;
// the rules must not change with size.
std::map<std::string, std::string> ManyHeaders() {
  std::map<std::string, std::string> headers;
  for (int i = 0; i < 20; ++i) headers["x-header-" + std::to_string(i)] = "v";
  return headers;
}

TEST(MapCarrierTest, GetViewFindsAnExactKeyInALargeMap) {
  std::map<std::string, std::string> headers = ManyHeaders();
  headers["traceparent"] = "tp";
  headers["TRACEPARENT"] = "other";
  MapCarrier carrier(headers);
  EXPECT_EQ(carrier.GetView("traceparent"), "tp");
}

TEST(MapCarrierTest, GetViewIgnoresKeyCaseInALargeMap) {
  std::map<std::string, std::string> headers = ManyHeaders();
  headers["TraceParent"] = "tp";
  MapCarrier carrier(headers);
  EXPECT_EQ(carrier.GetView("traceparent"), "tp");
  EXPECT_EQ(carrier.GetView("tracestate"), std::string_view());
}

TEST(MapCarrierTest, GetViewOfKeysDifferingOnlyInCaseInALargeMapIsUnavailable) {
  std::map<std::string, std::string> headers = ManyHeaders();
  headers["Tracestate"] = "a=1";
  headers["TRACESTATE"] = "b=2";
  MapCarrier carrier(headers);
  EXPECT_EQ(carrier.GetView("tracestate"), std::nullopt);
}

TEST(MapCarrierTest, ReadFieldFallsBackToGetWhenNoViewIsAvailable) {
  std::multimap<std::string, std::string> headers = {{"baggage", "a=1"}, {"baggage", "b=2"}};
  MapCarrier carrier(headers);
  std::string scratch;
  EXPECT_EQ(ReadField(carrier, "baggage", scratch), "a=1,b=2");
  EXPECT_EQ(scratch, "a=1,b=2");
}

TEST(MapCarrierTest, ReadFieldLeavesTheScratchUntouchedWhenAViewIsAvailable) {
  std::map<std::string, std::string> headers = {{"baggage", "a=1"}};
  MapCarrier carrier(headers);
  std::string scratch;
  EXPECT_EQ(ReadField(carrier, "baggage", scratch), "a=1");
  EXPECT_TRUE(scratch.empty());
}

TEST(MapCarrierTest, SetStoresTheKeyAsGiven) {
  std::map<std::string, std::string> headers;
  MapCarrier carrier(headers);
  carrier.Set("traceparent", "tp");
  EXPECT_EQ(headers, (std::map<std::string, std::string>{{"traceparent", "tp"}}));
}

TEST(MapCarrierTest, SetReplacesAnOlderValue) {
  std::map<std::string, std::string> headers = {{"traceparent", "old"}};
  MapCarrier carrier(headers);
  carrier.Set("traceparent", "new");
  EXPECT_EQ(headers["traceparent"], "new");
}

TEST(MapCarrierTest, SetOnAMultimapReplacesEveryOlderValue) {
  std::multimap<std::string, std::string> headers = {{"baggage", "a=1"}, {"baggage", "b=2"}};
  MapCarrier carrier(headers);
  carrier.Set("baggage", "c=3");
  ASSERT_EQ(headers.count("baggage"), 1u);
  EXPECT_EQ(headers.find("baggage")->second, "c=3");
}

TEST(MapCarrierTest, SetOnAConstMapDoesNothing) {
  const std::map<std::string, std::string> headers = {{"a", "1"}};
  MapCarrier carrier(headers);
  carrier.Set("a", "2");
  carrier.Set("b", "3");
  EXPECT_EQ(headers, (std::map<std::string, std::string>{{"a", "1"}}));
}

}  // namespace
}  // namespace agenthub::telemetry
