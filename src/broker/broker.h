// agenthub::broker, the front door of src/broker: the AgentHub broker, which
// routes tasks between agents over gRPC (eventbus.EventBus, wire-compatible
// with the original AgentHub) by the rules in README.md ("The broker").
//
//   BrokerServer     broker_server.h: the whole broker process minus flag
//                    parsing: gRPC server, routing core, deadline sweeper,
//                    readiness and health checks; graceful drain
//   Router           routing/router.h: the routing core's interface (the
//                    seam a cluster router plugs in behind)
//   LocalRouter      routing/local_router.h: the single-process routing core
//   EventBusService  service/event_bus_service.h: the gRPC service
//   Validate*        validation.h: what a well-formed request is
//
//   broker::BrokerOptions options{.port = 50051};
//   auto broker = broker::BrokerServer::Start(options, telemetry, &error);
#pragma once

#include "broker/broker_server.h"
#include "broker/routing/local_router.h"
#include "broker/routing/router.h"
#include "broker/service/event_bus_service.h"
#include "broker/validation.h"
