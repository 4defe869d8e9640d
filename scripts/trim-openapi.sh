#!/usr/bin/env bash
# Regenerates internal/forge/forgetest/testdata/github-rest.json, the trimmed
# copy of GitHub's REST API description (OpenAPI 3.0, MIT licensed) that the
# fake GitHub API validates every request and response against.
#
#   scripts/trim-openapi.sh [VERSION]     # default: the version recorded in the trimmed file
#
# It fetches the npm package @octokit/openapi with `npm pack`, takes
# generated/api.github.com.json and keeps only the operations listed in
# internal/forge/forgetest/internal/trim (and the components they reference).
set -euo pipefail
cd "$(dirname "$0")/.."
out=internal/forge/forgetest/testdata/github-rest.json
version=${1:-$(sed -n 's/^ *"version": "\([0-9][0-9.]*\)",$/\1/p' "$out" | head -1)}
version=${version:-latest}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "@octokit/openapi@$version" >/dev/null && tar xzf octokit-openapi-*.tgz)
go run ./internal/forge/forgetest/internal/trim -in "$tmp/package/generated/api.github.com.json" -out "$out"
echo "wrote $out from @octokit/openapi@$version ($(wc -c <"$out") bytes)"
