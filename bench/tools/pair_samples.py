#!/usr/bin/env python3
"""Collect the interleaved pairs that tuning runs recorded in their journals
into one small file: the recorded samples on which the sequential stopping
rule is checked against the fixed rule (tuner/tests/SequentialRuleTest.cpp,
docs/measurement.md, "Stopping early").

Every `eval_done` and `confirm_done` event whose result has status ok and
baseline/candidate samples (docs/run-directory.md) becomes one series; a
candidate that was not timed (identical image) has no samples and is left
out. Samples are rounded to microseconds (the file stays small; the rule's
decisions do not depend on the last digits).

Usage: bench/tools/pair_samples.py OUT.json JOURNAL...
"""

import json
import os
import sys


def series_of(journal):
    with open(journal, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            try:
                event = json.loads(line)
            except json.JSONDecodeError:
                print(f"{journal}:{n}: not JSON, skipped", file=sys.stderr)
                continue
            if event.get("type") not in ("eval_done", "confirm_done"):
                continue
            result = event.get("data", {}).get("result", {})
            base = result.get("baseline_samples") or []
            cand = result.get("candidate_samples") or []
            if result.get("status") != "ok" or len(base) < 2 or len(base) != len(cand):
                continue
            yield {
                "program": event.get("data", {}).get("key", "")[:12],
                "config": result.get("config_hash", "")[:12],
                "objective": result.get("objective", ""),
                "baseline": [round(x, 6) for x in base],
                "candidate": [round(x, 6) for x in cand],
            }


def main(argv):
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    out, journals = argv[1], argv[2:]
    series = []
    for j in journals:
        name = os.path.basename(os.path.dirname(os.path.abspath(j)))
        for s in series_of(j):
            s["program"] = name
            series.append(s)
    doc = {"schema": "autopass-pair-samples/1", "series": series}
    with open(out, "w", encoding="utf-8") as f:
        json.dump(doc, f, separators=(",", ":"))
        f.write("\n")
    print(f"{out}: {len(series)} series from {len(journals)} journals")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
