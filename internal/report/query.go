package report

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	gitcmd "github.com/benchgate/benchgate/internal/git"
	"github.com/benchgate/benchgate/internal/hardware"
	"github.com/benchgate/benchgate/internal/store"
)

// rowName is the name the timing table shows: the model's name for ML
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

// optFloat renders a table value: two decimals, or three
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

// otherMetrics renders the metrics of r that no summary column shows, each
// as its median scaled to a readable unit ("3.000 allocs/op",
// "B/op 4.000KiB"), or "-" when there are none. Names and units are
// untrusted: the result is one line of plain text.
func otherMetrics(r store.Row) string {
	var out []string
	for _, m := range r.Metrics {
		if m.Column != "" {
			continue
		}
		v := FormatValue(m.Median, m.Unit)
		if !strings.HasSuffix(v, OneLine(m.Name)) { // FormatValue sanitises the unit
			v = m.Name + " " + v
		}
		out = append(out, v)
	}
	if len(out) == 0 {
		return "-"
	}
	return OneLine(strings.Join(out, ", "))
}

// hasModel reports whether r is a result of an ML model: it names a model
// family or type (modality), or a model other than its benchmark (a Go
// benchmark's model name is the benchmark's).
func hasModel(r store.Row) bool {
	return r.ModelFamily != "" || r.ModelType != "" || (r.ModelName != "" && r.ModelName != r.Benchmark)
}

// runName is the table's run column: the run id, with "#attempt" after
// the first attempt.
func runName(r store.Row) string {
	if r.Attempt > 1 {
		return OneLine(fmt.Sprintf("%s#%d", r.RunID, r.Attempt))
	}
	return OneLine(r.RunID)
}

// MatchRows keeps the rows whose model name, model family or benchmark
// matches pattern, case-insensitively: as a glob when pattern holds one of
// *?[ (* matches any text, "/" included, so "BenchmarkParse*" takes its
// sub-benchmarks; ? one character; [a-z] a class), else as a substring. An
// empty pattern keeps every row; a malformed glob is an error that names
// it.
func MatchRows(rows []store.Row, pattern string) ([]store.Row, error) {
	if pattern == "" {
		return rows, nil
	}
	match := func(s string) bool { return strings.Contains(strings.ToLower(s), strings.ToLower(pattern)) }
	if strings.ContainsAny(pattern, "*?[") {
		re, err := globRegexp(pattern)
		if err != nil {
			return nil, fmt.Errorf("pattern %q: %w", pattern, err)
		}
		match = re.MatchString
	}
	var out []store.Row
	for _, r := range rows {
		if match(r.ModelName) || match(r.ModelFamily) || match(r.Benchmark) {
			out = append(out, r)
		}
	}
	return out, nil
}

// globRegexp compiles a glob to a case-insensitive regular expression that
// matches the whole text.
func globRegexp(glob string) (*regexp.Regexp, error) {
	var b strings.Builder
	b.WriteString("(?is)^")
	for i := 0; i < len(glob); i++ {
		switch c := glob[i]; c {
		case '*':
			b.WriteString(".*")
		case '?':
			b.WriteString(".")
		case '[':
			end := strings.IndexByte(glob[i+1:], ']')
			if end < 0 {
				return nil, errors.New("unterminated [")
			}
			class := glob[i+1 : i+1+end]
			if class == "" || class == "!" || class == "^" {
				return nil, errors.New("empty [ ] class")
			}
			if class[0] == '!' {
				class = "^" + class[1:]
			}
			b.WriteString("[" + strings.ReplaceAll(class, `\`, `\\`) + "]")
			i += end + 1
		default:
			// A literal up to the next special character, whole runes.
			j := i + 1
			for j < len(glob) && !strings.ContainsRune("*?[", rune(glob[j])) {
				j++
			}
			b.WriteString(regexp.QuoteMeta(glob[i:j]))
			i = j - 1
		}
	}
	b.WriteString("$")
	return regexp.Compile(b.String())
}

// shortCommit is the table's commit column: the abbreviated id, or "-".
func shortCommit(sha string) string {
	if sha == "" {
		return "-"
	}
	return OneLine(gitcmd.Short(sha))
}

// QueryTable writes the "Benchmark Timing Results" table followed by
// totals and the "Failed Benchmarks" section. The name column is "Model
// Name" when some result is of an ML model (hasModel), else "Benchmark".
// Besides name, hardware, batch size, latency, throughput, memory and
// status it shows each result's run (id, and #attempt after the first), so
// that a baseline's row and a candidate's are told apart, its commit, its
// run's date (UTC) and, under "Other metrics (median)", every metric that
// the latency, throughput and memory columns do not show.
func QueryTable(w io.Writer, rows []store.Row) error {
	nameHead := "Benchmark"
	for _, r := range rows {
		if hasModel(r) {
			nameHead = "Model Name"
			break
		}
	}
	nameW, statusW, runW := len(nameHead), len("Status"), len("Run")
	for _, r := range rows {
		nameW = max(nameW, len([]rune(rowName(r))))
		statusW = max(statusW, len([]rune(OneLine(rowStatus(r)))))
		runW = max(runW, len([]rune(runName(r))))
	}
	nameW = max(nameW, 30)
	ruleW := nameW + 1 + 76 + statusW + 1 + runW + 1 + gitcmd.ShortLen + 1 + 16 + 1 + len("Other metrics (median)")
	var b strings.Builder
	b.WriteString("Benchmark Timing Results\n")
	b.WriteString(strings.Repeat("=", ruleW) + "\n")
	line := func(cols ...string) {
		fmt.Fprintf(&b, "%-*s %-10s %-12s %-15s %-20s %-14s %-*s %-*s %-*s %-16s %s\n", nameW, cols[0], cols[1], cols[2], cols[3], cols[4], cols[5],
			statusW, cols[6], runW, cols[7], gitcmd.ShortLen, cols[8], cols[9], cols[10])
	}
	line(nameHead, "Hardware", "Batch Size", "Latency (ms)", "Throughput (it/s)", "Memory (MB)", "Status", "Run", "Commit", "Date (UTC)", "Other metrics (median)")
	b.WriteString(strings.Repeat("-", ruleW) + "\n")
	var failed []store.Row
	for _, r := range rows {
		bs := "-"
		if r.BatchSize != nil {
			bs = strconv.Itoa(*r.BatchSize)
		}
		lat, thr, mem, other := optFloat(r.AvgLatencyMs), optFloat(r.ThroughputPerSec), optFloat(r.MemoryPeakMB), otherMetrics(r)
		if r.Status != "success" {
			lat, thr, mem, other = "---", "---", "---", "---"
			failed = append(failed, r)
		}
		line(rowName(r), OneLine(r.HardwareType), bs, lat, thr, mem, OneLine(rowStatus(r)), runName(r), shortCommit(r.Commit), r.CreatedAt.UTC().Format("2006-01-02 15:04"), other)
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
	RunID            string        `json:"run_id"`
	Attempt          int           `json:"attempt"`
	Commit           string        `json:"commit,omitempty"`
	Ref              string        `json:"ref,omitempty"`
	Benchmark        string        `json:"benchmark"`
	ModelName        string        `json:"model_name"`
	ModelFamily      string        `json:"model_family,omitempty"`
	HardwareType     string        `json:"hardware_type"`
	DeviceName       string        `json:"device_name,omitempty"`
	Params           string        `json:"params,omitempty"`
	BatchSize        *int          `json:"batch_size"`
	AvgLatencyMs     *float64      `json:"average_latency_ms"`
	P50Ms            *float64      `json:"p50_latency_ms"`
	P90Ms            *float64      `json:"p90_latency_ms"`
	P99Ms            *float64      `json:"p99_latency_ms"`
	ThroughputPerSec *float64      `json:"throughput_items_per_second"`
	MemoryPeakMB     *float64      `json:"memory_peak_mb"`
	Status           string        `json:"status"`
	ErrorType        string        `json:"error_type,omitempty"`
	ErrorMessage     string        `json:"error_message,omitempty"`
	CreatedAt        string        `json:"created_at"` // RFC 3339, UTC
	Metrics          []QueryMetric `json:"metrics"`    // every metric of the result; empty for a failure
}

// QueryMetric is one metric of a QueryRow: its samples' count, median and
// mean in the base unit (null when there are no samples).
type QueryMetric struct {
	Name      string   `json:"name"`
	Unit      string   `json:"unit"`
	Direction string   `json:"direction"` // "smaller" or "bigger" is better
	N         int      `json:"n"`
	Median    *float64 `json:"median"`
	Mean      *float64 `json:"mean"`
}

func queryMetrics(ms []store.RowMetric) []QueryMetric {
	out := make([]QueryMetric, 0, len(ms))
	num := func(f float64) *float64 {
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return nil
		}
		return &f
	}
	for _, m := range ms {
		out = append(out, QueryMetric{Name: m.Name, Unit: m.Unit, Direction: m.Better, N: m.N, Median: num(m.Median), Mean: num(m.Mean)})
	}
	return out
}

func queryRows(rows []store.Row) []QueryRow {
	out := make([]QueryRow, 0, len(rows))
	for _, r := range rows {
		out = append(out, QueryRow{
			RunID: r.RunID, Attempt: r.Attempt, Commit: r.Commit, Ref: r.Ref, Benchmark: r.Benchmark,
			ModelName: r.ModelName, ModelFamily: r.ModelFamily, HardwareType: r.HardwareType, DeviceName: r.DeviceName,
			Params: r.Params, BatchSize: r.BatchSize, AvgLatencyMs: r.AvgLatencyMs, P50Ms: r.P50Ms, P90Ms: r.P90Ms,
			P99Ms: r.P99Ms, ThroughputPerSec: r.ThroughputPerSec, MemoryPeakMB: r.MemoryPeakMB, Status: r.Status,
			ErrorType: r.ErrorType, ErrorMessage: r.ErrorMessage, CreatedAt: r.CreatedAt.UTC().Format(time.RFC3339), Metrics: queryMetrics(r.Metrics),
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

// csvMetric is a metric column of QueryCSV.
type csvMetric struct{ name, unit string }

// header is the column's name: the metric, with its unit when that differs.
func (c csvMetric) header() string {
	if c.unit == "" || c.unit == c.name {
		return c.name
	}
	return c.name + " (" + c.unit + ")"
}

// QueryCSV writes rows as CSV with a header line: the table's columns, then
// one column per distinct metric (name and unit, in order of first
// appearance) holding the median of the result's samples in the base unit,
// empty where a result lacks the metric. Every cell goes through CSVSafe:
// a line break inside a value is written as the two characters \n, so each
// record is one line.
func QueryCSV(w io.Writer, rows []store.Row) error {
	cw := csv.NewWriter(w)
	header := []string{"run_id", "attempt", "commit", "ref", "benchmark", "model_name", "hardware_type", "device_name", "params", "batch_size",
		"average_latency_ms", "p50_latency_ms", "p90_latency_ms", "p99_latency_ms", "throughput_items_per_second", "memory_peak_mb",
		"status", "error_type", "error_message", "created_at"}
	col := map[csvMetric]int{}
	for _, r := range rows {
		for _, m := range r.Metrics {
			k := csvMetric{m.Name, m.Unit}
			if _, ok := col[k]; !ok {
				col[k] = len(header)
				header = append(header, k.header())
			}
		}
	}
	for i, h := range header {
		header[i] = CSVSafe(h)
	}
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
		rec = append(rec, make([]string, len(header)-len(rec))...)
		for _, m := range q.Metrics {
			rec[col[csvMetric{m.Name, m.Unit}]] = num(m.Median)
		}
		for i, f := range rec {
			rec[i] = CSVSafe(f)
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// CSVSafe makes an untrusted cell safe to write as CSV that may be shown in
// a terminal or an Actions log, or opened in a spreadsheet. The cell passes
// through OneLine, so it holds no raw line break: a newline inside a value
// is written as the two characters \n (a record is always one line, and
// no line can start a workflow command), and other hidden characters as
// their visible escapes. The file stays plain CSV, parseable by any
// reader; use --format json for the exact text. Then spreadsheet formula
// injection is defused: a value starting with =, +, - or @ that is not a
// number gets a leading quote.
func CSVSafe(s string) string {
	s = OneLine(s)
	if s != "" && strings.ContainsRune("=+-@", rune(s[0])) {
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
