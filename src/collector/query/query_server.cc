#include "collector/query/query_server.h"

#include "collector/query/jaeger_json.h"
#include "collector/query/trace_query_params.h"
#include "collector/store/ids.h"
#include "collector/store/span_tags.h"
#include "collector/ui/ui_routes.h"

namespace agenthub::collector {
namespace {

using nlohmann::json;

void Send(httplib::Response& response, int status, const json& body) {
  response.status = status;
  // Replace, not throw, on invalid UTF-8 in stored names and values: they
  // came from untrusted senders.
  response.set_content(body.dump(-1, ' ', false, json::error_handler_t::replace),
                       "application/json");
  response.set_header("Cache-Control", "no-store");
}

void SendError(httplib::Response& response, int status, const std::string& message) {
  Send(response, status, JaegerResponse(nullptr, {{status, message}}));
}

// Span kinds as /api/operations names them.
std::string KindName(int kind) {
  const auto name = SpanKindName(kind);
  return name.empty() ? "unspecified" : std::string(name);
}

// Jaeger's service and operation listings.
void AddServiceRoutes(httplib::Server& s, TraceStore& store) {
  s.Get("/api/services", [&store](const httplib::Request&, httplib::Response& res) {
    std::string error;
    const auto services = store.Services(&error);
    if (!error.empty()) return SendError(res, 500, error);
    Send(res, 200, JaegerResponse(services));
  });

  s.Get(R"(/api/services/([^/]+)/operations)",
        [&store](const httplib::Request& req, httplib::Response& res) {
          std::string error;
          const auto operations = store.Operations(req.matches[1].str(), &error);
          if (!error.empty()) return SendError(res, 500, error);
          json names = json::array();
          for (const auto& op : operations) {
            // One name per operation, whatever kinds it was seen with.
            if (names.empty() || names.back() != op.name) names.push_back(op.name);
          }
          Send(res, 200, JaegerResponse(names));
        });

  s.Get("/api/operations", [&store](const httplib::Request& req, httplib::Response& res) {
    const std::string service = req.get_param_value("service");
    if (service.empty()) return SendError(res, 400, "parameter 'service' is required");
    const std::string kind = req.get_param_value("spanKind");
    std::string error;
    const auto operations = store.Operations(service, &error);
    if (!error.empty()) return SendError(res, 500, error);
    json data = json::array();
    for (const auto& op : operations) {
      const std::string name = KindName(op.kind);
      if (!kind.empty() && kind != name) continue;
      data.push_back({{"name", op.name}, {"spanKind", name}});
    }
    Send(res, 200, JaegerResponse(data));
  });
}

// The trace id in the path, or nullopt after answering 400.
std::optional<std::string> TraceIdOrError(const httplib::Request& req, httplib::Response& res) {
  const std::string hex = req.matches[1].str();
  auto id = TraceIdFromHex(hex);
  if (!id) SendError(res, 400, "invalid trace id \"" + hex.substr(0, 64) + "\"");
  return id;
}

// Jaeger's trace search and lookup, and a trace's logs.
void AddTraceRoutes(httplib::Server& s, TraceStore& store) {
  s.Get("/api/traces", [&store](const httplib::Request& req, httplib::Response& res) {
    TraceQueryParams params;
    std::string error;
    if (!ParseTraceQueryParams(req.params, &params, &error)) return SendError(res, 400, error);
    std::vector<StoredTrace> traces;
    if (!params.trace_ids.empty()) {
      for (const auto& id : params.trace_ids) {
        StoredTrace trace = store.GetTrace(id, &error);
        if (!error.empty()) break;
        if (!trace.spans.empty()) traces.push_back(std::move(trace));
      }
    } else {
      traces = store.FindTraces(params.query, &error);
    }
    if (!error.empty()) return SendError(res, 500, error);
    json data = json::array();
    for (const auto& trace : traces) data.push_back(JaegerTrace(trace));
    Send(res, 200, JaegerResponse(std::move(data)));
  });

  s.Get(R"(/api/traces/([^/]+))", [&store](const httplib::Request& req, httplib::Response& res) {
    const auto id = TraceIdOrError(req, res);
    if (!id) return;
    std::string error;
    const StoredTrace trace = store.GetTrace(*id, &error);
    if (!error.empty()) return SendError(res, 500, error);
    if (trace.spans.empty()) return SendError(res, 404, "trace not found");
    Send(res, 200, JaegerResponse(json::array({JaegerTrace(trace)})));
  });

  s.Get(R"(/api/traces/([^/]+)/logs)",
        [&store](const httplib::Request& req, httplib::Response& res) {
          const auto id = TraceIdOrError(req, res);
          if (!id) return;
          std::string error;
          const auto logs = store.TraceLogs(*id, &error);
          if (!error.empty()) return SendError(res, 500, error);
          Send(res, 200, JaegerResponse(LogsJson(logs)));
        });
}

}  // namespace

std::unique_ptr<QueryServer> QueryServer::Start(net::HttpListenerOptions options, TraceStore& store,
                                                std::string* error) {
  std::unique_ptr<QueryServer> server(new QueryServer(std::move(options), store));
  std::string failure = server->listener_.Start();
  if (!failure.empty()) {
    if (error) *error = "query API: " + failure;
    return nullptr;
  }
  return server;
}

QueryServer::QueryServer(net::HttpListenerOptions options, TraceStore& store)
    : store_(store), listener_(std::move(options)) {
  Routes();
}

QueryServer::~QueryServer() { Stop(); }

void QueryServer::Routes() {
  httplib::Server& s = listener_.server();
  // The API takes no bodies.
  s.set_payload_max_length(64 * 1024);
  AddServiceRoutes(s, store_);
  AddTraceRoutes(s, store_);

  // The web UI (pages and embedded assets) on the same port, as Jaeger
  // serves its UI beside its API.
  RegisterUiRoutes(s);

  s.set_error_handler([](const httplib::Request&, httplib::Response& res) {
    if (!res.body.empty()) return;
    SendError(res, res.status, res.status == 404 ? "not found" : "request failed");
  });
}

}  // namespace agenthub::collector
