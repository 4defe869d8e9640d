package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/benchgate/benchgate/internal/config"
	"github.com/benchgate/benchgate/internal/history"
	"github.com/benchgate/benchgate/internal/report"
)

// historyFlags are the flags history and changes share: the database, the
// series and branch, the suite's thresholds and --dry-run.
type historyFlags struct {
	db, benchmark, metric, hardware, branch, suite *string
	dryRun                                         *bool
}

func addHistoryFlags(fs *flag.FlagSet, series bool) historyFlags {
	h := historyFlags{db: dbFlags(fs), benchmark: new(string), metric: new(string), hardware: new(string)}
	if series {
		h.benchmark = fs.String("benchmark", "", "only benchmarks matching this pattern: a glob (*, ?, [...]) or a case-insensitive substring")
		h.metric = fs.String("metric", "", "only this metric, e.g. sec/op or latency_mean")
		h.hardware = fs.String("hardware", "", "only this hardware type or device name")
	}
	h.branch = fs.String("branch", "", "ref analysed, e.g. main or refs/heads/main (default: the data's main branch: main or master, else the ref with the most runs)")
	h.suite = fs.String("suite", "", "suite file whose per-metric major and critical thresholds grade severities (optional)")
	h.dryRun = fs.Bool("dry-run", false, "do not save the detections; open the database read-only")
	return h
}

// analyse opens the database, analyses its history, says which ref it
// used, and unless --dry-run saves the detections, saying what changed.
func (h historyFlags) analyse(ctx context.Context, e *env) (*history.Analysis, error) {
	o := history.Options{Benchmark: *h.benchmark, Metric: *h.metric, Hardware: *h.hardware, Branch: *h.branch}
	if *h.suite != "" {
		s, err := config.Load(*h.suite)
		if err != nil {
			return nil, fmt.Errorf("--suite: %w", err)
		}
		if o.Config.Thresholds, err = s.GateThresholds(); err != nil {
			return nil, fmt.Errorf("--suite: %w", err)
		}
	}
	a, stats, err := history.AnalyzeFile(ctx, dbPath(e, *h.db), o, *h.dryRun, time.Now())
	if a != nil {
		how := "--branch"
		if a.Defaulted {
			how = "the data's main branch; --branch to choose another"
		}
		fmt.Fprintf(e.stderr, "ref: %s (%s)\n", report.OneLine(history.RefName(a.Ref)), how)
	}
	if err != nil {
		return nil, err
	}
	if !*h.dryRun {
		fmt.Fprintln(e.stderr, history.SaveText(stats))
	}
	return a, nil
}

func cmdHistory(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "history", "[--benchmark PATTERN] [--metric M] [--hardware H] [--branch B] [--since DATE|N] [--format table|json|csv]",
		"Print the history of every matching series on the main branch, oldest first: one\n"+
			"point per commit (the samples of all its runs) with its date, n, median and 95 %\n"+
			"interval, a sparkline, and the change points (regression or improvement, severity,\n"+
			"provisional or confirmed) and outliers marked. The whole history is analysed and\n"+
			"its detections saved to the database (unless --dry-run); --since only cuts what\n"+
			"is shown.\n\n"+
			"examples:\n"+
			"  benchgate history --benchmark NetHTTP\n"+
			"  benchgate history --benchmark 'Benchmark*Parse*' --metric sec/op --since 30\n"+
			"  benchgate history --hardware cuda --since 2025-01-01 --format csv > history.csv")
	h := addHistoryFlags(fs, true)
	since := fs.String("since", "", "show from this date (2006-01-02) or the last N commits")
	format := fs.String("format", "table", "output format: table, json or csv")
	if err := parseFlags(e, fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	render := map[string]renderer{"table": history.HistoryTable, "json": history.HistoryJSON, "csv": history.HistoryCSV}
	if err := oneOf("format", *format, "table", "json", "csv"); err != nil {
		return err
	}
	return h.show(ctx, e, *since, true, false, render[*format])
}

// renderer writes an analysis from a --since point on.
type renderer func(io.Writer, *history.Analysis, history.Since) error

// show parses --since (a date, or the last N commits with allowLast, or a
// commit with allowCommit), analyses the history and writes it with render.
func (h historyFlags) show(ctx context.Context, e *env, since string, allowLast, allowCommit bool, render renderer) error {
	s, err := history.ParseSince(since, allowLast, allowCommit)
	if err != nil {
		return fmt.Errorf("--since: %w", err)
	}
	a, err := h.analyse(ctx, e)
	if err != nil {
		return err
	}
	if _, err := a.From(s); err != nil {
		return fmt.Errorf("--since: %w", err)
	}
	return render(e.stdout, a, s)
}
