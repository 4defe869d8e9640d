package store

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/benchgate/benchgate/internal/results"
)

// SeriesFilter selects the series (and the runs) that Series loads; zero
// fields select everything.
type SeriesFilter struct {
	// Benchmark is a glob matched against the whole benchmark name (*
	// any characters, ? one, [...] a class; case-sensitive) when it holds
	// one of *?[, else a case-insensitive substring of the name.
	Benchmark string
	// Metric is a metric name, exact, case-insensitive.
	Metric string
	// Hardware is a hardware type or a device name, exact,
	// case-insensitive.
	Hardware string
	// Ref selects the runs of one ref, exactly or as a branch name ("main"
	// matches refs/heads/main). With Ref empty, NoRef selects the runs
	// stored without a ref (an import without --ref), and otherwise every
	// ref except pull requests' (refs/pull/*) is selected.
	Ref   string
	NoRef bool
	// Since keeps the runs created at or after it.
	Since time.Time
}

// SeriesHistory is one series' history: one point per run, oldest first.
type SeriesHistory struct {
	Key       results.SeriesKey
	Unit      string
	Direction string // "smaller" or "bigger" is better
	Exact     bool
	Points    []HistoryPoint
	// Drivers[i] is the hardware driver version of Points[i] ("" when none
	// was recorded): a driver change is an environment change of the
	// series, never a different series.
	Drivers []string
}

// runWhere returns the conditions of f on runs r (ref and since).
func (f SeriesFilter) runWhere() ([]string, []any) {
	var (
		where []string
		args  []any
	)
	switch {
	case f.Ref != "":
		where = append(where, `r.ref IN (?, 'refs/heads/' || ?)`)
		args = append(args, f.Ref, f.Ref)
	case f.NoRef:
		where = append(where, `r.ref = ''`)
	default:
		where = append(where, `NOT starts_with(r.ref, 'refs/pull/')`)
	}
	if !f.Since.IsZero() {
		where = append(where, `r.created_at >= ?`)
		args = append(args, f.Since.UTC())
	}
	return where, args
}

// where returns the WHERE clause of f over metric_samples ms,
// performance_results pr, runs r and hardware_platforms h.
func (f SeriesFilter) where() (string, []any) {
	where, args := f.runWhere()
	where = append(where, `pr.status = 'success'`)
	if b := f.Benchmark; b != "" {
		if strings.ContainsAny(b, "*?[") {
			where = append(where, `pr.benchmark GLOB ?`)
		} else {
			where = append(where, `contains(lower(pr.benchmark), lower(?))`)
		}
		args = append(args, b)
	}
	if f.Metric != "" {
		where = append(where, `lower(ms.metric) = lower(?)`)
		args = append(args, f.Metric)
	}
	if f.Hardware != "" {
		where = append(where, `(lower(h.hardware_type) = lower(?) OR lower(h.device_name) = lower(?))`)
		args = append(args, f.Hardware, f.Hardware)
	}
	return "\nWHERE " + strings.Join(where, " AND "), args
}

// seriesKeyColumns identify a series in the rows of Series' query.
const seriesKeyColumns = `pr.benchmark, pr.params, ms.metric, h.hardware_type, h.device_name, r.runner`

// Series returns the history of every series f selects, ordered by series
// key, each one point per run that measured it successfully, oldest to
// newest (run created_at, then insertion). Of a run with several attempts
// only the latest attempt that has the series counts (as History); should a
// run hold the series twice, its samples are concatenated in ingest order.
// The points of every series share one Run per run (see HistoryPoint).
func (db *DB) Series(ctx context.Context, f SeriesFilter) ([]SeriesHistory, error) {
	var out []SeriesHistory
	err := db.EachSeries(ctx, f, func(s SeriesHistory) error {
		out = append(out, s)
		return nil
	})
	return out, err
}

// EachSeries calls fn with the history of each series f selects, in
// Series' order and with its content, one series at a time, so that a
// caller that keeps less than the whole history holds less than all of it;
// an error from fn stops the reading and is returned. fn owns what it is
// given, except the Runs, which are shared.
//
// The samples come one row per series with its points as lists (a history
// of 520 series × 730 commits is 520 rows, not 380,000), in batches of
// series by benchmark name of about seriesBatchRows results each, and the
// runs they belong to in a query of their own.
func (db *DB) EachSeries(ctx context.Context, f SeriesFilter, fn func(SeriesHistory) error) error {
	runs, err := db.seriesRuns(ctx, f)
	if err != nil {
		return fmt.Errorf("reading series from %s: %w", db.path, err)
	}
	drivers, err := db.drivers(ctx)
	if err != nil {
		return fmt.Errorf("reading series from %s: %w", db.path, err)
	}
	batches, err := db.seriesBatches(ctx, f)
	if err != nil {
		return fmt.Errorf("reading series from %s: %w", db.path, err)
	}
	for _, b := range batches {
		if err := db.eachSeriesOf(ctx, f, b, runs, drivers, fn); err != nil {
			return err
		}
	}
	return nil
}

// seriesBatchRows is about how many results of the store one query of
// EachSeries reads.
//
// Note: DuckDB holds the lists of every series a query aggregates at once.
// In batches of 50,000 results the 190,000 of a year of 520 benchmarks × 3
// metrics took the same time and a third less memory (200 MB against 330
// MB at the end of the query); each batch scans the tables again, which
// costs little next to aggregating.
var seriesBatchRows int64 = 50_000 // a variable for tests

// benchmarkRange is a batch of EachSeries: the benchmarks named from First
// to Last (inclusive, in DuckDB's string order).
type benchmarkRange struct{ First, Last string }

// seriesBatches splits the benchmarks f selects into ranges of about
// seriesBatchRows results, in order; none when nothing matches.
func (db *DB) seriesBatches(ctx context.Context, f SeriesFilter) ([]benchmarkRange, error) {
	where, args := f.runWhere()
	rows, err := db.sql.QueryContext(ctx, `
		SELECT pr.benchmark, count(*)
		FROM performance_results pr JOIN runs r ON r.id = pr.run_key
		WHERE `+strings.Join(where, " AND ")+` AND pr.status = 'success'
		GROUP BY 1 ORDER BY 1`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var (
		out []benchmarkRange
		n   int64
	)
	for rows.Next() {
		var (
			name  string
			count int64
		)
		if err := rows.Scan(&name, &count); err != nil {
			return nil, err
		}
		if len(out) == 0 || n+count > seriesBatchRows && n > 0 {
			out = append(out, benchmarkRange{First: name})
			n = 0
		}
		out[len(out)-1].Last = name
		n += count
	}
	return out, rows.Err()
}

// eachSeriesOf calls fn with each series of the benchmarks of b.
func (db *DB) eachSeriesOf(ctx context.Context, f SeriesFilter, b benchmarkRange, runs map[int64]seriesRun, drivers map[int64]string, fn func(SeriesHistory) error) error {
	where, args := f.where()
	where += ` AND pr.benchmark BETWEEN ? AND ?`
	args = append(args, b.First, b.Last)
	// Note: each point is one list [run key, hardware id, result id,
	// position, samples…], in one list: one aggregate, not one per column
	// (three took twice the time and a quarter more memory in DuckDB on a
	// 365-commit history), and the driver comes from the hardware id
	// (drivers) rather than as one string per point. The list is not
	// ordered in SQL: an ordered aggregate took twice the time and half as
	// much memory again as the query (520 series × 3 metrics × 365 runs:
	// 0.4 s and 500 MB against 0.2 s and 330 MB), and scanSeries orders
	// 365 points of a series for nothing. No window function picks the
	// latest attempt here either: scanSeries keeps the latest attempt of
	// each run and orders the points by run creation.
	rows, err := db.sql.QueryContext(ctx, `
		SELECT `+seriesKeyColumns+`, any_value(ms.unit), any_value(ms.direction), bool_and(ms.exact),
		       list([r.id, pr.hardware_id, pr.id, ms.position]::DOUBLE[] || ms.samples)
		FROM metric_samples ms
		JOIN performance_results pr ON pr.id = ms.performance_id
		JOIN runs r ON r.id = pr.run_key
		JOIN hardware_platforms h ON h.hardware_id = pr.hardware_id`+where+`
		GROUP BY ALL
		ORDER BY `+seriesKeyColumns, args...)
	if err != nil {
		return fmt.Errorf("reading series from %s: %w", db.path, err)
	}
	defer rows.Close()
	for rows.Next() {
		s, err := scanSeries(rows, runs, drivers)
		if err != nil {
			return fmt.Errorf("reading series from %s: %w", db.path, err)
		}
		if err := fn(s); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("reading series from %s: %w", db.path, err)
	}
	return nil
}

// seriesRun is a run of Series' second query: the Run that the points
// share, and whether another attempt of its run id was selected too.
type seriesRun struct {
	*Run
	retried bool
}

// seriesRuns returns the runs f selects by row key.
func (db *DB) seriesRuns(ctx context.Context, f SeriesFilter) (map[int64]seriesRun, error) {
	where, args := f.runWhere()
	rows, err := db.sql.QueryContext(ctx, `SELECT `+runColumns+` FROM runs r WHERE `+strings.Join(where, " AND "), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]seriesRun{}
	attempts := map[string]int{}
	for rows.Next() {
		r, key, err := scanRun(rows)
		if err != nil {
			return nil, err
		}
		out[key] = seriesRun{Run: &r}
		attempts[r.ID]++
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for k, r := range out {
		if attempts[r.ID] > 1 {
			r.retried = true
			out[k] = r
		}
	}
	return out, nil
}

// drivers returns the driver version of every hardware platform by id.
func (db *DB) drivers(ctx context.Context) (map[int64]string, error) {
	rows, err := db.sql.QueryContext(ctx, `SELECT hardware_id, driver_version FROM hardware_platforms`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]string{}
	for rows.Next() {
		var (
			id     int64
			driver string
		)
		if err := rows.Scan(&id, &driver); err != nil {
			return nil, err
		}
		out[id] = driver
	}
	return out, rows.Err()
}

// scanSeries reads one row of Series' query into a history.
func scanSeries(sc interface{ Scan(...any) error }, runs map[int64]seriesRun, drivers map[int64]string) (SeriesHistory, error) {
	var (
		s   SeriesHistory
		raw anyList
	)
	k := &s.Key
	if err := sc.Scan(&k.Benchmark, &k.Params, &k.Metric, &k.Hardware, &k.Device, &k.Runner,
		&s.Unit, &s.Direction, &s.Exact, &raw); err != nil {
		return s, err
	}
	type point struct {
		key     int64
		run     seriesRun
		driver  string
		samples []float64
	}
	// The metrics of the series, in ingest order (run key, result id,
	// position in the result), so that a run holding the series twice
	// concatenates its samples in that order.
	type metric struct {
		key, result, position int64
		hw                    int64
		samples               []float64
	}
	ms := make([]metric, len(raw))
	for i, v := range raw {
		l, err := floatsOf(v)
		if err != nil || len(l) < 4 {
			return s, fmt.Errorf("series %s: point %d: %d values, %v", k, i+1, len(l), err)
		}
		ms[i] = metric{int64(l[0]), int64(l[2]), int64(l[3]), int64(l[1]), l[4:len(l):len(l)]}
	}
	slices.SortFunc(ms, func(a, b metric) int {
		return cmp.Or(cmp.Compare(a.key, b.key), cmp.Compare(a.result, b.result), cmp.Compare(a.position, b.position))
	})
	points := make([]point, 0, len(ms))
	for _, m := range ms {
		run, ok := runs[m.key]
		if !ok {
			return s, fmt.Errorf("series %s: run %d not found", k, m.key)
		}
		if n := len(points); n > 0 && points[n-1].key == m.key {
			points[n-1].samples = append(points[n-1].samples, m.samples...)
			continue
		}
		points = append(points, point{m.key, run, drivers[m.hw], m.samples})
	}
	// The latest attempt of each retried run id that has the series (a
	// run id with one attempt needs no look-up).
	var latest map[string]int
	for _, p := range points {
		if p.run.retried {
			if latest == nil {
				latest = map[string]int{}
			}
			latest[p.run.ID] = max(latest[p.run.ID], p.run.Attempt)
		}
	}
	if latest != nil {
		points = slices.DeleteFunc(points, func(p point) bool { return p.run.retried && p.run.Attempt != latest[p.run.ID] })
	}
	slices.SortStableFunc(points, func(a, b point) int {
		return cmp.Or(a.run.CreatedAt.Compare(b.run.CreatedAt), cmp.Compare(a.key, b.key))
	})
	s.Points = make([]HistoryPoint, len(points))
	s.Drivers = make([]string, len(points))
	for i, p := range points {
		s.Points[i] = HistoryPoint{Run: p.run.Run, Unit: s.Unit, Samples: p.samples}
		s.Drivers[i] = p.driver
	}
	return s, nil
}

// anyList scans a DuckDB LIST column as duckdb-go returns it.
type anyList []any

// Scan implements sql.Scanner.
func (l *anyList) Scan(src any) error {
	v, ok := src.([]any)
	if !ok && src != nil {
		return fmt.Errorf("scanning %T into a list", src)
	}
	*l = v
	return nil
}

// floatsOf converts a scanned DOUBLE[] value.
func floatsOf(v any) ([]float64, error) {
	var l floatList
	err := l.Scan(v)
	return l, err
}

// RefRuns is how many runs (latest attempts) a ref holds.
type RefRuns struct {
	Ref  string
	Runs int
}

// Refs returns every ref with its number of runs, most runs first (then by
// name).
func (db *DB) Refs(ctx context.Context) ([]RefRuns, error) {
	rows, err := db.sql.QueryContext(ctx, `SELECT ref, count(DISTINCT run_id) FROM runs GROUP BY ref ORDER BY 2 DESC, 1`)
	if err != nil {
		return nil, fmt.Errorf("listing refs in %s: %w", db.path, err)
	}
	defer rows.Close()
	var out []RefRuns
	for rows.Next() {
		var r RefRuns
		if err := rows.Scan(&r.Ref, &r.Runs); err != nil {
			return nil, fmt.Errorf("listing refs in %s: %w", db.path, err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("listing refs in %s: %w", db.path, err)
	}
	return out, nil
}

// BranchCommit is a commit of a branch's history and the time of its first
// run there.
type BranchCommit struct {
	Commit string
	First  time.Time // UTC
}

// BranchCommits returns the commits of the runs f selects (its Ref, NoRef
// and Since; the other fields are ignored), in the order of their first
// run's created_at: one commit order that every series of the branch
// shares, whichever commits each one measured.
func (db *DB) BranchCommits(ctx context.Context, f SeriesFilter) ([]BranchCommit, error) {
	where, args := f.runWhere()
	rows, err := db.sql.QueryContext(ctx, `SELECT r.commit_sha, min(r.created_at) AS first FROM runs r
		WHERE `+strings.Join(where, " AND ")+`
		GROUP BY r.commit_sha ORDER BY first, r.commit_sha`, args...)
	if err != nil {
		return nil, fmt.Errorf("listing commits in %s: %w", db.path, err)
	}
	defer rows.Close()
	var out []BranchCommit
	for rows.Next() {
		var c BranchCommit
		if err := rows.Scan(&c.Commit, &c.First); err != nil {
			return nil, fmt.Errorf("listing commits in %s: %w", db.path, err)
		}
		c.First = c.First.UTC()
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("listing commits in %s: %w", db.path, err)
	}
	return out, nil
}

// MetricNames returns the distinct names of the stored metrics, sorted.
func (db *DB) MetricNames(ctx context.Context) ([]string, error) {
	rows, err := db.sql.QueryContext(ctx, `SELECT DISTINCT metric FROM metric_samples ORDER BY 1`)
	if err != nil {
		return nil, fmt.Errorf("listing metrics in %s: %w", db.path, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var m string
		if err := rows.Scan(&m); err != nil {
			return nil, fmt.Errorf("listing metrics in %s: %w", db.path, err)
		}
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("listing metrics in %s: %w", db.path, err)
	}
	return out, nil
}
