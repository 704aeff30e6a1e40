# Sanitizer and fuzzing builds (docs/testing.md).
#
#   -DAUTOPASS_SANITIZE=address,undefined
#       instruments the tuner (autopass_core, autopass-tuner, autopass-cc),
#       its unit tests and the plugin's unit tests; any report fails the
#       process (-fno-sanitize-recover=all). The plugin module the tuner
#       loads (libAutoPassPlugin.so) stays uninstrumented: the tuner starts
#       the installed, uninstrumented opt and clang, which cannot host a
#       sanitizer runtime they were not linked with. With clang and
#       `address` in the list, an instrumented twin of the module,
#       libAutoPassPluginSanitized.so, is built against the shared ASan
#       runtime (-shared-libasan) for the lit suite, which preloads that
#       runtime into its opt and clang invocations only
#       (AUTOPASS_ASAN_RUNTIME, lit-tests/lit.cfg.py).
#   -DAUTOPASS_FUZZ=ON   (clang only)
#       adds libFuzzer's coverage instrumentation to the same code and builds
#       the fuzz targets of tuner/fuzz and plugin/fuzz; implies
#       AUTOPASS_SANITIZE=address,undefined when that is empty.
#
# autopass_sanitize(TARGET) applies the flags to one target; the CMake files
# call it for every target listed above. autopass_sanitize_module(TARGET)
# instruments a module loaded by an uninstrumented host.

set(AUTOPASS_SANITIZE "" CACHE STRING
  "Sanitizers for the tuner and the unit tests, e.g. address,undefined (empty: none)")
option(AUTOPASS_FUZZ "Build the libFuzzer targets (needs clang)" OFF)

if(AUTOPASS_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "AUTOPASS_FUZZ=ON needs clang as the C++ compiler (libFuzzer); "
      "found ${CMAKE_CXX_COMPILER_ID} ${CMAKE_CXX_COMPILER}. Configure a separate build "
      "directory with -DCMAKE_CXX_COMPILER=clang++-19 -DCMAKE_C_COMPILER=clang-19 "
      "(scripts/fuzz.sh does)")
  endif()
  if(AUTOPASS_SANITIZE STREQUAL "")
    set(AUTOPASS_SANITIZE "address,undefined" CACHE STRING
      "Sanitizers for the tuner and the unit tests, e.g. address,undefined (empty: none)" FORCE)
  endif()
endif()

set(AUTOPASS_SANITIZE_COMPILE_FLAGS)
set(AUTOPASS_SANITIZE_LINK_FLAGS)
if(NOT AUTOPASS_SANITIZE STREQUAL "")
  if(NOT AUTOPASS_SANITIZE MATCHES "^[a-z,]+$")
    message(FATAL_ERROR "AUTOPASS_SANITIZE=${AUTOPASS_SANITIZE}: expected a comma-separated "
      "list of sanitizer names, e.g. address,undefined")
  endif()
  message(STATUS "AutoPass: sanitizers ${AUTOPASS_SANITIZE}")
  set(AUTOPASS_SANITIZE_COMPILE_FLAGS -fsanitize=${AUTOPASS_SANITIZE}
      -fno-sanitize-recover=all -fno-omit-frame-pointer)
  set(AUTOPASS_SANITIZE_LINK_FLAGS -fsanitize=${AUTOPASS_SANITIZE} -fno-sanitize-recover=all)
  # Third-party headers UBSan must not check (see the file).
  if(CMAKE_CXX_COMPILER_ID STREQUAL "Clang" AND AUTOPASS_SANITIZE MATCHES "undefined")
    list(APPEND AUTOPASS_SANITIZE_COMPILE_FLAGS
      -fsanitize-ignorelist=${PROJECT_SOURCE_DIR}/cmake/ubsan-ignorelist.txt)
  endif()
endif()
# The flags of a module loaded by an uninstrumented host: no coverage
# instrumentation (nothing fuzzes the host), the shared runtime the host
# gets preloaded, and -z nodelete so that the module's code stays mapped
# after the host unloads it at exit, when LeakSanitizer symbolizes the
# stacks of the leaks it found.
set(AUTOPASS_SANITIZE_MODULE_COMPILE_FLAGS ${AUTOPASS_SANITIZE_COMPILE_FLAGS})
set(AUTOPASS_SANITIZE_MODULE_LINK_FLAGS ${AUTOPASS_SANITIZE_LINK_FLAGS}
    -shared-libasan -Wl,-z,nodelete)
if(AUTOPASS_FUZZ)
  list(APPEND AUTOPASS_SANITIZE_COMPILE_FLAGS -fsanitize=fuzzer-no-link)
endif()

# AUTOPASS_ASAN_RUNTIME: the shared ASan runtime (it holds UBSan's too) that
# the lit suite preloads into opt and clang; empty when the plugin module
# has no instrumented twin in this build (no ASan, or not clang).
set(AUTOPASS_ASAN_RUNTIME "")
if(CMAKE_CXX_COMPILER_ID STREQUAL "Clang" AND AUTOPASS_SANITIZE MATCHES "(^|,)address(,|$)")
  foreach(name libclang_rt.asan-${CMAKE_SYSTEM_PROCESSOR}.so libclang_rt.asan.so)
    execute_process(COMMAND ${CMAKE_CXX_COMPILER} -print-file-name=${name}
                    OUTPUT_VARIABLE runtime OUTPUT_STRIP_TRAILING_WHITESPACE)
    if(IS_ABSOLUTE "${runtime}" AND EXISTS "${runtime}")
      set(AUTOPASS_ASAN_RUNTIME "${runtime}")
      break()
    endif()
  endforeach()
  if(NOT AUTOPASS_ASAN_RUNTIME)
    message(FATAL_ERROR "AUTOPASS_SANITIZE=${AUTOPASS_SANITIZE}: ${CMAKE_CXX_COMPILER} "
      "has no shared AddressSanitizer runtime (libclang_rt.asan-${CMAKE_SYSTEM_PROCESSOR}.so); "
      "install libclang-rt-19-dev (scripts/setup.sh)")
  endif()
  message(STATUS "AutoPass: lit suite preloads ${AUTOPASS_ASAN_RUNTIME} into opt and clang")
elseif(NOT AUTOPASS_SANITIZE STREQUAL "")
  message(STATUS "AutoPass: the plugin module stays uninstrumented "
    "(an instrumented twin for the lit suite needs clang and address)")
endif()

function(autopass_sanitize target)
  if(AUTOPASS_SANITIZE_COMPILE_FLAGS)
    target_compile_options(${target} PRIVATE ${AUTOPASS_SANITIZE_COMPILE_FLAGS})
  endif()
  if(AUTOPASS_SANITIZE_LINK_FLAGS)
    target_link_options(${target} PRIVATE ${AUTOPASS_SANITIZE_LINK_FLAGS})
  endif()
endfunction()

function(autopass_sanitize_module target)
  target_compile_options(${target} PRIVATE ${AUTOPASS_SANITIZE_MODULE_COMPILE_FLAGS})
  target_link_options(${target} PRIVATE ${AUTOPASS_SANITIZE_MODULE_LINK_FLAGS})
endfunction()

# autopass_add_fuzzer(NAME SOURCES... LIBS ...): one libFuzzer executable,
# its seed corpus (corpus/NAME/) and dictionary (NAME.dict) next to its source.
function(autopass_add_fuzzer name)
  cmake_parse_arguments(F "" "" "SOURCES;LIBS" ${ARGN})
  add_executable(${name} ${F_SOURCES})
  autopass_sanitize(${name})
  target_compile_options(${name} PRIVATE ${AUTOPASS_WARNINGS})
  target_link_options(${name} PRIVATE -fsanitize=fuzzer)
  target_link_libraries(${name} PRIVATE ${F_LIBS})
  set(dict "${CMAKE_CURRENT_SOURCE_DIR}/${name}.dict")
  if(NOT EXISTS "${dict}")
    set(dict "")
  endif()
  set_property(GLOBAL APPEND PROPERTY AUTOPASS_FUZZERS
    "${name}\t$<TARGET_FILE:${name}>\t${CMAKE_CURRENT_SOURCE_DIR}/corpus/${name}\t${dict}")
endfunction()

# fuzzers.txt in the build directory: one line per fuzz target, tab
# separated: name, executable, seed corpus directory, dictionary (or empty).
# scripts/fuzz.sh reads it.
function(autopass_write_fuzzer_list)
  get_property(fuzzers GLOBAL PROPERTY AUTOPASS_FUZZERS)
  list(JOIN fuzzers "\n" lines)
  file(GENERATE OUTPUT "${CMAKE_BINARY_DIR}/fuzzers.txt" CONTENT "${lines}\n")
endfunction()
