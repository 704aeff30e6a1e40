# Sourced by ssh-test.sh and slurm-test.sh: reading a run directory's journal
# and result files from a test. Needs fail() defined by the caller.

# field FILE EXPR: a value of a result JSON (python expression over d).
field() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print($2)" "$1"; }

# wait_for_event RUN_DIR TYPE: until the run's journal has an event of TYPE.
wait_for_event() {
  for _ in $(seq 1 1200); do
    grep -q "\"type\":\"$2\"" "$1/journal.jsonl" 2>/dev/null && return 0
    sleep 0.05
  done
  fail "no $2 event in $1/journal.jsonl within 60 s"
}
