#!/bin/bash
# PLUMBING TEST helper run inside the action's container (see plumbing.yml).
# Hyphenated inputs are read with printenv: bash cannot expand them.
set -euo pipefail
out() { printf '%s=%s\n' "$1" "$2" >>"$GITHUB_OUTPUT"; }
out fail-on "$(printenv INPUT_FAIL-ON)"
out batch-sizes "$(printenv INPUT_BATCH-SIZES)"
out data-branch "$(printenv INPUT_DATA-BRANCH)"
token=$(printenv INPUT_GITHUB-TOKEN || true)
out token-present "$([ -n "$token" ] && echo true || echo false)"
command -v git >/dev/null && out git yes
# GET the pull request from the fake API with bash's /dev/tcp (no curl in the image).
hp=${GITHUB_API_URL#http://}; host=${hp%%:*}; port=${hp##*:}; port=${port%%/*}
exec 3<>"/dev/tcp/$host/$port"
printf 'GET /repos/octo/bench/pulls/7 HTTP/1.0\r\nHost: %s\r\nAccept: application/vnd.github+json\r\nAuthorization: Bearer %s\r\nUser-Agent: benchgate-plumbing\r\n\r\n' "$hp" "$token" >&3
status=$(head -1 <&3 | cut -d' ' -f2)
exec 3>&-
out api-status "$status"
