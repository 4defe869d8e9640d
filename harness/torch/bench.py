#!/usr/bin/env python3
"""benchgate reference ML harness: times one model family on one device.

Usage:
    python3 bench.py --model bert --hardware cpu --batch-size 8 --output result.json

It builds the family from its architecture with random weights (models.py),
warms up until the latency is stable, then times --iterations forward passes
with proper device synchronisation (CUDA events on GPU), and writes
benchgate's native result document: raw per-iteration latencies, peak
memory (the allocator's peak on GPU, the process's peak RSS on CPU) and the
cold-start time (construction to the end of the first forward pass).
benchgate computes every summary statistic itself from the raw samples.

A family that cannot be built or run here exits with status 2 and a
one-line reason on stderr: it never prints a made-up number.
"""

import argparse
import json
import os
import platform
import resource
import statistics
import sys
import time

try:
    import torch
except Exception as e:  # pragma: no cover - depends on the machine
    print(f"benchgate-harness: cannot import torch: {e}", file=sys.stderr)
    sys.exit(2)

import models


def fail(msg):
    print(f"benchgate-harness: {msg}", file=sys.stderr)
    sys.exit(2)


def device_for(hw):
    if hw == "cpu":
        return torch.device("cpu")
    if hw in ("cuda", "rocm"):  # ROCm builds of PyTorch expose HIP as "cuda"
        if not torch.cuda.is_available():
            fail(f"{hw} requested but torch.cuda.is_available() is false (torch {torch.__version__})")
        return torch.device("cuda")
    if hw == "mps":
        if not (hasattr(torch.backends, "mps") and torch.backends.mps.is_available()):
            fail("mps requested but torch.backends.mps.is_available() is false")
        return torch.device("mps")
    fail(f"hardware {hw!r} is not supported by the torch harness (cpu, cuda, rocm, mps)")


def sync(dev):
    if dev.type == "cuda":
        torch.cuda.synchronize()
    elif dev.type == "mps":
        torch.mps.synchronize()


class Timer:
    """Times one call: CUDA events on GPU, perf_counter after a sync elsewhere."""

    def __init__(self, dev):
        self.dev = dev

    def __call__(self, fn):
        if self.dev.type == "cuda":
            start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
            start.record()
            fn()
            end.record()
            end.synchronize()
            return start.elapsed_time(end)  # milliseconds
        sync(self.dev)
        t0 = time.perf_counter()
        fn()
        sync(self.dev)
        return (time.perf_counter() - t0) * 1e3


def iqr_ratio(xs):
    q = statistics.quantiles(xs, n=4, method="inclusive")
    med = statistics.median(xs)
    return (q[2] - q[0]) / med if med > 0 else float("inf")


def warm_up(timer, fn, min_iters, max_seconds, block=5, blocks=4):
    """At least min_iters passes, then until IQR/median < 0.10 over the last
    blocks×block passes, capped at max_seconds (STATISTICS.md §7.1)."""
    xs, t0 = [], time.perf_counter()
    while True:
        xs.append(timer(fn))
        n = len(xs)
        if n >= max(min_iters, block * blocks) and iqr_ratio(xs[-block * blocks:]) < 0.10:
            return n, True
        if time.perf_counter() - t0 > max_seconds and n >= min_iters:
            return n, False


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--model", required=True, help="model family: " + ", ".join(models.FAMILIES))
    ap.add_argument("--hardware", default="cpu", help="cpu, cuda, rocm or mps")
    ap.add_argument("--batch-size", type=int, default=1)
    ap.add_argument("--sequence-length", type=int, default=128)
    ap.add_argument("--precision", default="fp32", choices=["fp32", "fp16", "bf16"])
    ap.add_argument("--full-size", action="store_true", help="full-size variant instead of the small one")
    ap.add_argument("--small-models", default="true", help="true/false; the suite's {small_models}")
    ap.add_argument("--iterations", type=int, default=30, help="timed forward passes")
    ap.add_argument("--warmup-min", type=int, default=10)
    ap.add_argument("--warmup-max-seconds", type=float, default=10.0)
    ap.add_argument("--threads", type=int, default=0, help="torch intra-op threads on CPU (0: torch's default)")
    ap.add_argument("--no-transformers", action="store_true", help="use the torch modules even if transformers is installed")
    ap.add_argument("--output", help="write the result document here instead of stdout")
    a = ap.parse_args()
    if a.batch_size <= 0 or a.iterations <= 0:
        fail("--batch-size and --iterations must be positive")
    small = not a.full_size and a.small_models.lower() != "false"
    torch.manual_seed(0)
    if a.threads > 0:
        torch.set_num_threads(a.threads)
    dev = device_for(a.hardware)
    dtype = {"fp32": torch.float32, "fp16": torch.float16, "bf16": torch.bfloat16}[a.precision]
    if dev.type == "cpu" and dtype == torch.float16:
        fail("fp16 on cpu is not supported by this harness; use fp32 or bf16")

    t_cold = time.perf_counter()
    try:
        model, make_inputs, info = models.build(a.model, small=small, use_transformers=not a.no_transformers)
        model = model.eval().to(dev, dtype=dtype)
        inputs = tuple(x.to(dtype) if torch.is_tensor(x) and x.is_floating_point() else x
                       for x in make_inputs(a.batch_size, a.sequence_length, dev))
    except models.BuildError as e:
        fail(str(e))
    except RuntimeError as e:  # e.g. CUDA out of memory while building
        fail(f"building {a.model} on {a.hardware}: {e}")

    def forward():
        with torch.inference_mode():
            model(*inputs)

    if dev.type == "cuda":
        torch.cuda.reset_peak_memory_stats()
    timer = Timer(dev)
    try:
        forward()
        sync(dev)
        cold_ms = (time.perf_counter() - t_cold) * 1e3
        warm_n, stable = warm_up(timer, forward, a.warmup_min, a.warmup_max_seconds)
        lat = [timer(forward) for _ in range(a.iterations)]
    except RuntimeError as e:
        fail(f"running {a.model} on {a.hardware} at batch {a.batch_size}: {e}")

    metrics = {"cold_start_ms": cold_ms}
    hw = {"type": a.hardware}
    if dev.type == "cuda":
        metrics["memory_peak_mb"] = torch.cuda.max_memory_allocated() / 2**20
        p = torch.cuda.get_device_properties(0)
        hw.update(device_name=p.name, memory_mb=p.total_memory / 2**20, compute_units=p.multi_processor_count,
                  driver_version=f"cuda {torch.version.cuda}")
    else:
        # ru_maxrss is KiB on Linux, bytes on macOS: the process's peak RSS.
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        metrics["memory_peak_mb"] = rss / (2**20 if sys.platform == "darwin" else 2**10)
        hw.update(device_name=platform.processor() or platform.machine(), compute_units=os.cpu_count() or 0)
    arch = info.pop("architecture")
    doc = {
        "benchgate": 1,
        "name": info["name"],
        "model": info,
        "hardware": hw,
        # Note: the torch version is not a parameter: parameters are part of
        # the series identity, and a framework upgrade must be compared
        # against, not start a new series.
        "config": {"batch_size": a.batch_size, "sequence_length": a.sequence_length, "precision": a.precision},
        "warmup_iterations": warm_n,
        "latencies_ms": lat,
        "metrics": metrics,
    }
    if not stable:
        print(f"benchgate-harness: warning: latency not stable after {warm_n} warm-up passes "
              f"(IQR/median ≥ 0.10); result may be noisy", file=sys.stderr)
    print(f"benchgate-harness: {info['name']} ({arch}, torch {torch.__version__}, "
          f"{torch.get_num_threads()} threads) on {a.hardware}, batch {a.batch_size}: median {statistics.median(lat):.3f} ms over {len(lat)} passes", file=sys.stderr)
    text = json.dumps(doc)
    if a.output:
        with open(a.output, "w") as f:
            f.write(text + "\n")
    else:
        print(text)


if __name__ == "__main__":
    main()
