package databranch

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/benchgate/benchgate/internal/store"
)

func TestSaveFetchRoundTrip(t *testing.T) {
	remote := bareRepo(t)
	b := &Branch{Remote: remote, CompactEvery: 3}
	dir := t.TempDir()

	if _, err := b.Fetch(context.Background(), filepath.Join(dir, "none.duckdb")); !errors.Is(err, ErrNoBranch) {
		t.Fatalf("Fetch of a missing branch: got %v; want ErrNoBranch", err)
	}
	steps := []struct {
		name      string
		ids       []string
		added     int
		compacted bool
		files     int // run files on the branch afterwards
	}{
		{"first save creates the branch compacted", []string{"r1", "r2"}, 2, true, 0},
		{"append one run file", []string{"r3"}, 1, false, 1},
		{"idempotent: nothing new", []string{"r1", "r3"}, 0, false, 1},
		{"append another", []string{"r4"}, 1, false, 2},
		{"third file compacts", []string{"r4", "r5"}, 1, true, 0},
	}
	prev := ""
	for _, s := range steps {
		res := save(t, b, localDB(t, dir, s.ids...))
		if len(res.Added) != s.added || res.Compacted != s.compacted {
			t.Errorf("%s: got added %v compacted %v; want %d added, compacted %v", s.name, res.Added, res.Compacted, s.added, s.compacted)
		}
		if s.added == 0 && res.Commit != prev {
			t.Errorf("%s: got commit %s; want the unchanged tip %s", s.name, res.Commit, prev)
		}
		prev = res.Commit
		files := gitCmd(t, "", "--git-dir="+remote, "ls-tree", "--name-only", "-r", DefaultBranch, runsDir+"/")
		if got := len(strings.Fields(files)); got != s.files {
			t.Errorf("%s: got %d run files on the branch; want %d", s.name, got, s.files)
		}
	}
	got := fetchRuns(t, b)
	for _, id := range []string{"r1", "r2", "r3", "r4", "r5"} {
		if got[id] != 1 {
			t.Errorf("fetched run %s: got %d copies; want 1", id, got[id])
		}
	}
	if len(got) != 5 {
		t.Errorf("fetched runs: got %v; want r1..r5", got)
	}
	// A compaction leaves a single parentless commit.
	if n := gitCmd(t, "", "--git-dir="+remote, "rev-list", "--count", DefaultBranch); n != "1" {
		t.Errorf("commits on the branch after compaction: got %s; want 1", n)
	}
}

// commitFile makes the remote branch hold one commit with file name = data.
func commitFile(t *testing.T, remote, name string, data []byte) string {
	t.Helper()
	work := t.TempDir()
	gitCmd(t, work, "init", "--quiet", "-b", DefaultBranch)
	if err := os.MkdirAll(filepath.Dir(filepath.Join(work, name)), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(work, name), data, 0o644); err != nil {
		t.Fatal(err)
	}
	gitCmd(t, work, "add", ".")
	gitCmd(t, work, "commit", "--quiet", "-m", "bad data")
	gitCmd(t, work, "push", "--quiet", remote, DefaultBranch)
	return gitCmd(t, work, "rev-parse", "HEAD")
}

func TestRefuseBadData(t *testing.T) {
	newer := filepath.Join(t.TempDir(), "newer.duckdb")
	if err := writeLocalDB(newer, "old"); err != nil {
		t.Fatal(err)
	}
	sdb, err := sql.Open("duckdb", newer)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sdb.Exec(`INSERT INTO schema_version VALUES (99, now())`); err != nil {
		t.Fatal(err)
	}
	sdb.Close()
	newerData, err := os.ReadFile(newer)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, file string
		data       []byte
		want       error
	}{
		{"corrupt database", DBFile, []byte("this is not a DuckDB file, just garbage bytes\n"), nil},
		{"newer schema", DBFile, newerData, store.ErrNewerSchema},
		{"broken run file", runFileName("x", 1), []byte("not gzip"), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			remote := bareRepo(t)
			tip := commitFile(t, remote, tt.file, tt.data)
			b := &Branch{Remote: remote, MaxAttempts: 3}
			db, err := store.OpenReadOnly(context.Background(), localDB(t, t.TempDir(), "new"))
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			_, err = b.Save(context.Background(), db)
			var refused *RefusedError
			if !errors.As(err, &refused) {
				t.Fatalf("Save: got %v; want a *RefusedError", err)
			}
			if tt.want != nil && !errors.Is(err, tt.want) {
				t.Errorf("Save: got %v; want it to wrap %v", err, tt.want)
			}
			if got := gitCmd(t, "", "--git-dir="+remote, "rev-parse", DefaultBranch); got != tip {
				t.Errorf("branch tip after refused Save: got %s; want %s (untouched)", got, tip)
			}
			if _, err := b.Fetch(context.Background(), filepath.Join(t.TempDir(), "f.duckdb")); !errors.As(err, &refused) {
				t.Errorf("Fetch: got %v; want a *RefusedError", err)
			}
		})
	}
}

func TestSizeLimit(t *testing.T) {
	remote := bareRepo(t)
	b := &Branch{Remote: remote, MaxSize: 1000}
	db, err := store.OpenReadOnly(context.Background(), localDB(t, t.TempDir(), "r1"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	_, err = b.Save(context.Background(), db)
	if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "benchgate prune") {
		t.Fatalf("Save over the size limit: got %v; want ErrTooLarge naming benchgate prune", err)
	}
	if out := gitCmd(t, "", "--git-dir="+remote, "for-each-ref"); out != "" {
		t.Errorf("refs after a refused push: got %q; want none", out)
	}
}

func TestCheckTrusted(t *testing.T) {
	trusted := []string{"main", "refs/heads/release/*"}
	tests := []struct {
		ref string
		ok  bool
	}{
		{"refs/heads/main", true},
		{"main", true},
		{"refs/heads/release/v1", true},
		{"refs/heads/feature", false},
		{"refs/pull/12/merge", false},
		{"refs/tags/v1", false},
	}
	for _, tt := range tests {
		err := CheckTrusted(tt.ref, trusted)
		if got := err == nil; got != tt.ok {
			t.Errorf("CheckTrusted(%q): got %v; want ok=%v", tt.ref, err, tt.ok)
		}
		if err != nil && !errors.Is(err, ErrUntrusted) {
			t.Errorf("CheckTrusted(%q): got %v; want ErrUntrusted", tt.ref, err)
		}
	}
	if err := CheckTrusted("refs/pull/1/merge", []string{"refs/*/*/*"}); err == nil {
		t.Errorf("CheckTrusted(pull ref, catch-all): got nil; want pull requests refused")
	}
}

func TestRunFileName(t *testing.T) {
	for _, id := range []string{"123", "a/b#c d", "ünï.côde", "..", "x.2"} {
		name := runFileName(id, 7)
		gotID, gotAttempt, ok := parseRunFileName(name)
		if !ok || gotID != id || gotAttempt != 7 {
			t.Errorf("parseRunFileName(runFileName(%q, 7) = %q): got %q, %d, %v; want %q, 7, true", id, name, gotID, gotAttempt, ok, id)
		}
		if strings.Count(name, "/") != 1 {
			t.Errorf("runFileName(%q): got %q; want one file under %s/", id, name, runsDir)
		}
	}
}
