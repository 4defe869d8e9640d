#!/usr/bin/env bash
# gpu-check.sh: everything GPU-related in benchgate, on a machine with an
# NVIDIA GPU, in well under 5 minutes; prints a summary and exits non-zero
# when a check failed.
#
#   scripts/gpu-check.sh --build DIR     on a machine with Go and the module
#                                        cache: build benchgate and the NVML
#                                        test binaries into DIR
#   scripts/gpu-check.sh [DIR]           on the GPU machine: run the checks
#                                        with the binaries in DIR (default:
#                                        build them now, which needs Go and
#                                        the modules: the GPU machine has no
#                                        network)
#
# Checks:
#   1. benchgate hardware (table and JSON): cuda available, with device
#      name, UUID, memory, driver and CUDA versions, compute capability;
#   2. the NVML-tagged tests of internal/hardware and internal/monitor
#      (real NVML: device info, samples, power, energy);
#   3. when python3 can import torch with CUDA: a short monitored
#      `benchgate run` of a CUDA matmul loop (native result document, CUDA
#      events), batch 1 and 8; prints the stored p50/p99 latency,
#      throughput and peak memory (benchgate query) and the monitor's power,
#      energy, items per joule and the GPU it attributed to the benchmark by
#      process (the status file).
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
export CGO_CFLAGS="${CGO_CFLAGS:--O2 -g} -Wno-deprecated-declarations" # go-nvml's deprecated NVML calls

build() {
	mkdir -p "$1" &&
		(cd "$root" && go build -o "$1/benchgate" ./cmd/action &&
			go test -c -tags nvml -o "$1/hardware.test" ./internal/hardware &&
			go test -c -tags nvml -o "$1/monitor.test" ./internal/monitor)
}

if [ "${1:-}" = --build ]; then
	build "${2:?usage: gpu-check.sh --build DIR}" && echo "built into $2"
	exit $?
fi
bin=${1:-}
if [ -z "$bin" ]; then
	bin=$(mktemp -d)
	build "$bin" || { echo "FAIL build (use --build DIR on a machine with Go, then pass DIR)"; exit 1; }
fi
bin=$(cd "$bin" && pwd)
work=$(mktemp -d)
declare -a summary
fail=0
check() { # name, status
	if [ "$2" = 0 ]; then summary+=("PASS $1"); else summary+=("FAIL $1"); fail=1; fi
}

echo "== 1. benchgate hardware"
timeout 60 "$bin/benchgate" hardware | tee "$work/hw.txt"
timeout 60 "$bin/benchgate" hardware --format json >"$work/hw.json"
grep -q '^cuda  *yes' "$work/hw.txt"
check "benchgate hardware lists cuda as available" $?
python3 - "$work/hw.json" <<'PY'
import json, sys
cuda = next(p for p in json.load(open(sys.argv[1])) if p["type"] == "cuda")
for g in cuda.get("gpus", []):
    print(f"  GPU {g['index']}: {g['name']}, {g.get('memory_mb', 0):.0f} MiB, uuid {g.get('uuid')}, "
          f"compute {g.get('compute_capability')}, driver {g.get('driver_version')}, CUDA {g.get('cuda_version')}")
ok = cuda["available"] and all(g.get("uuid") and g.get("compute_capability") and g.get("cuda_version") for g in cuda["gpus"])
sys.exit(0 if ok else 1)
PY
check "hardware JSON has name, UUID, memory, driver, CUDA, compute capability per GPU" $?

echo "== 2. NVML-tagged tests"
(cd "$root/internal/hardware" && timeout 120 "$bin/hardware.test" -test.run 'NVMLOnGPU|DetectHost|OpenNVML' -test.v 2>&1 | tail -20)
check "go test -tags nvml ./internal/hardware" "${PIPESTATUS[0]}"
(cd "$root/internal/monitor" && timeout 120 "$bin/monitor.test" -test.run 'RealGPU' -test.v 2>&1 | tail -10)
check "go test -tags nvml ./internal/monitor" "${PIPESTATUS[0]}"

echo "== 3. monitored CUDA run"
if python3 -c 'import torch, sys; sys.exit(0 if torch.cuda.is_available() else 1)' 2>/dev/null; then
	cat >"$work/matmul.py" <<'PY'
import json, sys, time, torch
batch, out = int(sys.argv[1]), sys.argv[2]
dev = torch.device("cuda")
a = torch.randn(batch, 4096, 4096, device=dev, dtype=torch.float16)
b = torch.randn(4096, 4096, device=dev, dtype=torch.float16)
for _ in range(20):
    a @ b
torch.cuda.synchronize()
lat = []
end = time.time() + 8  # long enough for several power readings
while time.time() < end:
    s, e = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
    s.record(); a @ b; e.record(); torch.cuda.synchronize()
    lat.append(s.elapsed_time(e))
json.dump({"benchgate": 1, "name": "matmul4096", "model": {"name": "matmul4096"},
           "hardware": {"type": "cuda", "device_name": torch.cuda.get_device_name(0)},
           "config": {"batch_size": batch, "precision": "fp16"}, "latencies_ms": lat,
           "memory_peak_mb": torch.cuda.max_memory_allocated() / 2**20}, open(out, "w"))
PY
	cat >"$work/suite.yml" <<YAML
version: 1
name: gpu-check
matrix:
  models: [bert]
  hardware: [cuda]
  batch-sizes: [1, 8]
  format: native
  repetitions: 1
  command: [python3, $work/matmul.py, "{batch_size}", "{output}"]
YAML
	timeout 150 "$bin/benchgate" run --suite "$work/suite.yml" --db "$work/gpu.duckdb" --output-dir "$work/out" --run-id gpu1 --progress none 2>"$work/run.log"
	check "benchgate run of a CUDA benchmark under the monitor" $?
	tail -5 "$work/run.log"
	"$bin/benchgate" query --db "$work/gpu.duckdb" --format json >"$work/query.json"
	python3 - "$work/query.json" "$work/out/benchmark_status_latest.json" <<'PY'
import json, sys
rows = json.load(open(sys.argv[1]))
rows = rows.get("results", rows) if isinstance(rows, dict) else rows
status = json.load(open(sys.argv[2]))
ok = True
thr = {}
for r in rows:
    print("  " + ", ".join(f"{k}={r.get(k)}" for k in ("model_name", "hardware_type", "device_name", "batch_size", "p50_latency_ms",
          "p99_latency_ms", "throughput_items_per_second", "memory_peak_mb", "status")))
    thr[r.get("batch_size")] = r.get("throughput_items_per_second")
    ok &= r.get("status") == "success"
for run in status["runs"]:
    res = run.get("resources") or {}
    print(f"  {run['job']}: GPUs {res.get('gpus')}, avg power {res.get('avg_power_watts')} W, energy {res.get('energy_joules')} J, "
          f"peak GPU memory {res.get('peak_gpu_memory_mb')} MiB, throttle {res.get('throttle_reasons')}, errors {res.get('gpu_errors')}")
    ok &= bool(res.get("gpus")) and bool(res.get("energy_joules")) and bool(res.get("avg_power_watts"))
    bs = int(run["job"].rsplit("=", 1)[1])
    if thr.get(bs) and res.get("avg_power_watts"):
        print(f"    items per joule (stored as energy_efficiency): {thr[bs] / res['avg_power_watts']:.2f}")
sys.exit(0 if ok else 1)
PY
	check "power, energy and items per joule derived; GPU attributed to the benchmark" $?
else
	summary+=("SKIP monitored CUDA run: python3 cannot import torch with CUDA")
fi

echo
echo "== summary"
printf '%s\n' "${summary[@]}"
rm -rf "$work"
exit $fail
