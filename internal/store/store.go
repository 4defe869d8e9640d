package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"sync"
)

// DefaultPath is the database path used when neither --db nor
// BENCHMARK_DB_PATH names one (the seed's default).
const DefaultPath = "./benchmark_db.duckdb"

// PathEnv is the environment variable that names the database (the seed's).
const PathEnv = "BENCHMARK_DB_PATH"

// PathFromEnv returns the database path: flagValue when set, else
// $BENCHMARK_DB_PATH read through getenv, else DefaultPath. A nil getenv
// reads no environment.
func PathFromEnv(flagValue string, getenv func(string) string) string {
	if flagValue != "" {
		return flagValue
	}
	if getenv != nil {
		if p := getenv(PathEnv); p != "" {
			return p
		}
	}
	return DefaultPath
}

// DB is a benchgate database: one DuckDB file. It is safe for concurrent use
// by several goroutines; DuckDB lets one process at a time open a file for
// writing.
type DB struct {
	sql      *sql.DB
	path     string
	readOnly bool

	// beforeCommit, when set (by tests only), runs at the end of Ingest's
	// transaction; an error from it rolls the transaction back.
	beforeCommit func() error

	// udfMu guards udfRegistered: whether SaveAnalysis's table function is
	// registered with this database.
	udfMu         sync.Mutex
	udfRegistered bool
}

// Open opens the database at path for reading and writing, creating the file
// when it is missing, and applies the missing migrations. A database with a
// newer schema is refused with an error wrapping ErrNewerSchema and left
// unchanged.
func Open(ctx context.Context, path string) (*DB, error) {
	return open(ctx, path, false, migrations)
}

// OpenReadOnly opens an existing database for reading only: it writes
// nothing, not even migrations. A missing file is an error ("database not
// found at PATH", wrapping fs.ErrNotExist); so is a newer schema
// (ErrNewerSchema) or one that needs migrating (ErrOlderSchema).
func OpenReadOnly(ctx context.Context, path string) (*DB, error) {
	return open(ctx, path, true, migrations)
}

// open opens path with the given migrations; tests pass extra ones.
func open(ctx context.Context, path string, readOnly bool, ms []migration) (*DB, error) {
	if path == "" {
		return nil, errors.New("opening database: empty path")
	}
	// Note: duckdb-go reads options after '?' in the data source name.
	if strings.ContainsRune(path, '?') {
		return nil, fmt.Errorf("opening database %s: path must not contain '?'", path)
	}
	dsn := path
	if readOnly {
		if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("database not found at %s: %w", path, fs.ErrNotExist)
		} else if err != nil {
			return nil, fmt.Errorf("opening database %s: %w", path, err)
		}
		dsn += "?access_mode=read_only"
	}
	sdb, err := sql.Open("duckdb", dsn)
	if err != nil {
		return nil, fmt.Errorf("opening database %s: %w", path, err)
	}
	if err := sdb.PingContext(ctx); err != nil {
		sdb.Close()
		return nil, fmt.Errorf("opening database %s: %w", path, err)
	}
	db := &DB{sql: sdb, path: path, readOnly: readOnly}
	if readOnly {
		err = checkReadOnly(ctx, db, len(ms))
	} else {
		err = migrate(ctx, sdb, path, ms)
	}
	if err != nil {
		sdb.Close()
		return nil, err
	}
	return db, nil
}

// checkReadOnly refuses a database whose schema differs from the known one.
func checkReadOnly(ctx context.Context, db *DB, known int) error {
	version, others, err := schemaVersion(ctx, db.sql)
	if err != nil {
		return fmt.Errorf("database %s: %w", db.path, err)
	}
	if err := checkVersion(db.path, version, others, known); err != nil {
		return err
	}
	if version < known {
		return fmt.Errorf("database %s has schema version %d, this benchgate needs version %d: open it once for writing to migrate it: %w",
			db.path, version, known, ErrOlderSchema)
	}
	return nil
}

// Close closes the database; DuckDB checkpoints its write-ahead log into the
// file.
func (db *DB) Close() error {
	if err := db.sql.Close(); err != nil {
		return fmt.Errorf("closing database %s: %w", db.path, err)
	}
	return nil
}

// Path returns the path the database was opened with.
func (db *DB) Path() string { return db.path }

// SchemaVersion returns the schema version recorded in the database.
func (db *DB) SchemaVersion(ctx context.Context) (int, error) {
	v, _, err := schemaVersion(ctx, db.sql)
	if err != nil {
		return 0, fmt.Errorf("database %s: %w", db.path, err)
	}
	return v, nil
}
