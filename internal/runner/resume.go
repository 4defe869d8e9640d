package runner

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/benchgate/benchgate/internal/config"
	"github.com/benchgate/benchgate/internal/results"
)

// runKey names one run of a plan.
type runKey struct {
	job string
	rep int
}

// resumable returns the successful runs of Options.Resume that match a run
// of jobs by job name, repetition and command, and whose output file still
// exists.
func (r *run) resumable(jobs []config.Job) map[runKey]StatusRun {
	out := map[runKey]StatusRun{}
	if r.opts.Resume == nil {
		return out
	}
	want := map[runKey]string{}
	for i, j := range jobs {
		for rep := 1; rep <= repetitions(j); rep++ {
			output := filepath.Join(r.dir, r.files[i]+"-r"+strconv.Itoa(rep)+".json")
			want[runKey{j.Name, rep}] = r.command(j, output, rep)
		}
	}
	for _, sr := range r.opts.Resume.Runs {
		k := runKey{sr.Job, sr.Repetition}
		cmd, ok := want[k]
		if !ok || sr.Status != "success" || sr.Command != cmd || sr.Output == "" {
			continue
		}
		if _, err := os.Stat(sr.Output); err != nil {
			continue
		}
		out[k] = sr
	}
	return out
}

// command returns the shell-quoted command of repetition rep of j.
func (r *run) command(j config.Job, output string, rep int) string {
	argv := j.Expand(output, rep)
	if j.Benchmark != nil && j.Benchmark.Shell == "bash" && len(argv) == 1 {
		return config.ShellQuote([]string{"bash", "-c", argv[0]})
	}
	return config.ShellQuote(argv)
}

// resume turns a resumable run into its Outcome by parsing its saved
// output again. It reports false when sr is not resumable or its output no
// longer parses into valid results: the run is then executed.
func (r *run) resume(j config.Job, rep int, sr StatusRun) (Outcome, bool) {
	if sr.Output == "" {
		return Outcome{}, false
	}
	// The output directory may be another run's: read from the file's own.
	data, err := readOutput(context.Background(), filepath.Dir(sr.Output), sr.Output)
	if err != nil {
		r.log.Warn("cannot resume run; running it again", "job", j.Name, "repetition", rep, "error", err)
		return Outcome{}, false
	}
	rs, err := r.parse(j, data, sr.Output)
	if err == nil && len(rs) == 0 {
		err = results.ErrNoResults
	}
	for i := range rs {
		if err == nil {
			err = rs[i].Validate()
		}
	}
	if err != nil {
		r.log.Warn("cannot resume run; running it again", "job", j.Name, "repetition", rep, "error", err)
		return Outcome{}, false
	}
	derive(rs, sr.Resources)
	r.log.Info("resumed benchmark from the status file", "job", j.Name, "repetition", rep, "output", sr.Output)
	return Outcome{
		Job: j, Repetition: rep, Results: rs, Attempts: sr.Attempts, Summary: sr.Resources,
		Output: sr.Output, Resumed: true, Elapsed: time.Duration(sr.ElapsedSec * float64(time.Second)), Command: sr.Command,
	}, true
}

// statusRun is the status file's record of o.
func statusRun(o Outcome) StatusRun {
	sr := StatusRun{
		Job: o.Job.Name, Repetition: o.Repetition, Command: o.Command, Status: "success", ElapsedSec: o.Elapsed.Seconds(),
		Attempts: max(o.Attempts, 1), Output: o.Output, Resources: o.Summary, Resumed: o.Resumed,
	}
	if o.Retried != nil {
		sr.Retried = string(o.Retried.Type) + ": " + o.Retried.Message
	}
	if f := o.Failure; f != nil {
		sr.Status, sr.ErrorType, sr.Message, sr.Output = "failed", string(f.Type), f.Message, ""
	}
	return sr
}
