#!/usr/bin/env bash
# slurm-runner (ctest): the Slurm runner end to end on a Slurm of two nodes
# started on this machine (scripts/slurm-local.sh: its own munged, slurmctld
# and two slurmd, loopback only, a watchdog that stops them by itself),
# docs/cluster.md. With bench/matmul at small sizes it checks:
#  1. a tune with runner.nodes 2: two evaluations measured at once, one on
#     each node; every evaluation journaled once; no job left afterwards;
#  1b. the run's allocations cancelled between evaluations: new ones are made;
#  1c. an error the helper answers (no scratch folder) comes through srun at once;
#  1d. a coordinator running inside a Slurm job measures on nodes of its own;
#  2. a suite of two programs through the runner;
#  3. the node of a measurement goes down mid-measurement: the evaluation is
#     measured again from its first pair on a new allocation, the run ends 0;
#  4. the coordinator SIGKILLed mid-run, with a job of the run left in the
#     queue (as when srun's machine stops answering): --resume cancels it,
#     finishes the run, and no finished evaluation is lost or done twice;
#  5. refusals: a partition the cluster does not have, a bad spec value,
#     --nodes with another runner.
# Needs root and Debian's slurm-wlm and munge (scripts/setup.sh --slurm);
# exits 77 (skipped) without them.
# Usage: slurm-test.sh TUNER BENCH_DIR SLURM_LOCAL_SCRIPT WORK_DIR
set -euo pipefail
tuner="$1" bench="$2" slurm_local="$3" work="$4"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
start=$SECONDS
fail() { echo "slurm-runner: FAIL: $*" >&2; exit 1; }
if [ "$(id -u)" != 0 ] || ! command -v slurmctld >/dev/null || ! command -v srun >/dev/null; then
  echo "slurm-runner: skipped (needs root and slurm-wlm, munge: scripts/setup.sh --slurm)"
  exit 77
fi

rm -rf "$work"
mkdir -p "$work"
cd "$work"
# munged wants every folder above its socket searchable by others.
cluster="$(mktemp -d /tmp/autopass-slurm-test.XXXXXX)"
chmod 755 "$cluster"
pid=""
cleanup() {
  # A tuner still running in the background (a check failed) first.
  [ -z "$pid" ] || { kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; }
  bash "$slurm_local" stop "$cluster/s" >/dev/null 2>&1 || true
  rm -rf "$cluster"
}
trap cleanup EXIT
eval "$(bash "$slurm_local" start "$cluster/s" --nodes 2 --ttl 900)"
export SLURM_CONF

# spec NAME N NODES [EXTRA_RUNNER_JSON]: bench/matmul at size N through runner slurm.
spec() {
  python3 - "$bench" "$@" <<'PY'
import json, os, sys
bench, name, n, nodes = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
extra = json.loads(sys.argv[5]) if len(sys.argv) > 5 else {}
d = json.load(open(os.path.join(bench, "matmul", "spec.json")))
d["name"] = name
d["sources"] = [os.path.join(bench, "matmul", s) for s in d["sources"]]
d["run"]["args"] = [n]
d["runner"] = dict({"kind": "slurm", "nodes": nodes, "queue_timeout_s": 120}, **extra)
json.dump(d, open(name + ".json", "w"), indent=1)
PY
}
source "$here/journal-lib.sh" # field, wait_for_event
our_jobs() { squeue -h -o '%i %j' | grep -c ' autopass-' || true; }
# once RUN_DIR: every evaluation that finished was journaled once; prints
# how many finished.
once() {
  python3 - "$1/journal.jsonl" <<'PY'
import json, sys
done = {}
for line in open(sys.argv[1]):
    e = json.loads(line)
    if e["type"] == "eval_done" and e["data"]["result"]["status"] != "env_failed":
        done[e["data"]["key"]] = done.get(e["data"]["key"], 0) + 1
twice = [k[:12] for k, n in done.items() if n > 1]
if twice:
    sys.exit("evaluations done twice: %s" % twice)
print(len(done))
PY
}

echo "== 1. a tune on two nodes, two evaluations at once"
spec two 200 2
"$tuner" tune two.json --budget 4 --strategy random --strategy-seed 3 --time-identical \
  --min-reps 4 --max-reps 6 --run-dir "$work/tune" --quiet > tune.out 2> tune.err \
  || { cat tune.err; fail "tune through runner slurm failed"; }
n="$(once "$work/tune")" || fail "$n"
[ "$n" -ge 3 ] || fail "only $n evaluations finished"
nodes="$(grep -o '"measured_on":"Slurm node [^ ]*' "$work/tune/journal.jsonl" | sort -u | wc -l)"
[ "$nodes" = 2 ] || fail "evaluations were measured on $nodes node(s), expected both"
# Two evaluations of a batch overlap in time: one started before the other ended.
python3 - "$work/tune/journal.jsonl" <<'PY' || fail "no two evaluations were measured at once"
import json, sys
ev = [json.loads(l) for l in open(sys.argv[1])]
done = [e for e in ev if e["type"] == "eval_done"]
# measure_seconds and the done times: two evaluations of one batch finish
# less than the sum of their measurements apart when they ran side by side.
from datetime import datetime
t = lambda e: datetime.strptime(e["time"], "%Y-%m-%dT%H:%M:%S.%fZ").timestamp()
for a, b in zip(done, done[1:]):
    ma, mb = a["data"]["result"]["measure_seconds"], b["data"]["result"]["measure_seconds"]
    if t(b) - t(a) < mb - 0.05 and ma > 0.2 and mb > 0.2:
        sys.exit(0)
sys.exit(1)
PY
[ -f "$work/tune/results/tune-result.json" ] || fail "no tune-result.json"
[ "$(our_jobs)" = 0 ] || { squeue; fail "jobs left in the queue after the tune"; }

echo "== 1b. the run's allocations cancelled between evaluations (a time limit, preemption)"
"$tuner" tune two.json --budget 4 --strategy random --strategy-seed 4 --time-identical \
  --min-reps 4 --max-reps 6 --run-dir "$work/expire" --quiet > expire.out 2> expire.err &
pid=$!
wait_for_event "$work/expire" eval_done
scancel $(squeue -h -o '%i %j' | awk '$2 ~ /^autopass-/ {print $1}') 2>/dev/null || true
wait "$pid" || { cat expire.err; fail "the run did not survive its allocations ending"; }
pid=""
n="$(once "$work/expire")" || fail "$n"
[ "$n" -ge 3 ] || { cat expire.err; fail "only $n evaluations finished after the allocations ended"; }

echo "== 1c. an error the helper answers comes through srun at once"
spec noscratch 120 1 '{"scratch": "/nonexistent/autopass"}'
t0=$SECONDS
if "$tuner" baseline noscratch.json --no-identity --runs 1 --run-dir "$work/noscratch" > noscratch.out 2>&1; then
  fail "a scratch folder that cannot be made was accepted"
fi
grep -q "cannot create /nonexistent/autopass" noscratch.out || { cat noscratch.out; fail "the helper's error did not come through"; }
[ $(( SECONDS - t0 )) -lt 30 ] || fail "the helper's error took $(( SECONDS - t0 )) s to come through"

echo "== 1d. a coordinator that runs inside a Slurm job allocates nodes of its own"
spec inside 200 1
srun -N1 -n1 -J coordinator bash -c 'echo "$SLURMD_NODENAME" > coord-node; exec "$@"' _ \
  "$tuner" baseline inside.json --runs 2 --min-reps 3 --max-reps 3 --run-dir "$work/inside" --quiet \
  > inside.out 2> inside.err || { cat inside.err; fail "a tune inside a Slurm job failed"; }
coord="$(cat coord-node)"
measured="$(grep -o '"measured_on":"Slurm node [^ ]*' "$work/inside/journal.jsonl" || true)"
case "$measured" in
  *"node $coord"*) fail "the measurement ran on the coordinator's own node $coord (a step of its job)" ;;
esac
grep -q '"measured_on":"Slurm node' "$work/inside/journal.jsonl" || fail "nothing was measured inside the job"

echo "== 2. a suite through the runner"
spec mm-a 120 2
spec mm-b 160 2
printf '{"schema": "autopass-suite/1", "name": "slurm", "programs": ["mm-a.json", "mm-b.json"]}\n' > suite.json
"$tuner" suite suite.json --strategies random --budget 2 --min-reps 3 --max-reps 4 \
  --run-dir "$work/suite" --quiet > suite.out 2> suite.err || { cat suite.err; fail "suite through runner slurm failed"; }
grep -q "mm-a" suite.out && grep -q "mm-b" suite.out || { cat suite.out; fail "the suite report lacks a program"; }


echo "== 3. the measuring node goes down mid-measurement"
spec one 500 1
"$tuner" baseline one.json --runs 2 --time-identical --min-reps 20 --max-reps 20 --fixed-rule \
  --run-dir "$work/down" --quiet > down.out 2> down.err &
pid=$!
# Until the identity evaluation is in its timed pairs: the helper's run
# folders (/tmp/autopass-KEY-JOB-PID-N) number the runs of this process; the
# reference and baseline series take 4, the check and warm-up pair 3 more.
wait_for_event "$work/down" eval_start
for _ in $(seq 1 1500); do
  n="$(ls -d /tmp/autopass-*-"$pid"-* 2>/dev/null | sed 's/.*-//' | sort -n | tail -1 || true)"
  [ -n "$n" ] && [ "$n" -ge 12 ] && break
  sleep 0.02
done
[ -n "$n" ] && [ "$n" -ge 12 ] || fail "the identity evaluation's pairs did not start within 30 s"
node=""
for _ in $(seq 1 100); do
  node="$(squeue -h -t R -o '%j %N' | awk '$1 ~ /^autopass-/ {print $2; exit}')"
  [ -n "$node" ] && break
  sleep 0.1
done
[ -n "$node" ] || fail "no running job of the run to take down"
scontrol update nodename="$node" state=down reason=autopass-test
wait "$pid" || { cat down.err; fail "the run did not survive its node going down"; }
pid=""
scontrol update nodename="$node" state=resume >/dev/null 2>&1 || true
grep -q "lost during a run" down.err && grep -q "measuring it again on Slurm node" down.err \
  || { cat down.err; fail "no word of the lost node and the new measurement"; }
r="$work/down/results/baseline.json"
[ "$(field "$r" "d['identity']['status']")" = ok ] || fail "identity after the node went down: $(cat down.err)"
[ "$(field "$r" "len(d['identity']['candidate_samples'])")" = 20 ] \
  || fail "the evaluation was not measured again from its first pair"

echo "== 4. the coordinator SIGKILLed with its jobs; --resume"
spec kill 300 2
tune_kill=("$tuner" tune kill.json --budget 6 --strategy random --strategy-seed 11 --time-identical
  --min-reps 8 --max-reps 8 --fixed-rule --run-dir "$work/kill" --quiet)
"${tune_kill[@]}" > kill.out 2> kill.err &
pid=$!
wait_for_event "$work/kill" eval_done
# Wait for the next batch's measurements, then kill everything of ours here.
for _ in $(seq 1 600); do
  [ "$(grep -c '"type":"eval_start"' "$work/kill/journal.jsonl")" -gt 2 ] && break
  sleep 0.05
done
name="$(squeue -h -o '%j' | grep -m1 '^autopass-' || true)"
[ -n "$name" ] || fail "no job of the run in the queue while it measures"
kill -9 "$pid"
wait "$pid" 2>/dev/null || true
pid=""
# srun sees its stdin end with the coordinator and the helper ends its job
# by itself. A job stays when srun could not tell (its machine stopped
# answering): one of the run's name stands for it.
sbatch -J "$name" -o /dev/null --wrap 'sleep 600' > /dev/null
before="$(once "$work/kill")"
"${tune_kill[@]}" --resume --nodes 1 > resume.out 2> resume.err || { cat resume.err; fail "--resume after SIGKILL failed"; }
grep -q "cancelled .* Slurm job(s)" resume.err || { cat resume.err; fail "--resume did not say it cancelled the old jobs"; }
after="$(once "$work/kill")" || fail "$after"
[ "$after" -ge "$before" ] || fail "finished evaluations went from $before to $after"
python3 - "$work/kill/journal.jsonl" <<'PY' || fail "an evaluation finished before the kill was measured again"
import json, sys
seen, again = set(), []
for line in open(sys.argv[1]):
    e = json.loads(line)
    if e["type"] == "eval_start" and e["data"]["key"] in seen:
        again.append(e["data"]["key"][:12])
    if e["type"] == "eval_done" and e["data"]["result"]["status"] != "env_failed":
        seen.add(e["data"]["key"])
if again:
    sys.exit("started again after it was done: %s" % again)
PY
[ "$(our_jobs)" = 0 ] || { squeue; fail "jobs left in the queue after --resume"; }

echo "== 5. refusals"
spec nopart 120 1 '{"partition": "nosuchpartition", "queue_timeout_s": 20}'
if "$tuner" baseline nopart.json --no-identity --runs 1 --run-dir "$work/nopart" > nopart.out 2>&1; then
  fail "a partition the cluster does not have was accepted"
fi
grep -q "runner slurm: no node" nopart.out && grep -qi "invalid partition" nopart.out \
  || { cat nopart.out; fail "no clear word about the partition"; }
spec badvalue 120 1 '{"account": "-x"}'
if "$tuner" baseline badvalue.json --no-identity --runs 1 --run-dir "$work/bad" > bad.out 2>&1; then
  fail "an account starting with - was accepted"
fi
grep -q "is not a Slurm account name" bad.out || { cat bad.out; fail "no clear word about the account"; }
python3 - <<'PY'
import json
d = json.load(open("badvalue.json")); d["runner"].pop("account")
d["run"]["env"] = {"AUTOPASS_V%d" % i: "x" for i in range(64)}
json.dump(d, open("manyenv.json", "w"))
PY
if "$tuner" baseline manyenv.json --no-identity --runs 1 --run-dir "$work/manyenv" > manyenv.out 2>&1; then
  fail "a request larger than the helper takes was accepted"
fi
grep -q "more than runner slurm's measuring helper takes" manyenv.out || { cat manyenv.out; fail "no clear word about the request's size"; }
if "$tuner" baseline "$bench/matmul/spec.json" --nodes 2 --runs 1 --run-dir "$work/local" > local.out 2>&1; then
  fail "--nodes was accepted with runner local"
fi
grep -q -- "--nodes is for --runner slurm" local.out || { cat local.out; fail "no clear word about --nodes"; }
[ "$(our_jobs)" = 0 ] || { squeue; fail "jobs left in the queue at the end"; }

echo "slurm-runner: all checks passed ($(( SECONDS - start )) s)"
