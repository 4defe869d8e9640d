package main

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"time"

	"github.com/benchgate/benchgate/internal/comparison"
	"github.com/benchgate/benchgate/internal/hardware"
	"github.com/benchgate/benchgate/internal/report"
	"github.com/benchgate/benchgate/internal/site"
	"github.com/benchgate/benchgate/internal/store"
)

func cmdReport(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "report", "[flags]",
		"Write the benchmark report. html (the default) is the reports site as one\n"+
			"self-contained file (benchgate site): overview with the verdict (with --base and\n"+
			"--head), the hardware the runs recorded, heatmaps, a chart per series with its\n"+
			"change points, errors. markdown and json are the timing report: results by\n"+
			"category, trends and errors. With --base and --head, exit 1 when a series' severity\n"+
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
	var c *comparison.Comparison
	if *base != "" {
		open := func() (*store.DB, error) { return st, nil }
		if c, err = compareSides(ctx, e, *base, *head, "auto", open, cfg); err != nil {
			return err
		}
	}
	ext := map[string]string{"html": "html", "markdown": "md", "md": "md", "json": "json"}[*format]
	path := cmp.Or(*output, "benchmark_timing_report."+ext)
	if err := writeOutput(e, path, reportWriter(ctx, e, st, ext, *days, c)); err != nil {
		return fmt.Errorf("writing report: %w", err)
	}
	if path != "-" {
		fmt.Fprintf(e.stdout, "Report generated: %s\n", path)
	}
	if c == nil {
		return nil
	}
	return outcomeErr(comparison.OutcomeOf(c))
}

// reportWriter writes the report in format ext: the site in one file for
// html, else the timing report.
func reportWriter(ctx context.Context, e *env, st *store.DB, ext string, days int, c *comparison.Comparison) func(io.Writer) error {
	if ext == "html" {
		return func(w io.Writer) error { return writeReportHTML(ctx, e, st, w, days, c) }
	}
	return func(w io.Writer) error { return writeTiming(ctx, st, w, ext, days, c) }
}

// outcomeErr maps a gate outcome to the exit code it calls for (nil to
// pass).
func outcomeErr(o comparison.Outcome) error {
	if code := o.ExitCode(); code != exitPass {
		return &exitCode{code: code}
	}
	return nil
}

// writeTiming writes the Markdown or JSON timing report.
func writeTiming(ctx context.Context, st *store.DB, w io.Writer, ext string, days int, cmp *comparison.Comparison) error {
	t, err := report.LoadTiming(ctx, st, days, hardware.Detect(ctx), time.Now())
	if err != nil {
		return err
	}
	t.Comparison = cmp
	return report.WriteTiming(w, ext, t)
}

// writeReportHTML writes the HTML report: the reports site as one file.
func writeReportHTML(ctx context.Context, e *env, st *store.DB, w io.Writer, days int, cmp *comparison.Comparison) error {
	now := time.Now()
	o := siteOptions(e, "", "", "")
	o.Comparison = cmp
	if days > 0 {
		o.Since = now.AddDate(0, 0, -days)
	}
	var err error
	if o.Note, err = report.OmittedNote(ctx, st, days, now); err != nil {
		return err
	}
	_, err = site.WriteReport(ctx, st, w, o)
	return err
}
