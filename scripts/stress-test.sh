#!/usr/bin/env bash
# Runs the timing-sensitive tests on a deliberately loaded machine: two busy
# loops compete for the CPUs (on the 2-core CI machine, as many as there are
# cores) while `go test -count=5` runs the packages whose tests time
# processes, sample CPU and memory, sleep or race against kill timers:
#
#   internal/monitor     CPU share, memory and energy accounting of a process tree
#   internal/runner      timeouts, cancellation, process-group and cgroup kills, peak memory
#   cmd/action           the script tests (run_time's A/A of a timed command, the monitor's rows)
#   internal/abtest      A/A false alarms of real benchmark runs
#   internal/databranch  concurrent writers and kills at random moments
#
# Usage: scripts/stress-test.sh [package ...]   (default: the five above)
#        STRESS_COUNT=N changes -count (default 5); STRESS_LOOPS=N the busy loops (default 2).
#
# The container tests of internal/runner and cmd/action need a Docker engine,
# and cmd/action's harness_torch script needs python3-torch (scripts/test.sh
# installs both): a Docker engine is started when dockerd is installed and
# none answers (scripts/dockerd.sh). The last line says PASS or FAIL, with the
# elapsed time.
set -euo pipefail
cd "$(dirname "$0")/.."

count=${STRESS_COUNT:-5}
nloops=${STRESS_LOOPS:-2}
pkgs=(./internal/monitor ./internal/runner ./cmd/action ./internal/abtest ./internal/databranch)
if [ $# -gt 0 ]; then
  pkgs=("$@")
fi

started_dockerd=""
if command -v dockerd >/dev/null; then
  # shellcheck source=scripts/dockerd.sh
  . scripts/dockerd.sh
else
  echo "==> no dockerd: the container tests will fail (scripts/test.sh installs docker.io)" >&2
fi

loops=()
cleanup() {
  # Only the processes this script started, by their PIDs.
  if [ ${#loops[@]} -gt 0 ]; then
    kill "${loops[@]}" 2>/dev/null || true
    wait "${loops[@]}" 2>/dev/null || true
    loops=()
  fi
  if [ -n "$started_dockerd" ]; then
    ${sudo:-} kill "$started_dockerd" 2>/dev/null || true
    wait "$started_dockerd" 2>/dev/null || true
    started_dockerd=""
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "==> building"
go vet "${pkgs[@]}"
go test -count=1 -run '^$' "${pkgs[@]}" >/dev/null # compile the test binaries before the load starts

for _ in $(seq "$nloops"); do
  sh -c 'while :; do :; done' &
  loops+=($!)
done
echo "==> $nloops busy loops (PIDs ${loops[*]}) on $(nproc) CPUs; go test -count=$count ${pkgs[*]}"

log=$(mktemp)
start=$SECONDS
status=0
go test -count="$count" -timeout 60m "${pkgs[@]}" 2>&1 | tee "$log" || status=$?
elapsed=$((SECONDS - start))
cleanup

took=$(printf '%dm%02ds' $((elapsed / 60)) $((elapsed % 60)))
if [ "$status" -eq 0 ]; then
  echo "stress-test: PASS: go test -count=$count of ${#pkgs[@]} packages under $nloops busy loops on $(nproc) CPUs in $took"
else
  failed=$(grep -E '^(FAIL|--- FAIL)' "$log" | sed 's/^/  /' || true)
  echo "stress-test: failures:"
  echo "$failed"
  echo "stress-test: FAIL: go test -count=$count of ${#pkgs[@]} packages under $nloops busy loops on $(nproc) CPUs in $took"
fi
rm -f "$log"
exit "$status"
