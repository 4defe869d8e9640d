package store

import (
	"context"
	"fmt"

	"github.com/benchgate/benchgate/internal/results"
)

// HistoryPoint is one run's samples of one series.
type HistoryPoint struct {
	// Run's Commit and CreatedAt place the point in history. It is shared
	// with the other points of the run (every series it measured, in
	// Series): do not modify it.
	Run     *Run
	Unit    string
	Samples []float64
}

// History returns the samples of the series key, one point per run that
// measured it successfully, oldest to newest; of a run with several attempts
// only the latest attempt that has the series counts. With limit > 0 only
// the newest limit points are returned. Should a run hold the series twice,
// its samples are concatenated in ingest order.
func (db *DB) History(ctx context.Context, key results.SeriesKey, limit int) ([]HistoryPoint, error) {
	rows, err := db.sql.QueryContext(ctx, `
		SELECT `+runColumns+`, ms.unit, ms.samples
		FROM metric_samples ms
		JOIN performance_results pr ON pr.id = ms.performance_id
		JOIN runs r ON r.id = pr.run_key
		JOIN hardware_platforms h ON h.hardware_id = pr.hardware_id
		WHERE pr.benchmark = ? AND pr.params = ? AND ms.metric = ?
		  AND h.hardware_type = ? AND h.device_name = ? AND r.runner = ?
		  AND pr.status = 'success'
		QUALIFY dense_rank() OVER (PARTITION BY r.run_id ORDER BY r.attempt DESC) = 1
		ORDER BY r.created_at DESC, r.id DESC, pr.id`,
		key.Benchmark, key.Params, key.Metric, key.Hardware, key.Device, key.Runner)
	if err != nil {
		return nil, fmt.Errorf("reading history of %s from %s: %w", key, db.path, err)
	}
	defer rows.Close()
	var (
		newestFirst []HistoryPoint
		lastKey     int64 = -1
	)
	for rows.Next() {
		var (
			unit    string
			samples floatList
		)
		run, runKey, err := scanRun(rows, &unit, &samples)
		if err != nil {
			return nil, fmt.Errorf("reading history of %s from %s: %w", key, db.path, err)
		}
		if runKey == lastKey {
			p := &newestFirst[len(newestFirst)-1]
			p.Samples = append(p.Samples, samples...)
			continue
		}
		if limit > 0 && len(newestFirst) == limit {
			break
		}
		lastKey = runKey
		newestFirst = append(newestFirst, HistoryPoint{Run: &run, Unit: unit, Samples: samples})
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reading history of %s from %s: %w", key, db.path, err)
	}
	out := make([]HistoryPoint, len(newestFirst))
	for i, p := range newestFirst {
		out[len(out)-1-i] = p
	}
	return out, nil
}
