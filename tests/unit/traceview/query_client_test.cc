// QueryClient against a real HTTP server on loopback that answers as a
// Jaeger query API does, and as broken ones do.
#include <gtest/gtest.h>

#include "net/net.h"
#include "traceview/traceview.h"

namespace agenthub::traceview {
namespace {

class QueryClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto& s = listener_.server();
    s.Get(R"(/api/traces/([0-9a-f]+))",
          [this](const httplib::Request& req, httplib::Response& res) {
            last_path_ = req.path;
            if (req.matches[1] == "404") {
              res.status = 404;
              res.set_content(R"({"data":null,"errors":[{"code":404,"msg":"trace not found"}]})",
                              "application/json");
              return;
            }
            if (req.matches[1] == "bad") {
              res.set_content("<html>not json</html>", "text/html");
              return;
            }
            res.set_content(R"({"data":[{"traceID":"ab","spans":[],"processes":{}}]})",
                            "application/json");
          });
    s.Get("/api/traces", [this](const httplib::Request& req, httplib::Response& res) {
      last_path_ = req.path;
      service_ = req.get_param_value("service");
      limit_ = req.get_param_value("limit");
      res.set_content(R"({"data":[]})", "application/json");
    });
    ASSERT_EQ(listener_.Start(), "");
    url_ = "http://127.0.0.1:" + std::to_string(listener_.port());
  }

  net::HttpListener listener_{{.host = "127.0.0.1", .port = 0}};
  std::string url_;
  std::string last_path_, service_, limit_;
};

TEST_F(QueryClientTest, ReadsATraceById) {
  QueryClient client(url_);
  const QueryResult result = client.Trace("ab");
  ASSERT_TRUE(result.ok()) << result.error;
  ASSERT_EQ(result.data.size(), 1u);
  EXPECT_EQ(result.data[0]["traceID"], "ab");
  EXPECT_EQ(last_path_, "/api/traces/ab");
}

TEST_F(QueryClientTest, ReportsTheApisOwnErrorMessage) {
  QueryClient client(url_);
  const QueryResult result = client.Trace("404");
  EXPECT_FALSE(result.ok());
  EXPECT_EQ(result.error, "trace not found");
  EXPECT_EQ(result.http_status, 404);
}

TEST_F(QueryClientTest, SearchesWithTheGivenParameters) {
  QueryClient client(url_);
  const QueryResult result = client.FindTraces({.service = "agenthub-broker", .limit = 7});
  ASSERT_TRUE(result.ok()) << result.error;
  EXPECT_TRUE(result.data.empty());
  EXPECT_EQ(service_, "agenthub-broker");
  EXPECT_EQ(limit_, "7");
}

TEST_F(QueryClientTest, NonHexIdsNeverReachTheServer) {
  QueryClient client(url_);
  const QueryResult result = client.Trace("../../etc/passwd");
  EXPECT_FALSE(result.ok());
  EXPECT_NE(result.error.find("not a trace id"), std::string::npos);
  EXPECT_EQ(last_path_, "");
}

TEST_F(QueryClientTest, ABodyThatIsNotJaegerJsonIsNamed) {
  QueryClient client(url_);
  const QueryResult result = client.Trace("bad");
  EXPECT_FALSE(result.ok());
  EXPECT_NE(result.error.find("without Jaeger JSON"), std::string::npos) << result.error;
}

TEST(QueryClient, AServerThatIsDownSaysWhereItLooked) {
  net::HttpListener probe({.host = "127.0.0.1", .port = 0});
  ASSERT_EQ(probe.Start(), "");
  const int port = probe.port();
  probe.Stop();  // the port is now closed
  QueryClient client("http://127.0.0.1:" + std::to_string(port), std::chrono::milliseconds(500));
  const QueryResult result = client.Trace("ab");
  EXPECT_FALSE(result.ok());
  EXPECT_NE(result.error.find("cannot reach http://127.0.0.1:"), std::string::npos) << result.error;
  EXPECT_EQ(result.http_status, 0);
}

}  // namespace
}  // namespace agenthub::traceview
