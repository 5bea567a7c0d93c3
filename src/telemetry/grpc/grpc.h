// Front door of agenthub_telemetry_grpc: carrying trace context through gRPC
// request metadata and through protobuf Structs inside AgentHub messages.
#pragma once

#include "telemetry/grpc/metadata_carrier.h"
#include "telemetry/grpc/struct_carrier.h"
