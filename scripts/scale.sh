#!/usr/bin/env bash
# scale.sh: issue 13's figures at the scale of a year of a 520-series suite
# (365 daily runs × 520 results × 3 metrics × 10 samples), in one table:
# each figure beside its target, whether it is met, and its ratio.
#
#   scripts/scale.sh            (2 to 4 minutes on 2 cores)
#
# It builds the year (BenchmarkSave does, in the work directory) and runs:
# ingest per result (internal/store BenchmarkIngest), first save, append and
# compaction (internal/databranch BenchmarkSave), the run repetitions ratio
# (internal/runner BenchmarkRunRepetitions), report and site of the year
# under /usr/bin/time -v (the median of R=3 runs), compare against benchstat
# (scripts/bench-compare.sh, R runs, where benchstat is installed), and the storage per result of 1,000,000
# results (internal/store BenchmarkStorage); and beside items 4 and 5 the
# floors under them: the year's samples read once and nothing kept
# (internal/store BenchmarkReadSamples), and benchgate's resident set doing
# nothing (benchgate version). SCALE_DIR=DIR keeps the work
# directory (the databases, the raw outputs) and reuses the databases built
# there by an earlier run.
#
# Targets are issue 13's: ingest ≥ 20× the ~2 ms a result it took before and
# a 5,000-series run in ≤ 0.5 s; a first save ≤ 20 s, a compaction ≤ 5 s, an
# append ≤ 1 s; 1,920 repetitions ≤ 4.2× the time of 480; report and site
# ≤ 0.4 s and ≤ 150 MB; compare ≤ 1.3× benchstat's time and ≤ 1.5× its
# memory; ≤ 100 B a result (the million under 100 MiB); GitHub's 50 and
# 100 MiB size limits.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
# shellcheck source=scripts/build-env.sh
source scripts/build-env.sh
work=${SCALE_DIR:-}
if [ -z "$work" ]; then
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
fi
mkdir -p "$work"
step() { printf '%s  %s\n' "$(date +%T)" "$*" >&2; }

# bench FILE NAME UNIT prints the value reported in UNIT on the first
# benchmark line of FILE whose name starts with NAME ("" when none).
bench() {
  awk -v name="$2" -v unit="$3" 'index($1, name) == 1 {
    for (i = 3; i <= NF; i++) if ($i == unit) { print $(i - 1); exit }
  }' "$1"
}
# timev FILE prints "SECONDS MIB" from a /usr/bin/time -v report.
timev() {
  awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i] }
    /Maximum resident set size/ { m = $2 / 1024 } END { printf "%.2f %.0f\n", s, m }' "$1"
}

step "building benchgate"
go build -o "$work/benchgate" ./cmd/action

step "ingest: BenchmarkIngest"
go test ./internal/store -run '^$' -bench 'BenchmarkIngest$' -benchtime 3x >"$work/ingest.txt"

step "save: BenchmarkSave (builds the year of 365 runs × 520 series first)"
BENCHGATE_KEEP_DB=$work go test ./internal/databranch -run '^$' -bench 'BenchmarkSave$' -benchtime 1x -timeout 30m >"$work/save.txt"
year=$work/save-365.duckdb

if grep -qs 'func BenchmarkRunRepetitions' internal/runner/*_test.go; then
  step "run repetitions: BenchmarkRunRepetitions"
  go test ./internal/runner -run '^$' -bench 'BenchmarkRunRepetitions$' -benchtime 5x >"$work/repetitions.txt"
else
  : >"$work/repetitions.txt"
fi

# Each command runs R times (default 3), interleaved, and the table gives
# the median of its wall times and of its peak RSS: one disk stall on a
# shared machine must not decide a figure.
R=${R:-3}
step "report and site of the year ($R runs each)"
: >"$work/report.runs"; : >"$work/site.runs"
for _ in $(seq "$R"); do
  /usr/bin/time -v -o "$work/report.time" "$work/benchgate" report --db "$year" --format html --days 0 \
    --output "$work/report.html" >/dev/null 2>"$work/report.err"
  timev "$work/report.time" >>"$work/report.runs"
  /usr/bin/time -v -o "$work/site.time" "$work/benchgate" site --db "$year" --no-downloads \
    --out "$work/site" >/dev/null 2>"$work/site.err"
  timev "$work/site.time" >>"$work/site.runs"
done

# The floors under items 4 and 5: reading the year's samples once and
# keeping nothing (internal/store BenchmarkReadSamples, each part in a
# process of its own for its peak RSS), and the resident set of benchgate
# doing nothing (benchgate version) — the DuckDB-linked binary's own pages.
step "floors: BenchmarkReadSamples, benchgate version"
go test -c -o "$work/store.test" ./internal/store
for part in scan EachSeries; do
  BENCHGATE_SERIES_DB=$year /usr/bin/time -v -o "$work/read-$part.time" "$work/store.test" -test.run '^$' \
    -test.bench "BenchmarkReadSamples/$part\$" -test.benchtime 1x >"$work/read-$part.txt"
done
/usr/bin/time -v -o "$work/idle.time" "$work/benchgate" version >/dev/null

benchstat=$(command -v benchstat || echo "$(go env GOPATH)/bin/benchstat")
if [ -x scripts/bench-compare.sh ] && [ -x "$benchstat" ]; then
  step "compare against benchstat: scripts/bench-compare.sh"
  R=$R scripts/bench-compare.sh 520 5000 >"$work/compare.txt"
else
  : >"$work/compare.txt"
fi

step "storage: BenchmarkStorage (builds 1,000,000 results first)"
BENCHGATE_STORAGE_DB=$work/storage.duckdb go test ./internal/store -run '^$' -bench 'BenchmarkStorage$' -benchtime 1x \
  -timeout 30m >"$work/storage.txt"

# row WHAT FIGURE TARGET MET RATIO adds one line to the table, which
# column(1) aligns at the end.
row() { printf '%s|%s|%s|%s|%s\n' "$@" >>"$work/table"; }
: >"$work/table"
# met VALUE OP LIMIT prints yes or no ("—" with no value or no limit).
met() {
  if [ -z "$1" ] || [ -z "$3" ]; then echo "—"; return; fi
  awk -v v="$1" -v op="$2" -v l="$3" 'BEGIN { ok = (op == "<=") ? v <= l : v >= l; print ok ? "yes" : "no" }'
}
ratio() { # ratio A B prints A/B with two decimals and ×
  if [ -z "$1" ] || [ -z "$2" ]; then echo "—"; return; fi
  awk -v a="$1" -v b="$2" 'BEGIN { if (b == 0) print "—"; else printf "%.2f×\n", a / b }'
}

i520=$(bench "$work/ingest.txt" BenchmarkIngest/series=520 ms/result)
i5000=$(bench "$work/ingest.txt" BenchmarkIngest/series=5000 ms/result)
first=$(bench "$work/save.txt" BenchmarkSave/first ns/op)
append=$(bench "$work/save.txt" BenchmarkSave/append ns/op)
compaction=$(bench "$work/save.txt" BenchmarkSave/compaction ns/op)
first_rss=$(bench "$work/save.txt" BenchmarkSave/first peak-RSS-MB)
append_rss=$(bench "$work/save.txt" BenchmarkSave/append peak-RSS-MB)
compaction_rss=$(bench "$work/save.txt" BenchmarkSave/compaction peak-RSS-MB)
sec() { [ -n "$1" ] && awk -v n="$1" 'BEGIN { printf "%.2f\n", n / 1e9 }'; }
first=$(sec "$first"); append=$(sec "$append"); compaction=$(sec "$compaction")
rep_ratio=$(bench "$work/repetitions.txt" BenchmarkRunRepetitions ratio)
rep_small=$(bench "$work/repetitions.txt" BenchmarkRunRepetitions s/480)
rep_large=$(bench "$work/repetitions.txt" BenchmarkRunRepetitions s/1920)
# medians FILE prints the median of each of the two columns of FILE.
medians() {
  for c in 1 2; do cut -d' ' -f"$c" "$1" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; done | paste -sd' '
}
read -r report_s report_mib < <(medians "$work/report.runs")
read -r site_s site_mib < <(medians "$work/site.runs")
bpr=$(bench "$work/storage.txt" BenchmarkStorage B/result)
mib=$(bench "$work/storage.txt" BenchmarkStorage MiB)
ingest_bpr=$(bench "$work/storage.txt" BenchmarkStorage ingest-B/result)

row "what" "figure" "target" "met?" "ratio"
# The issue's targets. Item 1 is ≥ 20× the issue's "before" (~2 ms per
# result) and a 5,000-series run in ≤ 0.5 s.
speedup=$( [ -n "$i520" ] && awk -v v="$i520" 'BEGIN { printf "%.0f\n", 2 / v }')
run5000=$( [ -n "$i5000" ] && awk -v v="$i5000" 'BEGIN { printf "%.2f\n", v * 5000 / 1000 }')
row "1. ingest per result, 520-series run" "$i520 ms" "≥ 20× the 2 ms before" "$(met "$speedup" ">=" 20)" "${speedup:-—}× faster"
row "1. ingest per result, 5,000-series run" "$i5000 ms (${run5000:-?} s a run)" "run ≤ 0.5 s" "$(met "$run5000" "<=" 0.5)" "5,000 ÷ 520 per result: $(ratio "$i5000" "$i520")"
row "2. first save of the year" "$first s, ${first_rss:-?} MiB RSS" "≤ 20 s" "$(met "$first" "<=" 20)" "÷ append: $(ratio "$first" "$append")"
row "2. append save" "$append s, ${append_rss:-?} MiB RSS" "≤ 1 s" "$(met "$append" "<=" 1)" ""
row "2. compaction save (every 50th)" "$compaction s, ${compaction_rss:-?} MiB RSS" "≤ 5 s" "$(met "$compaction" "<=" 5)" "÷ append: $(ratio "$compaction" "$append")"
if [ -n "$rep_ratio" ]; then
  row "3. run, 1,920 ÷ 480 repetitions" "$rep_small s, $rep_large s" "≤ 4.2×" "$(met "$rep_ratio" "<=" 4.2)" "$rep_ratio×"
else
  row "3. run repetitions" "BenchmarkRunRepetitions not in this tree: skipped" "" "" ""
fi
both() { [ "$(met "$1" "<=" 0.4)" = yes ] && [ "$(met "$2" "<=" 150)" = yes ] && echo yes || echo no; }
row "4. report --format html --days 0" "$report_s s, $report_mib MiB RSS" "≤ 0.4 s, ≤ 150 MB" "$(both "$report_s" "$report_mib")" "÷ site: $(ratio "$report_s" "$site_s") time, $(ratio "$report_mib" "$site_mib") RSS"
row "4. site --no-downloads" "$site_s s, $site_mib MiB RSS" "≤ 0.4 s, ≤ 150 MB" "$(both "$site_s" "$site_mib")" ""
for part in scan EachSeries; do
  read -r _ part_mib < <(timev "$work/read-$part.time")
  part_s=$(sec "$(bench "$work/read-$part.txt" "BenchmarkReadSamples/$part" ns/op)")
  what="the driver's least: a row per result and metric"
  [ "$part" = EachSeries ] && what="as history.Analyze reads them"
  row "4. floor: read the year's samples, $part" "$part_s s, $part_mib MiB RSS" "(under item 4)" "—" "÷ report: $(ratio "$part_s" "$report_s") time, $(ratio "$part_mib" "$report_mib") RSS; $what"
done
read -r _ idle_mib < <(timev "$work/idle.time")
if [ -s "$work/compare.txt" ]; then
  while read -r s bt _ bm _ st _ sm _ rt rm; do
    [ "$s" = 520 ] && small_bs_mib=$sm
    cm=no
    [ "$(met "${rt%×}" "<=" 1.3)" = yes ] && [ "$(met "${rm%×}" "<=" 1.5)" = yes ] && cm=yes
    row "5. compare vs benchstat, $s series" "$bt s, $bm MiB" "≤ 1.3× time, ≤ 1.5× RSS" "$cm" "benchgate ÷ benchstat: $rt time, $rm RSS (benchstat $st s, $sm MiB)"
  done < <(tail -n +2 "$work/compare.txt")
else
  row "5. compare vs benchstat" "skipped: scripts/bench-compare.sh or benchstat missing" "" "" ""
fi
row "5. floor: benchgate version (does nothing)" "$idle_mib MiB RSS" "(under item 5)" "—" "÷ benchstat's whole 520-series run: $(ratio "$idle_mib" "${small_bs_mib:-}")"
storage_met=$(met "$bpr" "<=" 100)
[ "$(met "$mib" "<=" 100)" = yes ] || storage_met=no
row "6. storage, 1,000,000 results (compact)" "$bpr B/result, $mib MiB" "≤ 100 B, < 100 MiB" "$storage_met" "÷ as ingested ($ingest_bpr B/result): $(ratio "$bpr" "$ingest_bpr")"
limits=$(awk '/^\t(WarnSize|MaxSize) +int64 = / { printf "%s%s %s", sep, $1, $4 " " $5 " " $6; sep = ", " }' internal/databranch/branch.go)
limits_met=no
case "$limits" in "WarnSize 50 << 20, MaxSize 100 << 20") limits_met=yes ;; esac
row "6. data-branch size limits" "$limits" "50 MiB, 100 MiB" "$limits_met" ""
echo
column -t -s '|' "$work/table"
