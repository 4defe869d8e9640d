package store

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
)

// ErrViewsOrMacros is wrapped by OpenUntrusted's error when the database
// holds SQL views or macros: code that every reader of the database would
// run, which benchgate never writes.
var ErrViewsOrMacros = errors.New("database holds SQL views or macros")

// OpenUntrusted opens for reading and writing, as Open does, a database
// that came from elsewhere (a data branch anyone with push access writes),
// so that reading it can reach nothing but that file:
//
//   - DuckDB runs with external access off (enable_external_access=false:
//     no other files, no network, no extension installs or loads, no ATTACH
//     outside the database's own directory, where CompactTo writes), with
//     extension autoloading and autoinstalling off and its configuration
//     locked, so that no statement turns any of it back on;
//   - a database holding SQL views or macros (duckdb_views(),
//     duckdb_functions(): a view "runs" over read_text('/etc/passwd') would
//     pass the schema check and run for every reader) is refused with an
//     error naming them and wrapping ErrViewsOrMacros. benchgate's schema
//     is tables and sequences only.
func OpenUntrusted(ctx context.Context, path string) (*DB, error) {
	return openAs(ctx, path, false, true, migrations)
}

// checkUntrusted applies OpenUntrusted's settings to the open db, then
// looks for views and macros.
func checkUntrusted(ctx context.Context, db *DB) error {
	dir, err := filepath.Abs(filepath.Dir(db.path))
	if err != nil {
		return fmt.Errorf("opening database %s: %w", db.path, err)
	}
	// Note: these settings are the database instance's, whichever pooled
	// connection sets them; allowed_directories must come before external
	// access is turned off, and lock_configuration last.
	for _, stmt := range []string{
		`SET allowed_directories = [` + quoteLiteral(dir+string(filepath.Separator)) + `]`,
		`SET enable_external_access = false`,
		`SET autoload_known_extensions = false`,
		`SET autoinstall_known_extensions = false`,
		`SET lock_configuration = true`,
	} {
		if _, err := db.sql.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("opening database %s: %s: %w", db.path, stmt, err)
		}
	}
	rows, err := db.sql.QueryContext(ctx, `
		SELECT 'view', view_name FROM duckdb_views()
		WHERE NOT internal AND database_name = current_database()
		UNION ALL
		SELECT replace(function_type, '_', ' '), function_name FROM duckdb_functions()
		WHERE NOT internal AND database_name = current_database()
		ORDER BY 1, 2`)
	if err != nil {
		return fmt.Errorf("database %s: listing views and macros: %w", db.path, err)
	}
	defer rows.Close()
	var found []string
	for rows.Next() {
		var kind, name string
		if err := rows.Scan(&kind, &name); err != nil {
			return fmt.Errorf("database %s: listing views and macros: %w", db.path, err)
		}
		found = append(found, fmt.Sprintf("%s %q", kind, name))
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("database %s: listing views and macros: %w", db.path, err)
	}
	if len(found) > 0 {
		return fmt.Errorf("database %s holds %s, SQL that every reader would run and benchgate never writes: refusing it: %w",
			db.path, strings.Join(found, ", "), ErrViewsOrMacros)
	}
	return nil
}
