package store

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
)

// exportOptions maps each format of Export to its file extension and COPY
// options.
var exportOptions = map[string]struct{ ext, opts string }{
	"parquet": {".parquet", "(FORMAT parquet, COMPRESSION zstd)"},
	"csv":     {".csv", "(FORMAT csv, HEADER true)"},
	"json":    {".json", "(FORMAT json, ARRAY true)"},
}

// ExportTables are the tables Export writes, one file each.
func ExportTables() []string {
	return []string{"runs", "models", "hardware_platforms", "performance_results", "benchmark_errors",
		"metric_samples", "iteration_samples", "performance_history", "performance_regressions",
		"resource_monitoring", "schema_version"}
}

// Export writes every table of ExportTables to dir (created if needed) as
// "<table>.<ext>" with DuckDB's COPY: format is "parquet" (zstd), "csv"
// (with a header line) or "json" (one array of objects per file). It
// returns the files written, in ExportTables order. Existing files of those
// names are replaced.
func (db *DB) Export(ctx context.Context, dir, format string) ([]string, error) {
	o, ok := exportOptions[format]
	if !ok {
		return nil, fmt.Errorf("exporting %s: unknown format %q (want parquet, csv or json)", db.path, format)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("exporting %s: %w", db.path, err)
	}
	var files []string
	for _, t := range ExportTables() {
		f := filepath.Join(dir, t+o.ext)
		if _, err := db.sql.ExecContext(ctx, `COPY `+quoteIdent(t)+` TO `+quoteLiteral(f)+` `+o.opts); err != nil {
			return files, fmt.Errorf("exporting table %s of %s to %s: %w", t, db.path, f, err)
		}
		files = append(files, f)
	}
	return files, nil
}
