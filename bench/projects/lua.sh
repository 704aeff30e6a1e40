#!/usr/bin/env bash
# Tunes the Lua interpreter as its own makefile builds it, through autopass-cc
# (issue 16's scale figures; docs/tuning-a-cmake-project.md explains the steps).
#
# Usage: bench/projects/lua.sh LUA_CHECKOUT WORK_DIR [BUDGET] [STRATEGY]
#   LUA_CHECKOUT  a clone of https://github.com/lua/lua (its code is never
#                 committed here); the script builds in it (make clean first)
#   WORK_DIR      compile database, spec, run directories and timings.txt
# Environment: AUTOPASS_BUILD (default: ./build of this checkout), CLANG.
#
# Prints and writes to WORK_DIR/timings.txt: the compile database's units, the
# plain build's time, evidence time, the baseline build, then the tuning run
# (every evaluation's build time, full and incremental, from the journal).
set -euo pipefail
[ $# -ge 2 ] || { sed -n 2,14p "$0"; exit 2; }
LUA=$(realpath "$1") WORK=$(mkdir -p "$2" && realpath "$2")
BUDGET=${3:-8} STRATEGY=${4:-random}
HERE=$(cd "$(dirname "$0")" && pwd)
BUILD=${AUTOPASS_BUILD:-$HERE/../../build}
TUNER=$BUILD/tuner/autopass-tuner CCWRAP=$BUILD/tuner/autopass-cc
CLANG=${CLANG:-/usr/lib/llvm-19/bin/clang}
CFLAGS="-Wall -O3 -std=c99 -DLUA_USE_LINUX -fno-stack-protector -fno-common"
log() { echo "$*" | tee -a "$WORK/timings.txt"; }
: > "$WORK/timings.txt"
log "lua: $(git -C "$LUA" log --oneline -1 2>/dev/null || echo unknown) ($(cat "$LUA"/*.c "$LUA"/*.h | wc -l) lines of C)"
log "load before: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"

# 1. The compilation database, from a plain build (bear records the compiles).
make -C "$LUA" clean > /dev/null
t0=$(date +%s.%N)
(cd "$LUA" && bear --output "$WORK/compile_commands.json" -- \
   make -j2 CWARNGCC= "CFLAGS=$CFLAGS" CC="$CLANG" > "$WORK/plain-build.log" 2>&1)
log "plain build (make -j2, clang -O3): $(echo "$(date +%s.%N) - $t0" | bc) s"

# 2. The spec: the same make, with autopass-cc in front of clang.
"$TUNER" init --compile-commands "$WORK/compile_commands.json" --binary "$LUA/lua" \
  --build-dir "$LUA" --force -o "$WORK/lua.spec.json" --check exact \
  --build-command "make -j2 CWARNGCC= 'CFLAGS=$CFLAGS' 'CC=$CCWRAP $CLANG'" \
  -- "$HERE/lua-bench.lua" | tee -a "$WORK/timings.txt"

# 3. Evidence (features, remarks, pass records per unit; callgrind profile).
t0=$(date +%s.%N)
"$TUNER" evidence "$WORK/lua.spec.json" --run-dir "$WORK/evidence" --quiet > "$WORK/evidence.txt"
log "evidence: $(echo "$(date +%s.%N) - $t0" | bc) s (digest: $WORK/evidence.txt)"

# 4. Tuning: the journal has each build's time and rebuilt/reused units.
t0=$(date +%s.%N)
"$TUNER" tune "$WORK/lua.spec.json" --strategy "$STRATEGY" --budget "$BUDGET" \
  --objective cpu --jobs 1 --run-dir "$WORK/tune" --quiet | tee -a "$WORK/timings.txt"
log "tune (budget $BUDGET, $STRATEGY): $(echo "$(date +%s.%N) - $t0" | bc) s"
python3 - "$WORK/tune/journal.jsonl" <<'PY' | tee -a "$WORK/timings.txt"
import json, sys
builds = [json.loads(l) for l in open(sys.argv[1])]
base = [e for e in builds if e.get("type") == "baseline_build"]
cand = [e for e in builds if e.get("type") == "build"]
for e in base:
    print("baseline build: %.1f s" % e["data"]["seconds"])
for e in cand:
    d = e["data"]
    print("candidate build %s: %.1f s, %s units rebuilt, %s reused, %s" % (
        d["config_hash"][:12], d["seconds"], d.get("units_rebuilt"), d.get("units_reused"), d["state"]))
PY
log "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
