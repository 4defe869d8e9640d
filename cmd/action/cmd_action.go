package main

import (
	"context"
	"fmt"
	"os"

	"github.com/benchgate/benchgate/internal/ghaction"
)

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
	o, err := ghaction.Run(ctx, ghaction.Env{Getenv: e.getenv, Environ: os.Environ(), Stdout: e.stdout, Log: e.log})
	if err != nil {
		return err
	}
	if code := o.ExitCode(); code != exitPass {
		return &exitCode{code: code, err: fmt.Errorf("%s (fail-on: %s)", o.Headline(), o.FailOn)}
	}
	return nil
}
