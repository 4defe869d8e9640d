package store

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
)

// Stats counts what a database holds and what it costs on disk.
type Stats struct {
	Runs         int   // run attempts
	Results      int   // performance_results rows
	Failed       int   // of which failed
	MetricSeries int   // metric_samples rows: one per result × metric
	Samples      int   // metric sample values
	Iterations   int   // per-iteration latency values
	FileBytes    int64 // database file plus write-ahead log, if any
}

// BytesPerResult is FileBytes divided by Results (0 with no results).
func (s Stats) BytesPerResult() float64 {
	if s.Results == 0 {
		return 0
	}
	return float64(s.FileBytes) / float64(s.Results)
}

// Stats returns the database's counts and size. The size is the file's as it
// is now: DuckDB writes through a write-ahead log, which Close checkpoints
// into the file.
func (db *DB) Stats(ctx context.Context) (Stats, error) {
	var s Stats
	err := db.sql.QueryRowContext(ctx, `SELECT
		(SELECT count(*) FROM runs),
		(SELECT count(*) FROM performance_results),
		(SELECT count(*) FROM performance_results WHERE status = 'failed'),
		(SELECT count(*) FROM metric_samples),
		(SELECT coalesce(sum(len(samples)), 0) FROM metric_samples),
		(SELECT coalesce(sum(len(latencies_s)), 0) FROM iteration_samples)`).
		Scan(&s.Runs, &s.Results, &s.Failed, &s.MetricSeries, &s.Samples, &s.Iterations)
	if err != nil {
		return Stats{}, fmt.Errorf("counting rows in %s: %w", db.path, err)
	}
	for _, p := range []string{db.path, db.path + ".wal"} {
		fi, err := os.Stat(p)
		if errors.Is(err, fs.ErrNotExist) && p != db.path {
			continue
		}
		if err != nil {
			return Stats{}, fmt.Errorf("database size: %w", err)
		}
		s.FileBytes += fi.Size()
	}
	return s, nil
}
