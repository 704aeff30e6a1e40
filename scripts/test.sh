#!/usr/bin/env bash
# Runs every AutoPass test: installs what is missing, builds, runs ctest
# (Catch2 unit tests and the lit suite). Usage: scripts/test.sh [BUILD_DIR]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${1:-$here/build}"
bash "$here/scripts/setup.sh"
cmake -S "$here" -B "$build" -G Ninja -DAUTOPASS_WERROR=ON >/dev/null
cmake --build "$build" -j "$(nproc)"
cd "$build"
ctest --output-on-failure -j "$(nproc)"
