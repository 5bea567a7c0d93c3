# Compiler settings shared by every target we write ourselves.

if(AGENTHUB_SANITIZE)
  string(REPLACE "," ";" _agenthub_sanitizers "${AGENTHUB_SANITIZE}")
  foreach(_s IN LISTS _agenthub_sanitizers)
    if(NOT _s MATCHES "^(address|undefined|thread|leak)$")
      message(FATAL_ERROR "AGENTHUB_SANITIZE: unknown sanitizer '${_s}' (use address,undefined or thread)")
    endif()
  endforeach()
  # Applied globally so generated code and our code agree on instrumentation.
  add_compile_options(-fsanitize=${AGENTHUB_SANITIZE} -fno-omit-frame-pointer -fno-sanitize-recover=all)
  add_link_options(-fsanitize=${AGENTHUB_SANITIZE})
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    # GCC 12 with sanitizer instrumentation reports "may be used
    # uninitialized" inside libstdc++'s std::regex and std::function (seen
    # in logger_test); the instrumentation confuses its flow analysis.
    add_compile_options(-Wno-maybe-uninitialized)
  endif()
  if(AGENTHUB_SANITIZE MATCHES "thread")
    # Debian's protobuf and Abseil were compiled without TSan, and their
    # headers change class layouts when __SANITIZE_THREAD__ is defined
    # (protobuf's MapFieldBase gains two counters): our instrumented code
    # would then disagree with the libraries about object sizes and crash
    # in google.protobuf.Struct's map. The headers must see the libraries'
    # own configuration; the instrumentation itself does not need the macro.
    add_compile_options(-U__SANITIZE_THREAD__)
  endif()
endif()

# agenthub_defaults(<target>): warnings as errors and the src/ include root.
function(agenthub_defaults target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Werror -Wno-missing-field-initializers)
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    # GCC 12 at -O3 reports impossible std::string memcpy overlaps
    # (GCC bug 105329); the warning is wrong, not our code.
    target_compile_options(${target} PRIVATE -Wno-restrict)
  endif()
  target_include_directories(${target} PUBLIC ${PROJECT_SOURCE_DIR}/src)
endfunction()

# agenthub_library(<name> <glob-dir> DEPS ...): a static library from every .cc
# in one folder, so adding a file needs no CMake edit.
function(agenthub_library name dir)
  cmake_parse_arguments(ARG "" "" "DEPS" ${ARGN})
  file(GLOB _srcs CONFIGURE_DEPENDS ${dir}/*.cc)
  if(NOT _srcs)
    # A folder still being written: an empty library keeps the build going.
    set(_srcs ${PROJECT_SOURCE_DIR}/cmake/empty.cc)
  endif()
  add_library(${name} STATIC ${_srcs})
  agenthub_defaults(${name})
  target_link_libraries(${name} PUBLIC ${ARG_DEPS})
endfunction()
