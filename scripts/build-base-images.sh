#!/usr/bin/env bash
# Builds, on the local Docker engine, stand-ins for the base images the
# Dockerfile's FROM lines name, for machines that cannot pull from a registry
# (CI here). They carry the project's own names (benchgate-local/…), never the
# real ones: on a contributor's workstation the real golang, debian and node
# images stay what they pulled. The e2e tests build the Dockerfile with its
# FROM images mapped to these names (internal/actiontest.StandIns,
# MapBaseImages: only the FROM lines differ); the Dockerfile itself stays
# the one a real user builds against the real images.
#
#   benchgate-local/debian:bookworm-slim   for debian:bookworm-slim: a Debian
#                          bookworm rootfs (debootstrap, minbase) with
#                          ca-certificates and git already installed — image
#                          builds on this engine have no network, so the
#                          Dockerfile's apt-get step must find them there
#   benchgate-local/golang:1.26-bookworm   for golang:1.26-bookworm: the same
#                          plus gcc/libc6-dev (cgo for DuckDB), the host's Go
#                          toolchain from /usr/local/go, and a module cache
#                          holding every module `go build ./cmd/action` needs
#                          (GOPROXY=off inside: a missing module fails loudly
#                          instead of hanging on the network)
#   benchgate-local/node:20-bookworm-slim  for node:20-bookworm-slim: the
#                          debian stand-in plus the host's Node.js (node, and
#                          npm as installed) and an npm cache holding every
#                          package web/package-lock.json names (npm runs
#                          offline inside: a missing package fails loudly)
#   benchgate-local/job:bookworm  the job image act runs `run:` steps in
#                          (-P self-hosted=...): the rootfs with bash and git
#   benchgate-local/debian:bookworm  the imported rootfs they all start from
#
# Earlier versions of this script tagged the stand-ins under the real names;
# such tags (recognised by this script's labels, or as a commit of the
# imported rootfs) are removed, so that the next pull fetches the real image.
# Needs root, docker, debootstrap (installed when missing) and the Debian
# archive and Go module proxy (or a warm module cache).
#
#   scripts/build-base-images.sh          # builds what is missing or stale
#   FORCE=1 scripts/build-base-images.sh  # rebuilds them all
set -euo pipefail
cd "$(dirname "$0")/.."

rootfs=${BENCHGATE_ROOTFS:-/var/tmp/rootfs-bookworm}
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
goroot=${GOROOT_HOST:-$(go env GOROOT)}
root_img=benchgate-local/debian:bookworm
slim_img=benchgate-local/debian:bookworm-slim
go_img=benchgate-local/golang:1.26-bookworm
job_img=benchgate-local/job:bookworm
force=${FORCE:-}

have() { [ -z "$force" ] && docker image inspect "$1" >/dev/null 2>&1; }
label() {
  local v; v=$(docker image inspect -f "{{ index .Config.Labels \"$2\" }}" "$1" 2>/dev/null || true)
  [ "$v" = "<no value>" ] || echo "$v"
}

# commit_from IMAGE NAME SCRIPT [docker run args…] runs SCRIPT in a container
# of IMAGE on the host network and commits the result as NAME.
commit_from() {
  local from=$1 name=$2 script=$3; shift 3
  local c
  c=$(docker create --network host "$@" "$from" /bin/sh -ec "$script")
  if ! docker start -a "$c"; then docker rm -f "$c" >/dev/null; echo "building $name failed" >&2; return 1; fi
  docker commit "${changes[@]}" "$c" "$name" >/dev/null
  docker rm "$c" >/dev/null
  echo "==> built $name"
}

# 0. Stand-ins that earlier versions of this script tagged under the real
# names: retagged under the project's name when that is missing (the
# staleness checks below still apply), then untagged (only the tag; the
# image goes when nothing else names it).
root_id=$(docker image inspect -f '{{.Id}}' "$root_img" 2>/dev/null || true)
for real in debian:bookworm-slim golang:1.26-bookworm node:20-bookworm-slim; do
  docker image inspect "$real" >/dev/null 2>&1 || continue
  if [ -n "$(label "$real" benchgate.go-sum)$(label "$real" benchgate.npm-sum)" ] ||
     { [ -n "$root_id" ] && [ "$(docker image inspect -f '{{.Parent}}' "$real")" = "$root_id" ]; }; then
    docker image inspect "benchgate-local/$real" >/dev/null 2>&1 || docker tag "$real" "benchgate-local/$real"
    docker rmi "$real" >/dev/null && echo "==> removed $real (a stand-in of an earlier version of this script)"
  fi
done

# 1. The bookworm rootfs, imported as $root_img.
if ! have "$root_img"; then
  if [ ! -x "$rootfs/bin/sh" ]; then
    command -v debootstrap >/dev/null || { apt-get update -qq && apt-get install -y -qq debootstrap >/dev/null; }
    echo "==> debootstrap bookworm into $rootfs"
    debootstrap --variant=minbase bookworm "$rootfs" "$mirror" >/dev/null
  fi
  tar -C "$rootfs" --exclude=./proc/* --exclude=./sys/* --exclude=./dev/* -c . | docker import - "$root_img" >/dev/null
  echo "==> imported $root_img"
fi

apt_install='export DEBIAN_FRONTEND=noninteractive; apt-get update -qq; apt-get install -y -qq --no-install-recommends'
apt_clean='apt-get clean; rm -rf /var/lib/apt/lists/*'

# 2. The debian:bookworm-slim stand-in.
changes=(--change 'CMD ["bash"]')
if ! have "$slim_img"; then
  commit_from "$root_img" "$slim_img" "$apt_install ca-certificates git >/dev/null; $apt_clean"
fi

# 3. The golang:1.26-bookworm stand-in, rebuilt when go.sum, the modules
# cmd/action needs or the recipe changed. Like the real image it has gcc, g++ (DuckDB links libstdc++),
# make and pkg-config.
go_recipe="$apt_install gcc g++ libc6-dev make pkg-config >/dev/null; $apt_clean; cp -a /mnt/go /usr/local/go; mkdir -p /go/pkg; cp -a /mnt/mod /go/pkg/mod"
# The modules the image's builds (cmd/action, cmd/bot) need are part of the key: a new import of
# a module already in go.sum must rebuild the cache too.
sum=$( (cat go.sum; echo "$go_recipe"; go list -deps -f '{{with .Module}}{{.Path}}@{{.Version}}{{end}}' ./cmd/action ./cmd/bot | sort -u) | sha256sum | cut -c1-16)
if [ -n "$force" ] || [ "$(label "$go_img" benchgate.go-sum)" != "$sum" ]; then
  mod=$(mktemp -d)
  trap 'chmod -R u+w "$mod" 2>/dev/null; rm -rf "$mod"' EXIT
  # Only the modules the builds need, from the host's module cache
  # when it has them, else from the module proxy.
  GOMODCACHE=$mod GOFLAGS=-mod=readonly \
    GOPROXY="file://$(go env GOMODCACHE)/cache/download,$(go env GOPROXY)" \
    go list -deps ./cmd/action ./cmd/bot >/dev/null
  changes=(--change 'ENV GOPATH=/go' --change 'ENV GOTOOLCHAIN=local' --change 'ENV GOPROXY=off'
           --change 'ENV GOFLAGS=-mod=readonly'
           --change 'ENV PATH=/usr/local/go/bin:/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'
           --change "LABEL benchgate.go-sum=$sum")
  commit_from "$slim_img" "$go_img" "$go_recipe" -v "$goroot:/mnt/go:ro" -v "$mod:/mnt/mod:ro"
fi

# 4. The node:20-bookworm-slim stand-in, rebuilt when the lockfile, the host's
# Node.js or the recipe changed.
node_img=benchgate-local/node:20-bookworm-slim
node_recipe='tar -C / -xf /mnt/node.tar; mkdir -p /root/.npm; cp -a /mnt/npm/. /root/.npm/'
nsum=$( (cat web/package-lock.json; echo "$node_recipe"; node --version; npm --version) | sha256sum | cut -c1-16)
if [ -n "$force" ] || [ "$(label "$node_img" benchgate.npm-sum)" != "$nsum" ]; then
  nd=$(mktemp -d)
  trap 'rc=$?; chmod -R u+w ${mod:+"$mod"} "$nd" 2>/dev/null; rm -rf ${mod:+"$mod"} "$nd"; exit $rc' EXIT
  # node and npm as installed (npm may have been upgraded past its package's files)
  tar -cf "$nd/node.tar" -C / usr/bin/node usr/bin/npm usr/bin/npx usr/lib/node_modules/npm
  mkdir -p "$nd/npm" "$nd/web"
  cp web/package.json web/package-lock.json "$nd/web/"
  (cd "$nd/web" && npm ci --cache "$nd/npm" --prefer-offline --no-audit --no-fund --loglevel=error >/dev/null)
  changes=(--change 'ENV npm_config_offline=true' --change 'CMD ["node"]' --change "LABEL benchgate.npm-sum=$nsum")
  commit_from "$slim_img" "$node_img" "$node_recipe" -v "$nd:/mnt:ro"
fi
# 5. The job image for act.
changes=(--change 'CMD ["bash"]')
if ! have "$job_img"; then
  docker tag "$slim_img" "$job_img"
  echo "==> tagged $job_img"
fi
docker images --format '{{.Repository}}:{{.Tag}} {{.Size}}' | grep -E "^($slim_img|$go_img|$node_img|$job_img|$root_img) "
