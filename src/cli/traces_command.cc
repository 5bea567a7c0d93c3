// agenthub traces / agenthub trace ID: read traces back from a collector's
// Jaeger-compatible query API (ours, or Jaeger itself).
#include <cstdlib>
#include <iostream>

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/traces_command.h"
#include "collector/query/trace_tree.h"
#include "ops/cpp_httplib.h"

namespace agenthub::cli {
namespace {

using nlohmann::json;

std::string DefaultCollectorUrl() {
  const char* v = std::getenv("AGENTHUB_COLLECTOR_URL");
  return v && *v ? v : "http://localhost:16686";
}

// GETs `path` from the query API and returns its "data", or prints why not
// and returns null.
json Fetch(const std::string& base, const std::string& path, const char* command) {
  httplib::Client client(base);
  if (!client.is_valid()) {
    std::cerr << "agenthub " << command << ": invalid --collector URL \"" << base << "\"\n";
    return nullptr;
  }
  client.set_connection_timeout(5, 0);
  client.set_read_timeout(30, 0);
  auto response = client.Get(path);
  if (!response) {
    std::cerr << "agenthub " << command << ": cannot reach " << base << ": "
              << httplib::to_string(response.error()) << " (is `agenthub collector` running?)\n";
    return nullptr;
  }
  const json body = json::parse(response->body, nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded() || !body.is_object()) {
    std::cerr << "agenthub " << command << ": " << base << path << " answered HTTP "
              << response->status << " without Jaeger JSON\n";
    return nullptr;
  }
  if (response->status != 200) {
    std::string message = "HTTP " + std::to_string(response->status);
    const json& errors = body.value("errors", json());
    if (errors.is_array() && !errors.empty() && errors[0].is_object()) {
      message = errors[0].value("msg", message);
    }
    std::cerr << "agenthub " << command << ": " << message << "\n";
    return nullptr;
  }
  return body.value("data", json::array());
}

}  // namespace

void RegisterTracesCommands(CLI::App& app, int* exit_code) {
  auto* list = app.add_subcommand(
      "traces", "List recent traces from a collector's query API (ours or Jaeger's).");
  auto url = std::make_shared<std::string>(DefaultCollectorUrl());
  auto service = std::make_shared<std::string>();
  auto operation = std::make_shared<std::string>();
  auto limit = std::make_shared<int>(20);
  auto as_json = std::make_shared<bool>(false);
  list->add_option("--collector", *url, "Query API base URL (env AGENTHUB_COLLECTOR_URL)")
      ->capture_default_str();
  list->add_option("--service", *service, "Only traces with spans of this service");
  list->add_option("--operation", *operation, "Only traces with spans of this name");
  list->add_option("--limit", *limit, "Most traces to list")
      ->capture_default_str()
      ->check(CLI::Range(1, 1500));
  list->add_flag("--json", *as_json, "Print the API's JSON instead of a table");
  list->callback([=] {
    httplib::Params params{{"limit", std::to_string(*limit)}};
    if (!service->empty()) params.emplace("service", *service);
    if (!operation->empty()) params.emplace("operation", *operation);
    const json data = Fetch(*url, httplib::append_query_params("/api/traces", params), "traces");
    if (data.is_null()) {
      *exit_code = 1;
      return;
    }
    if (*as_json) {
      std::cout << data.dump(2, ' ', false, json::error_handler_t::replace) << "\n";
      *exit_code = 0;
      return;
    }
    std::string out, error;
    if (!collector::RenderTraceList(data, &out, &error)) {
      std::cerr << "agenthub traces: " << error << "\n";
      *exit_code = 1;
      return;
    }
    std::cout << out;
    if (data.empty()) std::cout << "(no traces)\n";
    *exit_code = 0;
  });

  auto* one = app.add_subcommand("trace", "Print one trace as a tree of spans.");
  auto trace_url = std::make_shared<std::string>(DefaultCollectorUrl());
  auto id = std::make_shared<std::string>();
  auto one_json = std::make_shared<bool>(false);
  one->add_option("id", *id, "Trace id (hex)")->required();
  one->add_option("--collector", *trace_url, "Query API base URL (env AGENTHUB_COLLECTOR_URL)")
      ->capture_default_str();
  one->add_flag("--json", *one_json, "Print the API's JSON instead of a tree");
  one->callback([=] {
    // Only hex reaches the URL path.
    if (id->empty() || id->size() > 32 ||
        id->find_first_not_of("0123456789abcdefABCDEF") != std::string::npos) {
      std::cerr << "agenthub trace: \"" << *id << "\" is not a trace id (1-32 hex digits)\n";
      *exit_code = 2;
      return;
    }
    const json data = Fetch(*trace_url, "/api/traces/" + *id, "trace");
    if (data.is_null() || !data.is_array() || data.empty()) {
      if (data.is_array()) std::cerr << "agenthub trace: trace not found\n";
      *exit_code = 1;
      return;
    }
    if (*one_json) {
      std::cout << data[0].dump(2, ' ', false, json::error_handler_t::replace) << "\n";
      *exit_code = 0;
      return;
    }
    std::string out, error;
    if (!collector::RenderTraceTree(data[0], &out, &error)) {
      std::cerr << "agenthub trace: " << error << "\n";
      *exit_code = 1;
      return;
    }
    std::cout << out;
    *exit_code = 0;
  });
}

}  // namespace agenthub::cli
