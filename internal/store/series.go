package store

import (
	"context"
	"encoding/json"
	"fmt"
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

// Series returns the history of every series f selects, in one query:
// ordered by series key, each one point per run that measured it
// successfully, oldest to newest (run created_at, then insertion). Of a run
// with several attempts only the latest attempt that has the series counts
// (as History); should a run hold the series twice, its samples are
// concatenated in ingest order.
func (db *DB) Series(ctx context.Context, f SeriesFilter) ([]SeriesHistory, error) {
	where, args := f.where()
	rows, err := db.sql.QueryContext(ctx, `
		SELECT r.id, r.run_id, r.attempt, r.commit_sha, r.ref, r.suite, r.created_at, r.environment::VARCHAR,
		       `+seriesKeyColumns+`, h.driver_version, ms.unit, ms.direction, ms.exact, ms.samples
		FROM metric_samples ms
		JOIN performance_results pr ON pr.id = ms.performance_id
		JOIN runs r ON r.id = pr.run_key
		JOIN hardware_platforms h ON h.hardware_id = pr.hardware_id`+where+`
		QUALIFY dense_rank() OVER (PARTITION BY r.run_id, `+seriesKeyColumns+` ORDER BY r.attempt DESC) = 1
		ORDER BY `+seriesKeyColumns+`, r.created_at, r.id, pr.id, ms.position`, args...)
	if err != nil {
		return nil, fmt.Errorf("reading series from %s: %w", db.path, err)
	}
	defer rows.Close()
	out, err := scanSeries(rows)
	if err != nil {
		return nil, fmt.Errorf("reading series from %s: %w", db.path, err)
	}
	return out, nil
}

// scanSeries reads the rows of Series' query into histories.
func scanSeries(rows interface {
	Next() bool
	Scan(...any) error
	Err() error
}) ([]SeriesHistory, error) {
	var (
		out     []SeriesHistory
		lastRun int64 = -1
		envs          = map[int64]map[string]string{} // parsed once per run
	)
	for rows.Next() {
		var (
			run       Run
			runKey    int64
			env       *string
			key       results.SeriesKey
			driver    string
			unit, dir string
			exact     bool
			samples   floatList
		)
		if err := rows.Scan(&runKey, &run.ID, &run.Attempt, &run.Commit, &run.Ref, &run.Suite, &run.CreatedAt, &env,
			&key.Benchmark, &key.Params, &key.Metric, &key.Hardware, &key.Device, &key.Runner,
			&driver, &unit, &dir, &exact, &samples); err != nil {
			return nil, err
		}
		run.Runner, run.CreatedAt = key.Runner, run.CreatedAt.UTC()
		if e, ok := envs[runKey]; ok {
			run.Environment = e
		} else if env != nil {
			if err := json.Unmarshal([]byte(*env), &run.Environment); err != nil {
				return nil, fmt.Errorf("run %s#%d: environment: %w", run.ID, run.Attempt, err)
			}
			envs[runKey] = run.Environment
		}
		n := len(out)
		if n == 0 || out[n-1].Key != key {
			out = append(out, SeriesHistory{Key: key, Unit: unit, Direction: dir, Exact: exact})
			n, lastRun = n+1, -1
		}
		s := &out[n-1]
		s.Exact = s.Exact && exact
		if runKey == lastRun {
			p := &s.Points[len(s.Points)-1]
			p.Samples = append(p.Samples, samples...)
			continue
		}
		lastRun = runKey
		s.Points = append(s.Points, HistoryPoint{Run: run, Unit: unit, Samples: samples})
		s.Drivers = append(s.Drivers, driver)
	}
	return out, rows.Err()
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
