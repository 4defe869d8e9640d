package store

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestOpenMigratesFromEmpty(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "bench.duckdb")
	for i := range 2 { // the second open finds the schema current
		db, err := Open(ctx, path)
		if err != nil {
			t.Fatalf("Open #%d: %v", i+1, err)
		}
		v, err := db.SchemaVersion(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if v != len(migrations) {
			t.Errorf("open #%d: SchemaVersion = %d; want %d", i+1, v, len(migrations))
		}
		var rows int
		if err := db.sql.QueryRowContext(ctx, `SELECT count(*) FROM schema_version`).Scan(&rows); err != nil {
			t.Fatal(err)
		}
		if rows != len(migrations) {
			t.Errorf("open #%d: schema_version has %d rows; want %d", i+1, rows, len(migrations))
		}
		for _, table := range []string{"models", "hardware_platforms", "performance_results", "benchmark_errors",
			"runs", "metric_samples", "iteration_samples", "performance_history", "performance_regressions", "resource_monitoring"} {
			var n int
			if err := db.sql.QueryRowContext(ctx, `SELECT count(*) FROM duckdb_tables() WHERE table_name = ?`, table).Scan(&n); err != nil {
				t.Fatal(err)
			}
			if n != 1 {
				t.Errorf("open #%d: table %s: got %d; want 1", i+1, table, n)
			}
		}
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
	}
}

// setVersion appends a schema_version row to the database at path.
func setVersion(t *testing.T, path string, version int) {
	t.Helper()
	sdb, err := sql.Open("duckdb", path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sdb.Exec(`INSERT INTO schema_version VALUES (?, ?)`, version, time.Now().UTC()); err != nil {
		t.Fatal(err)
	}
	if err := sdb.Close(); err != nil {
		t.Fatal(err)
	}
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestOpenRefusesNewerSchema(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "bench.duckdb")
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	mustIngest(t, db, testRun("1", 1, "abc", "main", time.Now()), allResults())
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	setVersion(t, path, 999)
	before := readFile(t, path)

	for _, tc := range []struct {
		name string
		open func(context.Context, string) (*DB, error)
	}{
		{"Open", Open},
		{"OpenReadOnly", OpenReadOnly},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db, err := tc.open(ctx, path)
			if err == nil {
				db.Close()
				t.Fatalf("%s: got no error; want ErrNewerSchema", tc.name)
			}
			if !errors.Is(err, ErrNewerSchema) {
				t.Errorf("got %v; want an error wrapping ErrNewerSchema", err)
			}
			for _, want := range []string{path, "999", fmt.Sprintf("up to version %d", len(migrations)), "upgrade benchgate"} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q does not contain %q", err, want)
				}
			}
			if after := readFile(t, path); !bytes.Equal(before, after) {
				t.Errorf("database file changed: %d bytes before, %d after", len(before), len(after))
			}
			if _, err := os.Stat(path + ".wal"); !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("write-ahead log: got %v; want none", err)
			}
		})
	}
}

func TestMigrationUpgrade(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "bench.duckdb")
	v1 := migrations[:1:1]
	db, err := open(ctx, path, false, v1)
	if err != nil {
		t.Fatal(err)
	}
	run := testRun("1", 1, "abc", "main", time.Now())
	mustIngest(t, db, run, allResults())
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	t.Run("read-only needs migration", func(t *testing.T) {
		v2 := append(v1, migration{name: "test v2", stmts: []string{`ALTER TABLE runs ADD COLUMN note VARCHAR DEFAULT 'none'`}})
		db, err := open(ctx, path, true, v2)
		if err == nil {
			db.Close()
			t.Fatal("got no error; want ErrOlderSchema")
		}
		if !errors.Is(err, ErrOlderSchema) {
			t.Errorf("got %v; want ErrOlderSchema", err)
		}
	})

	t.Run("failed step rolls back", func(t *testing.T) {
		bad := append(v1, migration{name: "broken", stmts: []string{
			`ALTER TABLE runs ADD COLUMN note VARCHAR`,
			`ALTER TABLE no_such_table ADD COLUMN x INTEGER`,
		}})
		db, err := open(ctx, path, false, bad)
		if err == nil {
			db.Close()
			t.Fatal("got no error; want the failed step's")
		}
		if !strings.Contains(err.Error(), "version 2 (broken)") {
			t.Errorf("error %q does not name the step", err)
		}
		db, err = open(ctx, path, false, v1)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		v, err := db.SchemaVersion(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if v != 1 {
			t.Errorf("SchemaVersion = %d; want 1", v)
		}
		var n int
		if err := db.sql.QueryRowContext(ctx, `SELECT count(*) FROM duckdb_columns() WHERE table_name = 'runs' AND column_name = 'note'`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != 0 {
			t.Errorf("column runs.note exists after a failed migration")
		}
	})

	t.Run("upgrade to v2", func(t *testing.T) {
		v2 := append(v1, migration{name: "test v2", stmts: []string{`ALTER TABLE runs ADD COLUMN note VARCHAR DEFAULT 'none'`}})
		db, err := open(ctx, path, false, v2)
		if err != nil {
			t.Fatal(err)
		}
		v, err := db.SchemaVersion(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if v != 2 {
			t.Errorf("SchemaVersion = %d; want 2", v)
		}
		var note string
		if err := db.sql.QueryRowContext(ctx, `SELECT note FROM runs WHERE run_id = '1'`).Scan(&note); err != nil {
			t.Fatal(err)
		}
		if note != "none" {
			t.Errorf("runs.note = %q; want %q", note, "none")
		}
		got, err := db.Results(ctx, run)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 3 {
			t.Errorf("after upgrade: %d results; want 3", len(got))
		}
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
		// The v1 binary now refuses the v2 database.
		if db, err := open(ctx, path, false, v1); !errors.Is(err, ErrNewerSchema) {
			if err == nil {
				db.Close()
			}
			t.Errorf("v1 open of v2 database: got %v; want ErrNewerSchema", err)
		}
	})
}

func TestOpenErrors(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	notDB := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(notDB, []byte(strings.Repeat("not a database\n", 400)), 0o644); err != nil {
		t.Fatal(err)
	}
	foreign := filepath.Join(dir, "foreign.duckdb")
	sdb, err := sql.Open("duckdb", foreign)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sdb.Exec(`CREATE TABLE models (model_id INTEGER)`); err != nil {
		t.Fatal(err)
	}
	sdb.Close()
	missing := filepath.Join(dir, "missing.duckdb")

	for _, tc := range []struct {
		name     string
		path     string
		readOnly bool
		want     []string
		wantIs   error
	}{
		{"not a database", notDB, false, []string{notDB, "not a valid DuckDB database"}, nil},
		{"not a database read-only", notDB, true, []string{notDB, "not a valid DuckDB database"}, nil},
		{"foreign database", foreign, false, []string{foreign, "not a benchgate database"}, nil},
		{"missing read-only", missing, true, []string{"database not found at " + missing}, fs.ErrNotExist},
		{"missing directory", filepath.Join(dir, "no", "such", "dir.duckdb"), false, []string{filepath.Join(dir, "no", "such", "dir.duckdb")}, nil},
		{"question mark", filepath.Join(dir, "a?b"), false, []string{"must not contain '?'"}, nil},
		{"empty path", "", false, []string{"empty path"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var before []byte
			if _, err := os.Stat(tc.path); err == nil {
				before = readFile(t, tc.path)
			}
			db, err := open(ctx, tc.path, tc.readOnly, migrations)
			if err == nil {
				db.Close()
				t.Fatalf("got no error; want one containing %q", tc.want)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
			if tc.wantIs != nil && !errors.Is(err, tc.wantIs) {
				t.Errorf("got %v; want an error wrapping %v", err, tc.wantIs)
			}
			if before != nil && !bytes.Equal(before, readFile(t, tc.path)) {
				t.Errorf("file %s changed", tc.path)
			}
			if tc.path == missing {
				if _, err := os.Stat(missing); !errors.Is(err, fs.ErrNotExist) {
					t.Errorf("read-only open created %s", missing)
				}
			}
		})
	}
}

func TestOpenReadOnly(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "bench.duckdb")
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	run := testRun("1", 1, "abc", "main", time.Now())
	mustIngest(t, db, run, allResults())
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	before := readFile(t, path)

	ro, err := OpenReadOnly(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	got, err := ro.Results(ctx, run)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 {
		t.Errorf("Results: %d; want 3", len(got))
	}
	_, err = ro.Ingest(ctx, testRun("2", 1, "def", "main", time.Now()), allResults())
	if err == nil || !strings.Contains(err.Error(), "read-only") {
		t.Errorf("Ingest read-only: got %v; want a read-only error", err)
	}
	if err := ro.Close(); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(before, readFile(t, path)) {
		t.Errorf("read-only use changed the database file")
	}
}

func TestPathFromEnv(t *testing.T) {
	env := func(m map[string]string) func(string) string {
		return func(k string) string { return m[k] }
	}
	for _, tc := range []struct {
		name   string
		flag   string
		getenv func(string) string
		want   string
	}{
		{"flag wins", "/flag.duckdb", env(map[string]string{"BENCHMARK_DB_PATH": "/env.duckdb"}), "/flag.duckdb"},
		{"env", "", env(map[string]string{"BENCHMARK_DB_PATH": "/env.duckdb"}), "/env.duckdb"},
		{"empty env", "", env(map[string]string{"BENCHMARK_DB_PATH": ""}), DefaultPath},
		{"default", "", env(nil), DefaultPath},
		{"nil getenv", "", nil, DefaultPath},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := PathFromEnv(tc.flag, tc.getenv); got != tc.want {
				t.Errorf("PathFromEnv(%q) = %q; want %q", tc.flag, got, tc.want)
			}
		})
	}
}
