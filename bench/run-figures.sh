#!/usr/bin/env bash
# Runs the suite figures the way docs/results.md reports them: bench/suite.json
# split into two halves, each half in its own `autopass-tuner suite` process
# pinned to one core (taskset), both writing into one run directory; then one
# `suite --resume` over every program reads all finished cells back and prints
# the whole table (nothing is measured again).
#
#   bench/run-figures.sh RUN_DIR [suite options...]
#
# e.g. bench/run-figures.sh /tmp/bench30 --strategies expert,random,ensemble \
#        --budget 30 --objective cpu --max-reps 8 --confirm-reps 8 --skip-identical --pgo
#
# AUTOPASS_TUNER selects the binary (default: build/tuner/autopass-tuner).
# On a machine with one core the halves run one after the other.
set -euo pipefail

if [[ $# -lt 1 || "$1" == -* ]]; then
  sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'
  exit 2
fi
RUN_DIR=$1
shift
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
TUNER=${AUTOPASS_TUNER:-$ROOT/build/tuner/autopass-tuner}
[[ -x "$TUNER" ]] || { echo "run-figures: $TUNER not found (build first)" >&2; exit 1; }
SUITE=$HERE/suite.json
mkdir -p "$RUN_DIR"

FIRST=matmul,lu,stencil2d,editdist,knapsack,sort,hashtable,graph,strmatch
SECOND=lz77,stackvm,nbody,spmv,fft,imgfilter,sha256,raytrace,exprtree
# --resume on both halves: a fresh pair starts, a finished one is read back,
# an interrupted one continues from its journal.
if [[ $(nproc) -ge 2 ]]; then
  taskset -c 0 "$TUNER" suite "$SUITE" --jobs 1 --run-dir "$RUN_DIR" --resume \
    --only "$FIRST" "$@" >"$RUN_DIR/first-half.log" 2>&1 &
  A=$!
  taskset -c 1 "$TUNER" suite "$SUITE" --jobs 1 --run-dir "$RUN_DIR" --resume \
    --only "$SECOND" "$@" >"$RUN_DIR/second-half.log" 2>&1 &
  B=$!
  STATUS=0
  wait $A || STATUS=$?
  wait $B || STATUS=$?
  [[ $STATUS -eq 0 ]] || { echo "run-figures: a half failed; see $RUN_DIR/*-half.log" >&2; exit 1; }
else
  "$TUNER" suite "$SUITE" --run-dir "$RUN_DIR" --resume "$@"
fi
# The whole table, every cell read back from the two halves.
"$TUNER" suite "$SUITE" --run-dir "$RUN_DIR" --resume --quiet "$@"
