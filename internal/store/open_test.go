package store

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"strings"
	"testing"
	"time"
)

// TestOpenRefusesMemory checks that a writing open refuses ":memory:",
// where what a command stores would be lost, and that a read-only open
// says there is no such database.
func TestOpenRefusesMemory(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	t.Chdir(dir)
	db, err := Open(ctx, ":memory:")
	if err == nil {
		db.Close()
		t.Fatal("Open(:memory:): got no error")
	}
	if !strings.Contains(err.Error(), "would be lost") {
		t.Errorf("Open(:memory:): got %q; want it to say results would be lost", err)
	}
	if _, err := OpenReadOnly(ctx, ":memory:"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("OpenReadOnly(:memory:): got %v; want fs.ErrNotExist", err)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 0 {
		t.Errorf("opens of :memory: wrote %d files", len(ents))
	}
}

// TestOpenDamagedSchema checks that every open refuses a database whose
// schema_version table is empty, or that lacks one of the schema's tables,
// naming what is wrong, and leaves the file unchanged.
func TestOpenDamagedSchema(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name, stmt, want string
	}{
		{"empty schema_version", `DELETE FROM schema_version`, "schema_version is empty (database not initialised by benchgate?)"},
		{"dropped metric_samples", `DROP TABLE metric_samples`, "lacks benchgate's table metric_samples"},
		{"two dropped tables", `DROP TABLE metric_samples; DROP TABLE iteration_samples`, "lacks benchgate's tables metric_samples, iteration_samples"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := newDatabase(t)
			db, err := Open(ctx, path)
			if err != nil {
				t.Fatal(err)
			}
			mustIngest(t, db, testRun("1", 1, "abc", "main", time.Now()), allResults())
			if _, err := db.sql.ExecContext(ctx, tc.stmt); err != nil {
				t.Fatal(err)
			}
			if err := db.Close(); err != nil {
				t.Fatal(err)
			}
			before := readFile(t, path)
			for name, openFn := range map[string]func(context.Context, string) (*DB, error){
				"Open": Open, "OpenReadOnly": OpenReadOnly, "OpenUntrusted": OpenUntrusted,
			} {
				db, err := openFn(ctx, path)
				if err == nil {
					db.Close()
					t.Errorf("%s: got no error; want %q", name, tc.want)
					continue
				}
				if !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), path) {
					t.Errorf("%s: got %q; want it to name %s and say %q", name, err, path, tc.want)
				}
			}
			if !bytes.Equal(before, readFile(t, path)) {
				t.Errorf("a refused open changed %s", path)
			}
		})
	}
}
