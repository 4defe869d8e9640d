package store

import (
	"context"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

// TestMigrationToVersion3 migrates a version 2 database (raw samples with a
// primary key on their ids) and reads the same rows and results back.
func TestMigrationToVersion3(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "bench.duckdb")
	db, err := open(ctx, path, false, migrations[:2:2])
	if err != nil {
		t.Fatal(err)
	}
	goldenRuns(t, db)
	before := dumpTables(t, db)
	run := testRun("r1", 1, "aaaaaaa1", "refs/heads/main", time.Time{})
	resultsBefore, err := db.Results(ctx, run)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	db, err = Open(ctx, path)
	if err != nil {
		t.Fatalf("Open of a version 2 database: %v", err)
	}
	defer db.Close()
	if v, err := db.SchemaVersion(ctx); err != nil || v != 3 {
		t.Fatalf("SchemaVersion: got %d, %v; want 3", v, err)
	}
	if after := dumpTables(t, db); after != before {
		t.Errorf("rows after migration:\n%s\nwant:\n%s", after, before)
	}
	resultsAfter, err := db.Results(ctx, run)
	if err != nil {
		t.Fatal(err)
	}
	if len(resultsBefore) == 0 || !reflect.DeepEqual(resultsAfter, resultsBefore) {
		t.Errorf("Results after migration:\n%+v\nwant:\n%+v", resultsAfter, resultsBefore)
	}
	var keys int
	if err := db.sql.QueryRowContext(ctx, `SELECT count(*) FROM duckdb_constraints()
		WHERE table_name IN ('metric_samples', 'iteration_samples') AND constraint_type = 'PRIMARY KEY'`).Scan(&keys); err != nil {
		t.Fatal(err)
	}
	if keys != 0 {
		t.Errorf("primary keys on the sample tables: got %d; want none", keys)
	}
	// The sequences go on where they were: new rows get new ids.
	mustIngest(t, db, testRun("r9", 1, "aaaaaaa9", "refs/heads/main", time.Now()), allResults())
	for _, table := range []string{"metric_samples", "iteration_samples"} {
		var rows, ids int
		if err := db.sql.QueryRowContext(ctx, `SELECT count(*), count(DISTINCT id) FROM `+table).Scan(&rows, &ids); err != nil {
			t.Fatal(err)
		}
		if rows != ids {
			t.Errorf("%s: %d rows, %d distinct ids; want one id a row", table, rows, ids)
		}
	}
}

// TestCompactToKeepsRows checks that the compact copy, which writes
// metric_samples in series order and renumbers their ids, holds the same
// rows: the other tables' with the same ids.
func TestCompactToKeepsRows(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	goldenRuns(t, db)
	out := filepath.Join(t.TempDir(), "compact.duckdb")
	if err := db.CompactTo(ctx, out); err != nil {
		t.Fatalf("CompactTo: %v", err)
	}
	c, err := Open(ctx, out)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	samples := func(db *DB) string {
		t.Helper()
		var s string
		if err := db.sql.QueryRowContext(ctx, `SELECT string_agg(to_json(x)::VARCHAR, e'\n' ORDER BY x.performance_id, x.position)
			FROM (SELECT * EXCLUDE (id) FROM metric_samples) x`).Scan(&s); err != nil {
			t.Fatal(err)
		}
		return s
	}
	if got, want := samples(c), samples(db); got != want {
		t.Errorf("compact copy's metric_samples:\n%s\nwant:\n%s", got, want)
	}
	var rows, ids, maxID, next int
	if err := c.sql.QueryRowContext(ctx, `SELECT count(*), count(DISTINCT id), max(id), nextval('metric_samples_id_seq') FROM metric_samples`).Scan(&rows, &ids, &maxID, &next); err != nil {
		t.Fatal(err)
	}
	if ids != rows || next <= maxID {
		t.Errorf("compact copy's metric_samples ids: %d rows, %d distinct ids, max %d, next %d; want distinct and below the next", rows, ids, maxID, next)
	}
	otherTables := func(dump string) string {
		start := strings.Index(dump, "-- metric_samples --")
		end := strings.Index(dump, "-- iteration_samples --")
		return dump[:start] + dump[end:]
	}
	if got, want := otherTables(dumpTables(t, c)), otherTables(dumpTables(t, db)); got != want {
		t.Errorf("compact copy:\n%s\nwant:\n%s", got, want)
	}
}
