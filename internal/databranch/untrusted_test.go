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

// TestRefuseViews puts on the branch a benchgate database whose "runs" is
// a view over read_text of a local file: Fetch and Save refuse it, naming
// the view, and the branch is left as it was.
func TestRefuseViews(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	secret := filepath.Join(dir, "secret.txt")
	if err := os.WriteFile(secret, []byte("s3cret"), 0o600); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, DBFile)
	if err := writeLocalDB(path, "old"); err != nil {
		t.Fatal(err)
	}
	sdb, err := sql.Open("duckdb", path)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{`DROP TABLE runs`, `CREATE VIEW runs AS SELECT content AS run_id FROM read_text('` + secret + `')`} {
		if _, err := sdb.Exec(s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
	sdb.Close()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	remote := bareRepo(t)
	tip := commitFile(t, remote, DBFile, data)
	b := &Branch{Remote: remote, MaxAttempts: 3}

	_, err = b.Fetch(ctx, filepath.Join(t.TempDir(), "f.duckdb"))
	var refused *RefusedError
	if !errors.As(err, &refused) || !errors.Is(err, store.ErrViewsOrMacros) || !strings.Contains(err.Error(), `view "runs"`) {
		t.Errorf("Fetch: got %v; want a *RefusedError naming view \"runs\"", err)
	}
	db, err := store.OpenReadOnly(ctx, localDB(t, t.TempDir(), "new"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := b.Save(ctx, db); !errors.As(err, &refused) || !errors.Is(err, store.ErrViewsOrMacros) {
		t.Errorf("Save: got %v; want a *RefusedError wrapping store.ErrViewsOrMacros", err)
	}
	if got := gitCmd(t, "", "--git-dir="+remote, "rev-parse", DefaultBranch); got != tip {
		t.Errorf("branch tip after refused Save: got %s; want %s (untouched)", got, tip)
	}
}
