// MapCarrier: TextMapCarrier over standard string maps.
#include "telemetry/propagation/map_carrier.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
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
