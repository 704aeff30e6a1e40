#!/usr/bin/env python3
"""Prints the plugin's JSON outputs as one line per item, for FileCheck.

  jq.py records FILE      one line per introspection record
  jq.py summary FILE      one line per summary entry
  jq.py diffs FILE        each diff, headed by "diff seq=N pass=P function=F"
  jq.py check-summary FILE  checks the summary against the records; prints OK
  jq.py loops FILE        one line per loop of autopass-features
  jq.py functions FILE    one line per function of autopass-features
  jq.py report FILE       one line per applied/unmatched hint of a report
  jq.py sources FILE      the source attribution of introspection records
  jq.py lines FILE        the source lines of autopass-features functions/loops
"""
import json
import sys


def records(doc):
    assert doc["schema"] == "autopass-introspect/1", doc["schema"]
    for r in doc["records"]:
        print("rec seq=%d %s %s %s inst=%d->%d blocks=%d->%d changed=%s%s" % (
            r["seq"], r["pass"], r["unit_kind"], r["unit"],
            r["instructions_before"], r["instructions_after"],
            r["blocks_before"], r["blocks_after"],
            "yes" if r["changed"] else "no",
            " gone" if r.get("unit_gone") else ""))


def summary(doc):
    for s in doc["summary"]:
        print("sum %s (%s) runs=%d changed=%d delta=%d" % (
            s["pass"], s.get("pipeline_name", "-"), s["runs"],
            s["changed_runs"], s["instruction_delta"]))


def diffs(doc):
    for d in doc["diffs"]:
        print("diff seq=%d pass=%s function=%s truncated=%s" % (
            d["seq"], d["pass"], d["function"], d["truncated"]))
        print(d["diff"], end="")


def check_summary(doc):
    expect = {}
    seqs = []
    for r in doc["records"]:
        seqs.append(r["seq"])
        e = expect.setdefault(r["pass"], [0, 0, 0])
        e[0] += 1
        e[1] += 1 if r["changed"] else 0
        if not r.get("unit_gone"):
            e[2] += r["instructions_after"] - r["instructions_before"]
        if not r["changed"]:
            # An unchanged unit cannot have changed size.
            assert r["instructions_before"] == r["instructions_after"], r
            assert r["blocks_before"] == r["blocks_after"], r
    assert seqs == list(range(1, len(seqs) + 1)), "seq is not 1..N"
    got = {s["pass"]: [s["runs"], s["changed_runs"], s["instruction_delta"]]
           for s in doc["summary"]}
    assert got == expect, (got, expect)
    print("OK %d records %d passes" % (len(seqs), len(got)))


def sources(doc):
    assert doc["schema"] == "autopass-introspect/1", doc["schema"]
    for r in doc["records"]:
        head = "src seq=%d %s %s %s" % (r["seq"], r["pass"], r["unit_kind"],
                                        r["unit"])
        if "source" in r:
            s = r["source"]
            print("%s loop-source=%s@%s:%d" % (head, s["function"], s["file"],
                                              s["line"]))
        for s in r.get("sources", []):
            print("%s part=%s inst=%d->%d changed=%s" % (
                head, s["function"], s["instructions_before"],
                s["instructions_after"], "yes" if s["changed"] else "no"))


def lines(doc):
    assert doc["schema"] == "autopass-features/1", doc["schema"]
    for f in doc["functions"]:
        if "source_lines" in f:
            print("lines function %s file=%s %d-%d" % (
                f["name"], f["file"], f["source_lines"][0],
                f["source_lines"][1]))
        for l in f["loops"]:
            if "source_lines" in l:
                print("lines loop %s header=%s %d-%d" % (
                    l["name"], l["line"], l["source_lines"][0],
                    l["source_lines"][1]))


def loops(doc):
    assert doc["schema"] == "autopass-features/1", doc["schema"]
    for f in doc["functions"]:
        for l in f["loops"]:
            tc = l["trip_count"]
            a = l["accesses"]
            print("loop %s parent=%s depth=%d line=%s innermost=%s trip=%s%s "
                  "loads=%d stores=%d unit=%d const=%d irregular=%d invariant=%d "
                  "calls=%s" % (
                      l["name"], l["parent"], l["depth"], l["line"],
                      "yes" if l["innermost"] else "no", tc["kind"],
                      ":%d" % tc["value"] if "value" in tc else "",
                      a["loads"], a["stores"], a["unit_stride"],
                      a["constant_stride"], a["irregular"], a["invariant"],
                      "yes" if l["has_calls"] else "no"))


def functions(doc):
    for f in doc["functions"]:
        print("function %s ir=%s instructions=%d blocks=%d direct=%d indirect=%d loops=%d" % (
            f["name"], f["analysis_ir"], f["instructions"], f["blocks"],
            f["calls_direct"], f["calls_indirect"], len(f["loops"])))
        print("  mix " + " ".join("%s=%d" % kv for kv in f["mix"].items()))


def report(doc):
    assert doc["schema"] == "autopass-hints-report/1", doc["schema"]
    print("config: %s" % doc["config"])
    for a in doc["applied"]:
        name = a.get("name") or "%s->%s" % (a["caller"], a["callee"])
        print("applied %s %s: %s" % (a["kind"], name, ", ".join(a["set"])))
    for u in doc["unmatched"]:
        print("unmatched %s %s: %s" % (u["kind"], u["name"], u["reason"]))


def main():
    mode, path = sys.argv[1], sys.argv[2]
    with open(path) as f:
        doc = json.load(f)
    {"records": records, "summary": summary, "diffs": diffs,
     "check-summary": check_summary, "loops": loops,
     "functions": functions, "report": report, "sources": sources,
     "lines": lines}[mode](doc)


if __name__ == "__main__":
    main()
