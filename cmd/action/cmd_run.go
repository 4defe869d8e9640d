package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/benchgate/benchgate/internal/comparison"

	"github.com/benchgate/benchgate/internal/config"
	"github.com/benchgate/benchgate/internal/monitor"
	"github.com/benchgate/benchgate/internal/pipeline"
	"github.com/benchgate/benchgate/internal/report"
	"github.com/benchgate/benchgate/internal/runner"
	"github.com/benchgate/benchgate/internal/store"
)

// runArgs are run's flag values.
type runArgs struct {
	suite, db, models, hw, batches, outDir, forceHW, progress string
	allHW, skipDetect, resume, noRetry                        bool
	monitorInterval                                           time.Duration
	rf                                                        runFlags
}

func runFlagSet(e *env) (*runArgs, func([]string) error) {
	fs := newFlags(e, "run", "[flags]",
		"Run every benchmark of a suite file (one process per combination and repetition),\n"+
			"store the results and failures in DuckDB, and print a summary. A failing benchmark\n"+
			"never stops the others; the exit code is 3 when any failed.")
	a := &runArgs{}
	fs.StringVar(&a.suite, "suite", "benchgate.yml", "suite file to run")
	fs.StringVar(&a.models, "models", "", "comma list of models for the suite's matrix (default: the suite's, else bert,t5,vit,whisper)")
	fs.StringVar(&a.hw, "hardware", "", "comma list of hardware types for the suite's matrix (default: the suite's, else cpu)")
	fs.StringVar(&a.batches, "batch-sizes", "", "comma list of batch sizes for the suite's matrix (default: the suite's, else 1,2,4,8,16)")
	fs.StringVar(&a.outDir, "output-dir", "./benchmark_results", "directory for the benchmarks' output files and the status files (benchmark_status_latest.json)")
	fs.StringVar(&a.forceHW, "force-hardware", "", "comma list of hardware types to benchmark even when detection finds them unavailable")
	fs.BoolVar(&a.allHW, "all-hardware", false, "benchmark the matrix on every hardware type (unavailable ones are skipped unless forced)")
	fs.BoolVar(&a.skipDetect, "skip-hardware-detection", false, "do not detect hardware: run the suite's (or --hardware's) hardware as given, skip nothing")
	fs.BoolVar(&a.resume, "resume", false, "resume the run recorded in --output-dir's benchmark_status_latest.json: skip the runs that succeeded, run the rest")
	fs.DurationVar(&a.monitorInterval, "monitor-interval", monitor.DefaultInterval, "resource sampling interval (CPU, memory, GPUs) per benchmark; 0 turns the monitor off")
	fs.BoolVar(&a.noRetry, "no-retry", false, "do not retry a benchmark once after a transient failure (busy GPU, EAGAIN, text file busy)")
	fs.StringVar(&a.progress, "progress", "auto", "progress display: auto (groups in GitHub Actions, a bar on a terminal), bar, groups or none")
	db := dbFlags(fs)
	a.rf.add(fs)
	return a, func(args []string) error {
		if err := parseFlags(e, fs, args); err != nil {
			return err
		}
		a.db = *db
		if fs.NArg() > 0 {
			return fmt.Errorf("unexpected arguments %q (the suite is given with --suite)", fs.Args())
		}
		if err := oneOf("progress", a.progress, "auto", "bar", "groups", "none"); err != nil {
			return err
		}
		if a.monitorInterval < 0 {
			return fmt.Errorf("--monitor-interval: %v is negative", a.monitorInterval)
		}
		return nil
	}
}

func cmdRun(ctx context.Context, e *env, args []string) error {
	a, parse := runFlagSet(e)
	if err := parse(args); err != nil {
		return err
	}
	suite, err := config.Load(a.suite)
	if err != nil {
		return err
	}
	bs, err := parseInts("batch-sizes", a.batches)
	if err != nil {
		return err
	}
	p, err := pipeline.NewPlan(ctx, suite, config.PlanOptions{Models: parseList(a.models), Hardware: parseList(a.hw), BatchSizes: bs},
		pipeline.HardwareOptions{All: a.allHW, SkipDetection: a.skipDetect, Force: parseList(a.forceHW)})
	printSkipped(e, p)
	if err != nil {
		return err
	}
	prev, err := a.previous(e)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(a.outDir, 0o755); err != nil {
		return fmt.Errorf("creating --output-dir: %w", err)
	}
	// Open the database before running anything: a bad path or a newer
	// schema should not cost a full benchmark run.
	path := dbPath(e, a.db)
	st, err := store.Open(ctx, path)
	if err != nil {
		return err
	}
	defer st.Close()
	runID := pipeline.NewRunID()
	if prev != nil && prev.RunID != "" {
		runID = prev.RunID // Note: the resumed run keeps its id, so that it is stored once.
	}
	run := a.rf.newRun(ctx, e, suite.Name, runID)
	e.log.Info("running suite", "suite", suite.Name, "jobs", len(p.Jobs), "skipped", len(p.Skipped), "run", run.ID, "db", path)
	prog, runLog := pipeline.NewProgress(a.progress, e.stderr, e.log, e.getenv)
	m, err := p.Measure(ctx, pipeline.Options{OutputDir: a.outDir, Workspace: e.getenv("GITHUB_WORKSPACE"), MonitorInterval: a.monitorInterval,
		NoRetry: a.noRetry, Resume: prev, RunID: run.ID, Progress: prog, Log: runLog, Env: os.Environ()})
	if err != nil {
		return err
	}
	res, err := p.Store(ctx, st, run, m)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "run %s (attempt %d): %s, %d failed, in %s; stored in %s\n",
		run.ID, run.Attempt, comparison.Plural(res.Results, "result", "results"), res.Failed, m.Elapsed.Round(time.Millisecond), path)
	if !res.Inserted {
		fmt.Fprintf(e.stdout, "note: run %s attempt %d was already stored; nothing changed\n", run.ID, run.Attempt)
	}
	if m.Failed > 0 {
		return &exitCode{code: exitFailed, err: fmt.Errorf("%d benchmark(s) failed; see 'benchgate query --errors-only'", m.Failed)}
	}
	return nil
}

// previous is the status --resume resumes; nil without --resume.
func (a *runArgs) previous(e *env) (*runner.Status, error) {
	if !a.resume {
		return nil, nil
	}
	prev, err := runner.LatestStatus(a.outDir)
	if err != nil {
		return nil, fmt.Errorf("--resume: %w", err)
	}
	if prev == nil {
		e.log.Warn("--resume: no status file in --output-dir; running everything", "output_dir", a.outDir)
	}
	return prev, nil
}

// printSkipped says which jobs the plan skipped, and why.
func printSkipped(e *env, p *pipeline.Plan) {
	if p == nil {
		return
	}
	for _, s := range p.Skipped {
		fmt.Fprintf(e.stdout, "skipped %s: %s\n", report.OneLine(s.Job), report.OneLine(s.Reason))
	}
}
