#!/usr/bin/env bash
# A Slurm of one node (or a few) on this machine, for tests and for trying
# AutoPass's cluster path (docs/cluster.md): its own munged, slurmctld, slurmd, all
# state, logs, sockets and pid files under DIR, listening on 127.0.0.1 only.
#
# Usage: scripts/slurm-local.sh start DIR [--ttl SECONDS] [--nodes N]
#        scripts/slurm-local.sh stop DIR
#        scripts/slurm-local.sh status DIR
#        scripts/slurm-local.sh kill-node DIR NODE
#   start  generates DIR/slurm.conf and a munge key, starts the daemons, waits
#          until the nodes are idle and prints the line clients need:
#            export SLURM_CONF=DIR/slurm.conf
#          A watchdog stops everything after --ttl seconds (default 3600;
#          AUTOPASS_SLURM_LOCAL_TTL), so a forgotten instance never outlives
#          a test run by much. --nodes N (default 1, at most 8) starts N
#          slurmd on this machine as nodes HOST-1..HOST-N, each with an equal
#          share of the CPUs (at least one) and of the memory: for trying
#          parallel evaluations and a node lost mid-run, not for timing.
#   stop   cancels every job, stops the daemons and the watchdog, and then
#          kills any process still carrying this instance's marker in its
#          environment (slurmstepd, a step's tasks); fails if one survives.
#   status prints which daemons run and `sinfo`; exit 0 when all of them run.
#   kill-node  a node dies: SIGKILL its slurmd, the slurmstepd of every job on
#          it and their tasks. The controller marks it DOWN (Not responding)
#          and its jobs NODE_FAIL about 30 s later (SlurmdTimeout=10).
# Needs root (slurmd starts tasks as the submitting user) and Debian's
# slurm-wlm and munge (scripts/setup.sh --slurm). Exit codes: 0 done,
# 1 failed (the message names the log to read), 2 bad usage, 3 Slurm or
# munge not installed.
set -euo pipefail

usage() {
  echo "usage: scripts/slurm-local.sh start|stop|status DIR [--ttl SECONDS] [--nodes N]" >&2
  echo "       scripts/slurm-local.sh kill-node DIR NODE" >&2
  exit 2
}
die() { echo "slurm-local: $*" >&2; exit 1; }

[ $# -ge 2 ] || usage
action="$1"
dir_arg="$2"
shift 2
victim=""
if [ "$action" = kill-node ]; then
  [ $# -ge 1 ] || usage
  victim="$1"
  shift
fi
ttl="${AUTOPASS_SLURM_LOCAL_TTL:-3600}"
nodes=1
while [ $# -gt 0 ]; do
  case "$1" in
    --ttl) ttl="${2:-}"; shift 2 || usage ;;
    --ttl=*) ttl="${1#--ttl=}"; shift ;;
    --nodes) nodes="${2:-}"; shift 2 || usage ;;
    --nodes=*) nodes="${1#--nodes=}"; shift ;;
    *) echo "slurm-local: unknown argument '$1'" >&2; usage ;;
  esac
done
case "$ttl" in
  ''|*[!0-9]*) echo "slurm-local: --ttl must be a whole number of seconds, got '$ttl'" >&2; exit 2 ;;
esac
case "$nodes" in
  [1-8]) ;;
  *) echo "slurm-local: --nodes must be a number from 1 to 8, got '$nodes'" >&2; exit 2 ;;
esac
case "$action" in start|stop|status|kill-node) ;; *) usage ;; esac

script="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/$(basename "${BASH_SOURCE[0]}")"
if [ "$action" = start ]; then
  mkdir -p "$dir_arg" 2>/dev/null || die "cannot create $dir_arg"
fi
dir="$(cd "$dir_arg" 2>/dev/null && pwd)" || die "$dir_arg: no such directory"
conf="$dir/slurm.conf"
# Every daemon this instance starts carries this variable (`start` exports
# it); `stop` finds the leftovers (slurmstepd, the watchdog's sleep) by it, and
# a job's tasks by SLURM_CONF and SLURM_JOB_ID together, and by nothing broader.
marker="AUTOPASS_SLURM_LOCAL=$dir"
unset AUTOPASS_SLURM_LOCAL
export SLURM_CONF="$conf"

# alive PID: the process runs. A zombie does not count: our daemons are
# reparented to PID 1 when they detach, and it may reap them late.
alive() {
  local stat
  stat="$(cat "/proc/$1/stat" 2>/dev/null)" || return 1
  stat="${stat##*) }"
  [ "${stat%% *}" != Z ]
}

# pid_of NAME: the pid in DIR/run/NAME.pid if that process is alive.
pid_of() {
  local f="$dir/run/$1.pid" pid
  [ -s "$f" ] || return 1
  pid="$(tr -dc 0-9 <"$f")"
  [ -n "$pid" ] && alive "$pid" && echo "$pid"
}

# marked_pids: processes of this instance other than this script: those
# whose environment holds the marker, and a job's tasks (SLURM_JOB_ID set and
# SLURM_CONF naming this instance's slurm.conf).
marked_pids() {
  local f pid caller="$BASHPID"
  {
    grep -lzxF "$marker" /proc/[0-9]*/environ 2>/dev/null || true
    { grep -lzxF "SLURM_CONF=$conf" /proc/[0-9]*/environ 2>/dev/null || true; } |
      while read -r f; do
        if grep -qz '^SLURM_JOB_ID=' "$f" 2>/dev/null; then echo "$f"; fi
      done
  } | while read -r f; do
    pid="${f#/proc/}"
    pid="${pid%/environ}"
    # This script and the subshells running this function are not leftovers.
    if [ "$pid" != "$$" ] && [ "$pid" != "$BASHPID" ] && [ "$pid" != "$caller" ]; then
      echo "$pid"
    fi
  done | sort -u
}

# stop_pid PID: SIGTERM, then SIGKILL after 5 s.
stop_pid() {
  local pid="$1"
  kill -TERM "$pid" 2>/dev/null || return 0
  for _ in $(seq 50); do
    alive "$pid" || return 0
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
}

# free_ports N: N TCP ports on 127.0.0.1 that nothing listens on now.
free_ports() {
  python3 - "$1" <<'PY'
import socket, sys
socks = []
for _ in range(int(sys.argv[1])):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    socks.append(s)
print(" ".join(str(s.getsockname()[1]) for s in socks))
PY
}

check_installed() {
  local missing=() b
  for b in munged mungekey slurmctld slurmd sinfo srun sbatch scancel scontrol; do
    command -v "$b" >/dev/null || missing+=("$b")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "slurm-local: not installed: ${missing[*]} (Debian's slurm-wlm and munge;" \
      "install with scripts/setup.sh --slurm)" >&2
    exit 3
  fi
  [ "$(id -u)" -eq 0 ] || die "must run as root: slurmd starts each job's tasks as the submitting user"
}

# node_lines HOST PORT...: the NodeName lines, one node per port. One node is
# this machine as `slurmd -C` describes it; several share it out.
node_lines() {
  local host="$1" hw cpus mem i=0 port
  shift
  # slurmd -C: this machine's CPUs, sockets, cores, threads and memory.
  hw="$(slurmd -C 2>/dev/null | head -n1 | sed -e 's/^NodeName=[^ ]* //')"
  [ -n "$hw" ] || die "slurmd -C printed no node description"
  if [ $# -eq 1 ]; then
    echo "NodeName=$host NodeAddr=127.0.0.1 Port=$1 $hw State=UNKNOWN"
    return
  fi
  cpus="$(sed -n 's/.*CPUs=\([0-9]*\).*/\1/p' <<<"$hw")"
  mem="$(sed -n 's/.*RealMemory=\([0-9]*\).*/\1/p' <<<"$hw")"
  cpus=$((cpus / $# > 0 ? cpus / $# : 1))
  for port in "$@"; do
    i=$((i + 1))
    echo "NodeName=$host-$i NodeHostname=$host NodeAddr=127.0.0.1 Port=$port CPUs=$cpus" \
      "Boards=1 SocketsPerBoard=1 CoresPerSocket=$cpus ThreadsPerCore=1" \
      "RealMemory=$((mem / $#)) State=UNKNOWN"
  done
}

# node_names: the node names of this instance's slurm.conf.
node_names() { sed -n 's/^NodeName=\([^ ]*\) .*/\1/p' "$conf"; }

# write_conf HOST CTLD_PORT SLURMD_PORT...: DIR/slurm.conf.
write_conf() {
  local host="$1" ctld_port="$2" names
  shift 2
  names="$(node_lines "$host" "$@" | sed -n 's/^NodeName=\([^ ]*\) .*/\1/p' | paste -sd, -)"
  cat >"$conf" <<EOF
# Generated by scripts/slurm-local.sh for a single-node test cluster.
ClusterName=autopass-local
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$ctld_port
# Bind to the node's address (127.0.0.1) instead of INADDR_ANY: NoCtldInAddrAny
# for slurmctld, NoInAddrAny for slurmd, slurmstepd and the client commands.
CommunicationParameters=NoCtldInAddrAny,NoInAddrAny
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$dir/munge/munge.socket
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool/%n
SlurmctldPidFile=$dir/run/slurmctld.pid
SlurmdPidFile=$dir/run/slurmd-%n.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd-%n.log
# No cgroups: processes are tracked through /proc, tasks are not bound.
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
JobAcctGatherType=jobacct_gather/linux
# No slurmdbd: sacct has nothing to read. Finished jobs stay in
# \`scontrol show job\` for MinJobAge seconds and are appended to JobCompLoc.
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/filetxt
JobCompLoc=$dir/log/jobcomp.log
MinJobAge=300
MpiDefault=none
MailProg=/bin/true
SchedulerType=sched/backfill
ReturnToService=2
KillWait=5
InactiveLimit=0
SlurmctldTimeout=30
# A killed node is DOWN 10-15 s later (kill-node).
SlurmdTimeout=10
$(node_lines "$host" "$@")
PartitionName=local Nodes=$names Default=YES MaxTime=INFINITE State=UP
EOF
}

start_munged() {
  local d="$dir"
  # munged refuses a socket below a folder that others cannot search.
  while [ "$d" != / ]; do
    [ "$(( 0$(stat -c %a "$d") & 01 ))" -ne 0 ] ||
      die "$d is not searchable by others (mode $(stat -c %a "$d")); munged needs every folder above its socket to be: chmod o+x $d, or pick a DIR elsewhere"
    d="$(dirname "$d")"
  done
  mkdir -p "$dir/munge"
  # munged wants the socket's folder searchable by all (clients of any
  # user); the key file in it stays readable by root only.
  chmod 0755 "$dir/munge"
  [ -s "$dir/munge/munge.key" ] || mungekey --create --keyfile="$dir/munge/munge.key" ||
    die "mungekey could not create $dir/munge/munge.key"
  chmod 0600 "$dir/munge/munge.key"
  munged --socket="$dir/munge/munge.socket" --key-file="$dir/munge/munge.key" \
    --log-file="$dir/log/munged.log" --pid-file="$dir/run/munged.pid" \
    --seed-file="$dir/munge/munged.seed" ||
    die "munged did not start; see $dir/log/munged.log"
}

# wait_for WHAT SECONDS COMMAND...: polls COMMAND every 0.2 s.
wait_for() {
  local what="$1" limit="$2"
  shift 2
  for _ in $(seq $((limit * 5))); do
    "$@" >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  die "$what not ready after ${limit} s; logs in $dir/log"
}

# nodes_idle: every node of the instance is idle.
nodes_idle() { [ "$(sinfo -h -N -o %T 2>/dev/null | sort -u)" = idle ]; }

# daemons: the pid-file names of this instance's daemons, from slurm.conf.
daemons() {
  local n
  echo munged slurmctld
  [ -f "$conf" ] || return 0
  for n in $(node_names); do echo "slurmd-$n"; done
}

do_start() {
  check_installed
  local name host ports n
  for name in $(daemons); do
    ! pid_of "$name" >/dev/null ||
      die "an instance already runs in $dir (scripts/slurm-local.sh stop $dir first)"
  done
  host="$(hostname -s 2>/dev/null || true)"
  getent hosts "$host" >/dev/null 2>&1 || host=localhost
  mkdir -p "$dir/state" "$dir/spool" "$dir/log" "$dir/run"
  # A start that fails half-way stops what it started.
  trap 'echo "slurm-local: start failed; stopping what did start" >&2; do_stop' EXIT
  export AUTOPASS_SLURM_LOCAL="$dir"
  read -r -a ports <<<"$(free_ports $((nodes + 1)))"
  write_conf "$host" "${ports[@]}"
  start_munged
  # The watchdog first: whatever fails below, the instance ends by itself.
  setsid bash -c "sleep $ttl; exec env -u AUTOPASS_SLURM_LOCAL bash '$script' stop '$dir'" \
    >>"$dir/log/watchdog.log" 2>&1 </dev/null &
  echo $! >"$dir/run/watchdog.pid"
  slurmctld -i -f "$conf" </dev/null || die "slurmctld did not start; see $dir/log/slurmctld.log"
  wait_for slurmctld 20 scontrol ping
  for n in $(node_names); do
    slurmd -N "$n" -f "$conf" </dev/null || die "slurmd -N $n did not start; see $dir/log/slurmd-$n.log"
  done
  wait_for "nodes $(node_names | paste -sd' ' -)" 30 nodes_idle
  echo "slurm-local: $(node_names | paste -sd' ' -) idle; controller on 127.0.0.1:${ports[0]}," \
    "slurmd on 127.0.0.1:$(IFS=,; echo "${ports[*]:1}"); stops by itself in $ttl s" >&2
  trap - EXIT
  echo "export SLURM_CONF=$conf"
}

# cancel_jobs: scancel every job and wait (up to 10 s) until none runs, so
# that slurmstepd ends each step's tasks itself.
cancel_jobs() {
  local jobs
  pid_of slurmctld >/dev/null || return 0
  jobs="$(squeue -h -o %A 2>/dev/null || true)"
  [ -n "$jobs" ] || return 0
  # shellcheck disable=SC2086
  scancel --quiet $jobs 2>/dev/null || true
  for _ in $(seq 50); do
    [ -z "$(squeue -h -o %A 2>/dev/null || true)" ] && return 0
    sleep 0.2
  done
}

do_stop() {
  local name pid left
  # Run from a failed start, this shell exported the marker: its own children
  # (grep, sleep) must not carry it.
  unset AUTOPASS_SLURM_LOCAL
  cancel_jobs
  # All daemons at once: each takes about 2 s to wind down.
  local pids=()
  for name in $(daemons); do
    pid="$(pid_of "$name")" && kill -TERM "$pid" 2>/dev/null && pids+=("$pid")
  done
  for pid in "${pids[@]}"; do
    stop_pid "$pid"
  done
  # The watchdog leads its own process group (setsid): it and its sleep.
  # When the watchdog is what runs this stop, it is this very process.
  if pid="$(pid_of watchdog)" && [ "$pid" != "$$" ]; then
    kill -TERM -- "-$pid" 2>/dev/null || true
  fi
  rm -f "$dir/run/"*.pid
  # Whatever outlived its daemon: slurmstepd, a step's tasks.
  for pid in $(marked_pids); do
    stop_pid "$pid"
  done
  left="$(marked_pids)"
  [ -z "$left" ] || die "processes of $dir still run after stop: ${left//$'\n'/ }"
  echo "slurm-local: stopped $dir" >&2
}

do_status() {
  local name pid ok=0
  for name in $(daemons) watchdog; do
    if pid="$(pid_of "$name")"; then
      echo "$name: running (pid $pid)"
    else
      echo "$name: not running"
      [ "$name" = watchdog ] || ok=1
    fi
  done
  if [ "$ok" -eq 0 ]; then
    sinfo -N
    echo "export SLURM_CONF=$conf"
  fi
  return "$ok"
}

# descendants PID: PID's children, theirs, and so on.
descendants() {
  local child
  for child in $(pgrep -P "$1" || true); do
    echo "$child"
    descendants "$child"
  done
}

do_kill_node() {
  local pid job jobs stepd cmd victims=()
  grep -qx "$victim" <(node_names 2>/dev/null) ||
    die "kill-node: '$victim' is not a node of $conf (nodes: $(node_names 2>/dev/null | paste -sd' ' -))"
  pid="$(pid_of "slurmd-$victim")" || die "kill-node: slurmd of $victim does not run"
  victims+=("$pid")
  jobs="$(squeue -h -w "$victim" -o %A 2>/dev/null || true)"
  # This instance's slurmstepd (they carry its marker) of those jobs.
  for stepd in $(marked_pids); do
    cmd="$(tr '\0' ' ' <"/proc/$stepd/cmdline" 2>/dev/null)" || continue
    for job in $jobs; do
      case "$cmd" in
        "slurmstepd: [${job}."*) victims+=("$stepd")
          mapfile -t -O "${#victims[@]}" victims < <(descendants "$stepd") ;;
      esac
    done
  done
  kill -KILL "${victims[@]}" 2>/dev/null || true
  echo "slurm-local: killed node $victim (pids ${victims[*]})" >&2
}

"do_${action//-/_}"
