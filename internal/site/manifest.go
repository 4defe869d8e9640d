package site

import (
	"cmp"
	"context"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/benchgate/benchgate/gate"
	"github.com/benchgate/benchgate/internal/comparison"
	"github.com/benchgate/benchgate/internal/history"
	"github.com/benchgate/benchgate/internal/report"
	"github.com/benchgate/benchgate/internal/results"
)

// maxHeatmapRows is the most rows a heatmap shows (by name); the series
// list finds the others.
const maxHeatmapRows = 300

// manifest assembles data/manifest.json (and writes the downloads it
// lists).
func (b *builder) manifest(ctx context.Context) (manifest, error) {
	a := b.main
	m := manifest{Format: Format, Generated: stamp(b.o.Now()), Title: b.o.Title, Note: b.o.Note, Repo: b.o.Repo,
		CommitURL: b.commitURL("/commit/{commit}"), CompareURL: b.commitURL("/compare/{from}...{to}"),
		MainBranch: history.RefName(a.Ref), Branches: b.branches,
		Regressions: b.regressions(), Changes: b.recentChanges(), Heatmaps: b.heatmaps()}
	if m.Branches == nil {
		m.Branches = []branchInfo{}
	}
	stats, err := b.st.Stats(ctx)
	if err != nil {
		return m, err
	}
	m.Counts = counts{Series: len(b.order), Runs: stats.Runs, Results: stats.Results, Commits: len(b.commits), Errors: stats.Failed}
	if n := len(a.Commits); n > 0 {
		m.Latest = latest{Commit: a.Commits[n-1].Commit, Time: stamp(a.Commits[n-1].First), Series: len(a.Series)}
	}
	for _, e := range b.status {
		switch e.Status {
		case "regressed":
			m.Latest.Regressed++
		case "improved":
			m.Latest.Improved++
		}
	}
	suites, err := b.st.SuiteSummaries(ctx)
	if err != nil {
		return m, err
	}
	m.Suites = []suiteInfo{}
	for _, s := range suites {
		m.Suites = append(m.Suites, suiteInfo{Name: s.Suite, Runs: s.Runs, LastRun: stamp(s.LastRun), LastCommit: s.LastCommit, Failed: s.Failed})
	}
	errs, err := b.st.ErrorGroups(ctx)
	if err != nil {
		return m, err
	}
	m.Errors = []errorGroup{}
	for _, e := range errs {
		m.Errors = append(m.Errors, errorGroup{Type: e.Type, Benchmark: e.Benchmark,
			Hardware: results.SeriesKey{Hardware: e.Hardware, Device: e.Device}.HardwareName(), Count: e.Count,
			Message: e.Message, Command: e.Command, LastCommit: e.LastCommit, LastTime: stamp(e.LastTime)})
	}
	hw, err := b.st.HardwareSummaries(ctx)
	if err != nil {
		return m, err
	}
	m.Hardware = []hardwareInfo{}
	for _, h := range hw {
		m.Hardware = append(m.Hardware, hardwareInfo{Name: results.SeriesKey{Hardware: h.Type, Device: h.Device}.HardwareName(),
			Type: h.Type, Device: h.Device, Driver: h.Driver, MemoryMB: value(h.MemoryMB), ComputeUnits: h.ComputeUnits,
			Results: h.Results, Runs: h.Runs, LastRun: stamp(h.LastRun)})
	}
	if c := b.o.Comparison; c != nil {
		m.Comparison = comparisonOf(c)
	}
	m.Downloads, m.SQL, err = b.downloads(ctx)
	return m, err
}

// comparisonOf is the manifest's record of a verdict.
func comparisonOf(c *comparison.Comparison) *comparisonInfo {
	side := func(s comparison.Side) sideInfo { return sideInfo{Label: s.Label, Commit: s.Commit, Ref: s.Ref} }
	out := &comparisonInfo{Headline: comparison.Headline(c), Base: side(c.Base), Head: side(c.Head),
		Rows: []comparisonRow{}, Missing: []missingInfo{}, Failed: []failedInfo{}}
	for _, r := range c.Rows {
		name := r.Key.Benchmark
		if p := report.DisplayParams(r.Key.Params); p != "" {
			name += " [" + p + "]"
		}
		name += " " + r.Key.Metric + " on " + r.Key.HardwareName()
		out.Rows = append(out.Rows, comparisonRow{Series: SeriesID(r.Key), Name: name, Metric: r.Key.Metric, Unit: r.Unit,
			Better: directionName(r.Better), Base: value(r.BaseMedian), Head: value(r.HeadMedian), NBase: r.NBase, NHead: r.NHead,
			Change: value(r.Change), Low: value(r.Low), High: value(r.High), P: value(r.P),
			Severity: r.Severity.String(), Verdict: r.Verdict.String(), Reason: r.Reason})
	}
	for _, m := range c.Missing {
		out.Missing = append(out.Missing, missingInfo{Name: m.Key.String(), OnlyIn: m.OnlyIn})
	}
	for _, f := range c.Failed {
		fi := failedInfo{Benchmark: f.Name}
		if f.Failure != nil {
			fi.Type, fi.Message = string(f.Failure.Type), f.Failure.Message
		}
		out.Failed = append(out.Failed, fi)
	}
	return out
}

// regressions lists the main branch's suspect ranges, newest first.
func (b *builder) regressions() []regression {
	out := []regression{}
	for i, g := range b.main.Groups {
		r := regression{ID: groupName(i), Direction: history.Improvement, Severity: history.Improvement,
			Status: history.Provisional, From: g.PreviousCommit, To: g.Commit, Time: stamp(g.Date),
			Issue: b.o.Issues[g.Commit]}
		if g.Confirmed {
			r.Status = history.Confirmed
		}
		var worst *history.Member
		resolved, envs := true, []string{}
		for k, mb := range g.Members {
			c := mb.Change
			r.Series = append(r.Series, SeriesID(mb.Series.Key))
			r.Names = append(r.Names, seriesName(mb.Series))
			if c.Direction == history.Regression {
				r.Direction = history.Regression
				if r.Severity == history.Improvement || severityRank(c.Severity) > severityRank(r.Severity) {
					r.Severity = c.Severity
				}
			}
			if worst == nil || c.Worsening(mb.Series.Better) > worst.Change.Worsening(worst.Series.Better) {
				worst = &g.Members[k]
			}
			if c.ResolutionCommit == "" {
				resolved = false
			} else if r.ResolvedBy == "" {
				r.ResolvedBy = c.ResolutionCommit
			}
			if env := history.EnvText(c.Env); env != "" && !slices.Contains(envs, env) {
				envs = append(envs, env)
			}
		}
		if !resolved {
			r.ResolvedBy = ""
		}
		r.Open = r.Direction == history.Regression && !resolved
		if note, ok := b.o.Accepted[g.Commit]; ok && r.Direction == history.Regression {
			r.Status, r.Open, r.Note = "accepted", false, note
		}
		r.Environment = strings.Join(envs, "; ")
		r.Change, r.Low, r.High = value(worst.Change.Magnitude), value(worst.Change.Low), value(worst.Change.High)
		r.Title = groupTitle(g, *worst)
		out = append(out, r)
	}
	slices.Reverse(out)
	return out
}

// groupName is the id of the i-th suspect range of the main branch.
func groupName(i int) string { return "r" + strconv.Itoa(i+1) }

func severityRank(s string) int {
	return slices.Index([]string{"minor", "major", "critical"}, s)
}

// recentChanges are the newest change points of every main-branch series.
func (b *builder) recentChanges() []change {
	out := []change{}
	for _, s := range b.main.Series {
		for _, c := range s.Changes {
			ch := changeOf(c)
			ch.Series, ch.Name, ch.Regression = SeriesID(s.Key), seriesName(s), b.groupOf[c]
			out = append(out, ch)
		}
	}
	slices.SortStableFunc(out, func(x, y change) int {
		return cmp.Or(-cmp.Compare(x.Time.unix(), y.Time.unix()), cmp.Compare(x.Series, y.Series))
	})
	return out[:min(len(out), maxChanges)]
}

// kindOf is the heatmap a metric belongs in: "latency", "throughput",
// "memory", or "" for none.
func kindOf(metric, unit string) string {
	m, u := strings.ToLower(metric), strings.ToLower(unit)
	switch {
	case strings.Contains(m, "cpu-sec"):
		return ""
	case u == "s" || m == results.MetricSecPerOp || strings.Contains(m, "latency"):
		return "latency"
	case strings.HasSuffix(u, "/s") || strings.HasSuffix(m, "/s") || strings.Contains(m, "throughput"):
		return "throughput"
	case u == "b" || m == results.MetricBytesPerOp || strings.Contains(m, "memory"):
		return "memory"
	}
	return ""
}

var (
	kindTitles = map[string]string{"latency": "Latency", "throughput": "Throughput", "memory": "Memory"}
	kindRank   = map[string]int{"latency": 0, "throughput": 1, "memory": 2}
)

// heatmaps are the benchmarks × hardware tables of the latest main-branch
// values, one per metric of each kind.
func (b *builder) heatmaps() []heatmap {
	type cell struct {
		v  float64
		id string
	}
	type grid struct {
		h     heatmap
		cells map[[2]string]cell
	}
	grids := map[string]*grid{}
	var keys []string
	for _, s := range b.main.Series {
		kind := kindOf(s.Key.Metric, s.Unit)
		if kind == "" || len(s.Points) == 0 {
			continue
		}
		gk := kind + "\x00" + s.Key.Metric
		g := grids[gk]
		if g == nil {
			g = &grid{h: heatmap{Kind: kind, Title: kindTitles[kind] + " · " + s.Key.Metric, Metric: s.Key.Metric,
				Unit: s.Unit, Better: directionName(s.Better)}, cells: map[[2]string]cell{}}
			grids[gk] = g
			keys = append(keys, gk)
		}
		col := s.Key.HardwareName()
		if s.Key.Runner != "" {
			col += " @" + s.Key.Runner
		}
		row := s.Name()
		if !slices.Contains(g.h.Columns, col) {
			g.h.Columns = append(g.h.Columns, col)
		}
		if !slices.Contains(g.h.Rows, row) {
			g.h.Rows = append(g.h.Rows, row)
		}
		g.cells[[2]string{row, col}] = cell{v: s.Points[len(s.Points)-1].Median, id: SeriesID(s.Key)}
	}
	// By kind (latency, throughput, memory), then metric.
	slices.SortFunc(keys, func(x, y string) int {
		return cmp.Or(cmp.Compare(kindRank[grids[x].h.Kind], kindRank[grids[y].h.Kind]), cmp.Compare(x, y))
	})
	out := []heatmap{}
	for _, k := range keys {
		g := grids[k]
		h := g.h
		slices.Sort(h.Columns)
		slices.Sort(h.Rows)
		h.Rows = h.Rows[:min(len(h.Rows), maxHeatmapRows)]
		for _, row := range h.Rows {
			vals, ids, best := make([]*value, len(h.Columns)), make([]string, len(h.Columns)), -1
			for j, col := range h.Columns {
				c, ok := g.cells[[2]string{row, col}]
				if !ok {
					continue
				}
				v := value(c.v)
				vals[j], ids[j] = &v, c.id
				if best < 0 || better(c.v, float64(*vals[best]), h.Better) {
					best = j
				}
			}
			h.Values, h.Series, h.Best = append(h.Values, vals), append(h.Series, ids), append(h.Best, best)
		}
		out = append(out, h)
	}
	return out
}

func better(x, y float64, dir string) bool {
	if dir == directionName(gate.BiggerIsBetter) {
		return x > y
	}
	return x < y
}

// downloads writes Parquet and CSV files of every table and the database
// file, and lists them with the SQL tab's tables.
func (b *builder) downloads(ctx context.Context) ([]download, sqlInfo, error) {
	sq := sqlInfo{Tables: []sqlTable{}, Examples: sqlExamples}
	out := []download{}
	if !b.o.Downloads {
		return out, sq, nil
	}
	rows, err := b.st.TableRows(ctx)
	if err != nil {
		return nil, sq, err
	}
	for _, format := range []string{"parquet", "csv"} {
		files, err := b.st.Export(ctx, filepath.Join(b.w.dir, "data", format), format)
		if err != nil {
			return nil, sq, err
		}
		for _, f := range files {
			fi, err := os.Stat(f)
			if err != nil {
				return nil, sq, err
			}
			name := strings.TrimSuffix(filepath.Base(f), filepath.Ext(f))
			p := "data/" + format + "/" + filepath.Base(f)
			out = append(out, download{Name: name, Format: format, Path: p, Bytes: fi.Size(), Rows: rows[name]})
			b.w.count(fi.Size())
			if format == "parquet" {
				sq.Tables = append(sq.Tables, sqlTable{Name: name, Path: p})
			}
		}
	}
	if b.o.DBFile != "" {
		n, err := copyFile(b.o.DBFile, filepath.Join(b.w.dir, "data", "benchgate.duckdb"))
		if err != nil {
			return nil, sq, err
		}
		out = append(out, download{Name: "benchgate", Format: "duckdb", Path: "data/benchgate.duckdb", Bytes: n})
		b.w.count(n)
	}
	return out, sq, nil
}

func copyFile(src, dst string) (int64, error) {
	in, err := os.Open(src)
	if err != nil {
		return 0, err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return 0, err
	}
	n, err := io.Copy(out, in)
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	return n, err
}

// sqlExamples are the SQL tab's example queries over the published tables.
var sqlExamples = []sqlExample{
	{"Latest results", `SELECT r.commit_sha, r.ref, pr.benchmark, pr.params, ms.metric, ms.unit,
       list_aggregate(ms.samples, 'median') AS median, len(ms.samples) AS n
FROM metric_samples ms
JOIN performance_results pr ON pr.id = ms.performance_id
JOIN runs r ON r.id = pr.run_key
ORDER BY r.created_at DESC
LIMIT 100`},
	{"Runs per suite", `SELECT suite, count(DISTINCT run_id) AS runs, min(created_at) AS first, max(created_at) AS last
FROM runs GROUP BY suite ORDER BY runs DESC`},
	{"Failures by type", `SELECT error_type, benchmark, count(*) AS failures
FROM performance_results WHERE status = 'failed'
GROUP BY ALL ORDER BY failures DESC`},
	{"Slowest benchmarks on the latest commit", `WITH latest AS (SELECT commit_sha FROM runs ORDER BY created_at DESC LIMIT 1)
SELECT pr.benchmark, pr.params, h.hardware_type, h.device_name, ms.metric,
       list_aggregate(ms.samples, 'median') AS median
FROM metric_samples ms
JOIN performance_results pr ON pr.id = ms.performance_id
JOIN runs r ON r.id = pr.run_key
JOIN hardware_platforms h ON h.hardware_id = pr.hardware_id
WHERE r.commit_sha IN (SELECT commit_sha FROM latest) AND ms.unit = 's'
ORDER BY median DESC LIMIT 20`},
}
