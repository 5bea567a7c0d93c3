// QueryClient: reads traces from a Jaeger-compatible query API (ours, or
// Jaeger's own) over HTTP, for the terminal views.
//
// Every answer is checked before it is used: a server that is down, an
// HTTP error, a body that is not Jaeger's JSON envelope each give a result
// with `error` set to a sentence a user can act on.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

namespace httplib {
class Client;
}

namespace agenthub::traceview {

struct QueryResult {
  nlohmann::json data;  // the response's "data" (an array) when ok()
  std::string error;    // why not, when !ok()
  int http_status = 0;  // 0: no HTTP answer at all
  bool ok() const { return error.empty(); }
};

struct TraceSearch {
  std::string service;    // empty: any
  std::string operation;  // empty: any
  int limit = 20;
};

class QueryClient {
 public:
  // `base_url`: "http://localhost:16686". `read_timeout` bounds each request.
  explicit QueryClient(const std::string& base_url,
                       std::chrono::milliseconds connect_timeout = std::chrono::seconds(5),
                       std::chrono::milliseconds read_timeout = std::chrono::seconds(30));
  ~QueryClient();
  QueryClient(const QueryClient&) = delete;
  QueryClient& operator=(const QueryClient&) = delete;

  // GET /api/traces/{trace_id}. The id must be 1-32 hex digits (checked
  // here, so nothing else reaches the URL path).
  QueryResult Trace(const std::string& trace_id);
  // GET /api/traces?service=&operation=&limit=
  QueryResult FindTraces(const TraceSearch& search);

  const std::string& base_url() const { return base_url_; }

 private:
  QueryResult Get(const std::string& path);

  const std::string base_url_;
  std::unique_ptr<httplib::Client> client_;
};

// Whether `id` can be a trace id: 1-32 hex digits.
bool IsTraceIdText(const std::string& id);

}  // namespace agenthub::traceview
