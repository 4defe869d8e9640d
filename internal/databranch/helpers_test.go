package databranch

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/benchgate/benchgate/internal/results"
	"github.com/benchgate/benchgate/internal/store"
)

// longEnv selects the full-size variants of the concurrency, fault and
// growth tests: BENCHGATE_LONG=1 go test -run 'Concurrent|Fault|Growth' -v ./internal/databranch/
const longEnv = "BENCHGATE_LONG"

// long reports whether the full-size variants run.
func long() bool { return os.Getenv(longEnv) != "" }

// bareRepo creates an empty bare repository to serve as the remote.
func bareRepo(t testing.TB) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "remote.git")
	gitCmd(t, "", "init", "--quiet", "--bare", dir)
	return dir
}

// gitCmd runs git and returns its trimmed stdout, failing the test on error.
func gitCmd(t testing.TB, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com",
		"GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com")
	out, err := cmd.Output()
	if err != nil {
		var stderr string
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = string(ee.Stderr)
		}
		t.Fatalf("git %s: %v: %s", strings.Join(args, " "), err, stderr)
	}
	return strings.TrimSpace(string(out))
}

// smallResults is one Go benchmark result: a small run.
func smallResults(seed int) []results.Result {
	base := 0.001 * (1 + float64(seed%7)/100)
	return []results.Result{{
		Name:     "BenchmarkWordCount",
		Params:   map[string]string{"pkg": "example.com/kernels", "procs": "2"},
		Hardware: results.Hardware{Type: "cpu", DeviceName: "test cpu"},
		Metrics: []results.Metric{
			{Name: "sec/op", Unit: "s", Better: results.SmallerIsBetter, Samples: []float64{base, base * 1.01, base * 0.99, base * 1.02, base}},
			{Name: "B/op", Unit: "B", Better: results.SmallerIsBetter, Exact: true, Samples: []float64{4096, 4096, 4096, 4096, 4096}},
		},
	}}
}

// localDB creates a database holding one run per id, and returns its path.
func localDB(t testing.TB, dir string, ids ...string) string {
	t.Helper()
	path := filepath.Join(dir, fmt.Sprintf("local-%d.duckdb", time.Now().UnixNano()))
	if err := writeLocalDB(path, ids...); err != nil {
		t.Fatal(err)
	}
	return path
}

// writeLocalDB writes a database holding one small run per id.
func writeLocalDB(path string, ids ...string) error {
	ctx := context.Background()
	db, err := store.Open(ctx, path)
	if err != nil {
		return err
	}
	for i, id := range ids {
		run := store.Run{ID: id, Attempt: 1, Commit: fmt.Sprintf("%040x", i+1), Ref: "refs/heads/main",
			Suite: "examples", Runner: "test", CreatedAt: time.Date(2025, 1, 1, 0, 0, i, 0, time.UTC)}
		if _, err := db.Ingest(ctx, run, smallResults(i)); err != nil {
			db.Close()
			return err
		}
	}
	return db.Close()
}

// save saves the runs of the database at path to b.
func save(t testing.TB, b *Branch, path string) SaveResult {
	t.Helper()
	ctx := context.Background()
	db, err := store.OpenReadOnly(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	res, err := b.Save(ctx, db)
	if err != nil {
		t.Fatalf("Save: %v", err)
	}
	return res
}

// fetchRuns fetches the branch and returns its run ids.
func fetchRuns(t testing.TB, b *Branch) map[string]int {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), fmt.Sprintf("fetched-%d.duckdb", time.Now().UnixNano()))
	if _, err := b.Fetch(ctx, path); err != nil {
		t.Fatalf("Fetch: %v", err)
	}
	db, err := store.OpenReadOnly(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	runs, err := db.Runs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]int{}
	for _, r := range runs {
		out[r.ID]++
	}
	return out
}
