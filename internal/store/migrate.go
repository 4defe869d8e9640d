package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
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
	if err := q.QueryRowContext(ctx, `SELECT coalesce(max(version), 0) FROM schema_version`).Scan(&version); err != nil {
		return 0, 0, fmt.Errorf("reading schema version: %w", err)
	}
	return version, others, nil
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
