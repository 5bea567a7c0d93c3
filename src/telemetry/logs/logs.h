// agenthub::telemetry logs: structured logging correlated with traces, and
// export of the same records in the OpenTelemetry logs data model.
//
// This header is the logs front door; other folders include only it.
//
//   Logger(LoggerOptions)                 JSON or text lines with trace_id/span_id
//     sinks: MakeStderrSink/MakeFileSink  spdlog sinks, one whole line per write
//     processor: BatchLogRecordProcessor  LogRecordData to a LogRecordExporter
//   DefaultLogger()/SetDefaultLogger()    the process-wide logger
//   InstallDiagnosticsBridge(logger)      SDK warnings become log lines
//   ParseLogLevel/ParseLogFormat          --log-level / --log-format, LOG_LEVEL
#pragma once

#include "telemetry/logs/batch_log_record_processor.h"
#include "telemetry/logs/default_logger.h"
#include "telemetry/logs/in_memory_log_exporter.h"
#include "telemetry/logs/log_level.h"
#include "telemetry/logs/log_record.h"
#include "telemetry/logs/log_record_exporter.h"
#include "telemetry/logs/log_record_processor.h"
#include "telemetry/logs/log_sinks.h"
#include "telemetry/logs/logger.h"
