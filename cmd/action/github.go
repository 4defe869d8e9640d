package main

import (
	"context"
	"errors"
	"fmt"
	"golang.org/x/sys/unix"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/benchgate/benchgate/internal/actions"
	"github.com/benchgate/benchgate/internal/comparison"
	"github.com/benchgate/benchgate/internal/forge"
	"github.com/benchgate/benchgate/internal/store"
)

// Verdicts of the action's verdict output.
const (
	verdictPass         = "pass"
	verdictRegression   = "regression"
	verdictImprovement  = "improvement"
	verdictInconclusive = "inconclusive"
	verdictError        = "error"
)

// forkFile is the results file a read-only run leaves for a workflow_run
// workflow (docs/action.md, "Fork pull requests").
const forkFile = "benchgate-comment.json"

// cmdAction is the GitHub mode: what the container action runs (action.yml
// passes "action"; with no arguments and GITHUB_ACTIONS=true it runs too).
func cmdAction(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "action", "",
		"Run as the GitHub container action: read the INPUT_* variables and the event,\n"+
			"run the suite (or ingest results-file), compare with the baseline, then write the\n"+
			"job summary, the outputs, the `benchgate / <suite>` check run and the PR comment,\n"+
			"and save the results to the data branch on trusted refs. See docs/action.md.")
	if err := parseFlags(e, fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q (the action reads its inputs from INPUT_* variables)", fs.Args())
	}
	// Note: benchmarks run as root in this container and could read
	// /proc/<our pid>/environ, which holds the token: not dumpable makes
	// our /proc entries root-owned and unreadable without CAP_SYS_PTRACE,
	// which Docker does not grant by default.
	if err := unix.Prctl(unix.PR_SET_DUMPABLE, 0, 0, 0, 0); err != nil {
		e.log.Warn("cannot protect this process's environment from benchmarks", "error", err)
	}
	rt := actions.New(e.stdout, e.getenv)
	g := &ghMode{e: e, rt: rt, start: time.Now()}
	err := g.main(ctx)
	if err == nil {
		return nil
	}
	var ec *exitCode
	if errors.As(err, &ec) && ec.code != exitError {
		return err
	}
	// An infrastructure or input error: say so everywhere a user looks.
	rt.Annotate([]actions.Annotation{{Level: actions.Error, Title: "benchgate", Message: err.Error()}})
	if e.getenv("GITHUB_OUTPUT") != "" {
		if oerr := rt.SetOutputs([2]string{"verdict", verdictError}); oerr != nil {
			e.log.Warn("writing outputs", "error", oerr)
		}
	}
	if e.getenv("GITHUB_STEP_SUMMARY") != "" {
		appendSummary(e, "### ⚠️ benchgate could not finish\n\n"+"```text\n"+strings.ReplaceAll(err.Error(), "```", "'''")+"\n```\n")
	}
	return err
}

// ghMode is one run of the action.
type ghMode struct {
	e     *env
	rt    *actions.Runtime
	in    *actions.Inputs
	ev    *actions.Event
	ws    string // the workspace: GITHUB_WORKSPACE, else the current directory
	tmp   string // scratch directory, removed at the end
	start time.Time

	suiteName string
	suitePath string // the suite file when there is one (thresholds, annotations)
	// measured is the time spent running benchmarks (excluded from the
	// action's own wall time in the log).
	measured time.Duration
}

func (g *ghMode) main(ctx context.Context) error {
	in, err := actions.ReadInputs(g.e.getenv, os.Environ())
	if err != nil {
		return &exitCode{code: exitError, err: err}
	}
	g.in = in
	g.rt.Mask(in.GitHubToken.Reveal())
	for _, u := range in.Unknown {
		g.rt.Annotate([]actions.Annotation{{Level: actions.Warning, Title: "benchgate: unknown input",
			Message: fmt.Sprintf("unknown input %q: not one of benchgate's inputs (see docs/action.md); ignored", u)}})
	}
	ev, err := actions.ReadEvent(g.e.getenv)
	if err != nil {
		return err
	}
	g.ev = ev
	g.ws = g.e.getenv("GITHUB_WORKSPACE")
	if g.ws == "" {
		if g.ws, err = os.Getwd(); err != nil {
			return err
		}
	}
	if g.tmp, err = os.MkdirTemp(g.e.getenv("RUNNER_TEMP"), "benchgate-"); err != nil {
		return fmt.Errorf("creating a scratch directory: %w", err)
	}
	defer os.RemoveAll(g.tmp)

	st, hist, err := g.fetchHistory(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	out, err := g.measureAndCompare(ctx, st, hist)
	if err != nil {
		return err
	}
	if err := g.publish(ctx, st, out); err != nil {
		return err
	}
	if err := g.save(ctx, st, hist); err != nil {
		return err
	}
	own := time.Since(g.start) - g.measured
	g.e.log.Info("benchgate action done", "verdict", out.verdict, "own_wall_time", own.Round(time.Millisecond),
		"benchmarks", g.measured.Round(time.Millisecond))
	return g.exit(out)
}

// exit maps the outcome to the exit code: 1 for a regression at or above
// fail-on (or a failed benchmark), never with fail-on: never.
func (g *ghMode) exit(out *outcome) error {
	c := out.cmp
	if g.in.FailOn == "never" {
		return nil
	}
	if c == nil && out.failed > 0 {
		return &exitCode{code: exitRegression, err: fmt.Errorf("%s", out.headline)}
	}
	if c == nil || !c.Regressed() {
		return nil
	}
	return &exitCode{code: exitRegression, err: fmt.Errorf("%s (fail-on: %s)", out.headline, g.in.FailOn)}
}

// resolve makes p absolute against the workspace.
func (g *ghMode) resolve(p string) string {
	if filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(g.ws, p)
}

// client returns the GitHub API client.
func (g *ghMode) client(ctx context.Context) (*forge.Client, error) {
	return forge.New(ctx, forge.Config{APIURL: g.e.getenv("GITHUB_API_URL"), Token: g.in.GitHubToken,
		Repository: g.ev.Repository, Log: g.e.log})
}

// verdictOf names the outcome for the verdict output.
func verdictOf(c *comparison.Comparison) string {
	switch {
	case c == nil:
		return verdictPass
	case c.Summary.Regressed > 0 || len(c.Failed) > 0:
		return verdictRegression
	case c.Summary.Improved > 0:
		return verdictImprovement
	case c.Summary.Inconclusive > 0:
		return verdictInconclusive
	}
	return verdictPass
}

// openStore opens (creating) the local database at path.
func openStore(ctx context.Context, path string) (*store.DB, error) {
	return store.Open(ctx, path)
}
