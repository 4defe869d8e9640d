package main

import (
	"context"
	"fmt"

	"github.com/benchgate/benchgate/internal/store"
)

func cmdExport(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "export", "[--format parquet|csv|json] [--output-dir DIR] [--db PATH]",
		"Write every table of the database as one file per table (<table>.parquet, .csv\n"+
			"or .json) with DuckDB's COPY, for download or for other tools.")
	db := dbFlags(fs)
	format := fs.String("format", "parquet", "file format: parquet, csv or json")
	dir := fs.String("output-dir", "benchgate-export", "directory for the files (created if needed)")
	if err := parseFlags(e, fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	if err := oneOf("format", *format, "parquet", "csv", "json"); err != nil {
		return err
	}
	st, err := store.OpenReadOnly(ctx, dbPath(e, *db))
	if err != nil {
		return err
	}
	defer st.Close()
	files, err := st.Export(ctx, *dir, *format)
	if err != nil {
		return err
	}
	for _, f := range files {
		fmt.Fprintln(e.stdout, f)
	}
	return nil
}
