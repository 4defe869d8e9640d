#!/usr/bin/env bash
# measure-runner.sh: the runner's per-run overhead and the resource
# monitor's own CPU cost, as quoted in docs/monitoring.md.
#
#   scripts/measure-runner.sh [N]      (N runs, default 200)
#
# 1. Overhead: `benchgate run` of a tiny command (/usr/bin/printf printing a
#    native result) N times, monitor off and on, against N direct executions
#    of the same command from bash. The difference per run is benchgate's
#    overhead: process setup, capture, parsing, status files (not storage,
#    which is timed apart by benchgate's own log).
# 2. Monitor cost: benchgate's own CPU time (user+sys, from bash's `time`)
#    over 5 runs of `sleep 2`, monitor off and on at the default interval;
#    the difference over the wall time is the monitor's share of one core.
set -euo pipefail
N=${1:-200}
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$root"
go build -o "$work/benchgate" ./cmd/action
bg="$work/benchgate"
doc='{"benchgate":1,"name":"t","latencies_ms":[1]}'

cat > "$work/tiny.yml" <<YAML
version: 1
name: tiny
benchmarks:
  - name: tiny
    repetitions: $N
    format: native
    command: [/usr/bin/printf, '$doc']
YAML
cat > "$work/sleep.yml" <<YAML
version: 1
name: sleep
benchmarks:
  - name: sleep
    repetitions: 5
    format: native
    shell: bash
    command: |
      sleep 2; printf '%s' '$doc'

YAML

now() { date +%s.%N; }
t0=$(now)
for ((i = 0; i < N; i++)); do /usr/bin/printf "$doc" >/dev/null; done
t1=$(now)
direct=$(echo "($t1 - $t0) * 1000 / $N" | bc -l)

run_tiny() { # $1: monitor interval
	local s e
	s=$(now)
	"$bg" run --suite "$work/tiny.yml" --db "$work/t-$1.duckdb" --output-dir "$work/out-$1" --progress none --monitor-interval "$1" >/dev/null 2>&1
	e=$(now)
	echo "($e - $s) * 1000 / $N" | bc -l
}
off=$(run_tiny 0)
on=$(run_tiny 100ms)
printf 'per-run wall time over %d runs (ms): direct exec from bash %.2f; benchgate run, monitor off %.2f; monitor on (100ms) %.2f\n' "$N" "$direct" "$off" "$on"
printf 'benchgate overhead per run (ms): %.2f monitor off, %.2f monitor on (includes opening DuckDB and storing, amortised over %d runs)\n' \
	"$(echo "$off - $direct" | bc -l)" "$(echo "$on - $direct" | bc -l)" "$N"

cpu() { # $1: monitor interval; prints benchgate's user+sys seconds and wall seconds
	local out
	out=$( { TIMEFORMAT='%U %S %R'; time "$bg" run --suite "$work/sleep.yml" --db "$work/s-$1.duckdb" --output-dir "$work/sout-$1" --progress none --monitor-interval "$1" >/dev/null 2>&1; } 2>&1 )
	echo "$out"
}
read -r u0 s0 r0 <<<"$(cpu 0)"
read -r u1 s1 r1 <<<"$(cpu 100ms)"
printf 'benchgate CPU over 5 x sleep 2 (s): monitor off %.3f (wall %.1f), monitor on at 100ms %.3f (wall %.1f)\n' \
	"$(echo "$u0 + $s0" | bc -l)" "$r0" "$(echo "$u1 + $s1" | bc -l)" "$r1"
printf 'monitor CPU cost at 100ms: %.3f%% of one core\n' "$(echo "(($u1 + $s1) - ($u0 + $s0)) * 100 / $r1" | bc -l)"
