package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	duckdb "github.com/duckdb/duckdb-go/v2"

	"github.com/benchgate/benchgate/internal/results"
)

// hardwareKey is the identity of a hardware_platforms row.
type hardwareKey struct{ typ, device, driver string }

// writer writes the rows of one run's results inside Ingest's transaction,
// which runs on conn.
//
// The rows go through DuckDB appenders, which join the connection's
// transaction (a rollback drops what they appended): a result costs a few
// microseconds where an INSERT … RETURNING id costs a millisecond or two.
// An appender returns no ids, so the ids that other rows refer to are taken
// up front: one block of performance_results ids from its sequence, the
// model and hardware ids by a few queries per run (models in one query,
// hardware per distinct key). The other rows get theirs from their column
// defaults, in the order they are appended: the rows and ids are those the
// row-by-row ingest wrote (testdata/ingest.golden).
type writer struct {
	conn     *sql.Conn
	tx       *sql.Tx
	run      Run
	runKey   int64
	models   map[results.Model]int64
	hardware map[hardwareKey]int64
}

func newWriter(conn *sql.Conn, tx *sql.Tx, run Run, runKey int64) *writer {
	return &writer{conn: conn, tx: tx, run: run, runKey: runKey, models: map[results.Model]int64{}, hardware: map[hardwareKey]int64{}}
}

// resultModel returns the model a result is stored with: its own, or one
// named after its benchmark.
func resultModel(r *results.Result) (m results.Model, hasModel bool) {
	if r.Model != nil {
		return *r.Model, true
	}
	return results.Model{Name: r.Name}, false
}

// Columns the appenders fill, in AppendRow order; the others take their
// defaults (ids from sequences, created_at).
var (
	resultColumns = []string{"id", "run_key", "model_id", "hardware_id", "benchmark", "params", "params_json", "has_model",
		"batch_size", "sequence_length", "precision",
		"average_latency_ms", "p50_latency_ms", "p90_latency_ms", "p99_latency_ms",
		"throughput_items_per_second", "memory_peak_mb", "power_watts", "energy_efficiency_items_per_joule",
		"warmup_iterations", "test_timestamp", "status",
		"error_type", "error_message", "command_executed", "stdout", "stderr", "exit_code", "execution_time_sec"}
	metricColumns    = []string{"performance_id", "position", "metric", "unit", "direction", "exact", "samples"}
	iterationColumns = []string{"performance_id", "repetition", "latencies_s"}
	errorColumns     = []string{"performance_id", "error_type", "error_message", "error_details", "system_info", "reproduction_steps"}
)

// writeAll stores rs: their performance_results rows, samples and, for
// failures, benchmark_errors rows.
func (w *writer) writeAll(ctx context.Context, rs []results.Result) error {
	if len(rs) == 0 {
		return nil
	}
	if err := w.resolveModels(ctx, rs); err != nil {
		return err
	}
	for i := range rs {
		if _, err := w.hardwareID(ctx, rs[i].Hardware); err != nil {
			return fmt.Errorf("benchmark %q: %w", rs[i].Name, err)
		}
	}
	ids, err := reserveIDs(ctx, w.tx, "performance_results_id_seq", len(rs))
	if err != nil {
		return fmt.Errorf("reserving result ids: %w", err)
	}
	return w.conn.Raw(func(dc any) error {
		c, ok := dc.(*duckdb.Conn)
		if !ok {
			return fmt.Errorf("appending rows: connection is a %T, not DuckDB's", dc)
		}
		return w.appendAll(ctx, c, rs, ids)
	})
}

// appendAll appends the rows of rs, result i with id ids[i], and flushes
// them into the transaction.
func (w *writer) appendAll(ctx context.Context, c *duckdb.Conn, rs []results.Result, ids []int64) (err error) {
	var apps []*duckdb.Appender
	open := func(table string, cols []string) *duckdb.Appender {
		if err != nil {
			return nil
		}
		var a *duckdb.Appender
		a, err = duckdb.NewAppenderWithColumns(c, "", "", table, cols)
		if err != nil {
			err = fmt.Errorf("appending to %s: %w", table, err)
			return nil
		}
		apps = append(apps, a)
		return a
	}
	resultsA, metricsA, iterationsA := open("performance_results", resultColumns), open("metric_samples", metricColumns), open("iteration_samples", iterationColumns)
	var errorsA *duckdb.Appender
	defer func() {
		// Note: closing flushes; performance_results first, the order of the
		// row-by-row ingest. After an error the transaction rolls back, so
		// what a close flushes then is dropped.
		for _, a := range apps {
			if cerr := a.CloseWithCancel(ctx); err == nil && cerr != nil {
				err = fmt.Errorf("appending rows: %w", cerr)
			}
		}
	}()
	if err != nil {
		return err
	}
	for i := range rs {
		r := &rs[i]
		if err := w.appendResult(resultsA, metricsA, iterationsA, r, ids[i]); err != nil {
			return fmt.Errorf("benchmark %q: %w", r.Name, err)
		}
		if r.Failure == nil {
			continue
		}
		if errorsA == nil {
			if errorsA = open("benchmark_errors", errorColumns); err != nil {
				return err
			}
		}
		if err := w.appendError(errorsA, ids[i], r); err != nil {
			return fmt.Errorf("benchmark %q: %w", r.Name, err)
		}
	}
	return nil
}

// appendResult appends the performance_results row of r, with id id, and
// its sample rows.
func (w *writer) appendResult(resultsA, metricsA, iterationsA *duckdb.Appender, r *results.Result, id int64) error {
	model, hasModel := resultModel(r)
	h := r.Hardware
	params, err := json.Marshal(r.Params)
	if err != nil {
		return fmt.Errorf("params: %w", err)
	}
	if r.Params == nil {
		params = []byte("{}")
	}
	s := summarize(r)
	status := "success"
	var errType, errMsg, command, stdout, stderr, exitCode, elapsed any
	if f := r.Failure; f != nil {
		status = "failed"
		errType, errMsg, command = string(f.Type), clean(f.Message), clean(f.Command)
		stdout, stderr, exitCode, elapsed = clean(f.Stdout), clean(f.Stderr), f.ExitCode, f.Elapsed
	}
	// Note: the appender encodes a JSON column's value with json.Marshal;
	// json.RawMessage passes the encoded text through as it is.
	err = resultsA.AppendRow(id, w.runKey, w.models[model], w.hardware[hardwareKey{h.Type, h.DeviceName, h.DriverVersion}],
		r.Name, r.ParamString(), json.RawMessage(params), hasModel,
		paramInt(r.Params, "batch_size"), paramInt(r.Params, "sequence_length"), paramString(r.Params, "precision"),
		nullable(s.avgMs), nullable(s.p50Ms), nullable(s.p90Ms), nullable(s.p99Ms),
		nullable(s.throughput), nullable(s.memoryPeakMB), nullable(s.powerWatts), nullable(s.energyPerJoule),
		r.WarmupIterations, w.run.CreatedAt, status,
		errType, errMsg, command, stdout, stderr, exitCode, elapsed)
	if err != nil {
		return fmt.Errorf("appending result: %w", err)
	}
	for i, m := range r.Metrics {
		samples := m.Samples
		if samples == nil {
			samples = []float64{}
		}
		if err := metricsA.AppendRow(id, i, m.Name, m.Unit, m.Better.String(), m.Exact, samples); err != nil {
			return fmt.Errorf("appending samples of metric %q: %w", m.Name, err)
		}
	}
	for i, it := range r.Iterations {
		if it == nil {
			it = []float64{}
		}
		if err := iterationsA.AppendRow(id, i+1, it); err != nil {
			return fmt.Errorf("appending iterations of repetition %d: %w", i+1, err)
		}
	}
	return nil
}

// appendError appends the benchmark_errors row of the failed result r.
func (w *writer) appendError(errorsA *duckdb.Appender, id int64, r *results.Result) error {
	f := r.Failure
	details, err := json.Marshal(map[string]any{
		"benchmark":   r.Name,
		"params":      r.ParamString(),
		"exit_code":   f.ExitCode,
		"elapsed_sec": f.Elapsed,
		"run_id":      w.run.ID,
		"attempt":     w.run.Attempt,
		"commit":      w.run.Commit,
	})
	if err != nil {
		return fmt.Errorf("error details: %w", err)
	}
	system, err := json.Marshal(map[string]any{
		"hardware":    r.Hardware,
		"runner":      w.run.Runner,
		"environment": w.run.Environment,
	})
	if err != nil {
		return fmt.Errorf("system info: %w", err)
	}
	var steps any
	if f.Command != "" {
		steps = "run: " + clean(f.Command)
	}
	if err := errorsA.AppendRow(id, string(f.Type), clean(f.Message), json.RawMessage(details), json.RawMessage(system), steps); err != nil {
		return fmt.Errorf("appending error: %w", err)
	}
	return nil
}

// reserveIDs takes n values of sequence seq, in increasing order.
func reserveIDs(ctx context.Context, q querier, seq string, n int) ([]int64, error) {
	rows, err := q.QueryContext(ctx, `SELECT nextval(`+quoteLiteral(seq)+`) AS id FROM range(?) ORDER BY id`, n)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	ids := make([]int64, 0, n)
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(ids) != n {
		return nil, fmt.Errorf("sequence %s gave %d ids; want %d", seq, len(ids), n)
	}
	return ids, nil
}

// resolveModels fills w.models with the id of every model of rs: the
// lowest id of an equal models row, or a new row, inserted in the order
// the models first appear.
func (w *writer) resolveModels(ctx context.Context, rs []results.Result) error {
	var (
		order []results.Model
		names []string
	)
	seen := map[results.Model]bool{}
	for i := range rs {
		m, _ := resultModel(&rs[i])
		if _, ok := w.models[m]; ok || seen[m] {
			continue
		}
		seen[m] = true
		order = append(order, m)
		names = append(names, m.Name)
	}
	if len(order) == 0 {
		return nil
	}
	rows, err := w.tx.QueryContext(ctx, `SELECT min(model_id), model_name, model_family, model_type, model_size, parameters_million
		FROM models WHERE model_name IN (SELECT unnest(?::VARCHAR[]))
		GROUP BY ALL`, names)
	if err != nil {
		return fmt.Errorf("looking up models: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var (
			id int64
			m  results.Model
		)
		if err := rows.Scan(&id, &m.Name, &m.Family, &m.Modality, &m.Size, &m.ParametersMillion); err != nil {
			return fmt.Errorf("looking up models: %w", err)
		}
		if seen[m] {
			w.models[m] = id
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("looking up models: %w", err)
	}
	rows.Close()
	missing := order[:0]
	for _, m := range order {
		if _, ok := w.models[m]; !ok {
			missing = append(missing, m)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	ids, err := reserveIDs(ctx, w.tx, "models_id_seq", len(missing))
	if err != nil {
		return fmt.Errorf("reserving model ids: %w", err)
	}
	err = w.conn.Raw(func(dc any) (err error) {
		c, ok := dc.(*duckdb.Conn)
		if !ok {
			return fmt.Errorf("connection is a %T, not DuckDB's", dc)
		}
		a, err := duckdb.NewAppender(c, "", "", "models")
		if err != nil {
			return err
		}
		defer func() {
			if cerr := a.CloseWithCancel(ctx); err == nil {
				err = cerr
			}
		}()
		for i, m := range missing {
			if err := a.AppendRow(ids[i], m.Name, m.Family, m.Modality, m.Size, m.ParametersMillion, w.run.CreatedAt); err != nil {
				return fmt.Errorf("model %q: %w", m.Name, err)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("inserting models: %w", err)
	}
	for i, m := range missing {
		w.models[m] = ids[i]
	}
	return nil
}

// hardwareID returns the id of the hardware_platforms row of h, keyed by
// type, device name and driver version, inserting it when missing. A known
// row takes h's memory and compute units when they are set and differ.
func (w *writer) hardwareID(ctx context.Context, h results.Hardware) (int64, error) {
	k := hardwareKey{h.Type, h.DeviceName, h.DriverVersion}
	if id, ok := w.hardware[k]; ok {
		return id, nil
	}
	var (
		id      int64
		units   sql.NullInt64
		memory  sql.NullFloat64
		errPart = fmt.Sprintf("hardware %s %q", h.Type, h.DeviceName)
	)
	err := w.tx.QueryRowContext(ctx, `SELECT hardware_id, compute_units, memory_capacity FROM hardware_platforms
		WHERE hardware_type = ? AND device_name = ? AND driver_version = ?`, k.typ, k.device, k.driver).Scan(&id, &units, &memory)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		err = w.tx.QueryRowContext(ctx, `INSERT INTO hardware_platforms (hardware_type, device_name, driver_version, compute_units, memory_capacity, detected_at)
			VALUES (?, ?, ?, ?, ?, ?) RETURNING hardware_id`,
			k.typ, k.device, k.driver, nonZero(h.ComputeUnits), nonZero(h.MemoryMB), w.run.CreatedAt).Scan(&id)
	case err == nil && ((h.ComputeUnits != 0 && int64(h.ComputeUnits) != units.Int64) || (h.MemoryMB != 0 && h.MemoryMB != memory.Float64)):
		_, err = w.tx.ExecContext(ctx, `UPDATE hardware_platforms
			SET compute_units = coalesce(?, compute_units), memory_capacity = coalesce(?, memory_capacity)
			WHERE hardware_id = ?`, nonZero(h.ComputeUnits), nonZero(h.MemoryMB), id)
	}
	if err != nil {
		return 0, fmt.Errorf("%s: %w", errPart, err)
	}
	w.hardware[k] = id
	return id, nil
}

// batch collects the rows of a multi-row INSERT, for the writers of rows
// that are few per result (resource_monitoring).
type batch struct {
	head string // INSERT INTO … VALUES
	row  string // one row's placeholders, e.g. "(?, ?, ?)"
	rows int
	args []any
}

// batchRows is the number of rows a batch holds before it is written.
const batchRows = 256

// add appends one row and writes the batch when it is full.
func (b *batch) add(ctx context.Context, tx *sql.Tx, args ...any) error {
	b.args = append(b.args, args...)
	b.rows++
	if b.rows < batchRows {
		return nil
	}
	return b.flush(ctx, tx)
}

// flush writes the rows collected so far.
func (b *batch) flush(ctx context.Context, tx *sql.Tx) error {
	if b.rows == 0 {
		return nil
	}
	q := b.head + strings.Repeat(b.row+", ", b.rows-1) + b.row
	if _, err := tx.ExecContext(ctx, q, b.args...); err != nil {
		return err
	}
	b.rows, b.args = 0, b.args[:0]
	return nil
}
