#!/usr/bin/env bash
# Builds the reports site's browser application (web/) into internal/site/dist, which the Go
# binary embeds. Runs `npm ci` only when node_modules is missing or package-lock.json changed.
# Usage: scripts/build-web.sh [--dev]     (from any working directory)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
web="$root/web"
cd "$web"
command -v node >/dev/null || { echo "build-web: node (18 or later) is needed" >&2; exit 1; }
stamp="node_modules/.package-lock.sha256"
want="$(sha256sum package-lock.json | cut -d' ' -f1)"
if [[ ! -d node_modules || ! -f "$stamp" || "$(cat "$stamp")" != "$want" ]]; then
  echo "build-web: npm ci" >&2
  npm ci --no-audit --no-fund --loglevel=error
  echo "$want" > "$stamp"
fi
node build.mjs "$@"
