#!/usr/bin/env python3
"""Tests of check_programs.py (bench/check-programs.sh): it must accept
outputs within a numeric tolerance, and report outputs beyond it, exact
mismatches, failing programs and bad specs with the right exit status.

Each test writes a tiny program and spec into a temporary directory. The
program prints 1 + DELTA and exits with STATUS, macros a configuration can
set with -D, so a configuration's output can be made to differ from the -O3
reference by a chosen amount; with NEED_DIR it fails unless its argument
(run.args ["{dir}"]) is the spec's directory, and UNUSED adds a warning. Run: python3 bench/tools/test_check_programs.py
"""

import json
import os
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
CHECKER = os.path.join(HERE, "check_programs.py")
# ctest passes the LLVM the project was configured with.
CLANG_DIR = os.environ.get("AUTOPASS_LLVM_BINDIR", "/usr/lib/llvm-19/bin")

PROGRAM = r"""
#include <stdio.h>
#include <string.h>
#ifndef DELTA
#define DELTA 0.0
#endif
#ifndef STATUS
#define STATUS 0
#endif
int main(int argc, char **argv) {
  (void)argc;
  (void)argv;
#ifdef UNUSED
  int Unused; /* -Wunused-variable */
#endif
#ifdef NEED_DIR
  /* Exit 4 unless argv[1] is the directory holding this source. */
  char Path[4096];
  snprintf(Path, sizeof(Path), "%s/prog.c", argc > 1 ? argv[1] : ".");
  FILE *F = fopen(Path, "r");
  if (!F)
    return 4;
  fclose(F);
#endif
  printf("value %.9e\n", 1.0 + DELTA);
  return STATUS;
}
"""


class CheckProgramsTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory(prefix="check-programs-test-")
        self.dir = self.tmp.name

    def tearDown(self):
        self.tmp.cleanup()

    def write_suite(self, check, schema="autopass-program/1"):
        prog_dir = os.path.join(self.dir, "prog")
        os.makedirs(prog_dir, exist_ok=True)
        with open(os.path.join(prog_dir, "prog.c"), "w") as f:
            f.write(PROGRAM)
        spec = {"schema": schema, "name": "prog", "sources": ["prog.c"],
                "compile_flags": ["-std=c11"], "run": {"args": ["{dir}"]},
                "check": check}
        with open(os.path.join(prog_dir, "spec.json"), "w") as f:
            json.dump(spec, f)
        suite = os.path.join(self.dir, "suite.json")
        with open(suite, "w") as f:
            json.dump({"schema": "autopass-suite/1", "name": "t",
                       "programs": ["prog/spec.json"]}, f)
        return suite

    def run_checker(self, suite, *configs):
        args = [sys.executable, CHECKER, "--suite", suite,
                "--clang-dir", CLANG_DIR]
        configs = list(configs)
        while configs:
            c = configs.pop(0)
            if c == "--cross":
                args += ["--cross", configs.pop(0)]
            else:
                args += ["--config", c]
        return subprocess.run(args, capture_output=True, text=True)

    def test_numeric_within_tolerance_passes(self):
        suite = self.write_suite({"kind": "numeric", "rel_tol": 1e-6,
                                  "abs_tol": 0})
        proc = self.run_checker(suite, "near=-O2 -DDELTA=1e-8")
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
        self.assertIn("ok   prog", proc.stdout)

    def test_numeric_beyond_tolerance_fails(self):
        suite = self.write_suite({"kind": "numeric", "rel_tol": 1e-6,
                                  "abs_tol": 1e-9})
        proc = self.run_checker(suite, "far=-O2 -DDELTA=1e-4")
        self.assertEqual(proc.returncode, 1, proc.stdout + proc.stderr)
        self.assertIn("FAIL prog", proc.stdout)
        self.assertIn("far: output differs from -O3: token 2", proc.stdout)

    def test_abs_tol_alone_accepts_small_differences(self):
        suite = self.write_suite({"kind": "numeric", "abs_tol": 1e-3})
        proc = self.run_checker(suite, "near=-O1 -DDELTA=1e-4")
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)

    def test_exact_check_rejects_any_difference(self):
        suite = self.write_suite({"kind": "exact"})
        proc = self.run_checker(suite, "O0", "tiny=-O2 -DDELTA=1e-8")
        self.assertEqual(proc.returncode, 1, proc.stdout + proc.stderr)
        self.assertIn("tiny: output differs from -O3: line 1", proc.stdout)
        self.assertNotIn("O0: output differs", proc.stdout)

    def test_dir_placeholder_is_the_spec_directory(self):
        suite = self.write_suite({"kind": "exact"})
        proc = self.run_checker(suite, "dir=-O2 -DNEED_DIR")
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)

    def test_failing_program_is_reported(self):
        suite = self.write_suite({"kind": "exact"})
        proc = self.run_checker(suite, "crash=-O2 -DSTATUS=3")
        self.assertEqual(proc.returncode, 1, proc.stdout + proc.stderr)
        self.assertIn("crash: exit status 3", proc.stdout)

    def test_build_error_is_reported(self):
        suite = self.write_suite({"kind": "exact"})
        proc = self.run_checker(suite, "broken=-O2 -DDELTA=(")
        self.assertEqual(proc.returncode, 1, proc.stdout + proc.stderr)
        self.assertIn("broken: build failed", proc.stdout)

    def test_cross_builds_for_aarch64_and_runs_under_qemu(self):
        # Needs scripts/setup.sh --cross aarch64 (scripts/test.sh installs it);
        # without it the AArch64 builds fail and so does this test.
        suite = self.write_suite({"kind": "exact"})
        proc = self.run_checker(suite, "O0", "--cross", "aarch64")
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
        self.assertIn("O3@aarch64 O0@aarch64 vs O3", proc.stdout)
        proc = self.run_checker(suite, "tiny=-O2 -DDELTA=1e-8", "--cross", "aarch64")
        self.assertEqual(proc.returncode, 1, proc.stdout + proc.stderr)
        self.assertIn("tiny@aarch64: output differs from native -O3: line 1",
                      proc.stdout)

    def test_warnings_fail_unless_no_werror(self):
        suite = self.write_suite({"kind": "exact"})
        proc = self.run_checker(suite, "warn=-O2 -DUNUSED")
        self.assertEqual(proc.returncode, 1, proc.stdout + proc.stderr)
        self.assertIn("warn: build failed", proc.stdout)
        self.assertIn("-Wunused-variable", proc.stdout)
        proc = subprocess.run([sys.executable, CHECKER, "--suite", suite,
                               "--clang-dir", CLANG_DIR, "--no-werror",
                               "--config", "warn=-O2 -DUNUSED"],
                              capture_output=True, text=True)
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)

    def test_bad_schema_is_a_usage_error(self):
        suite = self.write_suite({"kind": "exact"}, schema="autopass-program/0")
        proc = self.run_checker(suite)
        self.assertEqual(proc.returncode, 2)
        self.assertIn("schema: expected \"autopass-program/1\"", proc.stderr)

    def test_unknown_configuration_is_a_usage_error(self):
        suite = self.write_suite({"kind": "exact"})
        proc = self.run_checker(suite, "O7")
        self.assertEqual(proc.returncode, 2)
        self.assertIn("unknown configuration 'O7'", proc.stderr)


if __name__ == "__main__":
    unittest.main()
