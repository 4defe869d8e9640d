package report

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/benchgate/benchgate/internal/comparison"
	"github.com/benchgate/benchgate/internal/hardware"
	"github.com/benchgate/benchgate/internal/store"
)

// Timing is everything the timing report shows. Rows are all stored results
// in the report's window; the report derives the latest value per series,
// the heatmaps, the trends and the errors from them.
type Timing struct {
	GeneratedAt time.Time
	Days        int         // window of history shown; 0 means all
	Runs        []store.Run // the runs in the window
	Rows        []store.Row
	// OmittedRuns and OmittedResults count the runs, and their results,
	// older than the window: stored but not shown.
	OmittedRuns, OmittedResults int
	Platforms                   []hardware.Platform    // detected on the machine writing the report
	Comparison                  *comparison.Comparison // optional verdict to include
}

// seriesID groups rows of one series across runs.
type seriesID struct{ name, params, hw, device string }

func idOf(r store.Row) seriesID {
	return seriesID{r.Benchmark, r.Params, r.HardwareType, r.DeviceName}
}

// Latest returns the newest row of every series, sorted by category, name,
// batch size and hardware.
func (t *Timing) Latest() []store.Row {
	latest := map[seriesID]store.Row{}
	for _, r := range t.Rows {
		id := idOf(r)
		if cur, ok := latest[id]; !ok || r.CreatedAt.After(cur.CreatedAt) {
			latest[id] = r
		}
	}
	out := make([]store.Row, 0, len(latest))
	for _, r := range latest {
		out = append(out, r)
	}
	slices.SortFunc(out, func(a, b store.Row) int {
		return cmp.Or(cmp.Compare(Category(a), Category(b)), cmp.Compare(rowName(a), rowName(b)),
			cmp.Compare(batch(a), batch(b)), cmp.Compare(a.HardwareType, b.HardwareType))
	})
	return out
}

func batch(r store.Row) int {
	if r.BatchSize == nil {
		return 0
	}
	return *r.BatchSize
}

// Categories orders the seed's model categories; results without a model
// type are "benchmarks".
var Categories = []string{"text", "vision", "audio", "multimodal", "benchmarks"}

// Category returns the report category of a row.
func Category(r store.Row) string {
	switch t := strings.ToLower(r.ModelType); t {
	case "text", "vision", "audio", "multimodal":
		return t
	}
	return "benchmarks"
}

// Heatmap is a grid of one metric: rows are benchmarks (with batch size),
// columns hardware types. Cells hold the value and its ratio to the best
// cell of the row (1 = best).
type Heatmap struct {
	Metric  string
	Unit    string
	Better  string // "smaller" or "bigger"
	Columns []string
	Rows    []HeatRow
}

// HeatRow is one row of a heatmap.
type HeatRow struct {
	Name  string
	Cells []HeatCell
}

// HeatCell is one cell; Valid is false when there is no value.
type HeatCell struct {
	Value float64
	Ratio float64 // ≥ 1; how far from the row's best
	Valid bool
}

// Heatmap builds the grid of metric ("latency" or "throughput") over the
// latest successful results.
func (t *Timing) Heatmap(metric string) Heatmap {
	h := Heatmap{Metric: metric, Unit: "ms", Better: "smaller"}
	if metric == "throughput" {
		h.Unit, h.Better = "items/s", "bigger"
	}
	value := func(r store.Row) *float64 {
		if metric == "throughput" {
			return r.ThroughputPerSec
		}
		return r.AvgLatencyMs
	}
	cols := map[string]bool{}
	type rk struct {
		name  string
		batch int
	}
	grid := map[rk]map[string]float64{}
	var keys []rk
	for _, r := range t.Latest() {
		v := value(r)
		if r.Status != "success" || v == nil {
			continue
		}
		k := rk{rowName(r), batch(r)}
		if grid[k] == nil {
			grid[k] = map[string]float64{}
			keys = append(keys, k)
		}
		grid[k][r.HardwareType] = *v
		cols[r.HardwareType] = true
	}
	for _, typ := range hardware.Types {
		if cols[typ] {
			h.Columns = append(h.Columns, typ)
			delete(cols, typ)
		}
	}
	var rest []string
	for c := range cols {
		rest = append(rest, c)
	}
	slices.Sort(rest)
	h.Columns = append(h.Columns, rest...)
	for _, k := range keys {
		row := HeatRow{Name: k.name}
		if k.batch > 0 {
			row.Name += fmt.Sprintf(" (batch %d)", k.batch)
		}
		best := math.NaN()
		for _, v := range grid[k] {
			if math.IsNaN(best) || (h.Better == "smaller" && v < best) || (h.Better == "bigger" && v > best) {
				best = v
			}
		}
		for _, c := range h.Columns {
			v, ok := grid[k][c]
			cell := HeatCell{Value: v, Valid: ok}
			if ok && v > 0 && best > 0 {
				cell.Ratio = v / best
				if h.Better == "bigger" {
					cell.Ratio = best / v
				}
			}
			row.Cells = append(row.Cells, cell)
		}
		h.Rows = append(h.Rows, row)
	}
	return h
}

// Trend is the history of one series' average latency, oldest first.
type Trend struct {
	Name   string
	Points []TrendPoint
}

// TrendPoint is one run's value.
type TrendPoint struct {
	Run   string
	At    time.Time
	Value float64
}

// Trends returns the latency history of every series with at least two
// successful runs.
func (t *Timing) Trends() []Trend {
	by := map[seriesID]*Trend{}
	var order []seriesID
	for _, r := range t.Rows {
		if r.Status != "success" || r.AvgLatencyMs == nil {
			continue
		}
		id := idOf(r)
		tr, ok := by[id]
		if !ok {
			name := rowName(r) + " on " + r.HardwareType
			if r.BatchSize != nil {
				name += fmt.Sprintf(" (batch %d)", *r.BatchSize)
			}
			tr = &Trend{Name: name}
			by[id] = tr
			order = append(order, id)
		}
		tr.Points = append(tr.Points, TrendPoint{Run: r.RunID, At: r.CreatedAt, Value: *r.AvgLatencyMs})
	}
	var out []Trend
	for _, id := range order {
		tr := by[id]
		if len(tr.Points) < 2 {
			continue
		}
		slices.SortStableFunc(tr.Points, func(a, b TrendPoint) int { return a.At.Compare(b.At) })
		out = append(out, *tr)
	}
	slices.SortFunc(out, func(a, b Trend) int { return cmp.Compare(a.Name, b.Name) })
	return out
}

// Failures returns the failed rows, newest first.
func (t *Timing) Failures() []store.Row {
	var out []store.Row
	for _, r := range t.Rows {
		if r.Status != "success" {
			out = append(out, r)
		}
	}
	slices.SortStableFunc(out, func(a, b store.Row) int { return b.CreatedAt.Compare(a.CreatedAt) })
	return out
}

// ErrorCounts counts failures by error type and by hardware.
func (t *Timing) ErrorCounts() (byType, byHardware map[string]int) {
	byType, byHardware = map[string]int{}, map[string]int{}
	for _, r := range t.Failures() {
		byType[cmp.Or(r.ErrorType, "unknown")]++
		byHardware[r.HardwareType]++
	}
	return byType, byHardware
}

// Recommendation names the fastest hardware for a benchmark and batch size.
type Recommendation struct {
	Name      string
	Hardware  string
	LatencyMs float64
	Speedup   float64 // over the slowest hardware measured; 1 when only one
	Measured  int     // number of hardware types measured
}

// Recommendations picks, from measured data only, the lowest-latency
// hardware of each benchmark and batch size.
func (t *Timing) Recommendations() []Recommendation {
	hm := t.Heatmap("latency")
	var out []Recommendation
	for _, row := range hm.Rows {
		best, worst, n := -1, -1, 0
		for i, c := range row.Cells {
			if !c.Valid {
				continue
			}
			n++
			if best < 0 || c.Value < row.Cells[best].Value {
				best = i
			}
			if worst < 0 || c.Value > row.Cells[worst].Value {
				worst = i
			}
		}
		if best < 0 {
			continue
		}
		r := Recommendation{Name: row.Name, Hardware: hm.Columns[best], LatencyMs: row.Cells[best].Value, Measured: n, Speedup: 1}
		if row.Cells[best].Value > 0 {
			r.Speedup = row.Cells[worst].Value / row.Cells[best].Value
		}
		out = append(out, r)
	}
	return out
}

// LoadTiming reads the timing report's data from st: the runs and results
// of the last days days (0: all), how many older ones that leaves out, and
// the platforms detected.
func LoadTiming(ctx context.Context, st *store.DB, days int, platforms []hardware.Platform, now time.Time) (*Timing, error) {
	t := &Timing{GeneratedAt: now, Days: days, Platforms: platforms}
	f := store.Filter{}
	if days > 0 {
		f.Since = now.AddDate(0, 0, -days)
	}
	var err error
	if t.Rows, err = st.Query(ctx, f); err != nil {
		return nil, err
	}
	return t, t.window(ctx, st, f.Since)
}

// window sets t's runs of the window from since and counts the runs and
// results older than it.
func (t *Timing) window(ctx context.Context, st *store.DB, since time.Time) error {
	runs, err := st.Runs(ctx)
	if err != nil {
		return err
	}
	for _, r := range runs {
		if r.CreatedAt.Before(since) {
			t.OmittedRuns++
			continue
		}
		t.Runs = append(t.Runs, r)
	}
	if t.OmittedRuns > 0 {
		if t.OmittedResults, err = st.CountResults(ctx, store.Filter{Before: since}); err != nil {
			return err
		}
	}
	return nil
}

// OmittedNote is Omitted of the window of the last days days (0: all) at
// now, counted without loading the results.
func OmittedNote(ctx context.Context, st *store.DB, days int, now time.Time) (string, error) {
	t := &Timing{Days: days}
	if days == 0 {
		return "", nil
	}
	if err := t.window(ctx, st, now.AddDate(0, 0, -days)); err != nil {
		return "", err
	}
	return t.Omitted(), nil
}

// OmittedHint is how to include the runs that the window leaves out.
const OmittedHint = "use --days 0 for all"

// Omitted says what the window left out and how to include it, or returns ""
// when it left out nothing.
func (t *Timing) Omitted() string {
	if t.OmittedRuns == 0 && t.OmittedResults == 0 {
		return ""
	}
	verb := "are"
	if t.OmittedRuns == 1 {
		verb = "is"
	}
	return fmt.Sprintf("%s (%s) older than %d days %s left out; %s.",
		plural(t.OmittedRuns, "run"), plural(t.OmittedResults, "result"), t.Days, verb, OmittedHint)
}

// plural returns "1 run", "2 runs".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// WriteTiming writes t as md (Markdown) or json. (The HTML report is the
// reports site as one file: site.WriteReport.)
func WriteTiming(w io.Writer, format string, t *Timing) error {
	switch format {
	case "md", "markdown":
		return TimingMarkdown(w, t)
	}
	return TimingJSON(w, t)
}
