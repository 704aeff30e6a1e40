#!/usr/bin/env bash
# Runs every AutoPass test (docs/testing.md): installs what is missing, then
#  1. the normal build (g++) and ctest: Catch2 unit tests, the lit suite,
#     the CLI and autopass-cc tests;
#  2. the sanitizer build (clang-19, AddressSanitizer + UBSan, libFuzzer
#     instrumentation) and ctest there: the tuner's and the plugin's unit
#     tests, the lit suite (instrumented plugin in opt and clang) and the
#     autopass-cc tests under the sanitizers;
#  3. scripts/fuzz.sh: every fuzz target for AUTOPASS_FUZZ_SECONDS (10) each,
#     with a fixed seed (AUTOPASS_FUZZ_SEED, 1) from the seed corpus alone, so
#     that a crash CI finds is found again by the same command here.
# Usage: scripts/test.sh [BUILD_DIR]   (the sanitizer build is BUILD_DIR-sanitize)
# AUTOPASS_TEST_SANITIZE=0 skips steps 2 and 3 (a developer's quick run; CI
# runs all three). docs/testing.md has what each stage costs.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${1:-$here/build}"
sanitize_build="${build}-sanitize"
fuzz_seconds="${AUTOPASS_FUZZ_SECONDS:-10}"
jobs="$(nproc)"
start=$SECONDS
stamp() { echo "test.sh: $1 ($(( SECONDS - start )) s so far)"; }

# --cross aarch64: the cross-aarch64 ctest builds for AArch64 and runs under
# qemu; --ssh and --slurm: the ssh-runner and slurm-local ctests start sshd
# and a Slurm of their own on 127.0.0.1.
bash "$here/scripts/setup.sh" --cross aarch64 --ssh --slurm
launcher=()
if command -v ccache >/dev/null; then
  launcher=(-DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
fi

cmake -S "$here" -B "$build" -G Ninja -DAUTOPASS_WERROR=ON "${launcher[@]}" >/dev/null
cmake --build "$build" -j "$jobs"
stamp "normal build: built"
(cd "$build" && ctest --output-on-failure -j "$jobs")
stamp "normal build: all tests passed"

case "${AUTOPASS_TEST_SANITIZE:-1}" in
  0) echo "test.sh: sanitizer build and fuzzers skipped (AUTOPASS_TEST_SANITIZE=0)"
     exit 0 ;;
  1) ;;
  *) echo "test.sh: AUTOPASS_TEST_SANITIZE must be 0 or 1, got '$AUTOPASS_TEST_SANITIZE'" >&2
     exit 2 ;;
esac

# The sanitizer build: see docs/testing.md for what is instrumented, and
# scripts/sanitize-build.sh for its flags.
# shellcheck source=scripts/sanitize-build.sh
source "$here/scripts/sanitize-build.sh"
# The [slow] unit tests (whole tune runs, minutes each under ASan) are left
# out here to keep CI under its 30-minute target with the LLVM 22 stage;
# AUTOPASS_SANITIZE_TEST_SPEC='' runs them all (any other value: that Catch2
# test spec). The rest runs as two ctest tests side by side.
if [ -n "${AUTOPASS_SANITIZE_TEST_SPEC+set}" ]; then
  sanitize_shards="all=$AUTOPASS_SANITIZE_TEST_SPEC"
else
  sanitize_shards="project=[project]~[slow];rest=~[slow]~[project]"
fi
configure_sanitize_build "$here" "$sanitize_build" \
  "-DAUTOPASS_UNIT_TEST_SHARDS=$sanitize_shards"
cmake --build "$sanitize_build" -j "$jobs"
stamp "sanitizer build: built"
export_sanitizer_env
(cd "$sanitize_build" &&
  ctest --output-on-failure -j "$jobs" -R '^(unit-tests-|plugin-unit-tests|lit|cc-)')
stamp "sanitizer build: tests passed"

# A fresh corpus directory each time: the run depends only on the seed, the
# seeds in the source tree and the code (and how fast the machine is).
rm -rf "$sanitize_build/fuzz-corpus-check"
AUTOPASS_FUZZ_WORK="$sanitize_build/fuzz-corpus-check" \
  bash "$here/scripts/fuzz.sh" "$fuzz_seconds" "$sanitize_build"
stamp "all tests passed"
