#!/usr/bin/env bash
# benchgate demo: the main job on the embedded example suite.
#
# Builds benchgate, runs the Go benchmarks of examples/kernels as a baseline,
# runs them again as a candidate with a deliberate slowdown
# (BENCHGATE_DEMO_SLOWDOWN=1 makes WordCount slower, see
# examples/kernels/kernels.go), stores both runs in DuckDB, prints the
# verdict (and writes it as Markdown), writes an HTML report and the reports
# site (demo-out/site; browse it with `demo-out/benchgate serve --db
# demo-out/demo.duckdb`), and prints the raw timing table.
#
# Exit status: that of `benchgate compare` — 1, because the gate catches the
# slowdown. Output goes to $BENCHGATE_DEMO_DIR (default ./demo-out).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/scripts/build-env.sh"
out=${BENCHGATE_DEMO_DIR:-$root/demo-out}
mkdir -p "$out"
out=$(cd "$out" && pwd)
db=$out/demo.duckdb
rm -f "$db" "$db.wal"

echo "==> building the site's application and benchgate"
"$root/scripts/build-web.sh" >/dev/null
(cd "$root" && go build -o "$out/benchgate" ./cmd/action)
bg=$out/benchgate
suite=$root/examples/benchgate.yml

echo "==> baseline run"
"$bg" run --suite "$suite" --db "$db" --ref baseline --run-id demo-baseline --output-dir "$out/results"
echo "==> candidate run (BENCHGATE_DEMO_SLOWDOWN=1)"
BENCHGATE_DEMO_SLOWDOWN=1 "$bg" run --suite "$suite" --db "$db" --ref candidate --run-id demo-candidate --output-dir "$out/results"

echo "==> verdict"
status=0
"$bg" compare --db "$db" --suite "$suite" --base baseline --head candidate || status=$?
"$bg" compare --db "$db" --suite "$suite" --base baseline --head candidate --format markdown --output "$out/verdict.md" >/dev/null || true
# report exits as compare does (1 on the regression): its status is compare's, already kept.
"$bg" report --db "$db" --suite "$suite" --base baseline --head candidate --format html --output "$out/report.html" || [ $? -eq 1 ]
"$bg" site --db "$db" --out "$out/site"
echo "==> stored results"
"$bg" query --db "$db"
case $status in
  1) echo "==> the gate caught the slowdown: benchgate compare exited 1 (regression)";;
  0) echo "==> the gate did NOT flag the slowdown: benchgate compare exited 0" >&2;;
  *) echo "==> benchgate compare failed with exit code $status" >&2;;
esac
exit "$status"
