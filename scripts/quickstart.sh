#!/usr/bin/env bash
# The main job on an embedded default: builds AutoPass, then tunes a quick
# subset of bench/ (bench/quick.json) with the offline expert agent and prints
# the table of confirmed speedups over clang -O3 and where the report is.
# Needs no network and no LLM key. Usage: scripts/quickstart.sh [BUILD_DIR]
# Extra tuner options can be passed in AUTOPASS_QUICKSTART_ARGS.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${1:-$here/build}"
bash "$here/scripts/setup.sh"
echo "== building AutoPass in $build" >&2
cmake -S "$here" -B "$build" -G Ninja >/dev/null
cmake --build "$build" -j "$(nproc)" --target autopass-tuner AutoPassPlugin
run="$here/autopass-runs/quickstart-$(date +%Y%m%d-%H%M%S)"
echo "== tuning bench/quick.json with the expert agent (run directory: $run)" >&2
# A small budget so the demo stays under ten minutes on two cores; the
# figures in the README come from the full suite (see docs/results.md).
# shellcheck disable=SC2086
"$build/tuner/autopass-tuner" suite "$here/bench/quick.json" \
  --strategies expert --budget 6 --time-budget 45 --max-reps 12 \
  --confirm-reps 8 --run-dir "$run" ${AUTOPASS_QUICKSTART_ARGS:-}
