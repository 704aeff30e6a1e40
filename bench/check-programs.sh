#!/usr/bin/env bash
# check-programs.sh: builds every program of bench/suite.json at -O0 and -O3
# (more configurations with --all or --config) with clang-19 and each spec's
# flags, runs them and checks that the outputs agree within the tolerance the
# spec declares. One line per program; exit status 1 on any mismatch, build
# or run failure, 2 on a bad suite or spec. See docs/bench.md.
#
#   bench/check-programs.sh                 # -O0 vs -O3, whole suite
#   bench/check-programs.sh --all           # O0 O2 polly unroll novec vs O3
#   bench/check-programs.sh --only fft --time 5
#   bench/check-programs.sh --suite bench/quick.json
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
exec python3 "$here/tools/check_programs.py" "$@"
