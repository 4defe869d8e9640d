package baseline

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/benchgate/benchgate/internal/results"
	"github.com/benchgate/benchgate/internal/store"
)

// git runs git in dir, failing the test on error.
func git(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com",
		"GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %s: %v: %s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}

func commit(t *testing.T, dir, msg string) string {
	t.Helper()
	git(t, dir, "commit", "--quiet", "--allow-empty", "-m", msg)
	return git(t, dir, "rev-parse", "HEAD")
}

func result() []results.Result {
	return []results.Result{{Name: "BenchmarkX", Hardware: results.Hardware{Type: "cpu"},
		Metrics: []results.Metric{{Name: "sec/op", Unit: "s", Better: results.SmallerIsBetter, Samples: []float64{1, 1.1, 0.9, 1, 1}}}}}
}

func TestSelect(t *testing.T) {
	ctx := context.Background()
	repo := t.TempDir()
	git(t, repo, "init", "--quiet", "-b", "main")
	m1 := commit(t, repo, "m1")
	m2 := commit(t, repo, "m2")
	m3 := commit(t, repo, "m3") // merge-base
	git(t, repo, "switch", "--quiet", "-c", "pr")
	commit(t, repo, "pr1")
	git(t, repo, "switch", "--quiet", "main")
	commit(t, repo, "m4 after the PR branched")
	git(t, repo, "switch", "--quiet", "pr")

	tests := []struct {
		name      string
		runs      map[string]string // run id → commit
		wantRun   string
		wantDepth int
		fallback  bool
		maxDepth  int
	}{
		{"merge-base has a run", map[string]string{"a": m1, "b": m3}, "b", 0, false, 0},
		{"walk back two commits", map[string]string{"a": m1}, "a", 2, false, 0},
		{"walk back one", map[string]string{"a": m1, "c": m2}, "c", 1, false, 0},
		{"beyond the bound: fallback to newest of main", map[string]string{"a": m1}, "a", 0, true, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db, err := store.Open(ctx, filepath.Join(t.TempDir(), "db.duckdb"))
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			for id, c := range tt.runs {
				if _, err := db.Ingest(ctx, store.Run{ID: id, Commit: c, Ref: "refs/heads/main", Suite: "s"}, result()); err != nil {
					t.Fatal(err)
				}
			}
			ch, err := Select(ctx, db, Options{RepoDir: repo, Base: "main", MaxDepth: tt.maxDepth})
			if err != nil {
				t.Fatalf("Select: %v", err)
			}
			if ch.Run.ID != tt.wantRun || ch.Depth != tt.wantDepth || (ch.Fallback != "") != tt.fallback || ch.MergeBase != m3 {
				t.Errorf("Select: got run %s depth %d fallback %q merge-base %s; want run %s depth %d fallback %v merge-base %s",
					ch.Run.ID, ch.Depth, ch.Fallback, ch.MergeBase, tt.wantRun, tt.wantDepth, tt.fallback, m3)
			}
			desc := ch.Describe(time.Now())
			if !strings.Contains(desc, ch.Run.Commit[:10]) {
				t.Errorf("Describe: got %q; want the baseline commit in it", desc)
			}
		})
	}
	t.Run("no run at all", func(t *testing.T) {
		db, err := store.Open(ctx, filepath.Join(t.TempDir(), "db.duckdb"))
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if _, err := Select(ctx, db, Options{RepoDir: repo, Base: "main"}); err == nil || !strings.Contains(err.Error(), "no baseline") {
			t.Errorf("Select on an empty database: got %v; want ErrNoBaseline", err)
		}
	})
}

// TestSelectRefusesOptions: a base or head that git would read as an
// option is refused, naming it, before git runs.
func TestSelectRefusesOptions(t *testing.T) {
	ctx := context.Background()
	repo := t.TempDir()
	git(t, repo, "init", "--quiet", "-b", "main")
	commit(t, repo, "m1")
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "db.duckdb"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, o := range []Options{{RepoDir: repo, Base: "--all"}, {RepoDir: repo, Base: "main", Head: "--is-ancestor"}} {
		bad := o.Base
		if o.Head != "" {
			bad = o.Head
		}
		_, err := Select(ctx, db, o)
		if err == nil || !strings.Contains(err.Error(), `"`+bad+`" starts with '-'`) {
			t.Errorf("Select(base %q, head %q): got %v; want an error quoting %q", o.Base, o.Head, err, bad)
		}
	}
}

// TestSelectNamesAFileBase: a base branch that is a results file, or looks
// like one and is missing, is said to be so before git runs.
func TestSelectNamesAFileBase(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	present := filepath.Join(dir, "old.txt")
	if err := os.WriteFile(present, []byte("BenchmarkA 1 1 ns/op\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(dir, "gone.txt")
	if _, err := Select(ctx, nil, Options{RepoDir: dir, Base: missing}); err == nil || !strings.Contains(err.Error(), "file "+missing+" does not exist") || !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file as the base: got %v; want \"file %s does not exist\"", err, missing)
	}
	if _, err := Select(ctx, nil, Options{RepoDir: dir, Base: present}); err == nil || !strings.Contains(err.Error(), "is a results file") {
		t.Errorf("a results file as the base: got %v; want it named as a file", err)
	}
}
