package main

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/benchgate/benchgate/internal/abtest"
	"github.com/benchgate/benchgate/internal/comparison"
	"github.com/benchgate/benchgate/internal/config"
	"github.com/benchgate/benchgate/internal/report"
	"github.com/benchgate/benchgate/internal/results"
	"github.com/benchgate/benchgate/internal/runner"
	"github.com/benchgate/benchgate/internal/store"
)

// outcome is what the action measured and decided.
type outcome struct {
	cmp         *comparison.Comparison // nil without a baseline
	base, head  []results.Result       // what cmp compared, for the fork results file
	failed      int                    // failed benchmarks of the candidate, compared or not
	bSide       comparison.Side
	hSide       comparison.Side
	noBaseline  string // why there is none
	baseline    string // which baseline, and how it was chosen
	baselineSHA string
	baseRun     *store.Run // the stored baseline run (history mode)
	headRun     store.Run
	env         []report.EnvChange
	verdict     string
	headline    string
}

// measureAndCompare measures the candidate (or ingests its results), picks
// the baseline by compare-mode, compares, and stores the candidate's run in
// st (after choosing the baseline, so that a run never serves as its own).
func (g *ghMode) measureAndCompare(ctx context.Context, st *store.DB, h *history) (*outcome, error) {
	jobs, err := g.plan()
	if err != nil {
		return nil, err
	}
	out := &outcome{}
	choice, haveHistory, why := g.selectBaseline(ctx, st, h)
	mode := g.in.CompareMode
	canSameRunner := jobs != nil && g.baseRef(ctx) != ""
	if mode == "auto" {
		switch {
		case haveHistory:
			mode = "history"
		case canSameRunner:
			mode = "same-runner"
		default:
			mode = "history"
		}
	}
	var base, head []results.Result
	var bSide comparison.Side
	switch {
	case mode == "same-runner":
		if jobs == nil {
			return nil, fmt.Errorf("input compare-mode: same-runner runs the suite on both sides; it cannot be used with results-file")
		}
		baseRef := g.baseRef(ctx)
		if baseRef == "" {
			return nil, fmt.Errorf("input compare-mode: same-runner needs the base commit in the checkout (use actions/checkout with fetch-depth: 0)")
		}
		mb, err := gitOut(ctx, g.ws, "merge-base", baseRef, g.headRef(ctx))
		if err != nil {
			return nil, fmt.Errorf("input compare-mode: same-runner: %w", err)
		}
		g.rt.Group("benchgate: same-runner A/B of " + short(mb) + " and the working tree")
		t0 := time.Now()
		res, err := abtest.Run(ctx, abtest.Options{Jobs: jobs, RepoDir: g.ws, Base: mb, Log: g.e.log,
			Env: runner.ScrubEnv(os.Environ()), Parse: parseOutput})
		g.measured += time.Since(t0)
		g.rt.EndGroup()
		if err != nil {
			return nil, err
		}
		base, head = res.Base, res.Head
		out.baseline = fmt.Sprintf("same-runner A/B: base = merge-base %s of %s, measured on this runner in %d interleaved rounds with the head (seed %d)",
			short(mb), baseRef, res.Rounds, res.Seed)
		out.baselineSHA = mb
		bSide = comparison.Side{Label: "merge-base " + short(mb), Commit: mb, Ref: baseRef}
	default:
		if head, err = g.measure(ctx, jobs); err != nil {
			return nil, err
		}
		if haveHistory {
			if base, err = st.Results(ctx, choice.Run); err != nil {
				return nil, err
			}
			out.baseline = describeChoice(choice)
			out.baselineSHA = choice.Run.Commit
			r := choice.Run
			out.baseRun = &r
			bSide = comparison.Side{Label: "baseline", RunID: fmt.Sprintf("%s#%d", r.ID, r.Attempt), Commit: r.Commit, Ref: r.Ref}
		} else {
			out.noBaseline = why
		}
	}
	rf := runFlags{commit: g.ev.HeadSHA, ref: g.ev.Ref}
	out.headRun = rf.newRun(ctx, g.e, g.suiteName, newRunID())
	stats, err := st.Ingest(ctx, out.headRun, head)
	if err != nil {
		return nil, fmt.Errorf("storing the results: %w", err)
	}
	g.e.log.Info("stored the candidate's run", "run", out.headRun.ID, "attempt", out.headRun.Attempt, "results", stats.Results, "failed", stats.Failed)
	if base != nil {
		policy, opts, err := g.gate()
		if err != nil {
			return nil, err
		}
		hSide := comparison.Side{Label: "head", Commit: g.ev.HeadSHA, Ref: g.ev.Ref}
		if g.ev.PRNumber > 0 {
			hSide.Label = fmt.Sprintf("pull request #%d", g.ev.PRNumber)
		}
		out.cmp = comparison.Compare(base, head, bSide, hSide, policy, opts...)
		out.base, out.head, out.bSide, out.hSide = base, head, bSide, hSide
		if len(out.cmp.Rows) == 0 && len(out.cmp.Failed) == 0 {
			out.cmp, out.noBaseline = nil, "no series in common between the baseline and this run"
		}
	}
	if out.baseRun != nil {
		out.env = envChanges(*out.baseRun, out.headRun)
	}
	for _, r := range head {
		if r.Failure != nil {
			out.failed++
		}
	}
	out.verdict = verdictOf(out.cmp)
	out.headline = "no baseline: " + out.noBaseline
	if out.cmp == nil && out.failed > 0 {
		// A failed benchmark fails the run even when there is nothing to
		// compare with (the first run, a new data branch).
		out.verdict = verdictRegression
		out.headline += fmt.Sprintf("; %d benchmark(s) failed", out.failed)
	}
	if out.cmp != nil {
		out.headline = report.Headline(out.cmp)
	}
	return out, nil
}

// gate returns the gate's policy and options from the inputs and the suite
// file's thresholds.
func (g *ghMode) gate() (comparison.PolicyFunc, []comparison.Option, error) {
	gf := gateFlags{suite: g.suitePath, failOn: g.in.FailOn}
	if g.in.FailOn == "never" {
		gf.failOn = "never"
	}
	if g.in.Floor > 0 {
		gf.floor = strconv.FormatFloat(g.in.Floor, 'g', -1, 64)
	}
	if g.in.Alpha > 0 {
		gf.alpha = strconv.FormatFloat(g.in.Alpha, 'g', -1, 64)
	}
	policy, err := gf.policy()
	if err != nil {
		return nil, nil, err
	}
	opts, err := gf.options()
	if err != nil {
		return nil, nil, err
	}
	return policy, opts, nil
}

// plan returns the jobs of the suite or the inline command; nil jobs for
// results-file (ingest only). It sets the suite's name and path.
func (g *ghMode) plan() ([]config.Job, error) {
	in := g.in
	var suite *config.Suite
	var err error
	switch {
	case in.Command != "":
		suite, err = inlineSuite(in.Command, string(in.Format))
		if err != nil {
			return nil, fmt.Errorf("input command: %w", err)
		}
	case len(in.ResultsFile) > 0:
		g.suiteName = "results"
		if in.Suite != "" {
			g.suitePath = g.resolve(in.Suite)
			s, err := config.Load(g.suitePath)
			if err != nil {
				return nil, fmt.Errorf("input suite: %w", err)
			}
			g.suiteName = s.Name
		}
		return nil, nil
	default:
		g.suitePath = g.resolve(in.Suite)
		if suite, err = config.Load(g.suitePath); err != nil {
			return nil, fmt.Errorf("input suite: %w", err)
		}
	}
	g.suiteName = suite.Name
	jobs, err := suite.Plan(config.PlanOptions{Models: in.Models, Hardware: in.Hardware, BatchSizes: in.BatchSizes})
	if err != nil {
		return nil, fmt.Errorf("input suite: %w", err)
	}
	if len(jobs) == 0 {
		return nil, fmt.Errorf("input suite: %s plans no benchmark", g.suiteName)
	}
	return jobs, nil
}

// inlineSuite is the suite of the command input: one benchmark, run by
// bash, its output read in format.
func inlineSuite(command, format string) (*config.Suite, error) {
	doc := map[string]any{
		"version": 1,
		"name":    "command",
		"benchmarks": []map[string]any{{
			"name": "command", "shell": "bash", "format": format, "command": command,
		}},
	}
	data, err := yaml.Marshal(doc)
	if err != nil {
		return nil, err
	}
	return config.Parse(data, "input command")
}

// measure runs the jobs (or reads results-file) and returns the results.
// The benchmarks' output is echoed inside ::stop-commands:: so that
// workflow commands printed by pull-request code are shown, not obeyed.
func (g *ghMode) measure(ctx context.Context, jobs []config.Job) ([]results.Result, error) {
	if jobs == nil {
		var all []results.Result
		for _, p := range g.in.ResultsFile {
			rs, _, err := readResultsFile(g.resolve(p), string(g.in.Format), g.e)
			if err != nil {
				return nil, fmt.Errorf("input results-file: %w", err)
			}
			all = append(all, rs...)
		}
		// One file per repetition is the documented GPU pattern: merge.
		return results.Merge(all), nil
	}
	g.rt.Group(fmt.Sprintf("benchgate: running %d benchmark job(s) of %s", len(jobs), g.suiteName))
	t0 := time.Now()
	outcomes, err := runner.Run(ctx, jobs, runner.Options{
		Log:       g.e.log,
		OutputDir: g.tmp,
		Env:       runner.ScrubEnv(os.Environ()),
		Parse:     parseOutput,
		Suite:     g.suiteName,
	})
	g.measured += time.Since(t0)
	g.rt.EndGroup()
	if err != nil {
		return nil, err
	}
	g.rt.Group("benchgate: benchmark output (untrusted: workflow commands in it are not obeyed)")
	for _, o := range outcomes {
		var b strings.Builder
		fmt.Fprintf(&b, "--- %s (repetition %d) ---\n", o.Job.Name, o.Repetition)
		b.Write(o.Stdout)
		if len(o.Stderr) > 0 {
			b.WriteString("--- stderr ---\n")
			b.Write(o.Stderr)
		}
		if err := g.rt.Untrusted(g.e.stdout, b.String()); err != nil {
			return nil, err
		}
	}
	g.rt.EndGroup()
	return runner.Results(outcomes), nil
}

// envChanges lists the environment properties (and the runner) that differ
// between the baseline's run and the candidate's.
func envChanges(base, head store.Run) []report.EnvChange {
	var out []report.EnvChange
	if base.Runner != head.Runner {
		out = append(out, report.EnvChange{Name: "runner", Base: base.Runner, Head: head.Runner})
	}
	keys := map[string]bool{}
	for k := range base.Environment {
		keys[k] = true
	}
	for k := range head.Environment {
		keys[k] = true
	}
	var names []string
	for k := range keys {
		// Note: the workflow and job names identify the run, not the machine.
		if k != "github_workflow" && k != "github_job" && k != "github_repository" {
			names = append(names, k)
		}
	}
	slices.Sort(names)
	for _, k := range names {
		if b, h := base.Environment[k], head.Environment[k]; b != h {
			out = append(out, report.EnvChange{Name: k, Base: b, Head: h})
		}
	}
	return out
}
