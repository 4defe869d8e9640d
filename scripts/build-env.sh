# Sourced by the scripts that build benchgate (scripts/test.sh, scripts/e2e.sh,
# examples/demo.sh, .ci/run); the Dockerfile sets the same.
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
