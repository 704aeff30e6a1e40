#!/usr/bin/env bash
# Runs every AutoPass test (docs/testing.md): installs what is missing, then
#  1. the normal build (g++) and ctest: Catch2 unit tests, the lit suite,
#     the CLI and autopass-cc tests;
#  2. the sanitizer build (clang-19, AddressSanitizer + UBSan, libFuzzer
#     instrumentation) and ctest there: the tuner's and the plugin's unit
#     tests and the autopass-cc tests under the sanitizers;
#  3. scripts/fuzz.sh: every fuzz target for AUTOPASS_FUZZ_SECONDS (30) each.
# Usage: scripts/test.sh [BUILD_DIR]   (the sanitizer build is BUILD_DIR-sanitize)
# Steps 2 and 3 run with AUTOPASS_TEST_SANITIZE=1. They are not on by default
# yet: the sanitizer-built unit tests have not had a complete run on the
# 2-core machine, so their time and their verdict are not known (issue 14).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${1:-$here/build}"
sanitize_build="${build}-sanitize"
fuzz_seconds="${AUTOPASS_FUZZ_SECONDS:-30}"
jobs="$(nproc)"
start=$SECONDS
stamp() { echo "test.sh: $1 ($(( SECONDS - start )) s so far)"; }

bash "$here/scripts/setup.sh"
launcher=()
if command -v ccache >/dev/null; then
  launcher=(-DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
fi

cmake -S "$here" -B "$build" -G Ninja -DAUTOPASS_WERROR=ON "${launcher[@]}" >/dev/null
cmake --build "$build" -j "$jobs"
(cd "$build" && ctest --output-on-failure -j "$jobs")
stamp "normal build: all tests passed"

if [ "${AUTOPASS_TEST_SANITIZE:-0}" != 1 ]; then
  echo "test.sh: sanitizer build and fuzzers skipped (AUTOPASS_TEST_SANITIZE=1 runs them)"
  exit 0
fi

# The sanitizer build: see docs/testing.md for what is instrumented and why
# the plugin loaded by opt/clang (the lit suite) is not.
cmake -S "$here" -B "$sanitize_build" -G Ninja \
  -DCMAKE_C_COMPILER=clang-19 -DCMAKE_CXX_COMPILER=clang++-19 \
  -DAUTOPASS_SANITIZE=address,undefined -DAUTOPASS_FUZZ=ON "${launcher[@]}" >/dev/null
cmake --build "$sanitize_build" -j "$jobs"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1}"
(cd "$sanitize_build" &&
  ctest --output-on-failure -j "$jobs" -R '^(unit-tests|plugin-unit-tests|cc-)')
stamp "sanitizer build: unit tests passed"

bash "$here/scripts/fuzz.sh" "$fuzz_seconds" "$sanitize_build"
stamp "all tests passed"
