package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"time"

	"github.com/benchgate/benchgate/internal/config"
	"github.com/benchgate/benchgate/internal/monitor"
	"github.com/benchgate/benchgate/internal/results"
	"github.com/benchgate/benchgate/internal/runner"
	"github.com/benchgate/benchgate/internal/store"
)

func cmdRun(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "run", "[flags]",
		"Run every benchmark of a suite file (one process per combination and repetition),\n"+
			"store the results and failures in DuckDB, and print a summary. A failing benchmark\n"+
			"never stops the others; the exit code is 3 when any failed.")
	suitePath := fs.String("suite", "benchgate.yml", "suite file to run")
	db := dbFlags(fs)
	models := fs.String("models", "", "comma list of models for the suite's matrix (default: the suite's, else bert,t5,vit,whisper)")
	hw := fs.String("hardware", "", "comma list of hardware types for the suite's matrix (default: the suite's, else cpu)")
	batches := fs.String("batch-sizes", "", "comma list of batch sizes for the suite's matrix (default: the suite's, else 1,2,4,8,16)")
	outDir := fs.String("output-dir", "./benchmark_results", "directory for the benchmarks' output files and the status files (benchmark_status_latest.json)")
	forceHW := fs.String("force-hardware", "", "comma list of hardware types to benchmark even when detection finds them unavailable")
	allHW := fs.Bool("all-hardware", false, "benchmark the matrix on every hardware type (unavailable ones are skipped unless forced)")
	skipDetect := fs.Bool("skip-hardware-detection", false, "do not detect hardware: run the suite's (or --hardware's) hardware as given, skip nothing")
	resume := fs.Bool("resume", false, "resume the run recorded in --output-dir's benchmark_status_latest.json: skip the runs that succeeded, run the rest")
	monitorInterval := fs.Duration("monitor-interval", monitor.DefaultInterval, "resource sampling interval (CPU, memory, GPUs) per benchmark; 0 turns the monitor off")
	noRetry := fs.Bool("no-retry", false, "do not retry a benchmark once after a transient failure (busy GPU, EAGAIN, text file busy)")
	progress := fs.String("progress", "auto", "progress display: auto (groups in GitHub Actions, a bar on a terminal), bar, groups or none")
	var rf runFlags
	rf.add(fs)
	if err := parseFlags(e, fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q (the suite is given with --suite)", fs.Args())
	}
	if err := oneOf("progress", *progress, "auto", "bar", "groups", "none"); err != nil {
		return err
	}
	if *monitorInterval < 0 {
		return fmt.Errorf("--monitor-interval: %v is negative", *monitorInterval)
	}
	suite, err := config.Load(*suitePath)
	if err != nil {
		return err
	}
	bs, err := parseInts("batch-sizes", *batches)
	if err != nil {
		return err
	}
	hp, err := detectHardware(ctx, *skipDetect, parseList(*forceHW))
	if err != nil {
		return err
	}
	po := config.PlanOptions{Models: parseList(*models), Hardware: parseList(*hw), BatchSizes: bs}
	hp.planOptions(&po, *allHW)
	jobs, err := suite.Plan(po)
	if err != nil {
		return err
	}
	jobs, skipped := hp.filter(jobs)
	for _, s := range skipped {
		fmt.Fprintf(e.stdout, "skipped %s: %s\n", s.Job, s.Reason)
	}
	if len(jobs) == 0 {
		return fmt.Errorf("nothing to run: all %d benchmark(s) skipped for unavailable hardware", len(skipped))
	}
	var prev *runner.Status
	if *resume {
		if prev, err = runner.LatestStatus(*outDir); err != nil {
			return fmt.Errorf("--resume: %w", err)
		}
		if prev == nil {
			e.log.Warn("--resume: no status file in --output-dir; running everything", "output_dir", *outDir)
		}
	}
	if err := os.MkdirAll(*outDir, 0o755); err != nil {
		return fmt.Errorf("creating --output-dir: %w", err)
	}
	// Open the database before running anything: a bad path or a newer
	// schema should not cost a full benchmark run.
	st, err := store.Open(ctx, dbPath(e, *db))
	if err != nil {
		return err
	}
	defer st.Close()

	if err := hp.record(ctx, st); err != nil {
		return err
	}
	runID := newRunID()
	if prev != nil && prev.RunID != "" {
		runID = prev.RunID // Note: the resumed run keeps its id, so that it is stored once.
	}
	run := rf.newRun(ctx, e, suite.Name, runID)
	e.log.Info("running suite", "suite", suite.Name, "jobs", len(jobs), "skipped", len(skipped), "run", run.ID, "db", dbPath(e, *db))
	var mon *monitor.Options
	if *monitorInterval > 0 {
		nv, release := hp.openNVML(e.log)
		defer release()
		mon = &monitor.Options{Interval: *monitorInterval, NVML: nv}
	}
	prog, runLog := newProgress(e, *progress)
	start := time.Now()
	ctrs, err := newContainers(e, jobs, *outDir)
	if err != nil {
		return err
	}
	defer ctrs.Close()
	var containerFn func(context.Context, string, []string) (runner.Backend, error)
	if ctrs != nil {
		containerFn = ctrs.backend
	}
	outcomes, err := runner.Run(ctx, jobs, runner.Options{
		Container: containerFn,
		Log:       runLog,
		OutputDir: *outDir,
		Env:       runner.ScrubEnv(os.Environ()),
		Parse:     parseOutput,
		Monitor:   mon,
		NoRetry:   *noRetry,
		StatusDir: *outDir,
		RunID:     run.ID,
		Suite:     suite.Name,
		Skipped:   skipped,
		Resume:    prev,
		Progress:  prog,
	})
	if err != nil {
		return err
	}
	all := runner.Results(outcomes)
	failed := 0
	for _, r := range all {
		if r.Failure != nil {
			failed++
			e.log.Warn("benchmark failed", "benchmark", r.Name, "hardware", r.Hardware.Type, "error_type", r.Failure.Type, "error", r.Failure.Message)
		}
	}
	stats, err := st.Ingest(ctx, run, all)
	if err != nil {
		return fmt.Errorf("storing results of run %s: %w", run.ID, err)
	}
	fmt.Fprintf(e.stdout, "run %s (attempt %d): %d results, %d failed, in %s; stored in %s\n",
		run.ID, run.Attempt, stats.Results, stats.Failed, time.Since(start).Round(time.Millisecond), dbPath(e, *db))
	if !stats.Inserted {
		fmt.Fprintf(e.stdout, "note: run %s attempt %d was already stored; nothing changed\n", run.ID, run.Attempt)
	} else if series := resourceSeries(outcomes); len(series) > 0 {
		n, err := st.AddResourceSamples(ctx, run, series)
		if err != nil {
			return err
		}
		e.log.Info("stored resource samples", "rows", n, "results", len(series))
	}
	if failed > 0 {
		return &exitCode{code: exitFailed, err: fmt.Errorf("%d benchmark(s) failed; see 'benchgate query --errors-only'", failed)}
	}
	return nil
}

// parseOutput parses a benchmark's output (the {output} file when the
// command wrote one, else its stdout; the runner reads it) in the
// benchmark's format.
func parseOutput(job config.Job, data []byte, source string) ([]results.Result, error) {
	f, err := results.ParseFormat(job.Benchmark.Format)
	if err != nil {
		return nil, err
	}
	if f == results.FormatAuto {
		f = results.Detect(source, data)
	}
	out, err := results.Read(bytes.NewReader(data), source, f)
	if err != nil {
		return nil, err
	}
	return out.Results, nil
}
