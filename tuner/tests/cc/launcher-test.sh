#!/usr/bin/env bash
# autopass-cc in real builds (registered with ctest as cc-launcher):
#  1. tests/data/cc/project built by CMake twice, plainly at -O3 and with
#     autopass-cc as compiler and linker launcher and a tuned configuration:
#     same output; the loop hint's effect is in the kernel's IR; the knob
#     reaches clang; hints naming nothing are reported once, at link, and
#     the per-unit warnings are held back; a hint matched in one unit only
#     is not reported.
#  2. autopass-cc as CC with a pipeline (the opt flow): same output, the
#     hint's effect in the IR, the dependency file names the real object.
#  3. sources on the link line; an unknown knob is an error; -O0 builds
#     are left alone.
# Usage: launcher-test.sh AUTOPASS_CC LLVM_BINDIR DATA_DIR WORK_DIR
set -euo pipefail
AUTOPASS_CC=$1 BINDIR=$2 DATA=$3 WORK=$4
CLANG=$BINDIR/clang
rm -rf "$WORK" && mkdir -p "$WORK"
cd "$WORK"
fail() { echo "FAIL: $*" >&2; exit 1; }

cat > config.json <<'JSON'
{
  "schema": "autopass-config/1",
  "knobs": { "unroll-threshold": 600 },
  "hints": {
    "loops": {
      "scale:L0": { "vectorize_width": 8, "interleave_count": 1 },
      "scale:L5": { "unroll": 2 }
    },
    "functions": {
      "checksum": { "inline": "never" },
      "nosuch": { "inline": "never" }
    }
  }
}
JSON

# --- 1. CMake, plain vs launcher --------------------------------------------
cmake -S "$DATA/project" -B plain -G Ninja -DCMAKE_C_COMPILER="$CLANG" \
      -DCMAKE_BUILD_TYPE=Release > plain-configure.log
cmake --build plain > plain-build.log
LAUNCHER="$AUTOPASS_CC;--autopass-config=$WORK/config.json"
cmake -S "$DATA/project" -B tuned -G Ninja -DCMAKE_C_COMPILER="$CLANG" \
      -DCMAKE_BUILD_TYPE=Release -DCMAKE_C_COMPILER_LAUNCHER="$LAUNCHER" \
      -DCMAKE_C_LINKER_LAUNCHER="$LAUNCHER" > tuned-configure.log
AUTOPASS_CC_VERBOSE=1 cmake --build tuned > tuned-build.log 2>&1 || { cat tuned-build.log; fail "tuned build"; }

expected=$(./plain/scalesum)
got=$(./tuned/scalesum)
[ -n "$expected" ] || fail "plain build printed nothing"
[ "$expected" = "$got" ] || fail "output differs: -O3 '$expected', tuned '$got'"

grep -q -- '-mllvm -unroll-threshold=600' tuned-build.log || fail "knob not passed to clang"
grep -q -- '-fpass-plugin=' tuned-build.log || fail "plugin not loaded"
grep -q '<8 x i32>' tuned/CMakeFiles/kernel_ir.dir/kernel.c.o || fail "vectorize_width 8 not in the kernel's IR"
! grep -q '<8 x i32>' plain/CMakeFiles/kernel_ir.dir/kernel.c.o || fail "plain -O3 already uses <8 x i32>: the check proves nothing"

[ -f tuned/CMakeFiles/scalesum.dir/kernel.c.o.autopass.json ] || fail "no unit report next to kernel.c.o"
! grep -q 'autopass: warning' tuned-build.log || { grep 'autopass: warning' tuned-build.log; fail "per-unit warnings leaked"; }
n=$(grep -c 'matched nothing in the 2 unit(s) linked into scalesum' tuned-build.log || true)
[ "$n" = 2 ] || { cat tuned-build.log; fail "expected 2 link-time reports, got $n"; }
grep -q "function hint 'nosuch' matched nothing .*: no unit defines function 'nosuch'" tuned-build.log || fail "nosuch not reported"
grep -q "loop hint 'scale:L5' matched nothing .*: kernel.c: function 'scale' has 1 loop(s)" tuned-build.log || fail "scale:L5 not reported with kernel.c's reason"
! grep -q "hint 'checksum'" tuned-build.log || fail "checksum (matched in main.c) was reported"
! grep -q "hint 'scale:L0'" tuned-build.log || fail "scale:L0 (matched in kernel.c) was reported"

# --- 2. CC mode, pipeline through opt ----------------------------------------
cat > pipeline.json <<'JSON'
{
  "schema": "autopass-config/1",
  "knobs": { "unroll-threshold": 600 },
  "pipeline": "function(declare-to-assign),default<O3>",
  "hints": { "loops": { "scale:L0": { "vectorize_width": 8, "interleave_count": 1 } } }
}
JSON
"$AUTOPASS_CC" --autopass-config=pipeline.json -O3 -I"$DATA/project" -MD -c "$DATA/project/kernel.c" -o k.o
"$AUTOPASS_CC" --autopass-config=pipeline.json -O3 -c "$DATA/project/main.c" -o m.o
"$AUTOPASS_CC" --autopass-config=pipeline.json -O3 k.o m.o -o viaopt 2> link-opt.log
[ "$(./viaopt)" = "$expected" ] || fail "opt flow: output differs"
grep -q '^k.o:' k.d || fail "dependency file does not name k.o: $(head -1 k.d)"
grep -q 'kernel.h' k.d || fail "dependency file misses kernel.h"
grep -q '"route": "opt"' k.o.autopass.json || fail "opt flow wrote no unit report"
"$AUTOPASS_CC" --autopass-config=pipeline.json -O3 -S -emit-llvm "$DATA/project/kernel.c" -o k.ll
grep -q '<8 x i32>' k.ll || fail "opt flow: hint's effect missing from the IR"
[ ! -s link-opt.log ] || { cat link-opt.log; fail "opt flow: unexpected link messages"; }

# --- 3. sources on the link line, errors, -O0 ---------------------------------
AUTOPASS_CONFIG=$WORK/config.json "$AUTOPASS_CC" -O3 "$DATA/project/main.c" "$DATA/project/kernel.c" -o onestep 2> onestep.log
[ "$(./onestep)" = "$expected" ] || fail "one-step build: output differs"
n=$(grep -c 'matched nothing in the 2 unit(s) linked into onestep' onestep.log || true)
[ "$n" = 2 ] || { cat onestep.log; fail "one-step build: expected 2 reports, got $n"; }

echo '{"schema":"autopass-config/1","knobs":{"no-such-knob":1}}' > badknob.json
if "$AUTOPASS_CC" --autopass-config=badknob.json -O3 -c "$DATA/project/kernel.c" -o bad.o 2> badknob.log; then
  fail "an unknown knob was accepted"
fi
grep -q 'no-such-knob' badknob.log || { cat badknob.log; fail "the error does not name the knob"; }
"$AUTOPASS_CC" --autopass-config=badknob.json -O0 -c "$DATA/project/kernel.c" -o o0.o || fail "-O0 compile was not passed through"
echo "PASS"
