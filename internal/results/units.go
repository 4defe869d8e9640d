package results

import (
	"strings"
)

// Metric names that the readers of other tools' formats share with the Go
// benchmark reader, so that the same quantity is the same series whichever
// tool measured it.
const (
	MetricSecPerOp    = "sec/op"     // time per operation (iteration, call, run), s
	MetricCPUSecPerOp = "cpu-sec/op" // CPU time per operation, s
	MetricBytes       = "B"          // a size, bytes
	MetricBytesPerOp  = "B/op"       // bytes per operation
	MetricBytesPerSec = "B/s"        // bytes per second
	MetricItemsPerSec = "items/s"    // operations, requests, items… per second
	MetricAllocsPerOp = "allocs/op"  // allocations per operation
)

// unitInfo is what a unit string of another tool means in benchgate's base
// units.
type unitInfo struct {
	metric string    // metric name and normalised unit; the unit as written when unknown
	mul    float64   // value × mul / div = value in the base unit
	div    float64   // (a division keeps 100079083 ns exactly 0.100079083 s)
	better Direction // the unit's natural direction, when known
	exact  bool      // a deterministic count (allocs/op)
	known  bool
}

// scale is mul / div.
type scale struct{ mul, div float64 }

// timeUnits are seconds per unit of time, by lowercased spelling.
var timeUnits = map[string]scale{
	"ns": {1, 1e9}, "nsec": {1, 1e9}, "nanosecond": {1, 1e9}, "nanoseconds": {1, 1e9},
	"us": {1, 1e6}, "usec": {1, 1e6}, "microsecond": {1, 1e6}, "microseconds": {1, 1e6},
	"ms": {1, 1e3}, "msec": {1, 1e3}, "millisecond": {1, 1e3}, "milliseconds": {1, 1e3},
	"s": {1, 1}, "sec": {1, 1}, "secs": {1, 1}, "second": {1, 1}, "seconds": {1, 1},
	"min": {60, 1}, "minute": {60, 1}, "minutes": {60, 1},
}

// byteUnits are bytes per unit of size, by lowercased spelling. KB, MB, GB
// are decimal (SI); KiB, MiB, GiB binary.
var byteUnits = map[string]float64{
	"b": 1, "byte": 1, "bytes": 1,
	"kb": 1e3, "kilobyte": 1e3, "kilobytes": 1e3, "kib": 1 << 10,
	"mb": 1e6, "megabyte": 1e6, "megabytes": 1e6, "mib": 1 << 20,
	"gb": 1e9, "gigabyte": 1e9, "gigabytes": 1e9, "gib": 1 << 30,
	"tb": 1e12, "terabyte": 1e12, "terabytes": 1e12, "tib": 1 << 40,
}

// perOperation are the denominators that mean "per operation".
var perOperation = map[string]bool{
	"": true, "op": true, "ops": true, "iter": true, "iteration": true, "call": true, "run": true,
}

// parseUnit interprets a unit as other tools write it: "ns/iter", "ms",
// "ops/sec", "req/s", "MB/s", "Megabytes", "B/op", "allocs/op", Go's tidied
// "sec/op". Case, surrounding space and the spelling of micro (µs, μs, us)
// do not matter.
//
//   - A time, alone or per operation (op, iter, call, run), is [MetricSecPerOp]
//     in seconds, smaller is better.
//   - A size alone is [MetricBytes]; per operation [MetricBytesPerOp]; both
//     in bytes, smaller is better.
//   - A size per time is [MetricBytesPerSec], bigger is better.
//   - Any other count per time ("ops/sec", "iter/sec", "req/s", "tokens/ms")
//     is [MetricItemsPerSec], bigger is better.
//   - "allocs/op" is [MetricAllocsPerOp], exact, smaller is better.
//
// Anything else is unknown: the metric keeps the unit as written, value as is.
func parseUnit(unit string) unitInfo {
	u := strings.ToLower(strings.TrimSpace(unit))
	u = strings.NewReplacer("µs", "us", "μs", "us").Replace(u)
	num, per, _ := strings.Cut(u, "/")
	num, per = strings.TrimSpace(num), strings.TrimSpace(per)
	if perOperation[per] {
		if t, ok := timeUnits[num]; ok {
			return unitInfo{metric: MetricSecPerOp, mul: t.mul, div: t.div, better: SmallerIsBetter, known: true}
		}
		if f, ok := byteUnits[num]; ok {
			m := MetricBytesPerOp
			if per == "" {
				m = MetricBytes
			}
			return unitInfo{metric: m, mul: f, div: 1, better: SmallerIsBetter, known: true}
		}
		if per != "" && (num == "allocs" || num == "alloc" || num == "allocations") {
			return unitInfo{metric: MetricAllocsPerOp, mul: 1, div: 1, better: SmallerIsBetter, exact: true, known: true}
		}
	}
	if t, ok := timeUnits[per]; ok && num != "" {
		if _, isTime := timeUnits[num]; !isTime {
			// x per (mul/div seconds) = x × div / mul per second.
			if f, ok := byteUnits[num]; ok {
				return unitInfo{metric: MetricBytesPerSec, mul: f * t.div, div: t.mul, better: BiggerIsBetter, known: true}
			}
			if isWord(num) {
				return unitInfo{metric: MetricItemsPerSec, mul: t.div, div: t.mul, better: BiggerIsBetter, known: true}
			}
		}
	}
	return unitInfo{metric: strings.TrimSpace(unit), mul: 1, div: 1, better: SmallerIsBetter}
}

// apply converts x to the base unit.
func (u unitInfo) apply(x float64) float64 {
	return x * u.mul / u.div
}

// isWord reports whether s is letters, digits, '_' or '-', starting with a
// letter: a count noun such as "ops", "req", "frames".
func isWord(s string) bool {
	for i, c := range s {
		letter := c >= 'a' && c <= 'z'
		if i == 0 && !letter {
			return false
		}
		if !letter && !(c >= '0' && c <= '9') && c != '_' && c != '-' {
			return false
		}
	}
	return s != ""
}
