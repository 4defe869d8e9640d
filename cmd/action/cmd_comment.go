package main

import (
	"context"
	"fmt"
	"os"

	"github.com/benchgate/benchgate/internal/forge"

	"github.com/benchgate/benchgate/internal/forkfile"
	"github.com/benchgate/benchgate/internal/ghaction"
	gitcmd "github.com/benchgate/benchgate/internal/git"
)

// cmdComment posts a fork pull request's comment and check run from the
// results file its read-only run left (ghaction.PostFork).
func cmdComment(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "comment", "--from FILE [flags]",
		"Post the comment and the check run of a fork's pull request from the results file its\n"+
			"read-only run wrote ("+forkfile.Name+"), from a workflow_run workflow with a write token\n"+
			"(INPUT_GITHUB-TOKEN, else GITHUB_TOKEN). The file is untrusted: its size and schema are\n"+
			"checked, its head SHA must be the workflow_run's, and the pull request's current head\n"+
			"must still be that commit. The gate runs again with this checkout's suite thresholds\n"+
			"(--suite). See docs/action.md, \"Fork pull requests\".")
	from := fs.String("from", forkfile.Name, "the results file")
	pr := fs.Int("pr", 0, "pull request number when the event carries none and the file names none (default: found by the head SHA)")
	var gf gateFlags
	fs.StringVar(&gf.suite, "suite", "", "suite file of this (trusted) checkout whose thresholds apply (default: benchgate.yml when it exists)")
	if err := parseFlags(e, fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	if gf.suite == "" {
		if _, err := os.Stat("benchgate.yml"); err == nil {
			gf.suite = "benchgate.yml"
		}
	}
	cfg, err := gf.config()
	if err != nil {
		return err
	}
	fr, err := forkfile.Read(*from)
	if err != nil {
		return fmt.Errorf("--from: %w", err)
	}
	p, err := ghaction.PostFork(ctx, ghaction.Env{Getenv: e.getenv, Stdout: e.stdout, Log: e.log}, ghaction.ForkOptions{File: fr, Gate: cfg, PR: *pr})
	if err != nil {
		return fmt.Errorf("--from: %w", err)
	}
	fmt.Fprintf(e.stdout, "posted the comment of %s on #%d (comment %d) and the check run %q on %s\n",
		forkfile.Name, p.PR, p.CommentID, forge.CheckName(fr.Suite+" (fork, advisory)"), gitcmd.Short(fr.HeadSHA))
	return nil
}
