// Where the structured logger's lines go. Sinks are spdlog sinks, so any
// spdlog sink works; these factories make the ones AgentHub uses. Every sink
// takes its own lock per line, so lines from concurrent threads never
// interleave, and each line reaches the OS before the call returns (a crash
// loses no line already logged).
//
// The Logger formats lines itself and installs a pass-through formatter on
// every sink it is given: spdlog's pattern formatting is bypassed.
#pragma once

#include <iosfwd>
#include <memory>
#include <string>

namespace spdlog::sinks {
class sink;
}

namespace agenthub::telemetry {

using LogSinkPtr = std::shared_ptr<spdlog::sinks::sink>;

LogSinkPtr MakeStderrSink();
LogSinkPtr MakeStdoutSink();

// Appends to `path`, creating it and its directory when missing. Null, with
// the reason in *error when given, if the file cannot be opened.
LogSinkPtr MakeFileSink(const std::string& path, std::string* error = nullptr);

// Discards everything: for benchmarks and for processes that only export.
LogSinkPtr MakeNullSink();

// Writes to a caller-owned stream that must outlive the sink; for tests.
LogSinkPtr MakeOstreamSink(std::ostream& out);

namespace internal {
// Installs the pass-through formatter (payload written verbatim) on `sink`.
void UseRawLines(spdlog::sinks::sink& sink);
}  // namespace internal

}  // namespace agenthub::telemetry
