// Termination signals of long-running subcommands, received synchronously:
// the main thread blocks SIGINT and SIGTERM before starting any thread and
// then waits for one, so shutdown runs as ordinary code, never inside a
// signal handler.
#pragma once

namespace agenthub::cli {

// Blocks SIGINT and SIGTERM in the calling thread (and threads started
// later), so WaitForTerminationSignal can receive them synchronously.
void BlockTerminationSignals();
// Waits for SIGINT or SIGTERM; returns its number.
int WaitForTerminationSignal();

}  // namespace agenthub::cli
