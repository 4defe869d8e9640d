package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/benchgate/benchgate/gate"
	"github.com/benchgate/benchgate/internal/comparison"
	"github.com/benchgate/benchgate/internal/config"
	"github.com/benchgate/benchgate/internal/report"
	"github.com/benchgate/benchgate/internal/results"
	"github.com/benchgate/benchgate/internal/store"
)

// gateFlags are the flags that set the gate's policy.
type gateFlags struct {
	suite, floor, alpha, failOn string
}

func (g *gateFlags) add(fs interface {
	StringVar(*string, string, string, string)
}) {
	fs.StringVar(&g.suite, "suite", "", "suite file whose per-metric thresholds apply (optional)")
	fs.StringVar(&g.floor, "floor", "", "minimum practical change for every metric, e.g. 5% or 0.05 (default: the suite's, else the gate's 1%)")
	fs.StringVar(&g.alpha, "alpha", "", "one-sided significance level for every metric, e.g. 0.01 (default: the suite's, else the gate's)")
	fs.StringVar(&g.failOn, "fail-on", "major", "least regression severity that exits 1: minor, major, critical or never (a failed benchmark always does)")
}

// thresholds reads the suite's per-metric thresholds (metric or
// metric@hardware keys). Thresholds apply by metric across the suite, so
// two benchmarks that set the same metric differently are an error naming
// both, rather than one silently overriding the other.
func (g *gateFlags) thresholds() (comparison.Thresholds, error) {
	th := comparison.Thresholds{}
	if g.suite == "" {
		return th, nil
	}
	s, err := config.Load(g.suite)
	if err != nil {
		return nil, err
	}
	setBy := map[string]string{}
	for _, b := range s.Benchmarks {
		for metric, t := range b.Thresholds {
			ct := comparison.Threshold{Floor: t.Floor, Alpha: t.Alpha, Major: t.Major, Critical: t.Critical, Budget: t.Budget}
			if t.Assume != "" {
				exact := t.Assume == "exact"
				ct.Exact = &exact
			}
			if prev, ok := th[metric]; ok && !sameThreshold(prev, ct) {
				return nil, fmt.Errorf("suite %s: benchmarks %q and %q set different thresholds for metric %q; thresholds apply per metric across the suite (use metric@hardware keys, or one value)",
					g.suite, setBy[metric], b.Name, metric)
			}
			th[metric], setBy[metric] = ct, b.Name
		}
	}
	return th, nil
}

// options returns the comparison options of the flags: --fail-on and the
// suite's assume=exact overrides.
func (g *gateFlags) options() ([]comparison.Option, error) {
	f, err := comparison.ParseFailOn(g.failOn)
	if err != nil {
		return nil, fmt.Errorf("--fail-on: %w", err)
	}
	th, err := g.thresholds()
	if err != nil {
		return nil, err
	}
	return []comparison.Option{comparison.WithFailOn(f), comparison.WithExact(th.ExactFor())}, nil
}

// policy builds the per-series policy: gate defaults, then the suite's
// thresholds by metric, then the flags for every metric.
func (g *gateFlags) policy() (comparison.PolicyFunc, error) {
	th, err := g.thresholds()
	if err != nil {
		return nil, err
	}
	floor, err := parseFraction("floor", g.floor)
	if err != nil {
		return nil, err
	}
	alpha, err := parseFraction("alpha", g.alpha)
	if err != nil {
		return nil, err
	}
	if alpha != nil && *alpha == 0 {
		return nil, fmt.Errorf("--alpha: must be above 0")
	}
	base := th.PolicyFor(gate.DefaultPolicy)
	return func(k results.SeriesKey) gate.Policy {
		p := base(k)
		if floor != nil {
			p.Floor = *floor
		}
		if alpha != nil {
			p.Alpha = *alpha
		}
		return p
	}, nil
}

func cmdCompare(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "compare", "--base RUN|REF|FILE --head RUN|REF|FILE [flags]",
		"Compare the candidate (--head) with the baseline (--base), series by series, and\n"+
			"print the verdict. Each side is a results file, or a stored run named by its id\n"+
			"(ID or ID#ATTEMPT), a commit (full or ≥ 7 characters), a ref, \"latest\" or \"latest~N\".\n"+
			"Exit 1 when a series' severity reaches --fail-on (major by default) or a candidate\n"+
			"benchmark failed, 0 otherwise.")
	base := fs.String("base", "", "the baseline: run id, commit, ref or results file (required)")
	head := fs.String("head", "", "the candidate: run id, commit, ref or results file (required)")
	format := fs.String("format", "table", "output format: table, markdown or json")
	output := fs.String("output", "", "write the verdict to this file instead of stdout")
	inFormat := fs.String("input-format", "auto", "format of results files given as --base/--head: auto, native or go")
	db := dbFlags(fs)
	var gf gateFlags
	gf.add(fs)
	ab := addBaselineFlags(fs)
	if err := parseFlags(e, fs, args); err != nil {
		return err
	}
	if ab.active() {
		return ab.compare(ctx, e, compareArgs{base: *base, head: *head, format: *format, output: *output, inFormat: *inFormat, db: *db, gate: &gf})
	}
	if *base == "" || *head == "" {
		return errors.New("both --base and --head are required")
	}
	if err := oneOf("format", *format, "table", "markdown", "json"); err != nil {
		return err
	}
	var st *store.DB
	openStore := func() (*store.DB, error) {
		if st == nil {
			var err error
			if st, err = store.OpenReadOnly(ctx, dbPath(e, *db)); err != nil {
				return nil, err
			}
		}
		return st, nil
	}
	defer func() {
		if st != nil {
			st.Close()
		}
	}()
	c, err := gf.compareSides(ctx, e, *base, *head, *inFormat, openStore)
	if err != nil {
		return err
	}
	if len(c.Rows) == 0 && len(c.Failed) == 0 {
		return fmt.Errorf("no series in common between %q and %q", *base, *head)
	}
	if *output == "" {
		if err := writeVerdict(e.stdout, *format, c); err != nil {
			return err
		}
	} else if err := writeVerdictFile(*output, *format, c); err != nil {
		return err
	}
	if c.Regressed() {
		return &exitCode{code: exitRegression}
	}
	return nil
}

func writeVerdict(w io.Writer, format string, c *comparison.Comparison) error {
	switch format {
	case "markdown":
		return report.Markdown(w, c)
	case "json":
		return report.JSON(w, c)
	}
	return report.Table(w, c)
}

// loadSide resolves a compare side: an existing file is read as results;
// anything else is a stored-run selector.
func loadSide(ctx context.Context, e *env, sel, format string, open func() (*store.DB, error)) ([]results.Result, comparison.Side, error) {
	if fi, err := os.Stat(sel); err == nil && !fi.IsDir() {
		rs, _, err := readResultsFile(sel, format, e)
		return rs, comparison.Side{Label: sel}, err
	}
	st, err := open()
	if err != nil {
		return nil, comparison.Side{}, err
	}
	run, err := st.FindRun(ctx, sel)
	if err != nil {
		return nil, comparison.Side{}, err
	}
	rs, err := st.Results(ctx, run)
	if err != nil {
		return nil, comparison.Side{}, err
	}
	return rs, comparison.Side{Label: sel, RunID: fmt.Sprintf("%s#%d", run.ID, run.Attempt), Commit: run.Commit, Ref: run.Ref}, nil
}

// sameThreshold reports whether a and b set the same values.
func sameThreshold(a, b comparison.Threshold) bool {
	eq := func(x, y *float64) bool { return (x == nil) == (y == nil) && (x == nil || *x == *y) }
	eb := func(x, y *bool) bool { return (x == nil) == (y == nil) && (x == nil || *x == *y) }
	return eq(a.Floor, b.Floor) && eq(a.Alpha, b.Alpha) && eq(a.Major, b.Major) && eq(a.Critical, b.Critical) &&
		eq(a.Budget, b.Budget) && eb(a.Exact, b.Exact)
}

// writeVerdictFile writes the verdict to path, reporting a failed close.
func writeVerdictFile(path, format string, c *comparison.Comparison) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := writeVerdict(f, format, c); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("--output: %w", err)
	}
	return nil
}

// compareSides loads the baseline and the candidate (results files or
// stored runs, see loadSide) and compares them with the flags' policy.
func (g *gateFlags) compareSides(ctx context.Context, e *env, base, head, inFormat string, open func() (*store.DB, error)) (*comparison.Comparison, error) {
	policy, err := g.policy()
	if err != nil {
		return nil, err
	}
	opts, err := g.options()
	if err != nil {
		return nil, err
	}
	bRes, bSide, err := loadSide(ctx, e, base, inFormat, open)
	if err != nil {
		return nil, fmt.Errorf("--base: %w", err)
	}
	hRes, hSide, err := loadSide(ctx, e, head, inFormat, open)
	if err != nil {
		return nil, fmt.Errorf("--head: %w", err)
	}
	return comparison.Compare(bRes, hRes, bSide, hSide, policy, opts...), nil
}
