package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/benchgate/benchgate/internal/store"
)

// runFlags are the flags that describe the run being stored.
type runFlags struct {
	runID, commit, ref, runner string
	attempt                    int
}

func (r *runFlags) add(fs interface {
	StringVar(*string, string, string, string)
	IntVar(*int, string, int, string)
}) {
	fs.StringVar(&r.runID, "run-id", "", "identifier of this run; with --attempt it makes storing idempotent (default: $GITHUB_RUN_ID, else generated)")
	fs.IntVar(&r.attempt, "attempt", 0, "attempt number of the run (default: $GITHUB_RUN_ATTEMPT, else 1)")
	fs.StringVar(&r.commit, "commit", "", "commit the results belong to (default: $GITHUB_SHA, else git rev-parse HEAD)")
	fs.StringVar(&r.ref, "ref", "", "ref or label of the run, e.g. a branch or \"baseline\" (default: $GITHUB_REF, else the current git branch)")
	fs.StringVar(&r.runner, "runner", "", "runner label, part of every series' identity (default: $RUNNER_NAME)")
}

// newRun fills the run's metadata from the flags, the GitHub environment and
// git, in that order. defaultID is used when nothing names the run.
func (r *runFlags) newRun(ctx context.Context, e *env, suite, defaultID string) store.Run {
	run := store.Run{ID: r.runID, Attempt: r.attempt, Commit: r.commit, Ref: r.ref, Runner: r.runner, Suite: suite, CreatedAt: time.Now().UTC()}
	if run.ID == "" {
		run.ID = e.getenv("GITHUB_RUN_ID")
	}
	if run.ID == "" {
		run.ID = defaultID
	}
	if run.Attempt == 0 {
		run.Attempt, _ = strconv.Atoi(e.getenv("GITHUB_RUN_ATTEMPT"))
	}
	if run.Attempt <= 0 {
		run.Attempt = 1
	}
	if run.Commit == "" {
		run.Commit = e.getenv("GITHUB_SHA")
	}
	if run.Commit == "" {
		run.Commit = gitOutput(ctx, "rev-parse", "HEAD")
	}
	if run.Ref == "" {
		run.Ref = e.getenv("GITHUB_REF")
	}
	if run.Ref == "" {
		run.Ref = gitOutput(ctx, "rev-parse", "--abbrev-ref", "HEAD")
	}
	if run.Runner == "" {
		run.Runner = e.getenv("RUNNER_NAME")
	}
	run.Environment = map[string]string{
		"goos": runtime.GOOS, "goarch": runtime.GOARCH, "benchgate_go": runtime.Version(),
	}
	for _, k := range []string{"RUNNER_OS", "RUNNER_ARCH", "GITHUB_REPOSITORY", "GITHUB_WORKFLOW", "GITHUB_JOB"} {
		if v := e.getenv(k); v != "" {
			run.Environment[strings.ToLower(k)] = v
		}
	}
	return run
}

// gitOutput runs git with args and returns its trimmed output, or "" when
// git is missing or fails (no repository): the metadata is then unknown.
func gitOutput(ctx context.Context, args ...string) string {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	out, err := gitOut(ctx, ".", args...)
	if err != nil {
		return ""
	}
	return out
}

// newRunID returns a fresh, unique local run id.
func newRunID() string {
	var b [4]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails on supported platforms
	return "local-" + time.Now().UTC().Format("20060102T150405Z") + "-" + hex.EncodeToString(b[:])
}
