#!/usr/bin/env bash
# bench-compare.sh: `benchgate compare OLD NEW --format json` against
# `benchstat OLD NEW` on the same two go test -bench files, side by side
# (issue 13, item 5): wall time and peak RSS (/usr/bin/time), the median of
# R runs each (a small S runs several times in a row per measure), and
# benchgate's ratio to benchstat.
#
#   scripts/bench-compare.sh [S...]      (default: 520 5000; R=3)
#
# Each file holds S benchmarks (one ns/op series each) × 10 samples, the
# runs interleaved as `go test -count 10` prints them (every benchmark once
# per round); NEW is OLD with every tenth benchmark 10 % slower. benchstat
# must be on PATH or in $(go env GOPATH)/bin
# (go install golang.org/x/perf/cmd/benchstat@latest).
set -euo pipefail
R=${R:-3}
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(520 5000)
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$root"
# shellcheck source=scripts/build-env.sh
source scripts/build-env.sh # the flags the action image is built with
go build -o "$work/benchgate" ./cmd/action
benchstat=$(command -v benchstat || echo "$(go env GOPATH)/bin/benchstat")

gen() { # gen S SLOW FILE
  awk -v S="$1" -v slow="$2" 'BEGIN {
    srand(7 + slow)
    print "goos: linux"; print "goarch: amd64"; print "pkg: example.com/bench"; print "cpu: bench-compare"
    for (r = 0; r < 10; r++)
      for (i = 0; i < S; i++) {
        v = (1000 + i) * (1 + 0.02 * (rand() - 0.5))
        if (slow && i % 10 == 0) v *= 1.1
        printf "BenchmarkCase%05d/size=%d-8 \t 1000000\t %.2f ns/op\n", i, i % 7, v
      }
    print "PASS"
  }' > "$3"
}

# measure N CMD... prints "SECONDS KIB": the wall time of one run, from N
# runs in a row (time's 10 ms resolution is a third of a 30 ms run), and
# the peak RSS of the largest (output discarded).
measure() {
  local n=$1
  shift
  # shellcheck disable=SC2016 # the inner script expands its own arguments
  /usr/bin/time -f '%e %M' -o "$work/t" sh -c 'n=$1; shift; i=0; while [ "$i" -lt "$n" ]; do "$@" >/dev/null || [ $? -le 1 ] || exit $?; i=$((i + 1)); done' \
    sh "$n" "$@" 2>"$work/err" || { cat "$work/err" >&2; exit 1; }
  tail -n 1 "$work/t" | awk -v n="$n" '{ printf "%.4f %s\n", $1 / n, $2 }'
}
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

printf '%-6s  %-22s  %-22s  %s\n' S "benchgate (s, MiB)" "benchstat (s, MiB)" "ratio time, memory"
for s in "${sizes[@]}"; do
  gen "$s" 0 "$work/old.txt"
  gen "$s" 1 "$work/new.txt"
  : > "$work/bg"; : > "$work/bs"
  loops=$(( (5000 + s - 1) / s )) # about 5,000 series compared per measure
  for _ in $(seq "$R"); do # interleaved, so that load drifts hit both
    measure "$loops" "$work/benchgate" compare "$work/old.txt" "$work/new.txt" --format json >> "$work/bg"
    measure "$loops" "$benchstat" "$work/old.txt" "$work/new.txt" >> "$work/bs"
  done
  bt=$(cut -d' ' -f1 "$work/bg" | median); bm=$(cut -d' ' -f2 "$work/bg" | median)
  st=$(cut -d' ' -f1 "$work/bs" | median); sm=$(cut -d' ' -f2 "$work/bs" | median)
  awk -v s="$s" -v bt="$bt" -v bm="$bm" -v st="$st" -v sm="$sm" 'BEGIN {
    printf "%-6d  %6.3f s %8.1f MiB  %6.3f s %8.1f MiB  %5.2f×  %5.2f×\n", s, bt, bm / 1024, st, sm / 1024, bt / (st > 0 ? st : 0.01), bm / sm
  }'
done
