// Package hardware detects the platforms a benchmark can run on: cpu, cuda,
// rocm, mps, openvino, qnn, webnn and webgpu. Each [Platform] says whether it
// is available and why (or why not), with what was found.
//
// This first version probes the operating system only (procfs, sysfs, device
// nodes, the PATH and well-known library locations); it never loads a vendor
// library, so the binary runs anywhere. NVML-based CUDA details come later.
package hardware
