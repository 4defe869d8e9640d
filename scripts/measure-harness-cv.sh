#!/usr/bin/env bash
# measure-harness-cv.sh: the reference PyTorch harness's noise on CPU for one
# family at batch 1 and 8: the CV of the per-iteration latencies within a
# run, and the CV of the run-level p50 across repetitions (what the gate
# compares). Needs Debian's python3-torch at /usr/bin/python3.
#
#   scripts/measure-harness-cv.sh [FAMILY] [REPETITIONS]   (default bert 5)
set -euo pipefail
FAMILY=${1:-bert}
REPS=${2:-5}
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$root"
go build -o "$work/benchgate" ./cmd/action
cat > "$work/suite.yml" <<YAML
version: 1
name: harness-cv
matrix:
  models: [$FAMILY]
  hardware: [cpu]
  batch-sizes: [1, 8]
  repetitions: $REPS
  format: native
  command: [/usr/bin/python3, $root/harness/torch/bench.py, --model, "{model}", --hardware, "{hardware}",
            --batch-size, "{batch_size}", --iterations, "30", --output, "{output}"]
YAML
"$work/benchgate" run --suite "$work/suite.yml" --db "$work/b.duckdb" --output-dir "$work/out" --progress none >/dev/null 2>&1
"$work/benchgate" export --db "$work/b.duckdb" --format json --output-dir "$work/export" >/dev/null
python3 - "$work/export" <<'PY'
import json, statistics, sys
d = sys.argv[1]
perf = {r["id"]: r for r in json.load(open(f"{d}/performance_results.json"))}
def cv(xs): return statistics.stdev(xs) / statistics.mean(xs) * 100
print("| family | batch | reps | median latency (ms) | CV within a run (iterations, mean over reps) | CV of run-level p50 across reps |")
print("|---|--:|--:|--:|--:|--:|")
its = {}
for r in json.load(open(f"{d}/iteration_samples.json")):
    its.setdefault(r["performance_id"], []).append(r["latencies_s"])
for m in json.load(open(f"{d}/metric_samples.json")):
    if m["metric"] != "latency_p50":
        continue
    p = perf[m["performance_id"]]
    within = statistics.mean(cv(x) for x in its[m["performance_id"]])
    print(f"| {p['benchmark']} | {p['batch_size']} | {len(m['samples'])} | {statistics.median(m['samples'])*1e3:.2f} | {within:.2f}% | {cv(m['samples']):.2f}% |")
PY
