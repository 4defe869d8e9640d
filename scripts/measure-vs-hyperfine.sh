#!/usr/bin/env bash
# measure-vs-hyperfine.sh: benchgate's own timing of a fixed command
# ("format: time") next to hyperfine's, in one session, on the same command:
# mean, CV, and benchgate's per-run overhead (its wall time per repetition
# minus the command's measured wall time). Needs hyperfine (Debian package).
#
#   scripts/measure-vs-hyperfine.sh [RUNS]     (default 30)
set -euo pipefail
RUNS=${1:-30}
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$root"
go build -o "$work/benchgate" ./cmd/action
script='i=0; while [ $i -lt 30000 ]; do i=$((i+1)); done'
cat > "$work/suite.yml" <<YAML
version: 1
name: fixed
benchmarks:
  - name: loop
    format: time
    repetitions: $RUNS
    command: [sh, -c, '$script']
YAML
# hyperfine: no shell wrapper (-N), 3 warm-up runs, as many timed runs.
hyperfine -N --warmup 3 --runs "$RUNS" --export-json "$work/h.json" "sh -c '$script'" >/dev/null
start=$(date +%s.%N)
"$work/benchgate" run --suite "$work/suite.yml" --db "$work/b.duckdb" --run-id m --output-dir "$work/out" --progress none --monitor-interval 0 >/dev/null 2>&1
end=$(date +%s.%N)
"$work/benchgate" export --db "$work/b.duckdb" --format json --output-dir "$work/export" >/dev/null
python3 - "$work/h.json" "$work/export/metric_samples.json" "$RUNS" "$start" "$end" <<'PY'
import json, statistics, sys
h = json.load(open(sys.argv[1]))["results"][0]["times"]
b = [r["samples"] for r in json.load(open(sys.argv[2])) if r["metric"] == "wall_time"][0]
runs, start, end = int(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5])
def cv(xs): return statistics.stdev(xs) / statistics.mean(xs) * 100
print(f"| tool | runs | mean (ms) | median (ms) | CV |")
print(f"|---|--:|--:|--:|--:|")
print(f"| hyperfine -N | {len(h)} | {statistics.mean(h)*1e3:.2f} | {statistics.median(h)*1e3:.2f} | {cv(h):.2f}% |")
print(f"| benchgate format: time | {len(b)} | {statistics.mean(b)*1e3:.2f} | {statistics.median(b)*1e3:.2f} | {cv(b):.2f}% |")
per = (end - start) / runs
print(f"\nbenchgate run: {end-start:.2f} s wall for {runs} runs = {per*1e3:.2f} ms per run; "
      f"overhead per run beyond the command's own wall time: {(per - statistics.mean(b))*1e3:.2f} ms "
      f"(includes start-up, DuckDB open and storing, amortised over the runs)")
PY
