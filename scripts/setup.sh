#!/usr/bin/env bash
# Installs every Debian 12 package AutoPass needs to build, test and run.
# Idempotent: when everything is present it does nothing. As root it runs
# apt-get; otherwise it prints the exact command to run and fails.
set -euo pipefail

PACKAGES=(
  cmake ninja-build g++ python3 git
  llvm-19-dev clang-19 llvm-19-tools libpolly-19-dev libclang-rt-19-dev
  rapidjson-dev libcxxopts-dev catch2 libcurl4-openssl-dev
  valgrind
)

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
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
