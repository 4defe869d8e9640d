#!/usr/bin/env bash
# Checks the layout targets of the one-pipeline design (issue 9): cmd/action
# holds at most 2,000 non-test lines (1,500 at first; raised with the
# history, changes, site and serve commands and compare's positional sides,
# about 75 lines per command) and no function longer than 60 lines —
# the commands only parse flags, print and map outcomes to exit codes; the
# product lives in internal/. Prints the figures; exits 1 on a miss.
set -euo pipefail
cd "$(dirname "$0")/.."
max_lines=2000 max_func=60
lines=$(cat $(ls cmd/action/*.go | grep -v '_test.go$') | wc -l)
echo "cmd/action: $lines non-test lines (limit $max_lines)"
# A function runs from a line starting "func " to the next line that is
# exactly "}" (gofmt'd code).
long=$(awk -v max="$max_func" '
  FNR == 1 { infn = 0 }
  /^func / { infn = 1; start = FNR; name = $0; next }
  infn && /^}$/ { n = FNR - start + 1; if (n > max) printf "%s:%d: %d lines: %s\n", FILENAME, start, n, name; infn = 0 }
' $(ls cmd/action/*.go | grep -v '_test.go$'))
longest=$(awk '
  FNR == 1 { infn = 0 }
  /^func / { infn = 1; start = FNR; next }
  infn && /^}$/ { n = FNR - start + 1; if (n > m) m = n; infn = 0 }
  END { print m }
' $(ls cmd/action/*.go | grep -v '_test.go$'))
echo "cmd/action: longest function $longest lines (limit $max_func)"
fail=0
if [ "$lines" -gt "$max_lines" ]; then echo "FAIL: cmd/action has $lines non-test lines" >&2; fail=1; fi
if [ -n "$long" ]; then echo "FAIL: functions over $max_func lines:" >&2; echo "$long" >&2; fail=1; fi
[ $fail = 0 ] && echo "layout: OK"
exit $fail
