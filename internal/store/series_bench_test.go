package store

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkReadSamples reads every sample of a year of a 520-series suite
// (365 runs × 520 results × 3 metrics × 10 samples, buildHistory) and
// keeps none of them: the floor that neither an analysis nor a report or
// site of that year can go under (issue 13, item 4), which
// scripts/scale.sh prints beside them, with the peak memory of a process
// that does only this.
//
//   - EachSeries: as history.Analyze reads them (a row per series, in
//     batches, its points as lists);
//   - scan: the least that a reader through database/sql pays: one row per
//     result and metric, its samples as the driver returns a list, no
//     aggregation in SQL and nothing ordered in Go.
//
// BENCHGATE_SERIES_DB names the database (scale.sh gives the one
// BenchmarkSave builds); unset, one is built in a temporary directory
// (about a minute).
//
//	BENCHGATE_SERIES_DB=/tmp/year.duckdb go test ./internal/store -run '^$' -bench BenchmarkReadSamples -benchtime 1x
func BenchmarkReadSamples(b *testing.B) {
	ctx := context.Background()
	path := os.Getenv("BENCHGATE_SERIES_DB")
	if path == "" {
		path = filepath.Join(b.TempDir(), "year.duckdb")
	}
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		if err := buildHistory(ctx, path, 520, 365); err != nil {
			b.Fatal(err)
		}
	} else if err != nil {
		b.Fatal(err)
	}
	db, err := OpenReadOnly(ctx, path)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	b.Run("EachSeries", func(b *testing.B) {
		var n int
		for b.Loop() {
			n = 0
			err := db.EachSeries(ctx, SeriesFilter{}, func(s SeriesHistory) error {
				for _, p := range s.Points {
					n += len(p.Samples)
				}
				return nil
			})
			if err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(n), "samples")
	})
	b.Run("scan", func(b *testing.B) {
		var n int
		for b.Loop() {
			n = 0
			rows, err := db.sql.QueryContext(ctx, `SELECT pr.run_key, ms.samples
				FROM metric_samples ms JOIN performance_results pr ON pr.id = ms.performance_id
				WHERE pr.status = 'success'`)
			if err != nil {
				b.Fatal(err)
			}
			for rows.Next() {
				var (
					run     int64
					samples floatList
				)
				if err := rows.Scan(&run, &samples); err != nil {
					b.Fatal(err)
				}
				n += len(samples)
			}
			if err := rows.Close(); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(n), "samples")
	})
}
