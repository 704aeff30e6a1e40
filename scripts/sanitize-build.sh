# Sourced by scripts/test.sh and scripts/fuzz.sh: configures the sanitizer
# and fuzzing build (docs/testing.md) in the directory given, the same way
# for both so that one build directory serves both scripts.
#
# -O0 and line tables only: what the sanitizers' reports need (file and
# line in every frame), and half the compile time of the default
# RelWithDebInfo -O2 -g, which counts in CI's cold build (docs/testing.md).
configure_sanitize_build() {
  local src="$1" dir="$2"
  shift 2
  local launcher=()
  if command -v ccache >/dev/null; then
    launcher=(-DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  fi
  cmake -S "$src" -B "$dir" -G Ninja \
    -DCMAKE_C_COMPILER=clang-19 -DCMAKE_CXX_COMPILER=clang++-19 \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    "-DCMAKE_C_FLAGS_RELWITHDEBINFO=-O0 -gline-tables-only -DNDEBUG" \
    "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O0 -gline-tables-only -DNDEBUG" \
    -DAUTOPASS_SANITIZE=address,undefined -DAUTOPASS_FUZZ=ON "${launcher[@]}" "$@" >/dev/null
}

# The environment the sanitizer build's tests and fuzzers run in: stack
# traces for UBSan reports, and LLVM 19's symbolizer (Debian installs it
# under a versioned name only) so that reports name files and lines.
export_sanitizer_env() {
  export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1}"
  if [ -z "${ASAN_SYMBOLIZER_PATH:-}" ] && [ -x /usr/lib/llvm-19/bin/llvm-symbolizer ]; then
    export ASAN_SYMBOLIZER_PATH=/usr/lib/llvm-19/bin/llvm-symbolizer
  fi
}
