# shellcheck shell=bash
# Sourced by the scripts that build benchgate (scripts/test.sh, scripts/e2e.sh,
# scripts/scale.sh, scripts/bench-compare.sh, examples/demo.sh, .ci/run); the
# Dockerfile sets the same.
#
# go-nvml's cgo wrappers call NVML functions the CUDA 13 headers mark
# deprecated: a first build printed 147 lines of -Wdeprecated-declarations
# warnings for code benchgate neither owns nor calls. Only that warning is
# silenced (-O2 -g are cgo's defaults); real errors and other warnings
# still show.
case " ${CGO_CFLAGS:-} " in
  *" -Wno-deprecated-declarations "*) ;;
  *) export CGO_CFLAGS="${CGO_CFLAGS:--O2 -g} -Wno-deprecated-declarations" ;;
esac

# DuckDB is linked statically, and the Go linker exports every symbol of a
# cgo binary: 60,000 C++ symbols that the dynamic loader hashes at every
# start. Hiding those of the static libraries made `benchgate --version`
# start in 6 ms instead of 8 and take 23 MB of memory instead of 30 (resident
# set size), which counts for short commands such as compare.
case " ${CGO_LDFLAGS:-} " in
  *" -Wl,--exclude-libs,ALL "*) ;;
  *) export CGO_LDFLAGS="${CGO_LDFLAGS:--O2 -g} -Wl,--exclude-libs,ALL" ;;
esac
