#!/usr/bin/env bash
# Installs every Debian 12 package AutoPass needs to build, test and run.
# Idempotent: when everything is present it does nothing. As root it runs
# apt-get; otherwise it prints the exact command to run and fails.
# Usage: scripts/setup.sh [--llvm 19|22] [--cross aarch64] [--ssh] [--slurm]
#   --llvm: which LLVM (default 19; docs/llvm-versions.md)
#   --cross aarch64: also the AArch64 cross sysroot, linker and qemu-user
#     (docs/cross-targets.md); scripts/test.sh asks for them.
#   --ssh: also OpenSSH's server, for the ssh runner's tests, which start
#     their own sshd on 127.0.0.1 (docs/remote-runners.md).
#   --slurm: also Slurm and munge, for scripts/slurm-local.sh and the
#     slurm-local ctest (docs/cluster.md); without them that test skips.
# The services these packages bring (sshd, munged, slurmctld, slurmd) are not
# started by the installation: the tests start their own, on loopback.
set -euo pipefail

llvm=19
cross=()
ssh=0
slurm=0
while [ $# -gt 0 ]; do
  case "$1" in
    --llvm) llvm="${2:-}"; shift 2 || { echo "setup: --llvm needs a version (19 or 22)" >&2; exit 2; } ;;
    --llvm=*) llvm="${1#--llvm=}"; shift ;;
    --cross) cross+=("${2:-}"); shift 2 || { echo "setup: --cross needs an architecture (aarch64)" >&2; exit 2; } ;;
    --cross=*) cross+=("${1#--cross=}"); shift ;;
    --ssh) ssh=1; shift ;;
    --slurm) slurm=1; shift ;;
    *) echo "setup: unknown argument '$1' (usage: scripts/setup.sh [--llvm 19|22] [--cross aarch64] [--ssh] [--slurm])" >&2; exit 2 ;;
  esac
done
case "$llvm" in
  19|22) ;;
  *) echo "setup: --llvm $llvm: AutoPass builds with LLVM 19 or 22" >&2; exit 2 ;;
esac

PACKAGES=(
  cmake ninja-build g++ python3 git
  "llvm-$llvm-dev" "clang-$llvm" "llvm-$llvm-tools" "libpolly-$llvm-dev" "libclang-rt-$llvm-dev"
  rapidjson-dev libcxxopts-dev catch2 libcurl4-openssl-dev
  valgrind
)
for arch in "${cross[@]}"; do
  case "$arch" in
    # clang --target=aarch64-linux-gnu finds this sysroot (/usr/aarch64-linux-gnu,
    # /usr/lib/gcc-cross) and links with aarch64-linux-gnu-ld; qemu-aarch64 runs it.
    aarch64) PACKAGES+=(qemu-user libc6-dev-arm64-cross libgcc-12-dev-arm64-cross
                        libstdc++-12-dev-arm64-cross binutils-aarch64-linux-gnu) ;;
    *) echo "setup: --cross $arch: only aarch64 is supported (docs/cross-targets.md)" >&2; exit 2 ;;
  esac
done
# The ssh client is the ssh runner itself; the server is for the tests.
[ "$ssh" -eq 0 ] || PACKAGES+=(openssh-client openssh-server)
# slurm-wlm pulls in slurmctld, slurmd and the client commands; Debian's
# packages ship systemd units, which scripts/slurm-local.sh does not use.
if [ "$slurm" -eq 1 ]; then
  PACKAGES+=(slurm-wlm munge)
fi

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

cmd="apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
  echo "setup: missing Debian packages: ${missing[*]}" >&2
  echo "setup: run as root:  apt-get update && $cmd" >&2
  exit 1
fi

echo "setup: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# Installing openssh-server would start the system's sshd on every interface,
# slurm-wlm and munge their daemons; the tests start their own on loopback. A
# policy-rc.d that refuses to start services (exit 101) keeps them stopped,
# unless the machine has one already.
policy=/usr/sbin/policy-rc.d
own_policy=0
if [ $((ssh + slurm)) -gt 0 ] && [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' > "$policy"
  chmod 755 "$policy"
  own_policy=1
  trap 'rm -f "$policy"' EXIT
fi
status=0
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null || status=$?
[ "$own_policy" -eq 0 ] || rm -f "$policy"
exit "$status"
