#!/usr/bin/env python3
"""Measures what the plugin's elements cost opt -O3 (docs/plugin.md).

Generates a C unit (gen_module.py), compiles it to unoptimized bitcode
(clang -O0 -Xclang -disable-O0-optnone -emit-llvm), counts its IR
instructions (from the first introspection record), then runs, interleaved
round by round in a rotating order:

  baseline    opt -passes='default<O3>'                      (no plugin)
  introspect  opt -load-pass-plugin -passes='autopass-introspect<out=F>,default<O3>'
  empty       opt -load-pass-plugin -passes='autopass<config=empty.json>,default<O3>'

Each run's wall time and CPU time (user+sys of the child) are recorded; the
figure is the per-round ratio variant/baseline, summarized as median with
min/max and interquartile range. CPU time is the steadier figure on a shared
machine. Usage:

  bench-overhead.py --plugin build/plugin/libAutoPassPlugin.so [--rounds 10]
                    [--functions 220] [--seed 1] [--json out.json] [--callgrind]

--callgrind adds a deterministic figure: the instructions opt executes, counted
by valgrind's callgrind, for one run of each variant.
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def run_timed(cmd):
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    err = proc.stderr.read().decode()
    proc.stderr.close()
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        sys.exit("bench-overhead: command failed (%d): %s\n%s" % (code, " ".join(cmd), err))
    return wall, usage.ru_utime + usage.ru_stime


def callgrind_total(path):
    """The total instruction count (Ir) of a callgrind output file."""
    with open(path) as f:
        for line in f:
            if line.startswith("summary:") or line.startswith("totals:"):
                return int(line.split()[1])
    sys.exit("bench-overhead: no totals in " + path)


def quartiles(values):
    v = sorted(values)
    if len(v) < 4:
        return v[0], v[-1]
    q = statistics.quantiles(v, n=4, method="inclusive")
    return q[0], q[2]


def summarize(ratios):
    lo, hi = quartiles(ratios)
    return {"median": statistics.median(ratios), "min": min(ratios),
            "max": max(ratios), "q1": lo, "q3": hi, "n": len(ratios)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--plugin", required=True)
    ap.add_argument("--llvm-bin", default="/usr/lib/llvm-19/bin")
    ap.add_argument("--rounds", type=int, default=10)
    ap.add_argument("--functions", type=int, default=220)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--json")
    ap.add_argument("--callgrind", action="store_true",
                    help="also count executed instructions of one run of each "
                         "variant under valgrind --tool=callgrind (deterministic, slow)")
    ap.add_argument("--keep", action="store_true",
                    help="keep the working directory (generated source, bitcode, outputs)")
    args = ap.parse_args()
    opt = os.path.join(args.llvm_bin, "opt")
    clang = os.path.join(args.llvm_bin, "clang")
    plugin = os.path.abspath(args.plugin)

    work = tempfile.mkdtemp(prefix="autopass-bench-")
    src = os.path.join(work, "gen.c")
    bc = os.path.join(work, "gen.bc")
    with open(src, "w") as f:
        subprocess.run([sys.executable, os.path.join(HERE, "gen_module.py"),
                        str(args.functions), str(args.seed)], stdout=f, check=True)
    subprocess.run([clang, "-O0", "-Xclang", "-disable-O0-optnone", "-emit-llvm",
                    "-c", src, "-o", bc], check=True)
    empty = os.path.join(work, "empty.json")
    with open(empty, "w") as f:
        f.write('{"schema":"autopass-config/1"}\n')
    rec = os.path.join(work, "records.json")

    # Size of the input, from the first record (a module pass sees it whole).
    subprocess.run([opt, "-load-pass-plugin=" + plugin,
                    "-passes=autopass-introspect<out=%s>,verify" % rec,
                    "-disable-output", bc], check=True)
    with open(rec) as f:
        instructions = json.load(f)["records"][0]["instructions_before"]

    variants = {
        "baseline": [opt, "-passes=default<O3>", bc, "-o", os.devnull],
        "introspect": [opt, "-load-pass-plugin=" + plugin,
                       "-passes=autopass-introspect<out=%s>,default<O3>" % rec,
                       bc, "-o", os.devnull],
        "empty": [opt, "-load-pass-plugin=" + plugin,
                  "-passes=autopass<config=%s>,default<O3>" % empty,
                  bc, "-o", os.devnull],
    }
    names = list(variants)
    # One warm-up run of each (page cache, dynamic loading).
    for name in names:
        run_timed(variants[name])

    samples = {n: [] for n in names}
    for r in range(args.rounds):
        order = names[r % len(names):] + names[:r % len(names)]
        for name in order:
            samples[name].append(run_timed(variants[name]))
        print("round %d/%d: %s" % (r + 1, args.rounds, "  ".join(
            "%s %.2fs/%.2fs" % (n, samples[n][-1][0], samples[n][-1][1]) for n in names)),
            file=sys.stderr)

    with open(rec) as f:
        records = len(json.load(f)["records"])

    result = {"instructions": instructions, "records": records,
              "rounds": args.rounds, "functions": args.functions,
              "seed": args.seed, "ratios": {}, "seconds": {}}
    for name in names:
        result["seconds"][name] = {
            "wall_median": statistics.median(s[0] for s in samples[name]),
            "cpu_median": statistics.median(s[1] for s in samples[name])}
    for name in ("introspect", "empty"):
        result["ratios"][name] = {
            "wall": summarize([v[0] / b[0] for v, b in zip(samples[name], samples["baseline"])]),
            "cpu": summarize([v[1] / b[1] for v, b in zip(samples[name], samples["baseline"])])}

    print("input: %d IR instructions (%d generated functions, seed %d); "
          "introspection wrote %d records" % (instructions, args.functions, args.seed, records))
    print("%d interleaved rounds; ratio to opt -O3 without the plugin:" % args.rounds)
    print("| variant | time | median | min | max | IQR |")
    print("|---|---|---|---|---|---|")
    for name in ("introspect", "empty"):
        for kind in ("cpu", "wall"):
            s = result["ratios"][name][kind]
            print("| %s | %s | %.3f | %.3f | %.3f | %.3f-%.3f |" % (
                name, kind, s["median"], s["min"], s["max"], s["q1"], s["q3"]))
    for name in names:
        print("median %s: wall %.3fs, cpu %.3fs" % (
            name, result["seconds"][name]["wall_median"], result["seconds"][name]["cpu_median"]))
    if args.callgrind:
        counts = {}
        for name in names:
            out = os.path.join(work, "callgrind.%s.out" % name)
            subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=" + out]
                           + variants[name], check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            counts[name] = callgrind_total(out)
        result["callgrind_instructions"] = counts
        print("callgrind, instructions executed by opt: %s" % ", ".join(
            "%s %d" % (n, counts[n]) for n in names))
        for name in ("introspect", "empty"):
            print("callgrind ratio %s / baseline: %.4f" % (name, counts[name] / counts["baseline"]))
    if args.json:
        with open(args.json, "w") as f:
            json.dump(result, f, indent=1)
    if args.keep:
        print("working directory kept: " + work)
    else:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
