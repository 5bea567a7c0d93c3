// Shared by every fuzz target: how an invariant reports that it broke.
//
// A broken invariant must look like a crash to whoever runs the target:
// libFuzzer then saves the input, and the replay driver (replay_main.cc)
// names the input that caused it. abort() does that in both.
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#define FUZZ_CHECK(condition)                                                 \
  do {                                                                        \
    if (!(condition)) ::agenthub::fuzz::Fail(#condition, __FILE__, __LINE__); \
  } while (false)

namespace agenthub::fuzz {

[[noreturn]] inline void Fail(const char* condition, const char* file, int line) {
  std::fprintf(stderr, "%s:%d: fuzz invariant failed: %s\n", file, line, condition);
  std::abort();
}

inline std::string_view AsView(const uint8_t* data, size_t size) {
  return std::string_view(reinterpret_cast<const char*>(data), size);
}

}  // namespace agenthub::fuzz
