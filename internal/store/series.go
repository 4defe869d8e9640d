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
//
// The samples come in one query, one row per series with its points as
// lists (a history of 520 series × 730 commits is 520 rows, not 380,000),
// and the runs they belong to in a second one.
func (db *DB) Series(ctx context.Context, f SeriesFilter) ([]SeriesHistory, error) {
	runs, err := db.seriesRuns(ctx, f)
	if err != nil {
		return nil, fmt.Errorf("reading series from %s: %w", db.path, err)
	}
	where, args := f.where()
	// Note: no window function picks the latest attempt here, and each list
	// is ordered by the run key alone: both cost more than the rest of the
	// query on long histories. scanSeries keeps the latest attempt of each
	// run and orders the points by run creation.
	rows, err := db.sql.QueryContext(ctx, `
		SELECT `+seriesKeyColumns+`, any_value(ms.unit), any_value(ms.direction), bool_and(ms.exact),
		       list(r.id ORDER BY r.id, pr.id, ms.position),
		       list(h.driver_version ORDER BY r.id, pr.id, ms.position),
		       list(ms.samples ORDER BY r.id, pr.id, ms.position)
		FROM metric_samples ms
		JOIN performance_results pr ON pr.id = ms.performance_id
		JOIN runs r ON r.id = pr.run_key
		JOIN hardware_platforms h ON h.hardware_id = pr.hardware_id`+where+`
		GROUP BY ALL
		ORDER BY `+seriesKeyColumns, args...)
	if err != nil {
		return nil, fmt.Errorf("reading series from %s: %w", db.path, err)
	}
	defer rows.Close()
	var out []SeriesHistory
	for rows.Next() {
		s, err := scanSeries(rows, runs)
		if err != nil {
			return nil, fmt.Errorf("reading series from %s: %w", db.path, err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reading series from %s: %w", db.path, err)
	}
	return out, nil
}

// seriesRuns returns the runs f selects by row key.
func (db *DB) seriesRuns(ctx context.Context, f SeriesFilter) (map[int64]Run, error) {
	where, args := f.runWhere()
	rows, err := db.sql.QueryContext(ctx, `SELECT `+runColumns+` FROM runs r WHERE `+strings.Join(where, " AND "), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]Run{}
	for rows.Next() {
		r, key, err := scanRun(rows)
		if err != nil {
			return nil, err
		}
		out[key] = r
	}
	return out, rows.Err()
}

// scanSeries reads one row of Series' query into a history.
func scanSeries(sc interface{ Scan(...any) error }, runs map[int64]Run) (SeriesHistory, error) {
	var (
		s                  SeriesHistory
		keys, drivers, raw anyList
	)
	k := &s.Key
	if err := sc.Scan(&k.Benchmark, &k.Params, &k.Metric, &k.Hardware, &k.Device, &k.Runner,
		&s.Unit, &s.Direction, &s.Exact, &keys, &drivers, &raw); err != nil {
		return s, err
	}
	if len(keys) != len(drivers) || len(keys) != len(raw) {
		return s, fmt.Errorf("series %s: %d runs, %d drivers, %d sample lists", k, len(keys), len(drivers), len(raw))
	}
	// The latest attempt of each run id that has the series.
	latest := map[string]int{}
	for _, rk := range keys {
		if k, ok := rk.(int32); ok {
			run := runs[int64(k)]
			latest[run.ID] = max(latest[run.ID], run.Attempt)
		}
	}
	type point struct {
		key     int64
		driver  string
		samples []float64
	}
	var points []point
	for i, rk := range keys {
		runKey, ok := rk.(int32)
		driver, _ := drivers[i].(string)
		samples, err := floatsOf(raw[i])
		if !ok || err != nil {
			return s, fmt.Errorf("series %s: point %d: run %T, samples: %v", k, i+1, rk, err)
		}
		run, ok := runs[int64(runKey)]
		if !ok {
			return s, fmt.Errorf("series %s: point %d: run %d not found", k, i+1, runKey)
		}
		if run.Attempt != latest[run.ID] {
			continue
		}
		if n := len(points); n > 0 && points[n-1].key == int64(runKey) {
			points[n-1].samples = append(points[n-1].samples, samples...)
			continue
		}
		points = append(points, point{int64(runKey), driver, samples})
	}
	slices.SortStableFunc(points, func(a, b point) int {
		return cmp.Or(runs[a.key].CreatedAt.Compare(runs[b.key].CreatedAt), cmp.Compare(a.key, b.key))
	})
	for _, p := range points {
		s.Points = append(s.Points, HistoryPoint{Run: runs[p.key], Unit: s.Unit, Samples: p.samples})
		s.Drivers = append(s.Drivers, p.driver)
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
