package main

import (
	"context"
	"fmt"

	"github.com/benchgate/benchgate/internal/report"
	"github.com/benchgate/benchgate/internal/store"
)

func cmdQuery(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "query", "[flags]",
		"Print the raw benchmark timing table: benchmark (or model), hardware, batch size,\n"+
			"latency, throughput, memory, status, run, commit, date (UTC) and every other metric\n"+
			"of each stored result, then the failed benchmarks with their errors.")
	db := dbFlags(fs)
	var model string
	const matchHelp = "only benchmarks or models (name or family) that contain this text, or match it as a glob (*, ?, [a-z]; case-insensitive)"
	fs.StringVar(&model, "model", "", matchHelp)
	fs.StringVar(&model, "benchmark", "", "alias of --model")
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
	f := store.Filter{Hardware: *hw, ErrorsOnly: *errorsOnly}
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
	if rows, err = report.MatchRows(rows, model); err != nil {
		return fmt.Errorf("--model: %w", err)
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
