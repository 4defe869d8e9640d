package main

import (
	"context"
	"fmt"

	"github.com/benchgate/benchgate/internal/history"
)

func cmdChanges(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "changes", "[--since DATE|COMMIT] [--branch B] [--format table|json|markdown]",
		"List every change point of the main branch's history, grouped by suspect commit range\n"+
			"across series: the last good and first bad commit and the commits between, then per\n"+
			"series the change with its 95 % interval, direction (regression or improvement by the\n"+
			"metric's direction), severity, status (provisional or confirmed) and any environment\n"+
			"change (driver, CUDA, framework) between the two commits. The detections are saved to\n"+
			"the database (unless --dry-run): running again on the same data changes nothing.\n"+
			"The JSON is documented in docs/schema/changes.schema.json.\n\n"+
			"examples:\n"+
			"  benchgate changes\n"+
			"  benchgate changes --since 2025-01-01 --format markdown >> $GITHUB_STEP_SUMMARY\n"+
			"  benchgate changes --since 74b8559 --format json --dry-run")
	h := addHistoryFlags(fs, false)
	since := fs.String("since", "", "only change points whose first bad commit is at or after this date (2006-01-02) or commit")
	format := fs.String("format", "table", "output format: table, json or markdown")
	if err := parseFlags(e, fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	render := map[string]renderer{"table": history.ChangesTable, "json": history.ChangesJSON, "markdown": history.ChangesMarkdown}
	if err := oneOf("format", *format, "table", "json", "markdown"); err != nil {
		return err
	}
	return h.show(ctx, e, *since, false, true, render[*format])
}
