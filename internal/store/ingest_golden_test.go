package store

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/benchgate/benchgate/internal/results"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// dumpTables renders every row Ingest writes, table by table in id order,
// as JSON lines; the created_at columns that DuckDB fills with the time of
// the transaction are left out.
func dumpTables(t *testing.T, db *DB) string {
	t.Helper()
	var out strings.Builder
	for _, q := range []struct{ table, cols, order string }{
		{"runs", "*", "id"},
		{"models", "*", "model_id"},
		{"hardware_platforms", "*", "hardware_id"},
		{"performance_results", "* EXCLUDE (created_at)", "id"},
		{"benchmark_errors", "* EXCLUDE (created_at)", "id"},
		{"metric_samples", "*", "id"},
		{"iteration_samples", "*", "id"},
		{"resource_monitoring", "* EXCLUDE (created_at)", "id"},
	} {
		rows, err := db.sql.QueryContext(context.Background(),
			`SELECT to_json(x)::VARCHAR FROM (SELECT `+q.cols+` FROM `+q.table+`) x ORDER BY x.`+q.order)
		if err != nil {
			t.Fatalf("dumping %s: %v", q.table, err)
		}
		out.WriteString("-- " + q.table + " --\n")
		for rows.Next() {
			var line string
			if err := rows.Scan(&line); err != nil {
				t.Fatal(err)
			}
			out.WriteString(line + "\n")
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		rows.Close()
	}
	return out.String()
}

// goldenRuns ingests runs that reach every path of Ingest: shared and new
// models, a model-less result, hardware found, inserted and updated, nil
// params, failures, iterations, an environment and none.
func goldenRuns(t *testing.T, db *DB) {
	t0 := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	mustIngest(t, db, testRun("r1", 1, "aaaaaaa1", "refs/heads/main", t0), allResults())
	bigger := nativeResult()
	bigger.Hardware.MemoryMB = 97871
	noParams := goBenchResult()
	noParams.Name, noParams.Params = "BenchmarkNoParams", nil
	other := failedResult()
	other.Name, other.Failure.Type, other.Failure.Command = "bert-base", results.ErrTimeout, ""
	newModel := nativeResult()
	newModel.Name = "bert-mini"
	newModel.Model = &results.Model{Name: "prajjwal1/bert-mini", Family: "bert", Modality: "text", Size: "mini", ParametersMillion: 11.3}
	newModel.Hardware = results.Hardware{Type: "cuda", DeviceName: "NVIDIA L4", DriverVersion: "550.54.15"}
	run := testRun("r2", 1, "aaaaaaa2", "refs/heads/main", t0.Add(time.Hour))
	run.Environment = nil
	mustIngest(t, db, run, []results.Result{bigger, noParams, other, newModel, goBenchResult()})
	mustIngest(t, db, testRun("r1", 2, "aaaaaaa1", "refs/heads/main", t0.Add(2*time.Hour)), benchResults(40, 3))
}

// TestIngestGolden checks the rows Ingest writes against those of the
// row-by-row ingest it replaced (testdata/ingest.golden, written by it):
// the fast path stores exactly the same rows, ids included.
func TestIngestGolden(t *testing.T) {
	db := openTemp(t)
	goldenRuns(t, db)
	got := dumpTables(t, db)
	path := filepath.Join("testdata", "ingest.golden")
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		gl, wl := strings.Split(got, "\n"), strings.Split(string(want), "\n")
		for i := range min(len(gl), len(wl)) {
			if gl[i] != wl[i] {
				t.Fatalf("tables after Ingest differ from %s at line %d:\ngot  %s\nwant %s", path, i+1, gl[i], wl[i])
			}
		}
		t.Fatalf("tables after Ingest differ from %s: got %d lines; want %d", path, len(gl), len(wl))
	}
}
