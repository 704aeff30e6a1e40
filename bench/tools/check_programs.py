#!/usr/bin/env python3
"""Build the benchmark programs of a suite at several optimization levels and
check that their outputs agree with the -O3 reference.

This is the engine behind bench/check-programs.sh (see that script and
docs/bench.md). It reads autopass-suite/1 and autopass-program/1 documents as
docs/program-spec.md describes them, builds each program with clang-19 and the
spec's flags plus each configuration's optimization flags, runs it as the spec
says (args with {dir}, stdin, env, timeout) in a scratch working directory,
and compares stdout with the spec's check: exact, or numeric (token by token,
numbers within abs_tol or rel_tol of the reference). It prints one line per
program and exits 1 when any build, run or comparison fails.

With --cross aarch64 the -O3 reference is still built and run natively, and
each configuration is built for aarch64-linux-gnu instead (clang --target=)
and run under qemu-aarch64 -L /usr/aarch64-linux-gnu (scripts/setup.sh
--cross aarch64 installs both); its output is compared with the native
reference (docs/cross-targets.md).

Optionally (--time N) it reports the median wall and CPU (user + system)
time of N runs of the -O3 binary, which is how the run times in docs/bench.md
were measured.
"""

import argparse
import json
import os
import resource
import shlex
import statistics
import subprocess
import sys
import tempfile
import time

CXX_SUFFIXES = (".cc", ".cpp", ".cxx", ".C")
REFERENCE = "O3"
DEFAULT_CONFIGS = ["O0", "O3"]
# Configurations the brief asks every program to survive; --all selects them.
KNOWN_CONFIGS = {
    "O0": ["-O0"],
    "O1": ["-O1"],
    "O2": ["-O2"],
    "O3": ["-O3"],
    "polly": ["-O3", "-mllvm", "-polly", "-mllvm",
              "-polly-vectorizer=stripmine"],
    "unroll": ["-O3", "-funroll-loops"],
    "novec": ["-O3", "-fno-vectorize", "-fno-slp-vectorize"],
}
ALL_CONFIGS = ["O0", "O2", "O3", "polly", "unroll", "novec"]
# --cross ARCH: the triple clang builds for and how the binary is started.
CROSS_TARGETS = {
    "aarch64": ("aarch64-linux-gnu",
                ["qemu-aarch64", "-L", "/usr/aarch64-linux-gnu"]),
}
# Emulated runs are slower than native ones; the spec's timeout is for native.
CROSS_TIMEOUT_FACTOR = 10


class SpecError(Exception):
    pass


def load_json(path, what):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except OSError as e:
        raise SpecError(f"{path}: cannot read {what}: {e.strerror}")
    except json.JSONDecodeError as e:
        raise SpecError(f"{path}: not valid JSON: {e}")


def load_suite(path):
    doc = load_json(path, "suite")
    if doc.get("schema") != "autopass-suite/1":
        raise SpecError(f"{path}: schema: expected \"autopass-suite/1\"")
    programs = doc.get("programs")
    if not isinstance(programs, list) or not programs:
        raise SpecError(f"{path}: programs: expected a non-empty array")
    base = os.path.dirname(os.path.abspath(path))
    return [os.path.join(base, p) for p in programs]


def string_list(doc, key, path):
    value = doc.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise SpecError(f"{path}: {key}: expected an array of strings")
    return value


def load_spec(path):
    """The subset of autopass-program/1 this checker needs, validated."""
    doc = load_json(path, "program spec")
    if doc.get("schema") != "autopass-program/1":
        raise SpecError(f"{path}: schema: expected \"autopass-program/1\"")
    spec_dir = os.path.dirname(os.path.abspath(path))
    name = doc.get("name") or os.path.splitext(os.path.basename(path))[0]
    sources = string_list(doc, "sources", path)
    if not sources:
        raise SpecError(f"{path}: sources: required, a non-empty array")
    for i, src in enumerate(sources):
        if not src.endswith((".c",) + CXX_SUFFIXES):
            raise SpecError(f"{path}: sources[{i}]: expected a C or C++ file")
        if not os.path.isfile(os.path.join(spec_dir, src)):
            raise SpecError(f"{path}: sources[{i}]: file not found: {src}")
    run = doc.get("run", {})
    check = doc.get("check", {})
    kind = check.get("kind", "exact")
    if kind not in ("exact", "numeric"):
        raise SpecError(f"{path}: check.kind: this checker handles exact and "
                        f"numeric, got \"{kind}\"")
    stdin = run.get("stdin")
    return {
        "path": path,
        "dir": spec_dir,
        "name": name,
        "sources": [os.path.join(spec_dir, s) for s in sources],
        "compile_flags": string_list(doc, "compile_flags", path),
        "link_flags": string_list(doc, "link_flags", path),
        "target_flags": string_list(doc, "target_flags", path),
        "args": [a.replace("{dir}", spec_dir)
                 for a in string_list(run, "args", path)],
        "stdin": os.path.join(spec_dir, stdin) if stdin else None,
        "env": run.get("env", {}),
        "timeout": float(run.get("timeout_s", 60)),
        "check": kind,
        "abs_tol": float(check.get("abs_tol", 0)),
        "rel_tol": float(check.get("rel_tol", 0)),
    }


def build(spec, config, opt_flags, clang_dir, out_dir, werror, target_flags=()):
    is_cxx = any(s.endswith(CXX_SUFFIXES) for s in spec["sources"])
    driver = os.path.join(clang_dir, "clang++" if is_cxx else "clang")
    binary = os.path.join(out_dir, f"{spec['name']}.{config}")
    opt_flags = list(opt_flags) + list(target_flags)
    warn = ["-Wall", "-Wextra"] + (["-Werror"] if werror else [])
    cmd = ([driver] + opt_flags + spec["compile_flags"] + spec["target_flags"]
           + warn + spec["sources"] + ["-o", binary] + spec["link_flags"])
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        first = (proc.stderr.strip().splitlines() or ["(no output)"])[0]
        return None, f"build failed: {first}\n    command: {shlex.join(cmd)}"
    return binary, None


def child_cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(spec, binary, launcher=(), timeout_factor=1):
    """Runs the binary as the spec says (after launcher, e.g. qemu); returns
    (stdout, (wall, cpu) seconds, error). CPU time (user + system) is the
    figure to trust when the machine is shared: wall time then includes
    waiting for a core."""
    timeout = spec["timeout"] * timeout_factor
    env = dict(os.environ)
    env.update(spec["env"])
    with tempfile.TemporaryDirectory(prefix="bench-run-") as cwd:
        stdin = open(spec["stdin"], "rb") if spec["stdin"] else subprocess.DEVNULL
        try:
            cpu_start = child_cpu_seconds()
            start = time.perf_counter()
            proc = subprocess.run(list(launcher) + [binary] + spec["args"],
                                  stdin=stdin, capture_output=True, cwd=cwd,
                                  env=env, timeout=timeout)
            seconds = (time.perf_counter() - start,
                       child_cpu_seconds() - cpu_start)
        except subprocess.TimeoutExpired:
            return None, None, f"timed out after {timeout:g} s"
        finally:
            if spec["stdin"]:
                stdin.close()
    if proc.returncode != 0:
        return None, None, f"exit status {proc.returncode}"
    return proc.stdout.decode("utf-8", "replace"), seconds, None


def as_number(token):
    try:
        return float(token)
    except ValueError:
        return None


def compare(spec, reference, candidate):
    """None when candidate matches reference under the spec's check."""
    if spec["check"] == "exact":
        if reference == candidate:
            return None
        ref_lines, cand_lines = reference.splitlines(), candidate.splitlines()
        for i, (r, c) in enumerate(zip(ref_lines, cand_lines)):
            if r != c:
                return f"line {i + 1}: expected '{r}', got '{c}'"
        return f"expected {len(ref_lines)} lines, got {len(cand_lines)}"
    ref_tokens, cand_tokens = reference.split(), candidate.split()
    if len(ref_tokens) != len(cand_tokens):
        return f"expected {len(ref_tokens)} tokens, got {len(cand_tokens)}"
    for i, (r, c) in enumerate(zip(ref_tokens, cand_tokens)):
        if r == c:
            continue
        rn, cn = as_number(r), as_number(c)
        if rn is None or cn is None:
            return f"token {i + 1}: expected '{r}', got '{c}'"
        diff = abs(rn - cn)
        if diff <= spec["abs_tol"] or diff <= spec["rel_tol"] * abs(rn):
            continue
        return (f"token {i + 1}: expected {r}, got {c} (differs by {diff:.3g}, "
                f"abs_tol {spec['abs_tol']:g}, rel_tol {spec['rel_tol']:g})")
    return None


def parse_config(text):
    """NAME (a known configuration) or NAME=FLAGS (shell-quoted flags)."""
    if "=" in text:
        name, flags = text.split("=", 1)
        return name, shlex.split(flags)
    if text not in KNOWN_CONFIGS:
        known = ", ".join(KNOWN_CONFIGS)
        raise SpecError(f"unknown configuration '{text}' (known: {known}; "
                        f"or give NAME=FLAGS)")
    return text, KNOWN_CONFIGS[text]


def check_cross(spec, names, args, out_dir, reference):
    """Every configuration built for args.cross and run under its emulator,
    compared with the native -O3 reference."""
    triple, launcher = CROSS_TARGETS[args.cross]
    problems = []
    for config in names:
        label = f"{config}@{args.cross}"
        binary, error = build(spec, label, args.config_flags[config],
                              args.clang_dir, out_dir, not args.no_werror,
                              [f"--target={triple}"])
        if not error:
            stdout, _, error = run(spec, binary, launcher, CROSS_TIMEOUT_FACTOR)
        if error:
            problems.append(f"{label}: {error}")
            continue
        mismatch = compare(spec, reference, stdout)
        if mismatch:
            problems.append(f"{label}: output differs from native -O3: {mismatch}")
    return problems


def check_program(spec, configs, args, out_dir):
    outputs, problems = {}, []
    names = [REFERENCE] + [c for c in configs if c != REFERENCE]
    if args.cross:
        # Natively, only the reference: the configurations run for the target.
        configs_native = [REFERENCE]
    else:
        configs_native = names
    for config in configs_native:
        binary, error = build(spec, config, args.config_flags[config],
                              args.clang_dir, out_dir, not args.no_werror)
        if error:
            problems.append(f"{config}: {error}")
            continue
        stdout, _, error = run(spec, binary)
        if error:
            problems.append(f"{config}: {error}")
            continue
        outputs[config] = stdout
        if config != REFERENCE and REFERENCE in outputs:
            mismatch = compare(spec, outputs[REFERENCE], stdout)
            if mismatch:
                problems.append(f"{config}: output differs from -O3: {mismatch}")
    if args.cross and REFERENCE in outputs:
        problems += check_cross(spec, names, args, out_dir, outputs[REFERENCE])

    timing = ""
    if args.time and REFERENCE in outputs and not problems:
        binary = os.path.join(out_dir, f"{spec['name']}.{REFERENCE}")
        walls, cpus = [], []
        for _ in range(args.time):
            _, seconds, error = run(spec, binary)
            if error:
                problems.append(f"timing run: {error}")
                break
            walls.append(seconds[0])
            cpus.append(seconds[1])
        if walls:
            timing = (f"  O3 wall median {statistics.median(walls):.3f} s "
                      f"(min {min(walls):.3f}), cpu median "
                      f"{statistics.median(cpus):.3f} s (min {min(cpus):.3f}), "
                      f"{len(walls)} runs")
    return problems, timing


def main():
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    parser = argparse.ArgumentParser(
        description="Build every program of a suite at several optimization "
                    "levels and check the outputs against -O3.")
    parser.add_argument("--suite", default=os.path.join(here, "suite.json"))
    parser.add_argument("--clang-dir", default="/usr/lib/llvm-19/bin",
                        help="directory holding clang and clang++")
    parser.add_argument("--build-dir", default=None,
                        help="where binaries go (default: a temporary directory)")
    parser.add_argument("--config", action="append", default=None,
                        help="a configuration to compare with -O3: one of "
                             + ", ".join(KNOWN_CONFIGS)
                             + ", or NAME=FLAGS; repeatable (default: O0)")
    parser.add_argument("--all", action="store_true",
                        help="compare " + ", ".join(ALL_CONFIGS)
                             + " (plus any --config)")
    parser.add_argument("--only", action="append", default=None,
                        help="check only the named program; repeatable")
    parser.add_argument("--time", type=int, default=0, metavar="N",
                        help="also report the median wall and CPU time of N -O3 "
                             "runs")
    parser.add_argument("--no-werror", action="store_true",
                        help="do not turn -Wall -Wextra warnings into errors")
    parser.add_argument("--cross", choices=sorted(CROSS_TARGETS), default=None,
                        help="build the configurations for this architecture and "
                             "run them under qemu-user, against the native -O3 "
                             "reference (scripts/setup.sh --cross aarch64)")
    args = parser.parse_args()

    try:
        config_names = (ALL_CONFIGS if args.all else []) + (args.config or [])
        if not config_names:
            config_names = DEFAULT_CONFIGS
        args.config_flags = dict(parse_config(c) for c in config_names)
        args.config_flags[REFERENCE] = KNOWN_CONFIGS[REFERENCE]
        specs = [load_spec(p) for p in load_suite(args.suite)]
    except SpecError as e:
        print(f"check-programs: {e}", file=sys.stderr)
        return 2
    if args.only:
        unknown = set(args.only) - {s["name"] for s in specs}
        if unknown:
            print(f"check-programs: not in the suite: {', '.join(sorted(unknown))}",
                  file=sys.stderr)
            return 2
        specs = [s for s in specs if s["name"] in args.only]

    configs = list(args.config_flags)
    width = max(len(s["name"]) for s in specs)
    failures = 0
    with tempfile.TemporaryDirectory(prefix="bench-build-") as scratch:
        out_dir = args.build_dir or scratch
        os.makedirs(out_dir, exist_ok=True)
        for spec in specs:
            problems, timing = check_program(spec, configs, args, out_dir)
            status = "FAIL" if problems else "ok"
            others = " ".join(c for c in configs if c != REFERENCE)
            if args.cross:
                others = " ".join(f"{c}@{args.cross}" for c in
                                  [REFERENCE] + [c for c in configs if c != REFERENCE])
            compared = f"{others} vs {REFERENCE}" if others else REFERENCE
            print(f"{status:4} {spec['name']:{width}} {spec['check']:7} "
                  f"{compared}{timing}", flush=True)
            for p in problems:
                print(f"    {p}", flush=True)
            failures += bool(problems)
    total = len(specs)
    print(f"{total - failures}/{total} programs agree with -O3")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
