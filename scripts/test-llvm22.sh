#!/usr/bin/env bash
# The LLVM 22 stage of CI (docs/llvm-versions.md), run after scripts/test.sh
# (which tests the default, LLVM 19). Kept lean so both fit CI's budget:
#  1. installs the LLVM 22 packages (scripts/setup.sh --llvm 22);
#  2. builds the plugin, the tuner and their tests against LLVM 22;
#  3. runs the lit suite (the plugin in LLVM 22's opt and clang), the
#     plugin's unit tests and the tuner's unit tests that are not [slow].
# The [slow] tests (whole tuning runs, measured builds of bench programs) and
# the autopass-cc install tests run in the LLVM 19 stage only; they drive the
# same code through a different tool directory.
# Usage: scripts/test-llvm22.sh [BUILD_DIR]   (default: build-llvm22)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${1:-$here/build-llvm22}"
llvm_dir=/usr/lib/llvm-22/lib/cmake/llvm
jobs="$(nproc)"
start=$SECONDS
stamp() { echo "test-llvm22.sh: $1 ($(( SECONDS - start )) s so far)"; }

bash "$here/scripts/setup.sh" --llvm 22
launcher=()
if command -v ccache >/dev/null; then
  launcher=(-DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
fi

# -O0 without debug info: this build only runs the tests, and compiling the
# tuner a third time (after the normal and the sanitizer builds) at -O2 -g
# would cost CI about 40% more here (docs/testing.md, "Time").
cmake -S "$here" -B "$build" -G Ninja -DAUTOPASS_WERROR=ON -DLLVM_DIR="$llvm_dir" \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo "-DAUTOPASS_UNIT_TEST_SHARDS=fast=~[slow]" \
  "-DCMAKE_C_FLAGS_RELWITHDEBINFO=-O0 -DNDEBUG" "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O0 -DNDEBUG" \
  "${launcher[@]}" >/dev/null
cmake --build "$build" -j "$jobs" --target AutoPassPlugin autopass-plugin-unit-tests \
  autopass-unit-tests
stamp "LLVM 22 build done"

(cd "$build" &&
  ctest --output-on-failure -j "$jobs" -R '^(lit|plugin-unit-tests|unit-tests-fast)$')
stamp "LLVM 22 lit suite, plugin unit tests and unit tests (not [slow]) passed"
