#!/usr/bin/env bash
# Re-measures every winning configuration of this run afresh: `autopass-tuner eval` of the
# committed config against -O3 (CPU time, interleaved, pinned to CPU 1, 8-24 pairs).
# Output: one line per config, as in recheck.txt. Run from anywhere after building.
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../../.." && pwd)
T=${AUTOPASS_TUNER:-$ROOT/build/tuner/autopass-tuner}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/autopass-recheck-XXXXXX")
for C in "$HERE"/configs/*.json; do
  B=$(basename "$C" .json); P=${B%%-*}; S=${B#*-}
  OUT=$("$T" eval "$ROOT/bench/$P/spec.json" "$C" --objective cpu --run-dir "$WORK/$B" \
    --pin-cpu 1 --max-reps 24 --min-reps 8 2>&1 | grep -E 'speedup|rejected|error' | tail -1)
  echo "$P $S $OUT"
done
echo DONE
