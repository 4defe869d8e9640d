package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"regexp"
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
// unchanged; so is one that lacks a table of the schema. ":memory:" is
// refused: what is written there would be lost.
//
// While another process holds the file open, every open waits for it (up
// to 30 s, logged once to the context's logger, see WithLog), then fails
// naming that process.
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
	return openAs(ctx, path, readOnly, false, ms)
}

// openAs is open, of a database that came from elsewhere when untrusted
// (see OpenUntrusted).
func openAs(ctx context.Context, path string, readOnly, untrusted bool, ms []migration) (*DB, error) {
	if err := checkPath(path); err != nil {
		return nil, err
	}
	if strings.HasPrefix(path, memoryPath) && !readOnly {
		return nil, fmt.Errorf("in-memory database %s keeps nothing: what this command stores would be lost when it exits: give a file path", path)
	}
	// Note: DuckDB never downloads an extension for benchgate: what it needs
	// (parquet, json) is built in.
	opts := url.Values{"autoinstall_known_extensions": {"false"}}
	if untrusted {
		opts.Set("autoload_known_extensions", "false")
	}
	if readOnly {
		if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("database not found at %s: %w", path, fs.ErrNotExist)
		} else if err != nil {
			return nil, fmt.Errorf("opening database %s: %w", path, err)
		}
		opts.Set("access_mode", "read_only")
	}
	sdb, err := connect(ctx, path, path+"?"+opts.Encode())
	if err != nil {
		return nil, err
	}
	db := &DB{sql: sdb, path: path, readOnly: readOnly}
	if untrusted {
		err = checkUntrusted(ctx, db)
	}
	if err == nil && readOnly {
		err = checkReadOnly(ctx, db, len(ms))
	} else if err == nil {
		err = migrate(ctx, sdb, path, ms)
	}
	if err == nil {
		err = checkTables(ctx, sdb, path, ms)
	}
	if err != nil {
		sdb.Close()
		return nil, err
	}
	return db, nil
}

// memoryPath is DuckDB's name of an in-memory database (":memory:NAME"
// names one too).
const memoryPath = ":memory:"

// remotePath matches the start of a database path that DuckDB reads as an
// extension's or a remote database ("md:name", "motherduck:", "sqlite:f",
// "s3://b/f", "https://h/f") rather than a local file. A Windows drive
// letter ("C:") is one letter.
var remotePath = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_+.-]+:`)

// checkPath refuses a database path that is not a local file for DuckDB.
func checkPath(path string) error {
	if path == "" {
		return errors.New("opening database: empty path")
	}
	// Note: duckdb-go parses the data source name as a URL and reads options
	// after '?'; after a '#' it would read none, read_only included.
	if strings.ContainsAny(path, "?#") {
		return fmt.Errorf("opening database %s: path must not contain '?' or '#'", path)
	}
	if p := remotePath.FindString(path); p != "" {
		return fmt.Errorf("database path %s: DuckDB would read %q as a remote database or an extension's, not a local file: give a local path (./%s for a file of that name)",
			path, p, path)
	}
	return nil
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
