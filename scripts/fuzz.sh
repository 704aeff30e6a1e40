#!/usr/bin/env bash
# Builds the libFuzzer targets (clang-19, AddressSanitizer + UBSan, a build
# directory of its own) and runs each for a bounded time; fails on the first
# crash, leak, timeout or sanitizer report. docs/testing.md.
#
# Usage: scripts/fuzz.sh [SECONDS_PER_TARGET] [BUILD_DIR] [TARGET...]
#   SECONDS_PER_TARGET  default 30
#   BUILD_DIR           default build-fuzz (scripts/test.sh passes its
#                       sanitizer build, which has the fuzz targets too)
#   TARGET              only these targets (names as in BUILD_DIR/fuzzers.txt)
# AUTOPASS_FUZZ_SEED (default 1): libFuzzer's -seed. A fixed seed makes the
#   run a check that can be repeated: a crash found in CI is found again with
#   the same seed and the same corpus (scripts/test.sh gives each run an empty
#   corpus directory). `random` lets libFuzzer pick one (exploratory fuzzing;
#   docs/testing.md).
# New inputs found go to AUTOPASS_FUZZ_WORK/TARGET/ (default
# BUILD_DIR/fuzz-corpus; the seeds in the source tree are read, never written); a crashing input is saved as
# BUILD_DIR/fuzz-artifacts/TARGET-crash-* and its path printed.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
seconds="${1:-30}"
build="${2:-$here/build-fuzz}"
shift $(( $# < 2 ? $# : 2 ))
only=("$@")
seed="${AUTOPASS_FUZZ_SEED:-1}"
case "$seed" in
  random) seed=0 ;;
  *) if ! [[ "$seed" =~ ^[1-9][0-9]{0,8}$ ]]; then
       echo "fuzz.sh: AUTOPASS_FUZZ_SEED must be 'random' or a whole number >= 1, got '$seed'" >&2
       exit 2
     fi ;;
esac
if ! [[ "$seconds" =~ ^[0-9]+$ ]] || [ "$seconds" -lt 1 ]; then
  echo "fuzz.sh: SECONDS_PER_TARGET must be a whole number >= 1, got '$seconds'" >&2
  exit 2
fi

bash "$here/scripts/setup.sh"
# shellcheck source=scripts/sanitize-build.sh
source "$here/scripts/sanitize-build.sh"
configure_sanitize_build "$here" "$build"

list="$build/fuzzers.txt"
mapfile -t targets < <(cut -f1 "$list")
if [ ${#only[@]} -gt 0 ]; then
  for t in "${only[@]}"; do
    if ! printf '%s\n' "${targets[@]}" | grep -qx -- "$t"; then
      echo "fuzz.sh: no fuzz target '$t'; known: ${targets[*]}" >&2
      exit 2
    fi
  done
  targets=("${only[@]}")
fi
cmake --build "$build" -j "$(nproc)" --target "${targets[@]}"

export_sanitizer_env
mkdir -p "$build/fuzz-artifacts"
failed=()
for t in "${targets[@]}"; do
  IFS=$'\t' read -r name exe seeds dict < <(awk -F'\t' -v n="$t" '$1 == n' "$list")
  work="${AUTOPASS_FUZZ_WORK:-$build/fuzz-corpus}/$name"
  mkdir -p "$work"
  args=(-seed="$seed" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536
        -print_final_stats=1 -artifact_prefix="$build/fuzz-artifacts/$name-")
  [ -n "$dict" ] && args+=(-dict="$dict")
  echo "fuzz.sh: $name for ${seconds}s, seed ${seed/#0/random} (seeds: ${seeds#"$here/"})"
  if ! "$exe" "${args[@]}" "$work" "$seeds" >"$build/fuzz-artifacts/$name.log" 2>&1; then
    echo "fuzz.sh: $name FAILED; log: $build/fuzz-artifacts/$name.log" >&2
    grep -E 'ERROR:|runtime error|fuzz invariant|Test unit written|SUMMARY' \
      "$build/fuzz-artifacts/$name.log" >&2 || true
    failed+=("$name")
    continue
  fi
  grep -E '^stat::number_of_executed_units|^stat::new_units_added' \
    "$build/fuzz-artifacts/$name.log" | tr '\n' ' ' | sed "s/^/fuzz.sh: $name ok: /"
  echo
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz.sh: crashes in ${failed[*]}: save the input as a regression (docs/testing.md)" >&2
  exit 1
fi
echo "fuzz.sh: ${#targets[@]} targets, ${seconds}s each, no crash"
