package runner

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/benchgate/benchgate/internal/config"
	"github.com/benchgate/benchgate/internal/monitor"
	"github.com/benchgate/benchgate/internal/results"
)

// Options configures Run.
type Options struct {
	// Log receives one record per run (nil: discard).
	Log *slog.Logger
	// OutputDir holds the {output} files, named "<job>-r<repetition>.json"
	// (the job name with unsafe characters replaced). It is created if
	// needed and kept. "" uses a temporary directory removed after Run.
	OutputDir string
	// MaxOutput caps each captured stream (≤ 0: DefaultMaxOutput).
	MaxOutput int
	// Env is the base environment (nil: this process's). It is always
	// passed through ScrubEnv; the benchmark's env is added on top.
	Env []string
	// Parse turns a successful run's output into results. data is the
	// {output} file's content when the command names {output}, else the
	// captured stdout; source names it in messages (the file's path, or
	// "<job name> stdout"). Its error classifies the run (see classify): a
	// syntax error (*results.ParseError, *json.SyntaxError, or any error
	// with a method SyntaxError() bool returning true) as a JSON parse
	// error; a *results.DataError or results.ErrNoResults as a result
	// processing error; anything else as an unexpected error. A panic is
	// recovered as an unexpected error. Parse is required; the results it
	// returns must each pass Result.Validate.
	Parse func(job config.Job, data []byte, source string) ([]results.Result, error)

	// Monitor, when set, samples every run's process tree (and GPUs, with
	// Monitor.NVML) with package monitor; the report is in
	// Outcome.Resources and its measurements are added to the run's result
	// (see derive). Monitor.GPUs defaults to the job's
	// CUDA_VISIBLE_DEVICES when that lists indexes.
	Monitor *monitor.Options
	// NoRetry turns off the single retry of a failure classified as
	// transient (see transient).
	NoRetry bool
	// StatusDir, when set, receives benchmark_status_<timestamp>.json and
	// benchmark_status_latest.json after every run (see Status), and the
	// stdout of each successful run of a job without {output} is saved in
	// the output directory as <job>-r<repetition>.stdout, so that Resume
	// can parse it again.
	StatusDir string
	// RunID and Suite name the run in the status files.
	RunID, Suite string
	// Skipped lists jobs the caller left out, for the status files.
	Skipped []Skipped
	// Resume is an earlier status: a run it records as successful, with the
	// same job name, repetition and command and an output file still
	// present, is not run again; its output is parsed again instead (and
	// its resource summary applied), giving an Outcome with Resumed set.
	Resume *Status
	// Progress, when set, is told about every run that executes.
	Progress Progress
	// Container returns the backend for benchmarks whose suite names an
	// image (see ContainerBackend); jobs on cuda hardware ask for GPUs. It
	// is called once per image and GPU request. nil: such benchmarks fail
	// with an execution error saying no container engine is configured.
	Container func(ctx context.Context, image string, gpus []string) (Backend, error)
}

// Backend runs one command: the local process backend ([Command.Run]) or a
// sibling container ([ContainerBackend]).
type Backend interface {
	Run(ctx context.Context, c Command) ExecResult
}

// Outcome is what one repetition of one job gave.
type Outcome struct {
	Job        config.Job
	Repetition int // from 1
	// Results are the parsed, validated results, or on failure one failed
	// result (see Failure) naming the job.
	Results []results.Result
	// Failure is set when the run failed; it is also in Results.
	Failure *results.Failure
	Elapsed time.Duration
	// Stdout and Stderr are the captured streams, capped (see ExecResult).
	Stdout, Stderr []byte
	// Start is when the run started, from the start of Run.
	Start time.Duration
	// Attempts is 2 when a transient failure was retried; Retried is then
	// the first attempt's failure.
	Attempts int
	Retried  *results.Failure
	// Resources is the monitor's report (nil without Options.Monitor, and
	// for a resumed run); Summary its summary (a resumed run's from the
	// status file).
	Resources *monitor.Report
	Summary   *ResourceSummary
	// Output is the file that holds the run's result: its {output} file, or
	// its saved stdout (with Options.StatusDir); "" otherwise.
	Output string
	// Command is the command run, shell-quoted.
	Command string
	// Resumed is set when the run was not executed but taken from
	// Options.Resume.
	Resumed bool
	// transient says why the failure may pass on a second try ("": it
	// will not).
	transient string
}

// Run runs every job Benchmark.Repetitions times, one process at a time, in
// rounds (round r runs, in plan order, every job with at least r
// repetitions), and returns one Outcome per run in the order they ran. A
// failing benchmark is an Outcome, never an error; the error is for what
// stops the whole run: a missing Parse, an output directory that cannot be
// made, or ctx ending (then the outcomes so far are returned with it).
func Run(ctx context.Context, jobs []config.Job, o Options) ([]Outcome, error) {
	if o.Parse == nil {
		return nil, errors.New("runner: Options.Parse is nil")
	}
	log := o.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	dir := o.OutputDir
	if dir == "" {
		tmp, err := os.MkdirTemp("", "benchgate-run-")
		if err != nil {
			return nil, fmt.Errorf("creating output directory: %w", err)
		}
		defer os.RemoveAll(tmp)
		dir = tmp
	}
	// The command runs in its own directory: give it an absolute path.
	dir, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("output directory %s: %w", o.OutputDir, err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("creating output directory: %w", err)
	}
	base := o.Env
	if base == nil {
		base = os.Environ()
	}
	r := &run{opts: o, log: log, dir: dir, env: ScrubEnv(base), files: fileNames(jobs), start: time.Now()}

	rounds, total := 0, 0
	for _, j := range jobs {
		rounds = max(rounds, repetitions(j))
		total += repetitions(j)
	}
	resumable := r.resumable(jobs)
	status := newStatusWriter(o.StatusDir, Status{
		RunID: o.RunID, Suite: o.Suite, StartedAt: r.start.UTC(), State: "running", Total: total, Skipped: o.Skipped,
	})
	if err := status.write(); err != nil {
		return nil, err
	}
	if o.Progress != nil {
		o.Progress.Start(total - len(resumable))
		defer o.Progress.Finish()
	}
	var outs []Outcome
	stopped := func(err error) ([]Outcome, error) {
		if werr := status.end("interrupted"); werr != nil {
			log.Warn("writing status file", "error", werr)
		}
		return outs, err
	}
	for rep := 1; rep <= rounds; rep++ {
		for i, j := range jobs {
			if rep > repetitions(j) {
				continue
			}
			if err := ctx.Err(); err != nil {
				return stopped(fmt.Errorf("run stopped before %s repetition %d: %w", j.Name, rep, context.Cause(ctx)))
			}
			out, ok := r.resume(j, rep, resumable[runKey{j.Name, rep}])
			if !ok {
				if o.Progress != nil {
					o.Progress.Begin(j, rep)
				}
				out = r.one(ctx, j, r.files[i], rep)
				if o.Progress != nil {
					o.Progress.End(out)
				}
			}
			outs = append(outs, out)
			if err := status.add(statusRun(out)); err != nil {
				log.Warn("writing status file", "error", err)
			}
		}
	}
	if err := ctx.Err(); err != nil {
		return stopped(fmt.Errorf("run stopped: %w", context.Cause(ctx)))
	}
	if err := status.end("finished"); err != nil {
		log.Warn("writing status file", "error", err)
	}
	return outs, nil
}

// repetitions returns how many times job j runs.
func repetitions(j config.Job) int {
	if j.Benchmark == nil {
		return 1
	}
	return max(1, j.Benchmark.Repetitions)
}

// Results returns the results of outcomes with the repetitions of each job
// merged by results.Merge, jobs in order of first appearance.
func Results(outs []Outcome) []results.Result {
	type key struct {
		b    *config.Benchmark
		name string
	}
	var order []key
	byJob := map[key][]results.Result{}
	for _, o := range outs {
		k := key{o.Job.Benchmark, o.Job.Name}
		if _, ok := byJob[k]; !ok {
			order = append(order, k)
		}
		byJob[k] = append(byJob[k], o.Results...)
	}
	var all []results.Result
	for _, k := range order {
		all = append(all, results.Merge(byJob[k])...)
	}
	return all
}

// run is the state shared by the runs of one Run call.
type run struct {
	backends map[string]Backend // by image and GPU request
	opts     Options
	log      *slog.Logger
	dir      string
	env      []string
	files    []string // per job: output file name stem
	start    time.Time
}

// one runs repetition rep of job j, twice when the first attempt failed
// in a way classified as transient.
func (r *run) one(ctx context.Context, j config.Job, stem string, rep int) Outcome {
	out := r.attempt(ctx, j, stem, rep)
	if out.Failure == nil || out.transient == "" || r.opts.NoRetry || ctx.Err() != nil {
		return out
	}
	r.log.Warn("retrying benchmark once after a transient failure", "job", j.Name, "repetition", rep, "why", out.transient)
	first := out.Failure
	out = r.attempt(ctx, j, stem, rep)
	out.Attempts, out.Retried = 2, first
	return out
}

// attempt runs repetition rep of job j once.
func (r *run) attempt(ctx context.Context, j config.Job, stem string, rep int) Outcome {
	b := j.Benchmark
	if b == nil {
		b = &config.Benchmark{}
	}
	out := Outcome{Job: j, Repetition: rep, Attempts: 1, Start: time.Since(r.start)}
	output := filepath.Join(r.dir, stem+"-r"+strconv.Itoa(rep)+".json")
	argv := j.Expand(output, rep)
	command := config.ShellQuote(argv)
	if b.Shell == "bash" && len(argv) == 1 {
		command = config.ShellQuote([]string{"bash", "-c", argv[0]})
	}
	out.Command = command
	fail := func(t results.ErrorType, exit int, elapsed time.Duration, msg string) Outcome {
		if out.Resources != nil && len(out.Resources.GPUErrors) > 0 {
			msg += "; GPU monitor: " + strings.Join(out.Resources.GPUErrors, "; ")
		}
		out.Failure = &results.Failure{
			Type:     t,
			Message:  msg,
			Command:  command,
			Stdout:   string(out.Stdout),
			Stderr:   string(out.Stderr),
			ExitCode: exit,
			Elapsed:  elapsed.Seconds(),
		}
		out.Results = []results.Result{failedResult(j, out.Failure)}
		r.log.Warn("benchmark failed", "job", j.Name, "repetition", rep, "error_type", string(t), "message", msg, "elapsed", elapsed)
		return out
	}

	if err := os.Remove(output); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fail(results.ErrUnexpected, -1, 0, fmt.Sprintf("removing stale output file: %v", err))
	}
	r.log.Info("running benchmark", "job", j.Name, "repetition", rep, "command", command)
	env := withEnv(allowEnv(r.env, b.EnvAllow), b.Env)
	var mon *monitor.Monitor
	cmd := Command{Argv: argv, Shell: b.Shell, Dir: b.Dir, Env: env, Timeout: b.Timeout, MaxOutput: r.opts.MaxOutput, Log: r.log}
	if r.opts.Monitor != nil {
		mo := *r.opts.Monitor
		if mo.GPUs == nil {
			mo.GPUs = visibleGPUs(env)
		}
		cmd.Started = func(p Process) {
			mo.Cgroup = p.Cgroup
			mon = monitor.Start(p.Pid, mo)
		}
	}
	var res ExecResult
	if b.Image != "" {
		be, err := r.container(ctx, b.Image, containerGPUs(j, b))
		if err != nil {
			return fail(results.ErrExecution, -1, 0, err.Error())
		}
		res = be.Run(ctx, cmd)
	} else {
		res = cmd.Run(ctx)
	}
	if mon != nil {
		f := monitor.Final{Elapsed: res.Elapsed, PeakMemoryBytes: res.MaxRSSBytes}
		if res.CPUMeasured {
			f.CPUTime = res.UserTime + res.SystemTime
		}
		rep := mon.Stop(f)
		out.Resources, out.Summary = &rep, summarize(&rep)
	}
	out.Elapsed = res.Elapsed
	out.Stdout, out.Stderr = res.Stdout, res.Stderr
	out.transient = transient(res)
	switch {
	case res.StartErr != nil:
		return fail(results.ErrExecution, -1, res.Elapsed, fmt.Sprintf("failed to start benchmark: %v", res.StartErr))
	case res.TimedOut:
		return fail(results.ErrTimeout, -1, res.Elapsed, fmt.Sprintf("Benchmark timed out after %s seconds", strconv.FormatFloat(b.Timeout.Seconds(), 'f', -1, 64)))
	case res.Canceled:
		return fail(results.ErrUnexpected, -1, res.Elapsed, fmt.Sprintf("benchmark canceled: %v", context.Cause(ctx)))
	case res.Signal != 0:
		return fail(results.ErrExecution, -1, res.Elapsed, fmt.Sprintf("benchmark killed by signal: %v%s", res.Signal, lastLine(res.Stderr)))
	case res.ExitCode != 0:
		return fail(results.ErrExecution, res.ExitCode, res.Elapsed, fmt.Sprintf("benchmark exited with status %d%s", res.ExitCode, lastLine(res.Stderr)))
	}

	if b.Format == string(results.FormatTime) {
		out.Results = []results.Result{timedResult(j, res)}
		r.log.Info("benchmark done", "job", j.Name, "repetition", rep, "elapsed", res.Elapsed)
		return out
	}
	data, source := res.Stdout, j.Name+" stdout"
	if !j.UsesOutput() && r.opts.StatusDir != "" {
		saved := filepath.Join(r.dir, stem+"-r"+strconv.Itoa(rep)+".stdout")
		if err := os.WriteFile(saved, res.Stdout, 0o644); err != nil {
			r.log.Warn("saving stdout for --resume", "job", j.Name, "error", err)
		} else {
			out.Output = saved
		}
	}
	if j.UsesOutput() {
		source = output
		out.Output = output
		// The file is read under what is left of the benchmark's deadline.
		rctx, cancel := ctx, context.CancelFunc(func() {})
		if b.Timeout > 0 {
			rctx, cancel = context.WithTimeout(ctx, max(b.Timeout-res.Elapsed, 0))
		}
		var err error
		data, err = readOutput(rctx, r.dir, output)
		cancel()
		switch {
		case errors.Is(err, fs.ErrNotExist):
			return fail(results.ErrResultProcessing, 0, res.Elapsed, fmt.Sprintf("benchmark exited with status 0 but wrote no output file %s", output))
		case errors.Is(err, context.DeadlineExceeded) && ctx.Err() == nil:
			return fail(results.ErrTimeout, -1, res.Elapsed, fmt.Sprintf("benchmark timed out after %s seconds reading its output file: %v", strconv.FormatFloat(b.Timeout.Seconds(), 'f', -1, 64), err))
		case err != nil:
			return fail(results.Classify(err), 0, res.Elapsed, fmt.Sprintf("output file: %v", err))
		}
	} else if res.StdoutTruncated {
		return fail(results.ErrResultProcessing, 0, res.Elapsed, fmt.Sprintf("stdout is larger than the %d-byte cap and was truncated; write the result to {output} instead", r.maxOutput()))
	}
	return r.finish(out, j, rep, data, source, res.Elapsed, fail)
}

// finish parses a successful run's output into out's results.
func (r *run) finish(out Outcome, j config.Job, rep int, data []byte, source string, elapsed time.Duration,
	fail func(results.ErrorType, int, time.Duration, string) Outcome) Outcome {
	rs, err := r.parse(j, data, source)
	var perr *panicError
	switch {
	case errors.As(err, &perr):
		return fail(results.ErrUnexpected, 0, elapsed, err.Error())
	case err != nil:
		switch t := classify(err); t {
		case results.ErrJSONParse:
			return fail(t, 0, elapsed, fmt.Sprintf("parsing results: %v", err))
		case results.ErrResultProcessing:
			return fail(t, 0, elapsed, fmt.Sprintf("processing results: %v", err))
		default:
			return fail(t, 0, elapsed, fmt.Sprintf("reading results: %v", err))
		}
	case len(rs) == 0:
		return fail(results.ErrResultProcessing, 0, elapsed, fmt.Sprintf("benchmark produced no results in %s", source))
	}
	for i := range rs {
		if err := rs[i].Validate(); err != nil {
			return fail(results.ErrResultProcessing, 0, elapsed, fmt.Sprintf("invalid result in %s: %v", source, err))
		}
	}
	derive(rs, out.Summary)
	out.Results = rs
	r.log.Info("benchmark done", "job", j.Name, "repetition", rep, "results", len(rs), "elapsed", elapsed)
	return out
}

// maxOutput is the effective stream cap.
func (r *run) maxOutput() int {
	if r.opts.MaxOutput <= 0 {
		return DefaultMaxOutput
	}
	return r.opts.MaxOutput
}

// panicError is a panic recovered from Options.Parse.
type panicError struct{ v any }

// Error says that Parse panicked, and with what.
func (e *panicError) Error() string { return fmt.Sprintf("parsing results panicked: %v", e.v) }

// parse calls Options.Parse, turning a panic into a *panicError.
func (r *run) parse(j config.Job, data []byte, source string) (rs []results.Result, err error) {
	defer func() {
		if v := recover(); v != nil {
			rs, err = nil, &panicError{v}
		}
	}()
	return r.opts.Parse(j, data, source)
}

// lastLine returns ": " and the last non-empty line of stderr (at most 200
// bytes), or "" when there is none: the usual place of the actual error.
func lastLine(stderr []byte) string {
	s := strings.TrimRight(string(stderr), " \t\r\n")
	if i := strings.LastIndexByte(s, '\n'); i >= 0 {
		s = s[i+1:]
	}
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return ": " + s
}

// failedResult is the result recording failure f of job j: for a matrix job
// the model, batch size and hardware, for a plain one the benchmark name on
// "cpu" (the hardware of a plain benchmark is not known).
// timedResult is the result of a "format: time" run: the command's own wall
// time, CPU time and peak RSS, named like a failure of the same job so that
// both land in one series.
func timedResult(j config.Job, res ExecResult) results.Result {
	id := failedResult(j, nil)
	return results.TimedResult(id.Name, id.Params, id.Hardware, results.Timing{
		Wall: res.Elapsed, User: res.UserTime, System: res.SystemTime, NoCPU: !res.CPUMeasured, MaxRSSBytes: res.MaxRSSBytes})
}

func failedResult(j config.Job, f *results.Failure) results.Result {
	r := results.Result{Name: j.Name, Hardware: results.Hardware{Type: "cpu"}, Failure: f}
	if j.Model != "" {
		r.Name = j.Model
		r.Model = &results.Model{Name: j.Model}
		r.Params = map[string]string{"batch_size": strconv.Itoa(j.BatchSize)}
	}
	if j.Hardware != "" {
		r.Hardware.Type = j.Hardware
	}
	return r
}

// fileNames returns a unique output file stem per job: its name with every
// character other than letters, digits, "." and "_" turned into "-", and a
// number appended when two names collide.
func fileNames(jobs []config.Job) []string {
	stems := make([]string, len(jobs))
	used := map[string]bool{}
	for i, j := range jobs {
		s := strings.Map(func(r rune) rune {
			if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '_' {
				return r
			}
			return '-'
		}, j.Name)
		s = strings.Trim(s, "-.")
		if s == "" {
			s = "job"
		}
		stem := s
		for n := 2; used[stem]; n++ {
			stem = s + "-" + strconv.Itoa(n)
		}
		used[stem] = true
		stems[i] = stem
	}
	return stems
}
