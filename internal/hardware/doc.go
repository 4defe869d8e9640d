// Package hardware detects the platforms a benchmark can run on: cpu, cuda,
// rocm, mps, openvino, qnn, webnn and webgpu. Each [Platform] says whether it
// is available and why (or why not), with what was found.
//
// What each probe reads:
//
//   - cpu: /proc/cpuinfo (model, sockets, physical cores from the distinct
//     "physical id"/"core id" pairs, ISA flags such as avx2, avx512f,
//     avx512_bf16, avx512_vnni, amx_tile), /proc/meminfo (MemTotal) and
//     /sys/devices/system/cpu/cpu0/cpufreq (governor, maximum frequency).
//   - cuda: NVIDIA's management library (NVML) through
//     github.com/NVIDIA/go-nvml, which opens libnvidia-ml.so.1 with dlopen
//     at run time: the binary links no NVIDIA library and runs on machines
//     without a GPU, where the library is simply not found. Per device:
//     name, UUID, memory, PCI bus id, compute capability; for the system:
//     driver and CUDA driver versions. When NVML cannot be loaded,
//     /proc/driver/nvidia/version and nvidia-smi on the PATH explain why.
//   - rocm: /sys/class/kfd and its topology nodes (GPU nodes have SIMDs),
//     the amdgpu product names in /sys/class/drm, rocm-smi on the PATH.
//   - mps: macOS on Apple silicon.
//   - openvino: libopenvino.so in the usual library directories, the
//     Python package, or benchmark_app on the PATH.
//   - qnn: $QNN_SDK_ROOT and the HTP/CPU backend libraries under it.
//   - webnn, webgpu: a Chromium-based browser on the PATH; both need a
//     browser harness, so they are reported as found but unavailable.
//
// Every probe goes through a [Probe], whose parts (file reads, globs, PATH
// look-ups, the environment, NVML) tests replace.
//
// # Dependencies
//
// github.com/NVIDIA/go-nvml: NVIDIA's own Go bindings for NVML. It loads
// the library lazily (dlopen), so there is no link-time dependency on the
// driver; benchgate needs cgo anyway for DuckDB.
package hardware
