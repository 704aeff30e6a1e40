# Sanitizer and fuzzing builds (docs/testing.md).
#
#   -DAUTOPASS_SANITIZE=address,undefined
#       instruments the tuner (autopass_core, autopass-tuner, autopass-cc),
#       its unit tests and the plugin's unit tests; any report fails the
#       process (-fno-sanitize-recover=all). The plugin module itself stays
#       uninstrumented: it is loaded by the installed, uninstrumented opt and
#       clang, which cannot host a sanitizer runtime they were not linked
#       with. Its configuration reader is instrumented through the plugin
#       unit tests and the plugin fuzz target.
#   -DAUTOPASS_FUZZ=ON   (clang only)
#       adds libFuzzer's coverage instrumentation to the same code and builds
#       the fuzz targets of tuner/fuzz and plugin/fuzz; implies
#       AUTOPASS_SANITIZE=address,undefined when that is empty.
#
# autopass_sanitize(TARGET) applies the flags to one target; the CMake files
# call it for every target listed above.

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
if(AUTOPASS_FUZZ)
  list(APPEND AUTOPASS_SANITIZE_COMPILE_FLAGS -fsanitize=fuzzer-no-link)
endif()

function(autopass_sanitize target)
  if(AUTOPASS_SANITIZE_COMPILE_FLAGS)
    target_compile_options(${target} PRIVATE ${AUTOPASS_SANITIZE_COMPILE_FLAGS})
  endif()
  if(AUTOPASS_SANITIZE_LINK_FLAGS)
    target_link_options(${target} PRIVATE ${AUTOPASS_SANITIZE_LINK_FLAGS})
  endif()
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
