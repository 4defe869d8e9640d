// Package pipeline is benchgate's measurement pipeline, the one that both
// `benchgate run` and the GitHub action run: a suite (or the action's
// inline command) → plan → hardware plan (detection; jobs on unavailable
// platforms skipped with the reason, unless forced) → runner (process or
// sibling-container backends, resource monitor, one retry of transient
// failures, status files, progress) → results and resource series → store.
//
// Before this package the action had its own, thinner copy: no containers,
// no hardware skipping, no monitoring. There is now one.
package pipeline

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/benchgate/benchgate/internal/config"
	"github.com/benchgate/benchgate/internal/monitor"
	"github.com/benchgate/benchgate/internal/results"
	"github.com/benchgate/benchgate/internal/runner"
	"github.com/benchgate/benchgate/internal/store"
)

// ErrNothingToRun is wrapped by NewPlan's error when every job was skipped.
var ErrNothingToRun = errors.New("nothing to run")

// HardwareOptions say how the plan treats hardware.
type HardwareOptions struct {
	// All benchmarks the matrix on every hardware type (unavailable ones
	// are skipped unless forced).
	All bool
	// SkipDetection runs the planned hardware as given and skips nothing.
	SkipDetection bool
	// Force lists types to run even when detection finds them unavailable.
	Force []string
}

// Plan is what a measurement will run, and what it skips.
type Plan struct {
	Suite    *config.Suite
	Jobs     []config.Job
	Skipped  []runner.Skipped
	Hardware *HardwarePlan
}

// NewPlan detects the hardware (unless ho says not to), plans suite's jobs
// with po, and drops the jobs on unavailable hardware, saying why.
func NewPlan(ctx context.Context, suite *config.Suite, po config.PlanOptions, ho HardwareOptions) (*Plan, error) {
	hp, err := DetectHardware(ctx, ho.SkipDetection, ho.Force)
	if err != nil {
		return nil, err
	}
	hp.PlanOptions(&po, ho.All)
	jobs, err := suite.Plan(po)
	if err != nil {
		return nil, err
	}
	p := &Plan{Suite: suite, Hardware: hp}
	p.Jobs, p.Skipped = hp.Filter(jobs)
	if len(p.Jobs) == 0 {
		if len(p.Skipped) > 0 {
			return p, fmt.Errorf("%w: all %d benchmark(s) skipped for unavailable hardware", ErrNothingToRun, len(p.Skipped))
		}
		return p, fmt.Errorf("%w: suite %s plans no benchmark", ErrNothingToRun, suite.Name)
	}
	return p, nil
}

// Options configure Measure.
type Options struct {
	// OutputDir receives the benchmarks' {output} files and the status
	// files (benchmark_status_latest.json).
	OutputDir string
	// Workspace is the directory mounted into sibling containers ("" is
	// the current directory); OutputDir and the directories of benchmarks
	// that name an image must lie inside it.
	Workspace string
	// MonitorInterval samples CPU, memory and GPUs per benchmark; 0 is off.
	MonitorInterval time.Duration
	NoRetry         bool
	// Resume is an earlier status whose successful runs are not run again.
	Resume *runner.Status
	// RunID names the run in the status files.
	RunID    string
	Progress runner.Progress
	Log      *slog.Logger
	// Env is the benchmarks' environment; it is scrubbed of secrets.
	Env []string
}

// Measurement is what a plan measured.
type Measurement struct {
	Outcomes []runner.Outcome
	// Results are the results of every run, failures included.
	Results []results.Result
	// Resources are the resource_monitoring series of the results.
	Resources []store.ResourceSeries
	Failed    int
	Elapsed   time.Duration
}

// Measure runs the plan.
func (p *Plan) Measure(ctx context.Context, o Options) (*Measurement, error) {
	log := o.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	var mon *monitor.Options
	if o.MonitorInterval > 0 {
		nv, release := p.Hardware.OpenNVML(log)
		defer release()
		mon = &monitor.Options{Interval: o.MonitorInterval, NVML: nv}
	}
	ctrs, err := newContainers(o.Workspace, p.Jobs, o.OutputDir)
	if err != nil {
		return nil, err
	}
	defer ctrs.Close()
	var containerFn func(context.Context, string, []string) (runner.Backend, error)
	if ctrs != nil {
		containerFn = ctrs.backend
	}
	start := time.Now()
	outcomes, err := runner.Run(ctx, p.Jobs, runner.Options{
		Container: containerFn,
		Log:       log,
		OutputDir: o.OutputDir,
		Env:       runner.ScrubEnv(o.Env),
		Parse:     ParseOutput,
		Monitor:   mon,
		NoRetry:   o.NoRetry,
		StatusDir: o.OutputDir,
		RunID:     o.RunID,
		Suite:     p.Suite.Name,
		Skipped:   p.Skipped,
		Resume:    o.Resume,
		Progress:  o.Progress,
	})
	if err != nil {
		return nil, err
	}
	m := &Measurement{Outcomes: outcomes, Results: runner.Results(outcomes), Resources: ResourceSeries(outcomes), Elapsed: time.Since(start)}
	for _, r := range m.Results {
		if r.Failure != nil {
			m.Failed++
			log.Warn("benchmark failed", "benchmark", r.Name, "hardware", r.Hardware.Type, "error_type", r.Failure.Type, "error", r.Failure.Message)
		}
	}
	return m, nil
}

// Stored is what Store wrote.
type Stored struct {
	store.IngestStats
	// ResourceRows is the number of resource_monitoring rows added.
	ResourceRows int
}

// Store records the plan's available hardware and stores m as run in st:
// its results, then its resource series (only when the run was new).
func (p *Plan) Store(ctx context.Context, st *store.DB, run store.Run, m *Measurement) (Stored, error) {
	if err := p.Hardware.Record(ctx, st); err != nil {
		return Stored{}, err
	}
	stats, err := st.Ingest(ctx, run, m.Results)
	if err != nil {
		return Stored{}, fmt.Errorf("storing the results of run %s: %w", run.ID, err)
	}
	out := Stored{IngestStats: stats}
	if stats.Inserted && len(m.Resources) > 0 {
		if out.ResourceRows, err = st.AddResourceSamples(ctx, run, m.Resources); err != nil {
			return out, err
		}
	}
	return out, nil
}

// ParseOutput parses a benchmark's output (the {output} file when the
// command wrote one, else its stdout; the runner reads it) in the
// benchmark's format: runner.Options.Parse.
func ParseOutput(job config.Job, data []byte, source string) ([]results.Result, error) {
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

// InlineSuite is the suite of the action's command input: one benchmark,
// run by bash, its output read in format.
func InlineSuite(command, format string) (*config.Suite, error) {
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
