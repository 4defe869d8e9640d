package main

import (
	"context"
	"fmt"

	"github.com/benchgate/benchgate/internal/report"
	"github.com/benchgate/benchgate/internal/store"
)

func cmdQuery(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "query", "[flags]",
		"Print the raw benchmark timing table: model, hardware, batch size, latency,\n"+
			"throughput, memory, status, commit, date (UTC) and every other metric of each\n"+
			"stored result, then the failed benchmarks with their errors.")
	db := dbFlags(fs)
	model := fs.String("model", "", "only this model (name or family) or benchmark")
	hw := fs.String("hardware", "", "only this hardware type")
	errorsOnly := fs.Bool("errors-only", false, "only failed benchmarks")
	runSel := fs.String("run", "", "only this run (id, commit, ref, latest)")
	format := fs.String("format", "table", "output format: table, json or csv")
	if err := parseFlags(e, fs, args); err != nil {
		return err
	}
	if err := oneOf("format", *format, "table", "json", "csv"); err != nil {
		return err
	}
	st, err := store.OpenReadOnly(ctx, dbPath(e, *db))
	if err != nil {
		return err
	}
	defer st.Close()
	f := store.Filter{Model: *model, Hardware: *hw, ErrorsOnly: *errorsOnly}
	if *runSel != "" {
		run, err := st.FindRun(ctx, *runSel)
		if err != nil {
			return fmt.Errorf("--run: %w", err)
		}
		f.RunID = run.ID
	}
	rows, err := st.Query(ctx, f)
	if err != nil {
		return err
	}
	switch *format {
	case "json":
		return report.QueryJSON(e.stdout, rows)
	case "csv":
		return report.QueryCSV(e.stdout, rows)
	}
	if len(rows) == 0 {
		fmt.Fprintln(e.stderr, "Warning: No benchmark data available")
	}
	return report.QueryTable(e.stdout, rows)
}
