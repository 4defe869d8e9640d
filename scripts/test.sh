#!/usr/bin/env bash
# Runs benchgate's whole test suite on a fresh Debian 12 machine: installs
# the Debian packages the tests use when they are missing (git; PyTorch for
# the reference harness, with OpenBLAS; Chromium for the reports site's
# browser tests), bundles the site's application (scripts/build-web.sh: npm
# ci and esbuild, so the binaries the tests build embed it), then runs every
# Go test with the race detector. Needs root (or sudo) only for the install.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/build-env.sh
need=()
command -v git >/dev/null || need+=(git)
command -v dockerd >/dev/null || need+=(docker.io)
command -v busybox >/dev/null || need+=(busybox-static)
command -v chromium >/dev/null || need+=(chromium)
command -v npm >/dev/null || need+=(npm)
dpkg -s python3-torch python3-torchvision libopenblas0-pthread >/dev/null 2>&1 || need+=(python3-torch python3-torchvision libopenblas0-pthread)
if [ ${#need[@]} -gt 0 ]; then
  echo "==> installing ${need[*]}"
  sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq "${need[@]}" >/dev/null
fi
/usr/bin/python3 -c 'import torch, torchvision' || { echo "python3-torch is not importable by /usr/bin/python3" >&2; exit 1; }

# The site's application, embedded by internal/site (docs/site.md), and its
# JavaScript unit tests (node --test).
scripts/build-web.sh
(cd web && npm test --silent)

# A Docker engine (started only when none answers; see scripts/dockerd.sh).
. scripts/dockerd.sh

go test -count=1 -shuffle=on -race -timeout 30m ./...
