package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"time"

	"github.com/benchgate/benchgate/internal/config"
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
	outDir := fs.String("output-dir", "./benchmark_results", "directory for the benchmarks' output files")
	var rf runFlags
	rf.add(fs)
	if err := parseFlags(e, fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q (the suite is given with --suite)", fs.Args())
	}
	suite, err := config.Load(*suitePath)
	if err != nil {
		return err
	}
	bs, err := parseInts("batch-sizes", *batches)
	if err != nil {
		return err
	}
	jobs, err := suite.Plan(config.PlanOptions{Models: parseList(*models), Hardware: parseList(*hw), BatchSizes: bs})
	if err != nil {
		return err
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

	run := rf.newRun(ctx, e, suite.Name, newRunID())
	e.log.Info("running suite", "suite", suite.Name, "jobs", len(jobs), "run", run.ID, "db", dbPath(e, *db))
	start := time.Now()
	outcomes, err := runner.Run(ctx, jobs, runner.Options{
		Log:       e.log,
		OutputDir: *outDir,
		Env:       runner.ScrubEnv(os.Environ()),
		Parse:     parseOutput,
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
