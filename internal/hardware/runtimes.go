package hardware

import (
	"fmt"
	"path/filepath"
	"strings"
)

// mps is Apple's Metal Performance Shaders backend: macOS on Apple silicon.
func (p Probe) mps() Platform {
	if p.GOOS == "darwin" && p.GOARCH == "arm64" {
		return Platform{Type: "mps", Available: true, Reason: "macOS on Apple silicon", Precisions: []string{"fp32", "fp16", "bf16"}}
	}
	return Platform{Type: "mps", Reason: fmt.Sprintf("needs macOS on Apple silicon; this is %s/%s", p.GOOS, p.GOARCH)}
}

// openvinoLibDirs are where OpenVINO's runtime library is looked for.
var openvinoLibDirs = []string{
	"/opt/intel/openvino/runtime/lib/intel64", "/opt/intel/openvino/runtime/lib/aarch64",
	"/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/local/lib", "/usr/lib",
}

// openvino probes Intel's OpenVINO runtime: the C++ library, the Python
// package, benchmark_app.
func (p Probe) openvino() Platform {
	pl := Platform{Type: "openvino"}
	dirs := openvinoLibDirs
	if root, ok := p.lookupEnv("INTEL_OPENVINO_DIR"); ok {
		dirs = append([]string{filepath.Join(root, "runtime/lib/intel64")}, dirs...)
	}
	for _, dir := range dirs {
		if m := p.glob(filepath.Join(dir, "libopenvino.so*")); len(m) > 0 {
			pl.Found = append(pl.Found, m[0])
			break
		}
	}
	for _, pattern := range []string{"/usr/lib/python3*/*-packages/openvino", "/usr/local/lib/python3*/*-packages/openvino"} {
		if m := p.glob(pattern); len(m) > 0 {
			pl.Found = append(pl.Found, m[0])
			break
		}
	}
	if path, err := p.LookPath("benchmark_app"); err == nil {
		pl.Found = append(pl.Found, path)
	}
	if len(pl.Found) == 0 {
		pl.Reason = "no libopenvino.so, no openvino Python package and no benchmark_app on PATH"
		return pl
	}
	pl.Available = true
	pl.Precisions = []string{"fp32", "fp16", "int8"}
	pl.Reason = "OpenVINO runtime found: " + strings.Join(pl.Found, ", ")
	return pl
}

// qnn probes Qualcomm's AI Engine Direct SDK through $QNN_SDK_ROOT.
func (p Probe) qnn() Platform {
	pl := Platform{Type: "qnn"}
	root, ok := p.lookupEnv("QNN_SDK_ROOT")
	if !ok {
		pl.Reason = "QNN_SDK_ROOT is not set"
		return pl
	}
	pl.Found = append(pl.Found, "QNN_SDK_ROOT="+root)
	if !p.exists(root) {
		pl.Reason = "QNN_SDK_ROOT=" + root + " does not exist"
		return pl
	}
	backends := p.glob(filepath.Join(root, "lib", "*", "libQnn*.so"))
	if len(backends) == 0 {
		pl.Reason = "QNN_SDK_ROOT=" + root + " has no lib/*/libQnn*.so backend library"
		return pl
	}
	pl.Found = append(pl.Found, backends...)
	pl.Available = true
	pl.Precisions = []string{"fp16", "int8"}
	pl.Reason = fmt.Sprintf("QNN SDK at %s with %d backend librar(ies)", root, len(backends))
	return pl
}

// browsers are the Chromium-based browsers that implement WebNN and WebGPU.
var browsers = []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "microsoft-edge"}

// browser probes webnn and webgpu: both run in a browser, which benchgate
// does not drive yet, so a browser found is reported but the platform is
// unavailable.
func (p Probe) browser(t string) Platform {
	pl := Platform{Type: t}
	for _, b := range browsers {
		if path, err := p.LookPath(b); err == nil {
			pl.Found = append(pl.Found, path)
		}
	}
	if len(pl.Found) == 0 {
		pl.Reason = "no Chromium-based browser on PATH (" + strings.Join(browsers, ", ") + ")"
		return pl
	}
	pl.Reason = "browser found at " + pl.Found[0] + "; " + t + " needs a browser benchmark harness, which benchgate does not provide: use --force-hardware " + t + " with a suite command that drives the browser"
	return pl
}
