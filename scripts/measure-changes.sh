#!/usr/bin/env bash
# Times `benchgate changes` end to end (process start, database open, the one
# query, the detector over every series, grouping, save) on histories of 520
# series × N commits (one sample per commit, 52 series stepping +10 % at
# commit 45), built by BenchmarkChanges: the first analysis (everything
# saved), a repeat (nothing changes) and a --dry-run (no save). Prints one
# line per N. Usage: scripts/measure-changes.sh [DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-$(mktemp -d)}
mkdir -p "$dir"
echo "building histories in $dir (BenchmarkChanges; minutes)…" >&2
BENCHGATE_KEEP_DB="$dir" go test ./internal/history -run '^$' -bench 'BenchmarkChanges/analyze' -benchtime 1x >&2
go build -o "$dir/benchgate" ./cmd/action
secs() { local s e; s=$(date +%s.%N); "$@" >/dev/null 2>&1; e=$(date +%s.%N); awk -v s="$s" -v e="$e" 'BEGIN { print e - s }'; }
for n in 90 180 365 730; do
  db="$dir/h$n.duckdb"
  [ -f "$db" ] || continue
  cp "$db" "$dir/t.duckdb"
  first=$(secs "$dir/benchgate" changes --db "$dir/t.duckdb" --format json)
  repeat=$(secs "$dir/benchgate" changes --db "$dir/t.duckdb" --format json)
  dry=$(secs "$dir/benchgate" changes --db "$dir/t.duckdb" --format json --dry-run)
  printf 'N=%-4d first %6.3f s  repeat %6.3f s  dry-run %6.3f s\n' "$n" "$first" "$repeat" "$dry"
done
