#!/usr/bin/env bash
# slurm-local (ctest): scripts/slurm-local.sh end to end, the Slurm facts a
# Slurm runner relies on (docs/cluster.md). In a fresh temporary folder:
# start a single-node Slurm; the node is idle; every daemon listens on
# 127.0.0.1 only; `srun --exclusive -N1 true` runs and a step's exit code comes
# back as srun's; an sbatch job named and commented like a coordinator's is
# listed by `squeue --me` under that name and comment, is cancelled mid-run and
# then reads CANCELLED in `scontrol show job` and in the job completion log;
# `stop` leaves no process of the instance behind.
#
# Skips (exit 77) when slurm-wlm or munge is not installed
# (scripts/setup.sh --slurm installs them) or when not run as root.
# Usage: slurm-local-test.sh [WORK_DIR]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
local_slurm="$here/slurm-local.sh"
start=$SECONDS
fail() { echo "slurm-local-test: FAIL: $*" >&2; exit 1; }
skip() { echo "slurm-local-test: SKIP: $*" >&2; exit 77; }

for b in munged mungekey slurmctld slurmd srun sbatch squeue scancel scontrol sinfo; do
  command -v "$b" >/dev/null ||
    skip "$b not found: Debian's slurm-wlm and munge are not installed (scripts/setup.sh --slurm)"
done
[ "$(id -u)" -eq 0 ] || skip "slurmd must run as root, and this test runs as $(id -un)"

work="${1:-}"
if [ -z "$work" ]; then
  work="$(mktemp -d "${TMPDIR:-/tmp}/autopass-slurm-local-XXXXXX")"
  # munged needs every folder above its socket searchable by others.
  chmod 0755 "$work"
else
  rm -rf "$work"
  mkdir -p "$work"
fi
cluster="$work/cluster"
stopped=0
cleanup() {
  [ "$stopped" = 1 ] || bash "$local_slurm" stop "$cluster" || true
}
trap cleanup EXIT

# A watchdog of 120 s: even a killed test leaves nothing running for long.
line="$(bash "$local_slurm" start "$cluster" --ttl 120)" || fail "start failed (logs in $cluster/log)"
case "$line" in
  "export SLURM_CONF=$cluster/slurm.conf") eval "$line" ;;
  *) fail "start printed '$line', expected 'export SLURM_CONF=$cluster/slurm.conf'" ;;
esac
[ "$(sinfo -h -o %T)" = idle ] || fail "sinfo: the node is '$(sinfo -h -o %T)', expected idle"

# Loopback only: every listening TCP socket of the three daemons.
if command -v ss >/dev/null; then
  pids="$(cat "$cluster"/run/*.pid)"
  listening="$(ss -Hltnp)"
  n=0
  for pid in $pids; do
    while read -r addr; do
      n=$((n + 1))
      case "$addr" in
        127.0.0.1:*) ;;
        *) fail "pid $pid listens on $addr, expected 127.0.0.1 only" ;;
      esac
    done < <(grep "pid=$pid," <<<"$listening" | awk '{print $4}')
  done
  [ "$n" -ge 2 ] || fail "found $n listening sockets of slurmctld and slurmd, expected 2"
fi

srun --exclusive -N1 true || fail "srun --exclusive -N1 true exited with $?"
rc=0
srun --exclusive -N1 sh -c 'exit 3' 2>/dev/null || rc=$?
[ "$rc" -eq 3 ] || fail "a step that exits 3: srun exited with $rc, expected 3"

# A job as a coordinator would submit it: its keys in the name and comment.
name="autopass-test-$$"
job="$(sbatch --parsable -N1 --exclusive -J "$name" --comment="autopass:test:eval-1" \
  -o "$work/job-%j.out" --wrap 'echo started; sleep 120')"
[[ "$job" =~ ^[0-9]+$ ]] || fail "sbatch printed '$job', expected a job id"
state=""
for _ in $(seq 50); do
  state="$(squeue -h -j "$job" -o %T)"
  [ "$state" = RUNNING ] && [ -s "$work/job-$job.out" ] && break
  sleep 0.2
done
[ "$state" = RUNNING ] || fail "job $job is '$state' after 10 s, expected RUNNING"
listed="$(squeue --me -h -o '%i|%j|%k|%T')"
grep -qxF "$job|$name|autopass:test:eval-1|RUNNING" <<<"$listed" ||
  fail "squeue --me does not list job $job by name and comment: $listed"

scancel "$job"
for _ in $(seq 50); do
  state="$(scontrol show job "$job" | grep -o 'JobState=[A-Z_]*' || true)"
  [ "$state" = JobState=CANCELLED ] && break
  sleep 0.2
done
[ "$state" = JobState=CANCELLED ] || fail "scontrol show job $job: '$state' 10 s after scancel, expected CANCELLED"
[ -z "$(squeue -h -j "$job" -o %T 2>/dev/null)" ] || fail "job $job still in squeue after it was cancelled"
grep -q "^JobId=$job .*JobState=CANCELLED" "$cluster/log/jobcomp.log" ||
  fail "the job completion log $cluster/log/jobcomp.log has no CANCELLED line for job $job"

pids="$(cat "$cluster"/run/*.pid)"
bash "$local_slurm" stop "$cluster" || fail "stop failed"
stopped=1
for pid in $pids; do
  # A zombie waiting for PID 1 to reap it does not run.
  stat="$(cat "/proc/$pid/stat" 2>/dev/null)" || continue
  stat="${stat##*) }"
  [ "${stat%% *}" = Z ] || fail "pid $pid of the instance still runs after stop"
done
rm -rf "$work"
echo "slurm-local-test: passed in $((SECONDS - start)) s"
