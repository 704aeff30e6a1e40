#!/usr/bin/env bash
# Starts (or stops) a throwaway OpenSSH server on 127.0.0.1 for the ssh
# runner's tests (docs/remote-runners.md, docs/testing.md): a fresh host key
# and client key in DIR, key login only, listening on loopback alone, and a
# watchdog that stops it by itself after LIFETIME seconds (default 900) even
# when the test that started it dies.
#
#   sshd-local.sh start DIR [LIFETIME [ALIAS]]
#                                        writes DIR/ssh_config (host alias ALIAS,
#                                        default "autopass-test") and DIR/port
#   sshd-local.sh stop DIR               stops the server and drops its
#                                        connections (a host going down)
#
# Clients use `ssh -F DIR/ssh_config ALIAS`; host key checking stays on
# (DIR/known_hosts holds the fresh host key). sshd must be /usr/sbin/sshd
# (Debian's openssh-server, installed by scripts/setup.sh --ssh).
set -euo pipefail
cmd="${1:-}" dir="${2:-}"
[ -n "$cmd" ] && [ -n "$dir" ] || { echo "usage: sshd-local.sh start|stop DIR [LIFETIME]" >&2; exit 2; }

stop() {
  # The watchdog (timeout) passes TERM on to the listening sshd ...
  if [ -s "$dir/watchdog.pid" ]; then
    kill -TERM "$(cat "$dir/watchdog.pid")" 2>/dev/null || true
    rm -f "$dir/watchdog.pid"
  fi
  if [ -s "$dir/sshd.pid" ]; then
    kill -TERM "$(cat "$dir/sshd.pid")" 2>/dev/null || true
    rm -f "$dir/sshd.pid"
  fi
  # ... but each connection's sshd runs in a session of its own (setsid):
  # end those by their socket, as a host that goes down would.
  if [ -s "$dir/port" ]; then
    local pids
    pids="$(ss -Htnp state established "( sport = :$(cat "$dir/port") )" 2>/dev/null |
            grep -o 'pid=[0-9]*' | cut -d= -f2 | sort -u || true)"
    [ -z "$pids" ] || kill -KILL $pids 2>/dev/null || true
  fi
}

case "$cmd" in
  stop) stop; exit 0 ;;
  start) ;;
  *) echo "sshd-local.sh: unknown command '$cmd'" >&2; exit 2 ;;
esac

lifetime="${3:-900}"
alias="${4:-autopass-test}"
[ -x /usr/sbin/sshd ] || { echo "sshd-local.sh: /usr/sbin/sshd not found (scripts/setup.sh --ssh installs openssh-server)" >&2; exit 1; }
mkdir -p "$dir"
dir="$(cd "$dir" && pwd)"
stop
rm -f "$dir/host_key" "$dir/host_key.pub" "$dir/client_key" "$dir/client_key.pub"
ssh-keygen -q -t ed25519 -N '' -f "$dir/host_key"
ssh-keygen -q -t ed25519 -N '' -f "$dir/client_key"
cp "$dir/client_key.pub" "$dir/authorized_keys"
chmod 600 "$dir/authorized_keys"
# Privilege separation needs this directory (the system service makes it).
mkdir -p /run/sshd && chmod 755 /run/sshd

# A free loopback port: bind to port 0 and read what the kernel chose.
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
echo "$port" > "$dir/port"
cat > "$dir/sshd_config" <<CONF
ListenAddress 127.0.0.1:$port
HostKey $dir/host_key
PidFile $dir/sshd.pid
AuthorizedKeysFile $dir/authorized_keys
AuthenticationMethods publickey
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin prohibit-password
UsePAM no
StrictModes no
MaxSessions 50
MaxStartups 50:30:100
LogLevel ERROR
CONF
echo "[127.0.0.1]:$port $(cut -d' ' -f1,2 "$dir/host_key.pub")" > "$dir/known_hosts"
cat > "$dir/ssh_config" <<CONF
Host $alias
  HostName 127.0.0.1
  Port $port
  User $(id -un)
  IdentityFile $dir/client_key
  IdentitiesOnly yes
  UserKnownHostsFile $dir/known_hosts
CONF
/usr/sbin/sshd -t -f "$dir/sshd_config"
# The watchdog: timeout ends sshd after LIFETIME seconds whatever happens to
# the test; setsid keeps it out of the test's process group and terminal.
setsid timeout -s TERM "$lifetime" /usr/sbin/sshd -D -e -f "$dir/sshd_config" \
  </dev/null >>"$dir/sshd.log" 2>&1 &
echo $! > "$dir/watchdog.pid"
for _ in $(seq 1 100); do
  if ssh -F "$dir/ssh_config" -o BatchMode=yes -o ConnectTimeout=2 "$alias" true 2>/dev/null; then
    exit 0
  fi
  sleep 0.1
done
echo "sshd-local.sh: the server on 127.0.0.1:$port did not accept a login; $dir/sshd.log:" >&2
cat "$dir/sshd.log" >&2 || true
stop
exit 1
