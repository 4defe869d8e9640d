package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/benchgate/benchgate/internal/comparison"
	"github.com/benchgate/benchgate/internal/hardware"
	"github.com/benchgate/benchgate/internal/report"
	"github.com/benchgate/benchgate/internal/store"
)

func cmdReport(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "report", "[flags]",
		"Write the benchmark timing report: overview, verdict (with --base and --head),\n"+
			"hardware platforms, latency and throughput heatmaps, results by category, trends,\n"+
			"errors and recommendations. With --base and --head, exit 1 when a series' severity\n"+
			"reaches --fail-on (major by default) or a candidate benchmark failed, as compare does.")
	db := dbFlags(fs)
	format := fs.String("format", "html", "report format: html, markdown or json")
	output := fs.String("output", "", "output file (default: benchmark_timing_report.<format extension>; - for stdout)")
	days := fs.Int("days", 30, "days of history to include; 0 for all")
	base := fs.String("base", "", "include the verdict of this baseline (run id, commit, ref or file) …")
	head := fs.String("head", "", "… against this candidate")
	var gf gateFlags
	gf.add(fs)
	if err := parseFlags(e, fs, args); err != nil {
		return err
	}
	if err := oneOf("format", *format, "html", "markdown", "md", "json"); err != nil {
		return err
	}
	if *days < 0 {
		return fmt.Errorf("--days: must be ≥ 0")
	}
	if (*base == "") != (*head == "") {
		return fmt.Errorf("--base and --head go together")
	}
	cfg, err := gf.config()
	if err != nil {
		return err
	}
	st, err := store.OpenReadOnly(ctx, dbPath(e, *db))
	if err != nil {
		return err
	}
	defer st.Close()
	t, err := report.LoadTiming(ctx, st, *days, hardware.Detect(ctx), time.Now())
	if err != nil {
		return err
	}
	if *base != "" {
		open := func() (*store.DB, error) { return st, nil }
		if t.Comparison, err = compareSides(ctx, e, *base, *head, "auto", open, cfg); err != nil {
			return err
		}
	}
	ext := map[string]string{"html": "html", "markdown": "md", "md": "md", "json": "json"}[*format]
	path := *output
	if path == "" {
		path = "benchmark_timing_report." + ext
	}
	if err := writeOutput(e, path, func(w io.Writer) error { return report.WriteTiming(w, ext, t) }); err != nil {
		return fmt.Errorf("writing report: %w", err)
	}
	if path != "-" {
		fmt.Fprintf(e.stdout, "Report generated: %s\n", path)
	}
	if t.Comparison != nil {
		if code := comparison.OutcomeOf(t.Comparison).ExitCode(); code != exitPass {
			return &exitCode{code: code}
		}
	}
	return nil
}
