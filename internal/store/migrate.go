package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
)

// ErrNewerSchema is wrapped by the error of Open and OpenReadOnly when the
// database was written by a newer benchgate whose schema this one does not
// know.
var ErrNewerSchema = errors.New("database schema is newer than this benchgate")

// ErrOlderSchema is wrapped by the error of OpenReadOnly when the database
// needs a migration, which a read-only open cannot write.
var ErrOlderSchema = errors.New("database schema is older than this benchgate")

// migration is one forward schema step.
type migration struct {
	name  string
	stmts []string
}

// migrations lists the forward migrations in order: migrations[0] brings an
// empty database to version 1, migrations[i] brings version i to i+1.
//
// Note: append only. A released step is never edited, since databases on
// data branches were built by it.
var migrations = []migration{
	{name: "seed schema with runs and raw samples", stmts: schemaV1},
	{name: "series identity and values in performance_history and performance_regressions", stmts: schemaV2},
	{name: "raw samples without a primary key index", stmts: schemaV3},
}

// querier is what both *sql.DB and *sql.Tx provide.
type querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// schemaVersion returns the version recorded in schema_version, 0 when the
// table does not exist, and how many other tables the database holds.
func schemaVersion(ctx context.Context, q querier) (version, others int, err error) {
	var hasVersion bool
	err = q.QueryRowContext(ctx, `
		SELECT count(*) FILTER (WHERE table_name = 'schema_version') > 0,
		       count(*) FILTER (WHERE table_name <> 'schema_version')
		FROM duckdb_tables()
		WHERE database_name = current_database() AND schema_name = 'main'`).Scan(&hasVersion, &others)
	if err != nil {
		return 0, 0, fmt.Errorf("reading schema version: %w", err)
	}
	if !hasVersion {
		return 0, others, nil
	}
	var rows int
	if err := q.QueryRowContext(ctx, `SELECT count(*), coalesce(max(version), 0) FROM schema_version`).Scan(&rows, &version); err != nil {
		return 0, 0, fmt.Errorf("reading schema version: %w", err)
	}
	if rows == 0 {
		// Note: benchgate creates schema_version and records the first
		// version in one transaction: it never leaves the table empty.
		return 0, 0, errors.New("schema_version is empty (database not initialised by benchgate?)")
	}
	return version, others, nil
}

// createTable finds the table a schema statement creates.
var createTable = regexp.MustCompile(`^\s*CREATE TABLE (\w+)`)

// checkTables refuses a database that lacks a table the migrations ms
// create: a dropped table would otherwise make every query that joins it
// fail, or a query that selects no row from it succeed, much later.
func checkTables(ctx context.Context, q querier, path string, ms []migration) error {
	// Note: a view of a table's name stands for it here: OpenUntrusted
	// refuses views, Open reads the user's own files as they are.
	rows, err := q.QueryContext(ctx, `
		SELECT table_name FROM duckdb_tables()
		WHERE database_name = current_database() AND schema_name = 'main'
		UNION ALL
		SELECT view_name FROM duckdb_views()
		WHERE NOT internal AND database_name = current_database() AND schema_name = 'main'`)
	if err != nil {
		return fmt.Errorf("database %s: listing tables: %w", path, err)
	}
	defer rows.Close()
	have := map[string]bool{}
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return fmt.Errorf("database %s: listing tables: %w", path, err)
		}
		have[name] = true
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("database %s: listing tables: %w", path, err)
	}
	var missing []string
	for _, m := range ms {
		for _, stmt := range m.stmts {
			if t := createTable.FindStringSubmatch(stmt); t != nil && !have[t[1]] && !slices.Contains(missing, t[1]) {
				missing = append(missing, t[1]) // Note: a later step may create a table again (schemaV3).
			}
		}
	}
	if len(missing) > 0 {
		what := "table " + missing[0]
		if len(missing) > 1 {
			what = "tables " + strings.Join(missing, ", ")
		}
		return fmt.Errorf("database %s lacks benchgate's %s (damaged, or changed by hand?)", path, what)
	}
	return nil
}

// checkVersion refuses a database this binary cannot read: a newer schema
// always, an unversioned database that holds tables (not benchgate's) always.
func checkVersion(path string, version, others, known int) error {
	if version > known {
		return fmt.Errorf("database %s has schema version %d, this benchgate knows up to version %d: upgrade benchgate: %w",
			path, version, known, ErrNewerSchema)
	}
	if version == 0 && others > 0 {
		return fmt.Errorf("database %s has %d tables but no schema_version table: not a benchgate database", path, others)
	}
	return nil
}

// migrate applies the missing steps of ms to the database in one
// transaction: either all apply or none does. A newer database is refused
// before anything is written.
func migrate(ctx context.Context, db *sql.DB, path string, ms []migration) (err error) {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("migrating database %s: %w", path, err)
	}
	defer func() {
		if err != nil {
			_ = tx.Rollback() // Note: the error that caused the rollback matters, not this one.
		}
	}()
	version, others, err := schemaVersion(ctx, tx)
	if err != nil {
		return fmt.Errorf("database %s: %w", path, err)
	}
	if err := checkVersion(path, version, others, len(ms)); err != nil {
		return err
	}
	if version == len(ms) {
		return tx.Rollback()
	}
	if version == 0 {
		if _, err := tx.ExecContext(ctx, `CREATE TABLE schema_version (version INTEGER NOT NULL, applied_at TIMESTAMP NOT NULL)`); err != nil {
			return fmt.Errorf("migrating database %s: creating schema_version: %w", path, err)
		}
	}
	now := time.Now().UTC()
	for v := version; v < len(ms); v++ {
		for _, stmt := range ms[v].stmts {
			if _, err := tx.ExecContext(ctx, stmt); err != nil {
				return fmt.Errorf("migrating database %s to version %d (%s): %w", path, v+1, ms[v].name, err)
			}
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO schema_version (version, applied_at) VALUES (?, ?)`, v+1, now); err != nil {
			return fmt.Errorf("migrating database %s to version %d: recording version: %w", path, v+1, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("migrating database %s: committing: %w", path, err)
	}
	return nil
}
