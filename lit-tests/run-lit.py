#!/usr/bin/env python3
"""Runs the lit suite (ctest test `lit`); in the sanitizer build, also fails
on any sanitizer report the suite's opt and clang invocations wrote.

Usage: run-lit.py LIT BINARY_DIR [REPORTS_DIR]

A report is written to a file in REPORTS_DIR (ASAN_OPTIONS log_path, set by
lit.cfg.py) as well as failing the command that caused it, because a RUN
line under `not` expects opt or clang to fail and lit's `not` counts a
sanitizer abort as the expected failure. An empty REPORTS_DIR (the normal
build) only runs lit.
"""
import os
import shutil
import subprocess
import sys


def main(argv):
    if len(argv) not in (3, 4):
        print("usage: run-lit.py LIT BINARY_DIR [REPORTS_DIR]", file=sys.stderr)
        return 2
    lit, binary_dir = argv[1], argv[2]
    reports = argv[3] if len(argv) == 4 else ""
    if reports:
        shutil.rmtree(reports, ignore_errors=True)
        os.makedirs(reports)
    status = subprocess.call([sys.executable, lit, "-sv", binary_dir])
    if not reports:
        return status
    found = sorted(os.listdir(reports))
    for name in found:
        path = os.path.join(reports, name)
        print("run-lit.py: sanitizer report %s:" % path, file=sys.stderr)
        with open(path, errors="replace") as f:
            sys.stderr.write(f.read())
    if found:
        print("run-lit.py: %d sanitizer report(s) from the lit suite's opt/clang runs"
              % len(found), file=sys.stderr)
        return 1
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv))
