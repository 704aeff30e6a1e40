#!/usr/bin/env bash
# cmake --install into a temporary prefix, then a consumer project finds it
# with find_package(AutoPass) (registered with ctest as cc-install): the
# layout is complete, the package's targets point into the prefix, a build
# through AutoPass::Plugin and one through autopass_use_config() print what
# -O3 prints and carry the hint's effect, and the installed autopass-cc uses
# the installed plugin and knob catalog.
# Usage: install-test.sh BUILD_DIR LLVM_BINDIR DATA_DIR WORK_DIR
set -euo pipefail
BUILD=$1 BINDIR=$2 DATA=$3 WORK=$4
CLANG=$BINDIR/clang
rm -rf "$WORK" && mkdir -p "$WORK"
cd "$WORK"
fail() { echo "FAIL: $*" >&2; exit 1; }
PREFIX=$WORK/prefix

cmake --install "$BUILD" --prefix "$PREFIX" > install.log
# The knob catalog of the LLVM the build used (tuner/data/knobs-llvmN.json).
catalog=$(cd "$PREFIX/share/autopass" 2>/dev/null && ls knobs-llvm*.json 2>/dev/null || true)
[ "$(echo "$catalog" | wc -w)" = 1 ] || fail "expected one knobs-llvmN.json in share/autopass, found: '$catalog'"
for f in bin/autopass-tuner bin/autopass-cc bin/autopass-c++ lib/autopass/libAutoPassPlugin.so \
         share/autopass/prompts/planning.txt \
         lib/cmake/AutoPass/AutoPassConfig.cmake lib/cmake/AutoPass/AutoPassConfigVersion.cmake \
         lib/cmake/AutoPass/AutoPassTargets.cmake; do
  [ -e "$PREFIX/$f" ] || fail "not installed: $f"
done

cat > config.json <<'JSON'
{"schema":"autopass-config/1","knobs":{"unroll-threshold":600},
 "hints":{"loops":{"scale:L0":{"vectorize_width":8,"interleave_count":1}}}}
JSON

cmake -S "$DATA/project" -B plain -G Ninja -DCMAKE_C_COMPILER="$CLANG" \
      -DCMAKE_BUILD_TYPE=Release > plain-configure.log
cmake --build plain > plain-build.log
expected=$(./plain/scalesum)

cmake -S "$DATA/consumer" -B consumer -G Ninja -DCMAKE_C_COMPILER="$CLANG" \
      -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH="$PREFIX" \
      -DAUTOPASS_TEST_CONFIG="$WORK/config.json" > consumer-configure.log \
  || { cat consumer-configure.log; fail "find_package(AutoPass) failed"; }
grep -qx "plugin=$PREFIX/lib/autopass/libAutoPassPlugin.so" consumer/found.txt \
  || { cat consumer/found.txt; fail "AutoPass::Plugin does not point into the prefix"; }
grep -qx "cc=$PREFIX/bin/autopass-cc" consumer/found.txt || fail "AUTOPASS_CC is wrong"
AUTOPASS_CONFIG=$WORK/config.json AUTOPASS_CC_VERBOSE=1 cmake --build consumer > consumer-build.log 2>&1 \
  || { cat consumer-build.log; fail "consumer build failed"; }

[ "$(./consumer/viaplugin)" = "$expected" ] || fail "viaplugin: output differs from -O3"
[ "$(./consumer/vialauncher)" = "$expected" ] || fail "vialauncher: output differs from -O3"
grep -q '<8 x i32>' consumer/CMakeFiles/viaplugin_ir.dir/*/project/kernel.c.o 2>/dev/null \
  || grep -rq '<8 x i32>' consumer/CMakeFiles/viaplugin_ir.dir \
  || fail "the hint's effect is missing from the IR built with AutoPass::Plugin"
# The installed autopass-cc uses the installed plugin (found next to itself).
grep -q -- "-fpass-plugin=$PREFIX/lib/autopass/libAutoPassPlugin.so" consumer-build.log \
  || { cat consumer-build.log; fail "installed autopass-cc did not use the installed plugin"; }

# The installed tuner prints a snippet naming the installed tools.
"$PREFIX/bin/autopass-tuner" emit config.json --format cmake > emit.cmake
grep -q "$PREFIX/bin/autopass-cc" emit.cmake || { cat emit.cmake; fail "emit does not name the installed autopass-cc"; }
flags=$("$PREFIX/bin/autopass-tuner" emit config.json --format clang --flags-only 2>/dev/null)
AUTOPASS_CONFIG=$WORK/config.json "$CLANG" $flags -S -emit-llvm "$DATA/project/kernel.c" -o emitted.ll
grep -q '<8 x i32>' emitted.ll || fail "emit --flags-only: the hint's effect is missing"
echo "PASS"
