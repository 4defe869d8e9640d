package ghaction

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/benchgate/benchgate/internal/baseline"

	"github.com/benchgate/benchgate/internal/abtest"
	"github.com/benchgate/benchgate/internal/comparison"
	"github.com/benchgate/benchgate/internal/config"
	"github.com/benchgate/benchgate/internal/monitor"
	"github.com/benchgate/benchgate/internal/pipeline"
	"github.com/benchgate/benchgate/internal/report"
	"github.com/benchgate/benchgate/internal/results"
	"github.com/benchgate/benchgate/internal/store"
)

// measured is what the action measured and decided.
type measured struct {
	outcome      comparison.Outcome
	base, head   []results.Result // what was compared, for the fork results file
	bSide, hSide comparison.Side
	baseline     string // which baseline, and how it was chosen
	baselineSHA  string
	headRun      store.Run
	env          []report.EnvChange
}

// loadSuite reads the suite (or the inline command's) and its gate
// thresholds; nil for results-file without a suite.
func (r *run) loadSuite() (*config.Suite, error) {
	in := r.in
	var s *config.Suite
	var err error
	switch {
	case in.Command != "":
		if s, err = pipeline.InlineSuite(in.Command, string(in.Format)); err != nil {
			return nil, fmt.Errorf("input command: %w", err)
		}
	case in.Suite != "":
		r.suitePath = r.resolve(in.Suite)
		if s, err = config.Load(r.suitePath); err != nil {
			return nil, fmt.Errorf("input suite: %w", err)
		}
	default:
		r.suiteName = "results"
		return nil, nil
	}
	r.suiteName = s.Name
	if r.gate.Thresholds, err = s.GateThresholds(); err != nil {
		return nil, fmt.Errorf("input suite: %w", err)
	}
	return s, nil
}

// plan plans the suite's jobs, skipping those on hardware this runner
// lacks; nil for results-file (ingest only).
func (r *run) plan(ctx context.Context, s *config.Suite) (*pipeline.Plan, error) {
	if s == nil || len(r.in.ResultsFile) > 0 {
		return nil, nil
	}
	p, err := pipeline.NewPlan(ctx, s, config.PlanOptions{Models: r.in.Models, Hardware: r.in.Hardware, BatchSizes: r.in.BatchSizes}, pipeline.HardwareOptions{})
	if p != nil {
		for _, sk := range p.Skipped {
			fmt.Fprintf(r.Stdout, "benchgate: skipped %s: %s\n", sk.Job, sk.Reason)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("input suite: %w", err)
	}
	return p, nil
}

// measureAndCompare measures the candidate (or ingests its results), picks
// the baseline by compare-mode, compares, and stores the candidate's run
// in st (after choosing the baseline, so that a run never serves as its
// own).
func (r *run) measureAndCompare(ctx context.Context, st *store.DB) (*measured, error) {
	s, err := r.loadSuite()
	if err != nil {
		return nil, err
	}
	p, err := r.plan(ctx, s)
	if err != nil {
		return nil, err
	}
	m := &measured{hSide: comparison.Side{Label: "head", Commit: r.ev.HeadSHA, Ref: r.ev.Ref}}
	if r.ev.PRNumber > 0 {
		m.hSide.Label = fmt.Sprintf("pull request #%d", r.ev.PRNumber)
	}
	var bl *baseline.Baseline
	var why string
	mode := r.in.CompareMode
	if mode != "same-runner" {
		bl, why = r.loadBaseline(ctx, st)
	}
	if mode == "auto" {
		mode = "history"
		if bl == nil && p != nil && r.baseRef(ctx) != "" {
			mode = "same-runner"
		}
	}
	var stored func() error
	if mode == "same-runner" {
		stored, err = r.sameRunner(ctx, st, p, m)
	} else {
		stored, err = r.measureHead(ctx, st, p, m)
		if err == nil && bl != nil {
			m.base, m.bSide, m.baseline, m.baselineSHA = bl.Results, bl.Side, bl.Note, bl.Run.Commit
			m.env = report.EnvChanges(bl.Run, m.headRun)
		}
	}
	if err != nil {
		return nil, err
	}
	if err := stored(); err != nil {
		return nil, err
	}
	var c *comparison.Comparison
	if m.base != nil {
		c = r.gate.Compare(m.base, m.head, m.bSide, m.hSide)
		if len(c.Rows) == 0 && len(c.Failed) == 0 {
			c, why = nil, "no series in common between the baseline and this run"
		}
	}
	m.outcome = comparison.Decide(c, m.head, why, r.gate.FailOn)
	return m, nil
}

// newHeadRun describes the candidate's run.
func (r *run) newHeadRun(ctx context.Context) store.Run {
	return pipeline.NewRun(ctx, pipeline.RunMeta{Commit: r.ev.HeadSHA, Ref: r.ev.Ref}, r.Getenv, r.suiteName, pipeline.NewRunID())
}

// measureHead runs the plan (or reads results-file) and returns the
// function that stores the candidate's run.
func (r *run) measureHead(ctx context.Context, st *store.DB, p *pipeline.Plan, m *measured) (func() error, error) {
	m.headRun = r.newHeadRun(ctx)
	if p == nil {
		rs, err := r.readResultsFiles()
		if err != nil {
			return nil, err
		}
		m.head = rs
		return func() error { return r.ingest(ctx, st, m) }, nil
	}
	outDir, cleanup, err := r.outputDir(p)
	if err != nil {
		return nil, err
	}
	defer cleanup()
	r.rt.Group(fmt.Sprintf("benchgate: running %d benchmark job(s) of %s", len(p.Jobs), r.suiteName))
	t0 := time.Now()
	ms, err := p.Measure(ctx, pipeline.Options{OutputDir: outDir, Workspace: r.ws, MonitorInterval: monitor.DefaultInterval,
		RunID: m.headRun.ID, Log: r.Log, Env: os.Environ()})
	r.measured += time.Since(t0)
	r.rt.EndGroup()
	if err != nil {
		return nil, err
	}
	if err := r.echoOutput(ms); err != nil {
		return nil, err
	}
	m.head = ms.Results
	return func() error {
		res, err := p.Store(ctx, st, m.headRun, ms)
		if err != nil {
			return err
		}
		r.Log.Info("stored the candidate's run", "run", m.headRun.ID, "results", res.Results, "failed", res.Failed, "resource_rows", res.ResourceRows)
		return nil
	}, nil
}

// outputDir is where the benchmarks write: the scratch directory, or, when
// a benchmark runs in a sibling container (which sees the workspace only),
// a directory inside the workspace, removed afterwards.
func (r *run) outputDir(p *pipeline.Plan) (string, func(), error) {
	for _, j := range p.Jobs {
		if j.Benchmark.Image != "" {
			dir, err := os.MkdirTemp(r.ws, ".benchgate-run-")
			if err != nil {
				return "", nil, fmt.Errorf("creating the benchmarks' output directory in the workspace: %w", err)
			}
			return dir, func() { os.RemoveAll(dir) }, nil
		}
	}
	return filepath.Join(r.tmp, "results"), func() {}, nil
}

// echoOutput shows the benchmarks' output inside ::stop-commands::, so
// that workflow commands printed by pull-request code are shown, not
// obeyed.
func (r *run) echoOutput(ms *pipeline.Measurement) error {
	r.rt.Group("benchgate: benchmark output (untrusted: workflow commands in it are not obeyed)")
	defer r.rt.EndGroup()
	for _, o := range ms.Outcomes {
		var b strings.Builder
		fmt.Fprintf(&b, "--- %s (repetition %d) ---\n", o.Job.Name, o.Repetition)
		b.Write(o.Stdout)
		if len(o.Stderr) > 0 {
			b.WriteString("--- stderr ---\n")
			b.Write(o.Stderr)
		}
		if err := r.rt.Untrusted(r.Stdout, b.String()); err != nil {
			return err
		}
	}
	return nil
}

// sameRunner measures the merge-base and the working tree interleaved on
// this runner (abtest.RunMergeBase, as `compare --mode same-runner`).
func (r *run) sameRunner(ctx context.Context, st *store.DB, p *pipeline.Plan, m *measured) (func() error, error) {
	if p == nil {
		return nil, fmt.Errorf("input compare-mode: same-runner runs the suite on both sides; it cannot be used with results-file")
	}
	baseRef := r.baseRef(ctx)
	if baseRef == "" {
		return nil, fmt.Errorf("input compare-mode: same-runner needs the base commit in the checkout (use actions/checkout with fetch-depth: 0)")
	}
	r.rt.Group("benchgate: same-runner A/B of the merge-base with " + baseRef + " and the working tree")
	t0 := time.Now()
	ab, err := abtest.RunMergeBase(ctx, abtest.Options{Jobs: p.Jobs, RepoDir: r.ws, Log: r.Log, Env: os.Environ(), Parse: pipeline.ParseOutput}, baseRef)
	r.measured += time.Since(t0)
	r.rt.EndGroup()
	if err != nil {
		return nil, fmt.Errorf("input compare-mode: same-runner: %w", err)
	}
	m.base, m.head, m.bSide = ab.Base, ab.Head, ab.BaseSide
	m.baseline, m.baselineSHA = ab.Note, ab.MergeBase
	m.headRun = r.newHeadRun(ctx)
	return func() error { return r.ingest(ctx, st, m) }, nil
}

// ingest stores the candidate's results.
func (r *run) ingest(ctx context.Context, st *store.DB, m *measured) error {
	stats, err := st.Ingest(ctx, m.headRun, m.head)
	if err != nil {
		return fmt.Errorf("storing the results: %w", err)
	}
	r.Log.Info("stored the candidate's run", "run", m.headRun.ID, "attempt", m.headRun.Attempt, "results", stats.Results, "failed", stats.Failed)
	return nil
}
