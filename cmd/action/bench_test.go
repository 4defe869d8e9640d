package main

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/benchgate/benchgate/internal/store"
)

// BenchmarkCompareReport times what benchgate adds on top of the benchmarks
// themselves: `compare` plus `report --format html` on a stored baseline and
// candidate. With BENCHGATE_DEMO_DB pointing at the demo's database (see
// examples/demo.sh) it uses the demo's runs; otherwise it ingests the real
// crc32 before/after outputs. It also reports the database's bytes per
// stored result.
//
//	go test -run '^$' -bench CompareReport ./cmd/action
func BenchmarkCompareReport(b *testing.B) {
	ctx := context.Background()
	noenv := func(string) string { return "" }
	db, base, head := os.Getenv("BENCHGATE_DEMO_DB"), "baseline", "candidate"
	if db == "" {
		db = filepath.Join(b.TempDir(), "bench.duckdb")
		base, head = "old", "new"
		for _, side := range []string{"old", "new"} {
			f := "../../internal/results/testdata/gobench/golang__perf__crc-" + side + ".txt"
			if code := run(ctx, []string{"ingest", "--db", db, "--ref", side, "--run-id", side, f}, noenv, io.Discard, io.Discard); code != 0 {
				b.Fatalf("ingest %s: exit %d", f, code)
			}
		}
	}
	out := filepath.Join(b.TempDir(), "report.html")
	b.ResetTimer()
	for b.Loop() {
		if code := run(ctx, []string{"compare", "--db", db, "--base", base, "--head", head, "--format", "markdown"}, noenv, io.Discard, io.Discard); code > 1 {
			b.Fatalf("compare: exit %d", code)
		}
		if code := run(ctx, []string{"report", "--db", db, "--base", base, "--head", head, "--output", out}, noenv, io.Discard, io.Discard); code != 0 {
			b.Fatalf("report: exit %d", code)
		}
	}
	b.StopTimer()
	st, err := store.OpenReadOnly(ctx, db)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	s, err := st.Stats(ctx)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(s.BytesPerResult(), "dbB/result")
	b.ReportMetric(float64(s.Results), "results")
}

// BenchmarkStoreGrowth measures what one more stored result costs on disk:
// it ingests the real crc32 output (36 series × 10 samples, 3 metrics) as
// 1 run and then as 21 runs, and reports the file's growth per added
// result. A DuckDB file has a fixed overhead of a few hundred KiB, which
// BytesPerResult of a small database mostly reflects; the marginal figure
// is what a long history costs.
//
//	go test -run '^$' -bench StoreGrowth -benchtime 1x ./cmd/action
func BenchmarkStoreGrowth(b *testing.B) {
	ctx := context.Background()
	noenv := func(string) string { return "" }
	f := "../../internal/results/testdata/gobench/golang__perf__crc-old.txt"
	for b.Loop() {
		db := filepath.Join(b.TempDir(), "growth.duckdb")
		stats := func(runs int) store.Stats {
			for i := 0; i < runs; i++ {
				id := "run-" + string(rune('a'+i%26)) + string(rune('a'+i/26))
				if code := run(ctx, []string{"ingest", "--db", db, "--run-id", id, f}, noenv, io.Discard, io.Discard); code != 0 {
					b.Fatalf("ingest: exit %d", code)
				}
			}
			st, err := store.OpenReadOnly(ctx, db)
			if err != nil {
				b.Fatal(err)
			}
			defer st.Close()
			s, err := st.Stats(ctx)
			if err != nil {
				b.Fatal(err)
			}
			return s
		}
		one := stats(1)
		more := stats(20)
		b.ReportMetric(float64(one.FileBytes), "B@1run")
		b.ReportMetric(float64(more.FileBytes-one.FileBytes)/float64(more.Results-one.Results), "B/added-result")
	}
}
