#!/usr/bin/env python3
"""Write the development corpus (bench/corpus/README.md) from a fetched copy of
the public collections it names.

The repository holds only this generator and its manifest (programs.json):
which files of which collection make a program, the flags and arguments its
own build system gives it, how its output is checked, and which half of the
corpus it belongs to. The programs' code and data are read from the copy the
user fetched and copied into OUT, each program in OUT/NAME/ with its
autopass-program/1 spec; OUT also gets three suites (autopass-suite/1):
derive.json, report.json and all.json.

    make-corpus.py --test-suite ~/src/llvm-test-suite --out corpus
    autopass-tuner suite corpus/report.json --strategy expert --budget 20

The manifest is checked before anything is written: every error names the
program and the field. A source or data file missing from the copy is an
error, never a silently smaller program.
"""

import argparse
import json
import os
import shutil
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
HALVES = ("derive", "report")
# The command-line flag that gives each collection's copy.
COLLECTION_FLAGS = {"llvm-test-suite": "--test-suite"}
RESERVED = ("Polybench", "PolyBench", "Embench", "embench", "CoreMark",
            "coremark")
SOURCE_SUFFIXES = (".c", ".cc", ".cpp", ".cxx")
ENTRY_KEYS = {"name", "collection", "dir", "sources", "compile_flags",
              "link_flags", "args", "stdin", "data", "check", "half", "group",
              "note"}


class ManifestError(Exception):
    pass


def fail(where, message):
    raise ManifestError(f"{where}: {message}")


def string_list(entry, key, where):
    value = entry.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        fail(where, f"{key}: expected an array of strings")
    return value


def relative_path(value, where, key):
    if (not isinstance(value, str) or not value or os.path.isabs(value)
            or ".." in value.split("/")):
        fail(where, f"{key}: expected a relative path inside the collection, "
             f"got {json.dumps(value)}")
    return value


def check_entry(entry, index, collections, seen):
    where = f"programs[{index}]"
    if not isinstance(entry, dict):
        fail(where, "expected an object")
    unknown = sorted(set(entry) - ENTRY_KEYS)
    if unknown:
        fail(where, f"unknown key \"{unknown[0]}\"")
    name = entry.get("name")
    if not isinstance(name, str) or not name.replace("-", "").replace(
            "_", "").isalnum():
        fail(where, "name: expected letters, digits, '-' and '_'")
    where = f"{where} ({name})"
    if name in seen:
        fail(where, "name: used twice")
    seen.add(name)
    if entry.get("collection") not in collections:
        fail(where, f"collection: expected one of {sorted(collections)}")
    directory = relative_path(entry.get("dir"), where, "dir")
    if any(r in directory for r in RESERVED):
        fail(where, "dir: PolyBench, Embench and CoreMark are reserved for "
             "independent evaluation and never part of the corpus")
    sources = string_list(entry, "sources", where)
    if not sources:
        fail(where, "sources: required, a non-empty array")
    for key in ("sources", "data"):
        for value in string_list(entry, key, where):
            relative_path(value, where, key)
    for key in ("compile_flags", "link_flags", "args"):
        string_list(entry, key, where)
    if "stdin" in entry:
        relative_path(entry["stdin"], where, "stdin")
    if "group" in entry and not isinstance(entry["group"], str):
        fail(where, "group: expected a string")
    if entry.get("half") not in HALVES:
        fail(where, f"half: expected one of {list(HALVES)}")
    check = entry.get("check", {"kind": "exact"})
    if not isinstance(check, dict) or check.get("kind") not in ("exact",
                                                                "numeric"):
        fail(where, "check.kind: expected \"exact\" or \"numeric\"")


def load_manifest(path):
    try:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
    except (OSError, json.JSONDecodeError) as e:
        raise ManifestError(f"{path}: {e}")
    if doc.get("schema") != "autopass-corpus/1":
        fail(path, "schema: expected \"autopass-corpus/1\"")
    collections = doc.get("collections")
    if not isinstance(collections, dict) or not collections:
        fail(path, "collections: expected an object")
    programs = doc.get("programs")
    if not isinstance(programs, list) or not programs:
        fail(path, "programs: expected a non-empty array")
    seen = set()
    group_half = {}
    for index, entry in enumerate(programs):
        check_entry(entry, index, collections, seen)
        group = entry.get("group", entry["name"])
        if group_half.setdefault(group, entry["half"]) != entry["half"]:
            fail(f"programs[{index}] ({entry['name']})",
                 f"half: group \"{group}\" is split over both halves")
    return doc


def spec_for(entry):
    """The autopass-program/1 document of one corpus program."""
    spec = {
        "schema": "autopass-program/1",
        "name": entry["name"],
        "sources": entry["sources"],
        "compile_flags": entry.get("compile_flags", []),
        "link_flags": entry.get("link_flags", []),
        "run": {"args": entry.get("args", []), "timeout_s": 60},
        "check": entry.get("check", {"kind": "exact"}),
        "meta": {"corpus_half": entry["half"],
                 "corpus_group": entry.get("group", entry["name"]),
                 "collection": entry["collection"],
                 "origin": entry["dir"]},
    }
    if "stdin" in entry:
        spec["run"]["stdin"] = entry["stdin"]
    return spec


def copy_program(entry, roots, out):
    root = roots[entry["collection"]]
    src_dir = os.path.join(root, entry["dir"])
    dest = os.path.join(out, entry["name"])
    os.makedirs(dest, exist_ok=True)
    wanted = list(entry["sources"]) + entry.get("data", [])
    if "stdin" in entry:
        wanted.append(entry["stdin"])
    # Headers next to the sources are copied along, whatever their names.
    for name in sorted(os.listdir(src_dir)):
        if name.endswith((".h", ".hpp", ".inc", ".def")):
            wanted.append(name)
    for rel in dict.fromkeys(wanted):
        source = os.path.join(src_dir, rel)
        target = os.path.join(dest, rel)
        if os.path.isdir(source):
            shutil.copytree(source, target, dirs_exist_ok=True)
        elif os.path.isfile(source):
            os.makedirs(os.path.dirname(target), exist_ok=True)
            shutil.copyfile(source, target)
        else:
            raise ManifestError(
                f"{entry['name']}: {os.path.join(entry['dir'], rel)} is "
                f"missing from the copy at {root}")
    with open(os.path.join(dest, "spec.json"), "w", encoding="utf-8") as f:
        json.dump(spec_for(entry), f, indent=2)
        f.write("\n")


def write_suite(out, name, programs):
    doc = {"schema": "autopass-suite/1", "name": name,
           "programs": [f"{p['name']}/spec.json" for p in programs]}
    with open(os.path.join(out, f"{name}.json"), "w", encoding="utf-8") as f:
        json.dump(doc, f, indent=2)
        f.write("\n")


def main():
    parser = argparse.ArgumentParser(
        description="Write the development corpus (specs, sources, suites) "
        "from fetched copies of the public collections in the manifest.")
    parser.add_argument("--manifest", default=os.path.join(HERE,
                                                           "programs.json"))
    parser.add_argument("--test-suite", metavar="DIR",
                        help="a checkout of github.com/llvm/llvm-test-suite")
    parser.add_argument("--out", required=True, metavar="DIR",
                        help="where the corpus is written (created)")
    parser.add_argument("--only", action="append", metavar="NAME",
                        help="write only these programs (repeatable)")
    parser.add_argument("--check", action="store_true",
                        help="only validate the manifest")
    args = parser.parse_args()
    try:
        doc = load_manifest(args.manifest)
        if args.check:
            print(f"{args.manifest}: {len(doc['programs'])} programs, valid")
            return 0
        roots = {"llvm-test-suite": args.test_suite}
        for name in doc["collections"]:
            if name not in COLLECTION_FLAGS:
                raise ManifestError(f"collections: {name}: this generator "
                                    f"knows only {sorted(COLLECTION_FLAGS)}")
        known = {p["name"] for p in doc["programs"]}
        for name in args.only or []:
            if name not in known:
                raise ManifestError(f"--only {name}: no such program in "
                                    f"{args.manifest}")
        programs = [p for p in doc["programs"]
                    if not args.only or p["name"] in args.only]
        for p in programs:
            if not roots.get(p["collection"]):
                raise ManifestError(
                    f"{p['name']}: needs {COLLECTION_FLAGS[p['collection']]} DIR, a copy of "
                    f"{doc['collections'][p['collection']].get('url', p['collection'])}")
        os.makedirs(args.out, exist_ok=True)
        for p in programs:
            copy_program(p, roots, args.out)
        for half in HALVES:
            write_suite(args.out, half, [p for p in programs
                                         if p["half"] == half])
        write_suite(args.out, "all", programs)
    except ManifestError as e:
        print(f"make-corpus: {e}", file=sys.stderr)
        return 1
    print(f"make-corpus: {len(programs)} programs written to {args.out} "
          f"(derive.json, report.json, all.json)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
