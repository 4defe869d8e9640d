package store

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// untrustedDB writes a benchgate database holding one run to path, then
// runs stmts on it as whoever pushed it could.
func untrustedDB(t *testing.T, path string, stmts ...string) {
	t.Helper()
	ctx := context.Background()
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	mustIngest(t, db, testRun("1", 1, "abc", "main", time.Now()), allResults())
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	sdb, err := sql.Open("duckdb", path)
	if err != nil {
		t.Fatal(err)
	}
	defer sdb.Close()
	for _, s := range stmts {
		if _, err := sdb.ExecContext(ctx, s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}

// TestOpenUntrustedRefusesCode is issue 15's repro: a fetched database whose
// "runs" is a view over read_text of a local file, or that holds a macro,
// is refused with an error naming the view or macro; Open, for the user's
// own files, reads the view.
func TestOpenUntrustedRefusesCode(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	secret := filepath.Join(t.TempDir(), "secret.txt")
	if err := os.WriteFile(secret, []byte("s3cret"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		stmts []string
		want  string
	}{
		{"runs view", []string{`DROP TABLE runs`, `CREATE VIEW runs AS SELECT content AS run_id FROM read_text(` + quoteLiteral(secret) + `)`}, `view "runs"`},
		{"macro", []string{`CREATE MACRO leak() AS TABLE SELECT content FROM read_text(` + quoteLiteral(secret) + `)`}, `table macro "leak"`},
		{"scalar macro", []string{`CREATE MACRO plus_one(x) AS x + 1`}, `macro "plus_one"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(dir, strings.ReplaceAll(tc.name, " ", "_")+".duckdb")
			untrustedDB(t, path, tc.stmts...)
			db, err := OpenUntrusted(ctx, path)
			if err == nil {
				db.Close()
				t.Fatalf("OpenUntrusted: got no error; want %s refused", tc.want)
			}
			if !errors.Is(err, ErrViewsOrMacros) || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), path) {
				t.Errorf("OpenUntrusted: got %v; want ErrViewsOrMacros naming %s and %s", err, path, tc.want)
			}
		})
	}
	t.Run("Open reads the view", func(t *testing.T) {
		db, err := Open(ctx, filepath.Join(dir, "runs_view.duckdb"))
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		var got string
		if err := db.sql.QueryRowContext(ctx, `SELECT run_id FROM runs`).Scan(&got); err != nil || got != "s3cret" {
			t.Errorf("SELECT run_id FROM runs: got %q, %v; want the secret (the check is what stops it)", got, err)
		}
	})
}

// TestOpenUntrustedNoExternalAccess opens a clean fetched database: it
// reads and writes as usual and compacts beside itself, but reaches no
// other file and cannot turn external access back on.
func TestOpenUntrustedNoExternalAccess(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "fetched.duckdb")
	untrustedDB(t, path)
	secret := filepath.Join(t.TempDir(), "secret.txt")
	if err := os.WriteFile(secret, []byte("s3cret"), 0o600); err != nil {
		t.Fatal(err)
	}
	db, err := OpenUntrusted(ctx, path)
	if err != nil {
		t.Fatalf("OpenUntrusted of a clean database: %v", err)
	}
	defer db.Close()
	mustIngest(t, db, testRun("2", 1, "def", "main", time.Now()), allResults())
	if runs, err := db.Runs(ctx); err != nil || len(runs) != 2 {
		t.Errorf("Runs: got %d, %v; want 2", len(runs), err)
	}
	if err := db.CompactTo(ctx, filepath.Join(dir, "compact.duckdb")); err != nil {
		t.Errorf("CompactTo beside the database: %v", err)
	}
	for _, q := range []string{
		`SELECT content FROM read_text(` + quoteLiteral(secret) + `)`,
		`SET enable_external_access = true`,
		`SET allowed_directories = ['/']`,
		`ATTACH ` + quoteLiteral(filepath.Join(t.TempDir(), "other.duckdb")) + ` AS other`,
	} {
		if _, err := db.sql.ExecContext(ctx, q); err == nil {
			t.Errorf("%s: got no error; want it refused", q)
		}
	}
}

// TestOpenRefusesRemotePaths: a --db that DuckDB would read as a remote
// database or an extension's is refused before DuckDB sees it.
func TestOpenRefusesRemotePaths(t *testing.T) {
	ctx := context.Background()
	for _, p := range []string{"md:foo", "motherduck:foo", "MD:foo", "sqlite:bench.db", "s3://bucket/bench.duckdb", "https://example.com/bench.duckdb", "http://127.0.0.1:1/b.duckdb"} {
		for name, open := range map[string]func(context.Context, string) (*DB, error){"Open": Open, "OpenReadOnly": OpenReadOnly, "OpenUntrusted": OpenUntrusted} {
			db, err := open(ctx, p)
			if err == nil {
				db.Close()
				t.Errorf("%s(%q): got no error; want it refused", name, p)
				continue
			}
			if !strings.Contains(err.Error(), "not a local file") || !strings.Contains(err.Error(), p) {
				t.Errorf("%s(%q): got %v; want an error naming it, saying it is not a local file", name, p, err)
			}
		}
	}
	// A local file whose name has a colon is reachable as a path.
	db, err := Open(ctx, filepath.Join(t.TempDir(), "md:foo"))
	if err != nil {
		t.Fatalf("Open of a local md:foo: %v", err)
	}
	db.Close()
}
