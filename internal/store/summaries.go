package store

import (
	"context"
	"fmt"
	"time"
)

// SuiteSummary is one suite's runs, aggregated.
type SuiteSummary struct {
	Suite      string
	Runs       int       // distinct run ids
	LastRun    time.Time // UTC
	LastCommit string    // the commit of the latest run
	Failed     int       // failed results of the latest run
}

// SuiteSummaries returns every suite's summary, by name, aggregated in SQL.
func (db *DB) SuiteSummaries(ctx context.Context) ([]SuiteSummary, error) {
	rows, err := db.sql.QueryContext(ctx, `
		WITH last AS (
			SELECT suite, arg_max(id, created_at) AS run_key, count(DISTINCT run_id) AS runs,
			       max(created_at) AS last_run, arg_max(commit_sha, created_at) AS last_commit
			FROM runs GROUP BY suite)
		SELECT l.suite, l.runs, l.last_run, l.last_commit,
		       (SELECT count(*) FROM performance_results pr WHERE pr.run_key = l.run_key AND pr.status = 'failed')
		FROM last l ORDER BY l.suite`)
	if err != nil {
		return nil, fmt.Errorf("summarising suites in %s: %w", db.path, err)
	}
	defer rows.Close()
	var out []SuiteSummary
	for rows.Next() {
		var s SuiteSummary
		if err := rows.Scan(&s.Suite, &s.Runs, &s.LastRun, &s.LastCommit, &s.Failed); err != nil {
			return nil, fmt.Errorf("summarising suites in %s: %w", db.path, err)
		}
		s.LastRun = s.LastRun.UTC()
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("summarising suites in %s: %w", db.path, err)
	}
	return out, nil
}

// ErrorGroup is the failed results of one error type, benchmark and
// hardware, aggregated: the seed's error taxonomy as a table.
type ErrorGroup struct {
	Type, Benchmark, Hardware, Device string
	Count                             int
	Message, Command                  string // of the latest failure
	LastCommit                        string
	LastTime                          time.Time // UTC
}

// ErrorGroups returns the failed results grouped by error type, benchmark
// and hardware, most failures first, aggregated in SQL.
func (db *DB) ErrorGroups(ctx context.Context) ([]ErrorGroup, error) {
	rows, err := db.sql.QueryContext(ctx, `
		SELECT coalesce(pr.error_type, ''), pr.benchmark, h.hardware_type, h.device_name, count(*),
		       arg_max(coalesce(pr.error_message, ''), r.created_at), arg_max(coalesce(pr.command_executed, ''), r.created_at),
		       arg_max(r.commit_sha, r.created_at), max(r.created_at)
		FROM performance_results pr
		JOIN runs r ON r.id = pr.run_key
		JOIN hardware_platforms h ON h.hardware_id = pr.hardware_id
		WHERE pr.status = 'failed'
		GROUP BY ALL ORDER BY 5 DESC, 1, 2, 3, 4`)
	if err != nil {
		return nil, fmt.Errorf("summarising errors in %s: %w", db.path, err)
	}
	defer rows.Close()
	var out []ErrorGroup
	for rows.Next() {
		var e ErrorGroup
		if err := rows.Scan(&e.Type, &e.Benchmark, &e.Hardware, &e.Device, &e.Count, &e.Message, &e.Command, &e.LastCommit, &e.LastTime); err != nil {
			return nil, fmt.Errorf("summarising errors in %s: %w", db.path, err)
		}
		e.LastTime = e.LastTime.UTC()
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("summarising errors in %s: %w", db.path, err)
	}
	return out, nil
}

// TableRows returns the number of rows of each table of ExportTables.
func (db *DB) TableRows(ctx context.Context) (map[string]int, error) {
	out := map[string]int{}
	for _, t := range ExportTables() {
		var n int
		if err := db.sql.QueryRowContext(ctx, `SELECT count(*) FROM `+quoteIdent(t)).Scan(&n); err != nil {
			return nil, fmt.Errorf("counting rows of %s in %s: %w", t, db.path, err)
		}
		out[t] = n
	}
	return out, nil
}

// HardwareSummary is one hardware platform as the runs recorded it, with
// the results measured on it.
type HardwareSummary struct {
	Type, Device, Driver string
	MemoryMB             float64 // 0 when not recorded
	ComputeUnits         int     // 0 when not recorded
	Results              int
	Runs                 int
	LastRun              time.Time // UTC
}

// HardwareSummaries returns every platform that results were measured on
// (type, device, driver: a driver change is a new row), by type and device,
// aggregated in SQL.
func (db *DB) HardwareSummaries(ctx context.Context) ([]HardwareSummary, error) {
	rows, err := db.sql.QueryContext(ctx, `
		SELECT h.hardware_type, h.device_name, h.driver_version, coalesce(h.memory_capacity, 0), coalesce(h.compute_units, 0),
		       count(*), count(DISTINCT r.run_id), max(r.created_at)
		FROM performance_results pr
		JOIN hardware_platforms h ON h.hardware_id = pr.hardware_id
		JOIN runs r ON r.id = pr.run_key
		GROUP BY ALL ORDER BY 1, 2, max(r.created_at)`)
	if err != nil {
		return nil, fmt.Errorf("summarising hardware in %s: %w", db.path, err)
	}
	defer rows.Close()
	var out []HardwareSummary
	for rows.Next() {
		var h HardwareSummary
		if err := rows.Scan(&h.Type, &h.Device, &h.Driver, &h.MemoryMB, &h.ComputeUnits, &h.Results, &h.Runs, &h.LastRun); err != nil {
			return nil, fmt.Errorf("summarising hardware in %s: %w", db.path, err)
		}
		h.LastRun = h.LastRun.UTC()
		out = append(out, h)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("summarising hardware in %s: %w", db.path, err)
	}
	return out, nil
}
