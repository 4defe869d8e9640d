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
	r := &run{opts: o, log: log, dir: dir, env: ScrubEnv(base), files: fileNames(jobs)}

	rounds := 0
	for _, j := range jobs {
		rounds = max(rounds, repetitions(j))
	}
	var outs []Outcome
	for rep := 1; rep <= rounds; rep++ {
		for i, j := range jobs {
			if rep > repetitions(j) {
				continue
			}
			if err := ctx.Err(); err != nil {
				return outs, fmt.Errorf("run stopped before %s repetition %d: %w", j.Name, rep, context.Cause(ctx))
			}
			outs = append(outs, r.one(ctx, j, r.files[i], rep))
		}
	}
	if err := ctx.Err(); err != nil {
		return outs, fmt.Errorf("run stopped: %w", context.Cause(ctx))
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
	opts  Options
	log   *slog.Logger
	dir   string
	env   []string
	files []string // per job: output file name stem
}

// one runs repetition rep of job j.
func (r *run) one(ctx context.Context, j config.Job, stem string, rep int) Outcome {
	b := j.Benchmark
	if b == nil {
		b = &config.Benchmark{}
	}
	out := Outcome{Job: j, Repetition: rep}
	output := filepath.Join(r.dir, stem+"-r"+strconv.Itoa(rep)+".json")
	argv := j.Expand(output, rep)
	command := config.ShellQuote(argv)
	if b.Shell == "bash" && len(argv) == 1 {
		command = config.ShellQuote([]string{"bash", "-c", argv[0]})
	}
	fail := func(t results.ErrorType, exit int, elapsed time.Duration, msg string) Outcome {
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
	res := Exec(ctx, argv, b.Shell, b.Dir, withEnv(r.env, b.Env), b.Timeout, r.opts.MaxOutput)
	out.Elapsed = res.Elapsed
	out.Stdout, out.Stderr = res.Stdout, res.Stderr
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

	data, source := res.Stdout, j.Name+" stdout"
	if j.UsesOutput() {
		source = output
		var err error
		data, err = os.ReadFile(output)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			return fail(results.ErrResultProcessing, 0, res.Elapsed, fmt.Sprintf("benchmark exited with status 0 but wrote no output file %s", output))
		case err != nil:
			return fail(results.ErrUnexpected, 0, res.Elapsed, fmt.Sprintf("reading output file: %v", err))
		}
	} else if res.StdoutTruncated {
		return fail(results.ErrResultProcessing, 0, res.Elapsed, fmt.Sprintf("stdout is larger than the %d-byte cap and was truncated; write the result to {output} instead", r.maxOutput()))
	}
	rs, err := r.parse(j, data, source)
	var perr *panicError
	switch {
	case errors.As(err, &perr):
		return fail(results.ErrUnexpected, 0, res.Elapsed, err.Error())
	case err != nil:
		switch t := classify(err); t {
		case results.ErrJSONParse:
			return fail(t, 0, res.Elapsed, fmt.Sprintf("parsing results: %v", err))
		case results.ErrResultProcessing:
			return fail(t, 0, res.Elapsed, fmt.Sprintf("processing results: %v", err))
		default:
			return fail(t, 0, res.Elapsed, fmt.Sprintf("reading results: %v", err))
		}
	case len(rs) == 0:
		return fail(results.ErrResultProcessing, 0, res.Elapsed, fmt.Sprintf("benchmark produced no results in %s", source))
	}
	for i := range rs {
		if err := rs[i].Validate(); err != nil {
			return fail(results.ErrResultProcessing, 0, res.Elapsed, fmt.Sprintf("invalid result in %s: %v", source, err))
		}
	}
	out.Results = rs
	r.log.Info("benchmark done", "job", j.Name, "repetition", rep, "results", len(rs), "elapsed", res.Elapsed)
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
