// Routes protobuf's own log messages into the process's structured logger.
//
// protobuf writes to stderr directly, once per event: a client sending
// strings that are not UTF-8 makes it print "String field ... contains
// invalid UTF-8 data when parsing" for every request, past our log format
// and our per-message rate limit. Bridged, those become WARN lines of the
// default logger (component="protobuf"), rate-limited like any other.
#pragma once

namespace agenthub::runtime {

// Process-wide; idempotent. Lines go to DefaultLogger() at the time of
// each message.
void InstallProtobufLogBridge();

}  // namespace agenthub::runtime
