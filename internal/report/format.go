package report

import (
	"fmt"
	"math"
	"strings"

	"golang.org/x/perf/benchunit"
)

// FormatValue renders v in unit with a readable scale: seconds as
// ns/µs/ms/s, bytes with IEC prefixes, anything else with SI prefixes. The
// unit is untrusted: it is passed through OneLine, so the result is safe
// to print as is.
func FormatValue(v float64, unit string) string {
	s := ScaledValue(v, unit)
	if math.IsNaN(v) {
		return s
	}
	unit = OneLine(unit)
	base, per, _ := strings.Cut(unit, "/")
	switch base {
	case "s", "sec", "B":
		if per != "" {
			return s + "/" + per
		}
		return s
	}
	return s + " " + unit
}

// ScaledValue is FormatValue without the unit, for a table whose heading
// names it: "127µs" for 1.27e-4 sec/op, "7.305KiB" for 7480 B/op, "6.014k"
// for 6014 allocs/op. Seconds and bytes keep their scaled symbol.
func ScaledValue(v float64, unit string) string {
	if math.IsNaN(v) {
		return "—"
	}
	base, _, _ := strings.Cut(unit, "/")
	switch base {
	case "s", "sec":
		return formatSeconds(v)
	case "B":
		return benchunit.Scale(v, benchunit.Binary) + "B"
	}
	return benchunit.Scale(v, benchunit.Decimal)
}

func formatSeconds(v float64) string {
	switch a := math.Abs(v); {
	case a == 0:
		return "0s"
	case a < 1e-6:
		return fmt.Sprintf("%.3gns", v*1e9)
	case a < 1e-3:
		return fmt.Sprintf("%.3gµs", v*1e6)
	case a < 1:
		return fmt.Sprintf("%.3gms", v*1e3)
	}
	return fmt.Sprintf("%.3gs", v)
}

// FormatChange renders a ratio − 1 as a signed percentage.
func FormatChange(c float64) string {
	if math.IsNaN(c) || math.IsInf(c, 0) {
		return "—"
	}
	return fmt.Sprintf("%+.1f%%", c*100)
}

// FormatP renders a p-value.
func FormatP(p float64) string {
	if math.IsNaN(p) {
		return "—"
	}
	if p < 0.001 {
		return "<0.001"
	}
	return fmt.Sprintf("%.3f", p)
}

// DisplayParams shortens a series' parameter string for people: goos and
// goarch are dropped (the hardware column identifies the machine) and a Go
// package path is cut to its last element. Identity is unaffected: this is
// display only.
func DisplayParams(params string) string {
	var keep []string
	for _, kv := range strings.Split(params, ",") {
		k, v, _ := strings.Cut(kv, "=")
		switch k {
		case "", "goos", "goarch":
			continue
		case "pkg":
			if i := strings.LastIndexByte(v, '/'); i >= 0 {
				kv = "pkg=…/" + v[i+1:]
			}
		}
		keep = append(keep, kv)
	}
	return strings.Join(keep, ",")
}
