#!/usr/bin/env python3
"""Tests of make-corpus.py (ctest: bench-corpus): the committed manifest is
valid and keeps to the corpus rules, and the generator writes specs and
suites from a collection copy, refusing reserved folders and missing files."""

import hashlib
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPT = os.path.join(HERE, "make-corpus.py")
spec = importlib.util.spec_from_file_location("make_corpus", SCRIPT)
make_corpus = importlib.util.module_from_spec(spec)
spec.loader.exec_module(make_corpus)


def run(*args):
    return subprocess.run([sys.executable, SCRIPT, *args], capture_output=True,
                          text=True)


def manifest(programs):
    return {"schema": "autopass-corpus/1",
            "collections": {"llvm-test-suite": {"url": "u", "commit": "c"}},
            "programs": programs}


def entry(name, **kw):
    e = {"name": name, "collection": "llvm-test-suite", "dir": "Bench/" + name,
         "sources": ["main.c"], "half": "derive"}
    e.update(kw)
    return e


class CommittedManifest(unittest.TestCase):
    def setUp(self):
        self.doc = make_corpus.load_manifest(os.path.join(HERE, "programs.json"))
        self.programs = self.doc["programs"]

    def test_at_least_thirty_programs_in_two_halves(self):
        self.assertGreaterEqual(len(self.programs), 30)
        halves = [p["half"] for p in self.programs]
        self.assertGreaterEqual(halves.count("derive"), 15)
        self.assertGreaterEqual(halves.count("report"), 15)

    def test_halves_follow_the_documented_rule(self):
        # Groups (one benchmark in two languages, variants of one program)
        # are never split; halves alternate over groups in SHA-256 order.
        def group(p):
            return p.get("group", p["name"])
        groups = sorted({group(p) for p in self.programs},
                        key=lambda g: hashlib.sha256(g.encode()).hexdigest())
        expected = {g: ("derive", "report")[i % 2] for i, g in enumerate(groups)}
        for p in self.programs:
            self.assertEqual(p["half"], expected[group(p)], p["name"])

    def test_nothing_reserved_and_nothing_from_bench(self):
        bench = set(os.listdir(os.path.join(HERE, "..")))
        for p in self.programs:
            for reserved in make_corpus.RESERVED:
                self.assertNotIn(reserved, p["dir"])
            self.assertNotIn(p["name"], bench)

    def test_check_flag_accepts_it(self):
        r = run("--check", "--out", "unused")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("valid", r.stdout)


class Generator(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.root = os.path.join(self.tmp.name, "suite")
        for name in ("alpha", "beta"):
            d = os.path.join(self.root, "Bench", name)
            os.makedirs(d)
            with open(os.path.join(d, "main.c"), "w") as f:
                f.write("int main(void) { return 0; }\n")
            with open(os.path.join(d, "util.h"), "w") as f:
                f.write("#define X 1\n")
        with open(os.path.join(self.root, "Bench", "beta", "input.txt"), "w") as f:
            f.write("data\n")

    def tearDown(self):
        self.tmp.cleanup()

    def write(self, programs):
        path = os.path.join(self.tmp.name, "m.json")
        with open(path, "w") as f:
            json.dump(manifest(programs), f)
        return path

    def test_writes_specs_data_headers_and_suites(self):
        m = self.write([entry("alpha", args=["7"]),
                        entry("beta", half="report", args=["{dir}/input.txt"],
                              data=["input.txt"],
                              check={"kind": "numeric", "rel_tol": 1e-3})])
        out = os.path.join(self.tmp.name, "out")
        r = run("--manifest", m, "--test-suite", self.root, "--out", out)
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(os.path.join(out, "beta", "spec.json")) as f:
            beta = json.load(f)
        self.assertEqual(beta["schema"], "autopass-program/1")
        self.assertEqual(beta["run"]["args"], ["{dir}/input.txt"])
        self.assertEqual(beta["check"]["kind"], "numeric")
        self.assertEqual(beta["meta"]["corpus_half"], "report")
        self.assertTrue(os.path.isfile(os.path.join(out, "beta", "input.txt")))
        self.assertTrue(os.path.isfile(os.path.join(out, "alpha", "util.h")))
        with open(os.path.join(out, "report.json")) as f:
            self.assertEqual(json.load(f)["programs"], ["beta/spec.json"])
        with open(os.path.join(out, "derive.json")) as f:
            self.assertEqual(json.load(f)["programs"], ["alpha/spec.json"])
        with open(os.path.join(out, "all.json")) as f:
            self.assertEqual(len(json.load(f)["programs"]), 2)

    def test_a_missing_file_names_program_and_file(self):
        m = self.write([entry("alpha", data=["absent.dat"])])
        r = run("--manifest", m, "--test-suite", self.root, "--out",
                os.path.join(self.tmp.name, "out"))
        self.assertEqual(r.returncode, 1)
        self.assertIn("alpha", r.stderr)
        self.assertIn("absent.dat", r.stderr)

    def test_reserved_collections_are_refused(self):
        m = self.write([entry("p", dir="SingleSource/Benchmarks/Polybench/x")])
        r = run("--manifest", m, "--check", "--out", "unused")
        self.assertEqual(r.returncode, 1)
        self.assertIn("reserved", r.stderr)

    def test_bad_entries_name_the_field(self):
        cases = [(entry("a", half="both"), "half"),
                 (entry("a", sources=[]), "sources"),
                 (entry("a", dir="../escape"), "dir"),
                 (entry("a", data=["/etc/passwd"]), "data"),
                 (entry("a", color="red"), "color"),
                 (entry("a b"), "name")]
        for e, field in cases:
            m = self.write([e])
            r = run("--manifest", m, "--check", "--out", "unused")
            self.assertEqual(r.returncode, 1, field)
            self.assertIn(field, r.stderr)
        m = self.write([entry("a", group="g"), entry("b", group="g", half="report")])
        self.assertIn("split over both halves", run("--manifest", m, "--check", "--out",
                                                    "unused").stderr)
        m = self.write([entry("a"), entry("a")])
        self.assertIn("used twice", run("--manifest", m, "--check", "--out",
                                        "unused").stderr)

    def test_without_the_collection_it_says_what_to_fetch(self):
        m = self.write([entry("alpha")])
        r = run("--manifest", m, "--out", os.path.join(self.tmp.name, "o"))
        self.assertEqual(r.returncode, 1)
        self.assertIn("needs --test-suite DIR", r.stderr)


if __name__ == "__main__":
    unittest.main()
