package store

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestMergeIdempotent(t *testing.T) {
	ctx := context.Background()
	src, dst := openTemp(t), openTemp(t)
	t0 := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	mustIngest(t, src, testRun("r1", 1, "aaaaaaa1", "refs/heads/main", t0), allResults())
	mustIngest(t, src, testRun("r1", 2, "aaaaaaa1", "refs/heads/main", t0.Add(time.Minute)), allResults())
	mustIngest(t, dst, testRun("r1", 1, "aaaaaaa1", "refs/heads/main", t0), allResults())
	mustIngest(t, dst, testRun("r0", 1, "bbbbbbb0", "refs/heads/main", t0.Add(-time.Hour)), allResults())

	for i, want := range []MergeStats{{Runs: 2, Added: 1, Skipped: 1}, {Runs: 2, Added: 0, Skipped: 2}} {
		got, err := dst.Merge(ctx, src)
		if err != nil {
			t.Fatalf("Merge %d: %v", i+1, err)
		}
		if got != want {
			t.Errorf("Merge %d: got %+v; want %+v", i+1, got, want)
		}
	}
	counts := tableCounts(t, dst)
	if got, want := counts["runs"], 3; got != want {
		t.Errorf("runs: got %d; want %d", got, want)
	}
	if got, want := counts["performance_results"], 9; got != want {
		t.Errorf("performance_results: got %d; want %d", got, want)
	}
	a, err := src.Results(ctx, Run{ID: "r1", Attempt: 2})
	if err != nil {
		t.Fatal(err)
	}
	b, err := dst.Results(ctx, Run{ID: "r1", Attempt: 2})
	if err != nil {
		t.Fatal(err)
	}
	if len(a) != len(b) || len(b) != 3 || b[1].Metrics[0].Samples[1] != a[1].Metrics[0].Samples[1] {
		t.Errorf("merged results differ: got %+v; want %+v", b, a)
	}
	if ok, err := dst.HasRun(ctx, "r1", 2); err != nil || !ok {
		t.Errorf("HasRun(r1, 2): got %v, %v; want true, nil", ok, err)
	}
	if ok, err := dst.HasRun(ctx, "r1", 3); err != nil || ok {
		t.Errorf("HasRun(r1, 3): got %v, %v; want false, nil", ok, err)
	}
}

func TestPruneKeepsSummariesAndWindow(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	t0 := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	for i := range 5 {
		mustIngest(t, db, testRun("run"+string(rune('a'+i)), 1, "c0ffee0"+string(rune('a'+i)), "refs/heads/main", t0.Add(time.Duration(i)*time.Hour)), allResults())
	}
	before := tableCounts(t, db)
	st, err := db.Prune(ctx, PruneOptions{KeepRuns: 2})
	if err != nil {
		t.Fatalf("Prune: %v", err)
	}
	// 3 old runs × 2 successful results; the native result has 2 iteration rows.
	if got, want := st, (PruneStats{Results: 6, Iterations: 6, Metrics: 3 * (3 + 8)}); got != want {
		t.Errorf("Prune: got %+v; want %+v", got, want)
	}
	after := tableCounts(t, db)
	if got, want := after["iteration_samples"], before["iteration_samples"]-6; got != want {
		t.Errorf("iteration_samples: got %d; want %d", got, want)
	}
	for _, table := range []string{"runs", "performance_results", "metric_samples", "benchmark_errors"} {
		if after[table] != before[table] {
			t.Errorf("%s: got %d rows; want %d (kept forever)", table, after[table], before[table])
		}
	}
	old, err := db.Results(ctx, Run{ID: "runa", Attempt: 1})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := old[0].Metrics[0].Samples, []float64{0.0011}; len(got) != 1 || got[0] != want[0] {
		t.Errorf("pruned sec/op samples: got %v; want %v (the median)", got, want)
	}
	recent, err := db.Results(ctx, Run{ID: "rune", Attempt: 1})
	if err != nil {
		t.Fatal(err)
	}
	if got := len(recent[0].Metrics[0].Samples); got != 5 {
		t.Errorf("recent sec/op samples: got %d; want 5 (inside the window)", got)
	}
	st, err = db.Prune(ctx, PruneOptions{KeepRuns: 2})
	if err != nil || st.Iterations != 0 || st.Metrics != 0 {
		t.Errorf("second Prune: got %+v, %v; want nothing changed", st, err)
	}
	if _, err := db.Prune(ctx, PruneOptions{}); err == nil {
		t.Errorf("Prune(KeepRuns 0): got nil error; want one")
	}
}

func TestCompactTo(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	mustIngest(t, db, testRun("r1", 1, "aaaaaaa1", "refs/heads/main", time.Now()), allResults())
	out := filepath.Join(t.TempDir(), "compact.duckdb")
	if err := db.CompactTo(ctx, out); err != nil {
		t.Fatalf("CompactTo: %v", err)
	}
	if err := db.CompactTo(ctx, out); err == nil {
		t.Errorf("CompactTo onto an existing file: got nil error; want one")
	}
	c, err := Open(ctx, out)
	if err != nil {
		t.Fatalf("Open(compact copy): %v", err)
	}
	defer c.Close()
	if got, want := tableCounts(t, c), tableCounts(t, db); !equalCounts(got, want) {
		t.Errorf("compact copy rows: got %v; want %v", got, want)
	}
	// Sequences came along: a new ingest gets fresh keys.
	mustIngest(t, c, testRun("r2", 1, "aaaaaaa2", "refs/heads/main", time.Now()), allResults())
	if got := tableCounts(t, c)["performance_results"]; got != 6 {
		t.Errorf("after ingest into the copy: got %d results; want 6", got)
	}
}

func equalCounts(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func TestExport(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	mustIngest(t, db, testRun("r1", 1, "aaaaaaa1", "refs/heads/main", time.Now()), allResults())
	for _, format := range []string{"parquet", "csv", "json"} {
		t.Run(format, func(t *testing.T) {
			dir := t.TempDir()
			files, err := db.Export(ctx, dir, format)
			if err != nil {
				t.Fatalf("Export: %v", err)
			}
			if got, want := len(files), len(ExportTables()); got != want {
				t.Fatalf("files: got %d; want %d", got, want)
			}
			// Read the results table back through DuckDB.
			var n int
			reader := map[string]string{"parquet": "read_parquet", "csv": "read_csv", "json": "read_json"}[format]
			q := `SELECT count(*) FROM ` + reader + `(` + quoteLiteral(filepath.Join(dir, "performance_results."+format)) + `)`
			if err := db.sql.QueryRowContext(ctx, q).Scan(&n); err != nil {
				t.Fatalf("reading back: %v", err)
			}
			if n != 3 {
				t.Errorf("performance_results rows read back: got %d; want 3", n)
			}
			data, err := os.ReadFile(filepath.Join(dir, "runs."+format))
			if err != nil {
				t.Fatal(err)
			}
			if format != "parquet" && !strings.Contains(string(data), "aaaaaaa1") {
				t.Errorf("runs.%s: got %q; want the commit in it", format, data)
			}
		})
	}
	if _, err := db.Export(ctx, t.TempDir(), "xml"); err == nil {
		t.Errorf("Export(xml): got nil error; want one")
	}
}
