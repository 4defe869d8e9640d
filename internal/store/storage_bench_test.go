package store

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/benchgate/benchgate/internal/results"
)

// historyRun returns run k of a suite of n Go benchmarks as go test -bench
// prints them: sec/op with about 2 % noise around a per-benchmark base,
// rounded to the digits go test prints, B/op and allocs/op exact integers
// that do not change between samples; 10 samples of each.
func historyRun(n, k int) []results.Result {
	rng := rand.New(rand.NewPCG(uint64(k), 13))
	rs := make([]results.Result, n)
	for i := range rs {
		base := rand.New(rand.NewPCG(uint64(i), 7))
		ns := math.Exp(math.Log(10) + base.Float64()*math.Log(1e6)) // 10 ns … 10 ms
		bytes := float64(base.IntN(8) * 1 << base.IntN(16))
		allocs := float64(base.IntN(64))
		secs := make([]float64, 10)
		for j := range secs {
			secs[j] = goBenchValue(ns*(1+0.02*rng.NormFloat64())) * 1e-9
		}
		exact := func(v float64) []float64 {
			s := make([]float64, 10)
			for j := range s {
				s[j] = v
			}
			return s
		}
		rs[i] = results.Result{
			Name:     fmt.Sprintf("BenchmarkKernel%03d/size=%d", i/8, 1<<(i%8)),
			Params:   map[string]string{"pkg": fmt.Sprintf("example.com/kernels/k%d", i%5), "procs": "8"},
			Hardware: results.Hardware{Type: "cpu", DeviceName: "AMD EPYC 7B13", ComputeUnits: 8},
			Metrics: []results.Metric{
				{Name: "sec/op", Unit: "s", Better: results.SmallerIsBetter, Samples: secs},
				{Name: "B/op", Unit: "B", Better: results.SmallerIsBetter, Exact: true, Samples: exact(bytes)},
				{Name: "allocs/op", Unit: "allocs/op", Better: results.SmallerIsBetter, Exact: true, Samples: exact(allocs)},
			},
		}
	}
	return rs
}

// goBenchValue rounds ns to the digits go test -bench prints for ns/op.
func goBenchValue(ns float64) float64 {
	prec := 0
	switch {
	case ns >= 999.95:
	case ns >= 99.995:
		prec = 1
	case ns >= 9.9995:
		prec = 2
	default:
		prec = 3
	}
	v, _ := strconv.ParseFloat(strconv.FormatFloat(ns, 'f', prec, 64), 64)
	return v
}

// buildHistory ingests runs runs of n results each (historyRun) into the
// database at path, one run a day from 2025-01-01.
func buildHistory(ctx context.Context, path string, n, runs int) error {
	db, err := Open(ctx, path)
	if err != nil {
		return err
	}
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	for k := range runs {
		run := Run{ID: strconv.Itoa(1000 + k), Attempt: 1, Commit: fmt.Sprintf("%040x", k), Ref: "refs/heads/main",
			Suite: "kernels", Runner: "linux", CreatedAt: t0.Add(time.Duration(k) * 24 * time.Hour)}
		if _, err := db.Ingest(ctx, run, historyRun(n, k)); err != nil {
			_ = db.Close()
			return err
		}
	}
	return db.Close()
}

// BenchmarkStorage reports the database size per result of a history of
// 1,000,000 Go benchmark results, 520 series × 1,924 runs of 3 metrics × 10
// samples (historyRun): B/result of the compact copy the data branch holds
// (CompactTo), ingest-B/result of the file as Ingest left it (after a
// checkpoint), and with -v how the compact copy's bytes split over tables.
// Building takes minutes: with BENCHGATE_STORAGE_DB set, the database is
// built at that path once and reused (an older schema's file is migrated).
//
//	BENCHGATE_STORAGE_DB=/tmp/storage.duckdb go test ./internal/store -run '^$' -bench BenchmarkStorage -benchtime 1x -v
func BenchmarkStorage(b *testing.B) {
	const series, runs = 520, 1924
	ctx := context.Background()
	path := os.Getenv("BENCHGATE_STORAGE_DB")
	if path == "" {
		path = filepath.Join(b.TempDir(), "storage.duckdb")
	}
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		if err := buildHistory(ctx, path+".tmp", series, runs); err != nil {
			b.Fatal(err)
		}
		if err := os.Rename(path+".tmp", path); err != nil {
			b.Fatal(err)
		}
	} else if err != nil {
		b.Fatal(err)
	}
	var ingested, compact Stats
	for b.Loop() {
		db, err := Open(ctx, path)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := db.sql.ExecContext(ctx, `CHECKPOINT`); err != nil {
			b.Fatal(err)
		}
		if ingested, err = db.Stats(ctx); err != nil {
			b.Fatal(err)
		}
		out := filepath.Join(b.TempDir(), "compact.duckdb")
		if err := db.CompactTo(ctx, out); err != nil {
			b.Fatal(err)
		}
		if err := db.Close(); err != nil {
			b.Fatal(err)
		}
		c, err := Open(ctx, out)
		if err != nil {
			b.Fatal(err)
		}
		if compact, err = c.Stats(ctx); err != nil {
			b.Fatal(err)
		}
		if testing.Verbose() {
			if err := logTableSizes(ctx, b, c); err != nil {
				b.Fatal(err)
			}
		}
		if err := c.Close(); err != nil {
			b.Fatal(err)
		}
		_ = os.Remove(out)
	}
	b.ReportMetric(compact.BytesPerResult(), "B/result")
	b.ReportMetric(float64(compact.FileBytes)/(1<<20), "MiB")
	b.ReportMetric(ingested.BytesPerResult(), "ingest-B/result")
	b.ReportMetric(float64(compact.Results), "results")
}

// logTableSizes logs each table's share of the database: the bytes of a
// fresh database holding only that table's rows, in their order, without
// indexes (the file's size less their sum is indexes and free space).
func logTableSizes(ctx context.Context, b *testing.B, db *DB) error {
	rows, err := db.sql.QueryContext(ctx, `SELECT table_name, estimated_size FROM duckdb_tables()
		WHERE database_name = current_database() AND schema_name = 'main' ORDER BY table_name`)
	if err != nil {
		return err
	}
	type table struct {
		name string
		rows int64
	}
	var tables []table
	for rows.Next() {
		var t table
		if err := rows.Scan(&t.name, &t.rows); err != nil {
			rows.Close()
			return err
		}
		tables = append(tables, t)
	}
	rows.Close()
	conn, err := db.sql.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	dir := b.TempDir()
	for i, t := range tables {
		if t.rows == 0 {
			continue
		}
		p := filepath.Join(dir, fmt.Sprintf("t%d.duckdb", i))
		alias := fmt.Sprintf("size_%d", i)
		for _, q := range []string{
			`ATTACH ` + quoteLiteral(p) + ` AS ` + alias,
			`CREATE TABLE ` + alias + `.t AS SELECT * FROM ` + quoteIdent(t.name),
			`DETACH ` + alias,
		} {
			if _, err := conn.ExecContext(ctx, q); err != nil {
				return fmt.Errorf("table %s: %w", t.name, err)
			}
		}
		fi, err := os.Stat(p)
		if err != nil {
			return err
		}
		b.Logf("%-24s %9d rows %9.1f MiB", t.name, t.rows, float64(fi.Size())/(1<<20))
		_ = os.Remove(p)
	}
	return nil
}
