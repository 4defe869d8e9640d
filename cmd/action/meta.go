package main

import (
	"context"

	"github.com/benchgate/benchgate/internal/pipeline"
	"github.com/benchgate/benchgate/internal/store"
)

// runFlags are the flags that describe the run being stored.
type runFlags struct {
	pipeline.RunMeta
}

func (r *runFlags) add(fs interface {
	StringVar(*string, string, string, string)
	IntVar(*int, string, int, string)
}) {
	fs.StringVar(&r.ID, "run-id", "", "identifier of this run; with --attempt it makes storing idempotent (default: $GITHUB_RUN_ID, else generated)")
	fs.IntVar(&r.Attempt, "attempt", 0, "attempt number of the run (default: $GITHUB_RUN_ATTEMPT, else 1)")
	fs.StringVar(&r.Commit, "commit", "", "commit the results belong to (default: $GITHUB_SHA, else git rev-parse HEAD)")
	fs.StringVar(&r.Ref, "ref", "", "ref or label of the run, e.g. a branch or \"baseline\" (default: $GITHUB_REF, else the current git branch)")
	fs.StringVar(&r.Runner, "runner", "", "runner label, part of every series' identity (default: $RUNNER_NAME)")
}

// newRun describes the run (pipeline.NewRun).
func (r *runFlags) newRun(ctx context.Context, e *env, suite, defaultID string) store.Run {
	return pipeline.NewRun(ctx, r.RunMeta, e.getenv, suite, defaultID)
}
