#!/usr/bin/env bash
# Runs benchgate's whole test suite on a fresh Debian 12 machine: installs
# the Debian packages the tests use when they are missing (git; PyTorch for
# the reference harness, with OpenBLAS), then runs every Go test with the
# race detector. Needs root (or sudo) only for the install.
set -euo pipefail
cd "$(dirname "$0")/.."
need=()
command -v git >/dev/null || need+=(git)
command -v dockerd >/dev/null || need+=(docker.io)
command -v busybox >/dev/null || need+=(busybox-static)
dpkg -s python3-torch python3-torchvision libopenblas0-pthread >/dev/null 2>&1 || need+=(python3-torch python3-torchvision libopenblas0-pthread)
if [ ${#need[@]} -gt 0 ]; then
  echo "==> installing ${need[*]}"
  sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq "${need[@]}" >/dev/null
fi
/usr/bin/python3 -c 'import torch, torchvision' || { echo "python3-torch is not importable by /usr/bin/python3" >&2; exit 1; }

# A Docker engine for the sibling-container backend's tests. Started here
# only when none answers, with no bridge, no iptables and no masquerading
# (containers use --network none or host), and stopped again by its PID.
started_dockerd=""
if ! docker info >/dev/null 2>&1; then
  echo "==> starting dockerd"
  sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
  log=$(mktemp)
  $sudo dockerd --bridge=none --iptables=false --ip-masq=false >"$log" 2>&1 &
  started_dockerd=$!
  trap '[ -n "$started_dockerd" ] && $sudo kill "$started_dockerd" 2>/dev/null; wait "$started_dockerd" 2>/dev/null || true' EXIT
  for _ in $(seq 60); do docker info >/dev/null 2>&1 && break; sleep 1; done
  docker info >/dev/null 2>&1 || { echo "dockerd did not start:" >&2; cat "$log" >&2; exit 1; }
fi

go test -count=1 -shuffle=on -race -timeout 30m ./...
