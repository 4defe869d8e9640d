package store

import (
	"context"
	"database/sql"
	"fmt"
)

// ResourceSample is one row of resource_monitoring: a reading of the
// resources a benchmark used. Nil fields were not measured (NULL).
type ResourceSample struct {
	// Time is in seconds from the start of the run (the whole `benchgate
	// run`), so that the repetitions of one result follow each other.
	Time          float64
	CPUPercent    *float64 // the process tree; 100 = one core
	MemoryMB      *float64 // resident set size of the process tree, MiB
	GPUPercent    *float64 // mean utilisation of the benchmark's GPUs
	GPUMemoryMB   *float64 // memory used on the benchmark's GPUs, MiB
	PowerWatts    *float64 // power of the benchmark's GPUs together
	TemperatureC  *float64 // hottest of the benchmark's GPUs
	IOReadMBps    *float64 // storage reads of the process tree, MiB/s
	IOWriteMBps   *float64 // storage writes of the process tree, MiB/s
	NetworkRxMBps *float64 // not measured by benchgate's monitor
	NetworkTxMBps *float64 // not measured by benchgate's monitor
}

// ResourceSeries is the samples of one stored result, identified as Ingest
// stored it: benchmark name, params (results.FormatParams), hardware type
// and device name, and whether it failed. Failed results are not merged, so
// several failed rows may share an identity: the n-th failed series of an
// identity goes to the n-th failed row, in ingest order.
type ResourceSeries struct {
	Benchmark    string
	Params       string
	HardwareType string
	DeviceName   string
	Failed       bool
	Samples      []ResourceSample
}

// AddResourceSamples stores the resource_monitoring rows of a stored run
// (matched by ID and Attempt) in one transaction, and returns how many rows
// it wrote. A series whose result is not found is an error, and nothing is
// written. It is idempotent: when the run already has monitoring rows,
// nothing is written and 0 is returned.
func (db *DB) AddResourceSamples(ctx context.Context, run Run, series []ResourceSeries) (int, error) {
	if run.Attempt == 0 {
		run.Attempt = 1
	}
	n, err := db.addResourceSamples(ctx, run, series)
	if err != nil {
		return 0, fmt.Errorf("storing resource samples of run %s#%d in %s: %w", run.ID, run.Attempt, db.path, err)
	}
	return n, nil
}

func (db *DB) addResourceSamples(ctx context.Context, run Run, series []ResourceSeries) (n int, err error) {
	if db.readOnly {
		return 0, fmt.Errorf("database is open read-only")
	}
	tx, err := db.sql.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer func() {
		if err != nil {
			_ = tx.Rollback() // Note: the error that caused the rollback matters, not this one.
		}
	}()
	ids, err := resultIDs(ctx, tx, run)
	if err != nil {
		return 0, err
	}
	var existing int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM resource_monitoring rm
		JOIN performance_results pr ON pr.id = rm.performance_id
		JOIN runs r ON r.id = pr.run_key
		WHERE r.run_id = ? AND r.attempt = ?`, run.ID, run.Attempt).Scan(&existing); err != nil {
		return 0, err
	}
	if existing > 0 {
		return 0, tx.Rollback()
	}
	rows := batch{
		head: `INSERT INTO resource_monitoring (performance_id, "timestamp", cpu_utilization_percent, gpu_utilization_percent,
			memory_utilization_mb, gpu_memory_utilization_mb, power_watts, temperature_celsius,
			io_read_mb_per_sec, io_write_mb_per_sec, network_rx_mb_per_sec, network_tx_mb_per_sec) VALUES `,
		row: `(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
	}
	used := map[resultIdentity]int{}
	for _, s := range series {
		k := resultIdentity{s.Benchmark, s.Params, s.HardwareType, s.DeviceName, s.Failed}
		cands := ids[k]
		if used[k] >= len(cands) {
			return 0, fmt.Errorf("no stored result for benchmark %q [%s] on %s %q (failed %v)", s.Benchmark, s.Params, s.HardwareType, s.DeviceName, s.Failed)
		}
		id := cands[used[k]]
		used[k]++
		for _, x := range s.Samples {
			if err := rows.add(ctx, tx, id, x.Time, nullable(x.CPUPercent), nullable(x.GPUPercent), nullable(x.MemoryMB),
				nullable(x.GPUMemoryMB), nullable(x.PowerWatts), nullable(x.TemperatureC), nullable(x.IOReadMBps),
				nullable(x.IOWriteMBps), nullable(x.NetworkRxMBps), nullable(x.NetworkTxMBps)); err != nil {
				return 0, err
			}
			n++
		}
	}
	if err := rows.flush(ctx, tx); err != nil {
		return 0, err
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("committing: %w", err)
	}
	return n, nil
}

// resultIdentity is how a ResourceSeries names its result.
type resultIdentity struct {
	benchmark, params, hardware, device string
	failed                              bool
}

// resultIDs returns the performance_results ids of a run by identity, in
// ingest order.
func resultIDs(ctx context.Context, q querier, run Run) (map[resultIdentity][]int64, error) {
	rows, err := q.QueryContext(ctx, `
		SELECT pr.id, pr.benchmark, pr.params, h.hardware_type, h.device_name, pr.status = 'failed'
		FROM performance_results pr
		JOIN runs r ON r.id = pr.run_key
		JOIN hardware_platforms h ON h.hardware_id = pr.hardware_id
		WHERE r.run_id = ? AND r.attempt = ?
		ORDER BY pr.id`, run.ID, run.Attempt)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[resultIdentity][]int64{}
	for rows.Next() {
		var (
			id int64
			k  resultIdentity
		)
		if err := rows.Scan(&id, &k.benchmark, &k.params, &k.hardware, &k.device, &k.failed); err != nil {
			return nil, err
		}
		out[k] = append(out[k], id)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, ErrNotFound
	}
	return out, nil
}

// ResourceSamples returns the monitoring series of a stored run, one per
// result that has samples, in ingest order, samples by time.
func (db *DB) ResourceSamples(ctx context.Context, run Run) ([]ResourceSeries, error) {
	if run.Attempt == 0 {
		run.Attempt = 1
	}
	rows, err := db.sql.QueryContext(ctx, `
		SELECT pr.id, pr.benchmark, pr.params, h.hardware_type, h.device_name, pr.status = 'failed',
		       rm."timestamp", rm.cpu_utilization_percent, rm.gpu_utilization_percent, rm.memory_utilization_mb,
		       rm.gpu_memory_utilization_mb, rm.power_watts, rm.temperature_celsius, rm.io_read_mb_per_sec,
		       rm.io_write_mb_per_sec, rm.network_rx_mb_per_sec, rm.network_tx_mb_per_sec
		FROM resource_monitoring rm
		JOIN performance_results pr ON pr.id = rm.performance_id
		JOIN runs r ON r.id = pr.run_key
		JOIN hardware_platforms h ON h.hardware_id = pr.hardware_id
		WHERE r.run_id = ? AND r.attempt = ?
		ORDER BY pr.id, rm."timestamp", rm.id`, run.ID, run.Attempt)
	if err != nil {
		return nil, fmt.Errorf("reading resource samples of run %s#%d from %s: %w", run.ID, run.Attempt, db.path, err)
	}
	defer rows.Close()
	var (
		out    []ResourceSeries
		lastID int64 = -1
	)
	for rows.Next() {
		var (
			id int64
			s  ResourceSeries
			x  ResourceSample
			v  [10]sql.NullFloat64
		)
		if err := rows.Scan(&id, &s.Benchmark, &s.Params, &s.HardwareType, &s.DeviceName, &s.Failed, &x.Time,
			&v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7], &v[8], &v[9]); err != nil {
			return nil, fmt.Errorf("reading resource samples of run %s#%d: %w", run.ID, run.Attempt, err)
		}
		x.CPUPercent, x.GPUPercent, x.MemoryMB, x.GPUMemoryMB = floatPtr(v[0]), floatPtr(v[1]), floatPtr(v[2]), floatPtr(v[3])
		x.PowerWatts, x.TemperatureC, x.IOReadMBps, x.IOWriteMBps = floatPtr(v[4]), floatPtr(v[5]), floatPtr(v[6]), floatPtr(v[7])
		x.NetworkRxMBps, x.NetworkTxMBps = floatPtr(v[8]), floatPtr(v[9])
		if id != lastID {
			out = append(out, s)
			lastID = id
		}
		out[len(out)-1].Samples = append(out[len(out)-1].Samples, x)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reading resource samples of run %s#%d: %w", run.ID, run.Attempt, err)
	}
	return out, nil
}
