// Waiting for something another thread or process does. Tests never assert
// on time: the timeout only bounds how long a broken build waits, so it is
// generous, and the poll interval is short so a passing test stays fast.
#pragma once

#include <chrono>
#include <functional>
#include <thread>

namespace agenthub::test_support {

// Polls `done` until it holds or `timeout` passes; the last look decides.
inline bool WaitFor(const std::function<bool()>& done,
                    std::chrono::milliseconds timeout = std::chrono::seconds(20)) {
  const auto until = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < until) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return done();
}

}  // namespace agenthub::test_support
