# shellcheck shell=bash
# Sourced by scripts/test.sh and scripts/e2e.sh: makes sure a Docker engine
# answers. One is started only when none does, with no bridge, no iptables
# and no masquerading (containers use --network none or host, and tests
# reach loopback only), and stopped again by its PID when the calling
# script exits.
started_dockerd=""
if ! docker info >/dev/null 2>&1; then
  echo "==> starting dockerd"
  sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
  dockerd_log=$(mktemp)
  $sudo dockerd --bridge=none --iptables=false --ip-masq=false >"$dockerd_log" 2>&1 &
  started_dockerd=$!
  trap '[ -n "$started_dockerd" ] && $sudo kill "$started_dockerd" 2>/dev/null; wait "$started_dockerd" 2>/dev/null || true' EXIT
  for _ in $(seq 60); do docker info >/dev/null 2>&1 && break; sleep 1; done
  docker info >/dev/null 2>&1 || { echo "dockerd did not start:" >&2; cat "$dockerd_log" >&2; exit 1; }
fi
