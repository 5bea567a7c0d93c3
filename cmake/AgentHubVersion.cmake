# Generates version.h with the project version, git commit and build type.
# The commit is read at configure time; `make build` re-runs configure cheaply.
execute_process(
  COMMAND git rev-parse --short=12 HEAD
  WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}
  OUTPUT_VARIABLE AGENTHUB_GIT_COMMIT
  OUTPUT_STRIP_TRAILING_WHITESPACE
  ERROR_QUIET)
if(NOT AGENTHUB_GIT_COMMIT)
  set(AGENTHUB_GIT_COMMIT "unknown")
endif()
configure_file(${PROJECT_SOURCE_DIR}/cmake/version.h.in ${PROJECT_BINARY_DIR}/generated/agenthub/version.h @ONLY)
