#!/usr/bin/env bash
# ssh-runner (ctest): the ssh runner end to end against throwaway OpenSSH
# servers on 127.0.0.1 (sshd-local.sh: fresh keys, loopback only, a watchdog
# that stops them by itself), docs/remote-runners.md. Checks, with bench/matmul
# at a small size:
#  1. identity through the ssh runner: the identity config's binary is
#     byte-identical to -O3's and its timed ratio interval contains 1;
#  2. an end-to-end tune (budget 2) through the runner;
#  3. a host lost mid-measurement with a second host listed: the runner moves,
#     the evaluation is measured again there, the run finishes;
#  4. the only host lost mid-run: a clear error and a failing exit code, no
#     win recorded; with the host back, --resume finishes the run and no
#     evaluation is lost or done twice;
#  5. refusals: a host of another architecture than the target, an unknown
#     host key, a scratch folder that cannot be made, a host that is down.
# Usage: ssh-test.sh TUNER BENCH_DIR WORK_DIR
set -euo pipefail
tuner="$1" bench="$2" work="$3"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
start=$SECONDS
fail() { echo "ssh-runner: FAIL: $*" >&2; exit 1; }
[ -x /usr/sbin/sshd ] || fail "/usr/sbin/sshd not found: install with scripts/setup.sh --ssh (scripts/test.sh does)"

rm -rf "$work"
mkdir -p "$work"
cd "$work"
cleanup() { for d in "$work"/sshd-*; do [ -d "$d" ] && bash "$here/sshd-local.sh" stop "$d"; done; }
trap cleanup EXIT
bash "$here/sshd-local.sh" start "$work/sshd-a" 600 host-a
bash "$here/sshd-local.sh" start "$work/sshd-b" 600 host-b
# One ssh_config naming both servers (each with its own known_hosts) and a
# host nobody listens for.
write_config() {
  cat "$work"/sshd-*/ssh_config > ssh_config
  printf 'Host host-down\n  HostName 127.0.0.1\n  Port 1\n' >> ssh_config
}
write_config
source "$here/journal-lib.sh" # field, wait_for_event
# wait_for_helper: until a measuring helper runs (a measurement is under way).
wait_for_helper() {
  for _ in $(seq 1 1200); do
    pgrep -f "autopass-measure --dir" >/dev/null && return 0
    sleep 0.05
  done
  fail "no measurement started within 60 s"
}

# spec NAME N HOSTS_JSON [EXTRA_RUNNER_JSON]: bench/matmul at size N through runner ssh.
spec() {
  python3 - "$bench" "$@" <<'PY'
import json, os, sys
bench, name, n, hosts = sys.argv[1], sys.argv[2], sys.argv[3], json.loads(sys.argv[4])
extra = json.loads(sys.argv[5]) if len(sys.argv) > 5 else {}
d = json.load(open(os.path.join(bench, "matmul", "spec.json")))
d["sources"] = [os.path.join(bench, "matmul", s) for s in d["sources"]]
d["run"]["args"] = [n]
d["runner"] = dict({"kind": "ssh", "hosts": hosts, "ssh_config": "ssh_config",
                    "scratch": os.path.abspath("remote-scratch")}, **extra)
json.dump(d, open(name + ".json", "w"), indent=1)
PY
}
# count RUN_DIR TYPE: journal events of that type.
count() { grep -c "\"type\":\"$2\"" "$1/journal.jsonl" || true; }

echo "== 1. identity through the ssh runner"
controls_before="$(ls -d /tmp/autopass-ssh-* 2>/dev/null || true)"
spec one 300 '["host-a"]'
# A 95% interval misses 1 in one identity measurement out of twenty by
# design: a miss is measured once more, and two misses fail.
for attempt in 1 2; do
  rm -rf "$work/identity"
  "$tuner" baseline one.json --runs 3 --time-identical --min-reps 12 --max-reps 12 --fixed-rule \
    --run-dir "$work/identity" --quiet > identity.out 2> identity.err || { cat identity.err; fail "baseline through ssh failed"; }
  r="$work/identity/results/baseline.json"
  [ "$(field "$r" "d['identity']['status']")" = ok ] || fail "identity status: $(cat identity.err)"
  [ "$(field "$r" "d['identity']['same_binary_as_baseline']")" = True ] || fail "identity binary differs from -O3's"
  [ "$(field "$r" "len(d['identity']['candidate_samples'])")" = 12 ] || fail "expected 12 timed pairs"
  if field "$r" "d['identity']['ci_lo'] <= 1 <= d['identity']['ci_hi'] or sys.exit(1)" >/dev/null; then
    break
  fi
  [ "$attempt" = 1 ] || fail "identity ratio interval excludes 1 twice: $(field "$r" "d['identity']['ci_lo'], d['identity']['ci_hi']")"
  echo "identity: interval excludes 1 ($(field "$r" "d['identity']['ci_lo'], d['identity']['ci_hi']")); measuring once more"
done
echo "identity: $(field "$r" "'%.3f [%.3f, %.3f]' % (d['identity']['speedup'], d['identity']['ci_lo'], d['identity']['ci_hi'])")"
# The session's folder on the host and the local control socket are gone.
[ -z "$(ls -A remote-scratch)" ] || fail "the session left $(ls remote-scratch) on the host"
[ "$(ls -d /tmp/autopass-ssh-* 2>/dev/null)" = "$controls_before" ] || fail "a local ssh control folder was left in /tmp"

echo "== 2. a tune through the ssh runner"
"$tuner" tune one.json --budget 2 --strategy random --strategy-seed 3 --min-reps 3 --max-reps 5 \
  --run-dir "$work/tune" --quiet > tune.out 2> tune.err || { cat tune.err; fail "tune through ssh failed"; }
[ "$(count "$work/tune" eval_done)" -ge 1 ] || fail "the tune evaluated nothing"
grep -q '"runner": "ssh"' "$work/tune/run-manifest.json" || fail "the run manifest does not say runner ssh"

echo "== 3. the host is lost mid-measurement; the runner moves to the second host"
spec two 400 '["host-a", "host-b"]'
"$tuner" baseline two.json --runs 2 --time-identical --min-reps 12 --max-reps 12 --fixed-rule \
  --run-dir "$work/move" --quiet > move.out 2> move.err &
pid=$!
# Wait until the identity config is being measured (after the baseline series).
wait_for_event "$work/move" baseline_series
wait_for_helper
bash "$here/sshd-local.sh" stop "$work/sshd-a"
wait "$pid" || { cat move.err; fail "the run did not survive the loss of host-a"; }
grep -q "reconnected from host-a to host-b, where the measurement starts again" move.err \
  || { cat move.err; fail "no word of the move to host-b"; }
r="$work/move/results/baseline.json"
[ "$(field "$r" "d['identity']['status']")" = ok ] || fail "identity after the move: $(cat move.err)"
[ "$(field "$r" "len(d['identity']['candidate_samples'])")" = 12 ] \
  || fail "the evaluation was not measured again from the start on host-b"

echo "== 3b. a host lost between evaluations (during a candidate's build and copy)"
bash "$here/sshd-local.sh" start "$work/sshd-c" 600 host-c
write_config
spec three 160 '["host-c", "host-b"]'
"$tuner" tune three.json --budget 3 --strategy random --strategy-seed 7 --min-reps 3 --max-reps 3 \
  --fixed-rule --run-dir "$work/between" --quiet > between.out 2> between.err &
pid=$!
wait_for_event "$work/between" eval_done
bash "$here/sshd-local.sh" stop "$work/sshd-c"
wait "$pid" || { cat between.err; fail "the run did not survive losing host-c between evaluations"; }
python3 - "$work/between/journal.jsonl" <<'PY' || fail "an evaluation after the loss was lost"
import json, sys
ok = [e for e in map(json.loads, open(sys.argv[1]))
      if e["type"] == "eval_done" and e["data"]["result"]["status"] != "env_failed"]
if len(ok) < 2:
    sys.exit("only %d evaluations finished" % len(ok))
PY

echo "== 4. the only host is lost mid-run; --resume finishes it"
spec solo 400 '["host-b"]'
tune_solo() {
  "$tuner" tune solo.json --budget 3 --strategy random --strategy-seed 5 --time-identical \
    --min-reps 6 --max-reps 6 --fixed-rule --run-dir "$work/lost" --quiet "$@"
}
tune_solo > lost.out 2> lost.err &
pid=$!
wait_for_event "$work/lost" build
wait_for_helper
bash "$here/sshd-local.sh" stop "$work/sshd-b"
set +e
wait "$pid"; rc=$?
set -e
[ "$rc" -ne 0 ] || { cat lost.err; fail "a run whose only host was lost exited 0"; }
grep -q "host-b" lost.err || { cat lost.err; fail "the error does not name the lost host"; }
grep -q '"status":"env_failed"' "$work/lost/journal.jsonl" || fail "the lost evaluation is not env_failed in the journal"
# Back up (a new port and host key in the same ssh_config paths).
bash "$here/sshd-local.sh" start "$work/sshd-b" 600 host-b
write_config
tune_solo --resume > resume.out 2> resume.err || { cat resume.err; fail "--resume after the host came back failed"; }
python3 - "$work/lost/journal.jsonl" <<'PY' || fail "evaluations lost or done twice across the lost host"
import json, sys
done = {}
for line in open(sys.argv[1]):
    e = json.loads(line)
    if e["type"] == "eval_done" and e["data"]["result"]["status"] != "env_failed":
        k = e["data"]["key"]
        done[k] = done.get(k, 0) + 1
twice = [k for k, n in done.items() if n > 1]
if twice or len(done) < 1:
    sys.exit("finished evaluations: %d, done twice: %s" % (len(done), twice))
PY

echo "== 5. refusals"
spec arm 160 '["host-b"]'
python3 - <<'PY'
import json
d = json.load(open("arm.json")); d["target"] = {"triple": "aarch64-linux-gnu"}
json.dump(d, open("arm.json", "w"))
PY
if "$tuner" baseline arm.json --no-identity --runs 1 --run-dir "$work/arm" > arm.out 2>&1; then fail "an x86-64 host accepted aarch64 binaries"; fi
grep -q "is a x86_64 machine; the binaries are built for aarch64" arm.out || { cat arm.out; fail "no clear word about the host's architecture"; }
spec down 160 '["host-down"]'
if "$tuner" baseline down.json --no-identity --runs 1 --run-dir "$work/down" > down.out 2>&1; then fail "a host that is down was accepted"; fi
grep -q "no ssh host answered: host-down" down.out || { cat down.out; fail "no clear word about the host that is down"; }
spec scratch 160 '["host-b"]' '{"scratch": "/proc/autopass-cannot"}'
if "$tuner" baseline scratch.json --no-identity --runs 1 --run-dir "$work/scratch" > scratch.out 2>&1; then fail "an unusable scratch folder was accepted"; fi
grep -q "cannot make a scratch folder under /proc/autopass-cannot" scratch.out || { cat scratch.out; fail "no clear word about the scratch folder"; }
# An unknown host key: known_hosts emptied, StrictHostKeyChecking stays on.
: > "$work/sshd-b/known_hosts"
if "$tuner" baseline solo.json --no-identity --runs 1 --run-dir "$work/hostkey" > hostkey.out 2>&1; then fail "an unknown host key was accepted"; fi
grep -qi "host key verification failed" hostkey.out || { cat hostkey.out; fail "no word about the host key"; }

echo "ssh-runner: all checks passed ($(( SECONDS - start )) s)"
