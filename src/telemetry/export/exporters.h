// Front door of telemetry/export: the span exporters that need no network
// (console tree, JSON lines, in memory) and the OTLP/JSON encoding they and
// the OTLP/HTTP exporter share.
#pragma once

#include "telemetry/export/console_span_exporter.h"
#include "telemetry/export/in_memory_span_exporter.h"
#include "telemetry/export/jsonl_span_encoder.h"
#include "telemetry/export/jsonl_span_exporter.h"
