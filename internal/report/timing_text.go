package report

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/benchgate/benchgate/internal/comparison"
	"github.com/benchgate/benchgate/internal/store"
)

// nameHeader is the name column's heading for rows: "Model" when some
// result is of an ML model (hasModel), else "Benchmark".
func nameHeader(rows []store.Row) string {
	for _, r := range rows {
		if hasModel(r) {
			return "Model"
		}
	}
	return "Benchmark"
}

// TimingMarkdown writes the timing report as GitHub Markdown, with the same
// sections as the HTML report.
func TimingMarkdown(w io.Writer, t *Timing) error {
	var b strings.Builder
	b.WriteString("# Benchmark timing report\n\n")
	fmt.Fprintf(&b, "Generated %s by benchgate · %s · %s.\n\n", t.GeneratedAt.Format("2006-01-02 15:04 MST"),
		comparison.Plural(len(t.Runs), "run", "runs"), comparison.Plural(len(t.Rows), "result", "results"))
	if o := t.Omitted(); o != "" {
		b.WriteString("> **Note:** " + EscapeMarkdown(o) + "\n\n")
	}
	if t.Comparison != nil {
		b.WriteString("## Verdict\n\n")
		var v strings.Builder
		if err := Markdown(&v, t.Comparison); err != nil {
			return err
		}
		// Demote the verdict's own heading one level.
		b.WriteString(strings.Replace(v.String(), "## ", "### ", 1))
		b.WriteString("\n")
	}
	b.WriteString("## Hardware platforms\n\n| Platform | Available here | Details |\n|---|---|---|\n")
	for _, p := range t.Platforms {
		avail := "no"
		if p.Available {
			avail = "yes"
		}
		fmt.Fprintf(&b, "| %s | %s | %s |\n", p.Type, avail, EscapeMarkdown(strings.TrimSpace(p.DeviceName+" "+p.Reason)))
	}
	for _, metric := range []string{"latency", "throughput"} {
		h := t.Heatmap(metric)
		if len(h.Rows) == 0 {
			continue
		}
		fmt.Fprintf(&b, "\n## %s by hardware (%s, %s is better)\n\n| Benchmark |", strings.ToUpper(metric[:1])+metric[1:], h.Unit, h.Better)
		for _, c := range h.Columns {
			b.WriteString(" " + EscapeMarkdown(c) + " |")
		}
		b.WriteString("\n|---|" + strings.Repeat("--:|", len(h.Columns)) + "\n")
		for _, r := range h.Rows {
			b.WriteString("| " + EscapeMarkdown(r.Name) + " |")
			for _, c := range r.Cells {
				if c.Valid {
					fmt.Fprintf(&b, " %.2f |", c.Value)
				} else {
					b.WriteString(" — |")
				}
			}
			b.WriteString("\n")
		}
	}
	latest := t.Latest()
	b.WriteString("\n## Detailed results by category\n")
	for _, cat := range Categories {
		var rows []int
		for i, r := range latest {
			if Category(r) == cat {
				rows = append(rows, i)
			}
		}
		if len(rows) == 0 {
			continue
		}
		fmt.Fprintf(&b, "\n### %s\n\n| %s | Hardware | Batch | Mean (ms) | p50 | p90 | p99 | Throughput (it/s) | Memory (MB) | Status |\n|---|---|--:|--:|--:|--:|--:|--:|--:|---|\n", cat, nameHeader(latest))
		for _, i := range rows {
			r := latest[i]
			bs := "-"
			if r.BatchSize != nil {
				bs = fmt.Sprint(*r.BatchSize)
			}
			fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", EscapeMarkdown(rowName(r)), EscapeMarkdown(r.HardwareType), bs,
				optFloat(r.AvgLatencyMs), optFloat(r.P50Ms), optFloat(r.P90Ms), optFloat(r.P99Ms), optFloat(r.ThroughputPerSec), optFloat(r.MemoryPeakMB), EscapeMarkdown(rowStatus(r)))
		}
	}
	if trends := t.Trends(); len(trends) > 0 {
		b.WriteString("\n## Historical trends (mean latency, ms)\n\n| Series | Runs | First | Last | Change |\n|---|--:|--:|--:|--:|\n")
		for _, tr := range trends {
			first, last := tr.Points[0].Value, tr.Points[len(tr.Points)-1].Value
			fmt.Fprintf(&b, "| %s | %d | %.3f | %.3f | %s |\n", EscapeMarkdown(tr.Name), len(tr.Points), first, last, FormatChange(last/first-1))
		}
	}
	b.WriteString("\n## Errors\n\n")
	if fails := t.Failures(); len(fails) > 0 {
		byType, _ := t.ErrorCounts()
		keys := make([]string, 0, len(byType))
		for k := range byType {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			fmt.Fprintf(&b, "- %s: %d\n", CodeSpan(k), byType[k])
		}
		b.WriteString("\n")
		for i, r := range fails {
			fmt.Fprintf(&b, "%d. %s on %s: %s: %s\n", i+1, EscapeMarkdown(rowName(r)), EscapeMarkdown(r.HardwareType), CodeSpan(r.ErrorType), EscapeMarkdown(truncate(r.ErrorMessage, 300)))
		}
	} else {
		b.WriteString("No failed benchmarks.\n")
	}
	if recs := t.Recommendations(); len(recs) > 0 {
		b.WriteString("\n## Recommendations\n\nFrom measured data only: the lowest-latency hardware of each benchmark.\n\n| Benchmark | Best hardware | Mean latency (ms) | Hardware measured | Speed-up over slowest |\n|---|---|--:|--:|--:|\n")
		for _, r := range recs {
			fmt.Fprintf(&b, "| %s | %s | %.3f | %d | %.2f× |\n", EscapeMarkdown(r.Name), EscapeMarkdown(r.Hardware), r.LatencyMs, r.Measured, r.Speedup)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// TimingJSON writes the timing report's JSON shape: generated_at,
// report_type "benchmark_timing", hardware_platforms, results, plus the
// window (days), what it left out (omitted) and the verdict when the report
// has one.
func TimingJSON(w io.Writer, t *Timing) error {
	type omitted struct {
		Runs    int    `json:"runs"`    // runs older than the window
		Results int    `json:"results"` // their results
		Note    string `json:"note"`    // what was left out and how to include it; "" when nothing
	}
	type out struct {
		GeneratedAt       string       `json:"generated_at"`
		ReportType        string       `json:"report_type"`
		HardwarePlatforms any          `json:"hardware_platforms"`
		Days              int          `json:"days"` // 0: all history
		Omitted           omitted      `json:"omitted"`
		Runs              any          `json:"runs"`
		Results           []QueryRow   `json:"results"`
		Verdict           *JSONVerdict `json:"verdict,omitempty"`
	}
	type run struct {
		ID        string `json:"run_id"`
		Attempt   int    `json:"attempt"`
		Commit    string `json:"commit,omitempty"`
		Ref       string `json:"ref,omitempty"`
		Suite     string `json:"suite,omitempty"`
		CreatedAt string `json:"created_at"`
	}
	runs := make([]run, 0, len(t.Runs))
	for _, r := range t.Runs {
		runs = append(runs, run{r.ID, r.Attempt, r.Commit, r.Ref, r.Suite, r.CreatedAt.UTC().Format("2006-01-02T15:04:05Z")})
	}
	o := out{GeneratedAt: t.GeneratedAt.UTC().Format("2006-01-02T15:04:05Z"), ReportType: "benchmark_timing",
		HardwarePlatforms: t.Platforms, Days: t.Days,
		Omitted: omitted{t.OmittedRuns, t.OmittedResults, t.Omitted()}, Runs: runs, Results: queryRows(t.Rows)}
	if t.Comparison != nil {
		v := Verdict(comparison.OutcomeOf(t.Comparison))
		o.Verdict = &v
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(o)
}
