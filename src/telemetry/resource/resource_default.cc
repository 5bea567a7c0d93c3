// Resource::Default(): the attributes the SDK provides on its own (the
// semantic conventions' "SDK-provided default" service.name and telemetry.sdk.*,
// plus what a process can cheaply learn about itself: host and process).
//
// Computed on every call rather than cached: a forked child must report its
// own pid, and the call is a handful of system calls made at startup.
#include <errno.h>  // program_invocation_short_name (GNU)
#include <unistd.h>

#include <filesystem>
#include <string>
#include <string_view>
#include <system_error>

#include "telemetry/common/env.h"
#include "telemetry/resource/resource.h"

namespace agenthub::telemetry {
namespace {

// The lead may wire this to the project version; the SDK's own version and
// the product's are the same number today.
constexpr const char* kSdkVersion = "0.1.0";

// C++ has no runtime in the JVM sense; the compiler that built the process
// is what tells two otherwise identical binaries apart.
#if defined(__clang__)
constexpr const char* kRuntimeName = "clang";
constexpr const char* kRuntimeVersion = __clang_version__;
#elif defined(__GNUC__)
constexpr const char* kRuntimeName = "gcc";
constexpr const char* kRuntimeVersion = __VERSION__;
#else
constexpr const char* kRuntimeName = "unknown";
constexpr const char* kRuntimeVersion = "";
#endif

// The base name of /proc/self/exe, as the semantic conventions ask on Linux;
// the name the process was invoked by when /proc is not mounted.
std::string ExecutableName() {
  std::error_code error;
  const std::filesystem::path path = std::filesystem::read_symlink("/proc/self/exe", error);
  if (!error) {
    std::string name = path.filename().string();
    // The kernel appends this when the binary was replaced while running.
    constexpr std::string_view kDeleted = " (deleted)";
    if (name.size() > kDeleted.size() && name.ends_with(kDeleted)) {
      name.resize(name.size() - kDeleted.size());
    }
    if (!name.empty()) return name;
  }
  return program_invocation_short_name != nullptr ? program_invocation_short_name : "";
}

std::string HostName() {
  char buffer[256] = {};  // HOST_NAME_MAX is 64 on Linux
  if (gethostname(buffer, sizeof(buffer) - 1) != 0) return {};
  return buffer;
}

}  // namespace

Resource Resource::Default() {
  const std::string executable = ExecutableName();
  Attributes attributes;
  attributes.emplace_back("service.name", executable.empty() ? std::string("unknown_service")
                                                             : "unknown_service:" + executable);
  attributes.emplace_back("telemetry.sdk.name", "agenthub");
  attributes.emplace_back("telemetry.sdk.language", "cpp");
  attributes.emplace_back("telemetry.sdk.version", kSdkVersion);
  if (std::string host = HostName(); !host.empty()) {
    attributes.emplace_back("host.name", std::move(host));
  }
  attributes.emplace_back("process.pid", static_cast<int64_t>(getpid()));
  if (!executable.empty()) attributes.emplace_back("process.executable.name", executable);
  attributes.emplace_back("process.runtime.name", kRuntimeName);
  attributes.emplace_back("process.runtime.version", TrimSpaces(kRuntimeVersion));
  return Resource(std::move(attributes));
}

}  // namespace agenthub::telemetry
