// agenthub traces / agenthub trace ID: read traces back from a collector's
// Jaeger-compatible query API (ours, or Jaeger itself).
#include <cstdlib>
#include <iostream>

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "traceview/traceview.h"

namespace agenthub::cli {
namespace {

using nlohmann::json;

std::string DefaultCollectorUrl() {
  const char* v = std::getenv("AGENTHUB_COLLECTOR_URL");
  return v && *v ? v : "http://localhost:16686";
}

// The query's "data", or null after printing why there is none.
json DataOrReport(const traceview::QueryResult& result, const char* command) {
  if (result.ok()) return result.data;
  std::cerr << "agenthub " << command << ": " << result.error << "\n";
  return nullptr;
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
    traceview::QueryClient client(*url);
    const json data = DataOrReport(
        client.FindTraces({.service = *service, .operation = *operation, .limit = *limit}),
        "traces");
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
    if (!traceview::RenderTraceList(data, &out, &error)) {
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
    if (!traceview::IsTraceIdText(*id)) {
      std::cerr << "agenthub trace: \"" << *id << "\" is not a trace id (1-32 hex digits)\n";
      *exit_code = 2;
      return;
    }
    traceview::QueryClient client(*trace_url);
    const json data = DataOrReport(client.Trace(*id), "trace");
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
    if (!traceview::RenderTraceTree(data[0], &out, &error)) {
      std::cerr << "agenthub trace: " << error << "\n";
      *exit_code = 1;
      return;
    }
    std::cout << out;
    *exit_code = 0;
  });
}

}  // namespace agenthub::cli
