// Package ghaction is one run of benchgate's GitHub container action:
// inputs and event → the data branch fetched → the measurement pipeline
// (or results files, or a same-runner A/B) → the baseline → the outcome →
// job summary, outputs, annotations, check run and PR comment (or, with a
// read-only token, the fork results file) → the data branch saved on
// trusted refs. cmd/action only calls Run and maps its outcome to an exit
// code.
package ghaction

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"golang.org/x/sys/unix"

	"github.com/benchgate/benchgate/internal/actions"
	"github.com/benchgate/benchgate/internal/comparison"
	"github.com/benchgate/benchgate/internal/databranch"
	"github.com/benchgate/benchgate/internal/report"
	"github.com/benchgate/benchgate/internal/results"
)

// Env is how the action sees its process.
type Env struct {
	Getenv  func(string) string
	Environ []string
	Stdout  io.Writer
	Log     *slog.Logger
}

// run is one run of the action.
type run struct {
	Env
	rt    *actions.Runtime
	in    *actions.Inputs
	ev    *actions.Event
	ws    string // GITHUB_WORKSPACE, else the current directory
	tmp   string // scratch directory, removed at the end
	start time.Time

	suiteName string
	suitePath string // the suite file when there is one (thresholds, annotations)
	gate      comparison.Config
	branch    *databranch.Branch // nil without an origin remote
	branchOK  bool               // the data branch exists
	measured  time.Duration      // time spent in benchmarks

	outputs        [][2]string // the step's outputs, written by writeOutputs
	outputsWritten bool
}

// Run runs the action. Its error is an input or infrastructure error,
// already reported in the job summary, an annotation and the verdict
// output ("error"); otherwise the outcome decides the exit code. The
// outputs are written once, at the end, with their final values.
func Run(ctx context.Context, e Env) (comparison.Outcome, error) {
	// Note: benchmarks run as root in this container and could read
	// /proc/<our pid>/environ, which holds the token: not dumpable makes
	// our /proc entries root-owned and unreadable without CAP_SYS_PTRACE,
	// which Docker does not grant by default.
	if err := unix.Prctl(unix.PR_SET_DUMPABLE, 0, 0, 0, 0); err != nil {
		e.Log.Warn("cannot protect this process's environment from benchmarks", "error", err)
	}
	r := &run{Env: e, rt: actions.New(e.Stdout, e.Getenv), start: time.Now()}
	out, err := r.main(ctx)
	if err == nil {
		if err = r.writeOutputs(); err == nil {
			return out, nil
		}
	}
	r.reportError(err)
	return out, err
}

// setOutputs records the step's outputs, written once at the end of the
// run (see writeOutputs); a name set again takes the new value.
//
// Note: the outputs file is append-only. Writing the verdict as soon as it
// is known wrote it twice when a later step failed ("regression", then
// "error"), and which one a workflow reads is the runner's choice.
func (r *run) setOutputs(pairs ...[2]string) {
	for _, kv := range pairs {
		i := slices.IndexFunc(r.outputs, func(o [2]string) bool { return o[0] == kv[0] })
		if i < 0 {
			r.outputs = append(r.outputs, kv)
		} else {
			r.outputs[i] = kv
		}
	}
}

// writeOutputs writes the recorded outputs to $GITHUB_OUTPUT, at most once
// per run: the verdict output has one value, the final one.
func (r *run) writeOutputs() error {
	if r.outputsWritten {
		return nil
	}
	r.outputsWritten = true
	return r.rt.SetOutputs(r.outputs...)
}

// reportError says everywhere a user looks that the run could not finish:
// an annotation, the verdict output "error" (with the other outputs known
// so far, unless they were written already) and the job summary.
func (r *run) reportError(err error) {
	r.rt.Annotate([]actions.Annotation{{Level: actions.Error, Title: "benchgate", Message: err.Error()}})
	if r.Getenv("GITHUB_OUTPUT") != "" {
		r.setOutputs([2]string{"verdict", string(comparison.VerdictError)})
		if oerr := r.writeOutputs(); oerr != nil {
			r.Log.Warn("writing outputs", "error", oerr)
		}
	}
	if r.Getenv("GITHUB_STEP_SUMMARY") != "" {
		if _, serr := r.rt.WriteSummary("### ⚠️ benchgate could not finish\n\n" + report.CodeBlock(err.Error())); serr != nil {
			r.Log.Warn("writing the job summary", "error", serr)
		}
	}
}

func (r *run) main(ctx context.Context) (comparison.Outcome, error) {
	var err error
	if err = r.setup(); err != nil {
		return comparison.Outcome{}, err
	}
	defer os.RemoveAll(r.tmp)
	st, err := r.openHistory(ctx)
	if err != nil {
		return comparison.Outcome{}, err
	}
	defer st.Close()
	m, err := r.measureAndCompare(ctx, st)
	if err != nil {
		return comparison.Outcome{}, err
	}
	if err := r.publish(ctx, st, m); err != nil {
		return m.outcome, err
	}
	if err := r.save(ctx, st); err != nil {
		return m.outcome, err
	}
	own := time.Since(r.start) - r.measured
	r.Log.Info("benchgate action done", "verdict", m.outcome.Verdict(), "own_wall_time", own.Round(time.Millisecond),
		"benchmarks", r.measured.Round(time.Millisecond))
	fmt.Fprintf(r.Stdout, "benchgate: %s\n", m.outcome.Headline())
	if m.outcome.NoBaseline != "" {
		fmt.Fprintf(r.Stdout, "benchgate: no baseline: %s\n", m.outcome.NoBaseline)
	}
	return m.outcome, nil
}

// setup reads the inputs and the event, and makes the scratch directory.
func (r *run) setup() error {
	in, err := actions.ReadInputs(r.Getenv, r.Environ)
	if err != nil {
		return err
	}
	r.in, r.gate = in, in.Gate
	r.rt.Mask(in.GitHubToken.Reveal())
	for _, u := range in.Unknown {
		r.rt.Annotate([]actions.Annotation{{Level: actions.Warning, Title: "benchgate: unknown input",
			Message: fmt.Sprintf("unknown input %q: not one of benchgate's inputs (see docs/action.md); ignored", u)}})
	}
	if r.ev, err = actions.ReadEvent(r.Getenv); err != nil {
		return err
	}
	if r.ws = r.Getenv("GITHUB_WORKSPACE"); r.ws == "" {
		if r.ws, err = os.Getwd(); err != nil {
			return err
		}
	}
	if r.tmp, err = os.MkdirTemp(r.Getenv("RUNNER_TEMP"), "benchgate-"); err != nil {
		return fmt.Errorf("creating a scratch directory: %w", err)
	}
	return nil
}

// resolve makes p absolute against the workspace.
func (r *run) resolve(p string) string {
	if filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(r.ws, p)
}

// readResultsFiles reads the results-file input, merged (one file per
// repetition is the documented GPU pattern).
func (r *run) readResultsFiles() ([]results.Result, error) {
	var all []results.Result
	for _, p := range r.in.ResultsFile {
		rs, _, err := results.ReadFile(r.resolve(p), string(r.in.Format), r.Log)
		if err != nil {
			return nil, fmt.Errorf("input results-file: %w", err)
		}
		all = append(all, rs...)
	}
	return results.Merge(all), nil
}

// runURL is the workflow run's page; "" outside Actions.
func (r *run) runURL() string {
	server, repo, id := r.Getenv("GITHUB_SERVER_URL"), r.ev.Repository, r.Getenv("GITHUB_RUN_ID")
	if server == "" || repo == "" || id == "" {
		return ""
	}
	return strings.TrimRight(server, "/") + "/" + repo + "/actions/runs/" + id
}
