package report

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/benchgate/benchgate/internal/hardware"
	"github.com/benchgate/benchgate/internal/store"
)

// rowName is the name the seed's table shows: the model's name for ML
// results, else the benchmark with its distinguishing parameters.
func rowName(r store.Row) string {
	name := r.ModelName
	if name == "" {
		name = r.Benchmark
	}
	if p := otherParams(r.Params); p != "" && r.ModelName == r.Benchmark {
		name += " [" + p + "]"
	}
	return OneLine(name)
}

// otherParams drops the parameters that have their own column.
func otherParams(params string) string {
	var keep []string
	for _, kv := range strings.Split(params, ",") {
		if strings.HasPrefix(kv, "batch_size=") {
			continue
		}
		keep = append(keep, kv)
	}
	return DisplayParams(strings.Join(keep, ","))
}

// optFloat renders a table value: two decimals as in the seed, or three
// significant digits for values below 1 so that micro-benchmarks keep
// their precision.
func optFloat(f *float64) string {
	if f == nil {
		return "---"
	}
	if a := math.Abs(*f); a > 0 && a < 1 {
		return strconv.FormatFloat(*f, 'g', 3, 64)
	}
	return strconv.FormatFloat(*f, 'f', 2, 64)
}

func rowStatus(r store.Row) string {
	if r.Status == "success" {
		return "Success"
	}
	if r.ErrorType != "" {
		return "Failed (" + r.ErrorType + ")"
	}
	return "Failed"
}

// QueryTable writes the seed's "Benchmark Timing Results" table followed by
// totals and the "Failed Benchmarks" section.
func QueryTable(w io.Writer, rows []store.Row) error {
	nameW := len("Model Name")
	for _, r := range rows {
		if n := len([]rune(rowName(r))); n > nameW {
			nameW = n
		}
	}
	if nameW < 30 {
		nameW = 30
	}
	ruleW := nameW + 1 + 70
	var b strings.Builder
	b.WriteString("Benchmark Timing Results\n")
	b.WriteString(strings.Repeat("=", ruleW) + "\n")
	line := func(cols ...string) {
		fmt.Fprintf(&b, "%-*s %-10s %-12s %-15s %-20s %-14s %s\n", nameW, cols[0], cols[1], cols[2], cols[3], cols[4], cols[5], cols[6])
	}
	line("Model Name", "Hardware", "Batch Size", "Latency (ms)", "Throughput (it/s)", "Memory (MB)", "Status")
	b.WriteString(strings.Repeat("-", ruleW) + "\n")
	var failed []store.Row
	for _, r := range rows {
		bs := "-"
		if r.BatchSize != nil {
			bs = strconv.Itoa(*r.BatchSize)
		}
		lat, thr, mem := optFloat(r.AvgLatencyMs), optFloat(r.ThroughputPerSec), optFloat(r.MemoryPeakMB)
		if r.Status != "success" {
			lat, thr, mem = "---", "---", "---"
			failed = append(failed, r)
		}
		line(rowName(r), OneLine(r.HardwareType), bs, lat, thr, mem, rowStatus(r))
	}
	b.WriteString(strings.Repeat("-", ruleW) + "\n")
	fmt.Fprintf(&b, "Total results: %d\nSuccessful: %d\nFailed: %d\n", len(rows), len(rows)-len(failed), len(failed))
	if len(failed) > 0 {
		b.WriteString("\nFailed Benchmarks:\n")
		for i, r := range failed {
			fmt.Fprintf(&b, "%d. %s on %s", i+1, rowName(r), OneLine(r.HardwareType))
			if r.BatchSize != nil {
				fmt.Fprintf(&b, " with batch size %d", *r.BatchSize)
			}
			fmt.Fprintf(&b, ":\n   Error: %s\n", OneLine(truncate(r.ErrorMessage, 500)))
			if r.Command != "" {
				fmt.Fprintf(&b, "   Command: %s\n", OneLine(r.Command))
			}
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// QueryRow is one row of `benchgate query --format json`.
type QueryRow struct {
	RunID            string   `json:"run_id"`
	Attempt          int      `json:"attempt"`
	Commit           string   `json:"commit,omitempty"`
	Ref              string   `json:"ref,omitempty"`
	Benchmark        string   `json:"benchmark"`
	ModelName        string   `json:"model_name"`
	ModelFamily      string   `json:"model_family,omitempty"`
	HardwareType     string   `json:"hardware_type"`
	DeviceName       string   `json:"device_name,omitempty"`
	Params           string   `json:"params,omitempty"`
	BatchSize        *int     `json:"batch_size"`
	AvgLatencyMs     *float64 `json:"average_latency_ms"`
	P50Ms            *float64 `json:"p50_latency_ms"`
	P90Ms            *float64 `json:"p90_latency_ms"`
	P99Ms            *float64 `json:"p99_latency_ms"`
	ThroughputPerSec *float64 `json:"throughput_items_per_second"`
	MemoryPeakMB     *float64 `json:"memory_peak_mb"`
	Status           string   `json:"status"`
	ErrorType        string   `json:"error_type,omitempty"`
	ErrorMessage     string   `json:"error_message,omitempty"`
	CreatedAt        string   `json:"created_at"`
}

func queryRows(rows []store.Row) []QueryRow {
	out := make([]QueryRow, 0, len(rows))
	for _, r := range rows {
		out = append(out, QueryRow{
			RunID: r.RunID, Attempt: r.Attempt, Commit: r.Commit, Ref: r.Ref, Benchmark: r.Benchmark,
			ModelName: r.ModelName, ModelFamily: r.ModelFamily, HardwareType: r.HardwareType, DeviceName: r.DeviceName,
			Params: r.Params, BatchSize: r.BatchSize, AvgLatencyMs: r.AvgLatencyMs, P50Ms: r.P50Ms, P90Ms: r.P90Ms,
			P99Ms: r.P99Ms, ThroughputPerSec: r.ThroughputPerSec, MemoryPeakMB: r.MemoryPeakMB, Status: r.Status,
			ErrorType: r.ErrorType, ErrorMessage: r.ErrorMessage, CreatedAt: r.CreatedAt.UTC().Format("2006-01-02T15:04:05Z"),
		})
	}
	return out
}

// QueryJSON writes rows as a JSON array.
func QueryJSON(w io.Writer, rows []store.Row) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(queryRows(rows))
}

// QueryCSV writes rows as CSV with a header line.
func QueryCSV(w io.Writer, rows []store.Row) error {
	cw := csv.NewWriter(w)
	header := []string{"run_id", "attempt", "commit", "ref", "benchmark", "model_name", "hardware_type", "device_name", "params", "batch_size",
		"average_latency_ms", "p50_latency_ms", "p90_latency_ms", "p99_latency_ms", "throughput_items_per_second", "memory_peak_mb",
		"status", "error_type", "error_message", "created_at"}
	if err := cw.Write(header); err != nil {
		return err
	}
	num := func(f *float64) string {
		if f == nil {
			return ""
		}
		return strconv.FormatFloat(*f, 'g', -1, 64)
	}
	for _, q := range queryRows(rows) {
		bs := ""
		if q.BatchSize != nil {
			bs = strconv.Itoa(*q.BatchSize)
		}
		rec := []string{q.RunID, strconv.Itoa(q.Attempt), q.Commit, q.Ref, q.Benchmark, q.ModelName, q.HardwareType, q.DeviceName, q.Params, bs,
			num(q.AvgLatencyMs), num(q.P50Ms), num(q.P90Ms), num(q.P99Ms), num(q.ThroughputPerSec), num(q.MemoryPeakMB),
			q.Status, q.ErrorType, q.ErrorMessage, q.CreatedAt}
		for i, f := range rec {
			rec[i] = csvSafe(f)
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// csvSafe defuses spreadsheet formula injection in untrusted cells.
func csvSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		if _, err := strconv.ParseFloat(s, 64); err == nil {
			return s
		}
		return "'" + s
	}
	return s
}

// HardwareTable prints the platforms: type, availability, device and why.
func HardwareTable(w io.Writer, ps []hardware.Platform) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "PLATFORM\tAVAILABLE\tDEVICE\tDETAILS")
	for _, p := range ps {
		avail := "no"
		if p.Available {
			avail = "yes"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", p.Type, avail, OneLine(p.DeviceName), OneLine(p.Reason))
	}
	return tw.Flush()
}
