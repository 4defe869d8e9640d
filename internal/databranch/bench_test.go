package databranch

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/benchgate/benchgate/internal/results"
	"github.com/benchgate/benchgate/internal/store"
)

// Sizes of BenchmarkSave: a year of daily runs of a suite of 520 Go
// benchmarks with 3 metrics of 10 samples each.
const (
	benchRuns    = 365
	benchResults = 520
)

// suiteResults returns run seed of the benchmark suite.
func suiteResults(seed int) []results.Result {
	rs := make([]results.Result, benchResults)
	for i := range rs {
		base := 1e-6 * float64(1+i%97) * (1 + float64(seed%13)/100)
		samples := func(v float64) []float64 {
			s := make([]float64, 10)
			for k := range s {
				s[k] = v * (1 + float64((k*7+i+seed)%11-5)/500)
			}
			return s
		}
		rs[i] = results.Result{
			Name:     fmt.Sprintf("BenchmarkKernel%03d/size=%d", i/8, 1<<(i%8)),
			Params:   map[string]string{"pkg": fmt.Sprintf("example.com/kernels/k%d", i%5), "procs": "8"},
			Hardware: results.Hardware{Type: "cpu", DeviceName: "AMD EPYC 7B13", ComputeUnits: 8},
			Metrics: []results.Metric{
				{Name: "sec/op", Unit: "s", Better: results.SmallerIsBetter, Samples: samples(base)},
				{Name: "B/op", Unit: "B", Better: results.SmallerIsBetter, Exact: true, Samples: samples(4096)},
				{Name: "allocs/op", Unit: "allocs/op", Better: results.SmallerIsBetter, Exact: true, Samples: samples(3)},
			},
		}
	}
	return rs
}

// suiteRun is the run of day i of the suite.
func suiteRun(i int) store.Run {
	return store.Run{ID: fmt.Sprintf("run-%04d", i), Attempt: 1, Commit: fmt.Sprintf("%040x", i+1), Ref: "refs/heads/main",
		Suite: "kernels", Runner: "linux", CreatedAt: time.Date(2025, 1, 1, 6, 0, 0, 0, time.UTC).AddDate(0, 0, i)}
}

// addSuiteRuns ingests the runs of days from to to-1 into the database
// at path.
func addSuiteRuns(b *testing.B, path string, from, to int) {
	b.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, path)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	for i := from; i < to; i++ {
		if _, err := db.Ingest(ctx, suiteRun(i), suiteResults(i)); err != nil {
			b.Fatal(err)
		}
	}
}

// copyRepo copies the bare repository src to a new directory.
func copyRepo(b *testing.B, src string) string {
	b.Helper()
	dst := filepath.Join(b.TempDir(), "remote.git")
	if err := os.CopyFS(dst, os.DirFS(src)); err != nil {
		b.Fatal(err)
	}
	return dst
}

// saveFile is save that, when timed, times only Save and reports its peak
// resident set size (peak-RSS-MB) where Linux can say.
func saveFile(b *testing.B, br *Branch, path string, timed bool) SaveResult {
	b.Helper()
	ctx := context.Background()
	db, err := store.OpenReadOnly(ctx, path)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	reset := timed && resetPeakRSS()
	if timed {
		b.StartTimer()
	}
	res, err := br.Save(ctx, db)
	b.StopTimer()
	if err != nil {
		b.Fatalf("Save: %v", err)
	}
	if mb, ok := peakRSS(); ok && reset {
		b.ReportMetric(mb, "peak-RSS-MB")
	}
	return res
}

// resetPeakRSS resets the process's peak resident set size (Linux).
func resetPeakRSS() bool {
	return os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) == nil
}

// peakRSS returns the process's peak resident set size in MiB (Linux).
func peakRSS() (float64, bool) {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0, false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 64)
			return kb / 1024, err == nil
		}
	}
	return 0, false
}

// BenchmarkSave times Save of a year of a 520-series suite (365 runs × 520
// results × 3 metrics × 10 samples) to a local bare repository:
//
//   - first: the first Save to a new branch (a compaction of 365 runs);
//   - append: a Save of one new run onto that branch (a run file), from a
//     remote that filters fetches as GitHub's does (no database fetched);
//   - compaction: the Save that compacts a branch of the 365-run database
//     and 49 run files with one new run (every DefaultCompactEvery saves).
//
// Each reports its peak resident set size (peak-RSS-MB, Linux).
//
//	go test ./internal/databranch -run '^$' -bench BenchmarkSave -benchtime 1x
//
// The database is built once (a minute), in $BENCHGATE_KEEP_DB when set
// and kept there for the next run.
func BenchmarkSave(b *testing.B) {
	dir := os.Getenv("BENCHGATE_KEEP_DB")
	if dir == "" {
		dir = b.TempDir()
	}
	year := filepath.Join(dir, fmt.Sprintf("save-%d.duckdb", benchRuns))
	if _, err := os.Stat(year); err != nil {
		addSuiteRuns(b, year+".tmp", 0, benchRuns)
		if err := os.Rename(year+".tmp", year); err != nil {
			b.Fatal(err)
		}
	}
	// first is a branch after the first save of the year, made once: the
	// sub-benchmarks copy it.
	first := filepath.Join(b.TempDir(), "first.git")
	firstSave := func(b *testing.B) string {
		if _, err := os.Stat(first); err != nil {
			gitCmd(b, "", "init", "--quiet", "--bare", first)
			// As GitHub's: the remote filters fetches (an append fetches no
			// database) and keeps what is pushed as packs (a local
			// repository unpacks pushes of under 100 objects into loose
			// ones, which every fetch then deflates again: 0.7 s of 22 MB).
			gitCmd(b, "", "--git-dir="+first, "config", "uploadpack.allowFilter", "true")
			gitCmd(b, "", "--git-dir="+first, "config", "receive.unpackLimit", "1")
			b.StopTimer()
			saveFile(b, &Branch{Remote: first}, year, false)
		}
		return first
	}
	b.Run("first", func(b *testing.B) {
		b.StopTimer()
		for range b.N {
			remote := bareRepo(b)
			res := saveFile(b, &Branch{Remote: remote}, year, true)
			if !res.Compacted || len(res.Added) != benchRuns {
				b.Fatalf("first save: %+v", res)
			}
			b.ReportMetric(float64(res.DBSize)/1e6, "db-MB")
		}
	})
	b.Run("append", func(b *testing.B) {
		b.StopTimer()
		remote := copyRepo(b, firstSave(b))
		local := filepath.Join(b.TempDir(), "local.duckdb")
		if err := copyFile(year, local); err != nil {
			b.Fatal(err)
		}
		br := &Branch{Remote: remote, CompactEvery: 1 << 20}
		for i := range b.N {
			addSuiteRuns(b, local, benchRuns+i, benchRuns+i+1)
			if res := saveFile(b, br, local, true); res.Compacted || len(res.Added) != 1 || res.FetchedDB {
				b.Fatalf("append save: %+v", res)
			}
		}
	})
	b.Run("compaction", func(b *testing.B) {
		b.StopTimer()
		every := DefaultCompactEvery
		local := filepath.Join(b.TempDir(), "local.duckdb")
		if err := copyFile(year, local); err != nil {
			b.Fatal(err)
		}
		addSuiteRuns(b, local, benchRuns, benchRuns+every-1)
		pending := copyRepo(b, firstSave(b))
		if res := saveFile(b, &Branch{Remote: pending, CompactEvery: 1 << 20}, local, false); len(res.Added) != every-1 {
			b.Fatalf("setup save: %+v", res)
		}
		addSuiteRuns(b, local, benchRuns+every-1, benchRuns+every)
		for range b.N {
			remote := copyRepo(b, pending)
			if res := saveFile(b, &Branch{Remote: remote}, local, true); !res.Compacted || len(res.Added) != 1 {
				b.Fatalf("compaction save: %+v", res)
			}
		}
	})
}
