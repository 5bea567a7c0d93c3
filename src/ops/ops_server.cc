#include "ops/ops_server.h"

#include <exception>
#include <nlohmann/json.hpp>

#include "telemetry/telemetry.h"

namespace agenthub::ops {
namespace {

using nlohmann::ordered_json;

constexpr char kPrometheusContentType[] = "text/plain; version=0.0.4; charset=utf-8";
constexpr char kJsonContentType[] = "application/json";

bool IsOpsPath(const std::string& path) {
  return path == "/metrics" || path == "/health" || path == "/ready";
}

void SendJson(httplib::Response& res, int status, const ordered_json& body) {
  res.status = status;
  // Replace, not throw, on invalid UTF-8 in a check's message.
  res.set_content(body.dump(-1, ' ', false, ordered_json::error_handler_t::replace) + "\n",
                  kJsonContentType);
  // Probes and dashboards must see fresh state, never a cached one.
  res.set_header("Cache-Control", "no-store");
}

net::HttpListenerOptions ListenerOptions(const OpsServerOptions& o) {
  return {.host = o.host,
          .port = o.port,
          .workers = o.worker_threads,
          .max_pending_connections = o.max_pending_connections,
          .read_timeout = o.read_timeout,
          .write_timeout = o.write_timeout,
          .keep_alive_timeout = o.keep_alive_timeout};
}

// Names for the errors httplib produces itself before any handler runs.
const char* ErrorName(int status) {
  switch (status) {
    case 400:
      return "bad request";
    case 413:
      return "request body too large";
    case 414:
      return "request URI too long";
    case 416:
      return "range not satisfiable";
    case 500:
      return "internal error";
    default:
      return "request failed";
  }
}

ordered_json CheckJson(const CheckReport& check) {
  return ordered_json{{"name", check.name},
                      {"status", check.healthy ? "healthy" : "unhealthy"},
                      {"message", check.message},
                      {"last_checked", telemetry::FormatRfc3339Nanos(check.last_checked)},
                      {"duration", telemetry::FormatGoDuration(check.duration)}};
}

}  // namespace

struct OpsServer::Handlers {
  static void Metrics(const OpsServer& self, httplib::Response& res) {
    const MetricsCallback scrape = self.metrics_callback();
    std::string body;
    if (scrape) {
      try {
        body = scrape();
      } catch (const std::exception& e) {
        SendJson(res, 500, {{"error", std::string("metrics scrape failed: ") + e.what()}});
        return;
      }
    }
    res.status = 200;
    res.set_content(std::move(body), kPrometheusContentType);
  }

  static void Health(OpsServer& self, httplib::Response& res) {
    const HealthReport report = self.health_.RunAll();
    ordered_json checks = ordered_json::array();
    for (const CheckReport& check : report.checks) checks.push_back(CheckJson(check));
    const auto uptime = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - self.created_);
    SendJson(res, report.healthy ? 200 : 503,
             {{"status", report.healthy ? "healthy" : "unhealthy"},
              {"checks", std::move(checks)},
              {"version", self.options_.version},
              {"uptime", telemetry::FormatGoDuration(uptime)}});
  }

  static void Ready(const OpsServer& self, httplib::Response& res) {
    const ReadinessCallback check = self.readiness_callback();
    Readiness readiness = Readiness::Ready();
    if (check) {
      try {
        readiness = check();
      } catch (const std::exception& e) {
        readiness = Readiness::NotReady(std::string("readiness check failed: ") + e.what());
      }
    }
    if (readiness.ready) {
      SendJson(res, 200, {{"status", "ready"}});
    } else {
      SendJson(res, 503, {{"status", "not ready"}, {"reason", readiness.reason}});
    }
  }
};

OpsServer::OpsServer(OpsServerOptions options)
    : options_(std::move(options)),
      created_(std::chrono::steady_clock::now()),
      listener_(ListenerOptions(options_)) {
  httplib::Server& s = listener_.server();
  s.set_payload_max_length(options_.max_request_body_bytes);

  s.Get("/metrics",
        [this](const httplib::Request&, httplib::Response& res) { Handlers::Metrics(*this, res); });
  s.Get("/health",
        [this](const httplib::Request&, httplib::Response& res) { Handlers::Health(*this, res); });
  s.Get("/ready",
        [this](const httplib::Request&, httplib::Response& res) { Handlers::Ready(*this, res); });
  auto admin = [this](const httplib::Request& req, httplib::Response& res) {
    std::shared_ptr<const AdminHandler> handler;
    {
      std::lock_guard lock(callbacks_mu_);
      for (const auto& [prefix, h] : admin_routes_) {
        if (req.path.compare(0, prefix.size(), prefix) == 0) {
          handler = h;
          break;
        }
      }
    }
    if (!handler) {
      SendJson(res, 404, {{"error", "not found"}, {"path", req.path}});
      return;
    }
    AdminResponse reply;
    try {
      reply = (*handler)(AdminRequest{req.method, req.path, req.body});
    } catch (const std::exception& e) {
      reply = {500, ordered_json{{"error", e.what()}}.dump()};
    }
    res.status = reply.status;
    res.set_content(reply.json + "\n", kJsonContentType);
    res.set_header("Cache-Control", "no-store");
  };
  s.Get("/admin/.*", admin);
  s.Post("/admin/.*", admin);
  s.set_pre_routing_handler([](const httplib::Request& req, httplib::Response& res) {
    if (req.method == "GET" || req.method == "HEAD" || !IsOpsPath(req.path)) {
      return httplib::Server::HandlerResponse::Unhandled;
    }
    res.set_header("Allow", "GET, HEAD");
    SendJson(res, 405, {{"error", "method not allowed"}, {"method", req.method}});
    return httplib::Server::HandlerResponse::Handled;
  });
  // httplib calls this for every status >= 400; it fills in a JSON body only
  // where no handler wrote one (unknown paths, oversized or bad requests).
  s.set_error_handler([](const httplib::Request& req, httplib::Response& res) {
    if (!res.body.empty()) return;
    if (res.status == 404) {
      SendJson(res, 404, {{"error", "not found"}, {"path", req.path}});
    } else {
      SendJson(res, res.status, {{"error", ErrorName(res.status)}});
    }
  });
}

OpsServer::~OpsServer() { Stop(); }

void OpsServer::SetMetricsCallback(MetricsCallback callback) {
  auto shared = std::make_shared<const MetricsCallback>(std::move(callback));
  std::lock_guard lock(callbacks_mu_);
  metrics_ = std::move(shared);
}

void OpsServer::SetReadinessCallback(ReadinessCallback callback) {
  auto shared = std::make_shared<const ReadinessCallback>(std::move(callback));
  std::lock_guard lock(callbacks_mu_);
  readiness_ = std::move(shared);
}

OpsServer::MetricsCallback OpsServer::metrics_callback() const {
  std::lock_guard lock(callbacks_mu_);
  return metrics_ ? *metrics_ : MetricsCallback();
}

OpsServer::ReadinessCallback OpsServer::readiness_callback() const {
  std::lock_guard lock(callbacks_mu_);
  return readiness_ ? *readiness_ : ReadinessCallback();
}

void OpsServer::AddAdminRoute(std::string prefix, AdminHandler handler) {
  auto shared = std::make_shared<const AdminHandler>(std::move(handler));
  std::lock_guard lock(callbacks_mu_);
  // A process that restarts a component on the same ops server replaces
  // its routes.
  for (auto& [p, h] : admin_routes_) {
    if (p == prefix) {
      h = std::move(shared);
      return;
    }
  }
  admin_routes_.emplace_back(std::move(prefix), std::move(shared));
}

void OpsServer::AddCheck(std::string name, HealthCheck check, std::chrono::milliseconds timeout) {
  health_.AddCheck(std::move(name), std::move(check), timeout);
}

std::string OpsServer::Start() {
  if (started_) return "ops server already started";
  started_ = true;
  return listener_.Start();
}

void OpsServer::Stop() { listener_.Stop(); }

int OpsServer::port() const { return listener_.port(); }

bool OpsServer::running() const { return listener_.running(); }

}  // namespace agenthub::ops
