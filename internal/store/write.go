package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/benchgate/benchgate/internal/results"
)

// hardwareKey is the identity of a hardware_platforms row.
type hardwareKey struct{ typ, device, driver string }

// writer writes the rows of one run's results inside Ingest's transaction,
// with prepared statements and the model and hardware ids it has resolved.
type writer struct {
	tx       *sql.Tx
	run      Run
	runKey   int64
	models   map[results.Model]int64
	hardware map[hardwareKey]int64

	insResult, insError *sql.Stmt

	// metricRows and iterationRows batch the sample rows: one multi-row
	// INSERT costs about as much as one single-row INSERT in DuckDB.
	metricRows, iterationRows batch
}

// batch collects the rows of a multi-row INSERT.
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

func newWriter(ctx context.Context, tx *sql.Tx, run Run, runKey int64) (*writer, error) {
	w := &writer{
		tx: tx, run: run, runKey: runKey, models: map[results.Model]int64{}, hardware: map[hardwareKey]int64{},
		metricRows: batch{
			head: `INSERT INTO metric_samples (performance_id, position, metric, unit, direction, exact, samples) VALUES `,
			row:  `(?, ?, ?, ?, ?, ?, ?::DOUBLE[])`,
		},
		iterationRows: batch{
			head: `INSERT INTO iteration_samples (performance_id, repetition, latencies_s) VALUES `,
			row:  `(?, ?, ?::DOUBLE[])`,
		},
	}
	for _, p := range []struct {
		dst   **sql.Stmt
		query string
	}{
		{&w.insResult, `INSERT INTO performance_results (
			run_key, model_id, hardware_id, benchmark, params, params_json, has_model,
			batch_size, sequence_length, precision,
			average_latency_ms, p50_latency_ms, p90_latency_ms, p99_latency_ms,
			throughput_items_per_second, memory_peak_mb, power_watts, energy_efficiency_items_per_joule,
			warmup_iterations, test_timestamp, status,
			error_type, error_message, command_executed, stdout, stderr, exit_code, execution_time_sec)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`},
		{&w.insError, `INSERT INTO benchmark_errors (performance_id, error_type, error_message, error_details, system_info, reproduction_steps)
			VALUES (?, ?, ?, ?, ?, ?)`},
	} {
		st, err := tx.PrepareContext(ctx, p.query)
		if err != nil {
			w.close()
			return nil, fmt.Errorf("preparing insert: %w", err)
		}
		*p.dst = st
	}
	return w, nil
}

// close releases the prepared statements.
func (w *writer) close() {
	for _, st := range []*sql.Stmt{w.insResult, w.insError} {
		if st != nil {
			st.Close()
		}
	}
}

// write stores one result: its performance_results row, its samples and,
// for a failure, its benchmark_errors row.
func (w *writer) write(ctx context.Context, r *results.Result) error {
	model, hasModel := results.Model{Name: r.Name}, false
	if r.Model != nil {
		model, hasModel = *r.Model, true
	}
	modelID, err := w.modelID(ctx, model)
	if err != nil {
		return err
	}
	hardwareID, err := w.hardwareID(ctx, r.Hardware)
	if err != nil {
		return err
	}
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
	var id int64
	err = w.insResult.QueryRowContext(ctx,
		w.runKey, modelID, hardwareID, r.Name, r.ParamString(), string(params), hasModel,
		paramInt(r.Params, "batch_size"), paramInt(r.Params, "sequence_length"), paramString(r.Params, "precision"),
		nullable(s.avgMs), nullable(s.p50Ms), nullable(s.p90Ms), nullable(s.p99Ms),
		nullable(s.throughput), nullable(s.memoryPeakMB), nullable(s.powerWatts), nullable(s.energyPerJoule),
		r.WarmupIterations, w.run.CreatedAt, status,
		errType, errMsg, command, stdout, stderr, exitCode, elapsed).Scan(&id)
	if err != nil {
		return fmt.Errorf("inserting result: %w", err)
	}
	for i, m := range r.Metrics {
		samples := m.Samples
		if samples == nil {
			samples = []float64{}
		}
		if err := w.metricRows.add(ctx, w.tx, id, i, m.Name, m.Unit, m.Better.String(), m.Exact, samples); err != nil {
			return fmt.Errorf("inserting samples of metric %q: %w", m.Name, err)
		}
	}
	for i, it := range r.Iterations {
		if it == nil {
			it = []float64{}
		}
		if err := w.iterationRows.add(ctx, w.tx, id, i+1, it); err != nil {
			return fmt.Errorf("inserting iterations of repetition %d: %w", i+1, err)
		}
	}
	if r.Failure != nil {
		return w.writeError(ctx, id, r)
	}
	return nil
}

// flush writes the batched sample rows; call it before committing.
func (w *writer) flush(ctx context.Context) error {
	if err := w.metricRows.flush(ctx, w.tx); err != nil {
		return fmt.Errorf("inserting metric samples: %w", err)
	}
	if err := w.iterationRows.flush(ctx, w.tx); err != nil {
		return fmt.Errorf("inserting iterations: %w", err)
	}
	return nil
}

// writeError stores the benchmark_errors row of a failed result.
func (w *writer) writeError(ctx context.Context, id int64, r *results.Result) error {
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
	if _, err := w.insError.ExecContext(ctx, id, string(f.Type), clean(f.Message), string(details), string(system), steps); err != nil {
		return fmt.Errorf("inserting error: %w", err)
	}
	return nil
}

// modelID returns the id of the models row equal to m, inserting it when
// missing.
func (w *writer) modelID(ctx context.Context, m results.Model) (int64, error) {
	if id, ok := w.models[m]; ok {
		return id, nil
	}
	var id int64
	err := w.tx.QueryRowContext(ctx, `SELECT model_id FROM models
		WHERE model_name = ? AND model_family = ? AND model_type = ? AND model_size = ? AND parameters_million = ?
		ORDER BY model_id LIMIT 1`, m.Name, m.Family, m.Modality, m.Size, m.ParametersMillion).Scan(&id)
	if err == sql.ErrNoRows {
		err = w.tx.QueryRowContext(ctx, `INSERT INTO models (model_name, model_family, model_type, model_size, parameters_million, added_at)
			VALUES (?, ?, ?, ?, ?, ?) RETURNING model_id`,
			m.Name, m.Family, m.Modality, m.Size, m.ParametersMillion, w.run.CreatedAt).Scan(&id)
	}
	if err != nil {
		return 0, fmt.Errorf("model %q: %w", m.Name, err)
	}
	w.models[m] = id
	return id, nil
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
	case err == sql.ErrNoRows:
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
