package store

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/benchgate/benchgate/internal/results"
)

// Row is one line of the seed's raw timing table: one stored result with its
// run, model, hardware and summary columns. Pointers are nil where the column
// is NULL (a failed result has no latency).
type Row struct {
	RunID                          string
	Attempt                        int
	Commit, Ref                    string
	Benchmark                      string
	ModelName                      string // the benchmark name when the result named no model
	ModelFamily, ModelType         string
	HardwareType, DeviceName       string
	Params                         string // results.FormatParams
	BatchSize                      *int
	AvgLatencyMs, P50Ms            *float64
	P90Ms, P99Ms                   *float64
	ThroughputPerSec, MemoryPeakMB *float64
	Status                         string // "success" or "failed"
	ErrorType, ErrorMessage        string
	Command, Stderr                string
	ExitCode                       *int
	ExecutionTimeSec               *float64
	CreatedAt                      time.Time   // when the run was created (test_timestamp), UTC
	Metrics                        []RowMetric // every metric of the result, in the result's order; nil when none
}

// RowMetric summarises one metric_samples row of a result: every metric a
// result has, whether or not it feeds a summary column.
type RowMetric struct {
	Name   string
	Unit   string  // the samples' base unit
	Better string  // "smaller" or "bigger"
	N      int     // number of samples
	Median float64 // NaN when there are no samples
	Mean   float64 // NaN when there are no samples
	// Column names the summary column of Row that shows this metric
	// ("latency", "throughput" or "memory"), or is empty when no column
	// does.
	Column string
}

// Filter selects rows for Query; zero fields select everything.
type Filter struct {
	Model      string    // model name, model family or benchmark name; exact, case-insensitive
	Hardware   string    // hardware type or device name; exact, case-insensitive
	ErrorsOnly bool      // only failed results
	RunID      string    // only this run id (all attempts)
	Since      time.Time // only runs created at or after this time
	Before     time.Time // only runs created before this time
}

// fromResults is the FROM clause that Query and CountResults filter.
const fromResults = `
		FROM performance_results pr
		JOIN runs r ON r.id = pr.run_key
		JOIN models m ON m.model_id = pr.model_id
		JOIN hardware_platforms h ON h.hardware_id = pr.hardware_id`

// where returns the WHERE clause (empty when f selects everything) and its
// arguments.
func (f Filter) where() (string, []any) {
	var (
		where []string
		args  []any
	)
	if f.Model != "" {
		where = append(where, `(lower(m.model_name) = lower(?) OR lower(m.model_family) = lower(?) OR lower(pr.benchmark) = lower(?))`)
		args = append(args, f.Model, f.Model, f.Model)
	}
	if f.Hardware != "" {
		where = append(where, `(lower(h.hardware_type) = lower(?) OR lower(h.device_name) = lower(?))`)
		args = append(args, f.Hardware, f.Hardware)
	}
	if f.ErrorsOnly {
		where = append(where, `pr.status = 'failed'`)
	}
	if f.RunID != "" {
		where = append(where, `r.run_id = ?`)
		args = append(args, f.RunID)
	}
	if !f.Since.IsZero() {
		where = append(where, `pr.test_timestamp >= ?`)
		args = append(args, f.Since.UTC())
	}
	if !f.Before.IsZero() {
		where = append(where, `pr.test_timestamp < ?`)
		args = append(args, f.Before.UTC())
	}
	if len(where) == 0 {
		return "", nil
	}
	return "\nWHERE " + strings.Join(where, " AND "), args
}

// CountResults returns the number of stored results that f selects.
func (db *DB) CountResults(ctx context.Context, f Filter) (int, error) {
	where, args := f.where()
	var n int
	if err := db.sql.QueryRowContext(ctx, `SELECT count(*)`+fromResults+where, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("counting results in %s: %w", db.path, err)
	}
	return n, nil
}

// Query returns the stored results that f selects, ordered by model name,
// hardware type, batch size (unset first), benchmark, params and run time.
func (db *DB) Query(ctx context.Context, f Filter) ([]Row, error) {
	where, args := f.where()
	q := `SELECT pr.id, r.run_id, r.attempt, r.commit_sha, r.ref, pr.benchmark,
		       m.model_name, m.model_family, m.model_type, h.hardware_type, h.device_name, pr.params, pr.batch_size,
		       pr.average_latency_ms, pr.p50_latency_ms, pr.p90_latency_ms, pr.p99_latency_ms,
		       pr.throughput_items_per_second, pr.memory_peak_mb, pr.status,
		       coalesce(pr.error_type, ''), coalesce(pr.error_message, ''), coalesce(pr.command_executed, ''), coalesce(pr.stderr, ''),
		       pr.exit_code, pr.execution_time_sec, pr.test_timestamp` + fromResults + where +
		"\nORDER BY m.model_name, h.hardware_type, pr.batch_size NULLS FIRST, pr.benchmark, pr.params, pr.test_timestamp, pr.id"
	rows, err := db.sql.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("querying results in %s: %w", db.path, err)
	}
	defer rows.Close()
	var out []Row
	index := map[int64]int{} // performance_results.id → index in out
	for rows.Next() {
		var (
			id                               int64
			row                              Row
			batch, exit                      sql.NullInt64
			avg, p50, p90, p99, thr, mem, et sql.NullFloat64
		)
		if err := rows.Scan(&id, &row.RunID, &row.Attempt, &row.Commit, &row.Ref, &row.Benchmark,
			&row.ModelName, &row.ModelFamily, &row.ModelType, &row.HardwareType, &row.DeviceName, &row.Params, &batch,
			&avg, &p50, &p90, &p99, &thr, &mem, &row.Status,
			&row.ErrorType, &row.ErrorMessage, &row.Command, &row.Stderr, &exit, &et, &row.CreatedAt); err != nil {
			return nil, fmt.Errorf("querying results in %s: %w", db.path, err)
		}
		row.BatchSize, row.ExitCode = intPtr(batch), intPtr(exit)
		row.AvgLatencyMs, row.P50Ms, row.P90Ms, row.P99Ms = floatPtr(avg), floatPtr(p50), floatPtr(p90), floatPtr(p99)
		row.ThroughputPerSec, row.MemoryPeakMB, row.ExecutionTimeSec = floatPtr(thr), floatPtr(mem), floatPtr(et)
		row.CreatedAt = row.CreatedAt.UTC()
		index[id] = len(out)
		out = append(out, row)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("querying results in %s: %w", db.path, err)
	}
	if len(out) == 0 {
		return out, nil
	}
	if err := db.queryMetrics(ctx, where, args, out, index); err != nil {
		return nil, fmt.Errorf("querying metrics in %s: %w", db.path, err)
	}
	return out, nil
}

// queryMetrics attaches the metrics of the results that where selects to
// out, in one query: name, unit, direction, sample count, median and mean.
func (db *DB) queryMetrics(ctx context.Context, where string, args []any, out []Row, index map[int64]int) error {
	rows, err := db.sql.QueryContext(ctx, `SELECT ms.performance_id, ms.metric, ms.unit, ms.direction, len(ms.samples),
		       list_median(ms.samples), list_avg(ms.samples)`+fromResults+`
		JOIN metric_samples ms ON ms.performance_id = pr.id`+where+`
		ORDER BY ms.performance_id, ms.position`, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var (
			id           int64
			m            RowMetric
			median, mean sql.NullFloat64
		)
		if err := rows.Scan(&id, &m.Name, &m.Unit, &m.Better, &m.N, &median, &mean); err != nil {
			return err
		}
		m.Median, m.Mean = math.NaN(), math.NaN()
		if median.Valid {
			m.Median = median.Float64
		}
		if mean.Valid {
			m.Mean = mean.Float64
		}
		if i, ok := index[id]; ok {
			out[i].Metrics = append(out[i].Metrics, m)
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	for i := range out {
		markColumns(&out[i])
	}
	return nil
}

// markColumns sets Column on the metrics that feed r's latency, throughput
// and memory columns, following the precedence of summarize.
func markColumns(r *Row) {
	mark := func(col string, shown bool, names ...string) {
		if !shown {
			return
		}
		for _, name := range names {
			for i := range r.Metrics {
				if r.Metrics[i].Name == name {
					if r.Metrics[i].Column == "" {
						r.Metrics[i].Column = col
					}
					return
				}
			}
		}
	}
	mark("latency", r.AvgLatencyMs != nil, metricLatencyMean, metricSecPerOp, results.MetricWallTime)
	mark("throughput", r.ThroughputPerSec != nil, metricThroughput, metricSecPerOp)
	mark("memory", r.MemoryPeakMB != nil, metricMemoryPeak, results.MetricMaxRSS)
}

func intPtr(n sql.NullInt64) *int {
	if !n.Valid {
		return nil
	}
	return ptr(int(n.Int64))
}

func floatPtr(f sql.NullFloat64) *float64 {
	if !f.Valid {
		return nil
	}
	return ptr(f.Float64)
}
