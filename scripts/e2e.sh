#!/usr/bin/env bash
# End-to-end tests of the container action as a runner runs it: installs
# nektos/act when missing, builds local stand-ins of the Dockerfile's base
# images under the project's own names (scripts/build-base-images.sh:
# benchgate-local/…; the real golang, debian and node images on this engine
# are left alone), then runs the Go tests tagged e2e, which run workflows
# from internal/actiontest/testdata with act against the fake GitHub API on
# loopback: the plumbing test and the GitHub mode's scenario
# (TestGitHubE2E). act cannot pass build arguments, so the tests build a copy
# of the tree whose Dockerfile differs only in its FROM images, mapped to the
# stand-ins (internal/actiontest.MapBaseImages, checked by a unit test).
# Starts a Docker engine when none answers, as scripts/test.sh does (no
# bridge, no iptables; stopped again by its PID), and needs root for the
# first base-image build.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/build-env.sh
act_version=v0.2.89
if [ -z "${ACT:-}" ] && ! command -v act >/dev/null; then
  ACT="$(go env GOPATH)/bin/act"
  if [ ! -x "$ACT" ]; then
    echo "==> installing nektos/act@$act_version"
    go install "github.com/nektos/act@$act_version"
  fi
  export ACT
fi
. scripts/dockerd.sh
scripts/build-base-images.sh
go test -tags e2e -count=1 -timeout 40m -run 'TestPlumbing|TestGitHubE2E' -v ./internal/actiontest/ "$@"
