// OpsServer over real HTTP on loopback: /metrics, /health with timed-out and
// failing checks, /ready transitions, JSON errors, and port handling.
#include "ops/ops_server.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <nlohmann/json.hpp>
#include <regex>
#include <stdexcept>

#include "net/net.h"

namespace agenthub::ops {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;
using nlohmann::ordered_json;

OpsServerOptions Loopback() {
  OpsServerOptions options;
  options.host = "127.0.0.1";
  options.port = 0;
  options.version = "1.2.3";
  return options;
}

// A server on a free loopback port and a client for it.
struct Served {
  explicit Served(OpsServerOptions options = Loopback()) : server(std::move(options)) {}
  void Start() {
    const std::string error = server.Start();
    ASSERT_EQ(error, "");
    client = std::make_unique<httplib::Client>("127.0.0.1", server.port());
    client->set_read_timeout(30, 0);
  }
  httplib::Result Get(const std::string& path) { return client->Get(path.c_str()); }

  OpsServer server;
  std::unique_ptr<httplib::Client> client;
};

// Lets a check block until the test releases it, and counts its runs.
struct Gate {
  std::mutex mu;
  std::condition_variable cv;
  bool open = false;
  std::atomic<int> runs{0};

  void Open() {
    std::lock_guard lock(mu);
    open = true;
    cv.notify_all();
  }
  void Wait() {
    std::unique_lock lock(mu);
    cv.wait_for(lock, 30s, [&] { return open; });
  }
};

TEST(OpsServer, PortZeroBindsAFreePort) {
  Served s;
  s.Start();
  EXPECT_GT(s.server.port(), 0);
  EXPECT_TRUE(s.server.running());
}

TEST(OpsServer, MetricsServesTheScrapeTextAsPrometheusExposition) {
  Served s;
  std::atomic<int> scrapes{0};
  s.server.SetMetricsCallback([&] {
    ++scrapes;
    return std::string("# TYPE spans_started_total counter\nspans_started_total 7\n");
  });
  s.Start();
  auto res = s.Get("/metrics");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->get_header_value("Content-Type"), "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_EQ(res->body, "# TYPE spans_started_total counter\nspans_started_total 7\n");
  ASSERT_TRUE(s.Get("/metrics"));
  EXPECT_EQ(scrapes, 2);  // fresh text per scrape
}

TEST(OpsServer, MetricsWithoutACallbackIsEmpty) {
  Served s;
  s.Start();
  auto res = s.Get("/metrics");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->body, "");
}

TEST(OpsServer, HealthListsEveryCheckInTheDocumentedShape) {
  Served s;
  s.server.AddCheck("broker", [] { return CheckResult::Healthy("listening"); });
  s.Start();
  auto res = s.Get("/health");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->get_header_value("Content-Type"), "application/json");
  const ordered_json body = ordered_json::parse(res->body);
  std::vector<std::string> keys;
  for (const auto& [key, value] : body.items()) keys.push_back(key);
  EXPECT_THAT(keys, ::testing::ElementsAre("status", "checks", "version", "uptime"));
  EXPECT_EQ(body["status"], "healthy");
  EXPECT_EQ(body["version"], "1.2.3");
  EXPECT_TRUE(body["uptime"].is_string());
  ASSERT_EQ(body["checks"].size(), 1u);
  const ordered_json& check = body["checks"][0];
  keys.clear();
  for (const auto& [key, value] : check.items()) keys.push_back(key);
  EXPECT_THAT(keys,
              ::testing::ElementsAre("name", "status", "message", "last_checked", "duration"));
  EXPECT_EQ(check["name"], "broker");
  EXPECT_EQ(check["status"], "healthy");
  EXPECT_EQ(check["message"], "listening");
  const std::string last_checked = check["last_checked"];
  EXPECT_TRUE(
      std::regex_match(last_checked, std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z)")))
      << last_checked;
  const std::string duration = check["duration"];
  EXPECT_TRUE(std::regex_match(duration, std::regex(R"([0-9.]+(ns|\xC2\xB5s|ms|s))"))) << duration;
}

TEST(OpsServer, HealthWithoutChecksIsHealthy) {
  Served s;
  s.Start();
  auto res = s.Get("/health");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(json::parse(res->body)["checks"], json::array());
}

TEST(OpsServer, HealthIs503WhileAnyCheckFailsAndRecovers) {
  Served s;
  std::atomic<bool> database_up{true};
  s.server.AddCheck("self", [] { return CheckResult::Healthy(); });
  s.server.AddCheck("database", [&] {
    return database_up ? CheckResult::Healthy() : CheckResult::Unhealthy("connection refused");
  });
  s.Start();
  EXPECT_EQ(s.Get("/health")->status, 200);

  database_up = false;
  auto res = s.Get("/health");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 503);
  const json body = json::parse(res->body);
  EXPECT_EQ(body["status"], "unhealthy");
  EXPECT_EQ(body["checks"][0]["status"], "healthy");
  EXPECT_EQ(body["checks"][1]["status"], "unhealthy");
  EXPECT_EQ(body["checks"][1]["message"], "connection refused");

  database_up = true;
  EXPECT_EQ(s.Get("/health")->status, 200);
}

TEST(OpsServer, HangingCheckIsReportedTimedOutWithoutBlockingTheEndpoint) {
  auto gate = std::make_shared<Gate>();
  Served s;
  s.server.AddCheck(
      "stuck",
      [gate] {
        ++gate->runs;
        gate->Wait();
        return CheckResult::Healthy();
      },
      200ms);
  s.Start();
  const auto start = std::chrono::steady_clock::now();
  auto res = s.Get("/health");
  const auto took = std::chrono::steady_clock::now() - start;
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 503);
  const json check = json::parse(res->body)["checks"][0];
  EXPECT_EQ(check["status"], "unhealthy");
  EXPECT_EQ(check["message"], "timed out after 200ms");
  EXPECT_GE(took, 200ms);
  EXPECT_LT(took, 5s);  // generous for a loaded machine; the check waits 30 s

  // A second request joins the hung run instead of starting another thread.
  ASSERT_TRUE(s.Get("/health"));
  EXPECT_EQ(gate->runs, 1);
  gate->Open();
}

TEST(OpsServer, ChecksRunConcurrently) {
  // Each check succeeds only if the other one is running at the same time.
  auto arrived = std::make_shared<std::atomic<int>>(0);
  auto rendezvous = [arrived] {
    ++*arrived;
    for (int i = 0; i < 500 && *arrived < 2; ++i) std::this_thread::sleep_for(2ms);
    return *arrived >= 2 ? CheckResult::Healthy() : CheckResult::Unhealthy("ran alone");
  };
  Served s;
  s.server.AddCheck("a", rendezvous, 5s);
  s.server.AddCheck("b", rendezvous, 5s);
  s.Start();
  auto res = s.Get("/health");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200) << res->body;
}

TEST(OpsServer, ThrowingCheckIsUnhealthyWithTheReason) {
  Served s;
  s.server.AddCheck("queue", []() -> CheckResult { throw std::runtime_error("queue gone"); });
  s.Start();
  auto res = s.Get("/health");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 503);
  EXPECT_EQ(json::parse(res->body)["checks"][0]["message"], "check failed: queue gone");
}

TEST(OpsServer, ReadyFollowsTheReadinessCallback) {
  Served s;
  s.Start();
  auto res = s.Get("/ready");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);  // no callback: ready
  EXPECT_EQ(json::parse(res->body), json({{"status", "ready"}}));

  std::atomic<bool> listening{false};
  s.server.SetReadinessCallback([&] {
    return listening ? Readiness::Ready() : Readiness::NotReady("broker not listening yet");
  });
  res = s.Get("/ready");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 503);
  EXPECT_EQ(json::parse(res->body),
            json({{"status", "not ready"}, {"reason", "broker not listening yet"}}));

  listening = true;
  EXPECT_EQ(s.Get("/ready")->status, 200);
}

TEST(OpsServer, UnknownPathIs404Json) {
  Served s;
  s.Start();
  auto res = s.Get("/nope");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 404);
  EXPECT_EQ(json::parse(res->body), json({{"error", "not found"}, {"path", "/nope"}}));
}

TEST(OpsServer, OtherMethodsOnOpsPathsAre405) {
  Served s;
  s.Start();
  auto res = s.client->Post("/health", "x", "text/plain");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 405);
  EXPECT_EQ(res->get_header_value("Allow"), "GET, HEAD");
}

TEST(OpsServer, OversizedRequestBodiesAreRejected) {
  OpsServerOptions options = Loopback();
  options.max_request_body_bytes = 1024;
  Served s(options);
  s.Start();
  auto res = s.client->Post("/upload", std::string(64 * 1024, 'x'), "text/plain");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 413);
}

TEST(OpsServer, BusyPortGivesAClearError) {
  Served first;
  first.Start();
  OpsServerOptions options = Loopback();
  options.port = first.server.port();
  OpsServer second(options);
  const std::string error = second.Start();
  EXPECT_THAT(error, ::testing::HasSubstr("127.0.0.1:" + std::to_string(options.port)));
  EXPECT_THAT(error, ::testing::HasSubstr("in use"));
  EXPECT_EQ(second.port(), 0);
}

TEST(OpsServer, StopIsGracefulAndIdempotent) {
  Served s;
  s.Start();
  ASSERT_TRUE(s.Get("/ready"));
  s.server.Stop();
  s.server.Stop();
  EXPECT_FALSE(s.server.running());
  httplib::Client after("127.0.0.1", s.server.port());
  after.set_connection_timeout(1, 0);
  EXPECT_FALSE(after.Get("/ready"));
}

}  // namespace
}  // namespace agenthub::ops
