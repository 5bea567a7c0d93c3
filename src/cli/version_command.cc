#include <iostream>

#include "agenthub/version.h"
#include "cli/commands.h"

namespace agenthub::cli {

void RegisterVersionCommand(CLI::App& app, int* exit_code) {
  auto* cmd = app.add_subcommand("version", "Print version, git commit and build type");
  cmd->callback([exit_code] {
    std::cout << "agenthub " << kVersion << " (commit " << kGitCommit << ", " << kBuildType
              << " build";
    if (kSanitizers[0] != '\0') std::cout << ", sanitizers " << kSanitizers;
    std::cout << ")\n";
    *exit_code = 0;
  });
}

}  // namespace agenthub::cli
