#!/usr/bin/env python3
"""Two compilers' -O3 side by side on the bench/ suite (issue 17's figure:
clang-22 -O3 against clang-19 -O3, docs/results.md).

For every program of a suite: build it at -O3 with each compiler (the spec's
sources, compile, target and link flags), check that both binaries print the
same output (exactly, or within the spec's numeric tolerances), then time them
in interleaved pairs (the order inside each pair drawn at random), pinned to
one CPU, taking the child's user+system CPU time from wait4. The ratio is
median(A) / median(B) (above 1: B is faster) with a 95% bootstrap interval
over the pairs. Nothing is cached: every figure comes from this run.

Usage: bench/tools/compare_compilers.py [--pairs N] [--cpu K] [--seed S]
           [--json OUT] A_BINDIR B_BINDIR [SUITE]
e.g.   bench/tools/compare_compilers.py /usr/lib/llvm-19/bin /usr/lib/llvm-22/bin
"""

import argparse
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile

NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")


def build(bindir, spec, spec_dir, out):
    sources = [os.path.join(spec_dir, s) for s in spec["sources"]]
    cxx = any(s.endswith((".cc", ".cpp", ".cxx")) for s in sources)
    cmd = [os.path.join(bindir, "clang++" if cxx else "clang"), "-O3"]
    cmd += spec.get("compile_flags", []) + spec.get("target_flags", [])
    cmd += sources + spec.get("link_flags", []) + ["-o", out]
    subprocess.run(cmd, check=True)
    return cmd


def run(binary, args, cpu, keep=False):
    """CPU seconds (user + system) of one run, and its stdout when kept."""
    def pin():
        os.sched_setaffinity(0, {cpu})
    out = subprocess.PIPE if keep else subprocess.DEVNULL
    p = subprocess.Popen([binary] + args, stdout=out, stderr=subprocess.DEVNULL,
                         preexec_fn=pin)
    text = p.stdout.read() if keep else b""
    _, status, usage = os.wait4(p.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{binary} {' '.join(args)}: exit status {status}")
    return usage.ru_utime + usage.ru_stime, text


def same_output(a, b, check):
    if a == b:
        return True
    if check.get("kind") != "numeric":
        return False
    ta, tb = a.decode().split(), b.decode().split()
    if len(ta) != len(tb):
        return False
    rel, abs_ = check.get("rel_tol", 0.0), check.get("abs_tol", 0.0)
    for x, y in zip(ta, tb):
        if NUMBER.fullmatch(x) and NUMBER.fullmatch(y):
            fx, fy = float(x), float(y)
            if abs(fx - fy) > max(abs_, rel * max(abs(fx), abs(fy))):
                return False
        elif x != y:
            return False
    return True


def bootstrap(a, b, seed, resamples=2000):
    rng = random.Random(seed)
    n = len(a)
    ratios = []
    for _ in range(resamples):
        idx = [rng.randrange(n) for _ in range(n)]
        ratios.append(statistics.median(a[i] for i in idx) /
                      statistics.median(b[i] for i in idx))
    ratios.sort()
    return ratios[int(0.025 * resamples)], ratios[int(0.975 * resamples) - 1]


def compare(name, spec_path, bindirs, args, work):
    spec_dir = os.path.dirname(os.path.abspath(spec_path))
    with open(spec_path, encoding="utf-8") as f:
        spec = json.load(f)
    run_args = [a.replace("{dir}", spec_dir) for a in spec["run"].get("args", [])]
    bins = []
    for k, bindir in enumerate(bindirs):
        out = os.path.join(work, f"{name}-{k}")
        build(bindir, spec, spec_dir, out)
        bins.append(out)
    outs = [run(b, run_args, args.cpu, keep=True)[1] for b in bins]
    if not same_output(outs[0], outs[1], spec.get("check", {})):
        return {"program": name, "status": "outputs differ"}
    rng = random.Random(args.seed)
    samples = [[], []]
    run(bins[0], run_args, args.cpu)  # warm-up pair
    run(bins[1], run_args, args.cpu)
    for _ in range(args.pairs):
        order = [0, 1] if rng.random() < 0.5 else [1, 0]
        for k in order:
            samples[k].append(run(bins[k], run_args, args.cpu)[0])
    a, b = samples
    lo, hi = bootstrap(a, b, args.seed)
    return {"program": name, "status": "ok", "ratio": statistics.median(a) / statistics.median(b),
            "ci_lo": lo, "ci_hi": hi, "a_median_s": statistics.median(a),
            "b_median_s": statistics.median(b), "a_samples": a, "b_samples": b}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("a_bindir")
    ap.add_argument("b_bindir")
    ap.add_argument("suite", nargs="?",
                    default=os.path.join(os.path.dirname(os.path.dirname(
                        os.path.abspath(__file__))), "suite.json"))
    ap.add_argument("--pairs", type=int, default=10)
    ap.add_argument("--cpu", type=int, default=1)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--json")
    args = ap.parse_args()
    if args.pairs < 2:
        ap.error("--pairs must be at least 2")
    for d in (args.a_bindir, args.b_bindir):
        if not os.path.isfile(os.path.join(d, "clang")):
            ap.error(f"{d}: no clang there")
    with open(args.suite, encoding="utf-8") as f:
        suite = json.load(f)
    suite_dir = os.path.dirname(os.path.abspath(args.suite))
    rows = []
    with tempfile.TemporaryDirectory(prefix="compare-compilers-") as work:
        for rel in suite["programs"]:
            name = os.path.basename(os.path.dirname(rel))
            row = compare(name, os.path.join(suite_dir, rel), [args.a_bindir, args.b_bindir],
                          args, work)
            rows.append(row)
            if row["status"] == "ok":
                print(f"{name:10s} {row['ratio']:.3f} [{row['ci_lo']:.3f}, {row['ci_hi']:.3f}]"
                      f"  A {row['a_median_s']:.3f} s  B {row['b_median_s']:.3f} s", flush=True)
            else:
                print(f"{name:10s} {row['status']}", flush=True)
    ok = [r["ratio"] for r in rows if r["status"] == "ok"]
    geo = statistics.geometric_mean(ok) if ok else float("nan")
    print(f"geomean of {len(ok)} programs: {geo:.3f} (above 1: B is faster)")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump({"a": args.a_bindir, "b": args.b_bindir, "pairs": args.pairs,
                       "cpu": args.cpu, "seed": args.seed, "objective": "cpu (user+sys)",
                       "geomean": geo, "programs": rows}, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
