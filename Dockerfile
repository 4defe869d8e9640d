# benchgate's GitHub container action image.
#
# Stage 1 bundles the reports site's browser application (web/, npm ci and
# esbuild: scripts/build-web.sh) into internal/site/dist, which the Go build
# embeds — the image always carries the site (docs/site.md).
#
# Stage 2 builds the benchgate binary with cgo: DuckDB (duckdb-go/v2) links a
# bundled static libduckdb against glibc, so CGO_ENABLED=0 or a scratch/musl
# runtime is impossible. Stage 3 is a small glibc runtime with git (the data
# branch and same-runner baselines use the git CLI) and CA certificates.
#
# GitHub's rules for action images: no USER (the action runs as root so it can
# write the workspace), no WORKDIR (the runner mounts /github/workspace and
# sets it as the working directory), an exec-form ENTRYPOINT with an absolute
# path. See docs/action.md for building, publishing and pinning by digest.

FROM node:20-bookworm-slim AS web
COPY web /src/web
COPY scripts/build-web.sh /src/scripts/build-web.sh
RUN /src/scripts/build-web.sh

FROM golang:1.26-bookworm AS build
# A release build names its version (benchgate version); empty, the version
# comes from the build info.
ARG BENCHGATE_VERSION=
ENV CGO_ENABLED=1 GOTOOLCHAIN=local
# As scripts/build-env.sh: only go-nvml's deprecated-declaration warnings are
# silenced, and the static libraries' symbols are not exported.
ENV CGO_CFLAGS="-O2 -g -Wno-deprecated-declarations" CGO_LDFLAGS="-O2 -g -Wl,--exclude-libs,ALL"
COPY . /src
COPY --from=web /src/internal/site/dist /src/internal/site/dist
# go build fetches only the modules cmd/action and cmd/bot need (not the DuckDB
# libraries of other platforms that `go mod download` would fetch).
RUN cd /src && go build -trimpath -ldflags="-s -w -X main.buildVersion=${BENCHGATE_VERSION}" -o /out/benchgate ./cmd/action && \
    /out/benchgate version && \
    go build -trimpath -ldflags='-s -w' -o /out/benchgate-bot ./cmd/bot

FROM debian:bookworm-slim
# Note: the install is skipped when the base already has both (the
# locally built stand-in of scripts/build-base-images.sh, used where builds
# have no network).
RUN if ! command -v git >/dev/null || [ ! -s /etc/ssl/certs/ca-certificates.crt ]; then \
      apt-get update && \
      apt-get install -y --no-install-recommends ca-certificates git && \
      rm -rf /var/lib/apt/lists/*; \
    fi && \
    git config --system --add safe.directory /github/workspace
COPY --from=build /out/benchgate /usr/local/bin/benchgate
# The companion bot (docs/bot.md): `docker run --entrypoint benchgate-bot IMAGE sync …`.
COPY --from=build /out/benchgate-bot /usr/local/bin/benchgate-bot
ENTRYPOINT ["/usr/local/bin/benchgate"]
