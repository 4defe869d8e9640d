package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/benchgate/benchgate/internal/results"
)

// Results reconstructs the results Ingest stored for run (matched by ID and
// Attempt), in ingest order: metrics with their samples, iterations, warmup
// count, failure, model, hardware and params. Empty params, iterations and
// metrics come back nil. Hardware memory and compute units are those of the
// shared hardware_platforms row, which a later run may have filled in.
func (db *DB) Results(ctx context.Context, run Run) ([]results.Result, error) {
	rs, err := db.results(ctx, run)
	if err != nil {
		return nil, fmt.Errorf("reading results of run %s#%d from %s: %w", run.ID, run.Attempt, db.path, err)
	}
	return rs, nil
}

func (db *DB) results(ctx context.Context, run Run) ([]results.Result, error) {
	var runKey int64
	err := db.sql.QueryRowContext(ctx, `SELECT id FROM runs WHERE run_id = ? AND attempt = ?`, run.ID, run.Attempt).Scan(&runKey)
	if err == sql.ErrNoRows {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	out, index, err := db.resultRows(ctx, runKey)
	if err != nil {
		return nil, err
	}
	if err := db.readMetrics(ctx, runKey, out, index); err != nil {
		return nil, err
	}
	if err := db.readIterations(ctx, runKey, out, index); err != nil {
		return nil, err
	}
	return out, nil
}

// resultRows reads the performance_results rows of a run, with their model
// and hardware, and maps each row id to its index in the returned slice.
func (db *DB) resultRows(ctx context.Context, runKey int64) ([]results.Result, map[int64]int, error) {
	rows, err := db.sql.QueryContext(ctx, `
		SELECT pr.id, pr.benchmark, pr.params_json::VARCHAR, pr.has_model, pr.warmup_iterations, pr.status,
		       m.model_name, m.model_family, m.model_type, m.model_size, m.parameters_million,
		       h.hardware_type, h.device_name, h.driver_version, coalesce(h.memory_capacity, 0), coalesce(h.compute_units, 0),
		       coalesce(pr.error_type, ''), coalesce(pr.error_message, ''), coalesce(pr.command_executed, ''),
		       coalesce(pr.stdout, ''), coalesce(pr.stderr, ''), coalesce(pr.exit_code, 0), coalesce(pr.execution_time_sec, 0)
		FROM performance_results pr
		JOIN models m ON m.model_id = pr.model_id
		JOIN hardware_platforms h ON h.hardware_id = pr.hardware_id
		WHERE pr.run_key = ?
		ORDER BY pr.id`, runKey)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	var out []results.Result
	index := map[int64]int{}
	for rows.Next() {
		var (
			id       int64
			r        results.Result
			params   string
			hasModel bool
			status   string
			m        results.Model
			f        results.Failure
			errType  string
		)
		if err := rows.Scan(&id, &r.Name, &params, &hasModel, &r.WarmupIterations, &status,
			&m.Name, &m.Family, &m.Modality, &m.Size, &m.ParametersMillion,
			&r.Hardware.Type, &r.Hardware.DeviceName, &r.Hardware.DriverVersion, &r.Hardware.MemoryMB, &r.Hardware.ComputeUnits,
			&errType, &f.Message, &f.Command, &f.Stdout, &f.Stderr, &f.ExitCode, &f.Elapsed); err != nil {
			return nil, nil, err
		}
		if err := json.Unmarshal([]byte(params), &r.Params); err != nil {
			return nil, nil, fmt.Errorf("benchmark %q: params: %w", r.Name, err)
		}
		if len(r.Params) == 0 {
			r.Params = nil
		}
		if hasModel {
			r.Model = &m
		}
		if status == "failed" {
			f.Type = results.ErrorType(errType)
			r.Failure = &f
		}
		index[id] = len(out)
		out = append(out, r)
	}
	return out, index, rows.Err()
}

// readMetrics attaches each metric_samples row of the run to its result.
func (db *DB) readMetrics(ctx context.Context, runKey int64, out []results.Result, index map[int64]int) error {
	rows, err := db.sql.QueryContext(ctx, `
		SELECT ms.performance_id, ms.metric, ms.unit, ms.direction, ms.exact, ms.samples
		FROM metric_samples ms JOIN performance_results pr ON pr.id = ms.performance_id
		WHERE pr.run_key = ?
		ORDER BY ms.performance_id, ms.position`, runKey)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var (
			id        int64
			m         results.Metric
			direction string
			samples   floatList
		)
		if err := rows.Scan(&id, &m.Name, &m.Unit, &direction, &m.Exact, &samples); err != nil {
			return err
		}
		if m.Better, err = results.ParseDirection(direction); err != nil {
			return fmt.Errorf("metric %q: %w", m.Name, err)
		}
		m.Samples = samples
		r := &out[index[id]]
		r.Metrics = append(r.Metrics, m)
	}
	return rows.Err()
}

// readIterations attaches each iteration_samples row of the run to its
// result.
func (db *DB) readIterations(ctx context.Context, runKey int64, out []results.Result, index map[int64]int) error {
	rows, err := db.sql.QueryContext(ctx, `
		SELECT it.performance_id, it.latencies_s
		FROM iteration_samples it JOIN performance_results pr ON pr.id = it.performance_id
		WHERE pr.run_key = ?
		ORDER BY it.performance_id, it.repetition`, runKey)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var (
			id  int64
			lat floatList
		)
		if err := rows.Scan(&id, &lat); err != nil {
			return err
		}
		r := &out[index[id]]
		r.Iterations = append(r.Iterations, []float64(lat))
	}
	return rows.Err()
}
