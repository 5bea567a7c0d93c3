#include "traceview/query_client.h"

#include "net/net.h"

namespace agenthub::traceview {

using nlohmann::json;

QueryClient::QueryClient(const std::string& base_url, std::chrono::milliseconds connect_timeout,
                         std::chrono::milliseconds read_timeout)
    : base_url_(base_url), client_(std::make_unique<httplib::Client>(base_url)) {
  client_->set_connection_timeout(connect_timeout);
  client_->set_read_timeout(read_timeout);
}

QueryClient::~QueryClient() = default;

bool IsTraceIdText(const std::string& id) {
  return !id.empty() && id.size() <= 32 &&
         id.find_first_not_of("0123456789abcdefABCDEF") == std::string::npos;
}

QueryResult QueryClient::Trace(const std::string& trace_id) {
  if (!IsTraceIdText(trace_id)) {
    return {.error = "\"" + trace_id + "\" is not a trace id (1-32 hex digits)"};
  }
  return Get("/api/traces/" + trace_id);
}

QueryResult QueryClient::FindTraces(const TraceSearch& search) {
  httplib::Params params{{"limit", std::to_string(search.limit)}};
  if (!search.service.empty()) params.emplace("service", search.service);
  if (!search.operation.empty()) params.emplace("operation", search.operation);
  return Get(httplib::append_query_params("/api/traces", params));
}

QueryResult QueryClient::Get(const std::string& path) {
  if (!client_->is_valid()) return {.error = "invalid query API URL \"" + base_url_ + "\""};
  auto response = client_->Get(path);
  if (!response) {
    return {.error = "cannot reach " + base_url_ + ": " + httplib::to_string(response.error()) +
                     " (is `agenthub collector` running?)"};
  }
  QueryResult result{.http_status = response->status};
  const json body = json::parse(response->body, nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded() || !body.is_object()) {
    result.error = base_url_ + path + " answered HTTP " + std::to_string(response->status) +
                   " without Jaeger JSON";
    return result;
  }
  if (response->status != 200) {
    result.error = "HTTP " + std::to_string(response->status);
    const auto errors = body.find("errors");
    if (errors != body.end() && errors->is_array() && !errors->empty() &&
        (*errors)[0].is_object()) {
      const auto msg = (*errors)[0].find("msg");
      if (msg != (*errors)[0].end() && msg->is_string()) result.error = msg->get<std::string>();
    }
    return result;
  }
  const auto data = body.find("data");
  result.data = data != body.end() ? *data : json::array();
  if (!result.data.is_array()) {
    result.error = base_url_ + path + " answered a \"data\" that is not an array";
  }
  return result;
}

}  // namespace agenthub::traceview
