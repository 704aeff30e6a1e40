#!/usr/bin/env bash
# cross-aarch64 (ctest): the AArch64 cross target and the qemu runner end to
# end (docs/cross-targets.md). For three bench programs (C, multi-file C, C++)
# with small inputs: `baseline --target aarch64-linux-gnu --runner qemu`
# builds -O3 for AArch64 (the binary must be an AArch64 ELF) and records the
# reference output under qemu, which must equal the native -O3 build's
# output; then a `size` tune of budget 2 through the qemu runner; then the
# refusals: a time objective under qemu, a foreign target with runner local,
# a qemu sysroot that does not exist, a target whose cross packages are absent.
#
# The cross packages are installed by scripts/test.sh (setup.sh --cross
# aarch64); when they are missing this test fails and says so, it never skips.
#
# Usage: aarch64-test.sh TUNER BENCH_DIR WORK_DIR LLVM_BINDIR
set -euo pipefail
tuner="$1" bench="$2" work="$3" bindir="$4"
start=$SECONDS
fail() { echo "cross-aarch64: FAIL: $*" >&2; exit 1; }
hint="install with scripts/setup.sh --cross aarch64 (scripts/test.sh does)"
command -v qemu-aarch64 >/dev/null || fail "qemu-aarch64 not found: $hint"
[ -e /usr/aarch64-linux-gnu/lib/crt1.o ] || fail "no AArch64 C library in /usr/aarch64-linux-gnu: $hint"
command -v aarch64-linux-gnu-ld >/dev/null || fail "no aarch64-linux-gnu-ld: $hint"

rm -rf "$work"
mkdir -p "$work"
cd "$work"

# spec NAME ARGS... writes NAME.json: the bench program's sources and flags,
# the given arguments, target aarch64-linux-gnu, runner qemu, objective size.
spec() {
  python3 - "$bench" "$@" <<'PY'
import json, os, sys
bench, name, args = sys.argv[1], sys.argv[2], sys.argv[3:]
d = json.load(open(os.path.join(bench, name, "spec.json")))
d["sources"] = [os.path.join(bench, name, s) for s in d["sources"]]
d["run"]["args"] = args
d["target"] = {"triple": "aarch64-linux-gnu"}
d["runner"] = {"kind": "qemu"}
d["objective"] = {"kind": "size"}
json.dump(d, open(name + ".json", "w"), indent=1)
PY
}

# native NAME ARGS...: the program's -O3 output built and run on this machine.
native() {
  local name="$1"; shift
  python3 - "$bench" "$name" <<'PY' > "$name.native-cmd"
import json, os, shlex, sys
bench, name = sys.argv[1], sys.argv[2]
d = json.load(open(os.path.join(bench, name, "spec.json")))
srcs = [os.path.join(bench, name, s) for s in d["sources"]]
cxx = any(s.endswith((".cc", ".cpp", ".cxx")) for s in srcs)
print(shlex.join(["clang++" if cxx else "clang", "-O3"] + d.get("compile_flags", [])
                 + d.get("target_flags", []) + srcs + d.get("link_flags", [])))
PY
  # shellcheck disable=SC2046
  eval "$bindir/$(cat "$name.native-cmd") -o $name.native"
  "./$name.native" "$@"
}

check_program() {
  local name="$1"; shift
  spec "$name" "$@"
  "$tuner" baseline "$name.json" --run-dir "run-$name" --quiet > "$name.baseline.txt" 2>&1 ||
    { cat "$name.baseline.txt" >&2; fail "$name: baseline through qemu failed"; }
  grep -q "binary identical to -O3" "$name.baseline.txt" ||
    { cat "$name.baseline.txt" >&2; fail "$name: the identity config is not byte-identical to -O3"; }
  local bin
  bin="$(find "run-$name/cache" -type f -name "$name" | head -n 1)"
  [ -n "$bin" ] || fail "$name: no binary in run-$name/cache"
  # ELF e_machine (bytes 18-19, little endian): 183 = EM_AARCH64.
  local machine
  machine="$(od -An -t u2 -j 18 -N 2 "$bin" | tr -d ' ')"
  [ "$machine" = 183 ] || fail "$name: $bin is not an AArch64 ELF (e_machine $machine)"
  [ -s "run-$name/reference/stdout" ] || fail "$name: no reference output recorded"
  native "$name" "$@" > "$name.native.out"
  cmp -s "$name.native.out" "run-$name/reference/stdout" ||
    { diff "$name.native.out" "run-$name/reference/stdout" | head >&2
      fail "$name: the AArch64 -O3 output under qemu differs from the native -O3 output"; }
  echo "cross-aarch64: $name: AArch64 -O3 under qemu = native -O3 output ($((SECONDS - start)) s)"
}

check_program sha256 32 500
check_program lz77 100000
check_program exprtree 20 40

# A tiny size tune through the qemu runner: candidates are checked under qemu.
"$tuner" tune lz77.json --budget 2 --profile none --run-dir tune-lz77 --quiet > tune.txt 2>&1 ||
  { cat tune.txt >&2; fail "size tune through qemu failed"; }
grep -q "objective size" tune.txt || { cat tune.txt >&2; fail "tune did not report objective size"; }
grep -q "evaluations  2 (.*, 0 rejected)" tune.txt ||
  { cat tune.txt >&2; fail "tune did not run 2 evaluations, all with the reference output"; }
grep -q -- "--target=aarch64-linux-gnu" tune-lz77/journal.jsonl ||
  fail "the candidates' build commands in the journal do not name the target"
echo "cross-aarch64: size tune of budget 2 through qemu ($((SECONDS - start)) s)"
# Under objective size the summary and tune-result.json speak of sizes in
# bytes, never of speedups or of qemu's emulated time, and record the target.
grep -q "significantly smaller than -O3" tune.txt && ! grep -q "significantly faster" tune.txt ||
  { cat tune.txt >&2; fail "tune under objective size does not word its ratios as sizes"; }
if grep -q "^  best " tune.txt; then
  grep -q "size ratio .*(-O3 [0-9]* B, tuned [0-9]* B)" tune.txt && ! grep -q " speedup " tune.txt ||
    { cat tune.txt >&2; fail "tune's best under objective size is not a size ratio in bytes"; }
fi
result=tune-lz77/results/tune-result.json
jq -e '.target == {"triple": "aarch64-linux-gnu", "cpu": "default", "runner": "qemu"}
       and .ratio_name == "size ratio" and .baseline_unit == "B"' "$result" > /dev/null ||
  { cat "$result" >&2; fail "tune-result.json does not record the target and the size wording"; }
bytes="$(jq '.build.text_bytes' run-lz77/results/baseline.json)"
[ "$bytes" -gt 0 ] && jq -e --argjson b "$bytes" '.baseline_median == $b' "$result" > /dev/null ||
  fail "tune-result.json baseline_median is not the -O3 code size ($bytes B)"
jq -e '.target.triple == "aarch64-linux-gnu" and .target.runner == "qemu"' \
  tune-lz77/run-manifest.json > /dev/null || fail "run-manifest.json does not record the target"
echo "cross-aarch64: size wording and target recorded ($((SECONDS - start)) s)"

# expect_error WHAT TEXT COMMAND...: the command must fail (exit 1) naming TEXT.
expect_error() {
  local what="$1" text="$2"; shift 2
  local rc=0
  "$@" > err.txt 2>&1 || rc=$?
  [ "$rc" = 1 ] || { cat err.txt >&2; fail "$what: expected exit status 1, got $rc"; }
  grep -qF -- "$text" err.txt || { cat err.txt >&2; fail "$what: the error does not say '$text'"; }
  echo "cross-aarch64: refused as expected: $what"
}
# A resume with another cpu than the run's is refused, naming both.
expect_error "resume with another --mcpu" "the cpu is cortex-a72, the run's is default" \
  "$tuner" tune lz77.json --budget 2 --profile none --run-dir tune-lz77 --resume --mcpu cortex-a72
expect_error "time objective under qemu" 'timings under runner "qemu" are emulated' \
  "$tuner" tune lz77.json --objective wall --budget 2 --run-dir refused-wall
expect_error "foreign target, runner local" 'cannot run on this' \
  "$tuner" baseline lz77.json --runner local --run-dir refused-local
python3 - <<'PY'
import json
d = json.load(open("lz77.json"))
d["runner"]["sysroot"] = "/nonexistent/aarch64-sysroot"
json.dump(d, open("no-sysroot.json", "w"))
PY
expect_error "missing qemu sysroot" '/nonexistent/aarch64-sysroot (qemu'"'"'s -L) does not exist' \
  "$tuner" baseline no-sysroot.json --run-dir refused-sysroot
if [ ! -e /usr/riscv64-linux-gnu ]; then
  expect_error "missing cross sysroot" 'clang finds no C library (crt1.o)' \
    "$tuner" baseline lz77.json --target riscv64-linux-gnu --run-dir refused-riscv
fi
# A target named only in target_flags (no target section) still gives an
# AArch64 baseline: with a time objective it is refused before anything is
# run, whatever binfmt_misc on this machine would do with it.
python3 - <<'PY'
import json
d = json.load(open("lz77.json"))
del d["target"], d["runner"]
d["objective"] = {"kind": "wall"}
d["target_flags"] = d.get("target_flags", []) + ["--target=aarch64-linux-gnu"]
json.dump(d, open("hidden-target.json", "w"))
PY
expect_error "a target hidden in target_flags, time objective" \
  'is built for another architecture (ELF machine 183' \
  "$tuner" baseline hidden-target.json --run-dir refused-hidden
rc=0
"$tuner" suite /dev/null --target aarch64-linux-gnu > err.txt 2>&1 || rc=$?
[ "$rc" = 2 ] && grep -qF -- "--target is not taken by suite" err.txt ||
  { cat err.txt >&2; fail "suite --target: expected a refusal (status 2), got $rc"; }
echo "cross-aarch64: refused as expected: suite --target"
for d in refused-wall refused-local refused-sysroot refused-riscv refused-hidden; do
  [ -z "$(find "$d/results" -type f 2>/dev/null)" ] || fail "$d: a refused run wrote results"
done
# The ssh runner's measuring helper builds for AArch64 as the tuner builds it
# (the target's clang flags) and works there: run under qemu, it starts a
# program and writes a complete report (docs/remote-runners.md).
"$bindir/clang" --target=aarch64-linux-gnu -O2 -w "$bench/../tuner/data/autopass-measure.c" \
  -o measure-aarch64 || fail "the measuring helper does not build for aarch64-linux-gnu"
[ "$(od -An -t u2 -j 18 -N 2 measure-aarch64 | tr -d ' ')" = 183 ] ||
  fail "the helper is not an AArch64 ELF"
qemu-aarch64 -L /usr/aarch64-linux-gnu ./measure-aarch64 --dir "$work/helper-run" --keep-stdout \
  --timeout 10 -- /bin/echo hi > helper-report.txt || fail "the AArch64 helper failed under qemu"
head -2 helper-report.txt | grep -q "^status exit=0 signal=0 timed_out=0 exec_errno=0 " &&
  grep -q "^blob stdout 3$" helper-report.txt && tail -1 helper-report.txt | grep -qx end ||
  { cat helper-report.txt >&2; fail "the AArch64 helper's report is not complete"; }
echo "cross-aarch64: the measuring helper runs as an AArch64 binary"
echo "cross-aarch64: all checks passed in $((SECONDS - start)) s"
