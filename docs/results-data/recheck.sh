#!/usr/bin/env bash
# Re-measures every winning configuration of one saved run afresh: `autopass-tuner eval` of
# each committed config against -O3 (CPU time, interleaved, pinned to CPU 1, 8-24 pairs).
#
#   docs/results-data/recheck.sh docs/results-data/budget40
#
# Output: one line per config, as in that directory's recheck.txt. Build first
# (AUTOPASS_TUNER selects the binary, default build/tuner/autopass-tuner).
set -uo pipefail
if [[ $# -ne 1 || ! -d "$1/configs" ]]; then
  sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'
  exit 2
fi
DATA=$(cd "$1" && pwd)
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
T=${AUTOPASS_TUNER:-$ROOT/build/tuner/autopass-tuner}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/autopass-recheck-XXXXXX")
for C in "$DATA"/configs/*.json; do
  B=$(basename "$C" .json); P=${B%%-*}; S=${B#*-}
  OUT=$("$T" eval "$ROOT/bench/$P/spec.json" "$C" --objective cpu --run-dir "$WORK/$B" \
    --pin-cpu 1 --max-reps 24 --min-reps 8 2>&1 | grep -E 'speedup|rejected|error' | tail -1)
  echo "$P $S $OUT"
done
echo DONE
