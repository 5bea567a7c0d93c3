#include "broker/dead_letter_admin.h"

#include <nlohmann/json.hpp>

#include "telemetry/telemetry.h"

namespace agenthub::broker {
namespace {

using nlohmann::ordered_json;

constexpr std::string_view kList = "/admin/dead-letters";
constexpr std::string_view kRedriveSuffix = "/redrive";

ops::AdminResponse Json(int status, const ordered_json& body) {
  return {status, body.dump(-1, ' ', false, ordered_json::error_handler_t::replace)};
}

ops::AdminResponse List(Router& router) {
  ordered_json items = ordered_json::array();
  for (const DeadLetter& d : router.DeadLetters()) {
    items.push_back({{"task_id", d.task_id},
                     {"task_type", d.task_type},
                     {"agent_id", d.agent_id},
                     {"requester", d.requester},
                     {"attempts", d.attempts},
                     {"reason", d.reason},
                     {"dead_at", telemetry::FormatRfc3339Nanos(d.at)}});
  }
  const size_t count = items.size();
  return Json(200, {{"count", count}, {"dead_letters", std::move(items)}});
}

ops::AdminResponse Handle(Router& router, const ops::AdminRequest& req) {
  const std::string_view path = req.path;
  if (path == kList || path == std::string(kList) + "/") {
    if (req.method != "GET") return Json(405, {{"error", "method not allowed"}});
    return List(router);
  }
  // /admin/dead-letters/{task_id}/redrive
  if (path.size() > kList.size() + 1 + kRedriveSuffix.size() && path[kList.size()] == '/' &&
      path.ends_with(kRedriveSuffix)) {
    if (req.method != "POST") return Json(405, {{"error", "method not allowed"}});
    const std::string task_id(
        path.substr(kList.size() + 1, path.size() - kList.size() - 1 - kRedriveSuffix.size()));
    switch (router.Redrive(task_id)) {
      case RedriveStatus::kOk:
        return Json(200, {{"task_id", task_id}, {"redriven", true}});
      case RedriveStatus::kNotFound:
        return Json(404, {{"error", "no dead letter for task " + task_id}});
      case RedriveStatus::kShuttingDown:
        return Json(503, {{"error", "broker is shutting down"}});
    }
  }
  return Json(404, {{"error", "not found"}, {"path", req.path}});
}

}  // namespace

void AddDeadLetterRoutes(ops::OpsServer& ops, std::weak_ptr<Router> router) {
  ops.AddAdminRoute(std::string(kList), [router](const ops::AdminRequest& req) {
    auto r = router.lock();
    if (!r) return Json(503, {{"error", "broker stopped"}});
    return Handle(*r, req);
  });
}

}  // namespace agenthub::broker
