#!/usr/bin/env bash
# Re-measure every budget-40 winner afresh: eval of the committed config against -O3, interleaved, pinned.
cd /work/main
T=/work/main/build-runs/tuner/autopass-tuner
for C in docs/results-data/budget40/configs/*.json; do
  B=$(basename $C .json); P=${B%%-*}; S=${B#*-}
  R=/work/runs/recheck/$B
  rm -rf $R
  OUT=$($T eval bench/$P/spec.json $C --objective cpu --run-dir $R --pin-cpu 1 --max-reps 24 --min-reps 8 2>&1 | grep -E 'speedup|rejected|error' | tail -1)
  echo "$P $S $OUT"
done
echo DONE
