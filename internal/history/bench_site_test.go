package history_test

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/benchgate/benchgate/internal/history"
	"github.com/benchgate/benchgate/internal/site"
	"github.com/benchgate/benchgate/internal/store"
)

// BenchmarkSiteHistory times what `benchgate report --format html` and
// `benchgate site` do on a main-branch history of 520 series × 365 commits
// (BenchmarkChanges' h365): Analyze alone, the single-file report
// (site.WriteReport) and the site (site.Build, no downloads). It reports
// the bytes allocated per operation (-benchmem) and the peak of the heap
// over the benchmark (peakMiB; issue 13, item 4: memory bounded by the
// series, not by the rows). The database is built once (minutes) into
// BENCHGATE_KEEP_DB when set, and reused from there.
//
//	BENCHGATE_KEEP_DB=/tmp/h go test -run '^$' -bench SiteHistory -benchmem ./internal/history
func BenchmarkSiteHistory(b *testing.B) {
	ctx := context.Background()
	dir := os.Getenv("BENCHGATE_KEEP_DB")
	if dir == "" {
		dir = b.TempDir()
	}
	db := filepath.Join(dir, "h365.duckdb")
	if _, err := os.Stat(db); err != nil {
		history.BuildBench(b, db, 0, 365)
	}
	st, err := store.OpenReadOnly(ctx, db)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	out := b.TempDir()
	for _, bc := range []struct {
		name string
		f    func() error
	}{
		{"analyze", func() error { _, err := history.Analyze(ctx, st, history.Options{}); return err }},
		{"report", func() error { _, err := site.WriteReport(ctx, st, io.Discard, site.Options{}); return err }},
		{"site", func() error {
			_, err := site.Build(ctx, st, site.Options{Out: filepath.Join(out, "site")})
			return err
		}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			runtime.GC()
			var peak uint64
			for b.Loop() {
				if err := bc.f(); err != nil {
					b.Fatal(err)
				}
				var ms runtime.MemStats
				runtime.ReadMemStats(&ms)
				peak = max(peak, ms.HeapSys-ms.HeapReleased)
			}
			b.ReportMetric(float64(peak)/(1<<20), "peakMiB")
		})
	}
}
