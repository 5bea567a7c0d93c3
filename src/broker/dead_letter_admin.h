// The dead-letter list over the broker's ops port (docs/reference/
// configuration.md, "Dead letters"):
//
//   GET  /admin/dead-letters                    {"count":N,"dead_letters":[{"task_id",
//                                               "task_type","agent_id","requester",
//                                               "attempts","reason","dead_at"}]}
//   POST /admin/dead-letters/{task_id}/redrive  200 {"task_id","redriven":true};
//                                               404 when no such dead letter
#pragma once

#include <memory>

#include "broker/routing/router.h"
#include "ops/ops.h"

namespace agenthub::broker {

// Holds the router weakly: the ops server may outlive it.
void AddDeadLetterRoutes(ops::OpsServer& ops, std::weak_ptr<Router> router);

}  // namespace agenthub::broker
