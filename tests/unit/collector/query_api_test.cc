// The Jaeger-compatible query API over real HTTP on loopback: the response
// shapes Jaeger's tools read, the search parameters with Jaeger's
// semantics, errors in the envelope, and the logs extension.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "collector/collector.h"
#include "collector/query/trace_query_params.h"
#include "collector_test_data.h"
#include "ops/go_duration.h"

namespace agenthub::collector {
namespace {

using namespace testdata;
using nlohmann::json;

class QueryApi : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string error;
    store_ = TraceStore::Open({.path = ":memory:", .retention = {}}, &error);
    ASSERT_TRUE(store_) << error;
    // Trace 1: publisher root (PRODUCER) -> broker child with an event,
    // status ERROR, an int and a bool attribute, and a link.
    Span root = MakeSpan(1, 1, 0, "publish_event", kT0, 30 * kMs);
    root.set_kind(Span::SPAN_KIND_PRODUCER);
    root.set_flags(0x301);
    SetString(root.add_attributes(), "event.type", "greeting");
    Span child = MakeSpan(1, 2, 1, "route_task", kT0 + 2 * kMs, 5 * kMs);
    auto* attempts = child.add_attributes();
    attempts->set_key("attempts");
    attempts->mutable_value()->set_int_value(2);
    auto* cached = child.add_attributes();
    cached->set_key("cached");
    cached->mutable_value()->set_bool_value(false);
    auto* event = child.add_events();
    event->set_name("exception");
    event->set_time_unix_nano(kT0 + 3 * kMs);
    SetString(event->add_attributes(), "exception.message", "no agent");
    child.mutable_status()->set_code(opentelemetry::proto::trace::v1::Status::STATUS_CODE_ERROR);
    child.mutable_status()->set_message("no agent");
    auto* link = child.add_links();
    link->set_trace_id(TraceId(9));
    link->set_span_id(SpanId(9));
    // Trace 2: publisher only, slower, later.
    Span other = MakeSpan(2, 1, 0, "publish_event", kT0 + 1000 * kMs, 200 * kMs);
    SetString(other.add_attributes(), "event.type", "farewell");
    const auto publisher = MakeRequest("publisher", {root, other});
    const auto broker = MakeRequest("broker", {child});
    const auto logs = MakeLogs("broker", 1, 2, "routing failed", kT0 + 4 * kMs);
    StoreBatch batch;
    batch.traces = {&publisher, &broker};
    batch.logs = {&logs};
    ASSERT_EQ(store_->Write(batch), "");
    HttpListenerOptions listener;
    listener.host = "127.0.0.1";
    server_ = QueryServer::Start(listener, *store_, &error);
    ASSERT_TRUE(server_) << error;
    client_ = std::make_unique<httplib::Client>("127.0.0.1", server_->port());
  }

  json Get(const std::string& path, int expected_status = 200) {
    auto res = client_->Get(path);
    EXPECT_TRUE(res);
    if (!res) return nullptr;
    EXPECT_EQ(res->status, expected_status) << path << ": " << res->body;
    EXPECT_EQ(res->get_header_value("Content-Type"), "application/json");
    return json::parse(res->body);
  }

  std::vector<std::string> TraceIds(const json& body) {
    std::vector<std::string> ids;
    for (const auto& t : body["data"]) ids.push_back(t["traceID"]);
    return ids;
  }

  std::unique_ptr<TraceStore> store_;
  std::unique_ptr<QueryServer> server_;
  std::unique_ptr<httplib::Client> client_;
};

const std::string kTrace1 = "4b000000000000000000000000000001";
const std::string kTrace2 = "4b000000000000000000000000000002";

TEST_F(QueryApi, ServicesInTheJaegerEnvelope) {
  const json body = Get("/api/services");
  EXPECT_EQ(body["data"], json({"broker", "publisher"}));
  EXPECT_EQ(body["total"], 2);
  EXPECT_EQ(body["limit"], 0);
  EXPECT_EQ(body["offset"], 0);
  EXPECT_TRUE(body["errors"].is_null());
}

TEST_F(QueryApi, OperationsOfAService) {
  EXPECT_EQ(Get("/api/services/publisher/operations")["data"], json({"publish_event"}));
  EXPECT_EQ(Get("/api/services/nobody/operations")["data"], json::array());
  const json ops = Get("/api/operations?service=publisher");
  // Trace 2's root is INTERNAL: one entry per (name, kind), as Jaeger lists them.
  EXPECT_EQ(ops["data"], json::parse(R"([{"name":"publish_event","spanKind":"internal"},
                                         {"name":"publish_event","spanKind":"producer"}])"));
  EXPECT_EQ(Get("/api/operations?service=publisher&spanKind=producer")["data"].size(), 1u);
  EXPECT_EQ(Get("/api/operations?service=publisher&spanKind=server")["data"], json::array());
}

TEST_F(QueryApi, TraceByIdHasJaegersShape) {
  const json body = Get("/api/traces/" + kTrace1);
  ASSERT_EQ(body["data"].size(), 1u);
  const json& trace = body["data"][0];
  EXPECT_EQ(trace["traceID"], kTrace1);
  ASSERT_EQ(trace["spans"].size(), 2u);
  EXPECT_TRUE(trace["warnings"].is_null());

  const json& root = trace["spans"][0];
  EXPECT_EQ(root["traceID"], kTrace1);
  EXPECT_EQ(root["spanID"], "0100000000000001");
  EXPECT_EQ(root["operationName"], "publish_event");
  EXPECT_EQ(root["references"], json::array());
  EXPECT_EQ(root["startTime"], kT0 / 1000);
  EXPECT_EQ(root["duration"], 30000);
  EXPECT_EQ(root["flags"], 1);
  EXPECT_TRUE(root["warnings"].is_null());
  EXPECT_NE(std::find(root["tags"].begin(), root["tags"].end(),
                      json::parse(R"({"key":"event.type","type":"string","value":"greeting"})")),
            root["tags"].end());
  EXPECT_NE(std::find(root["tags"].begin(), root["tags"].end(),
                      json::parse(R"({"key":"span.kind","type":"string","value":"producer"})")),
            root["tags"].end());

  const json& child = trace["spans"][1];
  EXPECT_EQ(child["references"][0],
            json({{"refType", "CHILD_OF"}, {"traceID", kTrace1}, {"spanID", "0100000000000001"}}));
  EXPECT_EQ(child["references"][1]["refType"], "FOLLOWS_FROM");
  EXPECT_EQ(child["references"][1]["traceID"], "4b000000000000000000000000000009");
  const json& tags = child["tags"];
  auto has = [&](const char* text) {
    return std::find(tags.begin(), tags.end(), json::parse(text)) != tags.end();
  };
  EXPECT_TRUE(has(R"({"key":"attempts","type":"int64","value":2})")) << tags;
  EXPECT_TRUE(has(R"({"key":"cached","type":"bool","value":false})"));
  EXPECT_TRUE(has(R"({"key":"error","type":"bool","value":true})"));
  EXPECT_TRUE(has(R"({"key":"otel.status_code","type":"string","value":"ERROR"})"));
  EXPECT_TRUE(has(R"({"key":"otel.status_description","type":"string","value":"no agent"})"));
  EXPECT_TRUE(has(R"({"key":"otel.scope.name","type":"string","value":"test.scope"})"));
  ASSERT_EQ(child["logs"].size(), 1u);
  EXPECT_EQ(child["logs"][0]["timestamp"], (kT0 + 3 * kMs) / 1000);
  EXPECT_EQ(child["logs"][0]["fields"][0],
            json::parse(R"({"key":"event","type":"string","value":"exception"})"));

  // One process per service, referenced by processID.
  const json& processes = trace["processes"];
  ASSERT_EQ(processes.size(), 2u);
  EXPECT_EQ(processes[root["processID"].get<std::string>()]["serviceName"], "publisher");
  EXPECT_EQ(processes[child["processID"].get<std::string>()]["serviceName"], "broker");
  EXPECT_EQ(processes[root["processID"].get<std::string>()]["tags"][0],
            json::parse(R"({"key":"host.name","type":"string","value":"test-host"})"));
}

TEST_F(QueryApi, UnknownTraceIs404InTheEnvelope) {
  const json body = Get("/api/traces/4b0000000000000000000000000000ff", 404);
  EXPECT_TRUE(body["data"].is_null());
  EXPECT_EQ(body["errors"][0]["code"], 404);
  EXPECT_EQ(body["errors"][0]["msg"], "trace not found");
}

TEST_F(QueryApi, MalformedTraceIdIs400) {
  EXPECT_EQ(Get("/api/traces/not-hex", 400)["errors"][0]["code"], 400);
}

TEST_F(QueryApi, SearchByServiceMostRecentFirst) {
  EXPECT_EQ(TraceIds(Get("/api/traces?service=publisher")),
            (std::vector<std::string>{kTrace2, kTrace1}));
  EXPECT_EQ(TraceIds(Get("/api/traces?service=broker")), (std::vector<std::string>{kTrace1}));
}

TEST_F(QueryApi, SearchByOperationTagsDurationAndTime) {
  EXPECT_EQ(TraceIds(Get("/api/traces?service=broker&operation=route_task")),
            (std::vector<std::string>{kTrace1}));
  EXPECT_EQ(
      TraceIds(Get("/api/traces?service=publisher&tags=%7B%22event.type%22%3A%22farewell%22%7D")),
      (std::vector<std::string>{kTrace2}));
  EXPECT_EQ(TraceIds(Get("/api/traces?service=broker&tag=error:true")),
            (std::vector<std::string>{kTrace1}));
  EXPECT_EQ(TraceIds(Get("/api/traces?service=publisher&minDuration=100ms")),
            (std::vector<std::string>{kTrace2}));
  EXPECT_EQ(TraceIds(Get("/api/traces?service=publisher&maxDuration=0.05s")),
            (std::vector<std::string>{kTrace1}));
  const std::string end = std::to_string((kT0 + 500 * kMs) / 1000);
  EXPECT_EQ(TraceIds(Get("/api/traces?service=publisher&end=" + end)),
            (std::vector<std::string>{kTrace1}));
  EXPECT_EQ(TraceIds(Get("/api/traces?service=publisher&limit=1")),
            (std::vector<std::string>{kTrace2}));
}

TEST_F(QueryApi, SearchByTraceIds) {
  EXPECT_EQ(TraceIds(Get("/api/traces?traceID=" + kTrace1 + "&traceID=" + kTrace2)),
            (std::vector<std::string>{kTrace1, kTrace2}));
}

TEST_F(QueryApi, BadSearchParametersAre400NamingThem) {
  for (const char* query : {"minDuration=fast", "start=yesterday", "limit=-1", "tags=%5B1%5D",
                            "tag=novalue", "traceID=zz"}) {
    const json body = Get(std::string("/api/traces?service=publisher&") + query, 400);
    const std::string name = std::string(query).substr(0, std::string(query).find('='));
    EXPECT_NE(body["errors"][0]["msg"].get<std::string>().find(name), std::string::npos)
        << query << ": " << body;
  }
}

TEST_F(QueryApi, LogsOfATrace) {
  const json body = Get("/api/traces/" + kTrace1 + "/logs");
  ASSERT_EQ(body["data"].size(), 1u);
  const json& log = body["data"][0];
  EXPECT_EQ(log["body"], "routing failed");
  EXPECT_EQ(log["spanID"], "0100000000000002");
  EXPECT_EQ(log["serviceName"], "broker");
  EXPECT_EQ(log["severityText"], "INFO");
  EXPECT_EQ(log["timestamp"], (kT0 + 4 * kMs) / 1000);
}

TEST_F(QueryApi, UnknownPathIs404Json) {
  EXPECT_EQ(Get("/api/nothing", 404)["errors"][0]["code"], 404);
}

TEST(GoDuration, ParsesJaegerDurations) {
  EXPECT_EQ(ParseGoDuration("1.2s"), 1200000000);
  EXPECT_EQ(ParseGoDuration("100ms"), 100000000);
  EXPECT_EQ(ParseGoDuration("1h30m"), 5400000000000);
  EXPECT_EQ(ParseGoDuration("500us"), 500000);
  EXPECT_EQ(ParseGoDuration("500\xc2\xb5s"), 500000);
  EXPECT_EQ(ParseGoDuration("7ns"), 7);
  EXPECT_EQ(ParseGoDuration("0"), 0);
  EXPECT_EQ(ParseGoDuration("24h"), 86400000000000);
  EXPECT_FALSE(ParseGoDuration(""));
  EXPECT_FALSE(ParseGoDuration("5"));
  EXPECT_FALSE(ParseGoDuration("ms"));
  EXPECT_FALSE(ParseGoDuration("1.2.3s"));
  EXPECT_FALSE(ParseGoDuration("9999999999h"));
}

// Found by fuzz/duration_fuzzer.cc: the parser summed in double, so
// durations past 2^53 ns lost nanoseconds and the int64 extremes did not
// read back from what FormatGoDuration writes.
TEST(GoDuration, ReadsBackExactlyWhatFormatGoDurationWrites) {
  for (int64_t ns : {INT64_MAX, INT64_MIN, INT64_MIN + 1, int64_t{3472328296227679792},
                     (int64_t{1} << 53) + 1, int64_t{-1}, int64_t{999}, int64_t{1'000'000'001}}) {
    const std::string text = ops::FormatGoDuration(std::chrono::nanoseconds(ns));
    EXPECT_EQ(ParseGoDuration(text), ns) << text;
  }
}

TEST(GoDuration, RefusesWhatGoRefuses) {
  EXPECT_EQ(ParseGoDuration("2562047h47m16.854775807s"), INT64_MAX);
  EXPECT_FALSE(ParseGoDuration("2562047h47m16.854775808s"));  // one past INT64_MAX
  EXPECT_EQ(ParseGoDuration("-2562047h47m16.854775808s"), INT64_MIN);
  EXPECT_FALSE(ParseGoDuration("."));
  EXPECT_FALSE(ParseGoDuration("1sm"));  // unknown unit "sm"
  EXPECT_FALSE(ParseGoDuration("-"));
  EXPECT_EQ(ParseGoDuration(".5s"), 500000000);
  EXPECT_EQ(ParseGoDuration("1.s"), 1000000000);
  EXPECT_EQ(ParseGoDuration("+3\xce\xbcs"), 3000);
  EXPECT_EQ(ParseGoDuration("0.0000000000000000000001s"), 0);
}

TEST(TraceTree, RendersTheSeedsTreeWithErrorsMarked) {
  std::string error;
  auto store = TraceStore::Open({.path = ":memory:"}, &error);
  Span root = MakeSpan(1, 1, 0, "publish_event", kT0, 25 * kMs);
  SetString(root.add_attributes(), "event.type", "greeting");
  Span child = MakeSpan(1, 2, 1, "process_task", kT0 + kMs, 2 * kMs);
  child.mutable_status()->set_code(opentelemetry::proto::trace::v1::Status::STATUS_CODE_ERROR);
  child.mutable_status()->set_message("boom");
  const auto a = MakeRequest("agenthub-publisher", {root});
  const auto b = MakeRequest("agenthub-subscriber", {child});
  StoreBatch batch;
  batch.traces = {&a, &b};
  ASSERT_EQ(store->Write(batch), "");
  const json trace = JaegerTrace(store->GetTrace(TraceId(1)));
  std::string out;
  ASSERT_TRUE(RenderTraceTree(trace, &out, &error)) << error;
  EXPECT_EQ(out, "Trace: " + kTrace1 +
                     "\n"
                     "└── publish_event (agenthub-publisher) [25ms]\n"
                     "    ├── event.type: greeting\n"
                     "    └── process_task (agenthub-subscriber) [2ms] ✗ ERROR: boom\n");
  std::string list;
  ASSERT_TRUE(RenderTraceList(json::array({trace}), &list, &error)) << error;
  EXPECT_NE(list.find(kTrace1), std::string::npos);
  EXPECT_NE(list.find("publish_event"), std::string::npos);
  EXPECT_NE(list.find("agenthub-publisher,agenthub-subscriber"), std::string::npos);
}

TEST(TraceTree, MalformedJsonIsAnErrorNotACrash) {
  std::string out, error;
  EXPECT_FALSE(RenderTraceTree(json::parse(R"({"spans": 5})"), &out, &error));
  EXPECT_FALSE(error.empty());
  EXPECT_FALSE(RenderTraceTree(json::parse(R"({"spans": [{"startTime": "x"}]})"), &out, &error));
}

}  // namespace
}  // namespace agenthub::collector
