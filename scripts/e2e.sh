#!/usr/bin/env bash
# End-to-end tests of the container action as a runner runs it: installs
# nektos/act when missing, builds the local base images
# (scripts/build-base-images.sh), then runs the Go tests tagged e2e, which
# run workflows from internal/actiontest/testdata with act against the fake
# GitHub API on loopback. Needs a running Docker engine (scripts/test.sh
# starts one) and root for the first base-image build.
set -euo pipefail
cd "$(dirname "$0")/.."
act_version=v0.2.89
if [ -z "${ACT:-}" ] && ! command -v act >/dev/null; then
  ACT="$(go env GOPATH)/bin/act"
  if [ ! -x "$ACT" ]; then
    echo "==> installing nektos/act@$act_version"
    go install "github.com/nektos/act@$act_version"
  fi
  export ACT
fi
scripts/build-base-images.sh
go test -tags e2e -count=1 -timeout 30m -run 'TestPlumbing' ./internal/actiontest/ "$@"
