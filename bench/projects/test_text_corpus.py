#!/usr/bin/env python3
"""Tests of text-corpus.py: the size asked for, the same bytes for the same seed,
a clear error for a bad argument."""
import os
import subprocess
import sys
import tempfile
import unittest

SCRIPT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "text-corpus.py")


def run(*args):
    return subprocess.run([sys.executable, SCRIPT, *args], capture_output=True, text=True)


class TextCorpusTest(unittest.TestCase):
    def test_size_and_determinism(self):
        with tempfile.TemporaryDirectory() as d:
            a, b, c = (os.path.join(d, n) for n in ("a", "b", "c"))
            self.assertEqual(run(a, "0.05").returncode, 0)
            self.assertEqual(run(b, "0.05").returncode, 0)
            self.assertEqual(run(c, "0.05", "7").returncode, 0)
            data = open(a, "rb").read()
            self.assertGreaterEqual(len(data), 50_000)
            self.assertLess(len(data), 60_000)
            self.assertEqual(data, open(b, "rb").read())
            self.assertNotEqual(data, open(c, "rb").read())
            self.assertIn(b". ", data)  # sentences, not one run of words

    def test_bad_arguments(self):
        r = run("/nonexistent-dir/x", "abc")
        self.assertEqual(r.returncode, 1)
        self.assertIn("MEGABYTES must be a number", r.stderr)
        r = run("only-one-argument")
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("Usage", r.stderr)


if __name__ == "__main__":
    unittest.main()
